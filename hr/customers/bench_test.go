package customers_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
)

// BenchmarkSnapshotAndDiff takes a tenant snapshot of 10,000 customers and
// diffs it against an earlier one in which 1,000 customers differed: one
// op is TakeSnapshot + Diff.
func BenchmarkSnapshotAndDiff(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			db := dbtest.Open(b, backend)
			e := newEnvTB(b, db)
			ctx := context.Background()
			now := t0
			const n = 10_000
			cs := make([]customers.Customer, n)
			for i := range cs {
				cs[i] = customers.Customer{ID: ballast.NewID(), Name: fmt.Sprintf("客户 %05d 有限公司", i), Industry: "制造",
					Region: "华东", Tier: customers.TierStandard, AnnualValueCents: int64(i) * 100, Currency: "CNY",
					Contacts: []customers.Contact{{Name: "张三", Role: "采购", Phone: "13800000000", Email: "z@example.com"}},
					Deals:    []customers.Deal{{Date: hr.NewDate(2025, 5, 1), AmountCents: 500000, Product: "设备"}},
					Needs:    "偏好季度结算", OwnerID: e.sales1.ID, Status: customers.StatusActive,
					CreatedAt: now, UpdatedAt: now, Version: 1}
			}
			if err := db.InTx(ctx, func(ctx context.Context) error {
				return db.Customers().InsertCustomers(ctx, e.tenant, cs)
			}); err != nil {
				b.Fatal(err)
			}
			hrc := e.ctx["hr"]
			a, err := e.svc.TakeSnapshot(hrc, customers.SnapshotScope{}, "before")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.Bun().ExecContext(ctx, `UPDATE ballast_customers SET needs = 'changed', version = version + 1
				WHERE tenant_id = ? AND id IN (SELECT id FROM ballast_customers WHERE tenant_id = ? ORDER BY id LIMIT 1000)`,
				e.tenant, e.tenant); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				s, err := e.svc.TakeSnapshot(hrc, customers.SnapshotScope{}, "after")
				if err != nil {
					b.Fatal(err)
				}
				d, err := e.svc.Diff(hrc, a.ID, s.ID)
				if err != nil || len(d.Changed) != 1000 || s.Customers != n {
					b.Fatalf("diff: %d changed, %d customers, %v", len(d.Changed), s.Customers, err)
				}
			}
		})
	}
}
