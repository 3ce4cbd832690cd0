package training_test

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/training"
)

// Example runs the main flow: HR adds a course and schedules a session of
// 2 seats; three employees enrol (the third is waitlisted) and one cancels,
// which moves the waitlisted one up; after the session HR records
// attendance and exam scores, and the pass earns a certificate.
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
	e := newEnv(nopTB{}, db) // a tenant in Asia/Shanghai with HR, a Sales head and employees
	hrCtx, svc := e.as["hr"], e.svc

	course, err := svc.CreateCourse(hrCtx, training.CourseParams{Code: "NEG-101", Title: "Client negotiation",
		Kind: training.Classroom, Hours: 8, PassMark: 60, Skills: []training.SkillLevel{{Name: "Negotiation", Level: 3}}})
	if err != nil {
		panic(err)
	}
	session, err := svc.ScheduleSession(hrCtx, training.SessionParams{CourseID: course.ID, Date: hr.NewDate(2026, 9, 14),
		Start: "09:00", End: "17:00", Trainer: "Li Na", Location: "Room 3", Capacity: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println("session starts", session.StartsAt.Format("2006-01-02 15:04 UTC"))

	wang, _ := svc.Enrol(e.as["emp"], session.ID, e.emp.ID)   // self-service
	zhao, _ := svc.Enrol(e.as["head"], session.ID, e.emp2.ID) // by the department head
	chen, _ := svc.Enrol(hrCtx, session.ID, e.rd.ID)          // by HR, past capacity
	fmt.Println(wang.Status, zhao.Status, chen.Status)

	if _, err := svc.CancelEnrolment(e.as["emp2"], zhao.ID, "a client visit", zhao.Version); err != nil {
		panic(err)
	}
	chen, _ = svc.Enrolment(hrCtx, chen.ID)
	fmt.Println("after a cancellation:", chen.Status)

	e.clock.Set(session.EndsAt) // the session is over
	if _, err := svc.RecordAttendance(hrCtx, session.ID, []training.Attendance{
		{EnrolmentID: wang.ID, Attended: true}, {EnrolmentID: chen.ID, Attended: true}}); err != nil {
		panic(err)
	}
	scored, err := svc.RecordScores(hrCtx, session.ID, []training.ExamScore{
		{EnrolmentID: wang.ID, Score: 86}, {EnrolmentID: chen.ID, Score: 52}})
	if err != nil {
		panic(err)
	}
	for _, en := range scored {
		fmt.Printf("score %.0f passed %v certificate %v\n", *en.Score, en.Passed, en.CertificateID != "")
	}
	// Output:
	// session starts 2026-09-14 01:00 UTC
	// enrolled enrolled waitlisted
	// after a cancellation: enrolled
	// score 86 passed true certificate true
	// score 52 passed false certificate false
}
