package access_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// fixture is one enforcer over a fresh database with one seeded tenant.
type fixture struct {
	db     *storage.DB
	log    *audit.Log
	e      *access.Enforcer
	tenant string
}

func newFixture(t *testing.T, db *storage.DB) fixture {
	t.Helper()
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db})
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{db: db, log: log, e: newEnforcer(t, db, log), tenant: ballast.NewID()}
	if err := f.e.SeedTenant(context.Background(), f.tenant); err != nil {
		t.Fatal(err)
	}
	return f
}

func newEnforcer(t *testing.T, db *storage.DB, log *audit.Log) *access.Enforcer {
	t.Helper()
	e, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (f fixture) sys() context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: f.tenant, Subject: "test", Kind: ballast.KindSystem})
}

func (f fixture) as(subject string) context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: f.tenant, Subject: subject, Kind: ballast.KindUser})
}

func (f fixture) must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f fixture) entries(t *testing.T) []audit.Entry {
	t.Helper()
	es, err := f.log.Query(f.sys(), f.tenant, audit.Filter{Action: "access."})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func (f fixture) version(t *testing.T) int64 {
	t.Helper()
	vs, err := f.db.Access().PolicyVersions(context.Background(), []string{f.tenant})
	if err != nil {
		t.Fatal(err)
	}
	return vs[f.tenant]
}

func TestNew_NamesMissingConfig(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	for name, cfg := range map[string]access.Config{
		"store": {Tx: db, Audit: nopAudit{}},
		"tx":    {Store: db.Access(), Audit: nopAudit{}},
		"audit": {Store: db.Access(), Tx: db},
	} {
		if _, err := access.New(cfg); err == nil {
			t.Errorf("New without %s succeeded", name)
		}
	}
}

type nopAudit struct{}

func (nopAudit) Append(context.Context, audit.Record) (audit.Entry, error) { return audit.Entry{}, nil }

func TestAuthorize_FollowsPrincipalRolesAndKind(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.must(t, f.e.GrantRole(f.sys(), "hana", access.RoleHR, "hired as HR"))
		tests := []struct {
			name    string
			ctx     context.Context
			perm    string
			wantErr error
		}{
			{"no principal", context.Background(), "employees:read", ballast.ErrUnauthenticated},
			{"system is always allowed", f.sys(), "access:manage", nil},
			{"role permission", f.as("hana"), "employees:read:all", nil},
			{"inherited permission", f.as("hana"), "profile:write:self", nil},
			{"permission no role grants", f.as("hana"), "access:manage", ballast.ErrForbidden},
			{"subject without roles", f.as("nobody"), "employees:read", ballast.ErrForbidden},
			{"role posing as principal", f.as("role:tenant_admin"), "access:manage", ballast.ErrForbidden},
			{"malformed permission", f.as("hana"), "Employees read", ballast.ErrInvalid},
			{"other tenant", ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ballast.NewID(), Subject: "hana", Kind: ballast.KindUser}), "employees:read", ballast.ErrForbidden},
		}
		for _, tt := range tests {
			err := f.e.Authorize(tt.ctx, tt.perm)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("%s: Authorize(%s) = %v, want %v", tt.name, tt.perm, err, tt.wantErr)
			}
			ok, err := f.e.Allowed(tt.ctx, tt.perm)
			if wantOK := tt.wantErr == nil; ok != wantOK || (err != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("%s: Allowed(%s) = %v, %v", tt.name, tt.perm, ok, err)
			}
		}
		if !f.e.Check(f.tenant, "hana", "employees:write") || f.e.Check(f.tenant, "hana", "tenant:settings") {
			t.Error("Check disagrees with the hr role")
		}
		if f.e.Check(f.tenant, "role:hr", "employees:write") {
			t.Error("Check lets a role name pose as a subject")
		}
	})
}

func TestGrantRole_AppendsAuditWithActorAndReason(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.must(t, f.e.GrantRole(f.sys(), "admin", access.RoleTenantAdmin, "first admin"))
		f.must(t, f.e.GrantRole(f.as("admin"), "hana", access.RoleHR, "hired as HR"))
		f.must(t, f.e.GrantRole(f.as("admin"), "hana", access.RoleHR, "again")) // held: no change, no entry
		es := f.entries(t)
		if len(es) != 2 {
			t.Fatalf("%d audit entries, want 2: %+v", len(es), es)
		}
		var got audit.Entry
		for _, e := range es {
			if e.TargetID == "hana" {
				got = e
			}
		}
		want := audit.Entry{Actor: "admin", ActorKind: "user", Action: "access.role.grant", TargetType: "subject",
			TargetID: "hana", Reason: "hired as HR", Changes: []audit.Change{{Path: "rules", After: "hana has role hr"}}}
		if diff := cmp.Diff(want, audit.Entry{Actor: got.Actor, ActorKind: got.ActorKind, Action: got.Action,
			TargetType: got.TargetType, TargetID: got.TargetID, Reason: got.Reason, Changes: got.Changes}); diff != "" {
			t.Errorf("audit entry (-want +got):\n%s", diff)
		}
	})
}

func TestGrant_RolledBackNeverTakesEffect(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		for _, loaded := range []bool{true, false} {
			f := newFixture(t, db)
			e := newEnforcer(t, db, f.log) // a fresh instance: nothing loaded yet
			if loaded {
				f.must(t, e.LoadTenants(context.Background(), f.tenant))
			}
			boom := errors.New("boom")
			before := f.version(t)
			err := db.InTx(f.sys(), func(ctx context.Context) error {
				if err := e.GrantRole(ctx, "mallory", access.RoleTenantAdmin, "sneaky"); err != nil {
					return err
				}
				// Deciding inside the transaction must not cache the grant.
				if _, err := e.Allowed(ballast.WithPrincipal(ctx, ballast.Principal{Tenant: f.tenant, Subject: "mallory", Kind: ballast.KindUser}), "access:manage"); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx = %v, want boom", err)
			}
			if e.Check(f.tenant, "mallory", "access:manage") {
				t.Errorf("loaded=%v: rolled-back grant is in effect", loaded)
			}
			if err := e.Authorize(f.as("mallory"), "access:manage"); !errors.Is(err, ballast.ErrForbidden) {
				t.Errorf("loaded=%v: Authorize after rollback = %v, want ErrForbidden", loaded, err)
			}
			if got := f.version(t); got != before {
				t.Errorf("loaded=%v: version %d after rollback, want %d", loaded, got, before)
			}
			if es := f.entries(t); len(es) != 0 {
				t.Errorf("loaded=%v: audit entries after rollback: %+v", loaded, es)
			}
		}
	})
}

func TestGrant_InOuterTransactionTakesEffectOnlyAfterCommit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.must(t, f.e.LoadTenants(context.Background(), f.tenant))
		err := db.InTx(f.sys(), func(ctx context.Context) error {
			if err := f.e.GrantRole(ctx, "hana", access.RoleHR, "hired"); err != nil {
				return err
			}
			if f.e.Check(f.tenant, "hana", "employees:write") {
				t.Error("grant in effect before the outer transaction committed")
			}
			return nil
		})
		f.must(t, err)
		if !f.e.Check(f.tenant, "hana", "employees:write") {
			t.Error("grant not in effect after commit")
		}
	})
}

func TestDenyAndDisable_OverrideEveryGrant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.sys()
		f.must(t, f.e.GrantRole(ctx, "hana", access.RoleHR, ""))
		f.must(t, f.e.GrantPermission(ctx, "hana", "tenant:settings", "covering"))
		f.must(t, f.e.DenyPermission(ctx, "hana", "customers:export", "leaving soon"))
		check := func(perm string, want bool) {
			t.Helper()
			if got := f.e.Check(f.tenant, "hana", perm); got != want {
				t.Errorf("Check(%s) = %v, want %v", perm, got, want)
			}
		}
		check("tenant:settings", true)
		check("customers:export", false)
		check("customers:read:all", true)

		f.must(t, f.e.DisableAccount(ctx, "hana", "suspended"))
		for _, perm := range []string{"tenant:settings", "customers:read:all", "employees:read", "org:read"} {
			check(perm, false)
		}
		if perms, err := f.e.PermissionsOf(ctx, "hana"); err != nil || len(perms) != 0 {
			t.Errorf("PermissionsOf disabled = %v, %v; want none", perms, err)
		}
		// Disabling keeps the grants; enabling brings them back.
		f.must(t, f.e.EnableAccount(ctx, "hana", "back"))
		check("customers:read:all", true)
		check("customers:export", false)
		f.must(t, f.e.RevokePermission(ctx, "hana", "customers:export", "cleared"))
		check("customers:export", true)
		f.must(t, f.e.RevokeRole(ctx, "hana", access.RoleHR, "moved"))
		check("customers:read:all", false)
		check("tenant:settings", true)
	})
}

func TestManagement_RequiresAccessManage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.must(t, f.e.GrantRole(f.sys(), "hana", access.RoleHR, ""))
		before := f.version(t)
		ctx := f.as("hana") // hr does not manage access
		calls := map[string]func() error{
			"GrantRole":        func() error { return f.e.GrantRole(ctx, "hana", access.RoleTenantAdmin, "") },
			"RevokeRole":       func() error { return f.e.RevokeRole(ctx, "bob", access.RoleHR, "") },
			"GrantPermission":  func() error { return f.e.GrantPermission(ctx, "hana", "access:manage", "") },
			"DenyPermission":   func() error { return f.e.DenyPermission(ctx, "bob", "org:read", "") },
			"RevokePermission": func() error { return f.e.RevokePermission(ctx, "bob", "org:read", "") },
			"DisableAccount":   func() error { return f.e.DisableAccount(ctx, "bob", "") },
			"EnableAccount":    func() error { return f.e.EnableAccount(ctx, "bob", "") },
			"RevokeAll":        func() error { _, err := f.e.RevokeAll(ctx, "bob", ""); return err },
			"Restore":          func() error { return f.e.Restore(ctx, []access.Rule{{Subject: "hana", Role: "tenant_admin"}}, "") },
		}
		for name, call := range calls {
			if err := call(); !errors.Is(err, ballast.ErrForbidden) {
				t.Errorf("%s by hr = %v, want ErrForbidden", name, err)
			}
		}
		if got := f.version(t); got != before {
			t.Errorf("refused calls moved the version from %d to %d", before, got)
		}
		// HR runs offboarding cases, so it may read anyone's access; a plain
		// employee may not.
		if _, err := f.e.RolesOf(ctx, "bob"); err != nil {
			t.Errorf("RolesOf other by hr = %v", err)
		}
		if _, err := f.e.Explain(ctx, f.tenant, "bob", "org:read"); err != nil {
			t.Errorf("Explain other by hr = %v", err)
		}
		f.must(t, f.e.GrantRole(f.sys(), "emil", access.RoleEmployee, ""))
		if _, err := f.e.RolesOf(f.as("emil"), "bob"); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("RolesOf other by an employee = %v, want ErrForbidden", err)
		}
		if _, err := f.e.Explain(f.as("emil"), f.tenant, "bob", "org:read"); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("Explain other by an employee = %v, want ErrForbidden", err)
		}
		// Reading one's own access needs no permission.
		if roles, err := f.e.RolesOf(ctx, "hana"); err != nil || !cmp.Equal(roles, []string{"hr"}) {
			t.Errorf("RolesOf self = %v, %v", roles, err)
		}
		if _, err := f.e.RolesOf(context.Background(), "hana"); !errors.Is(err, ballast.ErrUnauthenticated) {
			t.Errorf("RolesOf without principal = %v", err)
		}
	})
}

func TestManagement_BadInputIsTypedAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.sys()
		before := f.version(t)
		long := string(make([]byte, 3000))
		tests := []struct {
			name string
			call func() error
			want error
		}{
			{"empty subject", func() error { return f.e.GrantRole(ctx, "", access.RoleHR, "") }, ballast.ErrInvalid},
			{"role as subject", func() error { return f.e.GrantRole(ctx, "role:hr", access.RoleHR, "") }, ballast.ErrInvalid},
			{"empty role", func() error { return f.e.GrantRole(ctx, "hana", "", "") }, ballast.ErrInvalid},
			{"unknown role", func() error { return f.e.GrantRole(ctx, "hana", "ceo", "") }, ballast.ErrNotFound},
			{"revoke unknown role", func() error { return f.e.RevokeRole(ctx, "hana", "ceo", "") }, ballast.ErrNotFound},
			{"malformed permission", func() error { return f.e.GrantPermission(ctx, "hana", "read", "") }, ballast.ErrInvalid},
			{"star permission", func() error { return f.e.DenyPermission(ctx, "hana", "*", "") }, ballast.ErrInvalid},
			{"upper-case permission", func() error { return f.e.GrantPermission(ctx, "hana", "Org:Read", "") }, ballast.ErrInvalid},
			{"long reason", func() error { return f.e.DisableAccount(ctx, "hana", long) }, ballast.ErrInvalid},
			{"restore bad rule", func() error {
				return f.e.Restore(ctx, []access.Rule{{Subject: "hana", Role: "hr"}, {Subject: "hana", Permission: "x", Effect: "maybe"}}, "")
			}, ballast.ErrInvalid},
			{"explain bad permission", func() error { _, err := f.e.Explain(ctx, f.tenant, "hana", ""); return err }, ballast.ErrInvalid},
			{"seed empty tenant", func() error { return f.e.SeedTenant(ctx, "") }, ballast.ErrInvalid},
		}
		for _, tt := range tests {
			if err := tt.call(); !errors.Is(err, tt.want) {
				t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			}
		}
		var ve *ballast.ValidationError
		if err := f.e.Restore(ctx, []access.Rule{{Subject: "", Permission: "x", Effect: "maybe"}}, ""); !errors.As(err, &ve) || len(ve.Fields) != 3 {
			t.Errorf("Restore lists every bad field: %v", err)
		}
		if got := f.version(t); got != before {
			t.Errorf("bad input moved the version from %d to %d", before, got)
		}
		if rules, _ := f.e.RulesOf(ctx, "hana"); len(rules) != 0 {
			t.Errorf("bad input left rules: %v", rules)
		}
	})
}

func TestRevokeAll_ReturnsExactlyWhatRestoreRegrants(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.sys()
		f.must(t, f.e.GrantRole(ctx, "lin", access.RoleDepartmentHead, ""))
		f.must(t, f.e.GrantRole(ctx, "lin", access.RoleEmployee, ""))
		f.must(t, f.e.GrantPermission(ctx, "lin", "customers:export", ""))
		f.must(t, f.e.DenyPermission(ctx, "lin", "assets:read", ""))
		f.must(t, f.e.GrantRole(ctx, "other", access.RoleHR, ""))
		before, err := f.e.RulesOf(ctx, "lin")
		f.must(t, err)
		permsBefore, err := f.e.PermissionsOf(ctx, "lin")
		f.must(t, err)

		gone, err := f.e.RevokeAll(ctx, "lin", "resigned")
		f.must(t, err)
		if diff := cmp.Diff(before, gone); diff != "" {
			t.Errorf("RevokeAll returned (-held +returned):\n%s", diff)
		}
		if perms, _ := f.e.PermissionsOf(ctx, "lin"); len(perms) != 0 {
			t.Errorf("after RevokeAll lin holds %v", perms)
		}
		if !f.e.Check(f.tenant, "other", "employees:write") {
			t.Error("RevokeAll touched another subject")
		}
		again, err := f.e.RevokeAll(ctx, "lin", "again")
		if err != nil || len(again) != 0 {
			t.Errorf("second RevokeAll = %v, %v; want nothing", again, err)
		}

		f.must(t, f.e.Restore(ctx, gone, "withdrew resignation"))
		after, err := f.e.RulesOf(ctx, "lin")
		f.must(t, err)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("rules after Restore (-before +after):\n%s", diff)
		}
		permsAfter, _ := f.e.PermissionsOf(ctx, "lin")
		if diff := cmp.Diff(permsBefore, permsAfter); diff != "" {
			t.Errorf("permissions after Restore (-before +after):\n%s", diff)
		}
		actions := map[string]int{}
		for _, e := range f.entries(t) {
			actions[e.Action]++
		}
		if actions["access.revoke_all"] != 1 || actions["access.restore"] != 1 {
			t.Errorf("audit actions %v", actions)
		}
	})
}

func TestRevokeAll_KeepsAccountDisabled(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.sys()
		f.must(t, f.e.GrantRole(ctx, "lin", access.RoleEmployee, ""))
		f.must(t, f.e.DisableAccount(ctx, "lin", "left"))
		gone, err := f.e.RevokeAll(ctx, "lin", "offboarded")
		f.must(t, err)
		if diff := cmp.Diff([]access.Rule{{Subject: "lin", Role: "employee"}}, gone); diff != "" {
			t.Errorf("removed (-want +got):\n%s", diff)
		}
		d, err := f.e.Explain(ctx, f.tenant, "lin", "org:read")
		f.must(t, err)
		if !d.Disabled || d.Allowed {
			t.Errorf("after RevokeAll: %+v, want still disabled", d)
		}
	})
}

func TestExplain_NamesTheRuleBehindTheDecision(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.sys()
		f.must(t, f.e.GrantRole(ctx, "hana", access.RoleHR, ""))
		f.must(t, f.e.DenyPermission(ctx, "hana", "customers:export", ""))
		f.must(t, f.e.GrantRole(ctx, "zoe", access.RoleTenantAdmin, ""))
		f.must(t, f.e.DisableAccount(ctx, "dan", ""))
		tests := []struct {
			subject, perm string
			want          access.Decision
		}{
			{"hana", "org:read", access.Decision{Allowed: true, Reason: "granted by role employee (inherited through hr)",
				Grants: []access.Match{{Via: []string{"hr", "employee"}, Permission: "org:read", Effect: access.Allow}}}},
			{"hana", "customers:export", access.Decision{Reason: "denied by a rule held directly; a deny rule overrides every grant",
				Grants:  []access.Match{{Via: []string{"hr"}, Permission: "customers:export", Effect: access.Allow}},
				Denials: []access.Match{{Permission: "customers:export", Effect: access.Deny}}}},
			{"zoe", "access:manage", access.Decision{Allowed: true, Reason: "granted by role tenant_admin, which covers every permission",
				Grants: []access.Match{{Via: []string{"tenant_admin"}, Permission: "*", Effect: access.Allow}}}},
			{"dan", "org:read", access.Decision{Disabled: true, Reason: "the account is disabled, which refuses every permission",
				Denials: []access.Match{{Permission: "*", Effect: access.Deny}}}},
			{"nobody", "org:read", access.Decision{Reason: "no role or rule grants org:read"}},
		}
		for _, tt := range tests {
			got, err := f.e.Explain(ctx, f.tenant, tt.subject, tt.perm)
			f.must(t, err)
			tt.want.Tenant, tt.want.Subject, tt.want.Permission, tt.want.At = f.tenant, tt.subject, tt.perm, got.At
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Explain(%s, %s) (-want +got):\n%s", tt.subject, tt.perm, diff)
			}
			if got.Allowed != f.e.Check(f.tenant, tt.subject, tt.perm) {
				t.Errorf("Explain(%s, %s) disagrees with Check", tt.subject, tt.perm)
			}
		}
		// A user may explain decisions about themselves, in their tenant only.
		if _, err := f.e.Explain(f.as("hana"), f.tenant, "hana", "org:read"); err != nil {
			t.Errorf("explain self: %v", err)
		}
		if _, err := f.e.Explain(f.as("hana"), ballast.NewID(), "hana", "org:read"); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("explain in another tenant: %v", err)
		}
	})
}

func TestTenants_AreIsolated(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := newFixture(t, db)
		b := a
		b.tenant = ballast.NewID()
		a.must(t, a.e.SeedTenant(context.Background(), b.tenant))
		a.must(t, a.e.GrantRole(a.sys(), "same-id", access.RoleTenantAdmin, ""))
		if b.e.Check(b.tenant, "same-id", "employees:read") {
			t.Error("a grant in tenant a is in effect in tenant b")
		}
		if err := b.e.Authorize(b.as("same-id"), "employees:read"); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("Authorize in tenant b = %v", err)
		}
		gone, err := b.e.RevokeAll(b.sys(), "same-id", "")
		if err != nil || len(gone) != 0 {
			t.Errorf("RevokeAll in tenant b = %v, %v", gone, err)
		}
		if !a.e.Check(a.tenant, "same-id", "employees:read") {
			t.Error("tenant b's RevokeAll removed tenant a's grant")
		}
	})
}

func TestSync_ReloadsTenantsChangedByAnotherInstance(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		other := newEnforcer(t, db, f.log)
		f.must(t, other.LoadTenants(context.Background(), f.tenant))
		if reloaded, err := other.Sync(context.Background()); err != nil || len(reloaded) != 0 {
			t.Fatalf("Sync with nothing changed = %v, %v", reloaded, err)
		}
		f.must(t, f.e.GrantRole(f.sys(), "hana", access.RoleHR, ""))
		if other.Check(f.tenant, "hana", "employees:write") {
			t.Fatal("the other instance saw the grant without syncing")
		}
		reloaded, err := other.Sync(context.Background())
		f.must(t, err)
		if diff := cmp.Diff([]string{f.tenant}, reloaded); diff != "" {
			t.Errorf("reloaded (-want +got):\n%s", diff)
		}
		if !other.Check(f.tenant, "hana", "employees:write") {
			t.Error("the other instance does not see the grant after Sync")
		}
	})
}

func TestSeedTenant_IsIdempotentAndDefinesTheRoles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.must(t, f.e.SeedTenant(context.Background(), f.tenant))
		m, err := access.NewModel()
		f.must(t, err)
		f.must(t, db.Access().LoadFilteredPolicyCtx(context.Background(), m, access.Filter{Tenant: f.tenant}))
		ps, _ := m.GetPolicy("p", "p")
		gs, _ := m.GetPolicy("g", "g")
		wantP, wantG := 0, 0
		for _, r := range access.Roles() {
			wantP += len(r.Permissions)
			wantG += len(r.Inherits)
		}
		if len(ps) != wantP || len(gs) != wantG {
			t.Errorf("after seeding twice: %d p and %d g rules, want %d and %d", len(ps), len(gs), wantP, wantG)
		}
		for _, r := range access.Roles() {
			for _, p := range r.Permissions {
				if p != access.AllPermissions && !access.ValidPermission(p) {
					t.Errorf("role %s has malformed permission %q", r.Name, p)
				}
			}
		}
	})
}

func TestConcurrentChanges_AllLandAndChecksStayConsistent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.must(t, f.e.LoadTenants(context.Background(), f.tenant))
		before := f.version(t)
		const n = 8
		stop := make(chan struct{})
		checked := make(chan int)
		go func() { // a reader deciding while policies reload
			count := 0
			for {
				select {
				case <-stop:
					checked <- count
					return
				default:
					f.e.Check(f.tenant, "user-0", "employees:read")
					count++
				}
			}
		}()
		errs := make(chan error, n)
		for i := range n {
			go func() {
				errs <- f.e.GrantRole(f.sys(), fmt.Sprintf("user-%d", i), access.RoleEmployee, "bulk")
			}()
		}
		for range n {
			f.must(t, <-errs)
		}
		close(stop)
		if <-checked == 0 {
			t.Error("the reader never ran")
		}
		for i := range n {
			if !f.e.Check(f.tenant, fmt.Sprintf("user-%d", i), "employees:read") {
				t.Errorf("user-%d's grant is not in effect", i)
			}
		}
		if got := f.version(t); got != before+n {
			t.Errorf("version %d, want %d", got, before+n)
		}
	})
}

func TestWatch_ReloadsChangesOfOtherInstances(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		other := newEnforcer(t, db, f.log)
		f.must(t, other.LoadTenants(context.Background(), f.tenant))
		// On PostgreSQL the poll interval is far longer than the test may
		// take, so only a notification can make the change arrive.
		every := time.Hour
		if db.Dialect() == storage.SQLite {
			every = 10 * time.Millisecond
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- other.Watch(ctx, every, func(err error) { t.Errorf("watch: %v", err) })
		}()
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Watch returned %v", err)
			}
		}()
		// Grant until the watcher listens (LISTEN starts asynchronously).
		deadline := time.Now().Add(10 * time.Second)
		for i := 0; !other.Check(f.tenant, "hana", "employees:write"); i++ {
			if time.Now().After(deadline) {
				t.Fatal("the other instance never saw the grant")
			}
			if i%20 == 0 {
				f.must(t, f.e.GrantRole(f.sys(), "hana", access.RoleHR, ""))
				f.must(t, f.e.DenyPermission(f.sys(), "nobody", fmt.Sprintf("x:y%d", i), ""))
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}
