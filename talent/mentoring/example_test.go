package mentoring_test

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/mentoring"
)

// Example runs the main flow: HR pairs a mentor with a mentee, both log
// their meetings, and at the year's end the mentor's effectiveness is the
// mentee's performance change since the mentorship started, which the
// assessment indicator "mentee improvement" imports.
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
	svc := e.svc

	m, err := svc.Start(e.as["hr"], mentoring.StartParams{MentorID: e.rd.ID, MenteeID: e.emp.ID,
		Goals: []string{"Lead the key-account negotiation"}, Start: hr.NewDate(2026, 1, 1), End: hr.NewDate(2026, 12, 31)})
	if err != nil {
		panic(err)
	}
	// The mentee and the mentor each log a meeting (self-service).
	if _, err := svc.LogMeeting(e.as["emp"], m.ID, mentoring.MeetingParams{Date: hr.NewDate(2026, 3, 12),
		Notes: "Walked through the Q2 pipeline", NextSteps: "Draft the pitch"}); err != nil {
		panic(err)
	}
	if _, err := svc.LogMeeting(e.as["rd"], m.ID, mentoring.MeetingParams{Date: hr.NewDate(2026, 6, 2),
		Notes: "Rehearsed the pitch"}); err != nil {
		panic(err)
	}
	log, _ := svc.Meetings(e.as["emp"], m.ID)
	fmt.Println("meetings:", len(log))

	// Performance history, as assessment finalisation writes it.
	if err := e.hr.RecordPerformance(e.sys, []hr.PerformanceEntry{
		{EmployeeID: e.emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2025H2", Score: 72}},
		{EmployeeID: e.emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H2", Score: 84}},
	}); err != nil {
		panic(err)
	}
	byMentor, err := svc.MenteeImprovements(e.sys, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31))
	if err != nil {
		panic(err)
	}
	fmt.Printf("mentee improvement of the mentor: %+.1f\n", byMentor[e.rd.ID])
	// Output:
	// meetings: 2
	// mentee improvement of the mentor: +12.0
}
