package demo_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// stack is the services the demo seeds through, on a real database.
type stack struct {
	db        *storage.DB
	hr        *hr.Service
	access    *access.Enforcer
	auth      *auth.Service
	customers *customers.Service
	assets    *assets.Service
	channel   *channel.Service
	insight   *insight.Service
	offboard  *offboarding.Service
}

func newStack(t *testing.T, db *storage.DB, clock ballast.Clock) *stack {
	t.Helper()
	ctx := context.Background()
	if err := auth.Migrate(ctx, db); err != nil {
		t.Fatalf("auth.Migrate: %v", err)
	}
	log, err := audit.New(audit.Config{Store: db.Audit(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	h, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	au, err := auth.New(db, clock, auth.Options{Iterations: auth.MinIterations})
	if err != nil {
		t.Fatal(err)
	}
	st := &stack{db: db, hr: h, access: enf, auth: au}
	if st.customers, err = customers.New(customers.Config{Store: db.Customers(), Tx: db, Auth: enf, Audit: log,
		Employees: db.HR(), Departments: db.HR(), Tenants: db.HR(), Clock: clock}); err != nil {
		t.Fatal(err)
	}
	if st.assets, err = assets.New(assets.Config{Store: db.Assets(), Tx: db, Auth: enf, Audit: log, Employees: db.HR(), Clock: clock}); err != nil {
		t.Fatal(err)
	}
	outbox, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.LogNotifier{Logger: slog.New(slog.DiscardHandler)}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if st.channel, err = channel.New(channel.Config{Store: db.Channel(), Tx: db, Auth: enf, Audit: log, Outbox: outbox,
		Directory: h, Clock: clock}); err != nil {
		t.Fatal(err)
	}
	if st.insight, err = insight.New(insight.Config{Store: db.Insight(), Auth: enf, Clock: clock}); err != nil {
		t.Fatal(err)
	}
	if st.offboard, err = offboarding.New(offboarding.Config{Store: db.Offboarding(), Tx: db, Auth: enf, Access: enf, HR: h,
		Customers: st.customers, Assets: st.assets, Audit: log, Outbox: outbox, Clock: clock}); err != nil {
		t.Fatal(err)
	}
	return st
}

func (s *stack) config(clock ballast.Clock) demo.Config {
	return demo.Config{Tx: s.db, HR: s.hr, Access: s.access, Auth: s.auth, Clock: clock,
		Customers: s.customers, Assets: s.assets, Channel: s.channel, Offboarding: s.offboard}
}

var seedTime = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

func TestSeed_BuildsTheDemoCompany(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Parallel()
		clock := fixedClock{seedTime}
		s := newStack(t, db, clock)
		ctx := context.Background()
		logins, err := demo.Seed(ctx, s.config(clock))
		if err != nil {
			t.Fatalf("Seed() error = %v", err)
		}
		var names []string
		for _, l := range logins {
			names = append(names, l.Login)
			if l.Password != demo.Password || l.EmployeeID == "" {
				t.Errorf("login %+v", l)
			}
		}
		if diff := cmp.Diff([]string{"admin", "hr", "liuqiang", "wangli", "zhaomin", "zhanglei"}, names); diff != "" {
			t.Errorf("logins (-want +got):\n%s", diff)
		}

		// Every login signs in and carries its role.
		for _, l := range logins {
			_, p, err := s.auth.Login(ctx, l.Login, l.Password)
			if err != nil {
				t.Fatalf("Login(%s) error = %v", l.Login, err)
			}
			if p.Tenant != demo.TenantID || p.Subject != l.EmployeeID {
				t.Errorf("Login(%s) principal = %+v", l.Login, p)
			}
		}
		hrCtx := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: logins[1].EmployeeID, Kind: ballast.KindUser})
		for _, perm := range []string{hr.PermEmployeesReadAll, hr.PermProfileWriteHR} {
			if err := s.access.Authorize(hrCtx, perm); err != nil {
				t.Errorf("hr user lacks %s: %v", perm, err)
			}
		}
		plainCtx := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: logins[4].EmployeeID, Kind: ballast.KindUser})
		if err := s.access.Authorize(plainCtx, hr.PermEmployeesReadAll); !errors.Is(err, ballast.ErrForbidden) {
			t.Errorf("plain employee Authorize(read:all) = %v, want forbidden", err)
		}

		// The tenant, the org and the staff.
		tn, err := s.hr.Tenant(hrCtx)
		if err != nil {
			t.Fatal(err)
		}
		if tn.TimeZone != "Asia/Shanghai" || tn.Locale != hr.LocaleZhCN {
			t.Errorf("tenant = %+v", tn)
		}
		tree, err := s.hr.DepartmentTree(hrCtx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tree) != 1 || tree[0].TotalHeadcount != 40 || len(tree[0].Children) != 6 {
			t.Fatalf("tree roots = %d, total %d", len(tree), tree[0].TotalHeadcount)
		}
		for _, d := range tree[0].Children {
			if d.HeadID == "" {
				t.Errorf("department %s has no head", d.Name)
			}
		}

		// The senior salesperson referred most of the sales department.
		wang := logins[3]
		refs, err := s.hr.Referrals(hrCtx, wang.EmployeeID)
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) < 10 {
			t.Errorf("王丽 referred %d employees, want at least 10", len(refs))
		}
		we, err := s.hr.Employee(hrCtx, wang.EmployeeID)
		if err != nil {
			t.Fatal(err)
		}
		if !we.KeyPerson || we.HireDate.Year != 2018 {
			t.Errorf("王丽 = %+v, want a key person hired in 2018", we)
		}
		prof, err := s.hr.Profile(hrCtx, wang.EmployeeID)
		if err != nil {
			t.Fatal(err)
		}
		if len(prof.Performance) != 6 || prof.CareerPlan == nil || len(prof.Certifications) == 0 || len(prof.Management) == 0 {
			t.Errorf("王丽's profile = %+v", prof)
		}
		for _, r := range prof.Performance {
			if r.Score < 85 || (r.Grade != "S" && r.Grade != "A") {
				t.Errorf("王丽's performance %+v, want top grades", r)
			}
		}

		// One pending resignation, three weeks ahead.
		pg, err := s.hr.ListEmployees(hrCtx, hr.EmployeeFilter{Status: hr.StatusResigning})
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.Employees) != 1 {
			t.Fatalf("resigning employees = %d, want 1", len(pg.Employees))
		}
		if got, want := pg.Employees[0].LastWorkingDay, hr.NewDate(2026, time.December, 16); got != want {
			t.Errorf("last working day = %s, want %s", got, want)
		}
	})
}

func TestSeed_RefusesASecondRunAndWritesNothing(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	clock := fixedClock{seedTime}
	s := newStack(t, db, clock)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, s.config(clock)); err != nil {
		t.Fatalf("first Seed() error = %v", err)
	}
	_, err := demo.Seed(ctx, s.config(clock))
	if !errors.Is(err, demo.ErrSeeded) || !errors.Is(err, ballast.ErrConflict) {
		t.Fatalf("second Seed() error = %v, want ErrSeeded", err)
	}
	hrCtx := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: "t", Kind: ballast.KindSystem})
	pg, err := s.hr.ListEmployees(hrCtx, hr.EmployeeFilter{Limit: hr.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Employees) != 40 {
		t.Errorf("employees after a second seed = %d, want 40", len(pg.Employees))
	}
}

func TestSeed_IsDeterministic(t *testing.T) {
	t.Parallel()
	clock := fixedClock{seedTime}
	var profiles [2][]hr.Profile
	var books [2][]customers.Params
	for i := range profiles {
		db := dbtest.Open(t, "sqlite")
		s := newStack(t, db, clock)
		ctx := context.Background()
		if _, err := demo.Seed(ctx, s.config(clock)); err != nil {
			t.Fatalf("Seed() error = %v", err)
		}
		sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: "t", Kind: ballast.KindSystem})
		pg, err := s.hr.ListEmployees(sys, hr.EmployeeFilter{Limit: hr.MaxPageSize, Order: hr.OrderByNumber})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range pg.Employees {
			p, err := s.hr.Profile(sys, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			p.EmployeeID, p.UpdatedAt = "", time.Time{}
			if p.CareerPlan != nil {
				p.CareerPlan.TargetPositionID, p.CareerPlan.UpdatedAt = "", time.Time{}
			}
			profiles[i] = append(profiles[i], p)
		}
		cs, err := s.customers.List(sys, customers.Filter{Limit: 500, Status: customers.StatusAll})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs.Customers {
			p := c.Params()
			p.OwnerID = ""
			books[i] = append(books[i], p)
		}
	}
	if len(books[0]) != 120 {
		t.Errorf("customers = %d, want 120", len(books[0]))
	}
	if diff := cmp.Diff(books[0], books[1]); diff != "" {
		t.Errorf("two seeds' customers differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(profiles[0], profiles[1]); diff != "" {
		t.Errorf("two seeds differ (-first +second):\n%s", diff)
	}
}
