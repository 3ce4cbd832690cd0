package pools_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/pools"
)

// clock is a test clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// today is the day the tests run on (09:00 in Asia/Shanghai).
var today = hr.NewDate(2026, 9, 7)

func at(d hr.Date, hh int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hh, 0, 0, 0, time.FixedZone("CST", 8*3600)).UTC()
}

// periods are the half-year periods of the history: six up to 2026H1, and
// 2026H2 which ends after today and must never count.
var periods = []hr.PerformanceRecord{
	{Period: "2023H2", PeriodEnd: hr.NewDate(2023, 12, 31)}, {Period: "2024H1", PeriodEnd: hr.NewDate(2024, 6, 30)},
	{Period: "2024H2", PeriodEnd: hr.NewDate(2024, 12, 31)}, {Period: "2025H1", PeriodEnd: hr.NewDate(2025, 6, 30)},
	{Period: "2025H2", PeriodEnd: hr.NewDate(2025, 12, 31)}, {Period: "2026H1", PeriodEnd: hr.NewDate(2026, 6, 30)},
	{Period: "2026H2", PeriodEnd: hr.NewDate(2026, 12, 31)},
}

// env is one tenant (Asia/Shanghai) with Sales (head 刘强) and its
// sub-department East, R&D, positions of levels 1–3, an HR employee, and
// another tenant with its HR.
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	hr     *hr.Service
	svc    *pools.Service
	tenant string
	sys    context.Context

	sales, east, rnd hr.Department
	levels           map[string]int // position id -> level
	positions        []hr.Position
	head, hrP, emp   hr.Employee
	all              []hr.Employee
	as               map[string]context.Context
	n                int
}

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	clk := &clock{t: at(today, 9)}
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: clk})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clk})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clk})
	must(t, err)
	svc, err := pools.New(pools.Config{Store: db.Pools(), Tx: db, Auth: enf, HR: hrs, Audit: log, Clock: clk})
	must(t, err)
	e := &env{db: db, clock: clk, log: log, hr: hrs, svc: svc, as: map[string]context.Context{}, levels: map[string]int{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "hr-system", Kind: ballast.KindSystem})
	e.sales, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Sales"})
	must(t, err)
	e.east, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "East", ParentID: e.sales.ID})
	must(t, err)
	e.rnd, err = hrs.CreateDepartment(e.sys, hr.DepartmentParams{Name: "R&D"})
	must(t, err)
	for lvl := 1; lvl <= 3; lvl++ {
		p, err := hrs.CreatePosition(e.sys, hr.PositionParams{Title: fmt.Sprintf("Level %d", lvl), DepartmentID: e.sales.ID, Level: lvl})
		must(t, err)
		e.levels[p.ID] = lvl
		e.positions = append(e.positions, p)
	}
	e.head = e.hire(t, "刘强", e.sales.ID)
	e.hrP = e.hire(t, "人事", e.rnd.ID)
	e.emp = e.hire(t, "王丽", e.east.ID)
	e.sales, err = hrs.UpdateDepartment(e.sys, e.sales.ID, hr.DepartmentParams{Name: "Sales", HeadID: e.head.ID}, e.sales.Version)
	must(t, err)
	grant := func(key string, emp hr.Employee, role string) {
		must(t, enf.GrantRole(e.sys, emp.ID, role, "test"))
		e.as[key] = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: emp.ID, Kind: ballast.KindUser})
	}
	grant("emp", e.emp, access.RoleEmployee)
	grant("head", e.head, access.RoleDepartmentHead)
	grant("hr", e.hrP, access.RoleHR)
	e.as["nobody"] = context.Background()

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

// hire hires an employee (hired 2020-07-01, active) as the system.
func (e *env) hire(t testing.TB, name, dept string, mod ...func(*hr.EmployeeParams)) hr.Employee {
	t.Helper()
	e.n++
	p := hr.EmployeeParams{Number: fmt.Sprintf("E%03d", e.n), Name: name, DepartmentID: dept,
		HireDate: hr.NewDate(2020, 7, 1), HireChannel: hr.ChannelExperienced}
	for _, m := range mod {
		m(&p)
	}
	emp, err := e.hr.HireEmployee(e.sys, p)
	must(t, err)
	e.all = append(e.all, emp)
	return emp
}

// profile replaces sections of an employee's profile as the system.
func (e *env) profile(t testing.TB, id string, u hr.ProfileUpdate) {
	t.Helper()
	pr, err := e.hr.Profile(e.sys, id)
	if err != nil && !errors.Is(err, ballast.ErrNotFound) {
		t.Fatal(err)
	}
	u.Version = pr.Version
	_, err = e.hr.UpdateProfile(e.sys, id, u)
	must(t, err)
}

// scores records a score (and grade) per period, from the first of
// periods.
func (e *env) scores(t testing.TB, id string, grades []string, scores ...float64) {
	t.Helper()
	var es []hr.PerformanceEntry
	for i, s := range scores {
		r := periods[i]
		r.Score, r.Grade = s, grades[i%len(grades)]
		es = append(es, hr.PerformanceEntry{EmployeeID: id, PerformanceRecord: r})
	}
	must(t, e.hr.RecordPerformance(e.sys, es))
}

var grades = []string{"A", "B+", "B", "C"}

// seedRandom hires n employees with random departments, positions,
// statuses, hire dates, performance histories (some with gaps), grades,
// management experiences, career plans and certifications.
func (e *env) seedRandom(t testing.TB, rng *rand.Rand, n int) {
	t.Helper()
	depts := []string{e.sales.ID, e.east.ID, e.rnd.ID}
	for i := range n {
		emp := e.hire(t, fmt.Sprintf("R%03d", i), depts[rng.IntN(len(depts))], func(p *hr.EmployeeParams) {
			p.HireDate = hr.NewDate(2015+rng.IntN(12), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
			if p.HireDate.After(today) {
				p.HireDate = hr.NewDate(2026, 1, 5)
			}
			if rng.IntN(3) > 0 {
				p.PositionID = e.positions[rng.IntN(len(e.positions))].ID
			}
			switch rng.IntN(6) {
			case 0:
				p.Status, p.LastWorkingDay = hr.StatusResigning, hr.NewDate(2026, 10, 31)
			case 1:
				p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 8, 31)
			}
		})
		var es []hr.PerformanceEntry
		for _, r := range periods {
			if rng.IntN(5) == 0 {
				continue // a gap
			}
			r.Score, r.Grade = float64(50+rng.IntN(11)*5), grades[rng.IntN(len(grades))]
			es = append(es, hr.PerformanceEntry{EmployeeID: emp.ID, PerformanceRecord: r})
		}
		if len(es) > 0 {
			must(t, e.hr.RecordPerformance(e.sys, es))
		}
		u := hr.ProfileUpdate{}
		mg := make([]hr.ManagementExperience, rng.IntN(4))
		for k := range mg {
			mg[k] = hr.ManagementExperience{TeamSize: 2 + k, Start: hr.NewDate(2021+k, 1, 1), End: hr.NewDate(2021+k, 12, 31)}
		}
		u.Management = &mg
		switch rng.IntN(4) {
		case 0, 1:
			u.CareerPlan = &hr.CareerPlan{Direction: hr.DirectionManagement}
		case 2:
			u.CareerPlan = &hr.CareerPlan{Direction: hr.DirectionTechnical}
		}
		var certs []hr.Certification
		switch rng.IntN(4) {
		case 0:
			certs = append(certs, hr.Certification{Name: "PMP", Issued: hr.NewDate(2022, 3, 1), Expires: hr.NewDate(2025, 3, 1)})
		case 1:
			certs = append(certs, hr.Certification{Name: "PMP", Issued: hr.NewDate(2024, 3, 1), Expires: hr.NewDate(2027, 3, 1)})
		case 2:
			certs = append(certs, hr.Certification{Name: "PMP", Issued: hr.NewDate(2023, 5, 1)}, hr.Certification{Name: "CPA", Issued: hr.NewDate(2019, 1, 1)})
		}
		u.Certifications = &certs
		e.profile(t, emp.ID, u)
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
