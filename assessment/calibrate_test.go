package assessment_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestRecordActuals_AllOrNothingAndNeverOnesOwn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang, hrP, chen := e.participant(t, c, e.wang), e.participant(t, c, e.hrP), e.participant(t, c, e.chen)
		for _, tc := range []struct {
			name string
			who  string
			in   []assessment.Actual
			want []string
		}{
			{"HR enters her own", "hr", []assessment.Actual{{ParticipantID: wang.ID, IndicatorID: e.revenue.ID, Value: 16},
				{ParticipantID: hrP.ID, IndicatorID: e.revenue.ID, Value: 30}}, []string{"actuals[1].participant_id"}},
			{"a qualitative indicator", "hr", []assessment.Actual{{ParticipantID: wang.ID, IndicatorID: e.leadership.ID, Value: 4}},
				[]string{"actuals[0].indicator_id"}},
			{"a manager for another department", "head", []assessment.Actual{{ParticipantID: chen.ID, IndicatorID: e.revenue.ID, Value: 4}},
				[]string{"actuals[0].participant_id"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.RecordActuals(e.as[tc.who], c.ID, tc.in)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		r, err := e.svc.Review(e.as["hr"], wang.ID)
		must(t, err)
		if len(r.Manager) != 0 {
			t.Errorf("refused actuals wrote %d entries", len(r.Manager))
		}
		_, err = e.svc.RecordActuals(e.as["wang"], c.ID, []assessment.Actual{{ParticipantID: wang.ID, IndicatorID: e.revenue.ID, Value: 99}})
		wantErr(t, "an employee enters actuals", err, ballast.ErrForbidden)
		rep, err := e.svc.RecordActuals(e.as["head"], c.ID, []assessment.Actual{{ParticipantID: wang.ID, IndicatorID: e.revenue.ID, Value: 16}})
		must(t, err)
		if rep.Rows != 1 {
			t.Errorf("rows = %d", rep.Rows)
		}
	})
}

func TestCalibrateAndAdjust_RefuseBadInputAndChangeNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		_, err := e.svc.Calibrate(e.as["hr"], wang.ID, 80, "too early")
		wantErr(t, "calibrate while open", err, assessment.ErrWrongState)
		c, err = e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.Calibrate(e.as["hr"], wang.ID, 101, " ")
		if diff := cmp.Diff([]string{"reason", "score"}, fields(t, err)); diff != "" {
			t.Errorf("calibrate with a bad score and no reason (-want +got):\n%s", diff)
		}
		_, err = e.svc.Calibrate(e.as["head"], wang.ID, 80, "my call")
		wantErr(t, "a manager calibrates", err, ballast.ErrForbidden)
		p, err := e.svc.Participant(e.as["hr"], wang.ID)
		must(t, err)
		if p.Calibration != nil || p.Version != wang.Version {
			t.Errorf("refused calibrations changed the participant: %+v", p)
		}
		p, err = e.svc.Calibrate(e.as["hr"], wang.ID, 70, "calibration meeting 24 July")
		must(t, err)
		seen, err := e.svc.Participant(e.as["wang"], wang.ID)
		must(t, err)
		if seen.Calibration != nil {
			t.Errorf("the employee sees the calibration before finalisation: %+v", seen.Calibration)
		}
		_, err = e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
		must(t, err)
		for _, tc := range []struct {
			name string
			p    assessment.AdjustParams
			want []string
		}{
			{"no reason, score out of range", assessment.AdjustParams{ParticipantID: wang.ID, Score: -1}, []string{"reason", "score"}},
			{"an indicator outside the result", assessment.AdjustParams{ParticipantID: wang.ID, IndicatorID: ballast.NewID(), Score: 80, Reason: "x"},
				[]string{"indicator_id"}},
			{"not an appeal id", assessment.AdjustParams{ParticipantID: wang.ID, Score: 80, Reason: "x", AppealID: "A-1"}, []string{"appeal_id"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.AdjustResult(e.as["hr"], tc.p)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		_, err = e.svc.AdjustResult(e.as["head"], assessment.AdjustParams{ParticipantID: wang.ID, Score: 90, Reason: "x"})
		wantErr(t, "a manager adjusts", err, ballast.ErrForbidden)
		res, err := e.svc.Result(e.as["wang"], wang.ID)
		must(t, err)
		if res.Result.Score != 70 || res.Result.Grade != "B" || len(res.Adjustments) != 0 {
			t.Errorf("result after refused adjustments = %v %s with %d adjustments, want the calibrated 70 B and none",
				res.Result.Score, res.Result.Grade, len(res.Adjustments))
		}
		// Adjusting the whole score keeps the computed one and the history.
		_, err = e.svc.AdjustResult(e.as["hr"], assessment.AdjustParams{ParticipantID: wang.ID, Score: 82, Reason: "appeal upheld in part"})
		must(t, err)
		res, err = e.svc.Result(e.as["wang"], wang.ID)
		must(t, err)
		if res.Result.Score != 82 || res.Result.Grade != "B+" || res.Result.Computed != 0 || len(res.Adjustments) != 1 ||
			res.Adjustments[0].Before != 70 || res.Adjustments[0].GradeBefore != "B" {
			t.Errorf("adjusted = %+v, adjustments %+v", res.Result, res.Adjustments)
		}
	})
}

func TestService_AnotherTenantSeesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		// A system principal of another tenant, holding every permission.
		otherTenant := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.otherTenant, Subject: "x", Kind: ballast.KindSystem})
		_, err := e.svc.Participant(otherTenant, wang.ID)
		wantErr(t, "participant of another tenant", err, ballast.ErrNotFound)
		_, err = e.svc.Cycle(otherTenant, c.ID)
		wantErr(t, "cycle of another tenant", err, ballast.ErrNotFound)
		_, err = e.svc.Template(otherTenant, e.tpl.ID, 0)
		wantErr(t, "template of another tenant", err, ballast.ErrNotFound)
		_, err = e.svc.FinaliseWith(otherTenant, c.ID, c.Version, unscoredToo)
		wantErr(t, "finalise another tenant's cycle", err, ballast.ErrNotFound)
		ps, err := e.svc.Participants(otherTenant, assessment.ParticipantQuery{CycleID: c.ID})
		must(t, err)
		if len(ps) != 0 {
			t.Errorf("another tenant lists %d participants", len(ps))
		}
		_, err = e.svc.Participant(context.Background(), wang.ID)
		wantErr(t, "no principal", err, ballast.ErrUnauthenticated)
	})
}
