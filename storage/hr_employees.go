package storage

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
)

type employeeRow struct {
	bun.BaseModel  `bun:"table:ballast_employees"`
	TenantID       string    `bun:"tenant_id,pk"`
	ID             string    `bun:"id,pk"`
	Number         string    `bun:"number"`
	Name           string    `bun:"name"`
	Email          string    `bun:"email"`
	Phone          string    `bun:"phone"`
	DepartmentID   string    `bun:"department_id"`
	PositionID     string    `bun:"position_id,nullzero"`
	ManagerID      string    `bun:"manager_id,nullzero"`
	HireDate       string    `bun:"hire_date"`
	HireChannel    string    `bun:"hire_channel"`
	ReferrerID     string    `bun:"referrer_id,nullzero"`
	Status         string    `bun:"status"`
	LastWorkingDay string    `bun:"last_working_day,nullzero"`
	KeyPerson      bool      `bun:"key_person"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
	Version        int64     `bun:"version"`
}

func employeeRowOf(tenant string, e hr.Employee) employeeRow {
	return employeeRow{TenantID: tenant, ID: e.ID, Number: e.Number, Name: e.Name, Email: e.Email, Phone: e.Phone,
		DepartmentID: e.DepartmentID, PositionID: e.PositionID, ManagerID: e.ManagerID,
		HireDate: e.HireDate.String(), HireChannel: string(e.HireChannel), ReferrerID: e.ReferrerID,
		Status: string(e.Status), LastWorkingDay: e.LastWorkingDay.String(), KeyPerson: e.KeyPerson,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Version: e.Version}
}

func (r employeeRow) record() hr.Employee {
	// Dates were written by employeeRowOf; a malformed one reads as zero.
	hire, _ := hr.ParseDate(r.HireDate)
	last, _ := hr.ParseDate(r.LastWorkingDay)
	return hr.Employee{ID: r.ID, Number: r.Number, Name: r.Name, Email: r.Email, Phone: r.Phone,
		DepartmentID: r.DepartmentID, PositionID: r.PositionID, ManagerID: r.ManagerID,
		HireDate: hire, HireChannel: hr.HireChannel(r.HireChannel), ReferrerID: r.ReferrerID,
		Status: hr.Status(r.Status), LastWorkingDay: last, KeyPerson: r.KeyPerson,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

func employees(rows []employeeRow) []hr.Employee {
	out := make([]hr.Employee, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out
}

func (s hrStore) InsertEmployees(ctx context.Context, tenant string, es []hr.Employee) error {
	for start := 0; start < len(es); start += insertBatch {
		end := min(start+insertBatch, len(es))
		rows := make([]employeeRow, 0, end-start)
		for _, e := range es[start:end] {
			rows = append(rows, employeeRowOf(tenant, e))
		}
		if _, err := s.db.Conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert employees", err)
		}
	}
	return nil
}

func (s hrStore) Employee(ctx context.Context, tenant, id string) (hr.Employee, error) {
	var row employeeRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("tenant_id = ? AND id = ?", tenant, id).Scan(ctx)
	if err != nil {
		return hr.Employee{}, translate("get employee "+id, err)
	}
	return row.record(), nil
}

// lookupBatch bounds the IN lists of the lookups by ID or number.
const lookupBatch = 1000

func (s hrStore) EmployeesByID(ctx context.Context, tenant string, ids []string) ([]hr.Employee, error) {
	return s.employeesIn(ctx, "employees by id", tenant, "id", ids)
}

func (s hrStore) EmployeesByNumber(ctx context.Context, tenant string, numbers []string) ([]hr.Employee, error) {
	return s.employeesIn(ctx, "employees by number", tenant, "number", numbers)
}

func (s hrStore) employeesIn(ctx context.Context, op, tenant, column string, keys []string) ([]hr.Employee, error) {
	var out []hr.Employee
	for start := 0; start < len(keys); start += lookupBatch {
		end := min(start+lookupBatch, len(keys))
		var rows []employeeRow
		err := s.db.Conn(ctx).NewSelect().Model(&rows).
			Where("tenant_id = ?", tenant).Where("? IN (?)", bun.Ident(column), bun.In(keys[start:end])).Scan(ctx)
		if err != nil {
			return nil, translate(op, err)
		}
		out = append(out, employees(rows)...)
	}
	return out, nil
}

func (s hrStore) UpdateEmployee(ctx context.Context, tenant string, e hr.Employee, expected int64) error {
	row := employeeRowOf(tenant, e)
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("number", "name", "email", "phone", "department_id", "position_id", "manager_id",
			"hire_date", "hire_channel", "referrer_id", "status", "last_working_day", "key_person",
			"updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, e.ID, expected).Exec(ctx)
	return s.checkUpdated(ctx, "update employee "+e.ID, res, err, "ballast_employees", "tenant_id = ? AND id = ?", tenant, e.ID)
}

// likeEscaper escapes the LIKE wildcards of a user's search text.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (s hrStore) ListEmployees(ctx context.Context, tenant string, q hr.EmployeeQuery) ([]hr.Employee, error) {
	var rows []employeeRow
	sel := s.db.Conn(ctx).NewSelect().Model(&rows).Where("tenant_id = ?", tenant)
	switch {
	case q.DepartmentID != "" && q.IncludeSubdepartments:
		sel = sel.Where(`department_id IN (WITH RECURSIVE sub(id, depth) AS (
			SELECT CAST(? AS TEXT), 0
			UNION ALL
			SELECT d.id, sub.depth + 1 FROM ballast_departments d JOIN sub ON d.parent_id = sub.id
			WHERE d.tenant_id = ? AND sub.depth < ?
		) SELECT id FROM sub)`, q.DepartmentID, tenant, maxDepth)
	case q.DepartmentID != "":
		sel = sel.Where("department_id = ?", q.DepartmentID)
	}
	if q.Status != "" {
		sel = sel.Where("status = ?", q.Status)
	}
	if q.Query != "" {
		pat := "%" + likeEscaper.Replace(strings.ToLower(q.Query)) + "%"
		sel = sel.Where(`(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(number) LIKE ? ESCAPE '\')`, pat, pat)
	}
	if q.OrderByNumber {
		if q.AfterKey != "" {
			sel = sel.Where("number > ?", q.AfterKey)
		}
		sel = sel.OrderExpr("number")
	} else {
		if q.AfterKey != "" || q.AfterID != "" {
			sel = sel.Where("(name, id) > (?, ?)", q.AfterKey, q.AfterID)
		}
		sel = sel.OrderExpr("name, id")
	}
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list employees", err)
	}
	return employees(rows), nil
}

func (s hrStore) ManagerChain(ctx context.Context, tenant, id string) ([]string, error) {
	return s.walk(ctx, "manager chain "+id, "ballast_employees", "manager_id", tenant, id)
}

func (s hrStore) Referrals(ctx context.Context, tenant, referrerID string) ([]hr.Employee, error) {
	var rows []employeeRow
	err := s.db.Conn(ctx).NewSelect().Model(&rows).
		Where("tenant_id = ? AND referrer_id = ?", tenant, referrerID).OrderExpr("name, id").Scan(ctx)
	if err != nil {
		return nil, translate("referrals of "+referrerID, err)
	}
	return employees(rows), nil
}
