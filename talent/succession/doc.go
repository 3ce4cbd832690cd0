// Package succession plans who takes over the critical positions.
//
// Critical positions are hr positions with Critical set; their incumbents
// are the employees holding them who have not departed. For each critical
// position HR (talent:manage), or the head of its department
// (talent:write:department), names successors with a readiness from the
// tenant's scale (by default ready now, ready in 1–2 years, ready in 3–5
// years; HR edits it with SetScale), a rank, at most one emergency
// successor, notes and a development-plan reference. Every readiness
// change keeps its reason in the successor's history, and every change is
// audited.
//
// Bad input is refused with nothing changed: the incumbent
// (ErrIncumbent), a departed employee (ErrDeparted), a readiness outside
// the scale (ErrUnknownReadiness), the same employee twice on a position
// (ErrDuplicate), a second emergency successor (ErrEmergencyTaken), and
// field errors as *ballast.ValidationError.
//
// Reports: PositionReport ("Zhang San, sales supervisor, score 90, ready
// in about 6 months" — see SuccessorLine.Summary), Coverage (share of
// critical positions with a ready-now successor, those with none,
// employees named on several positions, incumbents who are a flight risk)
// computed by aggregations in the database, and NineBox: performance
// (from hr's performance history, thresholds in BoxOptions) against the
// potential HR or department heads rate with RatePotential, drawn by
// WriteSVG.
//
//	svc, err := succession.New(succession.Config{
//		Store: db.Succession(), Tx: db, Auth: enforcer, HR: hrSvc, Audit: auditLog,
//	})
//	s, err := svc.AddSuccessor(ctx, succession.SuccessorParams{
//		PositionID: director.ID, EmployeeID: zhang.ID, Readiness: succession.Ready1To2Years,
//	})
//	cov, err := svc.Coverage(ctx)
package succession
