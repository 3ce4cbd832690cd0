package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// HR returns the store of the hr package, on this database.
func (db *DB) HR() hr.Store { return hrStore{db: db} }

// hrStore implements hr.Store. Every query names tenant_id and runs on
// db.Conn(ctx), so it joins the use case's transaction.
type hrStore struct{ db *DB }

// insertBatch is how many rows one multi-row INSERT carries.
const insertBatch = 1000

type tenantRow struct {
	bun.BaseModel `bun:"table:ballast_tenants"`
	TenantID      string    `bun:"tenant_id,pk"`
	Name          string    `bun:"name"`
	TimeZone      string    `bun:"time_zone"`
	Locale        string    `bun:"locale"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func (r tenantRow) record() hr.Tenant {
	return hr.Tenant{ID: r.TenantID, Name: r.Name, TimeZone: r.TimeZone, Locale: r.Locale,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

func (s hrStore) InsertTenant(ctx context.Context, t hr.Tenant) error {
	row := tenantRow{TenantID: t.ID, Name: t.Name, TimeZone: t.TimeZone, Locale: t.Locale,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Version: t.Version}
	_, err := s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert tenant", err)
}

func (s hrStore) Tenant(ctx context.Context, id string) (hr.Tenant, error) {
	var row tenantRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("tenant_id = ?", id).Scan(ctx)
	if err != nil {
		return hr.Tenant{}, translate("get tenant "+id, err)
	}
	return row.record(), nil
}

func (s hrStore) UpdateTenant(ctx context.Context, t hr.Tenant, expected int64) error {
	res, err := s.db.Conn(ctx).NewUpdate().Table("ballast_tenants").
		Set("name = ?", t.Name).Set("time_zone = ?", t.TimeZone).Set("locale = ?", t.Locale).
		Set("updated_at = ?", t.UpdatedAt).Set("version = ?", t.Version).
		Where("tenant_id = ? AND version = ?", t.ID, expected).Exec(ctx)
	return s.checkUpdated(ctx, "update tenant "+t.ID, res, err, "ballast_tenants", "tenant_id = ?", t.ID)
}

// checkUpdated turns an UPDATE or DELETE guarded by a version into the
// store's errors: nothing affected means a stale version (ErrConflict) when
// the row exists, and ErrNotFound when it does not.
func (s hrStore) checkUpdated(ctx context.Context, op string, res interface{ RowsAffected() (int64, error) }, err error, table, where string, args ...any) error {
	if err != nil {
		return translate(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(op, err)
	}
	if n > 0 {
		return nil
	}
	exists, err := s.db.Conn(ctx).NewSelect().Table(table).Where(where, args...).Exists(ctx)
	if err != nil {
		return translate(op, err)
	}
	if exists {
		return fmt.Errorf("storage: %s: %w (stale version)", op, ballast.ErrConflict)
	}
	return fmt.Errorf("storage: %s: %w", op, ballast.ErrNotFound)
}

type departmentRow struct {
	bun.BaseModel `bun:"table:ballast_departments"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Name          string    `bun:"name"`
	ParentID      string    `bun:"parent_id,nullzero"`
	ParentKey     string    `bun:"parent_key"`
	HeadID        string    `bun:"head_id,nullzero"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func departmentRowOf(tenant string, d hr.Department) departmentRow {
	return departmentRow{TenantID: tenant, ID: d.ID, Name: d.Name, ParentID: d.ParentID, ParentKey: d.ParentID,
		HeadID: d.HeadID, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version}
}

func (r departmentRow) record() hr.Department {
	return hr.Department{ID: r.ID, Name: r.Name, ParentID: r.ParentID, HeadID: r.HeadID,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

func (s hrStore) InsertDepartments(ctx context.Context, tenant string, ds []hr.Department) error {
	for start := 0; start < len(ds); start += insertBatch {
		end := min(start+insertBatch, len(ds))
		rows := make([]departmentRow, 0, end-start)
		for _, d := range ds[start:end] {
			rows = append(rows, departmentRowOf(tenant, d))
		}
		if _, err := s.db.Conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert departments", err)
		}
	}
	return nil
}

func (s hrStore) Department(ctx context.Context, tenant, id string) (hr.Department, error) {
	var row departmentRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("tenant_id = ? AND id = ?", tenant, id).Scan(ctx)
	if err != nil {
		return hr.Department{}, translate("get department "+id, err)
	}
	return row.record(), nil
}

func (s hrStore) Departments(ctx context.Context, tenant string) ([]hr.Department, error) {
	var rows []departmentRow
	err := s.db.Conn(ctx).NewSelect().Model(&rows).Where("tenant_id = ?", tenant).OrderExpr("name, id").Scan(ctx)
	if err != nil {
		return nil, translate("list departments", err)
	}
	out := make([]hr.Department, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (s hrStore) UpdateDepartment(ctx context.Context, tenant string, d hr.Department, expected int64) error {
	row := departmentRowOf(tenant, d)
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("name", "parent_id", "parent_key", "head_id", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, d.ID, expected).Exec(ctx)
	return s.checkUpdated(ctx, "update department "+d.ID, res, err, "ballast_departments", "tenant_id = ? AND id = ?", tenant, d.ID)
}

func (s hrStore) DeleteDepartment(ctx context.Context, tenant, id string, expected int64) error {
	res, err := s.db.Conn(ctx).NewDelete().TableExpr("ballast_departments").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, id, expected).Exec(ctx)
	return s.checkUpdated(ctx, "delete department "+id, res, err, "ballast_departments", "tenant_id = ? AND id = ?", tenant, id)
}

// maxDepth bounds the recursive walks, so that corrupt cyclic data ends
// the query instead of looping.
const maxDepth = 1000

func (s hrStore) DepartmentAncestors(ctx context.Context, tenant, id string) ([]string, error) {
	return s.walk(ctx, "department ancestors "+id, "ballast_departments", "parent_id", tenant, id)
}

// walk follows the link column from id upwards in table and returns the IDs
// met, starting with id itself; ErrNotFound when id does not exist.
func (s hrStore) walk(ctx context.Context, op, table, link, tenant, id string) ([]string, error) {
	var ids []string
	err := s.db.Conn(ctx).NewRaw(`WITH RECURSIVE chain(id, up, depth) AS (
		SELECT id, `+link+`, 0 FROM `+table+` WHERE tenant_id = ? AND id = ?
		UNION ALL
		SELECT t.id, t.`+link+`, c.depth + 1 FROM `+table+` t JOIN chain c ON t.id = c.up
		WHERE t.tenant_id = ? AND c.depth < ?
	) SELECT id FROM chain ORDER BY depth`, tenant, id, tenant, maxDepth).Scan(ctx, &ids)
	if err != nil {
		return nil, translate(op, err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("storage: %s: %w", op, ballast.ErrNotFound)
	}
	return dedupe(ids), nil
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (s hrStore) Headcounts(ctx context.Context, tenant string) (map[string]int, error) {
	var rows []struct {
		DepartmentID string `bun:"department_id"`
		N            int    `bun:"n"`
	}
	err := s.db.Conn(ctx).NewSelect().TableExpr("ballast_employees").
		ColumnExpr("department_id, COUNT(*) AS n").
		Where("tenant_id = ? AND status <> ?", tenant, hr.StatusDeparted).
		GroupExpr("department_id").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("headcounts", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.DepartmentID] = r.N
	}
	return out, nil
}

type positionRow struct {
	bun.BaseModel `bun:"table:ballast_positions"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Title         string    `bun:"title"`
	DepartmentID  string    `bun:"department_id"`
	Level         int       `bun:"level"`
	Grade         string    `bun:"grade"`
	Critical      bool      `bun:"critical"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func positionRowOf(tenant string, p hr.Position) positionRow {
	return positionRow{TenantID: tenant, ID: p.ID, Title: p.Title, DepartmentID: p.DepartmentID, Level: p.Level,
		Grade: p.Grade, Critical: p.Critical, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Version: p.Version}
}

func (r positionRow) record() hr.Position {
	return hr.Position{ID: r.ID, Title: r.Title, DepartmentID: r.DepartmentID, Level: r.Level, Grade: r.Grade,
		Critical: r.Critical, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

func (s hrStore) InsertPosition(ctx context.Context, tenant string, p hr.Position) error {
	row := positionRowOf(tenant, p)
	_, err := s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert position", err)
}

func (s hrStore) Position(ctx context.Context, tenant, id string) (hr.Position, error) {
	var row positionRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("tenant_id = ? AND id = ?", tenant, id).Scan(ctx)
	if err != nil {
		return hr.Position{}, translate("get position "+id, err)
	}
	return row.record(), nil
}

func (s hrStore) Positions(ctx context.Context, tenant, departmentID string) ([]hr.Position, error) {
	var rows []positionRow
	q := s.db.Conn(ctx).NewSelect().Model(&rows).Where("tenant_id = ?", tenant)
	if departmentID != "" {
		q = q.Where("department_id = ?", departmentID)
	}
	if err := q.OrderExpr("title, id").Scan(ctx); err != nil {
		return nil, translate("list positions", err)
	}
	out := make([]hr.Position, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (s hrStore) UpdatePosition(ctx context.Context, tenant string, p hr.Position, expected int64) error {
	row := positionRowOf(tenant, p)
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("title", "department_id", "level", "grade", "critical", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, p.ID, expected).Exec(ctx)
	return s.checkUpdated(ctx, "update position "+p.ID, res, err, "ballast_positions", "tenant_id = ? AND id = ?", tenant, p.ID)
}

func (s hrStore) DeletePosition(ctx context.Context, tenant, id string, expected int64) error {
	res, err := s.db.Conn(ctx).NewDelete().TableExpr("ballast_positions").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, id, expected).Exec(ctx)
	return s.checkUpdated(ctx, "delete position "+id, res, err, "ballast_positions", "tenant_id = ? AND id = ?", tenant, id)
}
