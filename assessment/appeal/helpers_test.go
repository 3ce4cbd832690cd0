package appeal_test

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
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
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

// filedOn is the day the tests file on; windowEnds the end of the appeal
// window of the open subjects.
var (
	filedOn    = hr.NewDate(2026, 7, 20)
	windowEnds = time.Date(2026, 7, 31, 16, 0, 0, 0, time.UTC) // 1 Aug 00:00 in Shanghai
)

// fakeSubject stands for the package that owns the subjects (assessment):
// targets by ID, and an Adjust that writes its change to the audit chain in
// the caller's transaction, so a rollback of the decision shows.
type fakeSubject struct {
	mu      sync.Mutex
	log     *audit.Log
	tenant  string // the subjects' tenant: others find none
	targets map[string]appeal.Target
	refuse  map[string]error // Target errors by subject ID
	failAdj error            // returned by Adjust after it wrote
	calls   []adjustCall
}

type adjustCall struct {
	Principal ballast.Principal
	SubjectID string
	A         appeal.Adjustment
}

func (f *fakeSubject) Target(ctx context.Context, id string) (appeal.Target, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return appeal.Target{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p.Tenant != f.tenant {
		return appeal.Target{}, fmt.Errorf("result %s: %w", id, ballast.ErrNotFound)
	}
	if err := f.refuse[id]; err != nil {
		return appeal.Target{}, err
	}
	t, ok := f.targets[id]
	if !ok {
		return appeal.Target{}, fmt.Errorf("result %s: %w", id, ballast.ErrNotFound)
	}
	return t, nil
}

func (f *fakeSubject) Adjust(ctx context.Context, id string, a appeal.Adjustment) error {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	if s := a.After.Score; s != nil && (*s < 0 || *s > 100) {
		return ballast.Invalid("after.score", "must be between 0 and 100")
	}
	if _, err := f.log.Append(ctx, audit.Record{Action: "fake.adjust", TargetType: "fake_result", TargetID: id,
		Reason: a.Reason, Changes: audit.Diff(a.Before, a.After)}); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAdj != nil {
		return f.failAdj
	}
	f.calls = append(f.calls, adjustCall{Principal: p, SubjectID: id, A: a})
	return nil
}

// env is one tenant (Asia/Shanghai): 王丽 (employee, manager 刘强), 赵敏
// (another employee), 刘强 (department head), 人事 (HR), a stranger, and an
// employee of another tenant; subjects of the fake kind "assessment.result".
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	enf    *access.Enforcer
	hr     *hr.Service
	outbox *notify.Outbox
	subj   *fakeSubject
	svc    *appeal.Service
	tenant string
	sys    context.Context

	emp, emp2, mgr, hrP, stranger, other hr.Employee
	as                                   map[string]context.Context
}

const kindResult = "assessment.result"

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	clk := &clock{t: shanghai(filedOn)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	ob, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Func(func(context.Context, notify.Message) error { return nil }), Clock: clk})
	must(t, err)
	subj := &fakeSubject{log: log, targets: map[string]appeal.Target{}, refuse: map[string]error{}}
	svc, err := appeal.New(appeal.Config{Store: db.Appeals(), Tx: db, Auth: enf, Tenants: hrs, Audit: log, Outbox: ob, Clock: clk,
		Subjects: map[string]appeal.SubjectKind{kindResult: {Subject: subj}}})
	must(t, err)
	e := &env{db: db, clock: clk, log: log, enf: enf, hr: hrs, outbox: ob, subj: subj, svc: svc, as: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant, subj.tenant = tn.ID, tn.ID
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
	e.mgr = hire("刘强")
	e.emp = hire("王丽", func(p *hr.EmployeeParams) { p.ManagerID = e.mgr.ID })
	e.emp2 = hire("赵敏", func(p *hr.EmployeeParams) { p.ManagerID = e.mgr.ID })
	e.hrP, e.stranger = hire("人事"), hire("路人")
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("emp", e.emp, access.RoleEmployee)
	grant("emp2", e.emp2, access.RoleEmployee)
	grant("mgr", e.mgr, access.RoleDepartmentHead)
	grant("hr", e.hrP, access.RoleHR)
	grant("stranger", e.stranger, access.RoleEmployee)

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

	subj.targets["res-emp"] = result(e.emp.ID, e.mgr.ID, windowEnds)
	subj.targets["res-emp2"] = result(e.emp2.ID, e.mgr.ID, windowEnds)
	subj.targets["res-hr"] = result(e.hrP.ID, "", windowEnds)
	subj.targets["res-expired"] = result(e.emp.ID, e.mgr.ID, shanghai(hr.NewDate(2026, 7, 10)))
	subj.targets["res-nowindow"] = result(e.emp.ID, e.mgr.ID, time.Time{})
	subj.targets["res-closed"] = result(e.emp.ID, e.mgr.ID, windowEnds)
	subj.targets["res-noowner"] = result("", e.mgr.ID, windowEnds)
	subj.targets["res-ghost"] = result(ballast.NewID(), e.mgr.ID, windowEnds)
	subj.refuse["res-closed"] = fmt.Errorf("cycle closed: %w", appeal.ErrNotAppealable)
	return e
}

// result is a finalised review of owner with two indicators.
func result(owner, manager string, window time.Time) appeal.Target {
	return appeal.Target{EmployeeID: owner, ManagerID: manager, Title: "2026 mid-year review", WindowEnds: window,
		Outcome: appeal.Outcome{Score: appeal.Score(76.5), Grade: "B"},
		Items: []appeal.Item{
			{Code: "revenue", Title: "Team revenue growth", Outcome: appeal.Outcome{Score: appeal.Score(60)}},
			{Code: "leadership", Title: "360 leadership", Outcome: appeal.Outcome{Score: appeal.Score(85)}},
		}}
}

// file files an appeal as who, failing the test on error.
func (e *env) file(t testing.TB, who, subject, item string) appeal.Appeal {
	t.Helper()
	a, err := e.svc.File(e.as[who], appeal.FileParams{Kind: kindResult, SubjectID: subject, Item: item,
		Reason: "the Q2 orders were booked in July by mistake"})
	must(t, err)
	return a
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
