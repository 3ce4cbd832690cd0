-- hr/assets: the company-asset register and its issue/return history.
-- SQLite compares text in byte order, like the COLLATE "C" columns on
-- PostgreSQL.
CREATE TABLE ballast_assets (
    tenant_id   TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('laptop', 'phone', 'keys', 'business_cards', 'access_badge', 'other')),
    name        TEXT NOT NULL,
    model       TEXT NOT NULL DEFAULT '',
    -- tag is NULL when the asset has none (NULLs never collide in the
    -- unique index).
    tag         TEXT,
    holder_id   TEXT,
    issued_on   TEXT, -- YYYY-MM-DD, calendar days in the tenant's zone
    due_back    TEXT,
    returned_on TEXT,
    condition   TEXT NOT NULL CHECK (condition IN ('new', 'good', 'worn', 'damaged', 'missing')),
    notes       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('in_stock', 'issued', 'lost', 'retired')),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, holder_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_assets_tag ON ballast_assets (tenant_id, tag);
--bun:split
CREATE INDEX ballast_assets_name ON ballast_assets (tenant_id, name, id);
--bun:split
CREATE INDEX ballast_assets_holder ON ballast_assets (tenant_id, holder_id, name, id);
--bun:split
-- One row per hand-over of an asset to an employee.
CREATE TABLE ballast_asset_issuances (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    asset_id      TEXT NOT NULL,
    holder_id     TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    due_back      TEXT,
    returned_on   TEXT,
    condition_out TEXT NOT NULL,
    condition_in  TEXT,
    note          TEXT NOT NULL DEFAULT '',
    cost_note     TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, asset_id) REFERENCES ballast_assets (tenant_id, id),
    FOREIGN KEY (tenant_id, holder_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_asset_issuances_asset ON ballast_asset_issuances (tenant_id, asset_id, created_at);
--bun:split
CREATE INDEX ballast_asset_issuances_holder ON ballast_asset_issuances (tenant_id, holder_id);
