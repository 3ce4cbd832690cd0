-- The notification outbox (package notify). Messages are written in the use
-- case's transaction and delivered after commit by the dispatcher.
CREATE TABLE ballast_notify_messages (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT '',
    recipients      TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    data            TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until   TIMESTAMP,
    claim_token     TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    delivered_at    TIMESTAMP,
    PRIMARY KEY (tenant_id, id)
);

--bun:split

-- One message per idempotency key and tenant: enqueueing twice is a no-op.
CREATE UNIQUE INDEX ballast_notify_messages_idempotency
    ON ballast_notify_messages (tenant_id, idempotency_key);

--bun:split

-- Claiming: due pending messages, oldest first. Partial, so delivered and
-- dead history does not slow the dispatcher down.
CREATE INDEX ballast_notify_messages_due
    ON ballast_notify_messages (tenant_id, next_attempt_at)
    WHERE status = 'pending';

--bun:split

-- Listing for the UI: newest first within a tenant.
CREATE INDEX ballast_notify_messages_recent
    ON ballast_notify_messages (tenant_id, created_at DESC, id DESC);
