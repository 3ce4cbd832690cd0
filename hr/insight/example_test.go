package insight_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/storage"
)

// Example finds a dependency cluster: Wang Li referred three of the five
// people in Sales. The analysis names her with its reasons in English and
// Chinese, and draws the department's referral forest as SVG.
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
	svc, err := insight.New(insight.Config{Store: db.Insight(), Auth: enforcer})
	if err != nil {
		log.Fatal(err)
	}

	// A tenant with a Sales department, set up by the platform.
	platform := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: "platform", Subject: "signup", Kind: ballast.KindSystem})
	tenant, err := people.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai"})
	if err != nil {
		log.Fatal(err)
	}
	system := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "signup", Kind: ballast.KindSystem})
	sales, err := people.CreateDepartment(system, hr.DepartmentParams{Name: "Sales"})
	if err != nil {
		log.Fatal(err)
	}
	hire := func(number, name, referrer string) string {
		p := hr.EmployeeParams{Number: number, Name: name, DepartmentID: sales.ID,
			HireDate: hr.NewDate(2022, 3, 1), HireChannel: hr.ChannelExperienced}
		if referrer != "" {
			p.HireChannel, p.ReferrerID = hr.ChannelReferral, referrer
		}
		e, err := people.HireEmployee(system, p)
		if err != nil {
			log.Fatal(err)
		}
		return e.ID
	}
	wang := hire("S01", "王丽", "")
	hire("S02", "赵敏", wang)
	hire("S03", "张磊", wang)
	hire("S04", "孙悦", wang)
	hire("S05", "李强", "")

	// HR holds analytics:read.
	if err := enforcer.GrantRole(system, "hr-user", access.RoleHR, "example"); err != nil {
		log.Fatal(err)
	}
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "hr-user", Kind: ballast.KindUser})
	a, err := svc.Analyze(ctx, insight.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range a.Clusters() {
		fmt.Printf("%s is a cluster: %s referred %d of %d\n", d.Department.Name, d.TopReferrer.Name, d.TopReferrer.Referred, d.Members)
		for _, p := range d.People {
			fmt.Println(p.Name+":", p.Summary.En, "/", p.Summary.ZhCN)
		}
	}
	forest, err := svc.DepartmentForest(ctx, sales.ID, insight.Options{})
	if err != nil {
		log.Fatal(err)
	}
	var svg strings.Builder
	if err := insight.RenderSVG(&svg, forest.Roots, insight.SVGOptions{Title: "Sales"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("key referrers drawn:", strings.Count(svg.String(), `class="node key"`),
		"cluster members drawn:", strings.Count(svg.String(), `class="node cluster"`))
	// Output:
	// Sales is a cluster: 王丽 referred 3 of 5
	// 王丽: referred 3 of 5 members / 推荐了5名成员中的3名
	// key referrers drawn: 1 cluster members drawn: 3
}
