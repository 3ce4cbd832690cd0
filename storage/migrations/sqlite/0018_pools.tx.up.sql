-- talent pools: pools with their rule tree (JSON, versioned), members and
-- the membership history. Calendar days are YYYY-MM-DD text.
CREATE TABLE ballast_talent_pools (
    tenant_id    TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    rule         TEXT NOT NULL,
    rule_version INTEGER NOT NULL,
    archived     BOOLEAN NOT NULL DEFAULT FALSE,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE TABLE ballast_talent_pool_rules (
    tenant_id  TEXT NOT NULL,
    pool_id    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, pool_id, version),
    FOREIGN KEY (tenant_id, pool_id) REFERENCES ballast_talent_pools (tenant_id, id)
);
--bun:split
CREATE TABLE ballast_talent_pool_members (
    tenant_id    TEXT NOT NULL,
    pool_id      TEXT NOT NULL,
    employee_id  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active', 'left', 'promoted')),
    joined_on    TEXT NOT NULL,
    joined_by    TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    rule_version INTEGER NOT NULL,
    evidence     TEXT NOT NULL,
    ended_on     TEXT,
    end_reason   TEXT NOT NULL DEFAULT '',
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, pool_id, employee_id),
    FOREIGN KEY (tenant_id, pool_id) REFERENCES ballast_talent_pools (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_talent_pool_members_employee ON ballast_talent_pool_members (tenant_id, employee_id);
--bun:split
CREATE TABLE ballast_talent_pool_events (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    pool_id     TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('joined', 'left', 'promoted')),
    day         TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    by_id       TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pool_id, employee_id) REFERENCES ballast_talent_pool_members (tenant_id, pool_id, employee_id)
);
--bun:split
CREATE INDEX ballast_talent_pool_events_pool ON ballast_talent_pool_events (tenant_id, pool_id, at, id);
