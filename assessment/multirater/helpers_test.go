package multirater_test

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
	"github.com/ballast-hr/ballast/assessment/multirater"
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

// The round of the fixtures: created on 1 Dec 2026, nominations until 4
// Dec, responses until 18 Dec.
var (
	created       = hr.NewDate(2026, 12, 1)
	nominationDue = hr.NewDate(2026, 12, 4)
	responseDue   = hr.NewDate(2026, 12, 18)
)

// env is one tenant (Asia/Shanghai), R&D headed by 总监 (head): 刘强
// (manager, reporting to head) manages 王丽 (reviewee) and peers 赵敏,
// 孙强, 李华, 周杰; 王丽 manages 小陈, 小杨 and 小吴 (direct reports);
// 钱多 and 吴用 have no manager (their manager is the head); 人事 is HR;
// a departed employee; and an employee of another tenant.
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	enf    *access.Enforcer
	hr     *hr.Service
	outbox *notify.Outbox
	svc    *multirater.Service
	tenant string
	sys    context.Context

	head, manager, reviewee, hrP, gone, other hr.Employee
	peers, reports, others                    []hr.Employee
	as                                        map[string]context.Context
}

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	clk := &clock{t: shanghai(created)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	ob, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Func(func(context.Context, notify.Message) error { return nil }), Clock: clk})
	must(t, err)
	svc, err := multirater.New(multirater.Config{Store: db.Multirater(), Tx: db, Auth: enf, Directory: db.HR(),
		Audit: log, Outbox: ob, Clock: clk})
	must(t, err)
	e := &env{db: db, clock: clk, log: log, enf: enf, hr: hrs, outbox: ob, svc: svc, as: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛科技", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "reconciler", Kind: ballast.KindSystem})
	rd, err := hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "R&D"})
	must(t, err)
	n := 0
	hire := func(name, manager string, mod ...func(*hr.EmployeeParams)) hr.Employee {
		n++
		p := hr.EmployeeParams{Number: fmt.Sprintf("E%03d", n), Name: name, DepartmentID: rd.ID, ManagerID: manager,
			HireDate: hr.NewDate(2020, 7, 1), HireChannel: hr.ChannelExperienced}
		for _, m := range mod {
			m(&p)
		}
		emp, err := hrs.HireEmployee(e.sys, p)
		must(t, err)
		return emp
	}
	e.head = hire("总监", "")
	_, err = hrs.UpdateDepartment(e.sys, rd.ID, hr.DepartmentParams{Name: "R&D", HeadID: e.head.ID}, rd.Version)
	must(t, err)
	e.manager = hire("刘强", e.head.ID)
	e.reviewee = hire("王丽", e.manager.ID)
	for _, name := range []string{"赵敏", "孙强", "李华", "周杰"} {
		e.peers = append(e.peers, hire(name, e.manager.ID))
	}
	for _, name := range []string{"小陈", "小杨", "小吴"} {
		e.reports = append(e.reports, hire(name, e.reviewee.ID))
	}
	for _, name := range []string{"钱多", "吴用"} {
		e.others = append(e.others, hire(name, ""))
	}
	e.hrP = hire("人事", "")
	e.gone = hire("离职者", e.manager.ID, func(p *hr.EmployeeParams) {
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 12, 31)
	})
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("head", e.head, access.RoleDepartmentHead)
	grant("manager", e.manager, access.RoleDepartmentHead)
	grant("reviewee", e.reviewee, access.RoleEmployee)
	grant("hr", e.hrP, access.RoleHR)
	for i, p := range e.peers {
		grant(fmt.Sprintf("peer%d", i), p, access.RoleEmployee)
	}
	for i, p := range e.reports {
		grant(fmt.Sprintf("report%d", i), p, access.RoleEmployee)
	}
	for i, p := range e.others {
		grant(fmt.Sprintf("other%d", i), p, access.RoleEmployee)
	}

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

// ctxOf returns the principal context of an employee granted in newEnv.
func (e *env) ctxOf(t testing.TB, emp hr.Employee) context.Context {
	t.Helper()
	for _, ctx := range e.as {
		if p, _ := ballast.PrincipalFrom(ctx); p.Subject == emp.ID {
			return ctx
		}
	}
	t.Fatalf("no principal for %s", emp.Name)
	return nil
}

// questionnaire is the fixtures' questionnaire on a 1–5 scale: LEAD (L1,
// L2, with comments) and COMM (C1).
func questionnaire() multirater.Questionnaire {
	return multirater.Questionnaire{
		Scale: multirater.Scale{Min: 1, Max: 5, Anchors: []multirater.Anchor{{Value: 1, Label: "rarely"}, {Value: 5, Label: "role model"}}},
		Dimensions: []multirater.Dimension{
			{Code: "LEAD", Name: "Leadership", Comment: true, Questions: []multirater.Question{{Code: "L1", Text: "Sets clear direction"}, {Code: "L2", Text: "Develops people"}}},
			{Code: "COMM", Name: "Communication", Questions: []multirater.Question{{Code: "C1", Text: "Listens and explains"}}},
		},
	}
}

func (e *env) roundParams(reviewees ...hr.Employee) multirater.RoundParams {
	ids := make([]string, len(reviewees))
	for i, r := range reviewees {
		ids[i] = r.ID
	}
	return multirater.RoundParams{CycleID: cycleID, Name: "2026 year-end 360", Questionnaire: questionnaire(),
		NominationDue: nominationDue, ResponseDue: responseDue, Reviewees: ids}
}

// cycleID is the review cycle the fixtures' rounds belong to.
var cycleID = "01936b2e-0000-7000-8000-000000000001"

// createRound creates the round for 王丽.
func (e *env) createRound(t testing.TB) multirater.Round {
	t.Helper()
	r, err := e.svc.CreateRound(e.as["hr"], e.roundParams(e.reviewee))
	must(t, err)
	return r
}

// nominate nominates raters of group g for 王丽 as 王丽 and has 刘强
// approve them.
func (e *env) nominate(t testing.TB, r multirater.Round, g multirater.Group, raters ...hr.Employee) {
	t.Helper()
	ids := make([]string, len(raters))
	for i, x := range raters {
		ids[i] = x.ID
	}
	ns, err := e.svc.Nominate(e.as["reviewee"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID, Group: g, RaterIDs: ids})
	must(t, err)
	for _, n := range ns {
		_, err := e.svc.DecideNomination(e.as["manager"], n.ID, true, "", n.Version)
		must(t, err)
	}
}

func (e *env) open(t testing.TB, r multirater.Round) multirater.Round {
	t.Helper()
	r, err := e.svc.OpenRound(e.as["hr"], r.ID, r.Version)
	must(t, err)
	return r
}

func (e *env) close(t testing.TB, r multirater.Round) multirater.Round {
	t.Helper()
	r, err := e.svc.CloseRound(e.as["hr"], r.ID, r.Version)
	must(t, err)
	return r
}

// assignment returns rater's assignment on 王丽 in r.
func (e *env) assignment(t testing.TB, r multirater.Round, rater hr.Employee) multirater.Assignment {
	t.Helper()
	as, err := e.svc.MyAssignments(e.ctxOf(t, rater), r.ID)
	must(t, err)
	for _, a := range as {
		if a.RevieweeID == e.reviewee.ID {
			return a
		}
	}
	t.Fatalf("%s has no assignment on 王丽", rater.Name)
	return multirater.Assignment{}
}

// answer submits rater's answers on 王丽.
func (e *env) answer(t testing.TB, r multirater.Round, rater hr.Employee, l1, l2, c1 int, comment string) {
	t.Helper()
	a := e.assignment(t, r, rater)
	ans := multirater.Answers{Scores: map[string]int{"L1": l1, "L2": l2, "C1": c1}}
	if comment != "" {
		ans.Comments = map[string]string{"LEAD": comment}
	}
	_, err := e.svc.Submit(e.ctxOf(t, rater), a.ID, ans)
	must(t, err)
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

func ids(es ...hr.Employee) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
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
