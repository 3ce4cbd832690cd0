-- The audit log: one hash chain per tenant. Entries are written by the use
-- case's transaction, possibly unlinked (seq NULL), and linked by the
-- sequencer: seq, prev_hash and hash are set once and never change.
CREATE TABLE ballast_audit_entries (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    seq         INTEGER,
    at          TIMESTAMP NOT NULL,
    actor       TEXT NOT NULL,
    actor_kind  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL DEFAULT '[]',
    prev_hash   TEXT NOT NULL DEFAULT '',
    hash        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id)
);
--bun:split
-- The backstop against a forked chain: one entry per position.
CREATE UNIQUE INDEX ballast_audit_entries_seq ON ballast_audit_entries (tenant_id, seq);
--bun:split
-- Entries waiting for the sequencer, in the order it links them.
CREATE INDEX ballast_audit_entries_pending ON ballast_audit_entries (tenant_id, at, id) WHERE seq IS NULL;
--bun:split
CREATE INDEX ballast_audit_entries_target ON ballast_audit_entries (tenant_id, target_type, target_id, seq);
--bun:split
CREATE INDEX ballast_audit_entries_actor ON ballast_audit_entries (tenant_id, actor, seq);
--bun:split
CREATE INDEX ballast_audit_entries_action ON ballast_audit_entries (tenant_id, action, seq);
--bun:split
-- The head of each tenant's chain; its row lock serialises linking.
CREATE TABLE ballast_audit_heads (
    tenant_id TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL
);
