package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
)

// RunAccessRevocation checks an access.RevocationStore: plans round-trip
// and are versioned optimistically, stage applications round-trip with
// their exact rules, are unique per (tenant, case, stage key), are marked
// restored once, roll back with their transaction, and no tenant sees or
// touches another's. open must return a fresh, migrated backend on every
// call, with the transactor its store joins.
func RunAccessRevocation(t *testing.T, open func(t *testing.T) (ballast.Transactor, access.RevocationStore)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, tx ballast.Transactor, s access.RevocationStore)
	}{
		{"PlanRoundTripsAndIsVersioned", revocationPlanVersions},
		{"ApplicationsRoundTripInOrder", revocationApplicationsRoundTrip},
		{"ApplicationIsUniquePerCaseAndStage", revocationApplicationUnique},
		{"MarkRestoredStampsOnce", revocationMarkRestored},
		{"RolledBackWritesLeaveNothing", revocationRollback},
		{"TenantIsolation", revocationTenantIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, s := open(t)
			tc.fn(t, tx, s)
		})
	}
}

// revocationT0 is the suite's "now": microsecond precision, UTC.
var revocationT0 = time.Date(2026, 11, 25, 9, 30, 0, 123456000, time.UTC)

func revocationApp(tenant, caseID, key string, at time.Time) access.StageApplication {
	return access.StageApplication{
		Tenant: tenant, ID: ballast.NewID(), CaseID: caseID, StageKey: key, Subject: "wangli",
		Removed: []access.Rule{
			{Subject: "wangli", Role: access.RoleDepartmentHead},
			{Subject: "wangli", Permission: "customers:export", Effect: access.Allow},
		},
		Added: []access.Rule{
			{Subject: "wangli", Permission: "customers:read:key", Effect: access.Deny},
			{Subject: "wangli", Permission: "tenant:settings", Effect: access.Deny},
		},
		Disabled:  key == "final",
		AppliedAt: at, AppliedBy: "system:offboarding:" + caseID,
	}
}

func revocationPlanVersions(t *testing.T, _ ballast.Transactor, s access.RevocationStore) {
	ctx := context.Background()
	tenant := ballast.NewID()
	if _, err := s.RevocationPlan(ctx, tenant); !errors.Is(err, ballast.ErrNotFound) {
		t.Fatalf("plan of a tenant without one: err %v, want ErrNotFound", err)
	}
	v1 := access.StoredPlan{Tenant: tenant, Plan: access.DefaultRevocationPlan(), Version: 1, UpdatedAt: revocationT0, UpdatedBy: "hr"}
	if err := s.SaveRevocationPlan(ctx, v1); err != nil {
		t.Fatal(err)
	}
	got, err := s.RevocationPlan(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(v1, got); d != "" {
		t.Errorf("plan v1 (-saved +read):\n%s", d)
	}
	if err := s.SaveRevocationPlan(ctx, v1); !errors.Is(err, ballast.ErrConflict) {
		t.Errorf("inserting version 1 twice: err %v, want ErrConflict", err)
	}
	v2 := v1
	v2.Plan.Stages = v2.Plan.Stages[:1]
	v2.Version, v2.UpdatedAt, v2.UpdatedBy = 2, revocationT0.Add(time.Hour), "admin"
	if err := s.SaveRevocationPlan(ctx, v2); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRevocationPlan(ctx, v2); !errors.Is(err, ballast.ErrConflict) {
		t.Errorf("saving version 2 over version 2: err %v, want ErrConflict", err)
	}
	stale := v2
	stale.Version = 4
	if err := s.SaveRevocationPlan(ctx, stale); !errors.Is(err, ballast.ErrConflict) {
		t.Errorf("saving version 4 over version 2: err %v, want ErrConflict", err)
	}
	got, err = s.RevocationPlan(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(v2, got); d != "" {
		t.Errorf("plan v2 (-saved +read):\n%s", d)
	}
}

func revocationApplicationsRoundTrip(t *testing.T, _ ballast.Transactor, s access.RevocationStore) {
	ctx := context.Background()
	tenant, caseID := ballast.NewID(), ballast.NewID()
	// Inserted out of order: the store returns them by time.
	final := revocationApp(tenant, caseID, "final", revocationT0.Add(48*time.Hour))
	first := revocationApp(tenant, caseID, "export", revocationT0)
	first.Removed, first.Disabled = nil, false
	for _, a := range []access.StageApplication{final, first} {
		if err := s.InsertStageApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.InsertStageApplication(ctx, revocationApp(tenant, ballast.NewID(), "export", revocationT0)); err != nil {
		t.Fatal(err)
	}
	got, err := s.StageApplications(ctx, tenant, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]access.StageApplication{first, final}, got); d != "" {
		t.Errorf("applications of the case (-want +got):\n%s", d)
	}
	none, err := s.StageApplications(ctx, tenant, ballast.NewID())
	if err != nil || len(none) != 0 {
		t.Errorf("applications of an unknown case: %v, %v; want none", none, err)
	}
}

func revocationApplicationUnique(t *testing.T, _ ballast.Transactor, s access.RevocationStore) {
	ctx := context.Background()
	tenant, caseID := ballast.NewID(), ballast.NewID()
	if err := s.InsertStageApplication(ctx, revocationApp(tenant, caseID, "export", revocationT0)); err != nil {
		t.Fatal(err)
	}
	again := revocationApp(tenant, caseID, "export", revocationT0.Add(time.Minute))
	if err := s.InsertStageApplication(ctx, again); !errors.Is(err, ballast.ErrConflict) {
		t.Fatalf("second application of the stage: err %v, want ErrConflict", err)
	}
	got, err := s.StageApplications(ctx, tenant, caseID)
	if err != nil || len(got) != 1 {
		t.Errorf("after a duplicate: %d applications, %v; want 1", len(got), err)
	}
}

func revocationMarkRestored(t *testing.T, _ ballast.Transactor, s access.RevocationStore) {
	ctx := context.Background()
	tenant, caseID, other := ballast.NewID(), ballast.NewID(), ballast.NewID()
	for _, a := range []access.StageApplication{
		revocationApp(tenant, caseID, "export", revocationT0),
		revocationApp(tenant, caseID, "final", revocationT0.Add(time.Hour)),
		revocationApp(tenant, other, "export", revocationT0),
	} {
		if err := s.InsertStageApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	at := revocationT0.Add(72 * time.Hour)
	if n, err := s.MarkStageApplicationsRestored(ctx, tenant, caseID, at); err != nil || n != 2 {
		t.Fatalf("first restore marked %d, %v; want 2", n, err)
	}
	if n, err := s.MarkStageApplicationsRestored(ctx, tenant, caseID, at.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("second restore marked %d, %v; want 0", n, err)
	}
	got, err := s.StageApplications(ctx, tenant, caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got {
		if !a.RestoredAt.Equal(at) || a.RestoredAt.Location() != time.UTC {
			t.Errorf("%s restored at %v, want %v UTC", a.StageKey, a.RestoredAt, at)
		}
	}
	untouched, err := s.StageApplications(ctx, tenant, other)
	if err != nil || len(untouched) != 1 || !untouched[0].RestoredAt.IsZero() {
		t.Errorf("other case after restore: %+v, %v; want unrestored", untouched, err)
	}
}

func revocationRollback(t *testing.T, tx ballast.Transactor, s access.RevocationStore) {
	ctx := context.Background()
	tenant, caseID := ballast.NewID(), ballast.NewID()
	boom := errors.New("boom")
	err := tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.InsertStageApplication(ctx, revocationApp(tenant, caseID, "export", revocationT0)); err != nil {
			return err
		}
		if err := s.SaveRevocationPlan(ctx, access.StoredPlan{Tenant: tenant, Plan: access.DefaultRevocationPlan(), Version: 1, UpdatedAt: revocationT0, UpdatedBy: "hr"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx: %v, want boom", err)
	}
	if got, err := s.StageApplications(ctx, tenant, caseID); err != nil || len(got) != 0 {
		t.Errorf("after rollback: %d applications, %v; want none", len(got), err)
	}
	if _, err := s.RevocationPlan(ctx, tenant); !errors.Is(err, ballast.ErrNotFound) {
		t.Errorf("plan after rollback: err %v, want ErrNotFound", err)
	}
}

func revocationTenantIsolation(t *testing.T, _ ballast.Transactor, s access.RevocationStore) {
	ctx := context.Background()
	a, b, caseID := ballast.NewID(), ballast.NewID(), ballast.NewID()
	if err := s.SaveRevocationPlan(ctx, access.StoredPlan{Tenant: a, Plan: access.DefaultRevocationPlan(), Version: 1, UpdatedAt: revocationT0, UpdatedBy: "hr"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevocationPlan(ctx, b); !errors.Is(err, ballast.ErrNotFound) {
		t.Errorf("tenant b reads a's plan: err %v, want ErrNotFound", err)
	}
	// Tenant b may store its own version 1 beside a's.
	if err := s.SaveRevocationPlan(ctx, access.StoredPlan{Tenant: b, Plan: access.RevocationPlan{Stages: access.DefaultRevocationPlan().Stages[2:]}, Version: 1, UpdatedAt: revocationT0, UpdatedBy: "hr"}); err != nil {
		t.Errorf("tenant b's first plan: %v", err)
	}
	if p, err := s.RevocationPlan(ctx, a); err != nil || len(p.Plan.Stages) != 3 {
		t.Errorf("tenant a's plan after b saved: %d stages, %v; want 3", len(p.Plan.Stages), err)
	}
	// The same case ID and stage key in two tenants do not collide.
	appA := revocationApp(a, caseID, "export", revocationT0)
	if err := s.InsertStageApplication(ctx, appA); err != nil {
		t.Fatal(err)
	}
	if got, err := s.StageApplications(ctx, b, caseID); err != nil || len(got) != 0 {
		t.Errorf("tenant b lists a's applications: %d, %v", len(got), err)
	}
	if err := s.InsertStageApplication(ctx, revocationApp(b, caseID, "export", revocationT0)); err != nil {
		t.Errorf("tenant b applying the same case and stage: %v", err)
	}
	if n, err := s.MarkStageApplicationsRestored(ctx, b, caseID, revocationT0.Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("tenant b restore marked %d, %v; want 1", n, err)
	}
	got, err := s.StageApplications(ctx, a, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]access.StageApplication{appA}, got); d != "" {
		t.Errorf("tenant a's applications after b restored (-want +got):\n%s", d)
	}
}
