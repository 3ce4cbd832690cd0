// Package access decides who may do what in a tenant, and manages it:
// built-in roles, role grants, direct allow and deny rules, disabled
// accounts, bulk revocation for offboarding, and an explanation of any
// decision for the UI. Every change is written in the use case's
// transaction and appended to the audit log with its actor and reason.
//
// # Model
//
// Decisions follow a Casbin (v2) RBAC-with-domains model, one domain per
// tenant, where deny overrides allow (see ModelText). Permissions are
// strings "resource:action" or "resource:action:scope", for example
// "employees:read" or "customers:read:all". The built-in roles (Roles:
// tenant_admin, hr, department_head, employee) are installed per tenant by
// SeedTenant; hr and department_head inherit employee; tenant_admin holds
// every permission. A disabled account is refused everything in the tenant,
// whatever its roles and grants, until it is enabled again.
//
// Casbin decides capabilities ("may she read customers at all?"); the
// scope of a query ("which customers?") is applied by the stores, using
// permissions such as "customers:read:all".
//
// # Speed and consistency
//
// Each tenant's rules are loaded through the Store (a Casbin adapter on the
// same database) into a Casbin model of their own, and compiled into an
// index from each subject's role closure to the permissions it is allowed
// and denied, so a decision is a few map lookups (well under a microsecond)
// and identical to Casbin's own Enforce (a property test proves it on
// randomized policies). A change is written in the caller's transaction,
// bumps the tenant's policy version, and reloads the tenant only after the
// transaction commits: a rolled-back grant never takes effect. Several
// instances stay in step with Watch (LISTEN/NOTIFY on PostgreSQL, polling
// elsewhere) or by calling Sync periodically.
//
// # Staged revocation
//
// A leaver's access is withdrawn in stages described by a RevocationPlan,
// plain data each tenant may replace (SetTenantRevocationPlan; the default
// is DefaultRevocationPlan): each Stage has a Trigger (on resignation, N
// days before the last day, on completion) and says what it removes (deny
// rules, roles, everything, the account). Offboarding previews a stage
// (PreviewStage), applies it for a case (ApplyStage: in the caller's
// transaction, idempotent per case and stage key across instances, the
// exact rules removed and added kept as evidence), lists what was applied
// (AppliedStages) and can undo a whole case exactly (RestoreCase). Every
// stage applied or restored is audited against the subject, operator and
// reason included, so audit.Log.Export with Filter{TargetType: "subject",
// TargetID: subject} yields one employee's evidence bundle, which
// audit.VerifyBundle checks offline.
//
// # Use
//
//	enforcer, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: auditLog})
//	// when a tenant is created (in its transaction):
//	err = enforcer.SeedTenant(ctx, tenantID)
//	err = enforcer.GrantRole(systemCtx, firstAdmin, access.RoleTenantAdmin, "tenant created")
//	// in every service, before acting:
//	if err := enforcer.Authorize(ctx, "employees:write"); err != nil {
//		return err // matches ballast.ErrForbidden or ballast.ErrUnauthenticated
//	}
//	// in a multi-instance deployment, in a goroutine of the host's:
//	go enforcer.Watch(ctx, 5*time.Second, logError)
package access
