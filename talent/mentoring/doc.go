// Package mentoring keeps a tenant's mentorships: a mentor, a mentee, the
// goals they agreed, a start and a planned end, a status, and the log of
// their meetings (date, notes, next steps); and it measures mentors by
// their mentees' improvement, which the assessment indicator "mentee
// improvement" imports (Service.MenteeImprovements).
//
// Who may do what (access's built-in roles grant it):
//   - HR ("talent:manage") starts, changes and closes any mentorship and
//     reads everything, including the effectiveness report;
//   - a department head ("talent:write:department", "talent:read:department")
//     does the same for mentees of the departments they head;
//   - a mentor or mentee with "talent:self" logs meetings of their own
//     mentorship, and with "talent:read" reads it.
//
// A mentee's improvement is the change of their hr performance score from
// the last period ending before the mentorship started to the latest
// period ending after it started and on or before the end of the period
// asked about; a mentor's effectiveness is the average over their mentees
// who have both scores.
//
//	svc, err := mentoring.New(mentoring.Config{Store: db.Mentoring(), Tx: db,
//		Auth: enforcer, HR: hrSvc, Audit: auditLog, Outbox: outbox})
//	m, err := svc.Start(ctx, mentoring.StartParams{MentorID: mentorID, MenteeID: menteeID,
//		Goals: []string{"Lead the key-account negotiation"},
//		Start: hr.NewDate(2026, 3, 1), End: hr.NewDate(2026, 12, 31)})
//	_, err = svc.LogMeeting(ctx, m.ID, mentoring.MeetingParams{Date: hr.NewDate(2026, 3, 12),
//		Notes: "Walked through the Q2 pipeline", NextSteps: "Draft the pitch"})
//	byMentor, err := svc.MenteeImprovements(ctx, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31))
package mentoring
