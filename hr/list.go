package hr

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
)

// ListEmployees returns one page of the directory (PermEmployeesRead),
// ordered by name and ID (or by number), with keyset pagination: pass the
// page's NextCursor with the same filter for the next page. One query per
// page, served by the (tenant, department, name, id) index.
func (s *Service) ListEmployees(ctx context.Context, f EmployeeFilter) (EmployeePage, error) {
	pr, _, err := s.begin(ctx, PermEmployeesRead)
	if err != nil {
		return EmployeePage{}, fmt.Errorf("hr: list employees: %w", err)
	}
	q, err := f.query()
	if err != nil {
		return EmployeePage{}, fmt.Errorf("hr: list employees: %w", err)
	}
	limit := q.Limit
	q.Limit++ // one more tells whether there is a next page
	es, err := s.store.ListEmployees(ctx, pr.Tenant, q)
	if err != nil {
		return EmployeePage{}, fmt.Errorf("hr: list employees: %w", err)
	}
	page := EmployeePage{Employees: es}
	if len(es) > limit {
		page.Employees = es[:limit]
		last := es[limit-1]
		key := last.Name
		if q.OrderByNumber {
			key = last.Number
		}
		page.NextCursor = encodeCursor(key, last.ID)
	}
	if page.Employees == nil {
		page.Employees = []Employee{}
	}
	return page, nil
}

// query validates f and turns it into the store's query.
func (f EmployeeFilter) query() (EmployeeQuery, error) {
	var v ballast.ValidationError
	ref(&v, "department_id", f.DepartmentID)
	if f.IncludeSubdepartments && f.DepartmentID == "" {
		v.Add("include_subdepartments", "needs a department_id")
	}
	if f.Status != "" && !validStatus(f.Status) {
		v.Add("status", "is not a known status")
	}
	text(&v, "query", f.Query, false, maxName)
	if f.Order != "" && f.Order != OrderByName && f.Order != OrderByNumber {
		v.Add("order", fmt.Sprintf("must be %q or %q", OrderByName, OrderByNumber))
	}
	if f.Limit < 0 || f.Limit > MaxPageSize {
		v.Add("limit", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
	}
	q := EmployeeQuery{DepartmentID: f.DepartmentID, IncludeSubdepartments: f.IncludeSubdepartments,
		Status: f.Status, Query: strings.TrimSpace(f.Query), OrderByNumber: f.Order == OrderByNumber, Limit: f.Limit}
	if q.Limit == 0 {
		q.Limit = DefaultPageSize
	}
	if f.Cursor != "" {
		key, id, ok := decodeCursor(f.Cursor)
		if !ok {
			v.Add("cursor", "is not a cursor of this listing")
		}
		q.AfterKey, q.AfterID = key, id
	}
	return q, v.Err()
}

func encodeCursor(key, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "\x00" + id))
}

func decodeCursor(c string) (key, id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	key, id, ok = strings.Cut(string(b), "\x00")
	if !ok || !ballast.ValidID(id) {
		return "", "", false
	}
	return key, id, true
}
