package app_test

import (
	"net/http"
	"testing"

	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestAssessmentAPI_HRHandsAReviewToAnotherManager(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		_, ps := d.pilot(t, 3)
		zhao := ps[d.logins["zhaomin"].EmployeeID]
		path := "/api/assessment/participants/" + zhao.ID + "/manager"
		liu := d.logins["liuqiang"].EmployeeID
		d.checkProblems(t, []problemCase{
			{name: "the manager hands it on", method: "POST", path: path, token: d.tok["wangli"],
				body: mustJSON(t, map[string]any{"manager_id": liu, "reason": "王丽 is on leave"}), want: http.StatusForbidden},
			{name: "without a reason", method: "POST", path: path, token: d.tok["hr"],
				body: mustJSON(t, map[string]any{"manager_id": liu}), want: http.StatusBadRequest, fields: []string{"reason"}},
			{name: "to the employee themself", method: "POST", path: path, token: d.tok["hr"],
				body: mustJSON(t, map[string]any{"manager_id": zhao.EmployeeID, "reason": "x"}), want: http.StatusBadRequest},
		})
		_, b := d.expect(t, http.StatusOK, "POST", path, d.tok["hr"], mustJSON(t, map[string]any{"manager_id": liu, "reason": "王丽 is on leave until January"}))
		if p := into[assessment.Participant](t, b); p.ManagerID != liu {
			t.Errorf("reassigned participant = %s", b)
		}
	})
}
