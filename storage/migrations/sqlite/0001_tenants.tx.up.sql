-- Tenants: every other table carries tenant_id. The hr package owns this table.
CREATE TABLE ballast_tenants (
    tenant_id  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    time_zone  TEXT NOT NULL DEFAULT 'UTC',
    locale     TEXT NOT NULL DEFAULT 'en',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
