package appeal_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestReconcile_RemindsBeforeEscalatesAfterNeverTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		_, err := e.svc.SetSettings(e.as["hr"], appeal.Settings{ReplyDays: 5, RemindDaysBefore: 1,
			HRRecipients: []string{"hr@example.com"}, EscalateTo: []string{"hr-head"}}, 0)
		must(t, err)
		a := e.file(t, "emp", "res-emp", "")            // due 25 July
		done := e.file(t, "emp2", "res-emp2", "")       // decided at once: never alerted
		taken := e.file(t, "emp", "res-emp", "revenue") // under review: the handler is reminded
		_, err = e.svc.Decide(e.as["hr"], appeal.DecideParams{AppealID: done.ID, Result: appeal.ResultUpheld, Reason: "ok", Version: done.Version})
		must(t, err)
		_, err = e.svc.StartReview(e.as["hr"], taken.ID, taken.Version)
		must(t, err)
		due := a.DueOn.String()
		for _, tc := range []struct {
			day  hr.Date
			want appeal.ReconcileReport
		}{
			{hr.NewDate(2026, 7, 23), appeal.ReconcileReport{}},
			{hr.NewDate(2026, 7, 24), appeal.ReconcileReport{Reminders: 2}},
			{hr.NewDate(2026, 7, 24), appeal.ReconcileReport{}}, // again the same day
			{hr.NewDate(2026, 7, 25), appeal.ReconcileReport{}}, // the due day itself
			{hr.NewDate(2026, 7, 26), appeal.ReconcileReport{Escalations: 2}},
			{hr.NewDate(2026, 7, 30), appeal.ReconcileReport{}},
		} {
			rep, err := e.svc.Reconcile(e.sys, shanghai(tc.day))
			must(t, err)
			if d := cmp.Diff(tc.want, rep); d != "" {
				t.Errorf("reconcile on %s (-want +got):\n%s", tc.day, d)
			}
		}
		wantRem := []string{
			"appeal.reminder/" + a.ID + "/" + due + "/" + e.mgr.ID,
			"appeal.reminder/" + a.ID + "/" + due + "/hr@example.com",
			"appeal.reminder/" + taken.ID + "/" + due + "/" + e.hrP.ID,
			"appeal.reminder/" + taken.ID + "/" + due + "/" + e.mgr.ID,
		}
		if d := cmp.Diff(sorted(wantRem), e.messages(t, appeal.KindReminder)); d != "" {
			t.Errorf("reminders (-want +got):\n%s", d)
		}
		wantEsc := []string{
			"appeal.escalation/" + a.ID + "/" + due + "/" + e.mgr.ID,
			"appeal.escalation/" + a.ID + "/" + due + "/hr-head",
			"appeal.escalation/" + a.ID + "/" + due + "/hr@example.com",
			"appeal.escalation/" + taken.ID + "/" + due + "/" + e.hrP.ID,
			"appeal.escalation/" + taken.ID + "/" + due + "/" + e.mgr.ID,
			"appeal.escalation/" + taken.ID + "/" + due + "/hr-head",
			"appeal.escalation/" + taken.ID + "/" + due + "/hr@example.com",
		}
		if d := cmp.Diff(sorted(wantEsc), e.messages(t, appeal.KindEscalation)); d != "" {
			t.Errorf("escalations (-want +got):\n%s", d)
		}
		// A late decision is still accepted.
		_, err = e.svc.Decide(e.as["hr"], appeal.DecideParams{AppealID: a.ID, Result: appeal.ResultUpheld, Reason: "late but fair", Version: a.Version})
		must(t, err)
	})
}

func TestReconcile_FiledAfterTheReminderDayIsRemindedAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		_, err := e.svc.SetSettings(e.as["hr"], appeal.Settings{ReplyDays: 1, RemindDaysBefore: 1}, 0)
		must(t, err)
		a := e.file(t, "emp", "res-emp", "")
		if a.NextAlertOn != filedOn {
			t.Errorf("next alert %s, want the filing day %s", a.NextAlertOn, filedOn)
		}
		rep, err := e.svc.Reconcile(e.sys, shanghai(filedOn))
		must(t, err)
		if rep.Reminders != 1 {
			t.Errorf("reminders = %d, want 1", rep.Reminders)
		}
	})
}

func TestReconcile_ConcurrentRunsAlertOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		var as []appeal.Appeal
		for _, s := range []string{"res-emp", "res-emp2"} {
			owner := map[string]string{"res-emp": "emp", "res-emp2": "emp2"}[s]
			as = append(as, e.file(t, owner, s, ""), e.file(t, owner, s, "revenue"), e.file(t, owner, s, "leadership"))
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			total appeal.ReconcileReport
		)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rep, err := e.svc.Reconcile(e.sys, shanghai(hr.NewDate(2026, 7, 24)))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				total.Reminders += rep.Reminders
				total.Escalations += rep.Escalations
				mu.Unlock()
			}()
		}
		wg.Wait()
		if total.Reminders != len(as) || total.Escalations != 0 {
			t.Errorf("four reconcilers reported %+v, want %d reminders in all", total, len(as))
		}
		if got := e.messages(t, appeal.KindReminder); len(got) != len(as) { // the manager of each
			t.Errorf("%d reminders queued, want %d", len(got), len(as))
		}
	})
}

func TestReconcile_NeedsAManagerOrTheSystem(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		for _, tc := range []struct {
			ctx  context.Context
			kind error
		}{{context.Background(), ballast.ErrUnauthenticated}, {e.as["emp"], ballast.ErrForbidden}, {e.as["mgr"], ballast.ErrForbidden}} {
			_, err := e.svc.Reconcile(tc.ctx, shanghai(filedOn))
			wantErr(t, "reconcile", err, tc.kind)
		}
		_, err := e.svc.Reconcile(e.as["hr"], shanghai(filedOn))
		must(t, err)
	})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestSetDueOn_ReconcileFollowsTheNewDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.file(t, "emp", "res-emp", "") // due 25 July, reminded on the 24th
		rep, err := e.svc.Reconcile(e.sys, shanghai(hr.NewDate(2026, 7, 24)))
		must(t, err)
		if rep.Reminders != 1 {
			t.Fatalf("first reminder: %+v", rep)
		}
		e.clock.Set(shanghai(hr.NewDate(2026, 7, 24)))
		for _, tc := range []struct {
			name   string
			ctx    context.Context
			due    hr.Date
			reason string
			ver    int64
			kind   error
		}{
			{"a day in the past", e.as["hr"], hr.NewDate(2026, 7, 23), "more time", a.Version, ballast.ErrInvalid},
			{"no reason", e.as["hr"], hr.NewDate(2026, 7, 30), " ", a.Version, ballast.ErrInvalid},
			{"the employee", e.as["emp"], hr.NewDate(2026, 7, 30), "more time", a.Version, ballast.ErrForbidden},
			{"the manager", e.as["mgr"], hr.NewDate(2026, 7, 30), "more time", a.Version, ballast.ErrForbidden},
			{"a stale version", e.as["hr"], hr.NewDate(2026, 7, 30), "more time", a.Version + 1, ballast.ErrConflict},
		} {
			_, err := e.svc.SetDueOn(tc.ctx, a.ID, tc.due, tc.reason, tc.ver)
			wantErr(t, tc.name, err, tc.kind)
		}
		moved, err := e.svc.SetDueOn(e.as["hr"], a.ID, hr.NewDate(2026, 7, 30), "finance needs a week", a.Version)
		must(t, err)
		if moved.DueOn != hr.NewDate(2026, 7, 30) || moved.NextAlertOn != hr.NewDate(2026, 7, 29) || moved.Version != a.Version+1 {
			t.Errorf("moved = due %s, next %s, version %d", moved.DueOn, moved.NextAlertOn, moved.Version)
		}
		for _, tc := range []struct {
			day  hr.Date
			want appeal.ReconcileReport
		}{
			{hr.NewDate(2026, 7, 26), appeal.ReconcileReport{}}, // past the old day: no escalation
			{hr.NewDate(2026, 7, 29), appeal.ReconcileReport{Reminders: 1}},
			{hr.NewDate(2026, 7, 31), appeal.ReconcileReport{Escalations: 1}},
		} {
			rep, err := e.svc.Reconcile(e.sys, shanghai(tc.day))
			must(t, err)
			if d := cmp.Diff(tc.want, rep); d != "" {
				t.Errorf("reconcile on %s (-want +got):\n%s", tc.day, d)
			}
		}
		if got := e.messages(t, appeal.KindReminder); len(got) != 2 {
			t.Errorf("reminders = %v, want one per due day", got)
		}
		es := e.audits(t, appeal.ActionDueOn)
		if len(es) != 1 || es[0].Reason != "finance needs a week" {
			t.Fatalf("due-day audit = %+v", es)
		}
		if d := cmp.Diff([]audit.Change{{Path: "DueOn", Before: "2026-07-25", After: "2026-07-30"}}, es[0].Changes); d != "" {
			t.Errorf("due-day changes (-want +got):\n%s", d)
		}
	})
}
