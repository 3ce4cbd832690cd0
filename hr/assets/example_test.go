package assets_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/storage"
)

// Example registers a laptop, issues it to an employee, lists what the
// employee holds (as the offboarding item-return step does) and takes it
// back.
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
	people, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enforcer, Audit: auditLog})
	if err != nil {
		log.Fatal(err)
	}
	register, err := assets.New(assets.Config{Store: db.Assets(), Tx: db, Auth: enforcer, Audit: auditLog, Employees: db.HR()})
	if err != nil {
		log.Fatal(err)
	}

	platform := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: "platform", Subject: "signup", Kind: ballast.KindSystem})
	tenant, err := people.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	if err != nil {
		log.Fatal(err)
	}
	system := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "signup", Kind: ballast.KindSystem})
	if err := enforcer.GrantRole(system, "hr-admin", access.RoleHR, "first hr user"); err != nil {
		log.Fatal(err)
	}
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "hr-admin", Kind: ballast.KindUser})
	sales, err := people.CreateDepartment(ctx, hr.DepartmentParams{Name: "销售部"})
	if err != nil {
		log.Fatal(err)
	}
	wang, err := people.HireEmployee(ctx, hr.EmployeeParams{Number: "S001", Name: "王丽", DepartmentID: sales.ID,
		HireDate: hr.NewDate(2016, 4, 1), HireChannel: hr.ChannelExperienced})
	if err != nil {
		log.Fatal(err)
	}

	laptop, err := register.Register(ctx, assets.Params{Kind: assets.KindLaptop, Name: "ThinkPad X1 #12", Tag: "IT-0012"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := register.Issue(ctx, laptop.ID, assets.IssueParams{Holder: wang.ID, On: hr.NewDate(2026, 3, 2)}); err != nil {
		log.Fatal(err)
	}
	// Issuing it twice is refused.
	_, err = register.Issue(ctx, laptop.ID, assets.IssueParams{Holder: wang.ID, On: hr.NewDate(2026, 3, 3)})
	fmt.Println(errors.Is(err, assets.ErrAlreadyIssued))

	held, err := register.HeldBy(ctx, wang.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range held {
		fmt.Printf("%s holds %s (%s) since %s\n", wang.Name, a.Name, a.Tag, a.IssuedOn)
	}
	back, err := register.Return(ctx, laptop.ID, assets.ReturnParams{On: hr.NewDate(2026, 11, 27), Condition: assets.ConditionWorn})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Status, back.Condition, back.ReturnedOn)
	// Output:
	// true
	// 王丽 holds ThinkPad X1 #12 (IT-0012) since 2026-03-02
	// in_stock worn 2026-11-27
}
