-- jobdesc: job-description templates and department versions, their
-- numbered revisions (every one kept; sections and editors are JSON text)
-- and inline comments anchored on sections.
CREATE TABLE ballast_jobdesc_documents (
    tenant_id       TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('template', 'department')),
    title           TEXT NOT NULL,
    position_id     TEXT NOT NULL DEFAULT '',
    department_id   TEXT NOT NULL DEFAULT '',
    source_id       TEXT NOT NULL DEFAULT '',
    source_revision INTEGER NOT NULL DEFAULT 0,
    owner_id        TEXT NOT NULL,
    approvers       TEXT NOT NULL,
    latest          INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'changes_requested', 'approved')),
    approved        INTEGER NOT NULL DEFAULT 0,
    published       INTEGER NOT NULL DEFAULT 0,
    published_at    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_jobdesc_documents_department ON ballast_jobdesc_documents (tenant_id, department_id, id);
--bun:split
CREATE INDEX ballast_jobdesc_documents_source ON ballast_jobdesc_documents (tenant_id, source_id, id);
--bun:split
CREATE INDEX ballast_jobdesc_documents_kind ON ballast_jobdesc_documents (tenant_id, kind, id);
--bun:split
CREATE INDEX ballast_jobdesc_documents_position ON ballast_jobdesc_documents (tenant_id, position_id, id);
--bun:split
CREATE TABLE ballast_jobdesc_revisions (
    tenant_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    number       INTEGER NOT NULL CHECK (number > 0),
    base         INTEGER NOT NULL DEFAULT 0,
    title        TEXT NOT NULL,
    position_id  TEXT NOT NULL DEFAULT '',
    sections     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'changes_requested', 'approved')),
    editors      TEXT NOT NULL,
    round        INTEGER NOT NULL DEFAULT 0,
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TIMESTAMP,
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMP,
    note         TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, document_id, number),
    FOREIGN KEY (tenant_id, document_id) REFERENCES ballast_jobdesc_documents (tenant_id, id)
);
--bun:split
CREATE TABLE ballast_jobdesc_comments (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    document_id TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    section_key TEXT NOT NULL,
    anchor      TEXT NOT NULL DEFAULT '',
    parent_id   TEXT NOT NULL DEFAULT '',
    author_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    resolved    BOOLEAN NOT NULL DEFAULT 0,
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, document_id, revision) REFERENCES ballast_jobdesc_revisions (tenant_id, document_id, number)
);
--bun:split
CREATE INDEX ballast_jobdesc_comments_document ON ballast_jobdesc_comments (tenant_id, document_id, created_at, id);
