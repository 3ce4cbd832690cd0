package access

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
)

// randomPolicy is a randomized multi-tenant policy: roles with inheritance
// (sometimes deeper than Casbin's hierarchy limit, sometimes cyclic), allow
// and deny rules on roles and subjects, "*" rules, disabled accounts, and
// subjects holding several roles.
type randomPolicy struct {
	tenants  []string
	subjects []string // users, roles and strangers, for requests
	perms    []string
	p, g     [][]string
}

func genPolicy(rng *rand.Rand) randomPolicy {
	rp := randomPolicy{perms: []string{"a:read", "a:write", "b:read", "b:read:all", "c:export", "d:manage", "z:unused"}}
	nt := 1 + rng.IntN(3)
	for t := range nt {
		rp.tenants = append(rp.tenants, fmt.Sprintf("t%d", t))
	}
	rule := func() (string, string) {
		perm := rp.perms[rng.IntN(len(rp.perms)-1)]
		if rng.IntN(20) == 0 {
			perm = AllPermissions
		}
		eft := string(Allow)
		if rng.IntN(6) == 0 {
			eft = string(Deny)
		}
		return perm, eft
	}
	seen := map[string]bool{}
	addSubject := func(s string) {
		if !seen[s] {
			seen[s] = true
			rp.subjects = append(rp.subjects, s)
		}
	}
	for _, tenant := range rp.tenants {
		nr := 1 + rng.IntN(8)
		if rng.IntN(8) == 0 {
			nr = 13 // a chain longer than Casbin's hierarchy limit
		}
		roles := make([]string, nr)
		for i := range roles {
			roles[i] = fmt.Sprintf("role:r%d", i)
			addSubject(roles[i])
		}
		for i, r := range roles {
			if nr == 13 && i+1 < nr {
				rp.g = append(rp.g, []string{r, roles[i+1], tenant})
			} else {
				for j := i + 1; j < nr; j++ {
					if rng.IntN(4) == 0 {
						rp.g = append(rp.g, []string{r, roles[j], tenant})
					}
				}
			}
			if rng.IntN(15) == 0 && i > 0 { // a cycle
				rp.g = append(rp.g, []string{r, roles[rng.IntN(i)], tenant})
			}
			for range rng.IntN(5) {
				perm, eft := rule()
				rp.p = append(rp.p, []string{r, tenant, perm, eft})
			}
		}
		nu := 1 + rng.IntN(10)
		for u := range nu {
			user := fmt.Sprintf("u%d", u)
			addSubject(user)
			for range rng.IntN(4) {
				rp.g = append(rp.g, []string{user, roles[rng.IntN(nr)], tenant})
			}
			if rng.IntN(4) == 0 {
				perm, eft := rule()
				rp.p = append(rp.p, []string{user, tenant, perm, eft})
			}
			if rng.IntN(8) == 0 {
				rp.p = append(rp.p, []string{user, tenant, AllPermissions, string(Deny)}) // disabled
			}
		}
	}
	addSubject("stranger")
	return rp
}

func (rp randomPolicy) model(t testing.TB, onlyTenant string) model.Model {
	t.Helper()
	m, err := NewModel()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rp.p {
		if onlyTenant == "" || r[1] == onlyTenant {
			if ok, _ := m.HasPolicy("p", "p", r); !ok {
				if err := m.AddPolicy("p", "p", r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, r := range rp.g {
		if onlyTenant == "" || r[2] == onlyTenant {
			if ok, _ := m.HasPolicy("g", "g", r); !ok {
				if err := m.AddPolicy("g", "g", r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return m
}

func casbinOver(t testing.TB, m model.Model) *casbin.Enforcer {
	t.Helper()
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.BuildRoleLinks(); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestCompile_DecidesExactlyLikeCasbin is the property test: over
// randomized policies and requests, the compiled index (built from the
// whole multi-tenant model and from each tenant's filtered model) decides
// exactly as Casbin's own Enforce on the whole model, and Explain agrees.
func TestCompile_DecidesExactlyLikeCasbin(t *testing.T) {
	t.Parallel()
	const policies, requests = 60, 400 // per seed
	for _, seed := range []uint64{1, 7, 42, 2026} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
			cases, allowed := 0, 0
			for range policies {
				rp := genPolicy(rng)
				ce := casbinOver(t, rp.model(t, ""))
				whole, filtered := map[string]*snapshot{}, map[string]*snapshot{}
				for _, tenant := range rp.tenants {
					var err error
					if whole[tenant], err = compile(tenant, 1, rp.model(t, "")); err != nil {
						t.Fatal(err)
					}
					if filtered[tenant], err = compile(tenant, 1, rp.model(t, tenant)); err != nil {
						t.Fatal(err)
					}
				}
				tenants := append(slices.Clone(rp.tenants), "unknown-tenant")
				perms := append(slices.Clone(rp.perms), AllPermissions)
				for range requests {
					tenant := tenants[rng.IntN(len(tenants))]
					sub := rp.subjects[rng.IntN(len(rp.subjects))]
					perm := perms[rng.IntN(len(perms))]
					want, err := ce.Enforce(sub, tenant, perm)
					if err != nil {
						t.Fatal(err)
					}
					for name, idx := range map[string]map[string]*snapshot{"whole": whole, "filtered": filtered} {
						got := idx[tenant] != nil && idx[tenant].decide(sub, perm)
						if got != want {
							t.Fatalf("%s index: (%s, %s, %s) = %v, casbin says %v\npolicy p=%v\ng=%v", name, sub, tenant, perm, got, want, rp.p, rp.g)
						}
					}
					if s := filtered[tenant]; s != nil && perm != AllPermissions {
						d := s.explain(sub, perm)
						switch {
						case d.Allowed != want:
							t.Fatalf("explain (%s, %s, %s).Allowed = %v, casbin says %v", sub, tenant, perm, d.Allowed, want)
						case want && (len(d.Grants) == 0 || len(d.Denials) > 0 || d.Disabled):
							t.Fatalf("explain of an allowed request: %+v", d)
						case !want && len(d.Grants) > 0 && len(d.Denials) == 0:
							t.Fatalf("explain of a denied request names grants but no denial: %+v", d)
						}
					}
					cases++
					if want {
						allowed++
					}
				}
			}
			// The generator must exercise both outcomes.
			if allowed < cases/20 || allowed > cases*19/20 {
				t.Errorf("%d of %d requests allowed: generator is lopsided", allowed, cases)
			}
		})
	}
}

func TestCompile_FollowsCasbinHierarchyLimit(t *testing.T) {
	t.Parallel()
	m, _ := NewModel()
	chain := 12
	for i := range chain {
		_ = m.AddPolicy("g", "g", []string{fmt.Sprintf("role:r%d", i), fmt.Sprintf("role:r%d", i+1), "t"})
	}
	_ = m.AddPolicy("g", "g", []string{"u", "role:r0", "t"})
	for i := 0; i <= chain; i++ {
		_ = m.AddPolicy("p", "p", []string{fmt.Sprintf("role:r%d", i), "t", fmt.Sprintf("p:r%d", i), "allow"})
	}
	s, err := compile("t", 0, m)
	if err != nil {
		t.Fatal(err)
	}
	ce := casbinOver(t, m)
	reached := 0
	for i := 0; i <= chain; i++ {
		perm := fmt.Sprintf("p:r%d", i)
		want, _ := ce.Enforce("u", "t", perm)
		if got := s.decide("u", perm); got != want {
			t.Errorf("decide(u, %s) = %v, casbin %v", perm, got, want)
		}
		if want {
			reached++
		}
	}
	if reached == 0 || reached == chain+1 {
		t.Errorf("casbin reached %d of %d roles: the test does not probe the limit", reached, chain+1)
	}
}
