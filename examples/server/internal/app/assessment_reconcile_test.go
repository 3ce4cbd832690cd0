package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/examples/server/internal/app"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// TestReconcile_ReviewRemindersAndEscalationsOnce walks the demo through
// the days after the seed: the open appeal is reminded before its due day
// and escalated after it, the year-end self-evaluations are reminded
// before their deadline and escalated after it, and the 360 raters are
// reminded before the response deadline — each once, however often the
// loop runs.
func TestReconcile_ReviewRemindersAndEscalationsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := &clock{t: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)} // 10:00 in Shanghai
		a := newClockedDemo(t, db, clk, nil)
		ctx := context.Background()
		var total app.AssessmentReconcile
		run := func(when string) app.AssessmentReconcile {
			t.Helper()
			rep, err := a.Reconcile(ctx)
			if err != nil {
				t.Fatalf("Reconcile %s: %v", when, err)
			}
			return rep.Assessment
		}
		// The appeal is due on 11-30 (5 days), the self-evaluations on 12-05,
		// the 360 answers on 12-09.
		for _, d := range []string{"2026-11-25", "2026-11-29", "2026-12-01", "2026-12-02", "2026-12-04", "2026-12-06", "2026-12-08"} {
			day, _ := time.Parse(time.DateOnly, d)
			clk.mu.Lock()
			clk.t = day.Add(2 * time.Hour) // 10:00 in Shanghai
			clk.mu.Unlock()
			r := run(d)
			total.Assessment.Reminders += r.Assessment.Reminders
			total.Assessment.Escalations += r.Assessment.Escalations
			total.Multirater.Reminders += r.Multirater.Reminders
			total.Multirater.Approvals += r.Multirater.Approvals
			total.Appeals.Reminders += r.Appeals.Reminders
			total.Appeals.Escalations += r.Appeals.Escalations
			if again := run(d + " again"); again != (app.AssessmentReconcile{}) {
				t.Errorf("second run on %s queued %+v, want nothing", d, again)
			}
		}
		if total.Appeals.Reminders == 0 || total.Appeals.Escalations == 0 {
			t.Errorf("appeal alerts = %+v, want a reminder and an escalation", total.Appeals)
		}
		if total.Assessment.Reminders == 0 || total.Assessment.Escalations == 0 {
			t.Errorf("cycle alerts = %+v, want reminders and escalations", total.Assessment)
		}
		if total.Multirater.Reminders == 0 {
			t.Errorf("360 alerts = %+v, want reminders to raters", total.Multirater)
		}
	})
}
