package assessment_test

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// The collaborators the Service declares are satisfied by the real ones.
var (
	_ assessment.Authorizer = (*access.Enforcer)(nil)
	_ assessment.Employees  = (*hr.Service)(nil)
	_ assessment.Auditor    = (*audit.Log)(nil)
	_ assessment.Outbox     = (*notify.Outbox)(nil)
	_ assessment.Store      = (*storage.DB)(nil).Assessment()
)

// Example runs a mid-year cycle on an in-memory database: HR opens it on a
// published template, 王丽 evaluates herself, her manager 刘强 scores her
// (actuals for the quantitative indicators, ratings for the others), HR
// finalises, and the rating lands in her performance history.
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
	e := newEnv(nopTB{}, db)
	e.library(nopTB{}) // four indicators; results 60 / competencies 40, Sales 70 / 30
	hrc, svc := e.as["hr"], e.svc

	c, err := svc.CreateCycle(hrc, assessment.CycleParams{Name: "2026 mid-year", Kind: assessment.MidYear,
		Period:     assessment.Period{Label: "2026H1", Start: hr.NewDate(2026, 1, 1), End: hr.NewDate(2026, 6, 30)},
		Selection:  assessment.Selection{DepartmentIDs: []string{e.sales.ID}},
		TemplateID: e.tpl.ID,
		Deadlines: assessment.Deadlines{SelfEvaluation: hr.NewDate(2026, 7, 10), ManagerReview: hr.NewDate(2026, 7, 20),
			Calibration: hr.NewDate(2026, 7, 25), AppealUntil: hr.NewDate(2026, 8, 5)},
	})
	if err != nil {
		panic(err)
	}
	c, _ = svc.OpenCycle(hrc, c.ID, c.Version)
	fmt.Println(c.State, "with", c.Participants, "participants on template version", c.TemplateVersion)

	tasks, _ := svc.MyTasks(e.as["wang"])
	me := tasks[0].ParticipantID
	_, _ = svc.SaveSelfEvaluation(e.as["wang"], me, []assessment.EntryInput{
		{IndicatorID: e.revenue.ID, Score: f(80), Comment: "grew 16% in the east"},
		{IndicatorID: e.onTime.ID, Score: f(90)},
		{IndicatorID: e.leadership.ID, Score: f(4), Evidence: []assessment.Evidence{
			{Kind: assessment.EvidenceLink, URL: "https://wiki.example.com/east-team"}}},
		{IndicatorID: e.teamwork.ID, Score: f(4)},
	})
	if _, err := svc.SubmitSelfEvaluation(e.as["wang"], me); err != nil {
		panic(err)
	}

	c, _ = svc.StartManagerReview(hrc, c.ID, c.Version)
	_, _ = svc.SaveManagerReview(e.as["head"], me, []assessment.EntryInput{
		{IndicatorID: e.revenue.ID, Actual: f(16), Comment: "16% against a 20% target"},
		{IndicatorID: e.onTime.ID, Actual: f(85)},
		{IndicatorID: e.leadership.ID, Score: f(4)},
		{IndicatorID: e.teamwork.ID, Score: f(5)},
	})
	if _, err := svc.SubmitManagerReview(e.as["head"], me); err != nil {
		panic(err)
	}

	c, _ = svc.StartCalibration(hrc, c.ID, c.Version)
	if _, err := svc.FinaliseWith(hrc, c.ID, c.Version, assessment.FinaliseOptions{AllowIncomplete: true, Reason: "the other reviews were not scored"}); err != nil {
		panic(err)
	}
	res, _ := svc.Result(e.as["wang"], me)
	for _, it := range res.Result.Items {
		fmt.Printf("%-15s weight %4.1f score %5.1f\n", it.Code, it.Weight, it.Score)
	}
	fmt.Println("score", res.Result.Score, "grade", res.Result.Grade, "strengths", res.Result.Strengths, "gaps", res.Result.Gaps)
	profile, _ := e.hr.Profile(e.sys, e.wang.ID)
	fmt.Println("history:", profile.Performance[0].Period, profile.Performance[0].Grade)
	// Output:
	// open with 3 participants on template version 1
	// revenue_growth  weight 35.0 score  80.0
	// on_time         weight 35.0 score  80.0
	// leadership      weight 18.0 score  75.0
	// teamwork        weight 12.0 score 100.0
	// score 81.5 grade B+ strengths [teamwork] gaps [leadership revenue_growth on_time]
	// history: 2026H1 B+
}
