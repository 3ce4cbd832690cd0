-- appeal: generic appeals on subjects owned by other packages (assessment
-- results, talent reviews), their reply threads and the tenant's settings.
-- Calendar days are TEXT 'YYYY-MM-DD' in the tenant's zone; outcomes and
-- recipient lists are JSON text.
CREATE TABLE ballast_appeal_settings (
    tenant_id          TEXT NOT NULL PRIMARY KEY REFERENCES ballast_tenants (tenant_id),
    reply_days         INTEGER NOT NULL,
    remind_days_before INTEGER NOT NULL,
    hr_recipients      TEXT NOT NULL,
    escalate_to        TEXT NOT NULL,
    version            BIGINT NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE TABLE ballast_appeals (
    tenant_id      TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    subject_id     TEXT NOT NULL,
    item           TEXT NOT NULL DEFAULT '',
    item_title     TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    employee_id    TEXT NOT NULL,
    manager_id     TEXT NOT NULL DEFAULT '',
    handler_id     TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'under_review', 'decided', 'withdrawn')),
    -- pending is TRUE while the appeal is open or under review and NULL
    -- after: its unique index allows one pending appeal per subject and
    -- item (NULLs never collide).
    pending        BOOLEAN CHECK (pending),
    before_outcome TEXT NOT NULL,
    result         TEXT NOT NULL DEFAULT '' CHECK (result IN ('', 'upheld', 'adjusted')),
    after_outcome  TEXT NOT NULL,
    closed_by      TEXT NOT NULL DEFAULT '',
    closed_at      TIMESTAMPTZ,
    close_reason   TEXT NOT NULL DEFAULT '',
    window_ends    TIMESTAMPTZ NOT NULL,
    due_on         TEXT NOT NULL,
    next_alert_on  TEXT,
    filed_at       TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
-- At most one pending appeal per subject and item ('' is the whole subject).
CREATE UNIQUE INDEX ballast_appeals_pending ON ballast_appeals (tenant_id, kind, subject_id, item, pending);
--bun:split
CREATE INDEX ballast_appeals_employee ON ballast_appeals (tenant_id, employee_id, id);
--bun:split
CREATE INDEX ballast_appeals_manager ON ballast_appeals (tenant_id, manager_id, id);
--bun:split
CREATE INDEX ballast_appeals_subject ON ballast_appeals (tenant_id, kind, subject_id, id);
--bun:split
-- Reconcile: pending appeals with a reminder or escalation to come.
CREATE INDEX ballast_appeals_alert ON ballast_appeals (tenant_id, next_alert_on) WHERE next_alert_on IS NOT NULL;
--bun:split
CREATE TABLE ballast_appeal_messages (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    appeal_id  TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('employee', 'manager', 'hr')),
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, appeal_id) REFERENCES ballast_appeals (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_appeal_messages_appeal ON ballast_appeal_messages (tenant_id, appeal_id, created_at, id);
