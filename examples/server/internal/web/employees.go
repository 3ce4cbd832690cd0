package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// employeeRow is one line of the employee list.
type employeeRow struct {
	hr.Employee
	Department string
	Position   string
}

// option is one entry of a select box.
type option struct {
	Value, Label string
	Selected     bool
}

// listPageSize is how many employees one page of the list shows.
const listPageSize = 20

// handleEmployees lists the directory with department, status and text
// filters, one page at a time (cursor pagination).
func (s *server) handleEmployees(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	ctx := r.Context()
	q := r.URL.Query()
	f := hr.EmployeeFilter{
		DepartmentID:          q.Get("department"),
		IncludeSubdepartments: q.Get("department") != "",
		Status:                hr.Status(q.Get("status")),
		Query:                 strings.TrimSpace(q.Get("q")),
		Cursor:                q.Get("cursor"),
		Limit:                 listPageSize,
	}
	if f.Status != "" && !validStatus(f.Status) {
		f.Status = ""
	}
	pg, err := s.hr.ListEmployees(ctx, f)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	depts, err := s.hr.Departments(ctx)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	positions, err := s.hr.Positions(ctx, "")
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	deptName := make(map[string]string, len(depts))
	deptOpts := []option{{Value: "", Label: s.cat.T(base.Lang, "list.alldepartments")}}
	for _, d := range depts {
		deptName[d.ID] = d.Name
		deptOpts = append(deptOpts, option{Value: d.ID, Label: d.Name, Selected: d.ID == f.DepartmentID})
	}
	posTitle := make(map[string]string, len(positions))
	for _, p := range positions {
		posTitle[p.ID] = p.Title
	}
	statusOpts := []option{{Value: "", Label: s.cat.T(base.Lang, "list.allstatuses")}}
	for _, st := range hr.Statuses {
		statusOpts = append(statusOpts, option{Value: string(st), Label: s.cat.T(base.Lang, "status."+string(st)), Selected: st == f.Status})
	}
	rows := make([]employeeRow, 0, len(pg.Employees))
	for _, e := range pg.Employees {
		rows = append(rows, employeeRow{Employee: e, Department: deptName[e.DepartmentID], Position: posTitle[e.PositionID]})
	}
	keep := url.Values{}
	for _, k := range []string{"department", "status", "q"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	var next, first string
	if pg.NextCursor != "" {
		nv := url.Values{}
		for k, v := range keep {
			nv[k] = v
		}
		nv.Set("cursor", pg.NextCursor)
		next = "/employees?" + nv.Encode()
	}
	if f.Cursor != "" {
		first = "/employees?" + keep.Encode()
	}
	base.Title = s.cat.T(base.Lang, "list.title")
	base.Section = "employees"
	base.Data = struct {
		Rows        []employeeRow
		Departments []option
		Statuses    []option
		Query       string
		Next, First string
	}{rows, deptOpts, statusOpts, f.Query, next, first}
	s.render(w, r, http.StatusOK, "employees", base)
}

func validStatus(st hr.Status) bool {
	for _, v := range hr.Statuses {
		if v == st {
			return true
		}
	}
	return false
}
