package jobdesc_test

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
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

// clock is a test clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one tenant (Asia/Shanghai) with departments HQ, Sales (head 刘强),
// Sales/East (below Sales) and Engineering (head 陈工); 人事 and 人事二 are
// HR, 王总 is a plain employee designated as approver where a test says
// so, 王丽 an employee; otherHR is HR of another tenant.
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	outbox *notify.Outbox
	svc    *jobdesc.Service
	tenant string
	sys    context.Context

	sales, east, eng, hq        hr.Department
	position                    hr.Position
	hr1, hr2, head, head2, boss hr.Employee
	emp                         hr.Employee
	as                          map[string]context.Context
}

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	ob, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Func(func(context.Context, notify.Message) error { return nil }), Clock: clk})
	must(t, err)
	svc, err := jobdesc.New(jobdesc.Config{Store: db.Jobdesc(), Tx: db, Auth: enf, Org: hrs, Audit: log, Outbox: ob, Clock: clk})
	must(t, err)
	e := &env{db: db, clock: clk, log: log, outbox: ob, svc: svc, as: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "setup", Kind: ballast.KindSystem})
	e.hq, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "HQ"})
	must(t, err)
	n := 0
	hire := func(name string) hr.Employee {
		n++
		emp, err := hrs.HireEmployee(e.sys, hr.EmployeeParams{Number: fmt.Sprintf("E%02d", n), Name: name, DepartmentID: e.hq.ID,
			HireDate: hr.NewDate(2020, 7, 1), HireChannel: hr.ChannelExperienced})
		must(t, err)
		return emp
	}
	e.hr1, e.hr2, e.head, e.head2, e.boss, e.emp = hire("人事"), hire("人事二"), hire("刘强"), hire("陈工"), hire("王总"), hire("王丽")
	e.sales, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Sales", HeadID: e.head.ID})
	must(t, err)
	e.east, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "East", ParentID: e.sales.ID})
	must(t, err)
	e.eng, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Engineering", HeadID: e.head2.ID})
	must(t, err)
	e.position, err = hrs.CreatePosition(e.sys, hr.PositionParams{Title: "Sales supervisor", DepartmentID: e.sales.ID, Level: 5})
	must(t, err)
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("hr1", e.hr1, access.RoleHR)
	grant("hr2", e.hr2, access.RoleHR)
	grant("head", e.head, access.RoleDepartmentHead)
	grant("head2", e.head2, access.RoleDepartmentHead)
	grant("boss", e.boss, access.RoleEmployee)
	grant("emp", e.emp, access.RoleEmployee)

	ot, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "Other Co", TimeZone: "UTC", Locale: hr.LocaleEn})
	must(t, err)
	osys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ot.ID, Subject: "platform", Kind: ballast.KindSystem})
	od, err := hrs.CreateDepartment(osys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	other, err := hrs.HireEmployee(osys, hr.EmployeeParams{Number: "X1", Name: "Other", DepartmentID: od.ID,
		HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced})
	must(t, err)
	must(t, enf.GrantRole(osys, other.ID, access.RoleHR, "test"))
	e.as["otherHR"] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ot.ID, Subject: other.ID, Kind: ballast.KindUser})
	return e
}

// sections is the content of the sales-supervisor template.
func sections() []jobdesc.Section {
	return []jobdesc.Section{
		{Kind: jobdesc.SectionDuties, Body: "Lead the key-account team\nOwn the quarterly forecast\nCoach new sales staff"},
		{Kind: jobdesc.SectionCompetencies, Competencies: []jobdesc.Competency{
			{Name: "Client negotiation", Level: 4}, {Name: "Team leadership", Level: 3}}},
		{Kind: jobdesc.SectionPromotion, Body: "Sales supervisor → Sales manager → Regional director"},
		{Key: "kpi", Kind: jobdesc.SectionFree, Title: "KPIs", Body: "Revenue growth 15%\nKey-account retention 90%"},
	}
}

// template creates the sales-supervisor template as hr1, with approvers.
func (e *env) template(t testing.TB, approvers ...string) jobdesc.Document {
	t.Helper()
	d, err := e.svc.CreateTemplate(e.as["hr1"], jobdesc.CreateParams{Title: "Sales supervisor", PositionID: e.position.ID,
		Sections: sections(), Approvers: approvers})
	must(t, err)
	return d
}

// published creates the template as hr1, submits it, has hr2 approve and
// publish it.
func (e *env) published(t testing.TB) jobdesc.Document {
	t.Helper()
	d := e.template(t)
	d, err := e.svc.Submit(e.as["hr1"], d.ID, "", d.Version)
	must(t, err)
	d, err = e.svc.Approve(e.as["hr2"], d.ID, "", d.Version)
	must(t, err)
	d, err = e.svc.Publish(e.as["hr2"], d.ID, 0, d.Version)
	must(t, err)
	return d
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

// audits returns the actions of the audit entries about document id,
// oldest first.
func (e *env) audits(t testing.TB, id string) []string {
	t.Helper()
	es, err := e.log.Query(e.sys, e.tenant, audit.Filter{TargetType: jobdesc.TargetType, TargetID: id})
	must(t, err)
	out := []string{}
	for _, x := range es {
		out = append(out, x.Action)
	}
	slices.Reverse(out)
	return out
}

// count returns how many documents, audit entries about jobdesc and
// outbox messages the tenant has: what "nothing changed" compares.
func (e *env) count(t testing.TB) [3]int {
	t.Helper()
	p, err := e.svc.List(e.sys, jobdesc.Query{})
	must(t, err)
	es, err := e.log.Query(e.sys, e.tenant, audit.Filter{TargetType: jobdesc.TargetType, Limit: 1000})
	must(t, err)
	recs, err := e.outbox.List(e.sys, e.tenant, notify.Filter{Limit: notify.MaxListLimit})
	must(t, err)
	return [3]int{len(p.Documents), len(es), len(recs)}
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
func fields(err error) []string {
	var v *ballast.ValidationError
	if !errors.As(err, &v) {
		return nil
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
