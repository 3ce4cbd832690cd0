package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// RunHR runs the conformance suite for hr.Store. open must return a fresh,
// empty, migrated backend for every call: a transactor and the store that
// joins its transactions.
func RunHR(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store)) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, tx ballast.Transactor, s hr.Store)
	}{
		{"TenantsRoundTripWithVersions", testHRTenants},
		{"DepartmentsFormATree", testHRDepartments},
		{"PositionsRoundTrip", testHRPositions},
		{"EmployeesBulkInsertAndLookups", testHREmployees},
		{"ListEmployeesPagesByKeyset", testHRList},
		{"ProfilesInsertThenUpdateByVersion", testHRProfiles},
		{"PerformanceUpsertsInBulkByPeriod", testHRPerformance},
		{"TenantBNeverTouchesTenantA", testHRIsolation},
		{"RolledBackWritesLeaveNothing", testHRRollback},
		{"FailedCommitRollsBackAndLeavesConnectionUsable", testHRCommitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx, s := open(t)
			tt.fn(t, tx, s)
		})
	}
}

// hrT0 is the instant the suite's records are stamped with.
var hrT0 = time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)

func hrTenant(t *testing.T, s hr.Store, name string) string {
	t.Helper()
	id := ballast.NewID()
	err := s.InsertTenant(context.Background(), hr.Tenant{ID: id, Name: name, TimeZone: "Asia/Shanghai",
		Locale: hr.LocaleZhCN, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func hrDept(name, parent string) hr.Department {
	return hr.Department{ID: ballast.NewID(), Name: name, ParentID: parent, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
}

func hrEmp(number, name, dept string) hr.Employee {
	return hr.Employee{ID: ballast.NewID(), Number: number, Name: name, Email: number + "@example.com",
		DepartmentID: dept, HireDate: hr.NewDate(2024, 3, 1), HireChannel: hr.ChannelCampus,
		Status: hr.StatusActive, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
}

func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want %v", what, err, kind)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testHRTenants(t *testing.T, _ ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	id := hrTenant(t, s, "Acme")
	got, err := s.Tenant(ctx, id)
	must(t, err)
	want := hr.Tenant{ID: id, Name: "Acme", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tenant (-want +got):\n%s", diff)
	}
	wantKind(t, "insert same id", s.InsertTenant(ctx, want), ballast.ErrConflict)
	upd := want
	upd.Name, upd.Version = "Acme Ltd", 2
	must(t, s.UpdateTenant(ctx, upd, 1))
	wantKind(t, "stale update", s.UpdateTenant(ctx, upd, 1), ballast.ErrConflict)
	missing := upd
	missing.ID = ballast.NewID()
	wantKind(t, "update missing", s.UpdateTenant(ctx, missing, 2), ballast.ErrNotFound)
	_, err = s.Tenant(ctx, ballast.NewID())
	wantKind(t, "get missing", err, ballast.ErrNotFound)
	got, err = s.Tenant(ctx, id)
	must(t, err)
	if got.Name != "Acme Ltd" || got.Version != 2 {
		t.Errorf("after update: %+v", got)
	}
}

func testHRDepartments(t *testing.T, _ ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	root := hrDept("Acme", "")
	sales := hrDept("Sales", root.ID)
	east := hrDept("East", sales.ID)
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{root, sales, east}))
	got, err := s.Department(ctx, tn, east.ID)
	must(t, err)
	if diff := cmp.Diff(east, got); diff != "" {
		t.Errorf("Department (-want +got):\n%s", diff)
	}
	all, err := s.Departments(ctx, tn)
	must(t, err)
	if diff := cmp.Diff([]hr.Department{root, east, sales}, all); diff != "" {
		t.Errorf("Departments by name (-want +got):\n%s", diff)
	}
	anc, err := s.DepartmentAncestors(ctx, tn, east.ID)
	must(t, err)
	if diff := cmp.Diff([]string{east.ID, sales.ID, root.ID}, anc); diff != "" {
		t.Errorf("DepartmentAncestors (-want +got):\n%s", diff)
	}
	_, err = s.DepartmentAncestors(ctx, tn, ballast.NewID())
	wantKind(t, "ancestors of missing", err, ballast.ErrNotFound)
	wantKind(t, "sibling with same name", s.InsertDepartments(ctx, tn, []hr.Department{hrDept("Sales", root.ID)}), ballast.ErrConflict)
	wantKind(t, "second root with same name", s.InsertDepartments(ctx, tn, []hr.Department{hrDept("Acme", "")}), ballast.ErrConflict)
	// The same name under another parent is fine.
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{hrDept("East", root.ID)}))

	moved := east
	moved.ParentID, moved.Name, moved.Version = root.ID, "East Region", 2
	must(t, s.UpdateDepartment(ctx, tn, moved, 1))
	wantKind(t, "stale update", s.UpdateDepartment(ctx, tn, moved, 1), ballast.ErrConflict)
	got, err = s.Department(ctx, tn, east.ID)
	must(t, err)
	if diff := cmp.Diff(moved, got); diff != "" {
		t.Errorf("after move (-want +got):\n%s", diff)
	}
	wantKind(t, "delete a parent", s.DeleteDepartment(ctx, tn, root.ID, 1), ballast.ErrConflict)
	wantKind(t, "delete stale", s.DeleteDepartment(ctx, tn, east.ID, 1), ballast.ErrConflict)
	must(t, s.DeleteDepartment(ctx, tn, east.ID, 2))
	_, err = s.Department(ctx, tn, east.ID)
	wantKind(t, "get deleted", err, ballast.ErrNotFound)
	wantKind(t, "delete missing", s.DeleteDepartment(ctx, tn, east.ID, 2), ballast.ErrNotFound)
}

func testHRPositions(t *testing.T, _ ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	d1, d2 := hrDept("Sales", ""), hrDept("Finance", "")
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{d1, d2}))
	p1 := hr.Position{ID: ballast.NewID(), Title: "Sales Director", DepartmentID: d1.ID, Level: 8, Grade: "M3",
		Critical: true, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
	p2 := hr.Position{ID: ballast.NewID(), Title: "Account Manager", DepartmentID: d1.ID, Level: 5,
		CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
	p3 := hr.Position{ID: ballast.NewID(), Title: "Accountant", DepartmentID: d2.ID, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
	for _, p := range []hr.Position{p1, p2, p3} {
		must(t, s.InsertPosition(ctx, tn, p))
	}
	got, err := s.Position(ctx, tn, p1.ID)
	must(t, err)
	if diff := cmp.Diff(p1, got); diff != "" {
		t.Errorf("Position (-want +got):\n%s", diff)
	}
	inSales, err := s.Positions(ctx, tn, d1.ID)
	must(t, err)
	if diff := cmp.Diff([]hr.Position{p2, p1}, inSales); diff != "" {
		t.Errorf("Positions(sales) (-want +got):\n%s", diff)
	}
	all, err := s.Positions(ctx, tn, "")
	must(t, err)
	if len(all) != 3 {
		t.Errorf("Positions(all) = %d, want 3", len(all))
	}
	upd := p2
	upd.Critical, upd.Version = true, 2
	must(t, s.UpdatePosition(ctx, tn, upd, 1))
	wantKind(t, "stale update", s.UpdatePosition(ctx, tn, upd, 1), ballast.ErrConflict)
	holder := hrEmp("E1", "Holder", d1.ID)
	holder.PositionID = p1.ID
	must(t, s.InsertEmployees(ctx, tn, []hr.Employee{holder}))
	wantKind(t, "delete held position", s.DeletePosition(ctx, tn, p1.ID, 1), ballast.ErrConflict)
	must(t, s.DeletePosition(ctx, tn, p3.ID, 1))
	_, err = s.Position(ctx, tn, p3.ID)
	wantKind(t, "get deleted", err, ballast.ErrNotFound)
	wantKind(t, "position in missing department", s.InsertPosition(ctx, tn, hr.Position{ID: ballast.NewID(), Title: "X",
		DepartmentID: ballast.NewID(), CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}), ballast.ErrConflict)
}

func testHREmployees(t *testing.T, tx ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	d := hrDept("Sales", "")
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{d}))
	boss := hrEmp("E001", "Zhang Wei", d.ID)
	mid := hrEmp("E002", "Li Na", d.ID)
	mid.ManagerID = boss.ID
	low := hrEmp("E003", "Wang Fang", d.ID)
	low.ManagerID, low.HireChannel, low.ReferrerID = mid.ID, hr.ChannelReferral, mid.ID
	gone := hrEmp("E004", "Chen Jie", d.ID)
	gone.Status, gone.LastWorkingDay, gone.KeyPerson = hr.StatusDeparted, hr.NewDate(2025, 6, 30), true
	// Managers named before they are inserted: references are checked at commit.
	must(t, tx.InTx(ctx, func(ctx context.Context) error {
		return s.InsertEmployees(ctx, tn, []hr.Employee{low, mid, boss, gone})
	}))
	got, err := s.Employee(ctx, tn, low.ID)
	must(t, err)
	if diff := cmp.Diff(low, got); diff != "" {
		t.Errorf("Employee (-want +got):\n%s", diff)
	}
	got, err = s.Employee(ctx, tn, gone.ID)
	must(t, err)
	if diff := cmp.Diff(gone, got); diff != "" {
		t.Errorf("departed Employee (-want +got):\n%s", diff)
	}
	dup := hrEmp("E001", "Someone Else", d.ID)
	wantKind(t, "duplicate number", s.InsertEmployees(ctx, tn, []hr.Employee{dup}), ballast.ErrConflict)
	wantKind(t, "manager that never exists", tx.InTx(ctx, func(ctx context.Context) error {
		e := hrEmp("E009", "Orphan", d.ID)
		e.ManagerID = ballast.NewID()
		return s.InsertEmployees(ctx, tn, []hr.Employee{e})
	}), ballast.ErrConflict)

	byNum, err := s.EmployeesByNumber(ctx, tn, []string{"E001", "E003", "nope"})
	must(t, err)
	if len(byNum) != 2 {
		t.Errorf("EmployeesByNumber = %d employees, want 2", len(byNum))
	}
	byID, err := s.EmployeesByID(ctx, tn, []string{boss.ID, ballast.NewID()})
	must(t, err)
	if len(byID) != 1 || byID[0].ID != boss.ID {
		t.Errorf("EmployeesByID = %+v", byID)
	}
	chain, err := s.ManagerChain(ctx, tn, low.ID)
	must(t, err)
	if diff := cmp.Diff([]string{low.ID, mid.ID, boss.ID}, chain); diff != "" {
		t.Errorf("ManagerChain (-want +got):\n%s", diff)
	}
	refs, err := s.Referrals(ctx, tn, mid.ID)
	must(t, err)
	if len(refs) != 1 || refs[0].ID != low.ID {
		t.Errorf("Referrals = %+v", refs)
	}
	counts, err := s.Headcounts(ctx, tn)
	must(t, err)
	if diff := cmp.Diff(map[string]int{d.ID: 3}, counts); diff != "" {
		t.Errorf("Headcounts, departed excluded (-want +got):\n%s", diff)
	}
	upd := mid
	upd.Phone, upd.Status, upd.LastWorkingDay, upd.Version = "+86 138 0000 0000", hr.StatusResigning, hr.NewDate(2026, 4, 30), 2
	must(t, s.UpdateEmployee(ctx, tn, upd, 1))
	wantKind(t, "stale update", s.UpdateEmployee(ctx, tn, upd, 1), ballast.ErrConflict)
	got, err = s.Employee(ctx, tn, mid.ID)
	must(t, err)
	if diff := cmp.Diff(upd, got); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	taken := boss
	taken.Number, taken.Version = "E002", 2
	wantKind(t, "update to a taken number", s.UpdateEmployee(ctx, tn, taken, 1), ballast.ErrConflict)
}

func testHRList(t *testing.T, _ ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	root := hrDept("Acme", "")
	sales := hrDept("Sales", root.ID)
	east := hrDept("East", sales.ID)
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{root, sales, east}))
	var es []hr.Employee
	for i := range 25 {
		dept := []string{root.ID, sales.ID, east.ID}[i%3]
		// Names repeat so that the id breaks ties.
		e := hrEmp(fmt.Sprintf("N%03d", 100-i), fmt.Sprintf("Name %02d", i/2), dept)
		if i%5 == 0 {
			e.Status, e.LastWorkingDay = hr.StatusResigning, hr.NewDate(2026, 5, 1)
		}
		es = append(es, e)
	}
	special := hrEmp("X_1", "100% Sure", east.ID)
	es = append(es, special)
	must(t, s.InsertEmployees(ctx, tn, es))

	pageAll := func(q hr.EmployeeQuery) []hr.Employee {
		var out []hr.Employee
		for range 100 {
			page, err := s.ListEmployees(ctx, tn, q)
			must(t, err)
			out = append(out, page...)
			if len(page) < q.Limit {
				return out
			}
			last := page[len(page)-1]
			q.AfterKey, q.AfterID = last.Name, last.ID
			if q.OrderByNumber {
				q.AfterKey = last.Number
			}
		}
		t.Fatal("listing does not end")
		return nil
	}
	names := func(es []hr.Employee) (out []string) {
		for _, e := range es {
			out = append(out, e.Name+"/"+e.ID)
		}
		return out
	}
	byName := pageAll(hr.EmployeeQuery{Limit: 4})
	if len(byName) != 26 {
		t.Fatalf("paged %d employees, want 26", len(byName))
	}
	for i := 1; i < len(byName); i++ {
		a, b := byName[i-1], byName[i]
		if a.Name > b.Name || (a.Name == b.Name && a.ID >= b.ID) {
			t.Errorf("not ordered by (name, id) at %d: %s then %s", i, a.Name, b.Name)
		}
	}
	byNumber := pageAll(hr.EmployeeQuery{Limit: 7, OrderByNumber: true})
	for i := 1; i < len(byNumber); i++ {
		if byNumber[i-1].Number >= byNumber[i].Number {
			t.Errorf("not ordered by number at %d", i)
		}
	}
	if len(byNumber) != 26 {
		t.Errorf("paged %d by number, want 26", len(byNumber))
	}
	count := func(what string, q hr.EmployeeQuery, want int) {
		t.Helper()
		q.Limit = 100
		got, err := s.ListEmployees(ctx, tn, q)
		must(t, err)
		if len(got) != want {
			t.Errorf("%s: %d employees, want %d: %v", what, len(got), want, names(got))
		}
	}
	count("one department", hr.EmployeeQuery{DepartmentID: sales.ID}, 8)
	count("subtree", hr.EmployeeQuery{DepartmentID: sales.ID, IncludeSubdepartments: true}, 17)
	count("whole tree", hr.EmployeeQuery{DepartmentID: root.ID, IncludeSubdepartments: true}, 26)
	count("status", hr.EmployeeQuery{Status: hr.StatusResigning}, 5)
	count("name substring, any case", hr.EmployeeQuery{Query: "name 1"}, 5)
	count("number substring", hr.EmployeeQuery{Query: "n09"}, 10)
	count("wildcards are literal", hr.EmployeeQuery{Query: "%"}, 1)
	count("underscore is literal", hr.EmployeeQuery{Query: "x_"}, 1)
	count("combined", hr.EmployeeQuery{DepartmentID: east.ID, Status: hr.StatusActive, Query: "sure"}, 1)
}

func testHRProfiles(t *testing.T, _ ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	d := hrDept("Sales", "")
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{d}))
	e := hrEmp("E1", "Li Na", d.ID)
	must(t, s.InsertEmployees(ctx, tn, []hr.Employee{e}))
	_, err := s.Profile(ctx, tn, e.ID)
	wantKind(t, "profile never written", err, ballast.ErrNotFound)
	p := hr.Profile{
		EmployeeID:     e.ID,
		Performance:    []hr.PerformanceRecord{{Period: "2025H2", Score: 91.5, Grade: "A", Source: "assessment"}},
		Projects:       []hr.Project{{Name: "CRM rollout", Role: "lead", Start: hr.NewDate(2024, 1, 1), CrossDepartment: true}},
		Certifications: []hr.Certification{{Name: "PMP", Issuer: "PMI", Issued: hr.NewDate(2023, 5, 1), Expires: hr.NewDate(2026, 5, 1)}},
		Skills:         []hr.Skill{{Name: "negotiation", Level: 5}},
		Management:     []hr.ManagementExperience{{TeamSize: 8, Start: hr.NewDate(2022, 1, 1), Description: "east team"}},
		CareerPlan:     &hr.CareerPlan{Direction: hr.DirectionManagement, Notes: "lead sales", UpdatedAt: hrT0},
		UpdatedAt:      hrT0,
		Version:        1,
	}
	must(t, s.PutProfile(ctx, tn, p, 0))
	wantKind(t, "insert twice", s.PutProfile(ctx, tn, p, 0), ballast.ErrConflict)
	got, err := s.Profile(ctx, tn, e.ID)
	must(t, err)
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("Profile (-want +got):\n%s", diff)
	}
	p2 := p
	p2.Skills, p2.CareerPlan, p2.Version = []hr.Skill{}, nil, 2
	must(t, s.PutProfile(ctx, tn, p2, 1))
	wantKind(t, "stale update", s.PutProfile(ctx, tn, p2, 1), ballast.ErrConflict)
	got, err = s.Profile(ctx, tn, e.ID)
	must(t, err)
	if diff := cmp.Diff(p2, got); diff != "" {
		t.Errorf("Profile after update (-want +got):\n%s", diff)
	}
	wantKind(t, "profile of a missing employee", s.PutProfile(ctx, tn, hr.Profile{EmployeeID: ballast.NewID(), UpdatedAt: hrT0, Version: 1}, 0), ballast.ErrConflict)
}
