-- talent: succession planning. A readiness scale per tenant (JSON levels;
-- absent means the default scale), successors of critical positions with
-- their readiness history, and potential ratings for the 9-box.
CREATE TABLE ballast_succession_scales (
    tenant_id  TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    levels     TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT NOT NULL,
    PRIMARY KEY (tenant_id)
);
--bun:split
CREATE TABLE ballast_successors (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    position_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    readiness   TEXT NOT NULL,
    rank        INTEGER NOT NULL CHECK (rank >= 1),
    emergency   BOOLEAN NOT NULL DEFAULT FALSE,
    notes       TEXT NOT NULL DEFAULT '',
    plan_id     TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, position_id) REFERENCES ballast_positions (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
-- One entry per employee and position; the first column pair also serves
-- "successors of a position".
CREATE UNIQUE INDEX ballast_successors_position_employee ON ballast_successors (tenant_id, position_id, employee_id);
--bun:split
-- At most one emergency successor per position, even under concurrent
-- writers.
CREATE UNIQUE INDEX ballast_successors_emergency ON ballast_successors (tenant_id, position_id) WHERE emergency;
--bun:split
CREATE INDEX ballast_successors_employee ON ballast_successors (tenant_id, employee_id);
--bun:split
CREATE TABLE ballast_successor_readiness (
    tenant_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    successor_id TEXT NOT NULL,
    from_key     TEXT NOT NULL DEFAULT '',
    to_key       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    changed_by   TEXT NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, successor_id) REFERENCES ballast_successors (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_successor_readiness_successor ON ballast_successor_readiness (tenant_id, successor_id, changed_at);
--bun:split
CREATE TABLE ballast_succession_potential (
    tenant_id   TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    rating      TEXT NOT NULL CHECK (rating IN ('low', 'medium', 'high')),
    note        TEXT NOT NULL DEFAULT '',
    rated_by    TEXT NOT NULL,
    rated_at    TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
