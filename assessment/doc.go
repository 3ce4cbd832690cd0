// Package assessment runs performance reviews on weighted indicators:
// the library of indicators each tenant keeps, versioned templates that
// weight them, a grade scale, and review cycles from self-evaluation to a
// final, appealable result written into hr's performance history.
//
// Indicators are quantitative (an actual mapped to a 0–100 score by a
// ratio to target with a cap, or by bands, higher or lower being better)
// or qualitative (a rating on an anchored scale, or a 360 dimension whose
// score comes from Config.Raters). A Template groups them into categories
// whose weights, and the item weights inside each, sum to 100; a
// department may override the category weights. Publishing freezes a
// version, and a cycle keeps the version it opened with.
//
// A Cycle moves draft → open → manager_review → calibration → finalised
// → closed by explicit calls. OpenCycle materialises the participants its
// Selection matches, snapshots each one's manager and queues their tasks
// through the outbox. Employees save and submit their self-evaluation
// (hidden from the manager until submitted; refused after the deadline
// unless HR reopens it); managers score the reviews of the people they
// manage, never their own; actuals are entered or imported from CSV.
// Calibration lets HR adjust a score with a reason and shows the grade
// distribution per department. Finalise computes every result in bulk
// (weighted sum, grade, strengths and gaps) and records the period's
// rating in hr's performance history in the same transaction.
// AdjustResult changes a finalised result for an appeal, keeping the
// original beside it. Reconcile, driven by the host with a system
// principal per tenant, reminds before each deadline and escalates after.
//
//	svc, err := assessment.New(assessment.Config{
//		Store: db.Assessment(), Tx: db, Auth: enforcer, HR: hrSvc,
//		Audit: auditLog, Outbox: outbox, Raters: multiraterSvc, Clock: clock,
//	})
//	c, err := svc.CreateCycle(ctx, assessment.CycleParams{
//		Name: "2026 mid-year", Kind: assessment.MidYear,
//		Period:     assessment.Period{Label: "2026H1", Start: hr.NewDate(2026, 1, 1), End: hr.NewDate(2026, 6, 30)},
//		Selection:  assessment.Selection{DepartmentIDs: []string{sales}},
//		TemplateID: tpl.ID, Deadlines: deadlines,
//	})
//	c, err = svc.OpenCycle(ctx, c.ID, c.Version)
package assessment
