-- offboarding: templates, cases and their steps, customer handover items,
-- signatures, work-report rounds and items to return. Calendar days are
-- TEXT 'YYYY-MM-DD' in the tenant's zone (they compare in date order);
-- lists and plans are JSON text.
CREATE TABLE ballast_offboarding_templates (
    tenant_id  TEXT NOT NULL PRIMARY KEY REFERENCES ballast_tenants (tenant_id),
    template   TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE TABLE ballast_offboarding_cases (
    tenant_id        TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id               TEXT NOT NULL,
    employee_id      TEXT NOT NULL,
    -- open_employee_id is employee_id while the case is open and NULL
    -- after: its unique index allows one open case per employee (NULLs
    -- never collide).
    open_employee_id TEXT,
    kind             TEXT NOT NULL CHECK (kind IN ('voluntary', 'involuntary', 'end_of_contract')),
    submitted_on     TEXT NOT NULL,
    last_day         TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    successors       TEXT NOT NULL,
    manager_id       TEXT NOT NULL DEFAULT '',
    hr_id            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('open', 'completed', 'withdrawn')),
    snapshot_id      TEXT NOT NULL DEFAULT '',
    plan             TEXT NOT NULL,
    reminder_offsets TEXT NOT NULL,
    escalate_to      TEXT NOT NULL,
    next_stage_on    TEXT,
    opened_by        TEXT NOT NULL,
    opened_at        TIMESTAMPTZ NOT NULL,
    closed_by        TEXT NOT NULL DEFAULT '',
    closed_at        TIMESTAMPTZ,
    close_reason     TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
-- At most one open case per employee.
CREATE UNIQUE INDEX ballast_offboarding_cases_open ON ballast_offboarding_cases (tenant_id, open_employee_id);
--bun:split
CREATE INDEX ballast_offboarding_cases_employee ON ballast_offboarding_cases (tenant_id, employee_id, id);
--bun:split
-- Reconcile: open cases with a date-triggered revocation stage to come.
CREATE INDEX ballast_offboarding_cases_stage ON ballast_offboarding_cases (tenant_id, next_stage_on) WHERE next_stage_on IS NOT NULL;
--bun:split
CREATE TABLE ballast_offboarding_steps (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    case_id         TEXT NOT NULL,
    position        INTEGER NOT NULL,
    key             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('customers', 'work', 'items', 'access', 'custom')),
    title           TEXT NOT NULL,
    responsible     TEXT NOT NULL,
    assignees       TEXT NOT NULL,
    due_offset_days INTEGER NOT NULL,
    due_on          TEXT NOT NULL,
    closing_rule    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('open', 'done', 'forced')),
    done_at         TIMESTAMPTZ,
    done_by         TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    next_alert_on   TEXT,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES ballast_offboarding_cases (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_offboarding_steps_key ON ballast_offboarding_steps (tenant_id, case_id, key);
--bun:split
-- Reconcile: steps with a reminder or escalation to come.
CREATE INDEX ballast_offboarding_steps_alert ON ballast_offboarding_steps (tenant_id, next_alert_on) WHERE next_alert_on IS NOT NULL;
--bun:split
CREATE TABLE ballast_offboarding_customers (
    tenant_id     TEXT NOT NULL,
    case_id       TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    customer_name TEXT COLLATE "C" NOT NULL,
    successor_id  TEXT NOT NULL DEFAULT '',
    handed_over   BOOLEAN NOT NULL DEFAULT FALSE,
    note          TEXT NOT NULL DEFAULT '',
    handed_at     TIMESTAMPTZ,
    handed_by     TEXT NOT NULL DEFAULT '',
    signature_id  TEXT NOT NULL DEFAULT '',
    added_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, case_id, customer_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES ballast_offboarding_cases (tenant_id, id)
);
--bun:split
CREATE TABLE ballast_offboarding_signatures (
    tenant_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    case_id      TEXT NOT NULL,
    step_id      TEXT NOT NULL,
    signer       TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    content      TEXT NOT NULL,
    signed_at    TIMESTAMPTZ NOT NULL,
    client_ip    TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES ballast_offboarding_cases (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_offboarding_signatures_case ON ballast_offboarding_signatures (tenant_id, case_id, signed_at);
--bun:split
CREATE TABLE ballast_offboarding_work_rounds (
    tenant_id    TEXT NOT NULL,
    case_id      TEXT NOT NULL,
    round        INTEGER NOT NULL,
    report       TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('pending', 'approved', 'returned')),
    comments     TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, case_id, round),
    FOREIGN KEY (tenant_id, case_id) REFERENCES ballast_offboarding_cases (tenant_id, id)
);
--bun:split
CREATE TABLE ballast_offboarding_items (
    tenant_id    TEXT NOT NULL,
    case_id      TEXT NOT NULL,
    asset_id     TEXT NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    asset_kind   TEXT NOT NULL,
    tag          TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL CHECK (outcome IN ('pending', 'returned', 'missing')),
    condition    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    cost_note    TEXT NOT NULL DEFAULT '',
    confirmed_by TEXT NOT NULL DEFAULT '',
    confirmed_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, case_id, asset_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES ballast_offboarding_cases (tenant_id, id)
);
