package assessment_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// TestReconcile_RemindsBeforeEachDeadlineAndEscalatesAfterOnce walks a
// cycle through its calendar with a fake clock: reminders 3 and 1 days
// before the self-evaluation deadline to whoever has not submitted,
// escalations to their managers after it, then the same for the manager
// review with escalations to HR; every day twice (and concurrently), and
// nothing is queued twice.
func TestReconcile_RemindsBeforeEachDeadlineAndEscalatesAfterOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		e.clock.Set(shanghai(hr.NewDate(2026, 7, 2)))
		e.selfEvaluate(t, "wang", wang)

		run := func(d hr.Date) assessment.ReconcileReport {
			t.Helper()
			e.clock.Set(shanghai(d))
			var total assessment.ReconcileReport
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rep, err := e.svc.Reconcile(e.sys, shanghai(d))
					if err != nil {
						t.Errorf("reconcile %s: %v", d, err)
						return
					}
					mu.Lock()
					total.Reminders += rep.Reminders
					total.Escalations += rep.Escalations
					mu.Unlock()
				}()
			}
			wg.Wait()
			rep, err := e.svc.Reconcile(e.sys, shanghai(d))
			must(t, err)
			if rep != (assessment.ReconcileReport{}) {
				t.Errorf("a third reconcile on %s did %+v, want nothing", d, rep)
			}
			return total
		}
		steps := []struct {
			day  hr.Date
			want assessment.ReconcileReport
		}{
			{hr.NewDate(2026, 7, 5), assessment.ReconcileReport{}},
			{hr.NewDate(2026, 7, 7), assessment.ReconcileReport{Reminders: 5}},
			{hr.NewDate(2026, 7, 8), assessment.ReconcileReport{}},
			{hr.NewDate(2026, 7, 9), assessment.ReconcileReport{Reminders: 5}},
			{hr.NewDate(2026, 7, 12), assessment.ReconcileReport{Escalations: 5}},
			{hr.NewDate(2026, 7, 13), assessment.ReconcileReport{}},
		}
		for _, st := range steps {
			if got := run(st.day); got != st.want {
				t.Errorf("reconcile on %s = %+v, want %+v", st.day, got, st.want)
			}
		}
		esc := e.messages(t, assessment.KindEscalation)
		if len(esc) != 5 {
			t.Errorf("escalations queued = %d, want 5: %v", len(esc), esc)
		}
		_, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		for _, st := range []struct {
			day  hr.Date
			want assessment.ReconcileReport
		}{
			{hr.NewDate(2026, 7, 16), assessment.ReconcileReport{}},
			{hr.NewDate(2026, 7, 17), assessment.ReconcileReport{Reminders: 6}},
			{hr.NewDate(2026, 7, 19), assessment.ReconcileReport{Reminders: 6}},
			{hr.NewDate(2026, 7, 21), assessment.ReconcileReport{Escalations: 6}},
			{hr.NewDate(2026, 7, 30), assessment.ReconcileReport{}},
		} {
			if got := run(st.day); got != st.want {
				t.Errorf("reconcile on %s = %+v, want %+v", st.day, got, st.want)
			}
		}
		reminders := e.messages(t, assessment.KindReminder)
		if len(reminders) != 22 {
			t.Errorf("reminders queued = %d, want 22 (5+5 self, 6+6 manager)", len(reminders))
		}
		esc = e.messages(t, assessment.KindEscalation)
		if len(esc) != 11 {
			t.Errorf("escalations queued = %d, want 11", len(esc))
		}
		// A missed manager review goes to HR, the cycle's owner.
		recs, err := e.outbox.List(e.sys, e.tenant, notifyFilter(assessment.KindEscalation, e.hrP.ID))
		must(t, err)
		if len(recs) != 6+2 { // 6 manager reviews, and the self-evaluations of the two heads without a manager
			t.Errorf("escalations to HR = %d, want 8", len(recs))
		}
		_, err = e.svc.Reconcile(e.as["head"], time.Now())
		wantErr(t, "a department head runs reconcile", err, ballast.ErrForbidden)
	})
}

func TestReconcile_ReopenedSelfEvaluationFollowsItsOwnDeadline(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		e.clock.Set(shanghai(hr.NewDate(2026, 7, 11)))
		_, err := e.svc.ReopenSelfEvaluation(e.as["hr"], wang.ID, hr.NewDate(2026, 7, 15), "sick leave")
		must(t, err)
		for _, d := range []int{11, 12, 14} {
			_, err = e.svc.Reconcile(e.sys, shanghai(hr.NewDate(2026, 7, d)))
			must(t, err)
		}
		_, err = e.svc.Reconcile(e.sys, shanghai(hr.NewDate(2026, 7, 14)))
		must(t, err)
		var keys []string
		for _, k := range e.messages(t, assessment.KindReminder) {
			if len(k) > 0 && containsAll(k, wang.ID, "2026-07-15") {
				keys = append(keys, k)
			}
		}
		want := []string{
			"assessment.reminder/" + wang.ID + "/self/2026-07-15/d1/" + e.wang.ID,
			"assessment.reminder/" + wang.ID + "/self/2026-07-15/d3/" + e.wang.ID,
		}
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("reminders for the reopened deadline (-want +got):\n%s", diff)
		}
	})
}

func TestUpdateDeadlines_RemindersFollowAndBadOrderIsRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		_, err := e.svc.ReopenSelfEvaluation(e.as["hr"], wang.ID, hr.NewDate(2026, 7, 4), "travels from the 5th")
		must(t, err)
		d := c.Deadlines
		d.SelfEvaluation = hr.NewDate(2026, 7, 25)
		_, err = e.svc.UpdateDeadlines(e.as["hr"], c.ID, d, c.Version)
		if diff := cmp.Diff([]string{"deadlines.manager_review"}, fields(t, err)); diff != "" {
			t.Errorf("self deadline after the manager's (-want +got):\n%s", diff)
		}
		d.SelfEvaluation = hr.NewDate(2026, 7, 15)
		_, err = e.svc.UpdateDeadlines(e.as["hr"], c.ID, d, c.Version)
		must(t, err)
		zhao, wang := e.participant(t, c, e.zhao), e.participant(t, c, e.wang)
		if zhao.NextAlertOn != hr.NewDate(2026, 7, 12) || wang.NextAlertOn != hr.NewDate(2026, 7, 1) {
			t.Errorf("alerts = zhao %s, wang %s; want 2026-07-12 (new deadline) and 2026-07-01 (3 days before her own)", zhao.NextAlertOn, wang.NextAlertOn)
		}
	})
}

func TestReconcile_RemindsHRToCalibrateThenEscalatesOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		c, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)
		for _, st := range []struct {
			day  hr.Date
			want assessment.ReconcileReport
		}{
			{hr.NewDate(2026, 7, 21), assessment.ReconcileReport{}},
			{hr.NewDate(2026, 7, 22), assessment.ReconcileReport{Reminders: 1}},
			{hr.NewDate(2026, 7, 22), assessment.ReconcileReport{}},
			{hr.NewDate(2026, 7, 24), assessment.ReconcileReport{Reminders: 1}},
			{hr.NewDate(2026, 7, 26), assessment.ReconcileReport{Escalations: 1}},
			{hr.NewDate(2026, 7, 27), assessment.ReconcileReport{}},
		} {
			got, err := e.svc.Reconcile(e.sys, shanghai(st.day))
			must(t, err)
			if got != st.want {
				t.Errorf("reconcile on %s = %+v, want %+v", st.day, got, st.want)
			}
		}
		recs, err := e.outbox.List(e.sys, e.tenant, notifyFilter(assessment.KindEscalation, e.hrP.ID))
		must(t, err)
		if len(recs) != 1 || recs[0].Data["phase"] != "calibration" {
			t.Errorf("escalations to HR = %+v, want the calibration one", recs)
		}
	})
}
