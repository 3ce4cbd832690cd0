package training_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/training"
)

func TestReconcile_RemindsSeatedParticipantsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.course(t, "NEG-101")
		s := e.session(t, c, 2)
		for _, emp := range []hr.Employee{e.emp, e.emp2, e.rd} { // 陈晨 is waitlisted
			_, err := e.svc.Enrol(e.as["hr"], s.ID, emp.ID)
			must(t, err)
		}
		_, err := e.svc.Reconcile(e.as["emp"], e.clock.Now())
		wantErr(t, "an employee reconciles", err, ballast.ErrForbidden)

		rep, err := e.svc.Reconcile(e.sys, at(hr.NewDate(2026, 9, 11), 23, 0))
		must(t, err)
		if rep.Sessions != 0 || len(e.messages(t, "training.reminder")) != 0 {
			t.Errorf("three days before: %+v, %v", rep, e.messages(t, "training.reminder"))
		}
		// Two days before, concurrent runs send each reminder once.
		day := at(hr.NewDate(2026, 9, 12), 8, 0)
		var wg sync.WaitGroup
		reps := make([]training.ReconcileReport, 3)
		errs := make([]error, 3)
		for i := range reps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reps[i], errs[i] = e.svc.Reconcile(e.sys, day)
			}()
		}
		wg.Wait()
		total := 0
		for i := range reps {
			if errs[i] != nil {
				t.Errorf("run %d: %v", i, errs[i])
			}
			total += reps[i].Sessions
		}
		start := s.StartsAt.Format("20060102T1504Z")
		want := []string{
			fmt.Sprintf("training.reminder/%s/%s/%s", s.ID, e.emp.ID, start),
			fmt.Sprintf("training.reminder/%s/%s/%s", s.ID, e.emp2.ID, start),
		}
		slices.Sort(want)
		if d := cmp.Diff(want, e.messages(t, "training.reminder")); d != "" {
			t.Errorf("reminders (-want +got):\n%s", d)
		}
		if total != 1 {
			t.Errorf("the session was claimed %d times", total)
		}
		rep, err = e.svc.Reconcile(e.sys, day.Add(time.Hour))
		must(t, err)
		if rep.Sessions != 0 {
			t.Errorf("a later run found %d sessions due", rep.Sessions)
		}

		// Rescheduling re-arms the reminder, under a new key.
		got, err := e.svc.Session(e.as["hr"], s.ID)
		must(t, err)
		_, err = e.svc.UpdateSession(e.as["hr"], s.ID, training.SessionParams{Date: hr.NewDate(2026, 9, 21), Start: "09:00", End: "17:00",
			Capacity: 2}, got.Version)
		must(t, err)
		rep, err = e.svc.Reconcile(e.sys, at(hr.NewDate(2026, 9, 19), 8, 0))
		must(t, err)
		if rep.Reminders != 2 || len(e.messages(t, "training.reminder")) != 4 {
			t.Errorf("after rescheduling: %+v, %d reminders in all, want 2 and 4", rep, len(e.messages(t, "training.reminder")))
		}
	})
}
