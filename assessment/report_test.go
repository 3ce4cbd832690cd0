package assessment_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// finalised runs the fixtures' cycle to finalisation: 王丽 and 赵敏
// scored by 刘强, everyone else unscored.
func (e *env) finalised(t *testing.T) assessment.Cycle {
	t.Helper()
	c := e.open(t)
	c, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
	must(t, err)
	for _, tc := range []struct {
		emp                   string
		rev, onTime, lead, tw float64
	}{{"wang", 16, 85, 4, 5}, {"zhao", 24, 96, 5, 5}} {
		emp := map[string]func() assessment.Participant{"wang": func() assessment.Participant { return e.participant(t, c, e.wang) },
			"zhao": func() assessment.Participant { return e.participant(t, c, e.zhao) }}[tc.emp]()
		_, err := e.svc.SaveManagerReview(e.as["head"], emp.ID, []assessment.EntryInput{
			{IndicatorID: e.revenue.ID, Actual: f(tc.rev)}, {IndicatorID: e.onTime.ID, Actual: f(tc.onTime)},
			{IndicatorID: e.leadership.ID, Score: f(tc.lead)}, {IndicatorID: e.teamwork.ID, Score: f(tc.tw)}})
		must(t, err)
		_, err = e.svc.SubmitManagerReview(e.as["head"], emp.ID)
		must(t, err)
	}
	c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
	must(t, err)
	_, err = e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
	must(t, err)
	c, err = e.svc.Cycle(e.as["hr"], c.ID)
	must(t, err)
	return c
}

func TestResult_VisibleToTheEmployeeOnlyOnceFinalised(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		_, err := e.svc.Result(e.as["wang"], wang.ID)
		wantErr(t, "result before finalisation", err, assessment.ErrNotFinalised)
		w, err := e.svc.AppealWindow(e.as["wang"], wang.ID)
		must(t, err)
		wantErr(t, "appeal window before finalisation", w.Err(), assessment.ErrNotFinalised)
		_, err = e.svc.AdjustResult(e.as["hr"], assessment.AdjustParams{ParticipantID: wang.ID, Score: 90, Reason: "early"})
		wantErr(t, "adjust before finalisation", err, assessment.ErrNotFinalised)
		_, err = e.svc.Result(e.as["zhao"], wang.ID)
		wantErr(t, "a colleague's result", err, ballast.ErrNotFound)
	})
}

func TestReports_DepartmentProgressAndDistribution(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.finalised(t)

		rep, err := e.svc.DepartmentReport(e.as["hr"], c.ID, e.sales.ID)
		must(t, err)
		// Sales: 王丽 81.5 (B+), 赵敏 35×100 + 35×100 + 18×100 + 12×100 = 100 (A), 刘强 unscored 0 (D).
		if rep.Participants != 3 || rep.Finalised != 3 || rep.AverageScore != 60.5 || rep.QuantificationRate != 0.7 {
			t.Errorf("sales report = %+v, want 3 finalised, average 60.5, quantification 0.7", rep)
		}
		wantGrades := []assessment.GradeCount{{"A", 1}, {"B+", 1}, {"B", 0}, {"C", 0}, {"D", 1}}
		if diff := cmp.Diff(wantGrades, rep.Grades); diff != "" {
			t.Errorf("sales grades (-want +got):\n%s", diff)
		}
		if rep.Indicators[0].Code != "revenue_growth" || rep.Indicators[0].Average != 60 || rep.Indicators[0].Count != 3 {
			t.Errorf("revenue average = %+v, want 60 over 3 (80, 100, 0)", rep.Indicators[0])
		}
		rnd, err := e.svc.DepartmentReport(e.as["hr"], c.ID, e.rnd.ID)
		must(t, err)
		if rnd.QuantificationRate != 0.6 {
			t.Errorf("R&D quantification rate = %v, want 0.6 (no override)", rnd.QuantificationRate)
		}
		mine, err := e.svc.DepartmentReport(e.as["head"], c.ID, e.sales.ID)
		must(t, err)
		if mine.Participants != 2 {
			t.Errorf("the head's view of Sales covers %d participants, want his 2 reports", mine.Participants)
		}
		_, err = e.svc.DepartmentReport(e.as["wang"], c.ID, e.sales.ID)
		wantErr(t, "an employee reads the department report", err, ballast.ErrForbidden)

		pg, err := e.svc.Progress(e.as["hr"], c.ID)
		must(t, err)
		if pg.Overall.Total != 6 || pg.Overall.ByStatus[assessment.StatusFinalised] != 6 || len(pg.Departments) != 2 {
			t.Errorf("progress = %+v", pg)
		}
		_, err = e.svc.Progress(e.as["head"], c.ID)
		wantErr(t, "a head reads HR's progress", err, ballast.ErrForbidden)

		d, err := e.svc.Distribution(e.as["hr"], c.ID)
		must(t, err)
		wantOverall := []assessment.GradeCount{{"A", 1}, {"B+", 1}, {"B", 0}, {"C", 0}, {"D", 4}}
		if d.Provisional || !cmp.Equal(wantOverall, d.Overall) {
			t.Errorf("distribution = %+v, want final %v", d, wantOverall)
		}
		ps, err := e.svc.Participants(e.as["head"], assessment.ParticipantQuery{CycleID: c.ID})
		must(t, err)
		if len(ps) != 2 {
			t.Errorf("the head lists %d participants, want his 2 reports", len(ps))
		}
		_, err = e.svc.Participants(e.as["wang"], assessment.ParticipantQuery{CycleID: c.ID})
		wantErr(t, "an employee lists participants", err, ballast.ErrForbidden)
	})
}

func TestProgress_CountsByPhase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		e.selfEvaluate(t, "wang", e.participant(t, c, e.wang))
		pg, err := e.svc.Progress(e.as["hr"], c.ID)
		must(t, err)
		want := map[assessment.ParticipantStatus]int{assessment.StatusSelfPending: 5, assessment.StatusSelfSubmitted: 1,
			assessment.StatusManagerSubmitted: 0, assessment.StatusFinalised: 0}
		if diff := cmp.Diff(want, pg.Overall.ByStatus); diff != "" {
			t.Errorf("progress (-want +got):\n%s", diff)
		}
	})
}

func TestFinalise_TakesDimensionScoresFrom360(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		var e *env
		fake := raters{}
		e = newEnv(t, db, func(c *assessment.Config) { c.Raters = fake })
		e.library(t)
		lead360, err := e.svc.CreateIndicator(e.as["hr"], assessment.IndicatorParams{Code: "leadership_360", Name: "360 leadership",
			Kind: assessment.Qualitative, Dimension: "leadership"})
		must(t, err)
		p := e.templateParams()
		p.Categories[1].Items[0].IndicatorID = lead360.ID
		_, err = e.svc.UpdateTemplate(e.as["hr"], e.tpl.ID, p)
		must(t, err)
		_, err = e.svc.PublishTemplate(e.as["hr"], e.tpl.ID, 2)
		must(t, err)
		fake[e.wang.ID] = map[string]float64{"leadership": 90}
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		c, err = e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["head"], wang.ID, []assessment.EntryInput{
			{IndicatorID: e.revenue.ID, Actual: f(16)}, {IndicatorID: e.onTime.ID, Actual: f(85)},
			{IndicatorID: e.teamwork.ID, Score: f(5)}})
		must(t, err)
		_, err = e.svc.SubmitManagerReview(e.as["head"], wang.ID)
		must(t, err) // the 360 indicator needs no manager score
		c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
		must(t, err)
		res, err := e.svc.Result(e.as["wang"], wang.ID)
		must(t, err)
		// 35×0.8 + 35×0.8 + 18×0.9 + 12×1 = 84.2
		if res.Result.Computed != 84.2 || res.Result.Items[2].Score != 90 {
			t.Errorf("result = %v, 360 item %v; want 84.2 with 90 from the 360", res.Result.Computed, res.Result.Items[2].Score)
		}
	})
}
