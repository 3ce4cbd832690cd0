package channel_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// clock is the outside world's time, set by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// t0 is 09:00 UTC (17:00 in Asia/Shanghai) on 2026-11-25.
var t0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// authz is the enforcer, except that the subjects in only hold exactly the
// listed permissions without any rule row naming them: so a test can prove
// that nothing else stores such a subject.
type authz struct {
	*access.Enforcer
	only map[string][]string
}

func (a authz) Authorize(ctx context.Context, perm string) error {
	ok, err := a.Allowed(ctx, perm)
	if err != nil {
		return err
	}
	if !ok {
		return ballast.ErrForbidden
	}
	return nil
}

func (a authz) Allowed(ctx context.Context, perm string) (bool, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return false, err
	}
	if perms, ok := a.only[p.Subject]; ok {
		for _, q := range perms {
			if q == perm {
				return true, nil
			}
		}
		return false, nil
	}
	return a.Enforcer.Allowed(ctx, perm)
}

// env is one tenant on a real database with the real audit log, access
// enforcer, hr service and outbox.
type env struct {
	db     *storage.DB
	clock  *clock
	log    *audit.Log
	access *access.Enforcer
	hr     *hr.Service
	outbox *notify.Outbox
	svc    *channel.Service
	tenant string
	sys    context.Context // the platform, in the tenant
	hrCtx  context.Context // a user with the hr role
	hrID   string
	anon   map[string][]string
}

func newEnv(t testing.TB, db *storage.DB) *env {
	t.Helper()
	e := &env{db: db, clock: &clock{t: t0}, anon: map[string][]string{}}
	var err error
	if e.log, err = audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: e.clock}); err != nil {
		t.Fatal(err)
	}
	if e.access, err = access.New(access.Config{Store: db.Access(), Tx: db, Audit: e.log, Clock: e.clock}); err != nil {
		t.Fatal(err)
	}
	if e.hr, err = hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: e.access, Audit: e.log, Clock: e.clock}); err != nil {
		t.Fatal(err)
	}
	e.outbox, err = notify.New(notify.Config{Store: db.Notify(), Clock: e.clock,
		Notifier: notify.Func(func(context.Context, notify.Message) error { return nil })})
	if err != nil {
		t.Fatal(err)
	}
	e.svc, err = channel.New(channel.Config{Store: db.Channel(), Tx: db, Auth: authz{e.access, e.anon},
		Audit: e.log, Outbox: e.outbox, Directory: e.hr, Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := e.hr.CreateTenant(platform, hr.TenantParams{Name: "Dingsheng Trading", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	if err != nil {
		t.Fatal(err)
	}
	e.tenant = tn.ID
	e.sys = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "platform", Kind: ballast.KindSystem})
	e.hrID = "hr-" + ballast.NewID()
	e.hrCtx = e.user(t, e.hrID, access.RoleHR)
	return e
}

// user grants subject role (when not empty) and returns its context.
func (e *env) user(t testing.TB, subject, role string) context.Context {
	t.Helper()
	if role != "" {
		if err := e.access.GrantRole(e.sys, subject, role, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: subject, Kind: ballast.KindUser})
}

func (e *env) dept(t testing.TB, name, parent string) hr.Department {
	t.Helper()
	d, err := e.hr.CreateDepartment(e.hrCtx, hr.DepartmentParams{Name: name, ParentID: parent})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// staff hires an employee with the employee role and returns it with its
// context (its subject is its employee ID).
type staff struct {
	hr.Employee
	ctx context.Context
}

func (e *env) hire(t *testing.T, number, name, dept string) staff {
	t.Helper()
	emp, err := e.hr.HireEmployee(e.hrCtx, hr.EmployeeParams{Number: number, Name: name, DepartmentID: dept,
		HireDate: hr.NewDate(2024, 3, 1), HireChannel: hr.ChannelExperienced})
	if err != nil {
		t.Fatal(err)
	}
	return staff{emp, e.user(t, emp.ID, access.RoleEmployee)}
}

func (e *env) depart(t *testing.T, emp hr.Employee) {
	t.Helper()
	p := emp.Params()
	p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 10, 31)
	if _, err := e.hr.UpdateEmployee(e.hrCtx, emp.ID, p, emp.Version); err != nil {
		t.Fatal(err)
	}
}

// messages returns the tenant's outbox messages of one kind.
func (e *env) messages(t *testing.T, kind string) []notify.Record {
	t.Helper()
	rs, err := e.outbox.List(context.Background(), e.tenant, notify.Filter{Kind: kind, Limit: notify.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// actions returns the tenant's channel audit actions, oldest first.
func (e *env) actions(t *testing.T) []string {
	t.Helper()
	es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: "channel.", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i := range es {
		out[len(es)-1-i] = es[i].Action
	}
	return out
}

func wantErr(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want %v", what, err, kind)
	}
}

// org is a small organisation: Sales with a subdepartment East, and Ops.
type org struct {
	sales, east, ops hr.Department
	wang, li, zhao   staff // Sales, Sales/East, Ops
	gone             hr.Employee
}

func (e *env) org(t *testing.T) org {
	t.Helper()
	var o org
	o.sales = e.dept(t, "Sales", "")
	o.east = e.dept(t, "East", o.sales.ID)
	o.ops = e.dept(t, "Ops", "")
	o.wang = e.hire(t, "E001", "王丽", o.sales.ID)
	o.li = e.hire(t, "E002", "李强", o.east.ID)
	o.zhao = e.hire(t, "E003", "赵敏", o.ops.ID)
	gone := e.hire(t, "E004", "刘洋", o.sales.ID)
	e.depart(t, gone.Employee)
	o.gone = gone.Employee
	return o
}

// published creates and publishes an announcement to audience.
func (e *env) published(t *testing.T, title string, a channel.Audience) channel.Announcement {
	t.Helper()
	d, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: title, Body: "# " + title + "\n\nDetails.", Audience: a})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.PublishAnnouncement(e.hrCtx, d.ID, d.Version)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
