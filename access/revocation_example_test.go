package access_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/storage"
)

// Staged revocation of a leaver's access: read the tenant's plan, preview
// a stage, apply the plan's stages for an offboarding case (applying one
// twice changes nothing), then undo the whole case exactly.
func ExampleEnforcer_ApplyStage() {
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
	tenant := ballast.NewID()
	if err := enforcer.SeedTenant(ctx, tenant); err != nil {
		log.Fatal(err)
	}
	setup := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "setup", Kind: ballast.KindSystem})
	for _, g := range [][2]string{{"hejing", access.RoleHR}, {"wangli", access.RoleEmployee}, {"wangli", access.RoleDepartmentHead}} {
		if err := enforcer.GrantRole(setup, g[0], g[1], "hired"); err != nil {
			log.Fatal(err)
		}
	}
	before, _ := enforcer.RulesOf(setup, "wangli")

	// HR runs the offboarding case of wangli.
	hr := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "hejing", Kind: ballast.KindUser})
	plan, err := enforcer.TenantRevocationPlan(hr) // the default: none stored
	if err != nil {
		log.Fatal(err)
	}
	preview, err := enforcer.PreviewStage(hr, "wangli", plan.Stages[2])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stage %q would remove %d rules and disable: %v\n", preview.StageKey, len(preview.Removed), preview.Disabled)

	caseID := ballast.NewID()
	for _, st := range plan.Stages {
		eff, err := enforcer.ApplyStage(hr, caseID, "wangli", st, "resigned")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("applied %s (%s): -%d +%d\n", st.Key, st.Trigger.Kind, len(eff.Removed), len(eff.Added))
	}
	again, _ := enforcer.ApplyStage(hr, caseID, "wangli", plan.Stages[0], "retry")
	fmt.Println("second apply changes nothing:", again.AlreadyApplied)
	fmt.Println("wangli may read customers:", enforcer.Check(tenant, "wangli", "customers:read"))

	restored, err := enforcer.RestoreCase(hr, caseID, "resignation withdrawn")
	if err != nil {
		log.Fatal(err)
	}
	after, _ := enforcer.RulesOf(setup, "wangli")
	fmt.Printf("restored %d stages; rules as before: %v\n", len(restored), fmt.Sprint(before) == fmt.Sprint(after))
	fmt.Println("wangli may read customers:", enforcer.Check(tenant, "wangli", "customers:read"))
	// Output:
	// stage "final" would remove 2 rules and disable: true
	// applied export (on_resignation): -0 +4
	// applied key-accounts (before_last_day): -0 +3
	// applied final (on_completion): -2 +0
	// second apply changes nothing: true
	// wangli may read customers: false
	// restored 3 stages; rules as before: true
	// wangli may read customers: true
}
