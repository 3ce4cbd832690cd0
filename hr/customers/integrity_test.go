package customers_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// A row deleted behind the library's back (straight in the database) shows
// as removed when a snapshot is compared with the current records, and
// Restore inserts it again.
func TestIntegrity_PhysicallyDeletedCustomerIsDetectedAndRecreated(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hrc := e.ctx["hr"]
		c := e.create(t, "被删的客户", e.leaving, func(p *customers.Params) { p.Needs = "长期合作" })
		snap, err := e.svc.TakeSnapshot(hrc, customers.SnapshotScope{}, "before")
		must(t, err)
		ctx := context.Background()
		for _, q := range []string{"DELETE FROM ballast_customer_grams WHERE tenant_id = ? AND customer_id = ?",
			"DELETE FROM ballast_customers WHERE tenant_id = ? AND id = ?"} {
			_, err := db.Bun().ExecContext(ctx, q, e.tenant, c.ID)
			must(t, err)
		}
		d, err := e.svc.DiffWithCurrent(hrc, snap.ID)
		must(t, err)
		if len(d.Removed) != 1 || d.Removed[0].ID != c.ID {
			t.Fatalf("DiffWithCurrent = %+v", d)
		}
		rep, err := e.svc.Restore(hrc, snap.ID, []string{c.ID}, "恢复误删")
		must(t, err)
		if len(rep.Recreated) != 1 {
			t.Fatalf("Restore = %+v", rep)
		}
		got, err := e.svc.Get(hrc, c.ID)
		must(t, err)
		if got.Needs != "长期合作" || got.Version != c.Version+1 {
			t.Errorf("recreated = %+v", got)
		}
		page, err := e.svc.List(hrc, customers.Filter{Query: "被删"})
		must(t, err)
		if len(page.Customers) != 1 {
			t.Errorf("recreated customer not searchable: %v", names(page.Customers))
		}
		d, err = e.svc.DiffWithCurrent(hrc, snap.ID)
		must(t, err)
		if !d.Empty() {
			t.Errorf("after restore, DiffWithCurrent = %+v", d)
		}
	})
}

// TransferMany joins the caller's transaction: when the caller rolls back
// (an offboarding step that fails later), no customer moved and no audit
// entry remains.
func TestTransferMany_RollsBackWithTheCallersTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.create(t, "客户", e.leaving)
		before := len(e.entries(t))
		boom := errors.New("a later step failed")
		err := db.InTx(e.ctx["hr"], func(ctx context.Context) error {
			if _, err := e.svc.TransferMany(ctx, customers.TransferManyParams{From: e.leaving.ID, To: e.sales1.ID}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		got, err := e.svc.Get(e.ctx["hr"], c.ID)
		must(t, err)
		if got.OwnerID != e.leaving.ID || got.Version != c.Version || len(e.entries(t)) != before {
			t.Errorf("rolled-back transfer left owner %s, version %d, %d new entries", got.OwnerID, got.Version, len(e.entries(t))-before)
		}
	})
}

func TestArchive_OnlyCustodiansAndUnarchiveBringsBack(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.create(t, "客户", e.sales1)
		a, err := e.svc.Archive(e.ctx["hr"], c.ID, c.Version, "停止合作")
		must(t, err)
		if a.Status != customers.StatusArchived || a.ArchivedAt.IsZero() {
			t.Errorf("Archive = %+v", a)
		}
		_, err = e.svc.Archive(e.ctx["hr"], c.ID, a.Version, "again")
		wantErr(t, "archive twice", err, ballast.ErrConflict)
		// Archived records leave the default listing but stay on record.
		for status, n := range map[customers.Status]int{"": 0, customers.StatusArchived: 1, customers.StatusAll: 1} {
			page, err := e.svc.List(e.ctx["salesperson"], customers.Filter{Status: status})
			must(t, err)
			if len(page.Customers) != n {
				t.Errorf("List(status %q) = %v", status, names(page.Customers))
			}
		}
		_, err = e.svc.Unarchive(e.ctx["salesperson"], c.ID, a.Version, "")
		wantErr(t, "owner unarchives", err, ballast.ErrForbidden)
		u, err := e.svc.Unarchive(e.ctx["admin"], c.ID, a.Version, "恢复合作")
		must(t, err)
		if u.Status != customers.StatusActive || !u.ArchivedAt.IsZero() || u.Version != a.Version+1 {
			t.Errorf("Unarchive = %+v", u)
		}
	})
}
