package training_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/talent/training"
)

// BenchmarkEffect_2000Attendees measures the effect report of a course
// with 2,000 attended enrolments over 20 sessions, each attendee with a
// profile and 3 years of half-year performance history.
func BenchmarkEffect_2000Attendees(b *testing.B) {
	const attendees, sessions = 2000, 20
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			db := dbtest.Open(b, backend)
			e := newEnv(b, db)
			ctx := context.Background()
			now := time.Now().UTC()
			c := e.course(b, "NEG-101")
			st := db.Training()
			var ses []training.Session
			for i := range sessions {
				day := hr.NewDate(2026, 3, 1+i)
				start := at(day, 9, 0)
				s := training.Session{ID: ballast.NewID(), CourseID: c.ID, Date: day, EndDate: day, StartsAt: start,
					EndsAt: start.Add(8 * time.Hour), Capacity: attendees / sessions, Status: training.SessionScheduled,
					CreatedAt: now, UpdatedAt: now, Version: 1}
				must(b, st.InsertSession(ctx, e.tenant, s))
				ses = append(ses, s)
			}
			emps := make([]hr.Employee, attendees)
			var perf []hr.PerformanceEntry
			for i := range emps {
				emps[i] = hr.Employee{ID: ballast.NewID(), Number: fmt.Sprintf("B%05d", i), Name: "Bench", DepartmentID: e.sales.ID,
					HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus, Status: hr.StatusActive,
					CreatedAt: now, UpdatedAt: now, Version: 1}
				for y := 2024; y <= 2026; y++ {
					for _, h := range []string{"H1", "H2"} {
						period := fmt.Sprintf("%d%s", y, h)
						end, _ := hr.PeriodEnd(period)
						perf = append(perf, hr.PerformanceEntry{EmployeeID: emps[i].ID,
							PerformanceRecord: hr.PerformanceRecord{Period: period, PeriodEnd: end, Score: float64(50 + (i*7+y)%50)}})
					}
				}
			}
			hs := db.HR()
			must(b, hs.InsertEmployees(ctx, e.tenant, emps))
			must(b, hs.RecordPerformance(ctx, e.tenant, perf, now))
			yes := true
			must(b, db.InTx(ctx, func(ctx context.Context) error {
				for i, emp := range emps {
					p, err := hs.Profile(ctx, e.tenant, emp.ID) // RecordPerformance wrote it
					if err != nil {
						return err
					}
					p.Skills, p.UpdatedAt, p.Version = []hr.Skill{{Name: "Negotiation", Level: 3}}, now, p.Version+1
					if err := hs.PutProfile(ctx, e.tenant, p, p.Version-1); err != nil {
						return err
					}
					en := training.Enrolment{ID: ballast.NewID(), SessionID: ses[i%sessions].ID, CourseID: c.ID, EmployeeID: emp.ID,
						Status: training.Enrolled, Attended: &yes, SkillsBefore: []training.SkillLevel{{Name: "Negotiation", Level: 1 + i%3}},
						EnrolledBy: "bench", EnrolledAt: now, UpdatedAt: now, Version: 1}
					if err := st.InsertEnrolment(ctx, e.tenant, en); err != nil {
						return err
					}
				}
				return nil
			}))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ef, err := e.svc.Effect(e.as["hr"], c.ID)
				must(b, err)
				if ef.Attended != attendees || ef.Performance.Measured != attendees {
					b.Fatalf("effect over %d attendees, %d measured", ef.Attended, ef.Performance.Measured)
				}
			}
		})
	}
}
