-- multirater (360 feedback): settings per tenant, rounds, reviewees, rater
-- assignments, and submitted responses. Calendar days are TEXT
-- 'YYYY-MM-DD' in the tenant's zone; questionnaires, settings and drafts
-- are JSON text.
--
-- A submitted response is stored detached from its assignment: scores and
-- comments carry a random response/comment id, the reviewee and the group,
-- no time and, for the anonymous groups, no rater. Nothing joins them back
-- to the rater who gave them.
CREATE TABLE ballast_multirater_settings (
    tenant_id  TEXT NOT NULL PRIMARY KEY REFERENCES ballast_tenants (tenant_id),
    settings   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
--bun:split
CREATE TABLE ballast_multirater_rounds (
    tenant_id      TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id             TEXT NOT NULL,
    cycle_id       TEXT NOT NULL,
    name           TEXT NOT NULL,
    questionnaire  TEXT NOT NULL,
    nomination_due TEXT NOT NULL,
    response_due   TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('nominating', 'collecting', 'closed')),
    settings       TEXT NOT NULL,
    next_alert_on  TEXT,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    opened_at      TIMESTAMP,
    closed_at      TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_multirater_rounds_cycle ON ballast_multirater_rounds (tenant_id, cycle_id, id);
--bun:split
-- Reconcile: rounds with a reminder day to come.
CREATE INDEX ballast_multirater_rounds_alert ON ballast_multirater_rounds (tenant_id, next_alert_on) WHERE next_alert_on IS NOT NULL;
--bun:split
CREATE TABLE ballast_multirater_reviewees (
    tenant_id   TEXT NOT NULL,
    round_id    TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    manager_id  TEXT NOT NULL DEFAULT '',
    added_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, round_id, employee_id),
    FOREIGN KEY (tenant_id, round_id) REFERENCES ballast_multirater_rounds (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_multirater_reviewees_manager ON ballast_multirater_reviewees (tenant_id, round_id, manager_id);
--bun:split
CREATE TABLE ballast_multirater_assignments (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    round_id       TEXT NOT NULL,
    reviewee_id    TEXT NOT NULL,
    rater_id       TEXT NOT NULL,
    -- live_rater_id is rater_id unless the nomination was rejected (then
    -- NULL): its unique index allows one live assignment per rater and
    -- reviewee, and a rejected nomination may be made again.
    live_rater_id  TEXT,
    grp            TEXT NOT NULL CHECK (grp IN ('self', 'manager', 'peer', 'direct_report', 'other')),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'rejected', 'open', 'submitted')),
    nominated_by   TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    decided_at     TIMESTAMP,
    reason         TEXT NOT NULL DEFAULT '',
    -- draft holds the rater's unsubmitted answers; cleared on submission.
    draft          TEXT,
    draft_saved_at TIMESTAMP,
    submitted_at   TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, round_id, reviewee_id) REFERENCES ballast_multirater_reviewees (tenant_id, round_id, employee_id),
    FOREIGN KEY (tenant_id, rater_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_multirater_assignments_rater ON ballast_multirater_assignments (tenant_id, round_id, reviewee_id, live_rater_id);
--bun:split
CREATE INDEX ballast_multirater_assignments_by_rater ON ballast_multirater_assignments (tenant_id, rater_id, round_id);
--bun:split
CREATE INDEX ballast_multirater_assignments_status ON ballast_multirater_assignments (tenant_id, round_id, status, rater_id);
--bun:split
CREATE TABLE ballast_multirater_scores (
    tenant_id   TEXT NOT NULL,
    round_id    TEXT NOT NULL,
    reviewee_id TEXT NOT NULL,
    grp         TEXT NOT NULL CHECK (grp IN ('self', 'manager', 'peer', 'direct_report', 'other')),
    response_id TEXT NOT NULL,
    question    TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    score       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, round_id, reviewee_id, response_id, question),
    FOREIGN KEY (tenant_id, round_id, reviewee_id) REFERENCES ballast_multirater_reviewees (tenant_id, round_id, employee_id)
);
--bun:split
-- Aggregation: the totals per reviewee, group and dimension are read in
-- this index's order (no sort) and from it alone.
CREATE INDEX ballast_multirater_scores_totals ON ballast_multirater_scores (tenant_id, round_id, reviewee_id, grp, dimension, score);
--bun:split
CREATE TABLE ballast_multirater_comments (
    tenant_id   TEXT NOT NULL,
    round_id    TEXT NOT NULL,
    reviewee_id TEXT NOT NULL,
    grp         TEXT NOT NULL CHECK (grp IN ('self', 'manager', 'peer', 'direct_report', 'other')),
    id          TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- rater_id is set for the named groups (self, manager) only.
    rater_id    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, round_id, reviewee_id, id),
    FOREIGN KEY (tenant_id, round_id, reviewee_id) REFERENCES ballast_multirater_reviewees (tenant_id, round_id, employee_id)
);
