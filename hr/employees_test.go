package hr_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestHireEmployee_BadInputListsEveryFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		senior := e.hire(t, "E1", "Senior", d.ID)
		other := e.newTenant(t, "Rival")
		otherCtx := e.userIn(t, other, "rival-hr", "hr")
		od, err := e.svc.CreateDepartment(otherCtx, hr.DepartmentParams{Name: "Sales"})
		if err != nil {
			t.Fatal(err)
		}
		foreigner, err := e.svc.HireEmployee(otherCtx, hr.EmployeeParams{Number: "R1", Name: "Rival", DepartmentID: od.ID,
			HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus})
		if err != nil {
			t.Fatal(err)
		}
		ok := hr.EmployeeParams{Number: "E2", Name: "Li Na", DepartmentID: d.ID, HireDate: hr.NewDate(2024, 3, 1),
			HireChannel: hr.ChannelReferral, ReferrerID: senior.ID}
		with := func(f func(p *hr.EmployeeParams)) hr.EmployeeParams {
			p := ok
			f(&p)
			return p
		}
		tests := []struct {
			name   string
			params hr.EmployeeParams
			want   []string
		}{
			{"nothing", hr.EmployeeParams{}, []string{"number", "name", "department_id", "hire_date", "hire_channel"}},
			{"malformed ids and values", with(func(p *hr.EmployeeParams) {
				p.DepartmentID, p.PositionID, p.ManagerID, p.ReferrerID = "d", "p", "m", "r"
				p.Email, p.Phone, p.HireDate = "not-an-email", "call me", hr.NewDate(2024, 2, 30)
			}), []string{"email", "phone", "department_id", "position_id", "manager_id", "referrer_id", "hire_date"}},
			{"referral without referrer", with(func(p *hr.EmployeeParams) { p.ReferrerID = "" }), []string{"referrer_id"}},
			{"referrer outside referral", with(func(p *hr.EmployeeParams) { p.HireChannel = hr.ChannelCampus }), []string{"referrer_id"}},
			{"unknown channel", with(func(p *hr.EmployeeParams) { p.HireChannel = "headhunted"; p.ReferrerID = "" }), []string{"hire_channel"}},
			{"last day before hire date", with(func(p *hr.EmployeeParams) {
				p.Status, p.LastWorkingDay = hr.StatusResigning, hr.NewDate(2024, 2, 1)
			}), []string{"last_working_day"}},
			{"resigning without last day", with(func(p *hr.EmployeeParams) { p.Status = hr.StatusResigning }), []string{"last_working_day"}},
			{"active with last day", with(func(p *hr.EmployeeParams) { p.LastWorkingDay = hr.NewDate(2025, 1, 1) }), []string{"last_working_day"}},
			{"unknown status", with(func(p *hr.EmployeeParams) { p.Status = "fired" }), []string{"status"}},
			{"references of another tenant look missing", with(func(p *hr.EmployeeParams) {
				p.DepartmentID, p.ManagerID, p.ReferrerID = od.ID, foreigner.ID, foreigner.ID
			}), []string{"department_id", "manager_id", "referrer_id"}},
			{"unknown position", with(func(p *hr.EmployeeParams) { p.PositionID = ballast.NewID() }), []string{"position_id"}},
		}
		before := len(e.entries(t, e.tenant))
		for _, tt := range tests {
			_, err := e.svc.HireEmployee(e.hr, tt.params)
			if !errors.Is(err, ballast.ErrInvalid) {
				t.Errorf("%s: error = %v, want ErrInvalid", tt.name, err)
				continue
			}
			if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
			}
		}
		_, err = e.svc.HireEmployee(e.hr, with(func(p *hr.EmployeeParams) { p.Number = "E1" }))
		wantErr(t, "duplicate number", err, ballast.ErrConflict)
		if n := e.employeeCount(t, e.tenant); n != 1 {
			t.Errorf("%d employees after refused hires, want 1", n)
		}
		if after := len(e.entries(t, e.tenant)); after != before {
			t.Errorf("refused hires appended %d audit entries", after-before)
		}
		hired, err := e.svc.HireEmployee(e.hr, ok)
		if err != nil {
			t.Fatal(err)
		}
		want := hr.Employee{ID: hired.ID, Number: "E2", Name: "Li Na", DepartmentID: d.ID, HireDate: hr.NewDate(2024, 3, 1),
			HireChannel: hr.ChannelReferral, ReferrerID: senior.ID, Status: hr.StatusActive, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if diff := cmp.Diff(want, hired); diff != "" {
			t.Errorf("hired (-want +got):\n%s", diff)
		}
		refs, err := e.svc.Referrals(e.hr, senior.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != 1 || refs[0].ID != hired.ID {
			t.Errorf("Referrals = %+v", refs)
		}
		_, err = e.svc.Referrals(e.hr, foreigner.ID)
		wantErr(t, "referrals of another tenant's employee", err, ballast.ErrNotFound)
	})
}

func TestUpdateEmployee_RefusesAManagementLoop(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		a := e.hire(t, "A", "Alice", d.ID)
		b := e.hire(t, "B", "Bob", d.ID, func(p *hr.EmployeeParams) { p.ManagerID = a.ID })
		c := e.hire(t, "C", "Carol", d.ID, func(p *hr.EmployeeParams) { p.ManagerID = b.ID })
		for _, tt := range []struct {
			name    string
			manager string
		}{{"A under B", b.ID}, {"A under C (two levels)", c.ID}, {"A under A", a.ID}} {
			p := a.Params()
			p.ManagerID = tt.manager
			_, err := e.svc.UpdateEmployee(e.hr, a.ID, p, a.Version)
			if !errors.Is(err, hr.ErrCycle) || !errors.Is(err, ballast.ErrInvalid) {
				t.Errorf("%s: error = %v, want ErrCycle", tt.name, err)
			}
		}
		got, err := e.svc.Employee(e.hr, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("refused loop changed the employee (-want +got):\n%s", diff)
		}
		// A legal change, then a stale one.
		p := c.Params()
		p.ManagerID, p.KeyPerson = a.ID, true
		c2, err := e.svc.UpdateEmployee(e.hr, c.ID, p, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c2.Version != 2 || c2.ManagerID != a.ID || !c2.KeyPerson {
			t.Errorf("updated = %+v", c2)
		}
		_, err = e.svc.UpdateEmployee(e.hr, c.ID, p, 1)
		wantErr(t, "stale version", err, ballast.ErrConflict)
		p.Number = "A"
		_, err = e.svc.UpdateEmployee(e.hr, c.ID, p, 2)
		wantErr(t, "taken number", err, ballast.ErrConflict)
		_, err = e.svc.UpdateEmployee(e.hr, "bad", p, 2)
		wantErr(t, "malformed id", err, ballast.ErrInvalid)
		_, err = e.svc.UpdateEmployee(e.hr, ballast.NewID(), p, 2)
		wantErr(t, "unknown id", err, ballast.ErrNotFound)
	})
}

func TestListEmployees_PagesThroughADepartment(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		root := e.dept(t, "Acme", "")
		sales := e.dept(t, "Sales", root.ID)
		for i := range 7 {
			e.hire(t, fmt.Sprintf("S%02d", i), fmt.Sprintf("Sales %d", 6-i), sales.ID)
		}
		e.hire(t, "R01", "Root person", root.ID)
		var got []string
		f := hr.EmployeeFilter{DepartmentID: sales.ID, Limit: 3}
		for range 10 {
			page, err := e.svc.ListEmployees(e.hr, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, emp := range page.Employees {
				got = append(got, emp.Name)
			}
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		want := []string{"Sales 0", "Sales 1", "Sales 2", "Sales 3", "Sales 4", "Sales 5", "Sales 6"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
		all, err := e.svc.ListEmployees(e.hr, hr.EmployeeFilter{DepartmentID: root.ID, IncludeSubdepartments: true, Order: hr.OrderByNumber})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Employees) != 8 || all.Employees[0].Number != "R01" || all.NextCursor != "" {
			t.Errorf("subtree by number = %d employees, first %+v", len(all.Employees), all.Employees[0])
		}
		_, err = e.svc.ListEmployees(e.hr, hr.EmployeeFilter{DepartmentID: "x", Status: "gone", Order: "age", Limit: 1000, Cursor: "!!", IncludeSubdepartments: true})
		if diff := cmp.Diff([]string{"department_id", "status", "order", "limit", "cursor"}, fields(t, err)); diff != "" {
			t.Errorf("bad filter fields (-want +got):\n%s", diff)
		}
	})
}

func TestUpdateEmployee_ConcurrentWritersOfOneVersionOneWins(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		emp := e.hire(t, "E1", "Li Na", d.ID)
		const writers = 4
		errs := make(chan error, writers)
		for i := range writers {
			go func() {
				p := emp.Params()
				p.Phone = fmt.Sprintf("%d", 100+i)
				_, err := e.svc.UpdateEmployee(e.hr, emp.ID, p, emp.Version)
				errs <- err
			}()
		}
		wins := 0
		for range writers {
			switch err := <-errs; {
			case err == nil:
				wins++
			case !errors.Is(err, ballast.ErrConflict):
				t.Errorf("loser error = %v, want ErrConflict", err)
			}
		}
		if wins != 1 {
			t.Errorf("%d writers won, want exactly 1", wins)
		}
		got, err := e.svc.Employee(e.hr, emp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 {
			t.Errorf("version = %d, want 2", got.Version)
		}
	})
}
