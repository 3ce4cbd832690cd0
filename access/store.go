package access

import (
	"context"
	"time"

	"github.com/casbin/casbin/v2/persist"
)

// Store is the persistence the Enforcer needs: a Casbin adapter over the
// tenant-partitioned rule table, and a per-tenant policy version that every
// change bumps in the same transaction (other instances compare it in Sync).
// storage.DB.Access() implements it; storage/storetest.RunAccess checks an
// implementation.
//
// Every method taking a context must run on the transaction that context
// carries, if any: rule writes are part of the calling use case.
type Store interface {
	// Adapter lets a casbin.Enforcer hold the store (SetAdapter); ballast
	// itself only calls the context variants below.
	persist.Adapter
	// LoadFilteredPolicyCtx loads the rules selected by a Filter (or
	// *Filter) into the model. Other filter types are an error.
	persist.ContextFilteredAdapter
	// AddPoliciesCtx and RemovePoliciesCtx write rule rows; the tenant of a
	// row is its domain field (field 1 of "p" rules, field 2 of "g" rules).
	// Adding a rule that exists already is not an error.
	persist.ContextBatchAdapter

	// PolicyVersions returns the current policy version of each tenant
	// named; a tenant whose policy never changed is absent (version 0).
	PolicyVersions(ctx context.Context, tenants []string) (map[string]int64, error)
	// BumpPolicyVersion increments the tenant's policy version and returns
	// the new value. On PostgreSQL it row-locks the version until commit,
	// which serialises the tenant's access changes.
	BumpPolicyVersion(ctx context.Context, tenant string) (int64, error)

	// RevocationStore keeps revocation plans and the evidence of applied
	// stages.
	RevocationStore
}

// Filter selects the rules of one tenant for Store.LoadFilteredPolicyCtx,
// optionally only those whose first field (the subject of "p" and "g"
// rules) is one of Subjects.
type Filter struct {
	// Tenant is required: a filtered load never crosses tenants.
	Tenant string
	// Subjects, when not empty, limits the load to rules about them.
	Subjects []string
}

// RevocationStore persists the tenant's revocation plan and one row of
// evidence per stage applied for an offboarding case. Every method runs on
// the transaction ctx carries, if any. storage/storetest.RunAccessRevocation
// checks an implementation.
type RevocationStore interface {
	// RevocationPlan returns the tenant's stored plan, or an error matching
	// ballast.ErrNotFound when it stored none.
	RevocationPlan(ctx context.Context, tenant string) (StoredPlan, error)
	// SaveRevocationPlan stores p.Plan as version p.Version: version 1
	// inserts (ErrConflict if a plan exists), a later version replaces
	// version p.Version-1 (ErrConflict if the stored version differs).
	SaveRevocationPlan(ctx context.Context, p StoredPlan) error
	// InsertStageApplication records one applied stage; a second record
	// for the same tenant, case and stage key is an error matching
	// ballast.ErrConflict.
	InsertStageApplication(ctx context.Context, a StageApplication) error
	// StageApplications returns the case's records in the order they were
	// applied (AppliedAt, then ID).
	StageApplications(ctx context.Context, tenant, caseID string) ([]StageApplication, error)
	// MarkStageApplicationsRestored sets RestoredAt on the case's records
	// not restored yet and returns how many it marked.
	MarkStageApplicationsRestored(ctx context.Context, tenant, caseID string, at time.Time) (int64, error)
}

// StoredPlan is a tenant's revocation plan as stored, with its version
// (1 for the first, growing by one with every change).
type StoredPlan struct {
	Tenant    string
	Plan      RevocationPlan
	Version   int64
	UpdatedAt time.Time
	UpdatedBy string
}

// StageApplication is the stored evidence of one stage applied to a
// subject for an offboarding case: exactly which rules it removed and
// added, and whether it disabled the account.
type StageApplication struct {
	Tenant   string
	ID       string // UUIDv7
	CaseID   string
	StageKey string
	Subject  string
	Removed  []Rule
	Added    []Rule
	Disabled bool
	// AppliedAt (UTC) and AppliedBy (the operator) say when and by whom.
	AppliedAt time.Time
	AppliedBy string
	// RestoredAt is zero until RestoreCase undoes the stage.
	RestoredAt time.Time
}
