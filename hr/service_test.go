package hr_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestNew_NamesEveryMissingPart(t *testing.T) {
	t.Parallel()
	_, err := hr.New(hr.Config{})
	if diff := cmp.Diff([]string{"Store", "Tx", "Auth", "Audit"}, fields(t, err)); diff != "" {
		t.Errorf("missing parts (-want +got):\n%s", diff)
	}
}

func TestCreateTenant_OnlyTheSystemCreatesTenants(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		_, err := e.svc.CreateTenant(e.hr, hr.TenantParams{Name: "Rival"})
		wantErr(t, "user creates a tenant", err, ballast.ErrForbidden)
		_, err = e.svc.CreateTenant(context.Background(), hr.TenantParams{Name: "Rival"})
		wantErr(t, "no principal", err, ballast.ErrUnauthenticated)
		_, err = e.svc.CreateTenant(e.sys, hr.TenantParams{ID: "x", Name: "", TimeZone: "Mars/Olympus", Locale: "fr"})
		wantErr(t, "bad params", err, ballast.ErrInvalid)
		if diff := cmp.Diff([]string{"id", "name", "time_zone", "locale"}, fields(t, err)); diff != "" {
			t.Errorf("bad fields (-want +got):\n%s", diff)
		}
		_, err = e.svc.CreateTenant(e.sys, hr.TenantParams{ID: e.tenant, Name: "Again"})
		wantErr(t, "existing id", err, ballast.ErrConflict)

		tn, err := e.svc.Tenant(e.hr)
		if err != nil {
			t.Fatal(err)
		}
		want := hr.Tenant{ID: e.tenant, Name: "Acme Trading", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
			CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if diff := cmp.Diff(want, tn); diff != "" {
			t.Errorf("Tenant (-want +got):\n%s", diff)
		}
		// The creation is the first entry of the new tenant's own chain.
		es := e.entries(t, e.tenant)
		if len(es) != 1 || es[0].Action != "hr.tenant.create" || es[0].Actor != "platform" {
			t.Fatalf("entries = %+v", es)
		}
		_, err = e.svc.UpdateTenant(e.hr, hr.TenantParams{Name: "HR may not"}, 1)
		wantErr(t, "hr changes tenant settings", err, ballast.ErrForbidden)
		admin := e.user(t, "admin", access.RoleTenantAdmin)
		up, err := e.svc.UpdateTenant(admin, hr.TenantParams{Name: "Acme Trading Ltd", TimeZone: "Asia/Shanghai", Locale: hr.LocaleEn}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 || up.Locale != hr.LocaleEn {
			t.Errorf("UpdateTenant = %+v", up)
		}
		_, err = e.svc.UpdateTenant(admin, hr.TenantParams{Name: "Stale"}, 1)
		wantErr(t, "stale tenant update", err, ballast.ErrConflict)
	})
}

// TestUseCases_RefuseMissingPrincipalUnknownTenantAndMissingPermission
// calls every use case as nobody, as a principal of a tenant that does not
// exist, and as an employee without the permission; each is refused with
// its kind and nothing is written.
func TestUseCases_RefuseMissingPrincipalUnknownTenantAndMissingPermission(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		emp := e.hire(t, "E1", "Li Na", d.ID)
		before := len(e.entries(t, e.tenant))
		id := emp.ID
		calls := map[string]func(ctx context.Context) error{
			"CreateDepartment": func(ctx context.Context) error {
				_, err := e.svc.CreateDepartment(ctx, hr.DepartmentParams{Name: "X"})
				return err
			},
			"UpdateDepartment": func(ctx context.Context) error {
				_, err := e.svc.UpdateDepartment(ctx, d.ID, hr.DepartmentParams{Name: "X"}, 1)
				return err
			},
			"DeleteDepartment": func(ctx context.Context) error { return e.svc.DeleteDepartment(ctx, d.ID, 1) },
			"CreatePosition": func(ctx context.Context) error {
				_, err := e.svc.CreatePosition(ctx, hr.PositionParams{Title: "X", DepartmentID: d.ID})
				return err
			},
			"HireEmployee": func(ctx context.Context) error {
				_, err := e.svc.HireEmployee(ctx, hr.EmployeeParams{Number: "E9", Name: "X", DepartmentID: d.ID,
					HireDate: hr.NewDate(2024, 1, 1), HireChannel: hr.ChannelCampus})
				return err
			},
			"UpdateEmployee": func(ctx context.Context) error {
				p := emp.Params()
				p.KeyPerson = true
				_, err := e.svc.UpdateEmployee(ctx, id, p, 1)
				return err
			},
			"UpdateTenant": func(ctx context.Context) error {
				_, err := e.svc.UpdateTenant(ctx, hr.TenantParams{Name: "X"}, 1)
				return err
			},
			"ImportEmployeesCSV": func(ctx context.Context) error {
				_, err := e.svc.ImportEmployeesCSV(ctx, nil)
				return err
			},
			"ExportEmployeesCSV": func(ctx context.Context) error {
				_, err := e.svc.ExportEmployeesCSV(ctx, nil, hr.EmployeeFilter{})
				return err
			},
			"Referrals": func(ctx context.Context) error {
				_, err := e.svc.Referrals(ctx, id)
				return err
			},
			"UpdateProfileOfAnother": func(ctx context.Context) error {
				_, err := e.svc.UpdateProfile(ctx, id, hr.ProfileUpdate{Skills: &[]hr.Skill{{Name: "x", Level: 1}}})
				return err
			},
			"ProfileOfAnother": func(ctx context.Context) error {
				_, err := e.svc.Profile(ctx, id)
				return err
			},
		}
		nobody := context.Background()
		ghost := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ballast.NewID(), Subject: "ghost", Kind: ballast.KindSystem})
		employee := e.user(t, ballast.NewID(), access.RoleEmployee)
		for name, call := range calls {
			wantErr(t, name+" without principal", call(nobody), ballast.ErrUnauthenticated)
			err := call(ghost)
			if !errors.Is(err, hr.ErrUnknownTenant) || !errors.Is(err, ballast.ErrNotFound) {
				t.Errorf("%s in an unknown tenant: error = %v, want ErrUnknownTenant", name, err)
			}
			wantErr(t, name+" without permission", call(employee), ballast.ErrForbidden)
		}
		if after := len(e.entries(t, e.tenant)); after != before {
			t.Errorf("refused calls appended %d audit entries", after-before)
		}
		got, err := e.svc.Employee(e.hr, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(emp, got); diff != "" {
			t.Errorf("employee changed by refused calls (-want +got):\n%s", diff)
		}
		// The directory is open to every employee.
		if _, err := e.svc.ListEmployees(employee, hr.EmployeeFilter{}); err != nil {
			t.Errorf("employee lists the directory: %v", err)
		}
		if _, err := e.svc.DepartmentTree(employee); err != nil {
			t.Errorf("employee reads the tree: %v", err)
		}
	})
}
