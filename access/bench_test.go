package access

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"github.com/ballast-hr/ballast"
)

// The shape of issue 2's performance target: 100 tenants, each with 1,000
// employees and 5 roles of 20 permissions (out of 40 the tenant uses);
// every employee holds one or two roles, one in fifty has a direct deny
// rule and one in a hundred is disabled.
const (
	benchTenants     = 100
	benchEmployees   = 1000
	benchRoles       = 5
	benchRolePerms   = 20
	benchTenantPerms = 40
)

type benchRequest struct {
	tenant, subject, perm string
	ctx                   context.Context // carries the subject as principal, for Allowed
}

type benchFixture struct {
	perTenant map[string]model.Model
	all       model.Model
	perms     []string
	requests  []benchRequest // uniform over tenants, employees, permissions
	hot       []benchRequest // 2,000 requests that the mixed load repeats
}

// uniform draws a request uniformly over tenants, employees and permissions.
func (f *benchFixture) uniform(rng *rand.Rand) benchRequest {
	tenant := fmt.Sprintf("tenant-%03d", rng.IntN(benchTenants))
	user := fmt.Sprintf("%s-user-%04d", tenant, rng.IntN(benchEmployees))
	ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: user, Kind: ballast.KindUser})
	return benchRequest{tenant, user, f.perms[rng.IntN(benchTenantPerms)], ctx}
}

// mixed returns a request stream of which 80% repeat the hot set (cache
// hits once seen) and 20% are fresh uniform draws out of 4 million
// possible requests (nearly all cache misses).
func (f *benchFixture) mixed(seed uint64) func(int) benchRequest {
	rng := rand.New(rand.NewPCG(seed, 3))
	return func(int) benchRequest {
		if rng.IntN(5) == 0 {
			return f.uniform(rng)
		}
		return f.hot[rng.IntN(len(f.hot))]
	}
}

func cycle(reqs []benchRequest) func(int) benchRequest {
	return func(i int) benchRequest { return reqs[i%len(reqs)] }
}

func newBenchFixture(tb testing.TB) *benchFixture {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2026, 11))
	f := &benchFixture{perTenant: map[string]model.Model{}}
	var err error
	if f.all, err = NewModel(); err != nil {
		tb.Fatal(err)
	}
	perms := make([]string, benchTenantPerms)
	f.perms = perms
	for i := range perms {
		perms[i] = fmt.Sprintf("res%d:act%d", i/4, i%4)
	}
	add := func(m model.Model, sec string, rule []string) {
		if err := m.AddPolicy(sec, sec, rule); err != nil {
			tb.Fatal(err)
		}
	}
	for t := range benchTenants {
		tenant := fmt.Sprintf("tenant-%03d", t)
		m, err := NewModel()
		if err != nil {
			tb.Fatal(err)
		}
		both := func(sec string, rule []string) { add(m, sec, rule); add(f.all, sec, rule) }
		for r := range benchRoles {
			for _, i := range rng.Perm(benchTenantPerms)[:benchRolePerms] {
				both("p", []string{fmt.Sprintf("role:r%d", r), tenant, perms[i], "allow"})
			}
		}
		for u := range benchEmployees {
			user := fmt.Sprintf("%s-user-%04d", tenant, u)
			first := rng.IntN(benchRoles)
			both("g", []string{user, fmt.Sprintf("role:r%d", first), tenant})
			if rng.IntN(4) == 0 {
				both("g", []string{user, fmt.Sprintf("role:r%d", (first+1)%benchRoles), tenant})
			}
			if rng.IntN(50) == 0 {
				both("p", []string{user, tenant, perms[rng.IntN(benchTenantPerms)], "deny"})
			}
			if rng.IntN(100) == 0 {
				both("p", []string{user, tenant, AllPermissions, "deny"})
			}
		}
		f.perTenant[tenant] = m
	}
	f.requests = make([]benchRequest, 1<<16)
	for i := range f.requests {
		f.requests[i] = f.uniform(rng)
	}
	f.hot = make([]benchRequest, 2000)
	for i := range f.hot {
		f.hot[i] = f.uniform(rng)
	}
	return f
}

// measure runs check b.N times for ns/op, then times samples calls one by
// one and reports their median and 99th percentile as p50-ns and p99-ns
// (time.Now overhead included).
func measure(b *testing.B, next func(int) benchRequest, samples int, check func(benchRequest) bool) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		check(next(i))
	}
	b.StopTimer()
	lat := make([]time.Duration, samples)
	for i := range lat {
		r := next(b.N + i)
		start := time.Now()
		check(r)
		lat[i] = time.Since(start)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkCheck compares four ways to decide one request in the issue's
// setting, in one run:
//
//	casbin-one-enforcer    one casbin.Enforcer holding all 100 tenants
//	casbin-per-tenant      one casbin.Enforcer per tenant
//	casbin-synced-cached   one casbin.SyncedCachedEnforcer per tenant, 80% repeated requests, 20% fresh
//	ballast-index          Enforcer.Check over the per-tenant compiled index
//	ballast-allowed        Enforcer.Allowed: principal from ctx, then the index
//
// Decisions of the index are checked against Casbin's before measuring.
func BenchmarkCheck(b *testing.B) {
	setup := time.Now()
	f := newBenchFixture(b)
	one, err := casbin.NewEnforcer(f.all)
	if err != nil {
		b.Fatal(err)
	}
	if err := one.BuildRoleLinks(); err != nil {
		b.Fatal(err)
	}
	perTenant := map[string]*casbin.Enforcer{}
	cached := map[string]*casbin.SyncedCachedEnforcer{}
	ours := &Enforcer{tenants: map[string]*snapshot{}}
	for tenant, m := range f.perTenant {
		if perTenant[tenant], err = casbin.NewEnforcer(m.Copy()); err != nil {
			b.Fatal(err)
		}
		if cached[tenant], err = casbin.NewSyncedCachedEnforcer(m.Copy()); err != nil {
			b.Fatal(err)
		}
		if err := perTenant[tenant].BuildRoleLinks(); err != nil {
			b.Fatal(err)
		}
		if err := cached[tenant].BuildRoleLinks(); err != nil {
			b.Fatal(err)
		}
		s, err := compile(tenant, 1, m)
		if err != nil {
			b.Fatal(err)
		}
		ours.install(s)
	}
	for _, r := range f.requests[:5000] {
		want, err := perTenant[r.tenant].Enforce(r.subject, r.tenant, r.perm)
		if err != nil {
			b.Fatal(err)
		}
		if got := ours.Check(r.tenant, r.subject, r.perm); got != want {
			b.Fatalf("Check(%s, %s, %s) = %v, casbin says %v", r.tenant, r.subject, r.perm, got, want)
		}
	}
	for _, r := range f.requests[:20] {
		want, _ := perTenant[r.tenant].Enforce(r.subject, r.tenant, r.perm)
		if got, _ := one.Enforce(r.subject, r.tenant, r.perm); got != want {
			b.Fatalf("all-tenant enforcer (%s, %s, %s) = %v, per-tenant says %v", r.tenant, r.subject, r.perm, got, want)
		}
	}
	b.Logf("setup %v", time.Since(setup).Round(time.Millisecond))

	b.Run("casbin-one-enforcer", func(b *testing.B) {
		measure(b, cycle(f.requests), 100, func(r benchRequest) bool {
			ok, _ := one.Enforce(r.subject, r.tenant, r.perm)
			return ok
		})
	})
	b.Run("casbin-per-tenant", func(b *testing.B) {
		measure(b, cycle(f.requests), 20000, func(r benchRequest) bool {
			ok, _ := perTenant[r.tenant].Enforce(r.subject, r.tenant, r.perm)
			return ok
		})
	})
	// One stream for every round, so that a later round does not replay
	// (and hit) the requests an earlier one cached.
	mixed := f.mixed(1)
	b.Run("casbin-synced-cached", func(b *testing.B) {
		measure(b, mixed, 20000, func(r benchRequest) bool {
			ok, _ := cached[r.tenant].Enforce(r.subject, r.tenant, r.perm)
			return ok
		})
	})
	b.Run("ballast-index", func(b *testing.B) {
		measure(b, cycle(f.requests), 100000, func(r benchRequest) bool {
			return ours.Check(r.tenant, r.subject, r.perm)
		})
	})
	// The whole Allowed path: principal from the context, permission
	// validation, then the index.
	b.Run("ballast-allowed", func(b *testing.B) {
		measure(b, cycle(f.requests), 100000, func(r benchRequest) bool {
			ok, _ := ours.Allowed(r.ctx, r.perm)
			return ok
		})
	})
}
