// Package training runs a tenant's training: a course catalogue (code,
// title, online or classroom, hours, the skills a course builds and to
// which level, an optional related assessment indicator, a pass mark),
// sessions of a course (a time window in the tenant's zone, trainer,
// location or link, capacity), enrolment with a waitlist, attendance, exam
// scores and certificates, the training effect per course, and skill gaps
// of an employee against a target position with the courses that close
// them.
//
// Who may do what (access's built-in roles grant it):
//   - HR ("talent:manage") edits courses, sessions and the skills a
//     position requires, enrols anyone, records attendance and scores, and
//     reads every report;
//   - a department head ("talent:write:department", "talent:read:department")
//     enrols and cancels for, and reads the gaps of, employees of the
//     departments they head (the department and everything under it);
//   - an employee enrols themselves ("talent:self") and reads the
//     catalogue, their own enrolments, certificates and gaps ("talent:read").
//
// A session's capacity is enforced when enrolling: past it, enrolments go
// on the waitlist and move up, in order, when a seat frees (a cancellation
// or a larger capacity). A certificate (with an id of its own) is issued
// when an enrolment is both attended and scored at or above the course's
// pass mark. The skill levels an enrolment's course builds are snapshotted
// from the employee's hr profile when enrolling, so the effect report can
// set them against today's levels; the performance effect compares the
// hr performance score of the last period ending before the session with
// that of the first period ending after it.
//
// Reminders of upcoming sessions are level-triggered: Reconcile(ctx, now)
// queues one reminder per enrolled participant once the session is within
// Config.RemindDaysBefore days, with an idempotency key, so running it
// again (or concurrently) sends nothing twice.
//
//	svc, err := training.New(training.Config{
//		Store: db.Training(), Tx: db, Auth: enforcer, HR: hrSvc,
//		Audit: auditLog, Outbox: outbox,
//	})
//	course, err := svc.CreateCourse(ctx, training.CourseParams{Code: "NEG-101",
//		Title: "Client negotiation", Kind: training.Classroom, Hours: 8, PassMark: 60,
//		Skills: []training.SkillLevel{{Name: "negotiation", Level: 3}}})
//	session, err := svc.ScheduleSession(ctx, training.SessionParams{CourseID: course.ID,
//		Date: hr.NewDate(2026, 9, 14), Start: "09:00", End: "17:00", Trainer: "Li Na", Capacity: 20})
//	enrolment, err := svc.Enrol(ctx, session.ID, employeeID)
package training
