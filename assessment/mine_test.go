package assessment_test

import (
	"context"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestMyReviews_ListsOnesOwnReviewsAndShowsACalibrationOnlyOnceFinalised(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		_, err := e.svc.MyReviews(context.Background())
		wantErr(t, "no principal", err, ballast.ErrUnauthenticated)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		for _, tc := range []struct {
			who  string
			want string
		}{{"wang", e.wang.ID}, {"zhao", e.zhao.ID}} {
			ps, err := e.svc.MyReviews(e.as[tc.who])
			must(t, err)
			if len(ps) != 1 || ps[0].EmployeeID != tc.want {
				t.Fatalf("MyReviews(%s) = %+v, want only their own review", tc.who, ps)
			}
		}
		c, err = e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		c, err = e.svc.StartCalibration(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.Calibrate(e.as["hr"], wang.ID, 88, "cross-team work")
		must(t, err)
		ps, err := e.svc.MyReviews(e.as["wang"])
		must(t, err)
		if len(ps) != 1 || ps[0].Calibration != nil || ps[0].Result != nil {
			t.Fatalf("before finalising, MyReviews = %+v; want no calibration and no result", ps)
		}
		_, err = e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
		must(t, err)
		ps, err = e.svc.MyReviews(e.as["wang"])
		must(t, err)
		if len(ps) != 1 || ps[0].Status != assessment.StatusFinalised || ps[0].Result == nil || ps[0].Result.Score != 88 || ps[0].Calibration == nil {
			t.Fatalf("after finalising, MyReviews = %+v; want the result of 88 with its calibration", ps)
		}
	})
}
