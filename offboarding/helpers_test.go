package offboarding_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

// clock is a test clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// shanghai is 09:00 in Asia/Shanghai on day d (01:00 UTC).
func shanghai(d hr.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 1, 0, 0, 0, time.UTC) }

// The resignation of the fixtures: handed in on 2 Nov 2026, last day 30 Nov.
var (
	submitted = hr.NewDate(2026, 11, 2)
	lastDay   = hr.NewDate(2026, 11, 30)
)

// env is one tenant (Asia/Shanghai) with a sales team: 王丽 (leaver,
// manager 刘强), successors 赵敏 and 孙强, HR 人事, admin 管理员, a departed
// employee and an employee of another tenant.
type env struct {
	db        *storage.DB
	clock     *clock
	log       *audit.Log
	enf       *access.Enforcer
	hr        *hr.Service
	customers *customers.Service
	assets    *assets.Service
	outbox    *notify.Outbox
	svc       *offboarding.Service
	tenant    string
	sys       context.Context

	leaver, manager, succ1, succ2, hrP, admin, gone, other hr.Employee
	as                                                     map[string]context.Context
}

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	clk := &clock{t: shanghai(submitted)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	cs, err := customers.New(customers.Config{Store: db.Customers(), Tx: db, Auth: enf, Audit: log,
		Employees: db.HR(), Departments: db.HR(), Tenants: db.HR(), Clock: clk})
	must(t, err)
	as, err := assets.New(assets.Config{Store: db.Assets(), Tx: db, Auth: enf, Audit: log, Employees: db.HR(), Clock: clk})
	must(t, err)
	ob, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Func(func(context.Context, notify.Message) error { return nil }), Clock: clk})
	must(t, err)
	svc, err := offboarding.New(offboarding.Config{Store: db.Offboarding(), Tx: db, Auth: enf, Access: enf, HR: hrs,
		Customers: cs, Assets: as, Audit: log, Outbox: ob, Clock: clk})
	must(t, err)
	e := &env{db: db, clock: clk, log: log, enf: enf, hr: hrs, customers: cs, assets: as, outbox: ob, svc: svc, as: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "reconciler", Kind: ballast.KindSystem})
	sales, err := hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	n := 0
	hire := func(name string, mod ...func(*hr.EmployeeParams)) hr.Employee {
		n++
		p := hr.EmployeeParams{Number: "E" + string(rune('A'+n)), Name: name, DepartmentID: sales.ID,
			HireDate: hr.NewDate(2020, 7, 1), HireChannel: hr.ChannelExperienced}
		for _, m := range mod {
			m(&p)
		}
		emp, err := hrs.HireEmployee(e.sys, p)
		must(t, err)
		return emp
	}
	e.manager = hire("刘强")
	e.leaver = hire("王丽", func(p *hr.EmployeeParams) { p.ManagerID = e.manager.ID })
	e.succ1, e.succ2 = hire("赵敏"), hire("孙强")
	e.hrP, e.admin = hire("人事"), hire("管理员")
	e.gone = hire("离职者", func(p *hr.EmployeeParams) {
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 12, 31)
	})
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("leaver", e.leaver, access.RoleEmployee)
	grant("manager", e.manager, access.RoleDepartmentHead)
	grant("succ1", e.succ1, access.RoleEmployee)
	grant("succ2", e.succ2, access.RoleEmployee)
	grant("hr", e.hrP, access.RoleHR)
	grant("admin", e.admin, access.RoleTenantAdmin)

	ot, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "Other Co", TimeZone: "UTC", Locale: hr.LocaleEn})
	must(t, err)
	osys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ot.ID, Subject: "platform", Kind: ballast.KindSystem})
	od, err := hrs.CreateDepartment(osys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.other, err = hrs.HireEmployee(osys, hr.EmployeeParams{Number: "X1", Name: "Other", DepartmentID: od.ID,
		HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced})
	must(t, err)
	return e
}

// resignParams is 王丽's voluntary resignation with 赵敏 and 孙强 as successors.
func (e *env) resignParams() offboarding.ResignParams {
	return offboarding.ResignParams{EmployeeID: e.leaver.ID, Kind: offboarding.ExitVoluntary, SubmittedOn: submitted,
		LastDay: lastDay, Reason: "new job", Successors: []string{e.succ1.ID, e.succ2.ID}}
}

func (e *env) resign(t testing.TB) offboarding.Case {
	t.Helper()
	c, err := e.svc.Resign(e.as["hr"], e.resignParams())
	must(t, err)
	return c
}

// customer creates a customer owned by owner.
func (e *env) customer(t testing.TB, name string, owner hr.Employee) customers.Customer {
	t.Helper()
	c, err := e.customers.Create(e.sys, customers.Params{Name: name, Industry: "制造", Region: "华东",
		AnnualValueCents: 1_000_000, OwnerID: owner.ID,
		Contacts: []customers.Contact{{Name: "张经理", Phone: "13800000000"}}})
	must(t, err)
	return c
}

// messages returns the outbox's idempotency keys of kind, sorted.
func (e *env) messages(t testing.TB, kind string) []string {
	t.Helper()
	recs, err := e.outbox.List(e.sys, e.tenant, notify.Filter{Kind: kind, Limit: notify.MaxListLimit})
	must(t, err)
	var out []string
	for _, r := range recs {
		out = append(out, r.IdempotencyKey)
	}
	sort.Strings(out)
	return out
}

func (e *env) steps(t testing.TB, caseID string) map[string]offboarding.Step {
	t.Helper()
	steps, err := e.svc.Steps(e.as["hr"], caseID)
	must(t, err)
	out := map[string]offboarding.Step{}
	for _, s := range steps {
		out[s.Key] = s
	}
	return out
}

func (e *env) employee(t testing.TB, id string) hr.Employee {
	t.Helper()
	emp, err := e.hr.Employee(e.sys, id)
	must(t, err)
	return emp
}

func (e *env) stageKeys(t testing.TB, caseID string) []string {
	t.Helper()
	effs, err := e.enf.AppliedStages(e.sys, caseID)
	must(t, err)
	var out []string
	for _, f := range effs {
		out = append(out, f.StageKey)
	}
	return out
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

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// nopTB lets the fixtures serve a runnable Example: any failure panics.
type nopTB struct{ testing.TB }

func (nopTB) Helper()                           {}
func (nopTB) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (nopTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
