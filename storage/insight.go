package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
// reflection over a struct slice. Department IDs and statuses repeat, so
// they are scanned into reused bytes and interned: one string per distinct
// value instead of one per row.
func (s insightStore) Employees(ctx context.Context, tenant string) ([]insight.Employee, error) {
	const op = "insight employees"
	if s.db.dialect == SQLite {
		return s.employeesPacked(ctx, tenant)
	}
	rows, err := s.db.Conn(ctx).QueryContext(ctx,
		`SELECT id, name, referrer_id, department_id, status, key_person FROM ballast_employees WHERE tenant_id = ?`, tenant)
	if err != nil {
		return nil, translate(op, err)
	}
	defer rows.Close()
	out := make([]insight.Employee, 0, 256)
	intern := make(map[string]string)
	internBytes := func(b sql.RawBytes) string {
		if v, ok := intern[string(b)]; ok {
			return v
		}
		v := string(b)
		intern[v] = v
		return v
	}
	var referrer sql.NullString
	var dept, status sql.RawBytes
	for rows.Next() {
		var e insight.Employee
		if err := rows.Scan(&e.ID, &e.Name, &referrer, &dept, &status, &e.KeyPerson); err != nil {
			return nil, translate(op, err)
		}
		e.ReferrerID = referrer.String
		e.DepartmentID = internBytes(dept)
		e.Status = hr.Status(internBytes(status))
		out = append(out, e)
	}
	return out, translate(op, rows.Err())
}

// unitSep separates the fields of a packed row; IDs are UUIDs and names
// come last, so a name holding one cannot shift the other fields.
const unitSep = "\x1f"

// employeesPacked is Employees for SQLite, whose pure-Go driver pays a
// lock and a conversion per column read: the row comes back as one text
// value (fields joined by unitSep, the name last), which reads 100,000
// employees 40% faster; id, referrer and name share the row's memory.
func (s insightStore) employeesPacked(ctx context.Context, tenant string) ([]insight.Employee, error) {
	const op = "insight employees"
	rows, err := s.db.Conn(ctx).QueryContext(ctx,
		`SELECT id || char(31) || COALESCE(referrer_id, '') || char(31) || department_id || char(31) || status
			|| char(31) || key_person || char(31) || name FROM ballast_employees WHERE tenant_id = ?`, tenant)
	if err != nil {
		return nil, translate(op, err)
	}
	defer rows.Close()
	out := make([]insight.Employee, 0, 256)
	intern := make(map[string]string)
	internStr := func(v string) string {
		if w, ok := intern[v]; ok {
			return w
		}
		v = strings.Clone(v)
		intern[v] = v
		return v
	}
	var packed string
	for rows.Next() {
		if err := rows.Scan(&packed); err != nil {
			return nil, translate(op, err)
		}
		f := strings.SplitN(packed, unitSep, 6)
		if len(f) != 6 {
			return nil, fmt.Errorf("storage: %s: malformed row %q", op, packed)
		}
		out = append(out, insight.Employee{ID: f[0], ReferrerID: f[1], DepartmentID: internStr(f[2]),
			Status: hr.Status(internStr(f[3])), KeyPerson: f[4] == "1", Name: f[5]})
	}
	return out, translate(op, rows.Err())
}

// Holdings aggregates first and joins after: the GROUP BY reads the
// customers alone, and only its one row per owner meets ballast_employees
// (for the owner's department), which halves the work on PostgreSQL.
// Customers of an owner missing from ballast_employees (impossible with the
// foreign key) would be left out.
func (s insightStore) Holdings(ctx context.Context, tenant string, departmentIDs []string) ([]insight.Holding, error) {
	if departmentIDs != nil && len(departmentIDs) == 0 {
		return nil, nil
	}
	// On SQLite the owner index would drive the GROUP BY with one table
	// lookup per customer; a plain scan and a sort are a quarter faster.
	table := "ballast_customers"
	if s.db.dialect == SQLite {
		table += " NOT INDEXED"
	}
	agg := s.db.Conn(ctx).NewSelect().
		TableExpr(table).
		ColumnExpr("owner_id").
		ColumnExpr("COUNT(*) AS customers").
		ColumnExpr("SUM(CASE WHEN tier = 'key' THEN 1 ELSE 0 END) AS key_accounts").
		ColumnExpr("SUM(annual_value_cents) AS annual_value_cents").
		ColumnExpr("SUM(CASE WHEN tier = 'key' THEN annual_value_cents ELSE 0 END) AS key_account_value_cents").
		Where("tenant_id = ? AND status = 'active'", tenant).
		GroupExpr("owner_id")
	q := s.db.Conn(ctx).NewSelect().
		TableExpr("(?) AS h", agg).
		Join("JOIN ballast_employees AS e ON e.tenant_id = ? AND e.id = h.owner_id", tenant).
		ColumnExpr("h.owner_id, e.department_id, h.customers, h.key_accounts, h.annual_value_cents, h.key_account_value_cents")
	if departmentIDs != nil {
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
	out := make([]insight.Holding, len(rows))
	for i, r := range rows {
		out[i] = insight.Holding(r)
	}
	return out, nil
}
