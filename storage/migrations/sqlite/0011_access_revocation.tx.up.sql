-- access: staged revocation. A tenant's revocation plan (JSON of
-- access.RevocationPlan), versioned; absent means the built-in default.
CREATE TABLE ballast_access_revocation_plans (
    tenant_id  TEXT NOT NULL PRIMARY KEY,
    plan       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL
);
--bun:split
-- One row per stage applied to a leaver for an offboarding case: the
-- evidence RestoreCase undoes. effect is JSON {"removed":[rules],
-- "added":[rules],"disabled":bool}. The unique key makes applying a stage
-- idempotent across instances.
CREATE TABLE ballast_access_stage_applications (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    stage_key   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    effect      TEXT NOT NULL,
    applied_at  TIMESTAMP NOT NULL,
    applied_by  TEXT NOT NULL,
    restored_at TIMESTAMP,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_access_stage_applications_stage ON ballast_access_stage_applications (tenant_id, case_id, stage_key);
