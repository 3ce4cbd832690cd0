package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/examples/server/internal/api"
	"github.com/ballast-hr/ballast/hr"
)

// team widens the fixture for the customer, asset and channel tests: the
// Sales department gets a head ("acme.head", department_head) and a second
// salesperson ("acme.emp2"); an Ops department has one employee
// ("acme.ops"). tok holds a bearer token per login (without "acme.").
type team struct {
	*fixture
	head, emp2, ops hr.Employee
	opsDept         hr.Department
	tok             map[string]string
}

func newTeam(t *testing.T, f *fixture) *team {
	t.Helper()
	a := f.app
	ctx := context.Background()
	sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: f.tenant, Subject: "test-setup", Kind: ballast.KindSystem})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	tm := &team{fixture: f, tok: map[string]string{}}
	var err error
	tm.opsDept, err = a.HR.CreateDepartment(sys, hr.DepartmentParams{Name: "Ops"})
	must(err)
	hire := func(number, name, dept, login, role string) hr.Employee {
		e, err := a.HR.HireEmployee(sys, hr.EmployeeParams{
			Number: number, Name: name, DepartmentID: dept,
			HireDate: hr.NewDate(2021, 5, 3), HireChannel: hr.ChannelExperienced,
		})
		must(err)
		must(a.Access.GrantRole(sys, e.ID, role, "test"))
		must(a.Auth.CreateUser(ctx, f.tenant, "acme."+login, testPassword, e.ID))
		return e
	}
	tm.head = hire("E010", "Hank Head", f.dept.ID, "head", access.RoleDepartmentHead)
	tm.emp2 = hire("E011", "Eva Two", f.dept.ID, "emp2", access.RoleEmployee)
	tm.ops = hire("E012", "Otto Ops", tm.opsDept.ID, "ops", access.RoleEmployee)
	d, err := a.HR.Department(sys, f.dept.ID)
	must(err)
	_, err = a.HR.UpdateDepartment(sys, d.ID, hr.DepartmentParams{Name: d.Name, ParentID: d.ParentID, HeadID: tm.head.ID}, d.Version)
	must(err)
	for _, l := range []string{"admin", "hr", "emp", "head", "emp2", "ops"} {
		tm.tok[l] = f.login(t, l)
	}
	return tm
}

// expect sends a request, fails the test unless it answers want, and
// returns the response (body consumed) and its body.
func (f *fixture) expect(t *testing.T, want int, method, path, token, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	resp := f.do(t, method, path, token, body, headers...)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %s %s, want %d", method, path, resp.Status, b, want)
	}
	return resp, b
}

// problemCase is a request that must fail with a problem.
type problemCase struct {
	name, method, path, token, body string
	headers                         []string
	want                            int
	fields                          []string // fields a validation problem must name
}

// checkProblems runs problem cases: each must answer its status as
// problem details naming every expected field.
func (f *fixture) checkProblems(t *testing.T, cases []problemCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do(t, tc.method, tc.path, tc.token, tc.body, tc.headers...)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("%s %s = %s %s, want %d", tc.method, tc.path, resp.Status, b, tc.want)
			}
			if ct := resp.Header.Get("Content-Type"); ct != api.ProblemContentType {
				t.Errorf("Content-Type = %q, want problem details", ct)
			}
			var p api.Problem
			if err := json.Unmarshal(b, &p); err != nil || p.Status != tc.want {
				t.Fatalf("problem = %s (%v)", b, err)
			}
			var got []string
			for _, fe := range p.Errors {
				got = append(got, fe.Field)
			}
			for _, want := range tc.fields {
				if !contains(got, want) {
					t.Errorf("problem fields %v lack %q", got, want)
				}
			}
		})
	}
}
