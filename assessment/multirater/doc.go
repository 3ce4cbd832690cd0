// Package multirater runs 360 feedback rounds for a review cycle: a
// questionnaire of dimensions and questions on a rating scale, reviewees,
// their raters in groups (self, manager, peer, direct report, other),
// nominations approved by the reviewee's manager, answers collected under
// anonymity thresholds, and reports that compare the self-rating with the
// others' (blind spots, hidden strengths).
//
// HR (PermManage) creates a round with CreateRound: every reviewee's
// self-review, manager (hr's ManagerID, else the department head) and
// direct reports are assigned from the org chart, and each reviewee is
// asked to Nominate peers and others, which their manager approves or
// rejects with DecideNomination (a rater beyond the tenant's load limit, a
// departed employee or the reviewee as their own peer are typed errors).
// OpenRound starts collecting: raters see MyAssignments, SaveDraft and
// Submit before the response deadline. Reconcile, driven by the host,
// reminds raters and approving managers before the deadlines, once each.
// CloseRound freezes the round; only then do Report, Results,
// DimensionScores (the others' score per dimension on 0–100, which the
// assessment core reads for "360 dimension" indicators),
// DimensionScoresMany and CycleDimensionScores (the same for a whole cycle
// in one aggregating query per round) answer.
//
// Anonymity. A submitted response is stored detached from its rater (a
// random ID, no time, no rater for the anonymous groups); no method
// returns a rater's identity together with their answers for an anonymous
// group, not even to HR, and the audit log records submissions without
// answers. A group with fewer submitted responses than its threshold
// (Settings.Thresholds, default 3 for peers, direct reports and others) is
// left out of a report entirely: its scores are not in any mean, its
// comments are not shown. Anonymous comments come without rater, in a
// random order fixed at submission. Reports exist only for closed rounds,
// so no one can compare a report before and after one submission.
//
//	svc, err := multirater.New(multirater.Config{
//		Store: db.Multirater(), Tx: db, Auth: enforcer, Directory: db.HR(),
//		Audit: auditLog, Outbox: outbox, Clock: clock,
//	})
//	r, err := svc.CreateRound(hrCtx, multirater.RoundParams{
//		CycleID: cycleID, Name: "2026 year-end 360", Questionnaire: q,
//		NominationDue: hr.NewDate(2026, 12, 4), ResponseDue: hr.NewDate(2026, 12, 18),
//		Reviewees: []string{wangli, liuqiang},
//	})
//	_, err = svc.Nominate(wangliCtx, multirater.NominateParams{RoundID: r.ID,
//		RevieweeID: wangli, Group: multirater.GroupPeer, RaterIDs: []string{zhaomin, sunqiang, lihua}})
//	...
//	rep, err := svc.Report(wangliCtx, r.ID, wangli) // once closed
package multirater
