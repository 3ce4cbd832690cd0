package hr_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/storage"
)

// Example embeds ballast's HR core: open a database, migrate it, wire the
// service to the audit log and the access enforcer, then manage the org as
// a principal carried by the context.
func Example() {
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	auditLog, err := audit.New(audit.Config{Store: db.Audit(), Tx: db})
	if err != nil {
		log.Fatal(err)
	}
	enforcer, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: auditLog})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enforcer, Audit: auditLog})
	if err != nil {
		log.Fatal(err)
	}

	// The platform creates the tenant (the enforcer seeds its built-in roles
	// in the same transaction) and its first HR user.
	platform := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: "platform", Subject: "signup", Kind: ballast.KindSystem})
	tenant, err := svc.CreateTenant(platform, hr.TenantParams{Name: "Acme Trading", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	if err != nil {
		log.Fatal(err)
	}
	system := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "signup", Kind: ballast.KindSystem})
	if err := enforcer.GrantRole(system, "hr-admin", access.RoleHR, "first hr user"); err != nil {
		log.Fatal(err)
	}

	// From here on, act as that HR user.
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "hr-admin", Kind: ballast.KindUser})
	sales, err := svc.CreateDepartment(ctx, hr.DepartmentParams{Name: "Sales"})
	if err != nil {
		log.Fatal(err)
	}
	lead, err := svc.HireEmployee(ctx, hr.EmployeeParams{
		Number: "E001", Name: "Li Na", DepartmentID: sales.ID,
		HireDate: hr.NewDate(2019, 7, 1), HireChannel: hr.ChannelExperienced, KeyPerson: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = svc.HireEmployee(ctx, hr.EmployeeParams{
		Number: "E002", Name: "Wang Fang", DepartmentID: sales.ID, ManagerID: lead.ID,
		HireDate: hr.NewDate(2024, 3, 1), HireChannel: hr.ChannelReferral, ReferrerID: lead.ID,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Bad input is refused with every bad field listed.
	_, err = svc.HireEmployee(ctx, hr.EmployeeParams{Number: "E003", HireChannel: hr.ChannelReferral})
	fmt.Println(err)

	page, err := svc.ListEmployees(ctx, hr.EmployeeFilter{DepartmentID: sales.ID})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range page.Employees {
		fmt.Printf("%s %s hired %s via %s\n", e.Number, e.Name, e.HireDate, e.HireChannel)
	}
	// Output:
	// hr: hire employee: invalid input: name is required; department_id is required; hire_date is required; referrer_id is required for a referral
	// E001 Li Na hired 2019-07-01 via experienced
	// E002 Wang Fang hired 2024-03-01 via referral
}
