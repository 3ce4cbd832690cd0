package access_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// fieldsOf returns the field names of a *ballast.ValidationError, sorted.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var ve *ballast.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err %v is not a *ballast.ValidationError", err)
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

// leaver gives subject a typical seller's access: two roles, a direct
// allow, and a deny held before any revocation.
func (f fixture) leaver(t *testing.T, subject string) {
	t.Helper()
	ctx := f.sys()
	f.must(t, f.e.GrantRole(ctx, subject, access.RoleEmployee, "hired"))
	f.must(t, f.e.GrantRole(ctx, subject, access.RoleDepartmentHead, "heads sales"))
	f.must(t, f.e.GrantPermission(ctx, subject, "customers:export", "quarterly report"))
	f.must(t, f.e.DenyPermission(ctx, subject, "tenant:settings", "never"))
}

// rules returns subject's rules as stored (the tenant is reloaded first,
// so changes committed through another enforcer show).
func (f fixture) rules(t *testing.T, subject string) []access.Rule {
	t.Helper()
	f.must(t, f.e.LoadTenants(context.Background(), f.tenant))
	rs, err := f.e.RulesOf(f.sys(), subject)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRevocationPlan_ValidateListsEveryProblem(t *testing.T) {
	t.Parallel()
	def := access.DefaultRevocationPlan()
	for _, tc := range []struct {
		name string
		plan access.RevocationPlan
		want []string
	}{
		{"DefaultIsValid", def, nil},
		{"NoStages", access.RevocationPlan{}, []string{"stages"}},
		{"DuplicateAndEmptyKeys", access.RevocationPlan{Stages: []access.Stage{
			{Key: "a", Trigger: access.Trigger{Kind: access.TriggerOnResignation}, Disable: true},
			{Key: "a", Trigger: access.Trigger{Kind: access.TriggerOnCompletion}, RevokeAll: true},
			{Key: "", Trigger: access.Trigger{Kind: access.TriggerOnCompletion}, RevokeAll: true},
		}}, []string{"stages[1].key", "stages[2].key"}},
		{"BadTriggers", access.RevocationPlan{Stages: []access.Stage{
			{Key: "a", Trigger: access.Trigger{Kind: "someday"}, Disable: true},
			{Key: "b", Trigger: access.Trigger{Kind: access.TriggerBeforeLastDay, Days: -1}, Disable: true},
			{Key: "c", Trigger: access.Trigger{Kind: access.TriggerOnResignation, Days: 3}, Disable: true},
			{Key: "d", Disable: true},
		}}, []string{"stages[0].trigger.kind", "stages[1].trigger.days", "stages[2].trigger.days", "stages[3].trigger.kind"}},
		{"StageRemovingNothing", access.RevocationPlan{Stages: []access.Stage{
			{Key: "noop", Trigger: access.Trigger{Kind: access.TriggerOnResignation}},
		}}, []string{"stages[0]"}},
		{"BadPermissionsAndRoles", access.RevocationPlan{Stages: []access.Stage{
			{Key: "x", Trigger: access.Trigger{Kind: access.TriggerOnResignation},
				DenyPermissions: []string{"customers:export", "*", "Customers"}, RevokeRoles: []string{"hr", "owner"}},
		}}, []string{"stages[0].deny_permissions[1]", "stages[0].deny_permissions[2]", "stages[0].revoke_roles[1]"}},
		{"BadKeyCharacters", access.RevocationPlan{Stages: []access.Stage{
			{Key: "a b", Trigger: access.Trigger{Kind: access.TriggerOnCompletion}, Disable: true},
		}}, []string{"stages[0].key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.plan.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, ballast.ErrInvalid) {
				t.Fatalf("Validate: %v, want ErrInvalid", err)
			}
			if d := cmp.Diff(tc.want, fieldsOf(t, err)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
		})
	}
}

func TestTenantRevocationPlan_DefaultUntilSetThenVersionedAndAudited(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.sys()
		f.must(t, f.e.GrantRole(ctx, "admin", access.RoleTenantAdmin, "setup"))
		f.must(t, f.e.GrantRole(ctx, "hr1", access.RoleHR, "setup"))
		f.must(t, f.e.GrantRole(ctx, "emp", access.RoleEmployee, "setup"))

		got, err := f.e.TenantRevocationPlan(f.as("hr1"))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(access.DefaultRevocationPlan(), got); d != "" {
			t.Errorf("plan before any was set (-default +got):\n%s", d)
		}
		if _, err := f.e.TenantRevocationPlan(f.as("emp")); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("employee reads the plan: err %v, want ErrForbidden", err)
		}

		plan := access.DefaultRevocationPlan()
		plan.Stages[1].Trigger.Days = 14
		if err := f.e.SetTenantRevocationPlan(f.as("hr1"), plan, "hr only runs cases"); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("hr sets the plan: err %v, want ErrForbidden (needs access:manage)", err)
		}
		bad := access.RevocationPlan{Stages: []access.Stage{{Key: "x"}}}
		if err := f.e.SetTenantRevocationPlan(f.as("admin"), bad, strings.Repeat("r", 3000)); !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("bad plan: err %v, want ErrInvalid", err)
		} else if d := cmp.Diff([]string{"reason", "stages[0]", "stages[0].trigger.kind"}, fieldsOf(t, err)); d != "" {
			t.Errorf("bad plan fields (-want +got):\n%s", d)
		}
		f.must(t, f.e.SetTenantRevocationPlan(f.as("admin"), plan, "two weeks' notice for key accounts"))
		plan2 := plan
		plan2.Stages = plan.Stages[1:]
		f.must(t, f.e.SetTenantRevocationPlan(f.as("admin"), plan2, "no early stage"))

		got, err = f.e.TenantRevocationPlan(f.as("hr1"))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(plan2, got); d != "" {
			t.Errorf("stored plan (-set +got):\n%s", d)
		}
		sp, err := db.Access().RevocationPlan(context.Background(), f.tenant)
		if err != nil || sp.Version != 2 || sp.UpdatedBy != "admin" {
			t.Errorf("stored plan version %d by %q, %v; want 2 by admin", sp.Version, sp.UpdatedBy, err)
		}
		es := f.entries(t)
		var sets []audit.Entry
		for _, e := range es {
			if e.Action == "access.revocation_plan.set" {
				sets = append(sets, e)
			}
		}
		if len(sets) != 2 {
			t.Fatalf("%d plan audit entries, want 2", len(sets))
		}
		first := sets[len(sets)-1] // entries come newest first
		if first.Actor != "admin" || first.Reason != "two weeks' notice for key accounts" || first.TargetType != "revocation_plan" {
			t.Errorf("first plan entry: %+v", first)
		}
		if d := cmp.Diff([]audit.Change{{Path: "Stages[1].Trigger.Days", Before: "7", After: "14"}}, first.Changes); d != "" {
			t.Errorf("first plan diff (-want +got):\n%s", d)
		}
	})
}

func TestPreviewStage_ShowsTheEffectAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.leaver(t, "wangli")
		f.must(t, f.e.GrantRole(f.sys(), "hr1", access.RoleHR, "setup"))
		f.must(t, f.e.GrantRole(f.sys(), "emp", access.RoleEmployee, "setup"))
		version, before := f.version(t), f.rules(t, "wangli")
		plan := access.DefaultRevocationPlan()

		want := map[string]access.StageEffect{
			"export": {StageKey: "export", Subject: "wangli", Added: []access.Rule{
				{Subject: "wangli", Permission: "access:manage", Effect: access.Deny},
				{Subject: "wangli", Permission: "customers:export", Effect: access.Deny},
				{Subject: "wangli", Permission: "employees:export", Effect: access.Deny},
				// tenant:settings is denied already: not added.
			}},
			"key-accounts": {StageKey: "key-accounts", Subject: "wangli", Added: []access.Rule{
				{Subject: "wangli", Permission: "customers:read:all", Effect: access.Deny},
				{Subject: "wangli", Permission: "customers:read:department", Effect: access.Deny},
				{Subject: "wangli", Permission: "customers:read:key", Effect: access.Deny},
			}},
			"final": {StageKey: "final", Subject: "wangli", Disabled: true, Removed: []access.Rule{
				{Subject: "wangli", Permission: "customers:export", Effect: access.Allow},
				{Subject: "wangli", Role: access.RoleDepartmentHead},
				{Subject: "wangli", Role: access.RoleEmployee},
				// the deny on tenant:settings stays.
			}},
		}
		for _, st := range plan.Stages {
			got, err := f.e.PreviewStage(f.as("hr1"), "wangli", st)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want[st.Key], got); d != "" {
				t.Errorf("preview of %s (-want +got):\n%s", st.Key, d)
			}
		}
		if _, err := f.e.PreviewStage(f.as("emp"), "wangli", plan.Stages[0]); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("employee previews: err %v, want ErrForbidden", err)
		}
		if _, err := f.e.PreviewStage(f.as("hr1"), "", access.Stage{Key: "x"}); !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("bad preview: err %v, want ErrInvalid", err)
		} else if d := cmp.Diff([]string{"stage", "stage.trigger.kind", "subject"}, fieldsOf(t, err)); d != "" {
			t.Errorf("bad preview fields (-want +got):\n%s", d)
		}
		if v := f.version(t); v != version {
			t.Errorf("policy version %d after previews, want %d", v, version)
		}
		if d := cmp.Diff(before, f.rules(t, "wangli")); d != "" {
			t.Errorf("rules changed by previews:\n%s", d)
		}
	})
}

func TestApplyStage_RemovesOnceStoresEvidenceAndAudits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.leaver(t, "wangli")
		f.must(t, f.e.GrantRole(f.sys(), "hr1", access.RoleHR, "setup"))
		f.must(t, f.e.GrantRole(f.sys(), "emp", access.RoleEmployee, "setup"))
		caseID := ballast.NewID()
		stage := access.DefaultRevocationPlan().Stages[0]

		if _, err := f.e.ApplyStage(f.as("emp"), caseID, "wangli", stage, "x"); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("employee applies: err %v, want ErrForbidden", err)
		}
		if _, err := f.e.ApplyStage(f.as("hr1"), "", "", access.Stage{}, "x"); !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("bad apply: err %v, want ErrInvalid", err)
		} else if d := cmp.Diff([]string{"case_id", "stage", "stage.key", "stage.trigger.kind", "subject"}, fieldsOf(t, err)); d != "" {
			t.Errorf("bad apply fields (-want +got):\n%s", d)
		}

		eff, err := f.e.ApplyStage(f.as("hr1"), caseID, "wangli", stage, "resigned on 11-20")
		if err != nil {
			t.Fatal(err)
		}
		if eff.AlreadyApplied || eff.AppliedBy != "hr1" || eff.CaseID != caseID || eff.AppliedAt.IsZero() || len(eff.Added) != 3 {
			t.Errorf("first apply: %+v", eff)
		}
		for _, perm := range []string{"customers:export", "employees:export", "access:manage"} {
			if f.e.Check(f.tenant, "wangli", perm) {
				t.Errorf("wangli still holds %s after the stage", perm)
			}
		}
		if !f.e.Check(f.tenant, "wangli", "customers:read:all") && f.e.Check(f.tenant, "wangli", "customers:read") == false {
			t.Errorf("the export stage took more than exports")
		}
		version := f.version(t)

		again, err := f.e.ApplyStage(f.as("hr1"), caseID, "wangli", stage, "retry")
		if err != nil {
			t.Fatal(err)
		}
		want := eff
		want.AlreadyApplied = true
		if d := cmp.Diff(want, again); d != "" {
			t.Errorf("second apply (-want +got):\n%s", d)
		}
		if v := f.version(t); v != version {
			t.Errorf("second apply bumped the policy version %d → %d", version, v)
		}
		if _, err := f.e.ApplyStage(f.as("hr1"), caseID, "zhaomin", access.DefaultRevocationPlan().Stages[1], "x"); !errors.Is(err, ballast.ErrConflict) {
			t.Errorf("the case's next stage for another subject: err %v, want ErrConflict", err)
		}

		applied, err := f.e.AppliedStages(f.as("hr1"), caseID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]access.StageEffect{eff}, applied); d != "" {
			t.Errorf("applied stages (-want +got):\n%s", d)
		}

		var applies []audit.Entry
		for _, e := range f.entries(t) {
			if e.Action == "access.stage.apply" {
				applies = append(applies, e)
			}
		}
		if len(applies) != 1 {
			t.Fatalf("%d apply entries, want 1", len(applies))
		}
		wantEntry := []audit.Change{
			{Path: "case_id", After: caseID}, {Path: "stage_key", After: "export"},
			{Path: "rules", After: "wangli deny access:manage"},
			{Path: "rules", After: "wangli deny customers:export"},
			{Path: "rules", After: "wangli deny employees:export"},
		}
		e := applies[0]
		if e.Actor != "hr1" || e.Reason != "resigned on 11-20" || e.TargetType != "subject" || e.TargetID != "wangli" {
			t.Errorf("apply entry: %+v", e)
		}
		if d := cmp.Diff(wantEntry, e.Changes); d != "" {
			t.Errorf("apply entry changes (-want +got):\n%s", d)
		}
	})
}

func TestApplyStage_SystemPrincipalIsRecordedWithTheCase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.leaver(t, "wangli")
		caseID := ballast.NewID()
		eff, err := f.e.ApplyStage(f.sys(), caseID, "wangli", access.DefaultRevocationPlan().Stages[2], "case completed")
		if err != nil {
			t.Fatal(err)
		}
		if eff.AppliedBy != "system:offboarding:"+caseID {
			t.Errorf("applied by %q", eff.AppliedBy)
		}
		if !f.e.Check(f.tenant, "wangli", "org:read") == false || f.e.Check(f.tenant, "wangli", "org:read") {
			t.Errorf("wangli still reads org after the final stage")
		}
		es, err := f.log.Query(f.sys(), f.tenant, audit.Filter{Action: "access.stage.apply"})
		if err != nil || len(es) != 1 {
			t.Fatalf("%d entries, %v", len(es), err)
		}
		if es[0].Actor != "system:offboarding:"+caseID || es[0].ActorKind != "system" || !strings.Contains(es[0].Reason, caseID) {
			t.Errorf("system apply entry: actor %q kind %q reason %q", es[0].Actor, es[0].ActorKind, es[0].Reason)
		}
	})
}

func TestApplyStage_RolledBackWithTheCallerLeavesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.leaver(t, "wangli")
		before := f.rules(t, "wangli")
		caseID := ballast.NewID()
		boom := errors.New("handover failed")
		err := db.InTx(f.sys(), func(ctx context.Context) error {
			if _, err := f.e.ApplyStage(ctx, caseID, "wangli", access.DefaultRevocationPlan().Stages[2], "done"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx: %v", err)
		}
		if d := cmp.Diff(before, f.rules(t, "wangli")); d != "" {
			t.Errorf("rules after rollback:\n%s", d)
		}
		if applied, err := f.e.AppliedStages(f.sys(), caseID); err != nil || len(applied) != 0 {
			t.Errorf("evidence after rollback: %v, %v", applied, err)
		}
		// Committed with its caller, it takes effect after commit.
		err = db.InTx(f.sys(), func(ctx context.Context) error {
			_, err := f.e.ApplyStage(ctx, caseID, "wangli", access.DefaultRevocationPlan().Stages[2], "done")
			return err
		})
		f.must(t, err)
		if f.e.Check(f.tenant, "wangli", "org:read") {
			t.Errorf("committed final stage did not take effect")
		}
	})
}

func TestRestoreCase_UndoesEveryStageExactly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.leaver(t, "wangli")
		f.must(t, f.e.GrantRole(f.sys(), "hr1", access.RoleHR, "setup"))
		// A pre-disabled colleague: restoring her case must not enable her.
		f.must(t, f.e.GrantRole(f.sys(), "zhaomin", access.RoleEmployee, "hired"))
		f.must(t, f.e.DisableAccount(f.sys(), "zhaomin", "on leave"))

		before, zBefore := f.rules(t, "wangli"), f.rules(t, "zhaomin")
		caseID, zCase := ballast.NewID(), ballast.NewID()
		var applied []access.StageEffect
		for _, st := range access.DefaultRevocationPlan().Stages {
			eff, err := f.e.ApplyStage(f.as("hr1"), caseID, "wangli", st, "leaving")
			if err != nil {
				t.Fatal(err)
			}
			applied = append(applied, eff)
			_, err = f.e.ApplyStage(f.sys(), zCase, "zhaomin", st, "leaving")
			f.must(t, err)
		}
		wantAfter := []access.Rule{
			{Subject: "wangli", Permission: "*", Effect: access.Deny},
			{Subject: "wangli", Permission: "access:manage", Effect: access.Deny},
			{Subject: "wangli", Permission: "customers:export", Effect: access.Deny},
			{Subject: "wangli", Permission: "customers:read:all", Effect: access.Deny},
			{Subject: "wangli", Permission: "customers:read:department", Effect: access.Deny},
			{Subject: "wangli", Permission: "customers:read:key", Effect: access.Deny},
			{Subject: "wangli", Permission: "employees:export", Effect: access.Deny},
			{Subject: "wangli", Permission: "tenant:settings", Effect: access.Deny},
		}
		got := f.rules(t, "wangli")
		slices.SortFunc(got, func(a, b access.Rule) int { return strings.Compare(a.Permission, b.Permission) })
		if d := cmp.Diff(wantAfter, got); d != "" {
			t.Errorf("rules after every stage (-want +got):\n%s", d)
		}

		restored, err := f.e.RestoreCase(f.as("hr1"), caseID, "resignation withdrawn")
		if err != nil {
			t.Fatal(err)
		}
		if len(restored) != 3 {
			t.Fatalf("restored %d stages, want 3", len(restored))
		}
		for i, eff := range restored {
			want := applied[i]
			want.RestoredAt = eff.RestoredAt
			if eff.RestoredAt.IsZero() {
				t.Errorf("stage %s restored without a time", eff.StageKey)
			}
			if d := cmp.Diff(want, eff); d != "" {
				t.Errorf("restored %s (-applied +restored):\n%s", want.StageKey, d)
			}
		}
		if d := cmp.Diff(before, f.rules(t, "wangli")); d != "" {
			t.Errorf("policy after RestoreCase differs from before the case (-before +after):\n%s", d)
		}
		if _, err := f.e.RestoreCase(f.sys(), zCase, "back from leave"); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(zBefore, f.rules(t, "zhaomin")); d != "" {
			t.Errorf("pre-disabled account after restore (-before +after):\n%s", d)
		}

		if again, err := f.e.RestoreCase(f.as("hr1"), caseID, "twice"); err != nil || len(again) != 0 {
			t.Errorf("second restore: %v, %v; want nothing", again, err)
		}
		if _, err := f.e.ApplyStage(f.as("hr1"), caseID, "wangli", access.DefaultRevocationPlan().Stages[0], "again"); !errors.Is(err, ballast.ErrConflict) {
			t.Errorf("apply after restore: err %v, want ErrConflict", err)
		}
		stages, err := f.e.AppliedStages(f.as("hr1"), caseID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stages {
			if s.RestoredAt.IsZero() {
				t.Errorf("stage %s not marked restored", s.StageKey)
			}
		}
		es, err := f.log.Query(f.sys(), f.tenant, audit.Filter{Action: "access.stage.restore", TargetType: "subject", TargetID: "wangli"})
		if err != nil || len(es) != 3 {
			t.Fatalf("%d restore entries, %v; want 3", len(es), err)
		}
		// Newest first: the first stage was restored last.
		if d := cmp.Diff([]audit.Change{
			{Path: "case_id", After: caseID}, {Path: "stage_key", After: "export"},
			{Path: "rules", Before: "wangli deny access:manage"},
			{Path: "rules", Before: "wangli deny customers:export"},
			{Path: "rules", Before: "wangli deny employees:export"},
		}, es[0].Changes); d != "" {
			t.Errorf("restore entry of the export stage (-want +got):\n%s", d)
		}
		if es[0].Actor != "hr1" || es[0].Reason != "resignation withdrawn" {
			t.Errorf("restore entry actor %q reason %q", es[0].Actor, es[0].Reason)
		}
	})
}

// Two instances apply the same stage of the same case at once on
// PostgreSQL: one applies it, the other gets AlreadyApplied, and nothing is
// removed or audited twice.
func TestApplyStage_ConcurrentInstancesApplyOnce(t *testing.T) {
	t.Parallel()
	if !slices.Contains(dbtest.Backends(), "postgres") {
		t.Skip("needs " + dbtest.EnvPostgres)
	}
	db := dbtest.Open(t, "postgres")
	f := newFixture(t, db)
	f.leaver(t, "wangli")
	other := newEnforcer(t, db, f.log)
	for round := range 5 {
		caseID := ballast.NewID()
		st := access.DefaultRevocationPlan().Stages[round%3]
		results := make([]access.StageEffect, 2)
		errs := make([]error, 2)
		start := make(chan struct{})
		done := make(chan int)
		for i, e := range []*access.Enforcer{f.e, other} {
			go func() {
				<-start
				results[i], errs[i] = e.ApplyStage(f.sys(), caseID, "wangli", st, "race")
				done <- i
			}()
		}
		close(start)
		<-done
		<-done
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if results[0].AlreadyApplied == results[1].AlreadyApplied {
			t.Fatalf("round %d: AlreadyApplied %v and %v; want exactly one", round, results[0].AlreadyApplied, results[1].AlreadyApplied)
		}
		a, b := results[0], results[1]
		a.AlreadyApplied, b.AlreadyApplied = false, false
		if d := cmp.Diff(a, b); d != "" {
			t.Errorf("round %d: the two answers differ:\n%s", round, d)
		}
		es, err := f.log.Query(f.sys(), f.tenant, audit.Filter{Action: "access.stage.apply"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range es {
			if e.Changes[0].After == caseID {
				n++
			}
		}
		if n != 1 {
			t.Errorf("round %d: %d apply entries for the case, want 1", round, n)
		}
		held := f.rules(t, "wangli")
		for _, r := range a.Added {
			if !slices.Contains(held, r) {
				t.Errorf("round %d: added rule %s missing", round, r)
			}
		}
		for _, r := range a.Removed {
			if slices.Contains(held, r) {
				t.Errorf("round %d: removed rule %s still held", round, r)
			}
		}
		// Undo, so the next round starts from the same policy.
		_, err = f.e.RestoreCase(f.sys(), caseID, "next round")
		f.must(t, err)
	}
}

// racingStore hides the case's applications from the first read, as if
// another instance had not committed yet when this one looked: the insert
// then hits the unique evidence row.
type racingStore struct {
	access.Store
	hidden bool
}

func (s *racingStore) StageApplications(ctx context.Context, tenant, caseID string) ([]access.StageApplication, error) {
	if !s.hidden {
		s.hidden = true
		return nil, nil
	}
	return s.Store.StageApplications(ctx, tenant, caseID)
}

// The loser of a race that reaches the unique evidence row rolls back its
// own removals (a savepoint, when the caller has a transaction) and answers
// with the winner's stored effect.
func TestApplyStage_UniqueEvidenceRowDecidesARace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		for _, outer := range []bool{false, true} {
			f := newFixture(t, db)
			f.leaver(t, "wangli")
			caseID := ballast.NewID()
			st := access.DefaultRevocationPlan().Stages[2]
			won, err := f.e.ApplyStage(f.sys(), caseID, "wangli", st, "winner")
			f.must(t, err)
			// Granted since, so the loser has something to remove before it
			// reaches the evidence row.
			f.must(t, f.e.GrantRole(f.sys(), "wangli", access.RoleHR, "rehired meanwhile"))
			after := f.rules(t, "wangli")

			loser, err := access.New(access.Config{Store: &racingStore{Store: db.Access()}, Tx: db, Audit: f.log})
			f.must(t, err)
			var got access.StageEffect
			apply := func(ctx context.Context) error {
				got, err = loser.ApplyStage(ctx, caseID, "wangli", st, "loser")
				return err
			}
			if outer {
				// The caller's transaction survives the conflict and commits
				// its own work.
				err = db.InTx(f.sys(), func(ctx context.Context) error {
					if err := apply(ctx); err != nil {
						return err
					}
					return f.e.GrantRole(ctx, "someone", access.RoleEmployee, "same transaction")
				})
			} else {
				err = apply(f.sys())
			}
			if err != nil {
				t.Fatalf("outer=%v: %v", outer, err)
			}
			want := won
			want.AlreadyApplied = true
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("outer=%v: loser's answer (-want +got):\n%s", outer, d)
			}
			if d := cmp.Diff(after, f.rules(t, "wangli")); d != "" {
				t.Errorf("outer=%v: rules changed by the loser:\n%s", outer, d)
			}
			if outer && len(f.rules(t, "someone")) != 1 {
				t.Errorf("the caller's own work was lost")
			}
			es, err := f.log.Query(f.sys(), f.tenant, audit.Filter{Action: "access.stage.apply"})
			if err != nil || len(es) != 1 {
				t.Errorf("outer=%v: %d apply entries, %v; want 1", outer, len(es), err)
			}
		}
	})
}
