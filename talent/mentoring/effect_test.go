package mentoring_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/mentoring"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func f(x float64) *float64 { return &x }

func TestEffectiveness_AveragesMenteesImprovement(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		rec := func(emp hr.Employee, period string, score float64) hr.PerformanceEntry {
			return hr.PerformanceEntry{EmployeeID: emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: period, Score: score}}
		}
		must(t, e.hr.RecordPerformance(e.sys, []hr.PerformanceEntry{
			rec(e.emp, "2025H2", 70), rec(e.emp, "2026H1", 78), rec(e.emp, "2026H2", 85),
			rec(e.emp2, "2025H2", 60), rec(e.emp2, "2026H1", 66),
			rec(e.rd, "2026H1", 90),
		}))
		m1 := e.start(t, e.rd, e.emp)  // 70 → 85: +15
		m2 := e.start(t, e.rd, e.emp2) // 60 → 66: +6
		m3 := e.start(t, e.hrP, e.rd)  // no score before: not measured
		cancelled := e.start(t, e.head, e.emp)
		_, err := e.svc.Close(e.as["hr"], cancelled.ID, mentoring.Cancelled, "never met", cancelled.Version)
		must(t, err)

		got, err := e.svc.Effectiveness(e.as["hr"], hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31), e.rd.ID)
		must(t, err)
		mentees := []mentoring.Improvement{
			{MentorshipID: m1.ID, MentorID: e.rd.ID, MenteeID: e.emp.ID, Start: m1.Start, Before: f(70), After: f(85)},
			{MentorshipID: m2.ID, MentorID: e.rd.ID, MenteeID: e.emp2.ID, Start: m2.Start, Before: f(60), After: f(66)},
		}
		want := []mentoring.MentorEffect{{MentorID: e.rd.ID, Mentorships: 2, Measured: 2, Improvement: 10.5, Mentees: mentees}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("effectiveness of 陈晨 (-want +got):\n%s", d)
		}

		// Over the first half only, the latest period is 2026H1.
		byMentor, err := e.svc.MenteeImprovements(e.sys, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 6, 30))
		must(t, err)
		if d := cmp.Diff(map[string]float64{e.rd.ID: 7}, byMentor); d != "" {
			t.Errorf("mentee improvement per mentor, first half (-want +got):\n%s", d)
		}
		all, err := e.svc.Effectiveness(e.as["hr"], hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31), "")
		must(t, err)
		for _, me := range all {
			if me.MentorID == e.hrP.ID && (me.Mentorships != 1 || me.Measured != 0 || me.Improvement != 0) {
				t.Errorf("a mentor without measurable mentees: %+v", me)
			}
			if me.MentorID == e.head.ID {
				t.Errorf("a cancelled mentorship counts: %+v", me)
			}
		}
		_ = m3
		_, err = e.svc.Effectiveness(e.as["head"], hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31), "")
		wantErr(t, "a department head", err, ballast.ErrForbidden)
		_, err = e.svc.Effectiveness(e.as["hr"], hr.NewDate(2026, 12, 31), hr.NewDate(2026, 1, 1), "")
		if d := cmp.Diff([]string{"to"}, fields(t, err)); d != "" {
			t.Errorf("a period ending before it starts (-want +got):\n%s", d)
		}
	})
}
