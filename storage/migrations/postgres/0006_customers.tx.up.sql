-- hr/customers: customer records are company assets. A customer belongs to
-- one owning employee; nothing is ever deleted (status 'archived' is the
-- soft delete). Contacts, deals and follow-ups are JSON documents read and
-- written with the record. Names sort in byte order (COLLATE "C") so that
-- listings page identically on every locale and on SQLite.
CREATE TABLE ballast_customers (
    tenant_id          TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id                 TEXT NOT NULL,
    name               TEXT COLLATE "C" NOT NULL,
    industry           TEXT NOT NULL DEFAULT '',
    region             TEXT NOT NULL DEFAULT '',
    tier               TEXT NOT NULL CHECK (tier IN ('key', 'standard')),
    annual_value_cents BIGINT NOT NULL DEFAULT 0 CHECK (annual_value_cents >= 0),
    currency           TEXT NOT NULL DEFAULT 'CNY',
    owner_id           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    needs              TEXT NOT NULL DEFAULT '',
    contacts           JSONB NOT NULL DEFAULT '[]',
    deals              JSONB NOT NULL DEFAULT '[]',
    -- search_text is the normalised text search looks in (customers.SearchText).
    search_text        TEXT NOT NULL DEFAULT '',
    follow_ups         JSONB NOT NULL DEFAULT '[]',
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    archived_at        TIMESTAMPTZ,
    version            BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
-- The owner-scoped page: WHERE owner_id = ? AND status = ? ORDER BY name, id.
CREATE INDEX ballast_customers_owner ON ballast_customers (tenant_id, owner_id, status, name, id);
--bun:split
-- The tenant-wide page (customers:read:all).
CREATE INDEX ballast_customers_name ON ballast_customers (tenant_id, name, id);
--bun:split
-- Search: the distinct character bigrams (and single characters) of each
-- customer's lower-cased search text (name, contact names, needs and
-- follow-up notes). Works for Chinese, where no tokenizer splits words.
CREATE TABLE ballast_customer_grams (
    tenant_id   TEXT NOT NULL,
    gram        TEXT COLLATE "C" NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, gram, customer_id)
);
--bun:split
CREATE INDEX ballast_customer_grams_customer ON ballast_customer_grams (tenant_id, customer_id);
--bun:split
-- Snapshots of a tenant's customers or of one owner's. day is set for
-- scheduled (daily) snapshots only: one per tenant, scope and day.
CREATE TABLE ballast_customer_snapshots (
    tenant_id  TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id         TEXT NOT NULL,
    scope      TEXT NOT NULL,          -- 'tenant' or 'owner:<employee id>'
    owner_id   TEXT NOT NULL DEFAULT '',
    day        TEXT,                   -- YYYY-MM-DD in the tenant's zone, scheduled only
    reason     TEXT NOT NULL DEFAULT '',
    taken_by   TEXT NOT NULL,
    taken_at   TIMESTAMPTZ NOT NULL,
    customers  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_customer_snapshots_day ON ballast_customer_snapshots (tenant_id, scope, day);
--bun:split
CREATE INDEX ballast_customer_snapshots_taken ON ballast_customer_snapshots (tenant_id, taken_at, id);
--bun:split
-- One row per customer per snapshot: the whole record as compact JSON.
CREATE TABLE ballast_customer_snapshot_items (
    tenant_id   TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, snapshot_id, customer_id),
    FOREIGN KEY (tenant_id, snapshot_id) REFERENCES ballast_customer_snapshots (tenant_id, id)
);
