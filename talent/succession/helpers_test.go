package succession_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/succession"
)

// clock is a test clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// env is one tenant with Sales (head 刘强, who holds the critical Sales
// director position) and its sub-department Sales East, and R&D (the
// critical R&D lead held by 陈晨, a key person). 张三 is a sales
// supervisor (not critical) in Sales East; 王丽 in Sales; 离职者 has
// departed; 人事 is HR; Other is HR of another tenant.
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	hr     *hr.Service
	svc    *succession.Service
	tenant string
	sys    context.Context

	sales, east, rnd                              hr.Department
	director, supervisor, rdLead                  hr.Position
	head, zhang, wang, chen, hrP, departed, other hr.Employee
	as                                            map[string]context.Context
}

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	clk := &clock{t: time.Date(2026, 9, 7, 1, 0, 0, 0, time.UTC)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	svc, err := succession.New(succession.Config{Store: db.Succession(), Tx: db, Auth: enf, HR: hrs, Audit: log, Clock: clk})
	must(t, err)
	e := &env{db: db, clock: clk, log: log, hr: hrs, svc: svc, as: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "reconciler", Kind: ballast.KindSystem})
	e.sales, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.east, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "East", ParentID: e.sales.ID})
	must(t, err)
	e.rnd, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "R&D"})
	must(t, err)
	e.director, err = hrs.CreatePosition(e.sys, hr.PositionParams{Title: "Sales director", DepartmentID: e.sales.ID, Level: 8, Critical: true})
	must(t, err)
	e.supervisor, err = hrs.CreatePosition(e.sys, hr.PositionParams{Title: "Sales supervisor", DepartmentID: e.east.ID, Level: 5})
	must(t, err)
	e.rdLead, err = hrs.CreatePosition(e.sys, hr.PositionParams{Title: "R&D lead", DepartmentID: e.rnd.ID, Level: 8, Critical: true})
	must(t, err)
	n := 0
	hire := func(name, dept, pos string, mod ...func(*hr.EmployeeParams)) hr.Employee {
		n++
		p := hr.EmployeeParams{Number: fmt.Sprintf("E%02d", n), Name: name, DepartmentID: dept, PositionID: pos,
			HireDate: hr.NewDate(2020, 7, 1), HireChannel: hr.ChannelExperienced}
		for _, m := range mod {
			m(&p)
		}
		emp, err := hrs.HireEmployee(e.sys, p)
		must(t, err)
		return emp
	}
	e.head = hire("刘强", e.sales.ID, e.director.ID)
	e.zhang = hire("Zhang San", e.east.ID, e.supervisor.ID)
	e.wang = hire("王丽", e.sales.ID, "")
	e.chen = hire("陈晨", e.rnd.ID, e.rdLead.ID, func(p *hr.EmployeeParams) { p.KeyPerson = true })
	e.hrP = hire("人事", e.rnd.ID, "")
	e.departed = hire("离职者", e.sales.ID, "", func(p *hr.EmployeeParams) {
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 8, 31)
	})
	e.sales, err = hrs.UpdateDepartment(e.sys, e.sales.ID, hr.DepartmentParams{Name: "Sales", HeadID: e.head.ID}, e.sales.Version)
	must(t, err)
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("zhang", e.zhang, access.RoleEmployee)
	grant("chen", e.chen, access.RoleDepartmentHead) // a department head who heads nothing
	grant("head", e.head, access.RoleDepartmentHead)
	grant("hr", e.hrP, access.RoleHR)
	e.as["nobody"] = context.Background()

	ot, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "Other Co", TimeZone: "UTC", Locale: hr.LocaleEn})
	must(t, err)
	osys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ot.ID, Subject: "platform", Kind: ballast.KindSystem})
	od, err := hrs.CreateDepartment(osys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.other, err = hrs.HireEmployee(osys, hr.EmployeeParams{Number: "X1", Name: "Other", DepartmentID: od.ID,
		HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced})
	must(t, err)
	must(t, enf.GrantRole(osys, e.other.ID, access.RoleHR, "test"))
	e.as["otherHR"] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ot.ID, Subject: e.other.ID, Kind: ballast.KindUser})
	return e
}

// perf records scores for emp, one per year from 2023 on.
func (e *env) perf(t testing.TB, emp hr.Employee, scores ...float64) {
	t.Helper()
	var es []hr.PerformanceEntry
	for i, s := range scores {
		es = append(es, hr.PerformanceEntry{EmployeeID: emp.ID, PerformanceRecord: hr.PerformanceRecord{
			Period: fmt.Sprint(2023 + i), Score: s, Source: "manual"}})
	}
	must(t, e.hr.RecordPerformance(e.sys, es))
}

// add names emp successor of pos as HR.
func (e *env) add(t testing.TB, pos hr.Position, emp hr.Employee, readiness string, emergency bool) succession.Successor {
	t.Helper()
	s, err := e.svc.AddSuccessor(e.as["hr"], succession.SuccessorParams{PositionID: pos.ID, EmployeeID: emp.ID,
		Readiness: readiness, Emergency: emergency})
	must(t, err)
	return s
}

// audits returns the audit entries of action (newest first).
func (e *env) audits(t testing.TB, action string) []audit.Entry {
	t.Helper()
	es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: action})
	must(t, err)
	return es
}

// each runs fn on a fresh env of every backend.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, dbtest.Open(t, b)))
		})
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want %v", what, err, kind)
	}
}

// fields returns the fields of a *ballast.ValidationError, sorted.
func fields(t testing.TB, err error) []string {
	t.Helper()
	var v *ballast.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("error %v is not a *ballast.ValidationError", err)
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

// nopTB lets the fixtures serve a runnable Example: any failure panics.
type nopTB struct{ testing.TB }

func (nopTB) Helper()                           {}
func (nopTB) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (nopTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
