package hr_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/storage"
)

// fixedClock is the outside world's time, fixed.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// env is one tenant on a real database with the real audit log and access
// enforcer, and contexts for the principals the tests act as.
type env struct {
	db     *storage.DB
	store  hr.Store
	log    *audit.Log
	access *access.Enforcer
	svc    *hr.Service
	tenant string
	sys    context.Context // the platform, in the tenant
	hr     context.Context // a user with the hr role
}

func newEnv(t *testing.T, db *storage.DB) *env {
	t.Helper()
	return newEnvWithStore(t, db, db.HR())
}

func newEnvWithStore(t *testing.T, db *storage.DB, store hr.Store) *env {
	t.Helper()
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: fixedClock{t0}})
	if err != nil {
		t.Fatal(err)
	}
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: fixedClock{t0}})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := hr.New(hr.Config{Store: store, Tx: db, Auth: enf, Audit: log, Clock: fixedClock{t0}})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, store: store, log: log, access: enf, svc: svc}
	e.tenant = e.newTenant(t, "Acme Trading")
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "platform", Kind: ballast.KindSystem})
	e.hr = e.user(t, "hr-"+ballast.NewID(), access.RoleHR)
	return e
}

// newTenant creates a tenant; the access enforcer is a TenantSeeder, so its
// roles come with it.
func (e *env) newTenant(t *testing.T, name string) string {
	t.Helper()
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := e.svc.CreateTenant(platform, hr.TenantParams{Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}

// user grants subject role (when not empty) and returns its context.
func (e *env) user(t *testing.T, subject, role string) context.Context {
	t.Helper()
	return e.userIn(t, e.tenant, subject, role)
}

func (e *env) userIn(t *testing.T, tenant, subject, role string) context.Context {
	t.Helper()
	sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: "platform", Kind: ballast.KindSystem})
	if role != "" {
		if err := e.access.GrantRole(sys, subject, role, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: subject, Kind: ballast.KindUser})
}

// entries returns the tenant's hr audit entries, oldest first.
func (e *env) entries(t *testing.T, tenant string) []audit.Entry {
	t.Helper()
	sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: "platform", Kind: ballast.KindSystem})
	es, err := e.log.Query(sys, tenant, audit.Filter{Action: "hr.", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

func (e *env) dept(t *testing.T, name, parent string) hr.Department {
	t.Helper()
	d, err := e.svc.CreateDepartment(e.hr, hr.DepartmentParams{Name: name, ParentID: parent})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (e *env) hire(t *testing.T, number, name, dept string, mod ...func(*hr.EmployeeParams)) hr.Employee {
	t.Helper()
	p := hr.EmployeeParams{Number: number, Name: name, Email: number + "@acme.example", DepartmentID: dept,
		HireDate: hr.NewDate(2023, 7, 1), HireChannel: hr.ChannelExperienced}
	for _, m := range mod {
		m(&p)
	}
	emp, err := e.svc.HireEmployee(e.hr, p)
	if err != nil {
		t.Fatal(err)
	}
	return emp
}

func (e *env) employeeCount(t *testing.T, tenant string) int {
	t.Helper()
	es, err := e.store.ListEmployees(context.Background(), tenant, hr.EmployeeQuery{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// fields returns the field names of a validation error.
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

func wantErr(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want %v", what, err, kind)
	}
}
