package customers_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/storage"
)

// Example wires the customer service beside hr, lets a salesperson record a
// customer, finds it by a Chinese substring, and shows that another
// salesperson cannot see it.
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
	hrSvc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enforcer, Audit: auditLog})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := customers.New(customers.Config{Store: db.Customers(), Tx: db, Auth: enforcer, Audit: auditLog,
		Employees: db.HR(), Departments: db.HR(), Tenants: db.HR()})
	if err != nil {
		log.Fatal(err)
	}

	platform := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: "platform", Subject: "signup", Kind: ballast.KindSystem})
	tenant, err := hrSvc.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN})
	if err != nil {
		log.Fatal(err)
	}
	sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "setup", Kind: ballast.KindSystem})
	sales, _ := hrSvc.CreateDepartment(sys, hr.DepartmentParams{Name: "销售部"})
	hire := func(number, name string) context.Context {
		e, err := hrSvc.HireEmployee(sys, hr.EmployeeParams{Number: number, Name: name, DepartmentID: sales.ID,
			HireDate: hr.NewDate(2020, 3, 2), HireChannel: hr.ChannelCampus})
		if err != nil {
			log.Fatal(err)
		}
		if err := enforcer.GrantRole(sys, e.ID, access.RoleEmployee, "new hire"); err != nil {
			log.Fatal(err)
		}
		return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: e.ID, Kind: ballast.KindUser})
	}
	wangli, zhaomin := hire("S001", "王丽"), hire("S002", "赵敏")

	_, err = svc.Create(wangli, customers.Params{Name: "深圳华为技术有限公司", Tier: customers.TierKey,
		AnnualValueCents: 120_000_000, Contacts: []customers.Contact{{Name: "张三丰", Role: "采购总监"}}})
	if err != nil {
		log.Fatal(err)
	}
	mine, _ := svc.List(wangli, customers.Filter{Query: "三丰"})
	theirs, _ := svc.List(zhaomin, customers.Filter{Query: "华为"})
	fmt.Println(len(mine.Customers), mine.Customers[0].Name)
	fmt.Println(len(theirs.Customers))
	// Output:
	// 1 深圳华为技术有限公司
	// 0
}
