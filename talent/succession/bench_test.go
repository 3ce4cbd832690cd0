package succession_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/talent/succession"
)

// BenchmarkCoverage_2000 measures the company coverage report over 2,000
// critical positions (and 2,000 others) in three departments, each
// critical position held by an incumbent (1 in 20 resigning, 1 in 10 a
// key person), three in four with 1–3 successors (about 3,000, drawn from
// 4,000 employees so that many are named on several positions).
func BenchmarkCoverage_2000(b *testing.B) {
	const positions, pool = 2000, 4000
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			e, n := seedCoverage(b, backend, positions, pool)
			b.ResetTimer()
			for b.Loop() {
				c, err := e.svc.Coverage(e.as["hr"])
				must(b, err)
				if c.CriticalPositions != positions+2 || len(c.WithoutSuccessor) != positions/4+2 {
					b.Fatalf("coverage of %d positions, %d without successor", c.CriticalPositions, len(c.WithoutSuccessor))
				}
			}
			b.ReportMetric(float64(n), "successors")
		})
	}
}

// seedCoverage builds the data set of BenchmarkCoverage_2000 and returns
// its env and the number of successors.
func seedCoverage(b testing.TB, backend string, positions, pool int) (*env, int) {
	db := dbtest.Open(b, backend)
	e := newEnv(b, db)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	depts := []string{e.sales.ID, e.east.ID, e.rnd.ID}
	hs := db.HR()
	crit := make([]hr.Position, positions)
	must(b, db.InTx(ctx, func(ctx context.Context) error {
		for i := range 2 * positions {
			p := hr.Position{ID: ballast.NewID(), Title: fmt.Sprintf("Position %05d", i), DepartmentID: depts[i%3],
				Level: 5, Critical: i < positions, CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := hs.InsertPosition(ctx, e.tenant, p); err != nil {
				return err
			}
			if i < positions {
				crit[i] = p
			}
		}
		return nil
	}))
	var emps []hr.Employee
	hire := func(n int, pos hr.Position, dept string) hr.Employee {
		x := hr.Employee{ID: ballast.NewID(), Number: fmt.Sprintf("B%05d", n), Name: fmt.Sprintf("Bench %05d", n), DepartmentID: dept,
			PositionID: pos.ID, HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus, Status: hr.StatusActive,
			KeyPerson: n%10 == 0, CreatedAt: now, UpdatedAt: now, Version: 1}
		if n%20 == 1 {
			x.Status, x.LastWorkingDay = hr.StatusResigning, hr.NewDate(2026, 12, 31)
		}
		emps = append(emps, x)
		return x
	}
	for i, p := range crit {
		hire(i, p, p.DepartmentID)
	}
	cands := make([]hr.Employee, pool)
	for i := range cands {
		cands[i] = hire(positions+i, hr.Position{}, depts[i%3])
	}
	must(b, hs.InsertEmployees(ctx, e.tenant, emps))
	keys := []string{succession.ReadyNow, succession.Ready1To2Years, succession.Ready3To5Years}
	store := db.Succession()
	n := 0
	must(b, db.InTx(ctx, func(ctx context.Context) error {
		for i, p := range crit {
			if i%4 == 0 {
				continue
			}
			for k := range 1 + i%3 {
				s := succession.Successor{ID: ballast.NewID(), PositionID: p.ID, EmployeeID: cands[(i*3+k*977)%pool].ID,
					Readiness: keys[(i+k)%3], Rank: k + 1, Emergency: k == 0, CreatedBy: "bench", CreatedAt: now, UpdatedAt: now, Version: 1}
				if err := store.InsertSuccessor(ctx, e.tenant, s); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	}))
	if backend == "postgres" {
		_, err := db.Conn(ctx).ExecContext(ctx, "ANALYZE")
		must(b, err)
	}
	return e, n
}
