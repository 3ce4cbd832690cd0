// Package offboarding runs an employee's exit as a case of handover steps,
// so that nothing the company owns leaves with them and every step is on
// record.
//
// Resign opens a case from the tenant's Template (DefaultTemplate until it
// sets one): the employee becomes "resigning", the first revocation stage
// of the access plan applies, the employee's customers are snapshotted,
// and every participant is notified through the outbox. The steps then run
// to deadlines relative to the last working day: the customer handover
// (assign, mark handed over, the successor signs with a SHA-256 of exactly
// what was handed over and ownership moves in the same transaction), the
// work report (submitted, approved or returned by the manager in rounds),
// item return (confirmed by the administration), access (the staged
// revocation) and the tenant's custom steps. Reconcile, driven by the host
// with a system principal per tenant, sends reminders before deadlines,
// escalates missed ones and applies date-triggered stages. Complete ends
// the case (account disabled, employee departed); Withdraw cancels it and
// restores the permissions exactly. Report gathers the handover report
// with the integrity check of the customer records.
//
//	svc, err := offboarding.New(offboarding.Config{
//		Store: db.Offboarding(), Tx: db, Auth: enforcer, Access: enforcer,
//		HR: hrSvc, Customers: customerSvc, Assets: assetSvc,
//		Audit: auditLog, Outbox: outbox, Clock: clock,
//	})
//	c, err := svc.Resign(ctx, offboarding.ResignParams{
//		EmployeeID: wangli, Kind: offboarding.ExitVoluntary,
//		SubmittedOn: hr.NewDate(2026, 11, 2), LastDay: hr.NewDate(2026, 11, 30),
//		Successors: []string{zhaomin},
//	})
package offboarding
