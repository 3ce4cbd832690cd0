-- Demo users of the reference server. A host ERP brings its own
-- authentication; these tables exist only so the reference server can sign
-- people in. login is unique across tenants so the login form needs no
-- tenant picker.
CREATE TABLE ballast_server_users (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    login         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    subject       TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_server_users_login ON ballast_server_users (login);
--bun:split
CREATE UNIQUE INDEX ballast_server_users_subject ON ballast_server_users (tenant_id, subject);
--bun:split
-- Sessions (cookie) and API tokens (bearer). Only the SHA-256 of a token is
-- stored; the token itself names its tenant, so lookups stay tenant-scoped.
CREATE TABLE ballast_server_tokens (
    tenant_id  TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES ballast_server_users (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX ballast_server_tokens_user ON ballast_server_tokens (tenant_id, user_id);
