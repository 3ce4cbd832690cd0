package storage_test

import (
	"testing"

	"github.com/casbin/casbin/v2"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestAccessStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunAccess(t, func(t *testing.T) (ballast.Transactor, access.Store) {
				db := dbtest.Open(t, backend)
				return db, db.Access()
			})
		})
	}
}

var _ access.Store = (*storage.AccessStore)(nil)

// A host may hand the adapter to a casbin.Enforcer of its own: the
// context-free methods work outside any transaction and stay per tenant.
func TestAccessStore_ServesAPlainCasbinEnforcer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a, b := ballast.NewID(), ballast.NewID()
		store := db.Access()
		for _, tenant := range []string{a, b} {
			if err := store.AddPolicies("p", "p", [][]string{{"role:hr", tenant, "employees:write", "allow"}}); err != nil {
				t.Fatal(err)
			}
			if err := store.AddPolicy("g", "g", []string{"hana", "role:hr", tenant}); err != nil {
				t.Fatal(err)
			}
		}
		m, err := access.NewModel()
		if err != nil {
			t.Fatal(err)
		}
		e, err := casbin.NewEnforcer(m, store)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := e.GetPolicy(); len(n) != 0 {
			t.Fatalf("creating the enforcer loaded %d rules; the adapter is filtered", len(n))
		}
		if err := e.LoadFilteredPolicy(access.Filter{Tenant: a}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			tenant string
			want   bool
		}{{a, true}, {b, false}} {
			if got, err := e.Enforce("hana", tc.tenant, "employees:write"); err != nil || got != tc.want {
				t.Errorf("Enforce(hana, %s) = %v, %v; want %v", tc.tenant, got, err, tc.want)
			}
		}
		// SavePolicy replaces tenant a's rules only.
		if _, err := e.RemoveGroupingPolicy("hana", "role:hr", a); err != nil {
			t.Fatal(err)
		}
		if err := store.SavePolicy(e.GetModel()); err != nil {
			t.Fatal(err)
		}
		for tenant, want := range map[string]int{a: 1, b: 2} {
			m, _ := access.NewModel()
			if err := store.LoadFilteredPolicy(m, access.Filter{Tenant: tenant}); err != nil {
				t.Fatal(err)
			}
			ps, _ := m.GetPolicy("p", "p")
			gs, _ := m.GetPolicy("g", "g")
			if len(ps)+len(gs) != want {
				t.Errorf("tenant %s after SavePolicy: %d rules, want %d", tenant, len(ps)+len(gs), want)
			}
		}
		if err := store.RemoveFilteredPolicy("p", "p", 0, "role:hr", b); err != nil {
			t.Fatal(err)
		}
		if err := store.RemovePolicy("g", "g", []string{"hana", "role:hr", b}); err != nil {
			t.Fatal(err)
		}
		m, _ = access.NewModel()
		if err := store.LoadPolicy(m); err != nil {
			t.Fatal(err)
		}
		ps, _ := m.GetPolicy("p", "p")
		gs, _ := m.GetPolicy("g", "g")
		if len(ps) != 1 || len(gs) != 0 || ps[0][1] != a {
			t.Errorf("whole policy at the end: p=%v g=%v", ps, gs)
		}
	})
}
