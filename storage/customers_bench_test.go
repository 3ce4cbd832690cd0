package storage_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// BenchmarkCustomers_OwnerPage measures the owner-scoped list page: the
// first 50 active customers (by name) of one owner who holds 10,000, in a
// tenant of 1,000,000 customers on PostgreSQL (100 owners). On SQLite the
// tenant holds 100,000 (10 owners of 10,000), to keep the seed short. The
// rows are seeded set-based (generate_series / a recursive CTE), once.
func BenchmarkCustomers_OwnerPage(b *testing.B) {
	for _, backend := range benchBackends {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			db := dbtest.Open(b, backend)
			total := 1_000_000
			if backend == "sqlite" {
				total = 100_000
			}
			owners := total / 10_000
			tenant, _ := seedDirectory(b, db, owners, 1)
			seedCustomers(b, db, tenant, total)
			var owner string
			if err := db.Bun().NewRaw("SELECT id FROM ballast_employees WHERE tenant_id = ? ORDER BY id LIMIT 1", tenant).
				Scan(context.Background(), &owner); err != nil {
				b.Fatal(err)
			}
			s := db.Customers()
			q := customers.Query{Scope: customers.Scope{Owner: owner}, Statuses: []customers.Status{customers.StatusActive}, Limit: 51}
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				cs, err := s.ListCustomers(ctx, tenant, q)
				if err != nil || len(cs) != 51 {
					b.Fatalf("page: %d, %v", len(cs), err)
				}
			}
		})
	}
}

// seedCustomers inserts n customers spread evenly over the tenant's
// employees in one set-based statement.
func seedCustomers(b *testing.B, db *storage.DB, tenant string, n int) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	now := time.Now().UTC()
	series := "SELECT g FROM generate_series(CAST(1 AS BIGINT), CAST(? AS BIGINT)) AS g"
	if db.Dialect() == storage.SQLite {
		series = "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ?) SELECT g FROM s"
	}
	_, err := db.Bun().ExecContext(ctx, `INSERT INTO ballast_customers
		(tenant_id, id, name, industry, region, tier, annual_value_cents, currency, owner_id, status,
		 needs, contacts, deals, follow_ups, search_text, created_at, updated_at, version)
		SELECT ?, 'c' || g, 'Customer ' || ((g * 7919) % ?), 'industry', 'region',
		       CASE WHEN g % 10 = 0 THEN 'key' ELSE 'standard' END, g * 100, 'CNY',
		       e.id, CASE WHEN g % 20 = 7 THEN 'archived' ELSE 'active' END,
		       '', '[]', '[]', '[]', '', ?, ?, 1
		FROM (`+series+`) AS gs
		JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS m
		      FROM ballast_employees WHERE tenant_id = ?) AS e ON e.k = gs.g % e.m`,
		tenant, n, now, now, n, tenant)
	if err != nil {
		b.Fatal(err)
	}
	if db.Dialect() == storage.Postgres {
		if _, err := db.Bun().ExecContext(ctx, "ANALYZE ballast_customers"); err != nil {
			b.Fatal(err)
		}
	} else if _, err := db.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d customers in %v", n, time.Since(start).Round(time.Millisecond))
}
