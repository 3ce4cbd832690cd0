package offboarding_test

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

// The collaborators the Service declares are satisfied by the real ones.
var (
	_ offboarding.Revoker    = (*access.Enforcer)(nil)
	_ offboarding.Authorizer = (*access.Enforcer)(nil)
	_ offboarding.Employees  = (*hr.Service)(nil)
	_ offboarding.Customers  = (*customers.Service)(nil)
	_ offboarding.Assets     = (*assets.Service)(nil)
	_ offboarding.Auditor    = (*audit.Log)(nil)
	_ offboarding.Outbox     = (*notify.Outbox)(nil)
	_ offboarding.Store      = (*storage.DB)(nil).Offboarding()
)

// Example runs a resignation from the resignation to the signed customer
// handover, on an in-memory database.
func Example() {
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		panic(err)
	}
	e := newEnv(nopTB{}, db)
	c := e.customer(nopTB{}, "华东机械", e.leaver)

	kase, err := e.svc.Resign(e.as["hr"], offboarding.ResignParams{EmployeeID: e.leaver.ID, Kind: offboarding.ExitVoluntary,
		SubmittedOn: hr.NewDate(2026, 11, 2), LastDay: hr.NewDate(2026, 11, 30), Successors: []string{e.succ1.ID}})
	if err != nil {
		panic(err)
	}
	steps, _ := e.svc.Steps(e.as["hr"], kase.ID)
	for _, s := range steps {
		fmt.Println(s.Key, "due", s.DueOn)
	}
	_ = e.svc.AssignCustomers(e.as["hr"], kase.ID, map[string]string{c.ID: e.succ1.ID})
	_ = e.svc.MarkHandedOver(e.as["leaver"], kase.ID, []string{c.ID}, "introduced to 张经理")
	content, _ := e.svc.PrepareHandover(e.as["succ1"], kase.ID, e.succ1.ID)
	sig, err := e.svc.SignHandover(e.as["succ1"], offboarding.SignParams{CaseID: kase.ID, Signer: e.succ1.ID,
		Hash: content.Hash, ClientIP: "10.0.0.7"})
	if err != nil {
		panic(err)
	}
	now, _ := e.customers.Get(e.sys, c.ID)
	fmt.Println("signed:", len(sig.ContentHash) == 64, "new owner is the successor:", now.OwnerID == e.succ1.ID)
	_ = ballast.ErrConflict
	// Output:
	// customers due 2026-11-27
	// work due 2026-11-27
	// items due 2026-11-30
	// access due 2026-11-30
	// signed: true new owner is the successor: true
}
