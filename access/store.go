package access

import (
	"context"

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
