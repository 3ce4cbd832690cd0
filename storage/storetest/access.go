package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/casbin/casbin/v2/model"
	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
)

// RunAccess checks an access.Store: Casbin rules round-trip, filtered loads
// per tenant and subject, removal, transactions, policy versions, and tenant
// isolation (tenant B never loads or removes tenant A's rules). open must
// return a fresh, empty, migrated backend on every call, with the
// transactor its store joins.
func RunAccess(t *testing.T, open func(t *testing.T) (ballast.Transactor, access.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, tx ballast.Transactor, s access.Store)
	}{
		{"AddThenLoadRoundTrips", accessRoundTrips},
		{"AddExistingRuleKeepsOne", accessAddExisting},
		{"FilteredLoadSelectsSubjects", accessFilterSubjects},
		{"RemoveDeletesExactRules", accessRemove},
		{"RollbackLeavesNoRules", accessRollback},
		{"VersionsBumpPerTenant", accessVersions},
		{"RejectsRulesWithoutTenant", accessRejectsNoTenant},
		{"TenantIsolation", accessTenantIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, s := open(t)
			tc.fn(t, tx, s)
		})
	}
}

// accessPolicy is what a filtered load gives, sorted for comparison.
type accessPolicy struct {
	P, G [][]string
}

func accessLoad(t *testing.T, s access.Store, ctx context.Context, f any) accessPolicy {
	t.Helper()
	m, err := access.NewModel()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LoadFilteredPolicyCtx(ctx, m, f); err != nil {
		t.Fatalf("LoadFilteredPolicyCtx(%+v): %v", f, err)
	}
	return accessPolicyOf(t, m)
}

func accessPolicyOf(t *testing.T, m model.Model) accessPolicy {
	t.Helper()
	var out accessPolicy
	for _, sec := range []string{"p", "g"} {
		rows, err := m.GetPolicy(sec, sec)
		if err != nil {
			t.Fatal(err)
		}
		rows = slices.Clone(rows)
		slices.SortFunc(rows, func(a, b []string) int { return strings.Compare(strings.Join(a, ","), strings.Join(b, ",")) })
		if sec == "p" {
			out.P = rows
		} else {
			out.G = rows
		}
	}
	return out
}

func accessAdd(t *testing.T, s access.Store, ctx context.Context, ptype string, rows ...[]string) {
	t.Helper()
	if err := s.AddPoliciesCtx(ctx, ptype, ptype, rows); err != nil {
		t.Fatalf("AddPoliciesCtx(%s, %v): %v", ptype, rows, err)
	}
}

func accessRoundTrips(t *testing.T, _ ballast.Transactor, s access.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	accessAdd(t, s, ctx, "p",
		[]string{"role:hr", tenant, "employees:read:all", "allow"},
		[]string{"alice", tenant, "customers:export", "deny"},
		[]string{"bob", tenant, "*", "deny"},
	)
	if err := s.AddPolicyCtx(ctx, "g", "g", []string{"alice", "role:hr", tenant}); err != nil {
		t.Fatal(err)
	}
	accessAdd(t, s, ctx, "g", []string{"role:hr", "role:employee", tenant})
	want := accessPolicy{
		P: [][]string{
			{"alice", tenant, "customers:export", "deny"},
			{"bob", tenant, "*", "deny"},
			{"role:hr", tenant, "employees:read:all", "allow"},
		},
		G: [][]string{
			{"alice", "role:hr", tenant},
			{"role:hr", "role:employee", tenant},
		},
	}
	if diff := cmp.Diff(want, accessLoad(t, s, ctx, access.Filter{Tenant: tenant})); diff != "" {
		t.Errorf("loaded policy (-want +got):\n%s", diff)
	}
	// The pointer form of the filter works too.
	if diff := cmp.Diff(want, accessLoad(t, s, ctx, &access.Filter{Tenant: tenant})); diff != "" {
		t.Errorf("loaded policy via *Filter (-want +got):\n%s", diff)
	}
	m, _ := access.NewModel()
	if err := s.LoadFilteredPolicyCtx(ctx, m, "tenant"); !errors.Is(err, ballast.ErrInvalid) {
		t.Errorf("load with a string filter = %v, want ErrInvalid", err)
	}
	if err := s.LoadFilteredPolicyCtx(ctx, m, access.Filter{}); !errors.Is(err, ballast.ErrInvalid) {
		t.Errorf("load without a tenant = %v, want ErrInvalid", err)
	}
}

func accessAddExisting(t *testing.T, _ ballast.Transactor, s access.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	rule := []string{"alice", tenant, "employees:read", "allow"}
	accessAdd(t, s, ctx, "p", rule)
	accessAdd(t, s, ctx, "p", rule, []string{"alice", tenant, "org:read", "allow"})
	got := accessLoad(t, s, ctx, access.Filter{Tenant: tenant})
	want := accessPolicy{P: [][]string{rule, {"alice", tenant, "org:read", "allow"}}, G: [][]string{}}
	if diff := cmp.Diff(want, got, cmpEmptyAsNil()); diff != "" {
		t.Errorf("after adding a rule twice (-want +got):\n%s", diff)
	}
}

func cmpEmptyAsNil() cmp.Option {
	return cmp.FilterValues(func(a, b [][]string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())
}

func accessFilterSubjects(t *testing.T, _ ballast.Transactor, s access.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	accessAdd(t, s, ctx, "p",
		[]string{"alice", tenant, "employees:read", "allow"},
		[]string{"bob", tenant, "employees:read", "allow"},
		[]string{"role:hr", tenant, "org:write", "allow"},
	)
	accessAdd(t, s, ctx, "g", []string{"alice", "role:hr", tenant}, []string{"carol", "role:hr", tenant})
	got := accessLoad(t, s, ctx, access.Filter{Tenant: tenant, Subjects: []string{"alice", "role:hr"}})
	want := accessPolicy{
		P: [][]string{{"alice", tenant, "employees:read", "allow"}, {"role:hr", tenant, "org:write", "allow"}},
		G: [][]string{{"alice", "role:hr", tenant}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("filtered by subjects (-want +got):\n%s", diff)
	}
}

func accessRemove(t *testing.T, _ ballast.Transactor, s access.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	accessAdd(t, s, ctx, "p",
		[]string{"alice", tenant, "employees:read", "allow"},
		[]string{"alice", tenant, "org:read", "allow"},
		[]string{"alice", tenant, "org:write", "deny"},
		[]string{"bob", tenant, "org:read", "allow"},
		[]string{"carol", tenant, "org:read", "allow"},
	)
	accessAdd(t, s, ctx, "g", []string{"alice", "role:hr", tenant}, []string{"bob", "role:hr", tenant})
	if err := s.RemovePolicyCtx(ctx, "p", "p", []string{"alice", tenant, "employees:read", "allow"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemovePoliciesCtx(ctx, "p", "p", [][]string{
		{"alice", tenant, "org:write", "deny"},
		{"alice", tenant, "org:write", "allow"}, // not stored: ignored
		{"bob", tenant, "org:read", "allow"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFilteredPolicyCtx(ctx, "g", "g", 0, "alice", "", tenant); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFilteredPolicyCtx(ctx, "p", "p", 0, "carol", tenant); err != nil {
		t.Fatal(err)
	}
	want := accessPolicy{
		P: [][]string{{"alice", tenant, "org:read", "allow"}},
		G: [][]string{{"bob", "role:hr", tenant}},
	}
	if diff := cmp.Diff(want, accessLoad(t, s, ctx, access.Filter{Tenant: tenant})); diff != "" {
		t.Errorf("after removals (-want +got):\n%s", diff)
	}
}

func accessRollback(t *testing.T, tx ballast.Transactor, s access.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	boom := errors.New("boom")
	err := tx.InTx(ctx, func(ctx context.Context) error {
		accessAdd(t, s, ctx, "p", []string{"alice", tenant, "employees:read", "allow"})
		if _, err := s.BumpPolicyVersion(ctx, tenant); err != nil {
			t.Fatal(err)
		}
		if got := accessLoad(t, s, ctx, access.Filter{Tenant: tenant}); len(got.P) != 1 {
			t.Errorf("inside the transaction: %d rules, want 1", len(got.P))
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	if got := accessLoad(t, s, ctx, access.Filter{Tenant: tenant}); len(got.P)+len(got.G) != 0 {
		t.Errorf("after rollback: %+v, want nothing", got)
	}
	vs, err := s.PolicyVersions(ctx, []string{tenant})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 0 {
		t.Errorf("after rollback: versions %v, want none", vs)
	}
}

func accessVersions(t *testing.T, tx ballast.Transactor, s access.Store) {
	ctx := context.Background()
	a, b, c := ballast.NewID(), ballast.NewID(), ballast.NewID()
	for i, tenant := range []string{a, a, b} {
		err := tx.InTx(ctx, func(ctx context.Context) error {
			_, err := s.BumpPolicyVersion(ctx, tenant)
			return err
		})
		if err != nil {
			t.Fatalf("bump #%d: %v", i, err)
		}
	}
	v, err := s.BumpPolicyVersion(ctx, a)
	if err != nil || v != 3 {
		t.Fatalf("third bump of a = %d, %v; want 3", v, err)
	}
	got, err := s.PolicyVersions(ctx, []string{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{a: 3, b: 1}, got); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
	if got, err := s.PolicyVersions(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("PolicyVersions(nil) = %v, %v", got, err)
	}
}

func accessRejectsNoTenant(t *testing.T, _ ballast.Transactor, s access.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		ptype string
		rule  []string
	}{
		{"p", []string{"alice"}},
		{"p", []string{"alice", "", "employees:read", "allow"}},
		{"g", []string{"alice", "role:hr"}},
		{"x", []string{"alice", "t", "u"}},
		{"p", []string{"a", "t", "c", "d", "e", "f", "g"}},
	} {
		if err := s.AddPoliciesCtx(ctx, tc.ptype, tc.ptype, [][]string{tc.rule}); !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("AddPoliciesCtx(%s, %v) = %v, want ErrInvalid", tc.ptype, tc.rule, err)
		}
	}
	// A filtered removal must name the tenant.
	if err := s.RemoveFilteredPolicyCtx(ctx, "p", "p", 0, "alice"); !errors.Is(err, ballast.ErrInvalid) {
		t.Errorf("RemoveFilteredPolicyCtx without tenant = %v, want ErrInvalid", err)
	}
	if err := s.RemoveFilteredPolicyCtx(ctx, "g", "g", 0, "alice", "role:hr", ""); !errors.Is(err, ballast.ErrInvalid) {
		t.Errorf("RemoveFilteredPolicyCtx with empty tenant = %v, want ErrInvalid", err)
	}
}

func accessTenantIsolation(t *testing.T, _ ballast.Transactor, s access.Store) {
	ctx := context.Background()
	a, b := ballast.NewID(), ballast.NewID()
	// The same subjects and rules in both tenants.
	for _, tenant := range []string{a, b} {
		accessAdd(t, s, ctx, "p",
			[]string{"alice", tenant, "employees:read", "allow"},
			[]string{"role:hr", tenant, "org:write", "allow"},
		)
		accessAdd(t, s, ctx, "g", []string{"alice", "role:hr", tenant})
	}
	wantA := accessLoad(t, s, ctx, access.Filter{Tenant: a})
	gotB := accessLoad(t, s, ctx, access.Filter{Tenant: b})
	for _, rows := range [][][]string{gotB.P, gotB.G} {
		for _, r := range rows {
			if slices.Contains(r, a) {
				t.Errorf("tenant b's load returned tenant a's rule %v", r)
			}
		}
	}
	if len(gotB.P) != 2 || len(gotB.G) != 1 {
		t.Errorf("tenant b's load = %+v", gotB)
	}
	// Removing everything of alice's through tenant b leaves tenant a alone.
	if err := s.RemoveFilteredPolicyCtx(ctx, "p", "p", 0, "alice", b); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFilteredPolicyCtx(ctx, "g", "g", 0, "alice", "", b); err != nil {
		t.Fatal(err)
	}
	if err := s.RemovePoliciesCtx(ctx, "p", "p", [][]string{{"role:hr", b, "org:write", "allow"}}); err != nil {
		t.Fatal(err)
	}
	if got := accessLoad(t, s, ctx, access.Filter{Tenant: b}); len(got.P)+len(got.G) != 0 {
		t.Errorf("tenant b after removals: %+v, want nothing", got)
	}
	if diff := cmp.Diff(wantA, accessLoad(t, s, ctx, access.Filter{Tenant: a})); diff != "" {
		t.Errorf("tenant a changed by tenant b's removals (-want +got):\n%s", diff)
	}
	// Bumping b's version leaves a's alone.
	if _, err := s.BumpPolicyVersion(ctx, b); err != nil {
		t.Fatal(err)
	}
	vs, err := s.PolicyVersions(ctx, []string{a})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 0 {
		t.Errorf("tenant a's version after bumping b: %v", vs)
	}
}
