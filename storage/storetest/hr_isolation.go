package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// hrWorld is one tenant's seeded records.
type hrWorld struct {
	tenant   string
	dept     hr.Department
	position hr.Position
	boss     hr.Employee
	emp      hr.Employee
	profile  hr.Profile
}

func seedHRWorld(t *testing.T, s hr.Store, name string) hrWorld {
	t.Helper()
	ctx := context.Background()
	w := hrWorld{tenant: hrTenant(t, s, name)}
	w.dept = hrDept("Sales", "")
	must(t, s.InsertDepartments(ctx, w.tenant, []hr.Department{w.dept}))
	w.position = hr.Position{ID: ballast.NewID(), Title: "Rep", DepartmentID: w.dept.ID, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
	must(t, s.InsertPosition(ctx, w.tenant, w.position))
	w.boss = hrEmp("E1", "Boss", w.dept.ID)
	w.emp = hrEmp("E2", "Rep", w.dept.ID)
	w.emp.ManagerID, w.emp.PositionID, w.emp.HireChannel, w.emp.ReferrerID = w.boss.ID, w.position.ID, hr.ChannelReferral, w.boss.ID
	must(t, s.InsertEmployees(ctx, w.tenant, []hr.Employee{w.boss, w.emp}))
	w.profile = hr.Profile{EmployeeID: w.emp.ID, Skills: []hr.Skill{{Name: "sales", Level: 4}},
		Performance: []hr.PerformanceRecord{}, Projects: []hr.Project{}, Certifications: []hr.Certification{},
		Management: []hr.ManagementExperience{}, UpdatedAt: hrT0, Version: 1}
	must(t, s.PutProfile(ctx, w.tenant, w.profile, 0))
	return w
}

// snapshot reads everything of w's tenant through the store.
func (w hrWorld) snapshot(t *testing.T, s hr.Store) []any {
	t.Helper()
	ctx := context.Background()
	tn, err := s.Tenant(ctx, w.tenant)
	must(t, err)
	ds, err := s.Departments(ctx, w.tenant)
	must(t, err)
	ps, err := s.Positions(ctx, w.tenant, "")
	must(t, err)
	es, err := s.ListEmployees(ctx, w.tenant, hr.EmployeeQuery{Limit: 100})
	must(t, err)
	p, err := s.Profile(ctx, w.tenant, w.emp.ID)
	must(t, err)
	return []any{tn, ds, ps, es, p}
}

func testHRIsolation(t *testing.T, tx ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	a := seedHRWorld(t, s, "A")
	b := seedHRWorld(t, s, "B")
	before := a.snapshot(t, s)
	B := b.tenant

	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ballast.ErrNotFound) {
			t.Errorf("tenant B %s of tenant A: error = %v, want ErrNotFound", what, err)
		}
	}
	refused := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("tenant B %s naming tenant A's rows succeeded", what)
		}
	}
	// Reads.
	_, err := s.Department(ctx, B, a.dept.ID)
	notFound("reads a department", err)
	_, err = s.DepartmentAncestors(ctx, B, a.dept.ID)
	notFound("walks department ancestors", err)
	_, err = s.Position(ctx, B, a.position.ID)
	notFound("reads a position", err)
	_, err = s.Employee(ctx, B, a.emp.ID)
	notFound("reads an employee", err)
	_, err = s.ManagerChain(ctx, B, a.emp.ID)
	notFound("walks a manager chain", err)
	_, err = s.Profile(ctx, B, a.emp.ID)
	notFound("reads a profile", err)
	empty := func(what string, n int, err error) {
		t.Helper()
		must(t, err)
		if n != 0 {
			t.Errorf("tenant B %s returned %d of tenant A's rows", what, n)
		}
	}
	es, err := s.EmployeesByID(ctx, B, []string{a.emp.ID, a.boss.ID})
	empty("EmployeesByID", len(es), err)
	es, err = s.Referrals(ctx, B, a.boss.ID)
	empty("Referrals", len(es), err)
	ps, err := s.Positions(ctx, B, a.dept.ID)
	empty("Positions", len(ps), err)
	es, err = s.ListEmployees(ctx, B, hr.EmployeeQuery{DepartmentID: a.dept.ID, Limit: 10})
	empty("ListEmployees(department)", len(es), err)
	es, err = s.ListEmployees(ctx, B, hr.EmployeeQuery{DepartmentID: a.dept.ID, IncludeSubdepartments: true, Limit: 10})
	empty("ListEmployees(subtree)", len(es), err)
	counts, err := s.Headcounts(ctx, B)
	must(t, err)
	if counts[a.dept.ID] != 0 {
		t.Errorf("tenant B Headcounts include tenant A's department")
	}
	// B's own number lookup must not find A's employees (both use E1, E2).
	es, err = s.EmployeesByNumber(ctx, B, []string{"E1"})
	must(t, err)
	if len(es) != 1 || es[0].ID != b.boss.ID {
		t.Errorf("tenant B EmployeesByNumber = %+v, want only B's boss", es)
	}

	// Updates and deletes.
	d := a.dept
	d.Name, d.Version = "Stolen", 2
	notFound("updates a department", s.UpdateDepartment(ctx, B, d, 1))
	notFound("deletes a department", s.DeleteDepartment(ctx, B, a.dept.ID, 1))
	p := a.position
	p.Title, p.Version = "Stolen", 2
	notFound("updates a position", s.UpdatePosition(ctx, B, p, 1))
	notFound("deletes a position", s.DeletePosition(ctx, B, a.position.ID, 1))
	e := a.emp
	e.Name, e.Version = "Stolen", 2
	e.DepartmentID, e.PositionID, e.ManagerID, e.ReferrerID = b.dept.ID, "", "", ""
	e.HireChannel = hr.ChannelCampus
	notFound("updates an employee", s.UpdateEmployee(ctx, B, e, 1))
	pr := a.profile
	pr.Version = 2
	notFound("updates a profile", s.PutProfile(ctx, B, pr, 1))
	tnA, err := s.Tenant(ctx, a.tenant)
	must(t, err)
	// UpdateTenant takes the tenant from the record: B may not rename A by
	// naming B's version; the version guard refuses A's row.
	tnA.Name, tnA.Version = "Stolen", 9
	wantKind(t, "update tenant with a wrong version", s.UpdateTenant(ctx, tnA, 5), ballast.ErrConflict)

	// Inserts in B that reference A's rows are refused.
	refused("inserts a department under A's", s.InsertDepartments(ctx, B, []hr.Department{hrDept("Sub", a.dept.ID)}))
	refused("inserts a position in A's department", s.InsertPosition(ctx, B, hr.Position{ID: ballast.NewID(), Title: "X",
		DepartmentID: a.dept.ID, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}))
	refused("inserts an employee in A's department", s.InsertEmployees(ctx, B, []hr.Employee{hrEmp("E9", "X", a.dept.ID)}))
	refused("inserts an employee managed by A's", tx.InTx(ctx, func(ctx context.Context) error {
		x := hrEmp("E9", "X", b.dept.ID)
		x.ManagerID = a.boss.ID
		return s.InsertEmployees(ctx, B, []hr.Employee{x})
	}))
	refused("inserts a profile for A's employee", s.PutProfile(ctx, B, hr.Profile{EmployeeID: a.emp.ID, UpdatedAt: hrT0, Version: 1}, 0))

	if diff := cmp.Diff(before, a.snapshot(t, s)); diff != "" {
		t.Errorf("tenant A changed through tenant B (-before +after):\n%s", diff)
	}
}

func testHRRollback(t *testing.T, tx ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	boom := errors.New("boom")
	err := tx.InTx(ctx, func(ctx context.Context) error {
		d := hrDept("Sales", "")
		if err := s.InsertDepartments(ctx, tn, []hr.Department{d}); err != nil {
			return err
		}
		if err := s.InsertEmployees(ctx, tn, []hr.Employee{hrEmp("E1", "Li", d.ID)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	ds, err := s.Departments(ctx, tn)
	must(t, err)
	es, err := s.ListEmployees(ctx, tn, hr.EmployeeQuery{Limit: 10})
	must(t, err)
	if len(ds)+len(es) != 0 {
		t.Errorf("rolled back, yet %d departments and %d employees remain", len(ds), len(es))
	}
}

// testHRCommitFailure proves that a reference checked at commit (a manager
// who never exists) rolls the whole transaction back and leaves the
// connection usable for the next one.
func testHRCommitFailure(t *testing.T, tx ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	d := hrDept("Sales", "")
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{d}))
	err := tx.InTx(ctx, func(ctx context.Context) error {
		ok := hrEmp("E1", "Kept?", d.ID)
		bad := hrEmp("E2", "Orphan", d.ID)
		bad.ManagerID = ballast.NewID()
		return s.InsertEmployees(ctx, tn, []hr.Employee{ok, bad})
	})
	wantKind(t, "commit with a dangling manager", err, ballast.ErrConflict)
	must(t, tx.InTx(ctx, func(ctx context.Context) error {
		return s.InsertEmployees(ctx, tn, []hr.Employee{hrEmp("E3", "Next", d.ID)})
	}))
	es, err := s.ListEmployees(ctx, tn, hr.EmployeeQuery{Limit: 10})
	must(t, err)
	if len(es) != 1 || es[0].Number != "E3" {
		t.Errorf("after a failed commit and a good one: %+v, want only E3", es)
	}
}
