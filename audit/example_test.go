package audit_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/storage"
)

// Example records a change to an employee in the use case's transaction,
// then verifies the tenant's chain.
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
	auditLog, err := audit.New(audit.Config{Store: db.Audit()})
	if err != nil {
		log.Fatal(err)
	}

	tenant := ballast.NewID()
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "hr-manager", Kind: ballast.KindSystem})

	type employee struct {
		Name  string
		Level int
	}
	before := employee{Name: "Li Na", Level: 3}
	after := employee{Name: "Li Na", Level: 4}
	err = db.InTx(ctx, func(ctx context.Context) error {
		// … the use case's own writes go here, in the same transaction …
		_, err := auditLog.Append(ctx, audit.Record{
			Action:     "hr.employee.update",
			TargetType: "employee",
			TargetID:   ballast.NewID(),
			Reason:     "annual review",
			Changes:    audit.Diff(before, after),
		})
		return err
	})
	if err != nil {
		log.Fatal(err)
	}

	report, err := auditLog.Verify(ctx, tenant)
	if err != nil {
		log.Fatal(err) // errors.Is(err, audit.ErrTampered) when the chain was altered
	}
	entries, err := auditLog.Query(ctx, tenant, audit.Filter{TargetType: "employee"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified entries:", report.Entries)
	for _, e := range entries {
		fmt.Println(e.Seq, e.Actor, e.Action, e.Changes)
	}
	// Output:
	// verified entries: 1
	// 1 hr-manager hr.employee.update [{Level 3 4}]
}
