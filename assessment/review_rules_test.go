package assessment_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// H3 review: a draft self-evaluation must stay hidden from the manager
// until the employee submits it, also after the manager submitted.
func TestReview_DraftSelfEvaluationStaysHiddenAfterManagerSubmits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.participant(t, c, e.wang)
		_, err := e.svc.SaveSelfEvaluation(e.as["wang"], p.ID, []assessment.EntryInput{{IndicatorID: e.revenue.ID, Score: f(99), Comment: "private draft"}})
		must(t, err)
		c, err = e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["head"], p.ID, []assessment.EntryInput{
			{IndicatorID: e.revenue.ID, Score: f(70)}, {IndicatorID: e.onTime.ID, Score: f(70)},
			{IndicatorID: e.leadership.ID, Score: f(3)}, {IndicatorID: e.teamwork.ID, Score: f(4)}})
		must(t, err)
		_, err = e.svc.SubmitManagerReview(e.as["head"], p.ID)
		must(t, err)
		r, err := e.svc.Review(e.as["head"], p.ID)
		must(t, err)
		if len(r.Self) != 0 {
			t.Errorf("the manager sees the unsubmitted self-evaluation draft: %+v", r.Self)
		}
	})
}

// H3 review: RecordActuals listing the same participant and indicator
// twice must be a validation error on every backend.
func TestReview_RecordActualsDuplicatePairIsInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.participant(t, c, e.wang)
		_, err := e.svc.RecordActuals(e.as["hr"], c.ID, []assessment.Actual{
			{ParticipantID: p.ID, IndicatorID: e.revenue.ID, Value: 10},
			{ParticipantID: p.ID, IndicatorID: e.revenue.ID, Value: 20}})
		if !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("duplicate actuals: error = %v, want ErrInvalid", err)
		}
	})
}

// H3 review: HR may not calibrate their own result (as a manager may not
// score their own review).
func TestReview_HRCannotCalibrateOwnResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.participant(t, c, e.hrP)
		c, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.Calibrate(e.as["hr"], p.ID, 100, "I deserve it")
		if !errors.Is(err, ballast.ErrForbidden) && !errors.Is(err, assessment.ErrOwnReview) {
			t.Errorf("HR calibrating their own result: error = %v, want forbidden", err)
		}
	})
}

// HR sees a self-evaluation only once submitted; the employee always sees
// their own draft.
func TestReview_SelfEvaluationDraftIsPrivateToTheEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.participant(t, c, e.wang)
		_, err := e.svc.SaveSelfEvaluation(e.as["wang"], p.ID, []assessment.EntryInput{{IndicatorID: e.revenue.ID, Score: f(99), Comment: "private draft"}})
		must(t, err)
		for _, tc := range []struct {
			who  string
			want int
		}{{"wang", 1}, {"hr", 0}, {"head", 0}} {
			r, err := e.svc.Review(e.as[tc.who], p.ID)
			must(t, err)
			if len(r.Self) != tc.want {
				t.Errorf("%s sees %d self entries of the draft, want %d", tc.who, len(r.Self), tc.want)
			}
		}
		e.selfEvaluate(t, "wang", p)
		for _, who := range []string{"wang", "hr", "head"} {
			r, err := e.svc.Review(e.as[who], p.ID)
			must(t, err)
			if len(r.Self) != 4 {
				t.Errorf("%s sees %d self entries once submitted, want 4", who, len(r.Self))
			}
		}
	})
}

// A self-evaluation HR reopened stays open to the employee when the
// manager submits their review first; submitting it keeps the manager's
// submission.
func TestReview_ReopenedSelfEvaluationSurvivesTheManagersSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.participant(t, c, e.wang)
		c, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.ReopenSelfEvaluation(e.as["hr"], p.ID, hr.NewDate(2026, 7, 18), "was on leave")
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["head"], p.ID, []assessment.EntryInput{
			{IndicatorID: e.revenue.ID, Score: f(70)}, {IndicatorID: e.onTime.ID, Score: f(70)},
			{IndicatorID: e.leadership.ID, Score: f(3)}, {IndicatorID: e.teamwork.ID, Score: f(4)}})
		must(t, err)
		_, err = e.svc.SubmitManagerReview(e.as["head"], p.ID)
		must(t, err)
		e.selfEvaluate(t, "wang", p)
		got, err := e.svc.Participant(e.as["hr"], p.ID)
		must(t, err)
		if got.Status != assessment.StatusManagerSubmitted || got.SelfSubmittedAt.IsZero() {
			t.Errorf("after the late self-evaluation: status %s, self submitted at %v; want manager_submitted and a time", got.Status, got.SelfSubmittedAt)
		}
		_, err = e.svc.SubmitSelfEvaluation(e.as["wang"], p.ID)
		wantErr(t, "submitting twice", err, assessment.ErrAlreadySubmitted)
	})
}

// HR may not adjust their own finalised result either.
func TestReview_HRCannotAdjustOwnResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.participant(t, c, e.hrP)
		c, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
		must(t, err)
		_, err = e.svc.AdjustResult(e.as["hr"], assessment.AdjustParams{ParticipantID: p.ID, Score: 100, Reason: "appeal"})
		wantErr(t, "HR adjusting their own result", err, assessment.ErrOwnReview)
	})
}

// Finalise refuses while manager reviews are not submitted (naming them)
// and when the appeal window has already ended; FinaliseWith finalises
// anyway only with a reason, which lands on the audit chain.
func TestFinalise_RefusesUnsubmittedReviewsAndAPastAppealWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		c, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)

		_, err = e.svc.Finalise(e.as["hr"], c.ID, c.Version)
		wantErr(t, "finalise with unsubmitted reviews", err, assessment.ErrReviewsIncomplete)
		wantErr(t, "finalise with unsubmitted reviews", err, ballast.ErrConflict)
		var inc *assessment.IncompleteError
		if !errors.As(err, &inc) || len(inc.Pending) != 6 {
			t.Fatalf("error = %v, want an *IncompleteError naming the 6 participants", err)
		}
		_, err = e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, assessment.FinaliseOptions{AllowIncomplete: true})
		if got := fields(t, err); len(got) != 1 || got[0] != "reason" {
			t.Errorf("forced without a reason: fields %v, want [reason]", got)
		}

		e.clock.Set(shanghai(hr.NewDate(2026, 8, 6))) // the day after the appeal window
		_, err = e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
		wantErr(t, "finalise after the appeal window", err, assessment.ErrAppealWindowClosed)

		got, err := e.svc.Cycle(e.as["hr"], c.ID)
		must(t, err)
		if got.State != assessment.CycleCalibration || got.Version != c.Version {
			t.Fatalf("refusals changed the cycle: %s v%d", got.State, got.Version)
		}

		e.clock.Set(shanghai(hr.NewDate(2026, 7, 24)))
		rep, err := e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, assessment.FinaliseOptions{AllowIncomplete: true, Reason: "two managers left"})
		must(t, err)
		if rep.Unsubmitted != 6 || rep.Participants != 6 {
			t.Errorf("report = %+v, want 6 participants, 6 unsubmitted", rep)
		}
		entries, err := e.log.Query(e.sys, e.tenant, audit.Filter{TargetType: assessment.TargetCycle, TargetID: c.ID, Action: assessment.ActionCycleState})
		must(t, err)
		found := false
		for _, en := range entries {
			found = found || strings.Contains(en.Reason, "6 manager reviews not submitted: two managers left")
		}
		if !found {
			t.Errorf("the forced finalisation's reason is not on the audit chain: %+v", entries)
		}
	})
}
