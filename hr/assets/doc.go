// Package assets is the register of company assets issued to employees:
// laptops, phones, keys, business cards, access badges. It records who
// holds what since when, the condition each thing went out and came back
// in, and what was lost, so that an employee's departure (the offboarding
// item-return step, through HeldBy) can account for everything the company
// handed over.
//
//	svc, err := assets.New(assets.Config{
//		Store: db.Assets(), Tx: db, Auth: enforcer, Audit: auditLog,
//		Employees: db.HR(), // the holder must be an employee who has not departed
//	})
//	laptop, err := svc.Register(ctx, assets.Params{Kind: assets.KindLaptop,
//		Name: "ThinkPad X1 #12", Tag: "IT-0012"})
//	laptop, err = svc.Issue(ctx, laptop.ID, assets.IssueParams{Holder: employeeID,
//		On: hr.NewDate(2026, 3, 2)})
//	held, err := svc.HeldBy(ctx, employeeID)       // at the resignation
//	laptop, err = svc.Return(ctx, laptop.ID, assets.ReturnParams{
//		On: hr.NewDate(2026, 11, 27), Condition: assets.ConditionWorn})
//	history, err := svc.History(ctx, laptop.ID)   // one Issuance per hand-over
//
// # Life of an asset
//
// Register puts an asset in stock. Issue hands it to an employee (an asset
// already issued is ErrAlreadyIssued) and opens an Issuance; Return takes it
// back into stock in the condition it came back in and closes the
// Issuance; MarkMissing records a loss (closing the Issuance with a cost
// note when someone held it); Retire writes it off. Lost and retired assets
// cannot be issued (ErrUnavailable).
//
// # Permissions and visibility
//
// Every change needs "assets:write", runs in one transaction and appends to
// audit a field-level diff ("assets.register", "assets.update",
// "assets.issue", "assets.return", "assets.missing", "assets.retire").
// Reading is scoped in the store's query, never by filtering in Go:
// "assets:read" shows the assets one holds (Principal.Subject is the
// employee ID), "assets:read:department" adds those held by employees of
// the departments one heads and their subdepartments, "assets:read:all"
// shows everything, in stock or not. An asset outside the reader's scope is
// ballast.ErrNotFound.
//
// # Errors
//
// Bad fields (an unknown kind or condition, a holder who is not an
// employee of the tenant or has departed, a return dated before the issue)
// are a *ballast.ValidationError listing each of them; ErrDuplicateTag,
// ErrAlreadyIssued, ErrNotIssued and ErrUnavailable match
// ballast.ErrConflict. Nothing is written when a call fails.
package assets
