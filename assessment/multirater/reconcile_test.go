package multirater_test

import (
	"strings"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestReconcile_RemindsRatersAndApproversOncePerDeadlineAndOffset(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		r := e.createRound(t)
		ns, err := e.svc.Nominate(e.as["reviewee"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID,
			Group: multirater.GroupPeer, RaterIDs: []string{e.peers[0].ID, e.peers[1].ID}})
		must(t, err)
		run := func(day hr.Date) multirater.ReconcileReport {
			t.Helper()
			rep, err := e.svc.Reconcile(e.sys, shanghai(day))
			must(t, err)
			return rep
		}
		type want struct{ reminders, approvals int }
		check := func(what string, got multirater.ReconcileReport, w want) {
			t.Helper()
			if got.Reminders != w.reminders || got.Approvals != w.approvals {
				t.Errorf("%s: %+v, want %d reminders, %d approvals", what, got, w.reminders, w.approvals)
			}
		}
		// Nominations are due on 4 Dec; reminders 3 days and 1 day before.
		check("1 Dec: 3 days before the nomination deadline", run(hr.NewDate(2026, 12, 1)), want{0, 1})
		check("1 Dec again", run(hr.NewDate(2026, 12, 1)), want{0, 0})
		check("2 Dec", run(hr.NewDate(2026, 12, 2)), want{0, 0})
		check("3 Dec: 1 day before", run(hr.NewDate(2026, 12, 3)), want{0, 1})
		approvals := e.messages(t, multirater.KindApproval)
		if len(approvals) != 2 || !strings.HasSuffix(approvals[0], "/"+e.manager.ID) {
			t.Errorf("approval reminders go to 刘强: %v", approvals)
		}
		for _, n := range ns {
			_, err := e.svc.DecideNomination(e.as["manager"], n.ID, true, "", n.Version)
			must(t, err)
		}
		e.clock.Set(shanghai(hr.NewDate(2026, 12, 5)))
		r = e.open(t, r)
		if r.NextAlertOn != hr.NewDate(2026, 12, 15) {
			t.Errorf("next alert of the open round = %s, want 3 days before 18 Dec", r.NextAlertOn)
		}
		check("5 Dec", run(hr.NewDate(2026, 12, 5)), want{0, 0})
		// Self, manager, 3 direct reports and 2 peers have open assignments.
		check("15 Dec: 3 days before the response deadline", run(hr.NewDate(2026, 12, 15)), want{7, 0})
		e.clock.Set(shanghai(hr.NewDate(2026, 12, 16)))
		e.answer(t, r, e.reviewee, 4, 4, 4, "")
		e.answer(t, r, e.peers[0], 4, 4, 4, "")
		check("17 Dec: 1 day before, only those still open", run(hr.NewDate(2026, 12, 17)), want{5, 0})
		check("17 Dec again", run(hr.NewDate(2026, 12, 17)), want{0, 0})
		// Moving the deadline to the same date schedules the round again:
		// the same reminders are not queued twice.
		r, err = e.svc.Round(e.as["hr"], r.ID)
		must(t, err)
		e.clock.Set(shanghai(hr.NewDate(2026, 12, 17)))
		r, err = e.svc.SetDeadlines(e.as["hr"], r.ID, nominationDue, responseDue, r.Version)
		must(t, err)
		check("17 Dec after rescheduling", run(hr.NewDate(2026, 12, 17)), want{0, 0})
		// A new deadline brings its own reminders.
		_, err = e.svc.SetDeadlines(e.as["hr"], r.ID, nominationDue, hr.NewDate(2026, 12, 22), r.Version)
		must(t, err)
		check("19 Dec: 3 days before the new deadline", run(hr.NewDate(2026, 12, 19)), want{5, 0})
		check("23 Dec: the deadline has passed", run(hr.NewDate(2026, 12, 23)), want{0, 0})
		if got := len(e.messages(t, multirater.KindReminder)); got != 17 {
			t.Errorf("%d reminders in the outbox, want 7 + 5 + 5", got)
		}
		_, err = e.svc.Reconcile(e.as["reviewee"], shanghai(hr.NewDate(2026, 12, 19)))
		wantErr(t, "an employee reconciles", err, ballast.ErrForbidden)
	})
}
