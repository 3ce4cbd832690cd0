-- Access: Casbin policy rows of the access package, one domain per tenant.
-- ptype "p": v0 subject or role:<name>, v1 tenant, v2 permission, v3 allow|deny.
-- ptype "g": v0 subject or role:<name>, v1 role:<name>, v2 tenant.
-- tenant_id repeats the rule's domain so that every query is tenant-scoped.
CREATE TABLE ballast_access_rules (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    ptype      TEXT NOT NULL,
    v0         TEXT NOT NULL DEFAULT '',
    v1         TEXT NOT NULL DEFAULT '',
    v2         TEXT NOT NULL DEFAULT '',
    v3         TEXT NOT NULL DEFAULT '',
    v4         TEXT NOT NULL DEFAULT '',
    v5         TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (tenant_id, id)
);

--bun:split

CREATE UNIQUE INDEX ballast_access_rules_rule ON ballast_access_rules (tenant_id, ptype, v0, v1, v2, v3, v4, v5);

--bun:split

-- One row per tenant whose policy ever changed; version grows by one with
-- every change, in the change's transaction. Instances compare it to reload.
CREATE TABLE ballast_access_versions (
    tenant_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
);
