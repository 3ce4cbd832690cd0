package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestInsightStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunInsight(t, func(t *testing.T) storetest.InsightBackend {
				db := dbtest.Open(t, backend)
				return storetest.InsightBackend{Tx: db, HR: db.HR(), Insight: db.Insight(), AddCustomer: insightCustomer(db)}
			})
		})
	}
}

// insightCustomer writes the customer columns the insight store reads,
// directly, so that the suite does not depend on the customers package.
func insightCustomer(db *storage.DB) func(ctx context.Context, tenant string, c storetest.InsightCustomer) error {
	return func(ctx context.Context, tenant string, c storetest.InsightCustomer) error {
		now := time.Now().UTC()
		_, err := db.Conn(ctx).NewRaw(`INSERT INTO ballast_customers
			(tenant_id, id, name, tier, annual_value_cents, owner_id, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, c.ID, c.Name, c.Tier, c.AnnualValueCents, c.OwnerID, c.Status, now, now).Exec(ctx)
		return err
	}
}
