-- hr: departments, positions, employees and profiles. Names sort in byte
-- order (COLLATE "C") so that listings page identically on every server
-- locale and on SQLite, and the (name, id) indexes serve keyset pagination.
CREATE TABLE ballast_departments (
    tenant_id  TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id         TEXT NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    parent_id  TEXT,
    -- parent_key is parent_id or '' for a root, so that sibling names are
    -- unique at the roots too (NULLs never collide in a unique index).
    parent_key TEXT NOT NULL DEFAULT '',
    head_id    TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES ballast_departments (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_departments_sibling_name ON ballast_departments (tenant_id, parent_key, name);
--bun:split
CREATE INDEX ballast_departments_parent ON ballast_departments (tenant_id, parent_id);
--bun:split
CREATE TABLE ballast_positions (
    tenant_id     TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id            TEXT NOT NULL,
    title         TEXT COLLATE "C" NOT NULL,
    department_id TEXT NOT NULL,
    level         INTEGER NOT NULL DEFAULT 0,
    grade         TEXT NOT NULL DEFAULT '',
    critical      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES ballast_departments (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_positions_department ON ballast_positions (tenant_id, department_id, title);
--bun:split
CREATE TABLE ballast_employees (
    tenant_id        TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id               TEXT NOT NULL,
    number           TEXT COLLATE "C" NOT NULL,
    name             TEXT COLLATE "C" NOT NULL,
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    department_id    TEXT NOT NULL,
    position_id      TEXT,
    manager_id       TEXT,
    hire_date        TEXT NOT NULL, -- YYYY-MM-DD, a calendar day in the tenant's zone
    hire_channel     TEXT NOT NULL CHECK (hire_channel IN ('campus', 'experienced', 'referral', 'agency', 'internal_transfer')),
    referrer_id      TEXT,
    status           TEXT NOT NULL CHECK (status IN ('active', 'resigning', 'departed')),
    last_working_day TEXT,          -- YYYY-MM-DD
    key_person       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES ballast_departments (tenant_id, id),
    FOREIGN KEY (tenant_id, position_id) REFERENCES ballast_positions (tenant_id, id),
    -- Deferred: a bulk import may name a manager or referrer defined later.
    FOREIGN KEY (tenant_id, manager_id) REFERENCES ballast_employees (tenant_id, id) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, referrer_id) REFERENCES ballast_employees (tenant_id, id) DEFERRABLE INITIALLY DEFERRED
);
--bun:split
CREATE UNIQUE INDEX ballast_employees_number ON ballast_employees (tenant_id, number);
--bun:split
CREATE INDEX ballast_employees_department_name ON ballast_employees (tenant_id, department_id, name, id);
--bun:split
CREATE INDEX ballast_employees_name ON ballast_employees (tenant_id, name, id);
--bun:split
CREATE INDEX ballast_employees_manager ON ballast_employees (tenant_id, manager_id);
--bun:split
CREATE INDEX ballast_employees_referrer ON ballast_employees (tenant_id, referrer_id);
--bun:split
CREATE INDEX ballast_employees_position ON ballast_employees (tenant_id, position_id);
--bun:split
ALTER TABLE ballast_departments ADD FOREIGN KEY (tenant_id, head_id)
    REFERENCES ballast_employees (tenant_id, id) DEFERRABLE INITIALLY DEFERRED;
--bun:split
-- One row per employee whose profile was written; sections are JSON
-- documents (the profile is read and written whole).
CREATE TABLE ballast_employee_profiles (
    tenant_id      TEXT NOT NULL,
    employee_id    TEXT NOT NULL,
    performance    JSONB NOT NULL DEFAULT '[]',
    projects       JSONB NOT NULL DEFAULT '[]',
    certifications JSONB NOT NULL DEFAULT '[]',
    skills         JSONB NOT NULL DEFAULT '[]',
    management     JSONB NOT NULL DEFAULT '[]',
    career_plan    JSONB,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
