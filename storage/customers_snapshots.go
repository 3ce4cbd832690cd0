package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr/customers"
)

type customerSnapshotRow struct {
	bun.BaseModel `bun:"table:ballast_customer_snapshots,alias:s"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Scope         string    `bun:"scope"`
	OwnerID       string    `bun:"owner_id"`
	Day           string    `bun:"day,nullzero"`
	Reason        string    `bun:"reason"`
	TakenBy       string    `bun:"taken_by"`
	TakenAt       time.Time `bun:"taken_at"`
	Customers     int       `bun:"customers"`
}

func (r customerSnapshotRow) record() customers.Snapshot {
	return customers.Snapshot{ID: r.ID, Scope: r.Scope, OwnerID: r.OwnerID, Day: r.Day, Reason: r.Reason,
		TakenBy: r.TakenBy, TakenAt: r.TakenAt.UTC(), Customers: r.Customers}
}

type customerSnapshotItemRow struct {
	bun.BaseModel `bun:"table:ballast_customer_snapshot_items"`
	TenantID      string `bun:"tenant_id,pk"`
	SnapshotID    string `bun:"snapshot_id,pk"`
	CustomerID    string `bun:"customer_id,pk"`
	Data          string `bun:"data"`
}

func (s customerStore) InsertSnapshot(ctx context.Context, tenant string, snap customers.Snapshot) error {
	row := customerSnapshotRow{TenantID: tenant, ID: snap.ID, Scope: snap.Scope, OwnerID: snap.OwnerID, Day: snap.Day,
		Reason: snap.Reason, TakenBy: snap.TakenBy, TakenAt: snap.TakenAt, Customers: snap.Customers}
	_, err := s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert customer snapshot", err)
}

func (s customerStore) InsertSnapshotItems(ctx context.Context, tenant, snapshotID string, items []customers.SnapshotItem) error {
	for start := 0; start < len(items); start += insertBatch {
		end := min(start+insertBatch, len(items))
		rows := make([]customerSnapshotItemRow, 0, end-start)
		for _, it := range items[start:end] {
			rows = append(rows, customerSnapshotItemRow{TenantID: tenant, SnapshotID: snapshotID,
				CustomerID: it.CustomerID, Data: string(it.Data)})
		}
		if _, err := s.db.Conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert customer snapshot items", err)
		}
	}
	return nil
}

func (s customerStore) Snapshot(ctx context.Context, tenant, id string) (customers.Snapshot, error) {
	var row customerSnapshotRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("s.tenant_id = ? AND s.id = ?", tenant, id).Scan(ctx)
	if err != nil {
		return customers.Snapshot{}, translate("get customer snapshot "+id, err)
	}
	return row.record(), nil
}

func (s customerStore) SnapshotOnDay(ctx context.Context, tenant, scope, day string) (customers.Snapshot, error) {
	var row customerSnapshotRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).
		Where("s.tenant_id = ? AND s.scope = ? AND s.day = ?", tenant, scope, day).Scan(ctx)
	if err != nil {
		return customers.Snapshot{}, translate("customer snapshot of "+day, err)
	}
	return row.record(), nil
}

func (s customerStore) ListSnapshots(ctx context.Context, tenant string, q customers.SnapshotQuery) ([]customers.Snapshot, error) {
	var rows []customerSnapshotRow
	sel := s.db.Conn(ctx).NewSelect().Model(&rows).Where("s.tenant_id = ?", tenant)
	if q.Scope != "" {
		sel = sel.Where("s.scope = ?", q.Scope)
	}
	if !q.Since.IsZero() {
		sel = sel.Where("s.taken_at >= ?", q.Since.UTC())
	}
	if !q.Until.IsZero() {
		sel = sel.Where("s.taken_at < ?", q.Until.UTC())
	}
	if !q.BeforeTakenAt.IsZero() {
		sel = sel.Where("(s.taken_at, s.id) < (?, ?)", q.BeforeTakenAt.UTC(), q.BeforeID)
	}
	sel = sel.OrderExpr("s.taken_at DESC, s.id DESC")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list customer snapshots", err)
	}
	out := make([]customers.Snapshot, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (s customerStore) SnapshotItems(ctx context.Context, tenant, snapshotID string) ([]customers.SnapshotItem, error) {
	var rows []customerSnapshotItemRow
	err := s.db.Conn(ctx).NewSelect().Model(&rows).
		Where("tenant_id = ? AND snapshot_id = ?", tenant, snapshotID).OrderExpr("customer_id").Scan(ctx)
	if err != nil {
		return nil, translate("customer snapshot items", err)
	}
	out := make([]customers.SnapshotItem, len(rows))
	for i, r := range rows {
		out[i] = customers.SnapshotItem{CustomerID: r.CustomerID, Data: []byte(r.Data)}
	}
	return out, nil
}
