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

// Grant a role, check a permission and explain the decision.
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

	tenant := ballast.NewID()
	if err := enforcer.SeedTenant(ctx, tenant); err != nil {
		log.Fatal(err)
	}
	admin := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "setup", Kind: ballast.KindSystem})
	if err := enforcer.GrantRole(admin, "hejing", access.RoleHR, "joined the HR team"); err != nil {
		log.Fatal(err)
	}
	if err := enforcer.DenyPermission(admin, "hejing", "customers:export", "pending audit"); err != nil {
		log.Fatal(err)
	}

	hejing := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "hejing", Kind: ballast.KindUser})
	fmt.Println("employees:write:", enforcer.Authorize(hejing, "employees:write") == nil)
	fmt.Println("customers:export:", enforcer.Authorize(hejing, "customers:export") == nil)

	for _, perm := range []string{"org:read", "customers:export"} {
		d, err := enforcer.Explain(admin, tenant, "hejing", perm)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %v, %s\n", perm, d.Allowed, d.Reason)
	}
	// Output:
	// employees:write: true
	// customers:export: false
	// org:read: true, granted by role employee (inherited through hr)
	// customers:export: false, denied by a rule held directly; a deny rule overrides every grant
}
