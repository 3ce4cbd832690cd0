// Package appeal lets an employee object to an outcome another package
// decided about them — an assessment result or one of its indicators, a
// talent pipeline review — and gets the objection answered on the record.
//
// The package does not know what it is appealing. Each kind of subject is
// registered in Config.Subjects with a Subject, implemented by the owner
// (usually a small adapter in the host), that says who owns a subject, who
// answers, until when it may be appealed, which items may be contested and
// what they say now (Target), and that applies an adjusted outcome in the
// decision's transaction (Adjust).
//
// An appeal is filed by the subject's owner within its window, on the
// whole subject or one item, with a reason; one appeal per subject and
// item may be pending at a time. The employee, HR (the kind's
// ManagePermission) and the subject's manager reply in a thread. HR takes
// the appeal under review and decides it: upheld, or adjusted with a new
// outcome that Subject.Adjust applies atomically, with the old and new
// outcome and the reason on the audit chain; the employee may withdraw it
// while it is pending. Each appeal must be decided by a due day (the
// tenant's Settings.ReplyDays after filing, movable by HR with SetDueOn);
// Reconcile reminds the answerers before it and escalates after it, once
// each. Mine, ToAnswer and All list an employee's appeals, those a manager
// or HR handler answers, and every appeal of the kinds one manages, in
// keyset pages.
//
//	svc, err := appeal.New(appeal.Config{
//		Store: db.Appeals(), Tx: db, Auth: enforcer, Tenants: hrSvc,
//		Audit: auditLog, Outbox: outbox, Clock: clock,
//		Subjects: map[string]appeal.SubjectKind{
//			"assessment.result": {Subject: resultAdapter}, // assessment:self / assessment:manage
//		},
//	})
//	a, err := svc.File(employeeCtx, appeal.FileParams{Kind: "assessment.result",
//		SubjectID: resultID, Item: "revenue_growth", Reason: "the Q2 orders were booked late"})
//	_, err = svc.Reply(managerCtx, a.ID, "the orders were booked on 3 July")
//	a, err = svc.Decide(hrCtx, appeal.DecideParams{AppealID: a.ID, Result: appeal.ResultAdjusted,
//		After: appeal.Outcome{Score: appeal.Score(85)}, Reason: "orders confirmed in June", Version: a.Version})
package appeal
