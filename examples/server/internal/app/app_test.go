package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestSeedDemoIfEmpty_SeedsOnlyAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		if err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		logins, err := a.SeedDemoIfEmpty(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(logins) == 0 {
			t.Fatal("no demo logins on an empty database")
		}
		for _, l := range logins {
			if _, _, err := a.Auth.Login(ctx, l.Login, l.Password); err != nil {
				t.Errorf("demo login %s: %v", l.Login, err)
			}
		}
		again, err := a.SeedDemoIfEmpty(ctx)
		if err != nil || len(again) != 0 {
			t.Errorf("second SeedDemoIfEmpty = %v, %v; want nothing", again, err)
		}
	})
}

func TestReseedDemo_WipesOnlyTheDemoTenant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db) // another tenant, which must survive
		a := f.app
		if logins, err := a.SeedDemoIfEmpty(ctx); err != nil || len(logins) != 0 {
			t.Fatalf("SeedDemoIfEmpty with a tenant = %v, %v; want nothing", logins, err)
		}
		if _, err := a.ReseedDemo(ctx); err != nil {
			t.Fatalf("first reseed: %v", err)
		}
		logins, err := a.ReseedDemo(ctx)
		if err != nil {
			t.Fatalf("second reseed: %v", err)
		}
		for _, l := range logins {
			if _, _, err := a.Auth.Login(ctx, l.Login, l.Password); err != nil {
				t.Errorf("demo login %s after reseed: %v", l.Login, err)
			}
		}
		tok := f.login(t, "hr")
		resp := f.do(t, "GET", "/api/employees", tok, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("other tenant after reseed: %s", resp.Status)
		}
		sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: "test", Kind: ballast.KindSystem})
		page, err := a.HR.ListEmployees(sys, hr.EmployeeFilter{})
		if err != nil || len(page.Employees) == 0 {
			t.Errorf("demo tenant after reseed: %d employees, %v", len(page.Employees), err)
		}
	})
}

func TestStartStop_RunsBackgroundWorkOnce(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	a := newApp(t, db)
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Start(ctx); !errors.Is(err, ballast.ErrConflict) {
		t.Errorf("second Start = %v, want ErrConflict", err)
	}
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := a.Stop(stopCtx); err != nil {
		t.Errorf("second Stop = %v, want nil", err)
	}
	// Loops that ended with Start's context (a signal) stop cleanly too.
	loopCtx, endLoops := context.WithCancel(ctx)
	if err := a.Start(loopCtx); err != nil {
		t.Fatalf("Start after Stop: %v", err)
	}
	endLoops()
	time.Sleep(50 * time.Millisecond)
	if err := a.Stop(stopCtx); err != nil {
		t.Errorf("Stop after Start's context ended = %v, want nil", err)
	}
}

func TestHealthz_ReportsTheDatabase(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	a := newApp(t, db)
	get := func() int {
		w := httptest.NewRecorder()
		a.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
		return w.Code
	}
	if code := get(); code != http.StatusOK {
		t.Errorf("healthz = %d, want 200", code)
	}
	_ = db.Close()
	if code := get(); code != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database closed = %d, want 503", code)
	}
}

// A tenant created by an older release lacks role permissions added since;
// Migrate brings its role definitions up to date.
func TestMigrate_RefreshesEveryTenantsRoles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		if err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := a.SeedDemoIfEmpty(ctx); err != nil {
			t.Fatal(err)
		}
		res, err := db.Bun().NewDelete().TableExpr("ballast_access_rules").
			Where("ptype = 'p' AND v0 = 'role:employee' AND v2 = 'customers:read:key'").Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatal("the demo tenant's employee role has no customers:read:key rule to remove")
		}
		if err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := db.Bun().NewSelect().TableExpr("ballast_access_rules").
			Where("ptype = 'p' AND v0 = 'role:employee' AND v2 = 'customers:read:key'").Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("after Migrate: %d customers:read:key rules for the employee role (%v), want 1", n, err)
		}
	})
}
