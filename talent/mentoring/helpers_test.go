package mentoring_test

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
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/mentoring"
)

// clock is a test clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// at is hh:mm in Asia/Shanghai on day d.
func at(d hr.Date, hh, mm int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, time.FixedZone("CST", 8*3600)).UTC()
}

// today is the day the tests run on.
var today = hr.NewDate(2026, 9, 7)

// env is one tenant (Asia/Shanghai) with Sales (head 刘强) and R&D
// departments: 王丽 and 赵敏 in Sales, 陈晨 in R&D, 人事 (HR), 离职者
// (departed), and an HR employee of another tenant.
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	hr     *hr.Service
	outbox *notify.Outbox
	svc    *mentoring.Service
	tenant string
	sys    context.Context

	sales, rnd                                hr.Department
	head, emp, emp2, rd, hrP, departed, other hr.Employee
	as                                        map[string]context.Context
}

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	clk := &clock{t: at(today, 9, 0)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	ob, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Func(func(context.Context, notify.Message) error { return nil }), Clock: clk})
	must(t, err)
	svc, err := mentoring.New(mentoring.Config{Store: db.Mentoring(), Tx: db, Auth: enf, HR: hrs, Audit: log, Outbox: ob, Clock: clk})
	must(t, err)
	e := &env{db: db, clock: clk, log: log, hr: hrs, outbox: ob, svc: svc, as: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "reconciler", Kind: ballast.KindSystem})
	e.sales, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.rnd, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "R&D"})
	must(t, err)
	n := 0
	hire := func(name, dept string, mod ...func(*hr.EmployeeParams)) hr.Employee {
		n++
		p := hr.EmployeeParams{Number: fmt.Sprintf("E%02d", n), Name: name, DepartmentID: dept,
			HireDate: hr.NewDate(2020, 7, 1), HireChannel: hr.ChannelExperienced}
		for _, m := range mod {
			m(&p)
		}
		emp, err := hrs.HireEmployee(e.sys, p)
		must(t, err)
		return emp
	}
	e.head = hire("刘强", e.sales.ID)
	e.emp = hire("王丽", e.sales.ID)
	e.emp2 = hire("赵敏", e.sales.ID)
	e.rd = hire("陈晨", e.rnd.ID)
	e.hrP = hire("人事", e.rnd.ID)
	e.departed = hire("离职者", e.sales.ID, func(p *hr.EmployeeParams) {
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 8, 31)
	})
	e.sales, err = hrs.UpdateDepartment(e.sys, e.sales.ID, hr.DepartmentParams{Name: "Sales", HeadID: e.head.ID}, e.sales.Version)
	must(t, err)
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("emp", e.emp, access.RoleEmployee)
	grant("emp2", e.emp2, access.RoleEmployee)
	grant("rd", e.rd, access.RoleEmployee)
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

// start starts a mentorship of mentee by mentor over 2026 as HR.
func (e *env) start(t testing.TB, mentor, mentee hr.Employee) mentoring.Mentorship {
	t.Helper()
	m, err := e.svc.Start(e.as["hr"], mentoring.StartParams{MentorID: mentor.ID, MenteeID: mentee.ID,
		Goals: []string{"Lead the key-account negotiation"}, Start: hr.NewDate(2026, 1, 1), End: hr.NewDate(2026, 12, 31)})
	must(t, err)
	return m
}

// messages returns the outbox's idempotency keys of kind, sorted.
func (e *env) messages(t testing.TB, kind string) []string {
	t.Helper()
	recs, err := e.outbox.List(e.sys, e.tenant, notify.Filter{Kind: kind, Limit: notify.MaxListLimit})
	must(t, err)
	out := []string{}
	for _, r := range recs {
		out = append(out, r.IdempotencyKey)
	}
	sort.Strings(out)
	return out
}

// audits returns the audit entries of action (newest first).
func (e *env) audits(t testing.TB, action string) []audit.Entry {
	t.Helper()
	es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: action})
	must(t, err)
	return es
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
