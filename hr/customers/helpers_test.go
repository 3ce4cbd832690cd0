package customers_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/storage"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// env is one tenant with a small sales organisation:
//
//	Sales (head: headSales) ── East
//	Finance (head: headFin)
//
// sales1 works in East, sales2 in Sales, fin1 in Finance; hrP holds the hr
// role, admin the tenant-admin role; gone has departed, leaving is
// resigning. other is an employee of a second tenant.
type env struct {
	db                                       *storage.DB
	log                                      *audit.Log
	enf                                      *access.Enforcer
	svc                                      *customers.Service
	tenant, otherTenant                      string
	sales, east, finance                     hr.Department
	sales1, sales2, headSales, headFin, fin1 hr.Employee
	hrP, admin, gone, leaving, other         hr.Employee
	ctx                                      map[string]context.Context // by role name in the tests
	sys                                      context.Context
}

func newEnv(t *testing.T, db *storage.DB) *env { t.Helper(); return newEnvTB(t, db) }

func newEnvTB(t testing.TB, db *storage.DB) *env {
	t.Helper()
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: fixedClock{t0}})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: fixedClock{t0}})
	must(t, err)
	hrSvc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: fixedClock{t0}})
	must(t, err)
	svc, err := customers.New(customers.Config{Store: db.Customers(), Tx: db, Auth: enf, Audit: log,
		Employees: db.HR(), Departments: db.HR(), Tenants: db.HR(), Clock: fixedClock{t0}})
	must(t, err)
	e := &env{db: db, log: log, enf: enf, svc: svc, ctx: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrSvc.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "platform", Kind: ballast.KindSystem})
	dept := func(name, parent string) hr.Department {
		d, err := hrSvc.CreateDepartment(e.sys, hr.DepartmentParams{Name: name, ParentID: parent})
		must(t, err)
		return d
	}
	e.sales, e.finance = dept("Sales", ""), dept("Finance", "")
	e.east = dept("East", e.sales.ID)
	n := 0
	hire := func(name, dept string, mod ...func(*hr.EmployeeParams)) hr.Employee {
		n++
		p := hr.EmployeeParams{Number: "E" + string(rune('A'+n)), Name: name, DepartmentID: dept,
			HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced}
		for _, m := range mod {
			m(&p)
		}
		emp, err := hrSvc.HireEmployee(e.sys, p)
		must(t, err)
		return emp
	}
	e.sales1, e.sales2 = hire("王丽", e.east.ID), hire("赵敏", e.sales.ID)
	e.headSales, e.headFin, e.fin1 = hire("刘强", e.sales.ID), hire("陈静", e.finance.ID), hire("孙会计", e.finance.ID)
	e.hrP, e.admin = hire("人事", e.finance.ID), hire("管理员", e.finance.ID)
	e.gone = hire("离职者", e.sales.ID, func(p *hr.EmployeeParams) {
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 12, 31)
	})
	e.leaving = hire("要走的", e.sales.ID, func(p *hr.EmployeeParams) {
		p.Status, p.LastWorkingDay = hr.StatusResigning, hr.NewDate(2026, 4, 30)
	})
	_, err = hrSvc.UpdateDepartment(e.sys, e.sales.ID, hr.DepartmentParams{Name: "Sales", HeadID: e.headSales.ID}, e.sales.Version)
	must(t, err)
	_, err = hrSvc.UpdateDepartment(e.sys, e.finance.ID, hr.DepartmentParams{Name: "Finance", HeadID: e.headFin.ID}, e.finance.Version)
	must(t, err)
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.ctx[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("salesperson", e.sales1, access.RoleEmployee)
	grant("another salesperson", e.sales2, access.RoleEmployee)
	grant("head of that department", e.headSales, access.RoleDepartmentHead)
	grant("head of another department", e.headFin, access.RoleDepartmentHead)
	grant("fin1", e.fin1, access.RoleEmployee)
	grant("hr", e.hrP, access.RoleHR)
	grant("admin", e.admin, access.RoleTenantAdmin)

	ot, err := hrSvc.CreateTenant(platform, hr.TenantParams{Name: "Other Co", TimeZone: "Asia/Shanghai", Locale: hr.LocaleEn})
	must(t, err)
	e.otherTenant = ot.ID
	osys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ot.ID, Subject: "platform", Kind: ballast.KindSystem})
	od, err := hrSvc.CreateDepartment(osys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.other, err = hrSvc.HireEmployee(osys, hr.EmployeeParams{Number: "X1", Name: "Other", DepartmentID: od.ID,
		HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced})
	must(t, err)
	return e
}

// create makes a customer owned by owner, as the system.
func (e *env) create(t *testing.T, name string, owner hr.Employee, mod ...func(*customers.Params)) customers.Customer {
	t.Helper()
	p := customers.Params{Name: name, Industry: "制造", Region: "华东", Tier: customers.TierStandard,
		AnnualValueCents: 1_000_000, OwnerID: owner.ID}
	for _, m := range mod {
		m(&p)
	}
	c, err := e.svc.Create(e.sys, p)
	must(t, err)
	return c
}

// entries returns the tenant's customer audit entries, oldest first.
func (e *env) entries(t *testing.T) []audit.Entry {
	t.Helper()
	es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: "customers.", Limit: 1000})
	must(t, err)
	slices.Reverse(es)
	return es
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want %v", what, err, kind)
	}
}

func fields(t *testing.T, err error) []string {
	t.Helper()
	var v *ballast.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("error %v is not a *ballast.ValidationError", err)
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field)
	}
	return out
}

func names(cs []customers.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}
