package hr_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

const departmentsCSV = `path,head
Acme
Acme/Sales/East
Acme/Sales
Acme/Finance
`

// employeesCSV names managers and referrers defined later in the file.
const employeesCSV = `number,name,email,department,position,manager,hire_date,hire_channel,referrer,status,last_working_day,key_person
E003,Wang Fang,wang@acme.example,Acme/Sales/East,Account Manager,E002,2023-04-01,referral,E002,active,,false
E002,Li Na,li@acme.example,Acme/Sales,,E001,2019-07-01,experienced,,resigning,2026-04-30,true
E001,Zhang Wei,,Acme,,,2015-01-05,campus,,,,
E004,Chen Jie,,Acme/Finance,,E001,2021-09-01,agency,,departed,2024-12-31,no
`

func TestImportCSV_CreatesEverythingWithOneAuditEntryEach(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		rep, err := e.svc.ImportDepartmentsCSV(e.hr, strings.NewReader(departmentsCSV))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Departments != 4 {
			t.Errorf("report = %+v", rep)
		}
		ds, err := e.svc.Departments(e.hr)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]hr.Department{}
		for _, d := range ds {
			byName[d.Name] = d
		}
		if _, err := e.svc.CreatePosition(e.hr, hr.PositionParams{Title: "Account Manager", DepartmentID: byName["East"].ID}); err != nil {
			t.Fatal(err)
		}
		before := len(e.entries(t, e.tenant))
		rep, err = e.svc.ImportEmployeesCSV(e.hr, strings.NewReader(employeesCSV))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Employees != 4 {
			t.Errorf("report = %+v", rep)
		}
		es := e.entries(t, e.tenant)
		if len(es) != before+1 || es[len(es)-1].Action != "hr.import.employees" {
			t.Errorf("import appended %d entries, want one hr.import.employees", len(es)-before)
		}
		wang, err := e.svc.EmployeeByNumber(e.hr, "E003")
		if err != nil {
			t.Fatal(err)
		}
		li, err := e.svc.EmployeeByNumber(e.hr, "E002")
		if err != nil {
			t.Fatal(err)
		}
		if wang.ManagerID != li.ID || wang.ReferrerID != li.ID || wang.DepartmentID != byName["East"].ID || wang.PositionID == "" {
			t.Errorf("references not resolved: %+v", wang)
		}
		if li.Status != hr.StatusResigning || li.LastWorkingDay != hr.NewDate(2026, 4, 30) || !li.KeyPerson {
			t.Errorf("li = %+v", li)
		}
		tree, err := e.svc.DepartmentTree(e.hr)
		if err != nil {
			t.Fatal(err)
		}
		if len(tree) != 1 || tree[0].TotalHeadcount != 3 {
			t.Errorf("tree headcount = %d, want 3 (departed excluded)", tree[0].TotalHeadcount)
		}
	})
}

func TestImportEmployeesCSV_ListsEveryBadRowAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		if _, err := e.svc.ImportDepartmentsCSV(e.hr, strings.NewReader(departmentsCSV)); err != nil {
			t.Fatal(err)
		}
		sales, err := e.svc.ListEmployees(e.hr, hr.EmployeeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		_ = sales
		ds, _ := e.svc.Departments(e.hr)
		e.hire(t, "E100", "Existing", ds[0].ID)
		before := len(e.entries(t, e.tenant))
		bad := `number,name,department,manager,hire_date,hire_channel,referrer,status,last_working_day,key_person
E1,Ok,Acme,,2020-01-01,campus,,,,
E1,Twice,Acme,,2020-01-01,campus,,,,
E100,Taken,Acme,,2020-01-01,campus,,,,
E2,,Nowhere,E99,2020-13-01,headhunted,,,,maybe
E3,Ref,Acme,,2020-01-01,referral,,,,
E4,Early,Acme,,2020-05-01,campus,,departed,2020-04-30,
E5,Loop A,Acme,E6,2020-01-01,campus,,,,
E6,Loop B,Acme,E5,2020-01-01,campus,,,,
E7,Self,Acme,E7,2020-01-01,campus,,,,
E8,Long,Acme,,2020-01-01,campus,,,,,extra
`
		_, err = e.svc.ImportEmployeesCSV(e.hr, strings.NewReader(bad))
		if !errors.Is(err, ballast.ErrInvalid) {
			t.Fatalf("error = %v, want ErrInvalid", err)
		}
		var ie *hr.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *ImportError", err)
		}
		want := []hr.RowError{
			{Line: 3, Column: "number", Reason: "repeats line 2"},
			{Line: 4, Column: "number", Reason: "is taken by an existing employee"},
			{Line: 5, Column: "department", Reason: "department Nowhere does not exist"},
			{Line: 5, Column: "manager", Reason: "employee E99 does not exist"},
			{Line: 5, Column: "hire_date", Reason: "is not YYYY-MM-DD"},
			{Line: 5, Column: "key_person", Reason: "is not true or false"},
			{Line: 5, Column: "name", Reason: "is required"},
			{Line: 5, Column: "hire_channel", Reason: "is not a known hire channel"},
			{Line: 6, Column: "referrer", Reason: "is required for a referral"},
			{Line: 7, Column: "last_working_day", Reason: "is before the hire date"},
			{Line: 8, Column: "manager", Reason: "forms a management loop"},
			{Line: 9, Column: "manager", Reason: "forms a management loop"},
			{Line: 10, Column: "manager", Reason: "is the employee"},
			{Line: 11, Reason: "has 11 fields, the header 10"},
		}
		if diff := cmp.Diff(want, ie.Rows, cmpopts.SortSlices(func(a, b hr.RowError) bool {
			return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
		})); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		if n := e.employeeCount(t, e.tenant); n != 1 {
			t.Errorf("%d employees after a refused import, want 1", n)
		}
		if after := len(e.entries(t, e.tenant)); after != before {
			t.Errorf("refused import appended %d audit entries", after-before)
		}
		for name, file := range map[string]string{
			"empty":          "",
			"unknown column": "number,name,shoe_size\n",
			"missing column": "number,name\n",
			"bad quote":      "number,name,department,hire_date,hire_channel\n\"E1,x\n",
		} {
			_, err := e.svc.ImportEmployeesCSV(e.hr, strings.NewReader(file))
			if !errors.As(err, &ie) {
				t.Errorf("%s: error = %v, want *ImportError", name, err)
			}
		}
		_, err = e.svc.ImportDepartmentsCSV(e.hr, strings.NewReader("path,head\nAcme\nAcme/Sales/West/North\n/x\nAcme/Legal,E404\n"))
		if !errors.As(err, &ie) {
			t.Fatalf("departments: error = %v, want *ImportError", err)
		}
		wantDept := []hr.RowError{
			{Line: 2, Column: "path", Reason: "exists already"},
			{Line: 3, Column: "path", Reason: "parent Acme/Sales/West does not exist"},
			{Line: 4, Column: "path", Reason: "is empty or has an empty segment"},
			{Line: 5, Column: "head", Reason: "employee E404 does not exist"},
		}
		if diff := cmp.Diff(wantDept, ie.Rows); diff != "" {
			t.Errorf("department rows (-want +got):\n%s", diff)
		}
	})
}

func TestExportEmployeesCSV_RoundTripsThroughImport(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		if _, err := e.svc.ImportDepartmentsCSV(e.hr, strings.NewReader(departmentsCSV)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ImportEmployeesCSV(e.hr, strings.NewReader(strings.ReplaceAll(employeesCSV, "Account Manager", ""))); err != nil {
			t.Fatal(err)
		}
		var depts, emps bytes.Buffer
		if n, err := e.svc.ExportDepartmentsCSV(e.hr, &depts); err != nil || n != 4 {
			t.Fatalf("ExportDepartmentsCSV = %d, %v", n, err)
		}
		n, err := e.svc.ExportEmployeesCSV(e.hr, &emps, hr.EmployeeFilter{Order: hr.OrderByNumber})
		if err != nil || n != 4 {
			t.Fatalf("ExportEmployeesCSV = %d, %v", n, err)
		}
		es := e.entries(t, e.tenant)
		if last := es[len(es)-1]; last.Action != "hr.export.employees" || !strings.Contains(last.Reason, "4 employees") {
			t.Errorf("export not audited: %+v", last)
		}
		// Into a fresh tenant, and out again: the same file.
		other := e.newTenant(t, "Copy")
		otherHR := e.userIn(t, other, "copy-hr", "hr")
		if _, err := e.svc.ImportDepartmentsCSV(otherHR, bytes.NewReader(depts.Bytes())); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ImportEmployeesCSV(otherHR, bytes.NewReader(emps.Bytes())); err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		if _, err := e.svc.ExportEmployeesCSV(otherHR, &again, hr.EmployeeFilter{Order: hr.OrderByNumber}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(emps.String(), again.String()); diff != "" {
			t.Errorf("round trip (-first +second):\n%s", diff)
		}
		want := "number,name,email,phone,department,position,manager,hire_date,hire_channel,referrer,status,last_working_day,key_person\n" +
			"E001,Zhang Wei,,,Acme,,,2015-01-05,campus,,active,,false\n"
		if !strings.HasPrefix(emps.String(), want) {
			t.Errorf("export starts\n%s\nwant\n%s", emps.String(), want)
		}
		employee := e.user(t, ballast.NewID(), "employee")
		_, err = e.svc.ExportEmployeesCSV(employee, &again, hr.EmployeeFilter{})
		wantErr(t, "export without permission", err, ballast.ErrForbidden)
	})
}
