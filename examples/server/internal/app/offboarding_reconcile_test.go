package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

// The demo's case (张磊, last day 16 Dec 2026): the key-account stage is
// due on 9 Dec, the customer and work handovers on 13 Dec (reminders on
// the 11th and 12th, escalation on the 14th), item return on the 16th
// (reminders on the 14th and 15th). App.Reconcile does each once, on its
// day, however often it runs.
func TestReconcile_OffboardingRemindsEscalatesAndRevokesOnTheirDays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := &clock{t: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)} // 10:00 in Shanghai
		a := newClockedDemo(t, db, clk, nil)
		ctx := context.Background()
		run := func() offboarding.ReconcileReport {
			t.Helper()
			rep, err := a.Reconcile(ctx)
			if err != nil {
				t.Fatalf("Reconcile: %v", err)
			}
			return rep.Offboarding
		}
		sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: "test", Kind: ballast.KindSystem})
		page, err := a.HR.ListEmployees(sys, hr.EmployeeFilter{Status: hr.StatusResigning})
		if err != nil || len(page.Employees) != 1 {
			t.Fatalf("resigning = %v, %v", page.Employees, err)
		}
		zhang := page.Employees[0].ID
		readsKeyAccounts := func() bool {
			perms, err := a.Access.PermissionsOf(sys, zhang)
			if err != nil {
				t.Fatal(err)
			}
			return slices.Contains(perms, "customers:read:key")
		}
		if !readsKeyAccounts() {
			t.Fatal("张磊 cannot read key accounts before the stage")
		}
		for _, tc := range []struct {
			day  string // in Shanghai
			want []offboarding.ReconcileReport
		}{
			{"2026-11-25", []offboarding.ReconcileReport{{}, {}}},
			{"2026-12-09", []offboarding.ReconcileReport{{Stages: 1}, {}}},
			{"2026-12-11", []offboarding.ReconcileReport{{Reminders: 2}, {}}},
			{"2026-12-14", []offboarding.ReconcileReport{{Reminders: 1, Escalations: 2}, {}}},
		} {
			d, _ := time.Parse(time.DateOnly, tc.day)
			clk.mu.Lock()
			clk.t = d.Add(2 * time.Hour)
			clk.mu.Unlock()
			for i, want := range tc.want {
				if got := run(); got != want {
					t.Errorf("%s, run %d: %+v, want %+v", tc.day, i, got, want)
				}
			}
			if tc.day == "2026-12-09" && readsKeyAccounts() {
				t.Error("张磊 still reads key accounts after the stage")
			}
		}
	})
}
