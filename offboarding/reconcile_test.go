package offboarding_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

// day runs Reconcile (twice, to prove it idempotent) at 09:00 Shanghai on d
// and returns what it newly queued, as "<kind> <step> due <date>[ d<offset>]
// →<n recipients>", plus the stages newly applied.
func (e *env) day(t *testing.T, caseID string, d hr.Date, seen map[string]bool, stages *[]string) []string {
	t.Helper()
	e.clock.Set(shanghai(d))
	for range 2 {
		_, err := e.svc.Reconcile(e.sys, shanghai(d))
		must(t, err)
	}
	steps, err := e.svc.Steps(e.as["hr"], caseID)
	must(t, err)
	keyOf := map[string]string{}
	for _, s := range steps {
		keyOf[s.ID] = s.Key
	}
	count := map[string]int{}
	for _, kind := range []string{offboarding.KindReminder, offboarding.KindEscalation} {
		for _, k := range e.messages(t, kind) {
			if seen[k] {
				continue
			}
			seen[k] = true
			// kind/case/step/due[/dN]/recipient
			parts := strings.Split(k, "/")
			desc := fmt.Sprintf("%s %s due %s", strings.TrimPrefix(parts[0], "offboarding."), keyOf[parts[2]], parts[3])
			if len(parts) == 6 {
				desc += " " + parts[4]
			}
			count[desc]++
		}
	}
	var out []string
	for d, n := range count {
		out = append(out, fmt.Sprintf("%s →%d", d, n))
	}
	sort.Strings(out)
	applied := e.stageKeys(t, caseID)
	for _, k := range applied[len(*stages):] {
		out = append(out, "stage "+k)
	}
	*stages = applied
	return out
}

func TestReconcile_RemindsEscalatesAndRevokesOnTheirDays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		want := map[string][]string{
			"2026-11-23": {"stage key-accounts"},
			"2026-11-25": {"reminder customers due 2026-11-27 d2 →3", "reminder work due 2026-11-27 d2 →2"},
			"2026-11-26": {"reminder customers due 2026-11-27 d1 →3", "reminder work due 2026-11-27 d1 →2"},
			"2026-11-28": {"escalation customers due 2026-11-27 →2", "escalation work due 2026-11-27 →2", "reminder items due 2026-11-30 d2 →2"},
			"2026-11-29": {"reminder items due 2026-11-30 d1 →2"},
			"2026-12-01": {"escalation items due 2026-11-30 →2"},
		}
		seen, stages := map[string]bool{}, []string{"export"}
		got := map[string][]string{}
		for d := submitted; !d.After(hr.NewDate(2026, 12, 5)); d = next(d) {
			if out := e.day(t, c.ID, d, seen, &stages); len(out) > 0 {
				got[d.String()] = out
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("reconcile by day (-want +got):\n%s", d)
		}
	})
}

func next(d hr.Date) hr.Date { return hr.DateOf(d.In(time.UTC).AddDate(0, 0, 1)) }

func TestReconcile_FollowsAMovedLastDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		seen, stages := map[string]bool{}, []string{"export"}
		got := map[string][]string{}
		run := func(from, to hr.Date) {
			for d := from; !d.After(to); d = next(d) {
				if out := e.day(t, c.ID, d, seen, &stages); len(out) > 0 {
					got[d.String()] = out
				}
			}
		}
		run(submitted, hr.NewDate(2026, 11, 20))
		// The last day moves from 30 Nov to 4 Dec before any reminder.
		c, err := e.svc.ChangeLastDay(e.as["hr"], c.ID, hr.NewDate(2026, 12, 4), "agreed a later date", c.Version)
		must(t, err)
		run(hr.NewDate(2026, 11, 21), hr.NewDate(2026, 11, 29))
		// …and back to 1 Dec after the first reminders for the new date.
		_, err = e.svc.ChangeLastDay(e.as["hr"], c.ID, hr.NewDate(2026, 12, 1), "moved again", c.Version)
		must(t, err)
		run(hr.NewDate(2026, 11, 30), hr.NewDate(2026, 12, 6))
		want := map[string][]string{
			"2026-11-27": {"stage key-accounts"},
			"2026-11-29": {"reminder customers due 2026-12-01 d2 →3", "reminder work due 2026-12-01 d2 →2"},
			// Moved to 1 Dec: deadline 28 Nov has passed already.
			"2026-11-30": {"escalation customers due 2026-11-28 →2", "escalation work due 2026-11-28 →2", "reminder items due 2026-12-01 d1 →2"},
			"2026-12-02": {"escalation items due 2026-12-01 →2"},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("reconcile by day (-want +got):\n%s", d)
		}
		if e.employee(t, e.leaver.ID).LastWorkingDay != hr.NewDate(2026, 12, 1) {
			t.Error("the employee's last day did not follow")
		}
	})
}

func TestReconcile_ConcurrentReconcilersQueueEachMessageOnce(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, dbtest.Open(t, backend))
			const n = 12
			for i := range n {
				emp, err := e.hr.HireEmployee(e.sys, hr.EmployeeParams{Number: fmt.Sprintf("L%02d", i), Name: fmt.Sprintf("Leaver %d", i),
					DepartmentID: e.leaver.DepartmentID, HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus})
				must(t, err)
				p := e.resignParams()
				p.EmployeeID = emp.ID
				_, err = e.svc.Resign(e.as["hr"], p)
				must(t, err)
			}
			d := hr.NewDate(2026, 11, 25)
			e.clock.Set(shanghai(d))
			var wg sync.WaitGroup
			reps := make([]offboarding.ReconcileReport, 2)
			errs := make([]error, 2)
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					reps[i], errs[i] = e.svc.Reconcile(e.sys, shanghai(d))
				}()
			}
			wg.Wait()
			must(t, errs[0])
			must(t, errs[1])
			// Each case has two steps due in two days (customers and work).
			if got := reps[0].Reminders + reps[1].Reminders; got != 2*n {
				t.Errorf("reminders = %d + %d, want %d in all", reps[0].Reminders, reps[1].Reminders, 2*n)
			}
			if got := len(e.messages(t, offboarding.KindReminder)); got != n*5 {
				t.Errorf("messages = %d, want %d (3 for customers, 2 for work, per case)", got, n*5)
			}
			if got, err := e.svc.Reconcile(e.sys, shanghai(d)); err != nil || got.Reminders != 0 {
				t.Errorf("a third reconcile = %+v, %v; want nothing", got, err)
			}
		})
	}
	_ = context.Background
}

func TestReconcile_ALastDayMovedIntoThePastEscalatesAndRevokesAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		seen, stages := map[string]bool{}, []string{"export"}
		e.day(t, c.ID, hr.NewDate(2026, 11, 10), seen, &stages)
		// Agreed on 10 Nov: the last day is 11 Nov after all.
		_, err := e.svc.ChangeLastDay(e.as["hr"], c.ID, hr.NewDate(2026, 11, 11), "garden leave", c.Version)
		must(t, err)
		got := e.day(t, c.ID, hr.NewDate(2026, 11, 10), seen, &stages)
		want := []string{"escalation customers due 2026-11-08 →2", "escalation work due 2026-11-08 →2",
			"reminder items due 2026-11-11 d1 →2", "stage key-accounts"}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("the same day after the move (-want +got):\n%s", d)
		}
	})
}

func TestReconcile_ListsCustomersAcquiredLater(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		late := e.customer(t, "后来的客户", e.leaver)
		e.customer(t, "someone else's", e.succ1)
		rep, err := e.svc.Reconcile(e.sys, e.clock.Now())
		must(t, err)
		if rep.Customers != 1 {
			t.Errorf("reconcile added %d customers, want 1", rep.Customers)
		}
		items, err := e.svc.CustomerHandover(e.as["hr"], c.ID)
		must(t, err)
		if len(items) != 1 || items[0].CustomerID != late.ID || items[0].AddedAt.IsZero() {
			t.Errorf("items = %+v", items)
		}
		if rep, err = e.svc.Reconcile(e.sys, e.clock.Now()); err != nil || rep.Customers != 0 {
			t.Errorf("a second reconcile = %+v, %v", rep, err)
		}
	})
}

func TestReconcile_CountsDaysInTheTenantsZone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.resign(t)
		// 17:00 UTC on 24 Nov is already 01:00 on 25 Nov in Shanghai: two
		// days before the 27 Nov deadlines.
		for _, tc := range []struct {
			at   time.Time
			want int
		}{
			{time.Date(2026, 11, 24, 15, 59, 0, 0, time.UTC), 0},
			{time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC), 2},
		} {
			rep, err := e.svc.Reconcile(e.sys, tc.at)
			must(t, err)
			if rep.Reminders != tc.want {
				t.Errorf("reminders at %s = %d, want %d", tc.at, rep.Reminders, tc.want)
			}
		}
	})
}
