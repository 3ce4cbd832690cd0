package assessment_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// TestCycle_FromSelfEvaluationToAppeal runs one cycle end to end: the
// weighted score with the Sales override, grades, strengths and gaps,
// calibration, the performance history write-back, an appeal adjustment
// that keeps the original, and the closed cycle refusing more.
func TestCycle_FromSelfEvaluationToAppeal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		if c.State != assessment.CycleOpen || c.TemplateVersion != 1 || c.Participants != 6 {
			t.Fatalf("opened cycle = %s v%d with %d participants, want open v1 with 6", c.State, c.TemplateVersion, c.Participants)
		}
		wang, chen, head := e.participant(t, c, e.wang), e.participant(t, c, e.chen), e.participant(t, c, e.head)
		if wang.ManagerID != e.head.ID || chen.ManagerID != e.rdHead.ID || head.ManagerID != "" {
			t.Errorf("managers: wang %q chen %q head %q; want 刘强, 李工 (head of R&D), none", wang.ManagerID, chen.ManagerID, head.ManagerID)
		}

		e.clock.Set(shanghai(hr.NewDate(2026, 7, 5)))
		e.selfEvaluate(t, "wang", wang)
		_, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		c, err = e.svc.Cycle(e.as["hr"], c.ID)
		must(t, err)

		_, err = e.svc.SaveManagerReview(e.as["head"], wang.ID, []assessment.EntryInput{
			{IndicatorID: e.revenue.ID, Actual: f(16), Comment: "16% against 20%"},
			{IndicatorID: e.onTime.ID, Actual: f(85)},
			{IndicatorID: e.leadership.ID, Score: f(4), Comment: "leads the east team"},
			{IndicatorID: e.teamwork.ID, Score: f(5)},
		})
		must(t, err)
		_, err = e.svc.SubmitManagerReview(e.as["head"], wang.ID)
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["rdHead"], chen.ID, []assessment.EntryInput{
			{IndicatorID: e.revenue.ID, Actual: f(30)}, {IndicatorID: e.onTime.ID, Actual: f(50)},
			{IndicatorID: e.leadership.ID, Score: f(3)}, {IndicatorID: e.teamwork.ID, Score: f(3)},
		})
		must(t, err)

		c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.Calibrate(e.as["hr"], chen.ID, 62, "delivered the platform migration the indicators miss")
		must(t, err)
		d, err := e.svc.Distribution(e.as["hr"], c.ID)
		must(t, err)
		if !d.Provisional || len(d.Departments) != 2 {
			t.Errorf("distribution = %+v, want provisional over 2 departments", d)
		}

		rep, err := e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
		must(t, err)
		if rep.Participants != 6 || rep.Incomplete != 4 {
			t.Errorf("finalise report = %+v, want 6 participants, 4 incomplete", rep)
		}
		res, err := e.svc.Result(e.as["wang"], wang.ID)
		must(t, err)
		got := res.Result
		if got.Computed != 81.5 || got.Score != 81.5 || got.Grade != "B+" {
			t.Errorf("wang: computed %v score %v grade %q, want 81.5 81.5 B+", got.Computed, got.Score, got.Grade)
		}
		if diff := cmp.Diff([]string{"teamwork"}, got.Strengths); diff != "" {
			t.Errorf("strengths (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"leadership", "revenue_growth", "on_time"}, got.Gaps); diff != "" {
			t.Errorf("gaps (-want +got):\n%s", diff)
		}
		wantItems := []float64{80, 80, 75, 100}
		wantWeights := []float64{35, 35, 18, 12}
		for i, it := range got.Items {
			if it.Score != wantItems[i] || it.Weight != wantWeights[i] {
				t.Errorf("item %s: score %v weight %v, want %v %v", it.Code, it.Score, it.Weight, wantItems[i], wantWeights[i])
			}
		}
		if got.Items[0].Comment != "16% against 20%" {
			t.Errorf("manager comment = %q", got.Items[0].Comment)
		}
		cr, err := e.svc.Result(e.as["chen"], chen.ID)
		must(t, err)
		if cr.Result.Computed != 50 || cr.Result.Score != 62 || cr.Result.Grade != "C" {
			t.Errorf("chen: computed %v score %v grade %q, want 50 62 C (calibrated)", cr.Result.Computed, cr.Result.Score, cr.Result.Grade)
		}
		prof, err := e.hr.Profile(e.sys, e.wang.ID)
		must(t, err)
		wantPerf := []hr.PerformanceRecord{{Period: "2026H1", PeriodEnd: hr.NewDate(2026, 6, 30), Score: 81.5, Grade: "B+", Source: "assessment", CycleID: c.ID}}
		if diff := cmp.Diff(wantPerf, prof.Performance); diff != "" {
			t.Errorf("performance history (-want +got):\n%s", diff)
		}

		w, err := e.svc.AppealWindow(e.as["wang"], wang.ID)
		must(t, err)
		if !w.Open || w.Err() != nil {
			t.Errorf("appeal window = %+v, want open", w)
		}
		appeal := ballast.NewID()
		_, err = e.svc.AdjustResult(e.as["hr"], assessment.AdjustParams{ParticipantID: wang.ID, IndicatorID: e.leadership.ID,
			Score: 100, Reason: "the east team's promotions were missed", AppealID: appeal})
		must(t, err)
		res, err = e.svc.Result(e.as["wang"], wang.ID)
		must(t, err)
		if res.Result.Score != 86 || res.Result.Grade != "B+" || res.Result.Computed != 86 || !res.Result.Items[2].Adjusted {
			t.Errorf("adjusted result = %+v, want score 86 B+, computed 86 (the indicator adjustment moves it), leadership adjusted", res.Result)
		}
		if len(res.Adjustments) != 1 || res.Adjustments[0].Before != 75 || res.Adjustments[0].After != 100 ||
			res.Adjustments[0].ScoreBefore != 81.5 || res.Adjustments[0].AppealID != appeal {
			t.Errorf("adjustments = %+v", res.Adjustments)
		}
		prof, err = e.hr.Profile(e.sys, e.wang.ID)
		must(t, err)
		if len(prof.Performance) != 1 || prof.Performance[0].Score != 86 {
			t.Errorf("performance after appeal = %+v, want 86", prof.Performance)
		}

		// Calibration, finalisation and the adjustment are on the audit chain
		// with their reasons.
		_, err = e.log.Sequence(e.sys, e.tenant)
		must(t, err)
		for _, tc := range []struct{ participant, action, reason string }{
			{chen.ID, assessment.ActionCalibrate, "delivered the platform migration the indicators miss"},
			{chen.ID, assessment.ActionFinalise, "2026H1"},
			{wang.ID, assessment.ActionAdjust, "appeal " + appeal + ": the east team's promotions were missed"},
		} {
			entries, err := e.log.Query(e.sys, e.tenant, audit.Filter{TargetType: assessment.TargetParticipant,
				TargetID: tc.participant, Action: tc.action})
			must(t, err)
			if len(entries) != 1 || entries[0].Reason != tc.reason {
				t.Errorf("audit %s of %s = %+v, want one with reason %q", tc.action, tc.participant, entries, tc.reason)
			}
		}

		c, err = e.svc.Cycle(e.as["hr"], c.ID)
		must(t, err)
		_, err = e.svc.CloseCycle(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.AdjustResult(e.as["hr"], assessment.AdjustParams{ParticipantID: wang.ID, Score: 90, Reason: "late"})
		wantErr(t, "adjust a closed cycle", err, assessment.ErrCycleClosed)
		w, err = e.svc.AppealWindow(e.as["wang"], wang.ID)
		must(t, err)
		wantErr(t, "appeal window of a closed cycle", w.Err(), assessment.ErrCycleClosed)
	})
}
