package assets_test

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
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/storage"
)

// fixedClock is the outside world's time, fixed.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// t0 is 2026-03-02 09:00 in Shanghai.
var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// env is a tenant on a real database with the real audit log, access
// enforcer and hr service: Sales (headed by head) ⊃ Sales East (rep), and
// IT (tech).
type env struct {
	db     *storage.DB
	log    *audit.Log
	access *access.Enforcer
	hr     *hr.Service
	svc    *assets.Service
	tenant string

	sys, admin               context.Context // the platform; a user with the hr role
	head, rep, tech          hr.Employee
	headCtx, repCtx, techCtx context.Context
}

func newEnv(t *testing.T, db *storage.DB) *env {
	t.Helper()
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: fixedClock{t0}})
	must(t, err)
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: fixedClock{t0}})
	must(t, err)
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: fixedClock{t0}})
	must(t, err)
	svc, err := assets.New(assets.Config{Store: db.Assets(), Tx: db, Auth: enf, Audit: log, Employees: db.HR(), Clock: fixedClock{t0}})
	must(t, err)
	e := &env{db: db, log: log, access: enf, hr: hrs, svc: svc}
	e.tenant = e.newTenant(t, "鼎盛贸易")
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "platform", Kind: ballast.KindSystem})
	e.admin = e.user(t, e.tenant, "hr-admin", access.RoleHR)

	sales := e.dept(t, "Sales", "")
	east := e.dept(t, "Sales East", sales.ID)
	it := e.dept(t, "IT", "")
	e.head = e.hire(t, "E1", "刘强", sales.ID)
	e.rep = e.hire(t, "E2", "王丽", east.ID)
	e.tech = e.hire(t, "E3", "赵敏", it.ID)
	_, err = hrs.UpdateDepartment(e.sys, sales.ID, hr.DepartmentParams{Name: sales.Name, HeadID: e.head.ID}, sales.Version)
	must(t, err)
	e.headCtx = e.user(t, e.tenant, e.head.ID, access.RoleDepartmentHead)
	e.repCtx = e.user(t, e.tenant, e.rep.ID, access.RoleEmployee)
	e.techCtx = e.user(t, e.tenant, e.tech.ID, access.RoleEmployee)
	return e
}

func (e *env) newTenant(t *testing.T, name string) string {
	t.Helper()
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := e.hr.CreateTenant(platform, hr.TenantParams{Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	must(t, err)
	return tn.ID
}

// user grants subject role (when not empty) in tenant and returns its context.
func (e *env) user(t *testing.T, tenant, subject, role string) context.Context {
	t.Helper()
	sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: "platform", Kind: ballast.KindSystem})
	if role != "" {
		must(t, e.access.GrantRole(sys, subject, role, "test"))
	}
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: subject, Kind: ballast.KindUser})
}

func (e *env) dept(t *testing.T, name, parent string) hr.Department {
	t.Helper()
	d, err := e.hr.CreateDepartment(e.sys, hr.DepartmentParams{Name: name, ParentID: parent})
	must(t, err)
	return d
}

func (e *env) hire(t *testing.T, number, name, dept string) hr.Employee {
	t.Helper()
	emp, err := e.hr.HireEmployee(e.sys, hr.EmployeeParams{Number: number, Name: name, DepartmentID: dept,
		HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced})
	must(t, err)
	return emp
}

func (e *env) register(t *testing.T, name, tag string) assets.Asset {
	t.Helper()
	a, err := e.svc.Register(e.admin, assets.Params{Kind: assets.KindLaptop, Name: name, Tag: tag})
	must(t, err)
	return a
}

func (e *env) issue(t *testing.T, a assets.Asset, holder string, on hr.Date) assets.Asset {
	t.Helper()
	a, err := e.svc.Issue(e.admin, a.ID, assets.IssueParams{Holder: holder, On: on})
	must(t, err)
	return a
}

// entries returns the tenant's assets audit entries, oldest first.
func (e *env) entries(t *testing.T) []audit.Entry {
	t.Helper()
	es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: "assets.", Limit: 1000})
	must(t, err)
	slices.Reverse(es)
	return es
}

func must(t *testing.T, err error) {
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

// fields returns the field names of a validation error.
func fields(err error) []string {
	var v *ballast.ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field)
	}
	return out
}
