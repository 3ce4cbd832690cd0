package storage_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// seedAssets gives every employee of tenant perEmployee issued assets in
// one INSERT … SELECT, and returns how many rows it wrote.
func seedAssets(b *testing.B, db *storage.DB, tenant string, perEmployee int) int64 {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	res, err := db.Bun().ExecContext(ctx, `INSERT INTO ballast_assets
		(tenant_id, id, kind, name, model, tag, holder_id, issued_on, condition, notes, status, created_at, updated_at, version)
		SELECT e.tenant_id, e.id || '-' || g.n, 'laptop', 'Asset ' || e.name || ' #' || g.n, 'X1', e.number || '-' || g.n,
			e.id, '2026-01-01', 'good', '', 'issued', ?, ?, 1
		FROM ballast_employees e CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
			UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) g
		WHERE e.tenant_id = ? AND g.n <= ?`, now, now, tenant, perEmployee)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := res.RowsAffected()
	if _, err := db.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkAssetsListPage lists the first page of 50 assets in a tenant of
// 100,000 assets held by 10,000 employees in 100 departments, as an
// employee (own scope: 10 assets), a department head (one department of
// 100 employees, 1,000 assets, resolved in the query) and HR (all).
func BenchmarkAssetsListPage(b *testing.B) {
	for _, backend := range benchBackends {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			db := dbtest.Open(b, backend)
			tenant, depts := seedDirectory(b, db, 10_000, 100)
			ctx := context.Background()
			var head string
			err := db.Bun().NewRaw("SELECT id FROM ballast_employees WHERE tenant_id = ? AND department_id = ? ORDER BY id LIMIT 1",
				tenant, depts[0]).Scan(ctx, &head)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.Bun().ExecContext(ctx, "UPDATE ballast_departments SET head_id = ? WHERE tenant_id = ? AND id = ?", head, tenant, depts[0]); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			n := seedAssets(b, db, tenant, 10)
			b.Logf("%s: seeded %d assets in %v", backend, n, time.Since(start).Round(time.Millisecond))
			s := db.Assets()
			for _, sc := range []struct {
				name  string
				scope assets.Scope
				want  int
			}{
				{"own", assets.Scope{Holder: head}, 10},
				{"department", assets.Scope{Holder: head, HeadOf: head}, 51},
				{"all", assets.Scope{All: true}, 51},
			} {
				b.Run(sc.name, func(b *testing.B) {
					for b.Loop() {
						as, err := s.ListAssets(ctx, tenant, assets.Query{Scope: sc.scope, Limit: 51})
						if err != nil {
							b.Fatal(err)
						}
						if len(as) != sc.want {
							b.Fatalf("%d assets, want %d", len(as), sc.want)
						}
					}
				})
			}
		})
	}
}
