package storage

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/insight"
)

// Insight returns the store of the hr/insight package, on this database.
func (db *DB) Insight() insight.Store { return insightStore{db: db} }

// insightStore implements insight.Store: read-only, tenant-scoped, one
// query per method, on db.Conn(ctx).
type insightStore struct{ db *DB }

func (s insightStore) Departments(ctx context.Context, tenant string) ([]insight.Department, error) {
	rows, err := s.db.Conn(ctx).QueryContext(ctx,
		`SELECT id, name, COALESCE(parent_id, ''), COALESCE(head_id, '') FROM ballast_departments WHERE tenant_id = ?`, tenant)
	if err != nil {
		return nil, translate("insight departments", err)
	}
	defer rows.Close()
	var out []insight.Department
	for rows.Next() {
		var d insight.Department
		if err := rows.Scan(&d.ID, &d.Name, &d.ParentID, &d.HeadID); err != nil {
			return nil, translate("insight departments", err)
		}
		out = append(out, d)
	}
	return out, translate("insight departments", rows.Err())
}

// Employees reads the edge list with database/sql directly: at 100,000
// rows, scanning into plain variables is several times faster than bun's
// reflection over a struct slice.
func (s insightStore) Employees(ctx context.Context, tenant string) ([]insight.Employee, error) {
	rows, err := s.db.Conn(ctx).QueryContext(ctx,
		`SELECT id, name, COALESCE(referrer_id, ''), department_id, status, key_person FROM ballast_employees WHERE tenant_id = ?`, tenant)
	if err != nil {
		return nil, translate("insight employees", err)
	}
	defer rows.Close()
	out := make([]insight.Employee, 0, 256)
	var status string
	for rows.Next() {
		var e insight.Employee
		if err := rows.Scan(&e.ID, &e.Name, &e.ReferrerID, &e.DepartmentID, &status, &e.KeyPerson); err != nil {
			return nil, translate("insight employees", err)
		}
		e.Status = hr.Status(status)
		out = append(out, e)
	}
	return out, translate("insight employees", rows.Err())
}

func (s insightStore) Holdings(ctx context.Context, tenant string, departmentIDs []string) ([]insight.Holding, error) {
	var out []insight.Holding
	q := s.db.Conn(ctx).NewSelect().
		TableExpr("ballast_customers AS c").
		Join("JOIN ballast_employees AS e ON e.tenant_id = c.tenant_id AND e.id = c.owner_id").
		ColumnExpr("c.owner_id, e.department_id").
		ColumnExpr("COUNT(*) AS customers").
		ColumnExpr("SUM(CASE WHEN c.tier = 'key' THEN 1 ELSE 0 END) AS key_accounts").
		ColumnExpr("SUM(c.annual_value_cents) AS annual_value_cents").
		ColumnExpr("SUM(CASE WHEN c.tier = 'key' THEN c.annual_value_cents ELSE 0 END) AS key_account_value_cents").
		Where("c.tenant_id = ? AND c.status = 'active'", tenant).
		GroupExpr("c.owner_id, e.department_id")
	if departmentIDs != nil {
		if len(departmentIDs) == 0 {
			return nil, nil
		}
		q = q.Where("e.department_id IN (?)", bun.In(departmentIDs))
	}
	var rows []struct {
		OwnerID              string `bun:"owner_id"`
		DepartmentID         string `bun:"department_id"`
		Customers            int    `bun:"customers"`
		KeyAccounts          int    `bun:"key_accounts"`
		AnnualValueCents     int64  `bun:"annual_value_cents"`
		KeyAccountValueCents int64  `bun:"key_account_value_cents"`
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, translate("insight holdings", err)
	}
	for _, r := range rows {
		out = append(out, insight.Holding(r))
	}
	return out, nil
}
