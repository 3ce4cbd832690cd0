package hr_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestUpdateDepartment_RefusesACycleAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		root := e.dept(t, "Acme", "")
		sales := e.dept(t, "Sales", root.ID)
		east := e.dept(t, "East", sales.ID)
		before := len(e.entries(t, e.tenant))
		for _, tt := range []struct {
			name   string
			parent string
		}{{"under itself", sales.ID}, {"under its child", east.ID}} {
			_, err := e.svc.UpdateDepartment(e.hr, sales.ID, hr.DepartmentParams{Name: "Sales", ParentID: tt.parent}, 1)
			if !errors.Is(err, hr.ErrCycle) || !errors.Is(err, ballast.ErrInvalid) {
				t.Errorf("move %s: error = %v, want ErrCycle", tt.name, err)
				continue
			}
			if diff := cmp.Diff([]string{"parent_id"}, fields(t, err)); diff != "" {
				t.Errorf("move %s fields (-want +got):\n%s", tt.name, diff)
			}
		}
		got, err := e.svc.Department(e.hr, sales.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sales, got); diff != "" {
			t.Errorf("refused move changed the department (-want +got):\n%s", diff)
		}
		if after := len(e.entries(t, e.tenant)); after != before {
			t.Errorf("refused moves appended %d audit entries", after-before)
		}
		// A legal move: East up to the root.
		moved, err := e.svc.UpdateDepartment(e.hr, east.ID, hr.DepartmentParams{Name: "East", ParentID: root.ID}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if moved.ParentID != root.ID || moved.Version != 2 {
			t.Errorf("moved = %+v", moved)
		}
		_, err = e.svc.UpdateDepartment(e.hr, east.ID, hr.DepartmentParams{Name: "East"}, 1)
		wantErr(t, "stale version", err, ballast.ErrConflict)
		last := e.entries(t, e.tenant)
		entry := last[len(last)-1]
		if entry.Action != "hr.department.update" || entry.TargetID != east.ID {
			t.Fatalf("last entry = %+v", entry)
		}
		var paths []string
		for _, c := range entry.Changes {
			paths = append(paths, c.Path)
		}
		if diff := cmp.Diff([]string{"ParentID", "Version"}, paths); diff != "" {
			t.Errorf("audit diff paths (-want +got):\n%s", diff)
		}
	})
}

func TestDepartments_BadInputListsEveryFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		other := e.newTenant(t, "Rival")
		otherCtx := e.userIn(t, other, "rival-hr", "hr")
		foreign, err := e.svc.CreateDepartment(otherCtx, hr.DepartmentParams{Name: "Their Sales"})
		if err != nil {
			t.Fatal(err)
		}
		before := len(e.entries(t, e.tenant))
		tests := []struct {
			name   string
			params hr.DepartmentParams
			want   []string
		}{
			{"empty", hr.DepartmentParams{}, []string{"name"}},
			{"malformed ids", hr.DepartmentParams{Name: "A/B", ParentID: "nope", HeadID: "x"}, []string{"name", "parent_id", "head_id"}},
			{"parent of another tenant looks missing", hr.DepartmentParams{Name: "Sales", ParentID: foreign.ID}, []string{"parent_id"}},
			{"unknown head", hr.DepartmentParams{Name: "Sales", HeadID: ballast.NewID()}, []string{"head_id"}},
		}
		for _, tt := range tests {
			_, err := e.svc.CreateDepartment(e.hr, tt.params)
			wantErr(t, tt.name, err, ballast.ErrInvalid)
			if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
			}
		}
		e.dept(t, "Sales", "")
		_, err = e.svc.CreateDepartment(e.hr, hr.DepartmentParams{Name: "Sales"})
		wantErr(t, "duplicate sibling name", err, ballast.ErrConflict)
		ds, err := e.svc.Departments(e.hr)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 {
			t.Errorf("%d departments, want 1", len(ds))
		}
		if after := len(e.entries(t, e.tenant)); after != before+1 {
			t.Errorf("audit entries grew by %d, want 1", after-before)
		}
		_, err = e.svc.Department(e.hr, foreign.ID)
		wantErr(t, "read another tenant's department", err, ballast.ErrNotFound)
		_, err = e.svc.Department(e.hr, "not-an-id")
		wantErr(t, "malformed id", err, ballast.ErrInvalid)
	})
}

func TestDepartmentTree_NestsWithHeadcounts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		root := e.dept(t, "Acme", "")
		sales := e.dept(t, "Sales", root.ID)
		east := e.dept(t, "East", sales.ID)
		fin := e.dept(t, "Finance", root.ID)
		e.hire(t, "E1", "Boss", root.ID)
		e.hire(t, "E2", "Rep A", east.ID)
		e.hire(t, "E3", "Rep B", east.ID)
		e.hire(t, "E4", "Lead", sales.ID)
		e.hire(t, "E5", "Gone", east.ID, func(p *hr.EmployeeParams) {
			p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 1, 31)
		})
		tree, err := e.svc.DepartmentTree(e.hr)
		if err != nil {
			t.Fatal(err)
		}
		type node struct {
			Name        string
			Direct, All int
			Children    []node
		}
		var flat func(ns []*hr.DepartmentNode) []node
		flat = func(ns []*hr.DepartmentNode) []node {
			var out []node
			for _, n := range ns {
				out = append(out, node{n.Name, n.Headcount, n.TotalHeadcount, flat(n.Children)})
			}
			return out
		}
		want := []node{{"Acme", 1, 4, []node{
			{"Finance", 0, 0, nil},
			{"Sales", 1, 3, []node{{"East", 2, 2, nil}}},
		}}}
		if diff := cmp.Diff(want, flat(tree)); diff != "" {
			t.Errorf("tree (-want +got):\n%s", diff)
		}
		err = e.svc.DeleteDepartment(e.hr, east.ID, 1)
		wantErr(t, "delete a department with employees", err, ballast.ErrConflict)
		if err := e.svc.DeleteDepartment(e.hr, fin.ID, 1); err != nil {
			t.Errorf("delete an empty department: %v", err)
		}
	})
}

func TestPositions_ValidateAndVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		_, err := e.svc.CreatePosition(e.hr, hr.PositionParams{Level: 120, Grade: "this grade is far too long to be a grade"})
		if diff := cmp.Diff([]string{"title", "grade", "level", "department_id"}, fields(t, err)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		p, err := e.svc.CreatePosition(e.hr, hr.PositionParams{Title: "Sales Director", DepartmentID: d.ID, Level: 8, Grade: "M3", Critical: true})
		if err != nil {
			t.Fatal(err)
		}
		p2, err := e.svc.UpdatePosition(e.hr, p.ID, hr.PositionParams{Title: "Sales Director", DepartmentID: d.ID, Level: 9, Critical: true}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if p2.Level != 9 || p2.Version != 2 {
			t.Errorf("updated = %+v", p2)
		}
		_, err = e.svc.UpdatePosition(e.hr, p.ID, hr.PositionParams{Title: "X", DepartmentID: d.ID}, 1)
		wantErr(t, "stale", err, ballast.ErrConflict)
		e.hire(t, "E1", "Holder", d.ID, func(ep *hr.EmployeeParams) { ep.PositionID = p.ID })
		wantErr(t, "delete held", e.svc.DeletePosition(e.hr, p.ID, 2), ballast.ErrConflict)
		ps, err := e.svc.Positions(e.hr, d.ID)
		if err != nil || len(ps) != 1 {
			t.Errorf("Positions = %v, %v", ps, err)
		}
	})
}
