-- assessment: the indicator library, versioned templates, the grade scale,
-- review cycles, their participants (manager snapshotted on opening, the
-- result once finalised), the entries of both sides of a review, and the
-- adjustments appeals make. Calendar days are TEXT 'YYYY-MM-DD' in the
-- tenant's zone; lists, plans and results are JSON text.
CREATE TABLE ballast_assessment_indicators (
    tenant_id   TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id          TEXT NOT NULL,
    code        TEXT COLLATE "C" NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('quantitative', 'qualitative')),
    unit        TEXT NOT NULL DEFAULT '',
    target      DOUBLE PRECISION NOT NULL DEFAULT 0,
    direction   TEXT NOT NULL DEFAULT '',
    mapping     TEXT NOT NULL,
    scale       TEXT NOT NULL DEFAULT '',
    dimension   TEXT NOT NULL DEFAULT '',
    archived    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_assessment_indicators_code ON ballast_assessment_indicators (tenant_id, code);
--bun:split
CREATE TABLE ballast_assessment_templates (
    tenant_id    TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    body         TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id, version)
);
--bun:split
CREATE TABLE ballast_assessment_grade_scales (
    tenant_id  TEXT NOT NULL PRIMARY KEY REFERENCES ballast_tenants (tenant_id),
    grades     TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT NOT NULL
);
--bun:split
CREATE TABLE ballast_assessment_cycles (
    tenant_id        TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id               TEXT NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('mid_year', 'year_end', 'quarterly', 'custom')),
    period_label     TEXT NOT NULL,
    period_start     TEXT NOT NULL,
    period_end       TEXT NOT NULL,
    selection        TEXT NOT NULL,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL DEFAULT 0,
    deadlines        TEXT NOT NULL,
    reminder_days    TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('draft', 'open', 'manager_review', 'calibration', 'finalised', 'closed')),
    owner_id         TEXT NOT NULL,
    participants     INTEGER NOT NULL DEFAULT 0,
    plan             TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    opened_at        TIMESTAMPTZ,
    finalised_at     TIMESTAMPTZ,
    closed_at        TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE TABLE ballast_assessment_participants (
    tenant_id            TEXT NOT NULL,
    id                   TEXT NOT NULL,
    cycle_id             TEXT NOT NULL,
    employee_id          TEXT NOT NULL,
    employee_number      TEXT COLLATE "C" NOT NULL,
    employee_name        TEXT NOT NULL,
    department_id        TEXT NOT NULL,
    position_level       INTEGER NOT NULL DEFAULT 0,
    manager_id           TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL CHECK (status IN ('self_pending', 'self_submitted', 'manager_submitted', 'finalised')),
    self_due             TEXT,
    self_submitted_at    TIMESTAMPTZ,
    manager_submitted_at TIMESTAMPTZ,
    calibration          TEXT NOT NULL DEFAULT '',
    next_alert_on        TEXT,
    updated_at           TIMESTAMPTZ NOT NULL,
    version              BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES ballast_assessment_cycles (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
) WITH (fillfactor = 70); -- room on each page for in-place (HOT) updates
--bun:split
-- One participation per employee and cycle.
CREATE UNIQUE INDEX ballast_assessment_participants_employee ON ballast_assessment_participants (tenant_id, cycle_id, employee_id);
--bun:split
CREATE INDEX ballast_assessment_participants_department ON ballast_assessment_participants (tenant_id, cycle_id, department_id, id);
--bun:split
-- No index holds status, so that submissions and finalisation update
-- rows in place (HOT on PostgreSQL).
CREATE INDEX ballast_assessment_participants_manager ON ballast_assessment_participants (tenant_id, manager_id);
--bun:split
CREATE INDEX ballast_assessment_participants_own ON ballast_assessment_participants (tenant_id, employee_id);
--bun:split
-- Reconcile: participants with a reminder or escalation to come.
CREATE INDEX ballast_assessment_participants_alert ON ballast_assessment_participants (tenant_id, next_alert_on) WHERE next_alert_on IS NOT NULL;
--bun:split
-- A finalised participant's result, in a table of its own so that
-- finalising a cycle inserts narrow rows instead of rewriting wide ones.
CREATE TABLE ballast_assessment_results (
    tenant_id      TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    cycle_id       TEXT NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    grade          TEXT NOT NULL,
    result         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, participant_id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES ballast_assessment_participants (tenant_id, id)
);
--bun:split
CREATE TABLE ballast_assessment_entries (
    tenant_id      TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('self', 'manager')),
    indicator_id   TEXT NOT NULL,
    cycle_id       TEXT NOT NULL,
    score          DOUBLE PRECISION,
    comment        TEXT NOT NULL DEFAULT '',
    actual         DOUBLE PRECISION,
    evidence       TEXT NOT NULL DEFAULT '[]',
    updated_by     TEXT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, participant_id, side, indicator_id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES ballast_assessment_participants (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_assessment_entries_cycle ON ballast_assessment_entries (tenant_id, cycle_id, side);
--bun:split
CREATE TABLE ballast_assessment_adjustments (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    cycle_id       TEXT NOT NULL,
    indicator_id   TEXT NOT NULL DEFAULT '',
    before_score   DOUBLE PRECISION NOT NULL,
    after_score    DOUBLE PRECISION NOT NULL,
    result_before  DOUBLE PRECISION NOT NULL,
    result_after   DOUBLE PRECISION NOT NULL,
    grade_before   TEXT NOT NULL,
    grade_after    TEXT NOT NULL,
    reason         TEXT NOT NULL,
    appeal_id      TEXT NOT NULL DEFAULT '',
    adjusted_by    TEXT NOT NULL,
    adjusted_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES ballast_assessment_participants (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_assessment_adjustments_participant ON ballast_assessment_adjustments (tenant_id, participant_id, adjusted_at);
