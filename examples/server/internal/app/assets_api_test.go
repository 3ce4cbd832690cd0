package app_test

import (
	"net/http"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/assets"
)

func TestAssetsAPI_RegisterIssueReturnWithScopes(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		_, body := tm.expect(t, http.StatusCreated, "POST", "/api/assets", tm.tok["hr"],
			`{"kind":"laptop","name":"ThinkPad #7","model":"ThinkPad T14","tag":"AC-LT-007"}`)
		laptop := into[assets.Asset](t, body)
		_, body = tm.expect(t, http.StatusCreated, "POST", "/api/assets", tm.tok["hr"], `{"kind":"access_badge","name":"Badge #1","tag":"AC-BG-001"}`)
		badge := into[assets.Asset](t, body)
		lp := "/api/assets/" + laptop.ID
		tm.expect(t, http.StatusOK, "POST", lp+"/issue", tm.tok["hr"], `{"holder":"`+f.emp.ID+`","on":"2026-01-05","due_back":"2026-12-31"}`)
		tm.expect(t, http.StatusOK, "POST", "/api/assets/"+badge.ID+"/issue", tm.tok["hr"], `{"holder":"`+tm.ops.ID+`","on":"2026-01-05"}`)

		// Who sees what.
		for _, tc := range []struct {
			login string
			want  int // assets listed
		}{{"emp", 1}, {"emp2", 0}, {"head", 1}, {"ops", 1}, {"hr", 2}} {
			_, body := tm.expect(t, http.StatusOK, "GET", "/api/assets", tm.tok[tc.login], "")
			if got := len(into[assets.Page](t, body).Assets); got != tc.want {
				t.Errorf("%s lists %d assets, want %d", tc.login, got, tc.want)
			}
		}
		tm.expect(t, http.StatusOK, "GET", lp, tm.tok["emp"], "")
		tm.expect(t, http.StatusOK, "GET", lp, tm.tok["head"], "")
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/employees/"+f.emp.ID+"/assets", tm.tok["emp"], "")
		if held := into[[]assets.Asset](t, body); len(held) != 1 || held[0].ID != laptop.ID {
			t.Errorf("held by emp = %+v", held)
		}
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/assets?kind=laptop&status=issued&q=T14", tm.tok["hr"], "")
		if got := into[assets.Page](t, body).Assets; len(got) != 1 {
			t.Errorf("filtered listing = %+v", got)
		}

		f.checkProblems(t, []problemCase{
			{name: "no session", method: "GET", path: "/api/assets", want: 401},
			{name: "another's asset does not exist for emp2", method: "GET", path: lp, token: tm.tok["emp2"], want: 404},
			{name: "another department's asset does not exist for the head", method: "GET", path: "/api/assets/" + badge.ID, token: tm.tok["head"], want: 404},
			{name: "an employee may not register", method: "POST", path: "/api/assets", token: tm.tok["emp"], body: `{"kind":"phone","name":"Mine now"}`, want: 403},
			{name: "an employee may not take back", method: "POST", path: lp + "/return", token: tm.tok["emp"], body: `{"on":"2026-02-01","condition":"good"}`, want: 403},
			{name: "every bad field at once", method: "POST", path: "/api/assets", token: tm.tok["hr"], body: `{"kind":"spaceship","name":"","condition":"missing"}`,
				want: 400, fields: []string{"kind", "name", "condition"}},
			{name: "a stranger as holder", method: "POST", path: "/api/assets/" + badge.ID + "/issue", token: tm.tok["hr"],
				body: `{"holder":"` + ballast.NewID() + `","on":"2026-01-05"}`, want: 400, fields: []string{"holder"}},
			{name: "issued twice", method: "POST", path: lp + "/issue", token: tm.tok["hr"], body: `{"holder":"` + tm.emp2.ID + `","on":"2026-02-01"}`, want: 409},
			{name: "a taken tag", method: "POST", path: "/api/assets", token: tm.tok["hr"], body: `{"kind":"laptop","name":"Twin","tag":"AC-LT-007"}`, want: 409},
			{name: "stale update", method: "PUT", path: lp, token: tm.tok["hr"], body: `{"kind":"laptop","name":"Renamed","version":1}`, want: 409},
			{name: "update without a version", method: "PUT", path: lp, token: tm.tok["hr"], body: `{"kind":"laptop","name":"Renamed"}`, want: 400, fields: []string{"version"}},
			{name: "unknown asset", method: "GET", path: "/api/assets/" + ballast.NewID(), token: tm.tok["hr"], want: 404},
		})

		resp, _ := tm.expect(t, http.StatusOK, "GET", lp, tm.tok["hr"], "")
		tm.expect(t, http.StatusOK, "PUT", lp, tm.tok["hr"], `{"kind":"laptop","name":"ThinkPad #7","model":"ThinkPad T14 Gen 4","tag":"AC-LT-007","condition":"good"}`,
			"If-Match", resp.Header.Get("ETag"))
		_, body = tm.expect(t, http.StatusOK, "POST", lp+"/return", tm.tok["hr"], `{"on":"2026-06-30","condition":"worn","note":"scratched lid"}`)
		if a := into[assets.Asset](t, body); a.Status != assets.StatusInStock || a.Holder != "" || a.Condition != assets.ConditionWorn {
			t.Errorf("returned laptop = %+v", a)
		}
		tm.expect(t, http.StatusOK, "POST", lp+"/issue", tm.tok["hr"], `{"holder":"`+tm.emp2.ID+`","on":"2026-07-01"}`)
		_, body = tm.expect(t, http.StatusOK, "POST", lp+"/missing", tm.tok["hr"], `{"cost_note":"deducted from the final salary"}`)
		if a := into[assets.Asset](t, body); a.Status != assets.StatusLost {
			t.Errorf("missing laptop = %+v", a)
		}
		tm.expect(t, http.StatusOK, "POST", lp+"/retire", tm.tok["hr"], `{"reason":"written off"}`)
		_, body = tm.expect(t, http.StatusOK, "GET", lp+"/history", tm.tok["hr"], "")
		if hs := into[[]assets.Issuance](t, body); len(hs) != 2 || hs[0].ConditionIn != assets.ConditionWorn || hs[1].ConditionIn != assets.ConditionMissing {
			t.Errorf("history = %+v", hs)
		}
		f.checkProblems(t, []problemCase{{name: "a retired asset no longer issues", method: "POST", path: lp + "/issue", token: tm.tok["hr"],
			body: `{"holder":"` + f.emp.ID + `","on":"2026-08-01"}`, want: 409}})
	})
}
