-- The HR↔employee channel (package hr/channel): announcements, their
-- recipients with read receipts, question threads, and anonymous feedback.
CREATE TABLE ballast_channel_announcements (
    tenant_id      TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id             TEXT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    audience_kind  TEXT NOT NULL CHECK (audience_kind IN ('all', 'departments', 'employees')),
    audience       TEXT NOT NULL DEFAULT '{}', -- JSON: department_ids / employee_ids
    status         TEXT NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    author_id      TEXT NOT NULL,
    recipients     INTEGER NOT NULL DEFAULT 0,
    published_at   TIMESTAMP,
    withdrawn_at   TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_channel_announcements_created ON ballast_channel_announcements (tenant_id, created_at DESC, id DESC);
--bun:split
-- One row per recipient, resolved when the announcement is published.
CREATE TABLE ballast_channel_recipients (
    tenant_id       TEXT NOT NULL,
    announcement_id TEXT NOT NULL,
    employee_id     TEXT NOT NULL,
    read_at         TIMESTAMP,
    PRIMARY KEY (tenant_id, announcement_id, employee_id),
    FOREIGN KEY (tenant_id, announcement_id) REFERENCES ballast_channel_announcements (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_channel_recipients_employee ON ballast_channel_recipients (tenant_id, employee_id, announcement_id);
--bun:split
CREATE TABLE ballast_channel_questions (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    announcement_id TEXT NOT NULL,
    asker_id        TEXT NOT NULL,
    public          BOOLEAN NOT NULL DEFAULT 0,
    awaiting_hr     BOOLEAN NOT NULL DEFAULT 1,
    waiting_since   TIMESTAMP,
    answered_at     TIMESTAMP,
    last_message_at TIMESTAMP NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, announcement_id) REFERENCES ballast_channel_announcements (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_channel_questions_announcement ON ballast_channel_questions (tenant_id, announcement_id, created_at, id);
--bun:split
CREATE INDEX ballast_channel_questions_waiting ON ballast_channel_questions (tenant_id, waiting_since) WHERE waiting_since IS NOT NULL;
--bun:split
CREATE TABLE ballast_channel_messages (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    question_id TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    from_hr     BOOLEAN NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, question_id) REFERENCES ballast_channel_questions (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_channel_messages_question ON ballast_channel_messages (tenant_id, question_id, created_at, id);
--bun:split
-- Anonymous feedback. Nothing here names or dates the submitter: no
-- subject, no instant (day is a calendar day, YYYY-MM-DD, in the tenant's
-- zone), random (version 4) ids, and WITHOUT ROWID, so that no hidden
-- rowid records the order in which items of one day arrived.
CREATE TABLE ballast_channel_feedback (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    code_hash   TEXT NOT NULL, -- hex SHA-256 of the follow-up code
    category    TEXT NOT NULL CHECK (category IN ('general', 'management', 'workplace', 'compensation', 'integrity', 'other')),
    body        TEXT NOT NULL,
    day         TEXT NOT NULL CHECK (length(day) = 10),
    status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    tags        TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    assignee_id TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
--bun:split
CREATE UNIQUE INDEX ballast_channel_feedback_code ON ballast_channel_feedback (tenant_id, code_hash);
--bun:split
CREATE INDEX ballast_channel_feedback_day ON ballast_channel_feedback (tenant_id, day DESC, id DESC);
--bun:split
CREATE TABLE ballast_channel_feedback_messages (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    feedback_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    from_hr     BOOLEAN NOT NULL,
    author_id   TEXT NOT NULL DEFAULT '', -- the HR subject; always '' for the submitter
    body        TEXT NOT NULL,
    day         TEXT NOT NULL CHECK (length(day) = 10),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, feedback_id) REFERENCES ballast_channel_feedback (tenant_id, id)
) WITHOUT ROWID;
--bun:split
CREATE UNIQUE INDEX ballast_channel_feedback_messages_seq ON ballast_channel_feedback_messages (tenant_id, feedback_id, seq);
--bun:split
CREATE INDEX ballast_channel_feedback_messages_day ON ballast_channel_feedback_messages (tenant_id, day) WHERE from_hr = 0;
