package mentoring_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/talent/mentoring"
)

// BenchmarkMenteeImprovements_2000Mentorships measures the figure the
// assessment indicator "mentee improvement" imports: 2,000 mentorships of
// 1,000 mentors over 4,000 employees with 3 years of half-year performance
// history (24,000 records), computed in SQL.
func BenchmarkMenteeImprovements_2000Mentorships(b *testing.B) {
	const employees, mentorships = 4000, 2000
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			db := dbtest.Open(b, backend)
			e := newEnv(b, db)
			ctx := context.Background()
			now := time.Now().UTC()
			emps := make([]hr.Employee, employees)
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
			store := db.Mentoring()
			must(b, db.InTx(ctx, func(ctx context.Context) error {
				for i := 0; i < mentorships; i++ {
					m := mentoring.Mentorship{ID: ballast.NewID(), MentorID: emps[i/2].ID, MenteeID: emps[employees/2+i].ID,
						Goals: []string{"grow"}, Start: hr.NewDate(2026, 1, 1), End: hr.NewDate(2026, 12, 31), Status: mentoring.Active,
						CreatedBy: "bench", CreatedAt: now, UpdatedAt: now, Version: 1}
					if err := store.InsertMentorship(ctx, e.tenant, m); err != nil {
						return err
					}
				}
				return nil
			}))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				got, err := e.svc.MenteeImprovements(e.sys, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31))
				must(b, err)
				if len(got) != mentorships/2 {
					b.Fatalf("%d mentors measured, want %d", len(got), mentorships/2)
				}
			}
		})
	}
}
