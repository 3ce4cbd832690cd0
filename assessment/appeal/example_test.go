package appeal_test

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// The collaborators the Service declares are satisfied by the real ones.
var (
	_ appeal.Authorizer = (*access.Enforcer)(nil)
	_ appeal.Tenants    = (*hr.Service)(nil)
	_ appeal.Auditor    = (*audit.Log)(nil)
	_ appeal.Outbox     = (*notify.Outbox)(nil)
	_ appeal.Store      = (*storage.DB)(nil).Appeals()
)

// Example files an appeal against one indicator of a review result,
// answers it in the thread and adjusts the score, on an in-memory
// database. The result itself is owned by a Subject (here a fake standing
// for assessment).
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
	employee, manager, hrCtx := e.as["emp"], e.as["mgr"], e.as["hr"]

	a, err := e.svc.File(employee, appeal.FileParams{Kind: "assessment.result", SubjectID: "res-emp",
		Item: "revenue", Reason: "the Q2 orders were booked in July by mistake"})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Status, "on", a.ItemTitle, "score", *a.Before.Score, "due", a.DueOn)

	_, _ = e.svc.Reply(manager, a.ID, "The contracts were signed on 28 June.")
	a, _ = e.svc.StartReview(hrCtx, a.ID, a.Version)
	a, err = e.svc.Decide(hrCtx, appeal.DecideParams{AppealID: a.ID, Result: appeal.ResultAdjusted,
		After: appeal.Outcome{Score: appeal.Score(75)}, Reason: "orders confirmed in June", Version: a.Version})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Status, a.Result, *a.Before.Score, "→", *a.After.Score)

	thread, _ := e.svc.Thread(employee, a.ID)
	for _, m := range thread {
		fmt.Println(m.Role+":", m.Body)
	}
	// Output:
	// open on Team revenue growth score 60 due 2026-07-25
	// decided adjusted 60 → 75
	// manager: The contracts were signed on 28 June.
}
