package offboarding_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

func TestComplete_NeedsClosedStepsThenDisablesAndDeparts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		hrCtx := e.as["hr"]
		_, err := e.svc.Complete(hrCtx, c.ID, c.Version)
		wantErr(t, "open steps", err, offboarding.ErrStepsOpen)

		_, err = e.svc.ForceCloseStep(hrCtx, c.ID, "work", "", 1)
		wantErr(t, "forcing without a reason", err, ballast.ErrInvalid)
		_, err = e.svc.ForceCloseStep(e.as["manager"], c.ID, "work", "no", 1)
		wantErr(t, "a manager forcing", err, ballast.ErrForbidden)
		for _, k := range []string{"customers", "work", "items"} {
			st, err := e.svc.ForceCloseStep(hrCtx, c.ID, k, "handled on paper, scan filed", e.steps(t, c.ID)[k].Version)
			must(t, err)
			if st.Status != offboarding.StepForced || st.Note != "handled on paper, scan filed" || st.DoneBy != e.hrP.ID {
				t.Errorf("forced step = %+v", st)
			}
		}
		done, err := e.svc.Complete(hrCtx, c.ID, c.Version)
		must(t, err)
		if done.Status != offboarding.CaseCompleted || done.ClosedBy != e.hrP.ID {
			t.Errorf("case = %+v", done)
		}
		if emp := e.employee(t, e.leaver.ID); emp.Status != hr.StatusDeparted || emp.LastWorkingDay != lastDay {
			t.Errorf("employee = %s %s", emp.Status, emp.LastWorkingDay)
		}
		if d := cmp.Diff([]string{"export", "key-accounts", "final"}, e.stageKeys(t, c.ID)); d != "" {
			t.Errorf("stages (-want +got):\n%s", d)
		}
		rules, err := e.enf.RulesOf(e.sys, e.leaver.ID)
		must(t, err)
		for _, r := range rules {
			if r.Role != "" || r.Effect == access.Allow {
				t.Errorf("a grant survived completion: %s", r)
			}
		}
		if e.enf.Check(e.tenant, e.leaver.ID, "employees:read") {
			t.Error("the account still works")
		}
		if st := e.steps(t, c.ID)["access"]; st.Status != offboarding.StepDone {
			t.Errorf("access step = %s", st.Status)
		}
		_, err = e.svc.Complete(hrCtx, c.ID, done.Version)
		wantErr(t, "completing twice", err, offboarding.ErrCaseClosed)
		wantErr(t, "completing twice", err, ballast.ErrConflict)
		es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: offboarding.ActionStepForced, Limit: 10})
		must(t, err)
		if len(es) != 3 || es[0].Reason != "handled on paper, scan filed" || es[0].Actor != e.hrP.ID {
			t.Errorf("forced entries = %+v", es)
		}
	})
}

func TestWithdraw_RestoresPermissionsExactly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		// A deny the leaver had before must survive the restore.
		must(t, e.enf.DenyPermission(e.sys, e.leaver.ID, "customers:export", "earlier"))
		must(t, e.enf.GrantPermission(e.sys, e.leaver.ID, "customers:read:all", "key accounts"))
		before, err := e.enf.RulesOf(e.sys, e.leaver.ID)
		must(t, err)
		c := e.resign(t)
		e.clock.Set(shanghai(hr.NewDate(2026, 11, 24)))
		_, err = e.svc.Reconcile(e.sys, e.clock.Now())
		must(t, err)
		if d := cmp.Diff([]string{"export", "key-accounts"}, e.stageKeys(t, c.ID)); d != "" {
			t.Fatalf("stages (-want +got):\n%s", d)
		}
		_, err = e.svc.Withdraw(e.as["hr"], c.ID, "", c.Version)
		wantErr(t, "withdrawing without a reason", err, ballast.ErrInvalid)
		w, err := e.svc.Withdraw(e.as["hr"], c.ID, "stays after a counter-offer", c.Version)
		must(t, err)
		if w.Status != offboarding.CaseWithdrawn || w.CloseReason != "stays after a counter-offer" {
			t.Errorf("case = %+v", w)
		}
		after, err := e.enf.RulesOf(e.sys, e.leaver.ID)
		must(t, err)
		if d := cmp.Diff(before, after); d != "" {
			t.Errorf("rules after withdrawal (-before +after):\n%s", d)
		}
		if emp := e.employee(t, e.leaver.ID); emp.Status != hr.StatusActive || !emp.LastWorkingDay.IsZero() {
			t.Errorf("employee = %s %s", emp.Status, emp.LastWorkingDay)
		}
		_, err = e.svc.Complete(e.as["hr"], c.ID, w.Version)
		wantErr(t, "completing a withdrawn case", err, offboarding.ErrCaseClosed)
		es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: offboarding.ActionWithdraw, Limit: 10})
		must(t, err)
		if len(es) != 1 || es[0].Reason != "stays after a counter-offer" {
			t.Errorf("withdraw entries = %+v", es)
		}
		// Nothing more happens for a withdrawn case.
		e.clock.Set(shanghai(hr.NewDate(2026, 11, 26)))
		rep, err := e.svc.Reconcile(e.sys, e.clock.Now())
		must(t, err)
		if rep != (offboarding.ReconcileReport{}) {
			t.Errorf("reconcile after withdrawal = %+v", rep)
		}
		// A new resignation can open.
		e.resign(t)
	})
}
