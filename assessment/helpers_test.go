package assessment_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment"
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

// The calendar of the fixtures' mid-year cycle.
var (
	start     = hr.NewDate(2026, 7, 1)
	selfDue   = hr.NewDate(2026, 7, 10)
	mgrDue    = hr.NewDate(2026, 7, 20)
	calDue    = hr.NewDate(2026, 7, 25)
	appealDue = hr.NewDate(2026, 8, 5)
)

// raters is a fake 360 source.
type raters map[string]map[string]float64

func (r raters) DimensionScores(_ context.Context, _, employeeID string) (map[string]float64, error) {
	return r[employeeID], nil
}

// env is one tenant (Asia/Shanghai): Sales headed by 刘强 with 王丽 and
// 赵敏 reporting to him, R&D headed by 李工 with 陈晨 (no line manager, so
// the head scores him), HR 人事, and an employee of another tenant.
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	enf    *access.Enforcer
	hr     *hr.Service
	outbox *notify.Outbox
	svc    *assessment.Service
	tenant string
	sys    context.Context

	sales, rnd                          hr.Department
	head, wang, zhao, rdHead, chen, hrP hr.Employee
	other                               hr.Employee
	otherTenant                         string
	as                                  map[string]context.Context

	// indicators of the library
	revenue, onTime, leadership, teamwork assessment.Indicator
	tpl                                   assessment.Template
}

func newEnv(t testing.TB, db *storage.DB, opts ...func(*assessment.Config)) *env {
	t.Helper()
	clk := &clock{t: shanghai(start)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	ob, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Func(func(context.Context, notify.Message) error { return nil }), Clock: clk})
	must(t, err)
	cfg := assessment.Config{Store: db.Assessment(), Tx: db, Auth: enf, HR: hrs, Audit: log, Outbox: ob, Clock: clk}
	for _, o := range opts {
		o(&cfg)
	}
	svc, err := assessment.New(cfg)
	must(t, err)
	e := &env{db: db, clock: clk, log: log, enf: enf, hr: hrs, outbox: ob, svc: svc, as: map[string]context.Context{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "reconciler", Kind: ballast.KindSystem})
	e.sales, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.rnd, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "R&D"})
	must(t, err)
	senior, err := hrs.CreatePosition(e.sys, hr.PositionParams{Title: "Senior sales", DepartmentID: e.sales.ID, Level: 5})
	must(t, err)
	n := 0
	hire := func(name string, dept hr.Department, mod ...func(*hr.EmployeeParams)) hr.Employee {
		n++
		p := hr.EmployeeParams{Number: fmt.Sprintf("E%03d", n), Name: name, DepartmentID: dept.ID,
			HireDate: hr.NewDate(2020, 7, 1), HireChannel: hr.ChannelExperienced}
		for _, m := range mod {
			m(&p)
		}
		emp, err := hrs.HireEmployee(e.sys, p)
		must(t, err)
		return emp
	}
	e.head = hire("刘强", e.sales)
	e.wang = hire("王丽", e.sales, func(p *hr.EmployeeParams) { p.ManagerID, p.PositionID = e.head.ID, senior.ID })
	e.zhao = hire("赵敏", e.sales, func(p *hr.EmployeeParams) { p.ManagerID = e.head.ID })
	e.rdHead = hire("李工", e.rnd)
	e.chen = hire("陈晨", e.rnd)
	e.hrP = hire("人事", e.rnd)
	hire("离职者", e.sales, func(p *hr.EmployeeParams) {
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 12, 31)
	})
	_, err = hrs.UpdateDepartment(e.sys, e.sales.ID, hr.DepartmentParams{Name: "Sales", HeadID: e.head.ID}, e.sales.Version)
	must(t, err)
	_, err = hrs.UpdateDepartment(e.sys, e.rnd.ID, hr.DepartmentParams{Name: "R&D", HeadID: e.rdHead.ID}, e.rnd.Version)
	must(t, err)
	grant := func(key string, emp hr.Employee, roles ...string) {
		for _, r := range roles {
			must(t, enf.GrantRole(e.sys, emp.ID, r, "test"))
		}
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("head", e.head, access.RoleEmployee, access.RoleDepartmentHead)
	grant("wang", e.wang, access.RoleEmployee)
	grant("zhao", e.zhao, access.RoleEmployee)
	grant("rdHead", e.rdHead, access.RoleEmployee, access.RoleDepartmentHead)
	grant("chen", e.chen, access.RoleEmployee)
	grant("hr", e.hrP, access.RoleEmployee, access.RoleHR)

	ot, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "Other Co", TimeZone: "UTC", Locale: hr.LocaleEn})
	must(t, err)
	e.otherTenant = ot.ID
	osys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ot.ID, Subject: "platform", Kind: ballast.KindSystem})
	od, err := hrs.CreateDepartment(osys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.other, err = hrs.HireEmployee(osys, hr.EmployeeParams{Number: "X1", Name: "Other", DepartmentID: od.ID,
		HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced})
	must(t, err)
	return e
}

// library creates the fixtures' indicators and a published template:
// results 60 (revenue growth 50, on-time rate 50) and competencies 40
// (leadership 60, teamwork 40); Sales weighs results 70.
func (e *env) library(t testing.TB) {
	t.Helper()
	var err error
	hrc := e.as["hr"]
	e.revenue, err = e.svc.CreateIndicator(hrc, assessment.IndicatorParams{Code: "revenue_growth", Name: "Team revenue growth",
		Kind: assessment.Quantitative, Unit: "%", Target: 20, Mapping: assessment.Mapping{Kind: assessment.MappingRatio, Cap: 100}})
	must(t, err)
	e.onTime, err = e.svc.CreateIndicator(hrc, assessment.IndicatorParams{Code: "on_time", Name: "Project on-time rate",
		Kind: assessment.Quantitative, Unit: "%", Mapping: assessment.Mapping{Kind: assessment.MappingBands,
			Bands: []assessment.Band{{Threshold: 95, Score: 100}, {Threshold: 80, Score: 80}, {Threshold: 60, Score: 60}}}})
	must(t, err)
	e.leadership, err = e.svc.CreateIndicator(hrc, assessment.IndicatorParams{Code: "leadership", Name: "Leadership",
		Kind: assessment.Qualitative, Scale: &assessment.RatingScale{Min: 1, Max: 5, Anchors: []assessment.Anchor{
			{Value: 1, Label: "needs direction"}, {Value: 3, Label: "leads the team"}, {Value: 5, Label: "grows leaders"}}}})
	must(t, err)
	e.teamwork, err = e.svc.CreateIndicator(hrc, assessment.IndicatorParams{Code: "teamwork", Name: "Cross-department satisfaction",
		Kind: assessment.Qualitative})
	must(t, err)
	e.tpl, err = e.svc.CreateTemplate(hrc, e.templateParams())
	must(t, err)
	e.tpl, err = e.svc.PublishTemplate(hrc, e.tpl.ID, 1)
	must(t, err)
}

func (e *env) templateParams() assessment.TemplateParams {
	return assessment.TemplateParams{Name: "Managers 2026", Categories: []assessment.Category{
		{Key: "results", Name: "Results", Weight: 60, Items: []assessment.Item{
			{IndicatorID: e.revenue.ID, Weight: 50}, {IndicatorID: e.onTime.ID, Weight: 50}}},
		{Key: "competencies", Name: "Competencies", Weight: 40, Items: []assessment.Item{
			{IndicatorID: e.leadership.ID, Weight: 60}, {IndicatorID: e.teamwork.ID, Weight: 40}}},
	}, Overrides: []assessment.Override{{DepartmentID: e.sales.ID, Weights: map[string]float64{"results": 70, "competencies": 30}}}}
}

func (e *env) cycleParams() assessment.CycleParams {
	return assessment.CycleParams{Name: "2026 mid-year", Kind: assessment.MidYear,
		Period:     assessment.Period{Label: "2026H1", Start: hr.NewDate(2026, 1, 1), End: hr.NewDate(2026, 6, 30)},
		Selection:  assessment.Selection{DepartmentIDs: []string{e.sales.ID, e.rnd.ID}},
		TemplateID: e.tpl.ID,
		Deadlines:  assessment.Deadlines{SelfEvaluation: selfDue, ManagerReview: mgrDue, Calibration: calDue, AppealUntil: appealDue},
	}
}

// open creates and opens the fixtures' cycle over Sales and R&D.
func (e *env) open(t testing.TB) assessment.Cycle {
	t.Helper()
	c, err := e.svc.CreateCycle(e.as["hr"], e.cycleParams())
	must(t, err)
	c, err = e.svc.OpenCycle(e.as["hr"], c.ID, c.Version)
	must(t, err)
	return c
}

// participant returns the participant of emp in cycle c.
func (e *env) participant(t testing.TB, c assessment.Cycle, emp hr.Employee) assessment.Participant {
	t.Helper()
	ps, err := e.svc.Participants(e.as["hr"], assessment.ParticipantQuery{CycleID: c.ID, EmployeeID: emp.ID})
	must(t, err)
	if len(ps) != 1 {
		t.Fatalf("participants of %s: %d, want 1", emp.Name, len(ps))
	}
	return ps[0]
}

func f(v float64) *float64 { return &v }

// selfEvaluate saves and submits a full self-evaluation for key.
func (e *env) selfEvaluate(t testing.TB, key string, p assessment.Participant) {
	t.Helper()
	_, err := e.svc.SaveSelfEvaluation(e.as[key], p.ID, []assessment.EntryInput{
		{IndicatorID: e.revenue.ID, Score: f(80), Comment: "grew 16%"},
		{IndicatorID: e.onTime.ID, Score: f(90)},
		{IndicatorID: e.leadership.ID, Score: f(4)},
		{IndicatorID: e.teamwork.ID, Score: f(4)},
	})
	must(t, err)
	_, err = e.svc.SubmitSelfEvaluation(e.as[key], p.ID)
	must(t, err)
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
	return slices.Compact(out)
}

// nopTB lets the fixtures serve a runnable Example: any failure panics.
type nopTB struct{ testing.TB }

func (nopTB) Helper()                           {}
func (nopTB) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (nopTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func notifyFilter(kind, recipient string) notify.Filter {
	return notify.Filter{Kind: kind, Recipient: recipient, Limit: notify.MaxListLimit}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// unscoredToo finalises a cycle whose fixtures leave manager reviews
// unsubmitted (the refusal itself is tested in review_rules_test.go).
var unscoredToo = assessment.FinaliseOptions{AllowIncomplete: true, Reason: "test fixture: some reviews stay unscored"}
