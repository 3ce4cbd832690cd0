package storage_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// seedReferrals fills one tenant, set-based (one INSERT … SELECT per
// table), with 200 departments (20 roots of 10) and n employees: employee
// i works in department i mod 200, 30% were referred by someone of their
// own department hired before them, 10% departed; and n customers, every
// fifth a key account, owned ten each by every tenth employee.
func seedReferrals(b *testing.B, db *storage.DB, n int) string {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	tenant := ballast.NewID()
	if err := db.HR().InsertTenant(ctx, hr.Tenant{ID: tenant, Name: "Bench", TimeZone: "UTC", Locale: "en", CreatedAt: now, UpdatedAt: now, Version: 1}); err != nil {
		b.Fatal(err)
	}
	// seq(i) for i in [0, ?): generate_series on PostgreSQL, a recursive
	// CTE on SQLite; id(prefix, expr) a zero-padded text ID.
	seq := "WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?) "
	from := "FROM seq"
	id := func(prefix, expr string) string { return "printf('" + prefix + "%07d', " + expr + ")" }
	if db.Dialect() == storage.Postgres {
		seq, from = "", "FROM generate_series(0, ? - 1) AS seq(i)"
		id = func(prefix, expr string) string { return "'" + prefix + "' || lpad((" + expr + ")::text, 7, '0')" }
	}
	// The referrer of i, when i is referred: someone 200·k earlier, so in
	// the same department.
	referred := "(i % 10 < 3 AND i >= 200 * (1 + (i * 7919) % 50))"
	referrer := "i - 200 * (1 + (i * 7919) % 50)"
	start := time.Now()
	stmts := []struct {
		sql  string
		rows int
	}{
		{seq + `INSERT INTO ballast_departments (tenant_id, id, name, parent_id, parent_key, created_at, updated_at)
			SELECT ?, ` + id("d", "i") + `, ` + id("Dept ", "i") + `,
				CASE WHEN i % 10 = 0 THEN NULL ELSE ` + id("d", "i - i % 10") + ` END,
				CASE WHEN i % 10 = 0 THEN '' ELSE ` + id("d", "i - i % 10") + ` END, ?, ? ` + from, 200},
		{seq + `INSERT INTO ballast_employees (tenant_id, id, number, name, department_id, hire_date, hire_channel,
				referrer_id, status, last_working_day, created_at, updated_at)
			SELECT ?, ` + id("e", "i") + `, ` + id("E", "i") + `, ` + id("Person ", "i") + `, ` + id("d", "i % 200") + `, '2020-01-01',
				CASE WHEN ` + referred + ` THEN 'referral' ELSE 'campus' END,
				CASE WHEN ` + referred + ` THEN ` + id("e", referrer) + ` END,
				CASE WHEN i % 10 = 9 THEN 'departed' ELSE 'active' END,
				CASE WHEN i % 10 = 9 THEN '2025-01-31' END, ?, ? ` + from, n},
		{seq + `INSERT INTO ballast_customers (tenant_id, id, name, tier, annual_value_cents, owner_id, status, created_at, updated_at)
			SELECT ?, ` + id("c", "i") + `, ` + id("Customer ", "i") + `,
				CASE WHEN i % 5 = 0 THEN 'key' ELSE 'standard' END, (i * 7919) % 1000000,
				` + id("e", "10 * ((i * 7) % (? / 10))") + `, 'active', ?, ? ` + from, n},
	}
	for k, s := range stmts {
		args := []any{s.rows, tenant, now, now}
		if db.Dialect() == storage.Postgres {
			args = []any{tenant, now, now, s.rows}
		}
		if k == 2 { // the owner's modulus
			if db.Dialect() == storage.Postgres {
				args = []any{tenant, n, now, now, s.rows}
			} else {
				args = []any{s.rows, tenant, n, now, now}
			}
		}
		if _, err := db.Bun().NewRaw(s.sql, args...).Exec(ctx); err != nil {
			b.Fatalf("seed statement %d: %v", k, err)
		}
	}
	analyze := "ANALYZE"
	if db.Dialect() == storage.Postgres {
		analyze = "ANALYZE ballast_employees, ballast_departments, ballast_customers"
	}
	if _, err := db.Bun().ExecContext(ctx, analyze); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d employees, 200 departments and %d customers in %v", db.Dialect(), n, n, time.Since(start).Round(time.Millisecond))
	return tenant
}

// BenchmarkInsightAnalyze is the referral and dependency analysis of a
// tenant of 100,000 employees (and 100,000 customers): the edge-list query
// alone, the holdings GROUP BY alone, and the whole Service.Analyze (three
// queries and the O(n) computation).
func BenchmarkInsightAnalyze(b *testing.B) {
	for _, backend := range benchBackends {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			db := dbtest.Open(b, backend)
			const n = 100_000
			tenant := seedReferrals(b, db, n)
			ctx := context.Background()
			log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db})
			if err != nil {
				b.Fatal(err)
			}
			enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log})
			if err != nil {
				b.Fatal(err)
			}
			svc, err := insight.New(insight.Config{Store: db.Insight(), Auth: enf})
			if err != nil {
				b.Fatal(err)
			}
			sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "bench", Kind: ballast.KindSystem})
			s := db.Insight()
			b.Run("employees-query", func(b *testing.B) {
				for b.Loop() {
					es, err := s.Employees(ctx, tenant)
					if err != nil || len(es) != n {
						b.Fatalf("employees = %d, %v", len(es), err)
					}
				}
			})
			b.Run("holdings-query", func(b *testing.B) {
				for b.Loop() {
					hs, err := s.Holdings(ctx, tenant, nil)
					if err != nil || len(hs) == 0 {
						b.Fatalf("holdings = %d, %v", len(hs), err)
					}
				}
			})
			for _, opts := range []struct {
				name string
				o    insight.Options
			}{{"analyze", insight.Options{}}, {"analyze-subdepartments", insight.Options{IncludeSubdepartments: true}}} {
				b.Run(opts.name, func(b *testing.B) {
					for b.Loop() {
						a, err := svc.Analyze(sys, opts.o)
						if err != nil || len(a.Departments) != 200 {
							b.Fatalf("analyze: %v", err)
						}
					}
				})
			}
		})
	}
}
