package pools_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/pools"
)

// seedBulk inserts n employees over 50 departments, 6 half-year periods
// of performance each, and profiles (a third with a management
// experience, a quarter with a management career plan) with bulk SQL.
func seedBulk(tb testing.TB, db *storage.DB, tenant string, n int) {
	tb.Helper()
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ds []hr.Department
	for i := range 50 {
		ds = append(ds, hr.Department{ID: fmt.Sprintf("d%d", i), Name: fmt.Sprintf("Dept %02d", i), CreatedAt: t0, UpdatedAt: t0, Version: 1})
	}
	must(tb, db.HR().InsertDepartments(ctx, tenant, ds))
	pg := db.Dialect() == storage.Postgres
	js := func(s string) string {
		if pg {
			return "CAST(" + s + " AS jsonb)"
		}
		return s
	}
	seq := fmt.Sprintf("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %d) ", n)
	var periods []string
	for i, p := range []string{"2023H2:2023-12-31", "2024H1:2024-06-30", "2024H2:2024-12-31", "2025H1:2025-06-30", "2025H2:2025-12-31", "2026H1:2026-06-30"} {
		lbl, end, _ := strings.Cut(p, ":")
		periods = append(periods, fmt.Sprintf("SELECT %d AS k, '%s' AS period, '%s' AS pe", i, lbl, end))
	}
	for _, q := range []string{
		seq + `INSERT INTO ballast_employees (tenant_id, id, number, name, department_id, hire_date, hire_channel, status, last_working_day, created_at, updated_at, version)
		SELECT ?, 'emp' || n, 'N' || n, 'Employee ' || n, 'd' || (n % 50),
		CASE n % 4 WHEN 0 THEN '2015-03-01' WHEN 1 THEN '2019-07-15' WHEN 2 THEN '2022-09-01' ELSE '2025-02-10' END,
		'campus', CASE WHEN n % 50 = 0 THEN 'resigning' ELSE 'active' END, CASE WHEN n % 50 = 0 THEN '2026-12-31' END,
		CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1 FROM seq`,
		seq + `INSERT INTO ballast_performance_records (tenant_id, employee_id, period, period_end, score, grade, source, cycle_id, recorded_at)
		SELECT ?, 'emp' || n, p.period, p.pe, 50 + ((n * 37 + p.k * 101 + (n / 7) * 13) % 51), 'B', 'import', '', CURRENT_TIMESTAMP
		FROM seq CROSS JOIN (` + strings.Join(periods, " UNION ALL ") + `) p`,
		seq + `INSERT INTO ballast_employee_profiles (tenant_id, employee_id, projects, certifications, skills, management, career_plan, updated_at, version)
		SELECT ?, 'emp' || n, ` + js("'[]'") + `, ` + js("'[]'") + `, ` + js("'[]'") + `,
		` + js(`CASE WHEN n % 3 = 0 THEN '[{"team_size":3,"start":"2022-01-01","end":"","description":"East team"}]' ELSE '[]' END`) + `,
		` + js(`CASE n % 4 WHEN 0 THEN '{"direction":"management","updated_at":"2026-03-02T08:00:00Z"}' WHEN 1 THEN '{"direction":"technical","updated_at":"2026-03-02T08:00:00Z"}' END`) + `,
		CURRENT_TIMESTAMP, 1 FROM seq`,
	} {
		if _, err := db.Bun().ExecContext(ctx, q, tenant); err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	if pg {
		if _, err := db.Bun().ExecContext(ctx, "ANALYZE ballast_employees; ANALYZE ballast_performance_records; ANALYZE ballast_employee_profiles"); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkScreen_100k screens "top 15% of the tenant over the last 6
// periods AND at least one management experience AND a management career
// plan" over 100,000 employees with 6 half-year periods each (600,000
// performance records). Target: under 1 s on PostgreSQL.
func BenchmarkScreen_100k(b *testing.B) {
	for _, backend := range dbtest.Backends() {
		b.Run(backend, func(b *testing.B) {
			db := dbtest.Open(b, backend)
			e := newEnv(b, db)
			seedBulk(b, db, e.tenant, 100_000)
			pool, err := e.svc.CreatePool(e.sys, pools.PoolParams{Name: "Middle-manager candidates", Rule: pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{
				{Kind: pools.KindPerformanceTopPercent, Percent: 15, Periods: 6},
				{Kind: pools.KindManagementExperience, MinCount: 1},
				{Kind: pools.KindCareerPlan, Direction: hr.DirectionManagement}}}})
			must(b, err)
			ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: e.hrP.ID, Kind: ballast.KindUser})
			var sc pools.Screening
			b.ResetTimer()
			for b.Loop() {
				sc, err = e.svc.Screen(ctx, pool.ID)
				must(b, err)
			}
			b.ReportMetric(float64(len(sc.Matches)), "matches")
			b.ReportMetric(float64(len(sc.NearMisses)), "near-misses")
		})
	}
}
