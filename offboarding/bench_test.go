package offboarding_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

var benchBackends = []string{"sqlite", "postgres"}

func benchDB(b *testing.B, backend string) *storage.DB {
	b.Helper()
	if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
		b.Skip(dbtest.EnvPostgres + " not set")
	}
	return dbtest.Open(b, backend)
}

// series is a row source of g = 1…? on db's dialect.
func series(db *storage.DB) string {
	if db.Dialect() == storage.SQLite {
		return "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ?) SELECT g FROM s"
	}
	return "SELECT g FROM generate_series(CAST(1 AS BIGINT), CAST(? AS BIGINT)) AS g"
}

// uuidOf is an SQL expression for a canonical UUID built from prefix and g.
func uuidOf(db *storage.DB, prefix string) string {
	if db.Dialect() == storage.SQLite {
		return "'" + prefix + "' || substr('000000000000' || g, -12, 12)"
	}
	return "'" + prefix + "' || lpad(CAST(g AS TEXT), 12, '0')"
}

// seedCustomers gives owner n customers, set-based, with UUID ids under prefix.
func seedCustomers(b testing.TB, e *env, owner hr.Employee, n int, prefix string) {
	b.Helper()
	now := time.Now().UTC()
	_, err := e.db.Bun().ExecContext(context.Background(), `INSERT INTO ballast_customers
		(tenant_id, id, name, industry, region, tier, annual_value_cents, currency, owner_id, status,
		 needs, contacts, deals, follow_ups, search_text, created_at, updated_at, version)
		SELECT ?, `+uuidOf(e.db, prefix)+`, 'Customer ' || g, 'industry', 'region', 'standard', g * 100, 'CNY',
		       ?, 'active', '', '[]', '[]', '[]', '', ?, ?, 1
		FROM (`+series(e.db)+`) AS gs`, e.tenant, owner.ID, now, now, n)
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSignHandover_10kCustomers measures, in one run, the signature
// of a customer handover that moves 10,000 customers with their audit
// entries, against moving the same number one by one through
// customers.Transfer.
func BenchmarkSignHandover_10kCustomers(b *testing.B) {
	const n = 10_000
	for _, backend := range benchBackends {
		b.Run(backend, func(b *testing.B) {
			var sign, single time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := newEnv(b, benchDB(b, backend))
				seedCustomers(b, e, e.leaver, n, "00000000-0000-7000-8000-")
				c := e.resign(b)
				items, err := e.svc.CustomerHandover(e.as["hr"], c.ID)
				must(b, err)
				assign := make(map[string]string, len(items))
				ids := make([]string, len(items))
				for j, it := range items {
					assign[it.CustomerID], ids[j] = e.succ1.ID, it.CustomerID
				}
				must(b, e.svc.AssignCustomers(e.as["hr"], c.ID, assign))
				must(b, e.svc.MarkHandedOver(e.as["hr"], c.ID, ids, "handed over in the weekly meeting"))
				hc, err := e.svc.PrepareHandover(e.as["succ1"], c.ID, e.succ1.ID)
				must(b, err)
				if len(hc.Customers) != n {
					b.Fatalf("content holds %d customers", len(hc.Customers))
				}
				b.StartTimer()
				start := time.Now()
				_, err = e.svc.SignHandover(e.as["succ1"], offboarding.SignParams{CaseID: c.ID, Signer: e.succ1.ID, Hash: hc.Hash})
				sign += time.Since(start)
				b.StopTimer()
				must(b, err)

				// The same number of customers, one by one.
				seedCustomers(b, e, e.succ2, n, "00000000-0000-7000-9000-")
				var all []customers.Customer
				f := customers.Filter{Owner: e.succ2.ID, Limit: 500}
				for {
					page, err := e.customers.List(e.sys, f)
					must(b, err)
					all = append(all, page.Customers...)
					if f.Cursor = page.Next; f.Cursor == "" {
						break
					}
				}
				start = time.Now()
				for _, x := range all {
					if _, err := e.customers.Transfer(e.as["hr"], x.ID, e.manager.ID, x.Version, "one by one"); err != nil {
						b.Fatal(err)
					}
				}
				single += time.Since(start)
			}
			b.ReportMetric(float64(sign.Milliseconds())/float64(b.N), "sign-ms/op")
			b.ReportMetric(float64(single.Milliseconds())/float64(b.N), "one-by-one-ms/op")
			b.ReportMetric(float64(single)/float64(sign), "speedup")
		})
	}
}

// BenchmarkReconcile_5000OpenCasesNothingDue measures Reconcile over a
// tenant with 5,000 open cases (20,000 steps, a listed customer each)
// none of which has anything due: the due work is found through indexed
// dates, the customers acquired later through one anti-join.
func BenchmarkReconcile_5000OpenCasesNothingDue(b *testing.B) {
	const n = 5000
	for _, backend := range benchBackends {
		b.Run(backend, func(b *testing.B) {
			e := newEnv(b, benchDB(b, backend))
			ctx := context.Background()
			now := time.Now().UTC()
			exec := func(q string, args ...any) {
				b.Helper()
				if _, err := e.db.Bun().ExecContext(ctx, q, args...); err != nil {
					b.Fatal(err)
				}
			}
			exec(`INSERT INTO ballast_employees (tenant_id, id, number, name, department_id, hire_date, hire_channel,
				status, last_working_day, created_at, updated_at, version)
				SELECT ?, `+uuidOf(e.db, "00000000-0000-7000-a000-")+`, 'B' || g, 'Leaver ' || g, ?, '2020-01-01', 'campus',
				'resigning', '2026-11-30', ?, ?, 1 FROM (`+series(e.db)+`) AS gs`, e.tenant, e.leaver.DepartmentID, now, now, n)
			exec(`INSERT INTO ballast_offboarding_cases (tenant_id, id, employee_id, open_employee_id, kind, submitted_on, last_day,
				successors, status, plan, reminder_offsets, escalate_to, next_stage_on, opened_by, opened_at, updated_at, version)
				SELECT ?, `+uuidOf(e.db, "00000000-0000-7000-b000-")+`, `+uuidOf(e.db, "00000000-0000-7000-a000-")+`,
				`+uuidOf(e.db, "00000000-0000-7000-a000-")+`, 'voluntary', '2026-11-02', '2026-11-30',
				'[]', 'open', '{"stages":[]}', '[2,1]', '["manager","hr"]', '2026-11-23', 'bench', ?, ?, 1
				FROM (`+series(e.db)+`) AS gs`, e.tenant, now, now, n)
			for k, key := range []string{"customers", "work", "items", "access"} {
				next := "'2026-11-25'"
				if key == "access" {
					next = "NULL"
				}
				exec(`INSERT INTO ballast_offboarding_steps (tenant_id, id, case_id, position, key, kind, title, responsible, assignees,
					due_offset_days, due_on, status, next_alert_on, updated_at, version)
					SELECT ?, `+uuidOf(e.db, fmt.Sprintf("00000000-0000-7000-c00%d-", k))+`, `+uuidOf(e.db, "00000000-0000-7000-b000-")+`,
					?, ?, ?, ?, '["hr"]', '[]', -3, '2026-11-27', 'open', `+next+`, ?, 1
					FROM (`+series(e.db)+`) AS gs`, e.tenant, k, key, key, key, now, n)
			}
			// Each leaver owns a customer, already on the case's list.
			exec(`INSERT INTO ballast_customers
				(tenant_id, id, name, industry, region, tier, annual_value_cents, currency, owner_id, status,
				 needs, contacts, deals, follow_ups, search_text, created_at, updated_at, version)
				SELECT ?, `+uuidOf(e.db, "00000000-0000-7000-d000-")+`, 'Customer ' || g, 'i', 'r', 'standard', 100, 'CNY',
				`+uuidOf(e.db, "00000000-0000-7000-a000-")+`, 'active', '', '[]', '[]', '[]', '', ?, ?, 1
				FROM (`+series(e.db)+`) AS gs`, e.tenant, now, now, n)
			exec(`INSERT INTO ballast_offboarding_customers (tenant_id, case_id, customer_id, customer_name, added_at)
				SELECT ?, `+uuidOf(e.db, "00000000-0000-7000-b000-")+`, `+uuidOf(e.db, "00000000-0000-7000-d000-")+`, 'Customer ' || g, ?
				FROM (`+series(e.db)+`) AS gs`, e.tenant, now, n)
			if e.db.Dialect() == storage.Postgres {
				exec("ANALYZE")
			}
			at := shanghai(hr.NewDate(2026, 11, 10))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rep, err := e.svc.Reconcile(e.sys, at)
				if err != nil {
					b.Fatal(err)
				}
				if rep != (offboarding.ReconcileReport{}) {
					b.Fatalf("reconcile did %+v", rep)
				}
			}
		})
	}
}
