package app_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// day is the calendar day n days from today in the demo's zone.
func day(n int) hr.Date {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return hr.DateOf(time.Now().In(loc).AddDate(0, 0, n))
}

// indicatorIDs reads the demo library as HR: code → ID.
func (d *demoServer) indicatorIDs(t *testing.T) map[string]string {
	t.Helper()
	_, b := d.expect(t, http.StatusOK, "GET", "/api/assessment/indicators", d.tok["hr"], "")
	out := map[string]string{}
	for _, ind := range into[[]assessment.Indicator](t, b) {
		out[ind.Code] = ind.ID
	}
	return out
}

// pilot creates and opens, as HR over the API, a pilot cycle of 赵敏 and
// 李娜 (both reporting to 王丽) on a new two-indicator template, and
// returns it with its participants by employee ID.
func (d *demoServer) pilot(t *testing.T, selfDue int) (assessment.Cycle, map[string]assessment.Participant) {
	t.Helper()
	hrTok := d.tok["hr"]
	ind := d.indicatorIDs(t)
	tpl := func(results float64) string {
		return mustJSON(t, assessment.TemplateParams{Name: "试点模板", Categories: []assessment.Category{
			{Key: "results", Name: "业绩", Weight: results, Items: []assessment.Item{{IndicatorID: ind["orders_closed_independently"], Weight: 100}}},
			{Key: "competencies", Name: "协作", Weight: 40, Items: []assessment.Item{{IndicatorID: ind["cross_dept_satisfaction"], Weight: 100}}},
		}})
	}
	d.checkProblems(t, []problemCase{
		{name: "weights not summing to 100", method: "POST", path: "/api/assessment/templates", token: hrTok, body: tpl(50),
			want: http.StatusBadRequest, fields: []string{"categories"}},
	})
	_, b := d.expect(t, http.StatusCreated, "POST", "/api/assessment/templates", hrTok, tpl(60))
	draft := into[assessment.Template](t, b)
	_, b = d.expect(t, http.StatusOK, "POST", "/api/assessment/templates/"+draft.ID+"/publish", hrTok, `{"version":1}`)
	if tp := into[assessment.Template](t, b); tp.Status != assessment.TemplatePublished {
		t.Fatalf("published template = %+v", tp)
	}

	zhao, li := d.logins["zhaomin"].EmployeeID, d.employeeID(t, "李娜")
	resp, b := d.expect(t, http.StatusCreated, "POST", "/api/assessment/cycles", hrTok, mustJSON(t, assessment.CycleParams{
		Name: "2026 Q4 试点", Kind: assessment.Quarterly, TemplateID: draft.ID,
		Period:    assessment.Period{Label: "2026Q4", Start: hr.NewDate(2026, 10, 1), End: hr.NewDate(2026, 12, 31)},
		Selection: assessment.Selection{EmployeeIDs: []string{zhao, li}},
		Deadlines: assessment.Deadlines{SelfEvaluation: day(selfDue), ManagerReview: day(7), Calibration: day(10), AppealUntil: day(20)},
	}))
	c := into[assessment.Cycle](t, b)
	_, b = d.expect(t, http.StatusOK, "POST", "/api/assessment/cycles/"+c.ID+"/open", hrTok, `{}`, "If-Match", resp.Header.Get("ETag"))
	if c = into[assessment.Cycle](t, b); c.State != assessment.CycleOpen || c.Participants != 2 || c.TemplateVersion != 1 {
		t.Fatalf("opened cycle = %+v", c)
	}
	_, b = d.expect(t, http.StatusOK, "GET", "/api/assessment/cycles/"+c.ID+"/participants", hrTok, "")
	ps := map[string]assessment.Participant{}
	for _, p := range into[[]assessment.Participant](t, b) {
		ps[p.EmployeeID] = p
	}
	if ps[zhao].ManagerID != d.logins["wangli"].EmployeeID || ps[li].ID == "" {
		t.Fatalf("participants = %+v", ps)
	}
	return c, ps
}

// employeeID finds an employee of the demo by name.
func (d *demoServer) employeeID(t *testing.T, name string) string {
	t.Helper()
	_, b := d.expect(t, http.StatusOK, "GET", "/api/employees?q="+name, d.tok["hr"], "")
	pg := into[hr.EmployeePage](t, b)
	if len(pg.Employees) != 1 {
		t.Fatalf("employees named %s: %+v", name, pg.Employees)
	}
	return pg.Employees[0].ID
}

// cycleVersion reads the cycle's current ETag.
func (d *demoServer) cycleETag(t *testing.T, id string) string {
	t.Helper()
	resp, _ := d.expect(t, http.StatusOK, "GET", "/api/assessment/cycles/"+id, d.tok["hr"], "")
	return resp.Header.Get("ETag")
}

func TestAssessmentAPI_WholeCycleWithTheDemoRoles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		hrTok, zhaoTok, wangTok := d.tok["hr"], d.tok["zhaomin"], d.tok["wangli"]
		c, ps := d.pilot(t, 3)
		zhao := ps[d.logins["zhaomin"].EmployeeID]
		var li assessment.Participant
		for id, p := range ps {
			if id != zhao.EmployeeID {
				li = p
			}
		}
		ind := d.indicatorIDs(t)
		cyc, part := "/api/assessment/cycles/"+c.ID, "/api/assessment/participants/"+zhao.ID

		// Editing the published template starts version 2; the running
		// cycle keeps version 1 (its 60/40 shows in the result below).
		_, b := d.expect(t, http.StatusOK, "PUT", "/api/assessment/templates/"+c.TemplateID, hrTok, mustJSON(t, assessment.TemplateParams{
			Name: "试点模板", Categories: []assessment.Category{
				{Key: "results", Name: "业绩", Weight: 70, Items: []assessment.Item{{IndicatorID: ind["orders_closed_independently"], Weight: 100}}},
				{Key: "competencies", Name: "协作", Weight: 30, Items: []assessment.Item{{IndicatorID: ind["cross_dept_satisfaction"], Weight: 100}}},
			}}))
		if tp := into[assessment.Template](t, b); tp.Version != 2 || tp.Status != assessment.TemplateDraft {
			t.Errorf("edited template = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "GET", cyc, hrTok, "")
		if cy := into[assessment.Cycle](t, b); cy.TemplateVersion != 1 || cy.Plan == nil || cy.Plan.Template.Categories[0].Weight != 60 {
			t.Errorf("cycle after the template edit = %s", b)
		}

		// The employee's task; the self-evaluation is hidden from the
		// manager until submitted.
		_, b = d.expect(t, http.StatusOK, "GET", "/api/me/assessment-tasks", zhaoTok, "")
		if !slices.ContainsFunc(into[[]assessment.Task](t, b), func(tk assessment.Task) bool { return tk.ParticipantID == zhao.ID && tk.Kind == assessment.SideSelf }) {
			t.Fatalf("赵敏's tasks = %s", b)
		}
		self := fmt.Sprintf(`{"entries":[{"indicator_id":%q,"score":90,"comment":"38 单，其中 2 单 6 月底签约"},`+
			`{"indicator_id":%q,"score":4,"comment":"与仓储配合顺畅","evidence":[{"kind":"link","url":"https://wiki.dingsheng.example/q4","name":"协作记录"}]}]}`,
			ind["orders_closed_independently"], ind["cross_dept_satisfaction"])
		d.expect(t, http.StatusOK, "PUT", part+"/self", zhaoTok, self)
		_, b = d.expect(t, http.StatusOK, "GET", part, wangTok, "")
		if rv := into[assessment.Review](t, b); rv.Self != nil || len(rv.Items) != 2 {
			t.Errorf("manager sees the draft self-evaluation: %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "POST", part+"/self/submit", zhaoTok, "")
		if p := into[assessment.Participant](t, b); p.Status != assessment.StatusSelfSubmitted {
			t.Errorf("after submit = %+v", p)
		}
		_, b = d.expect(t, http.StatusOK, "GET", part, wangTok, "")
		if rv := into[assessment.Review](t, b); len(rv.Self) != 2 ||
			!slices.ContainsFunc(rv.Self, func(e assessment.Entry) bool {
				return len(e.Evidence) == 1 && e.Evidence[0].Kind == assessment.EvidenceLink
			}) {
			t.Errorf("manager's view after submit = %s", b)
		}

		// Manager review: actuals from CSV (a bad row refuses the file),
		// then 王丽 scores both reviews.
		d.expect(t, http.StatusOK, "POST", cyc+"/manager-review", hrTok, `{}`, "If-Match", d.cycleETag(t, c.ID))
		csvOf := func(rows ...string) string {
			return "employee_number,indicator_code,actual\n" + strings.Join(rows, "\n") + "\n"
		}
		resp := d.do(t, "POST", cyc+"/actuals/import", hrTok, csvOf(zhao.EmployeeNumber+",orders_closed_independently,36", "DS9999,orders_closed_independently,x"), "Content-Type", "text/csv")
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad actuals CSV = %s, want 400", resp.Status)
		}
		_, b = d.expect(t, http.StatusOK, "POST", cyc+"/actuals/import", hrTok,
			csvOf(zhao.EmployeeNumber+",orders_closed_independently,36", li.EmployeeNumber+",orders_closed_independently,30"), "Content-Type", "text/csv")
		if rep := into[assessment.ImportReport](t, b); rep.Rows != 2 {
			t.Errorf("import = %s", b)
		}
		for _, p := range []assessment.Participant{zhao, li} {
			d.expect(t, http.StatusOK, "PUT", "/api/assessment/participants/"+p.ID+"/manager", wangTok,
				fmt.Sprintf(`{"entries":[{"indicator_id":%q,"score":4,"comment":"协作主动"}]}`, ind["cross_dept_satisfaction"]))
			d.expect(t, http.StatusOK, "POST", "/api/assessment/participants/"+p.ID+"/manager/submit", wangTok, "")
		}

		_, b = d.expect(t, http.StatusOK, "GET", part, zhaoTok, "")
		if rv := into[assessment.Review](t, b); rv.Manager != nil {
			t.Errorf("the employee sees the manager's review before finalisation: %s", b)
		}

		// Calibration: HR sees the distribution and adjusts 李娜 with a
		// reason; then finalises.
		d.expect(t, http.StatusOK, "POST", cyc+"/calibration", hrTok, `{}`, "If-Match", d.cycleETag(t, c.ID))
		_, b = d.expect(t, http.StatusOK, "GET", cyc+"/distribution", hrTok, "")
		if dist := into[assessment.Distribution](t, b); !dist.Provisional || len(dist.Departments) != 1 {
			t.Errorf("distribution = %s", b)
		}
		d.expect(t, http.StatusOK, "POST", "/api/assessment/participants/"+li.ID+"/calibrate", hrTok, `{"score":85,"reason":"季度末大单回款确认"}`)
		_, b = d.expect(t, http.StatusOK, "POST", cyc+"/finalise", hrTok, `{}`, "If-Match", d.cycleETag(t, c.ID))
		if rep := into[assessment.FinaliseReport](t, b); rep.Participants != 2 || rep.Incomplete != 0 {
			t.Errorf("finalise = %s", b)
		}

		// The employee report: 36/40 orders → 90, rating 4 → 75; the pilot
		// template has no overrides: 0.6×90 + 0.4×75 = 84.
		_, b = d.expect(t, http.StatusOK, "GET", part+"/result", zhaoTok, "")
		res := into[assessment.EmployeeResult](t, b)
		if res.Result.Score != 84 || res.Result.Grade != "A" || len(res.Result.Items) != 2 || res.Result.Items[1].Comment != "协作主动" {
			t.Errorf("赵敏's result = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "GET", "/api/assessment/participants/"+li.ID+"/result", hrTok, "")
		if r := into[assessment.EmployeeResult](t, b); r.Result.Score != 85 {
			t.Errorf("李娜's calibrated result = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "GET", cyc+"/departments/"+zhao.DepartmentID+"/report", hrTok, "")
		if rep := into[assessment.DepartmentReport](t, b); rep.Finalised != 2 || rep.QuantificationRate != 0.6 || len(rep.Indicators) != 2 {
			t.Errorf("department report = %s", b)
		}

		// The appeal on one indicator: 王丽 answers, HR adjusts it; the
		// adjustment is on the result and in the history.
		_, b = d.expect(t, http.StatusCreated, "POST", "/api/appeals", zhaoTok, mustJSON(t, appeal.FileParams{Kind: "assessment.result",
			SubjectID: zhao.ID, Item: "orders_closed_independently", Reason: "6 月底签的 2 单计入了下一期，应为 38 单。"}))
		ap := into[appeal.Appeal](t, b)
		if ap.Before.Score == nil || *ap.Before.Score != 90 || ap.ManagerID != zhao.ManagerID {
			t.Errorf("appeal = %s", b)
		}
		d.expect(t, http.StatusCreated, "POST", "/api/appeals/"+ap.ID+"/replies", wangTok, `{"body":"合同日期属实。"}`)
		_, b = d.expect(t, http.StatusOK, "GET", "/api/appeals/"+ap.ID, zhaoTok, "")
		if det := into[struct {
			appeal.Appeal
			Thread []appeal.Message `json:"thread"`
		}](t, b); len(det.Thread) != 1 || det.Thread[0].Role != appeal.RoleManager {
			t.Errorf("appeal detail = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "POST", "/api/appeals/"+ap.ID+"/decide", hrTok,
			`{"result":"adjusted","after":{"score":95},"reason":"按合同日期重算为 38 单"}`, "If-Match", fmt.Sprintf(`"%d"`, ap.Version))
		if ap = into[appeal.Appeal](t, b); ap.Status != appeal.StatusDecided || ap.Result != appeal.ResultAdjusted {
			t.Errorf("decided appeal = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "GET", part+"/result", zhaoTok, "")
		res = into[assessment.EmployeeResult](t, b)
		if len(res.Adjustments) != 1 || res.Adjustments[0].AppealID != ap.ID || res.Result.Score != 0.6*95+0.4*75 {
			t.Errorf("result after the appeal = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "GET", "/api/employees/"+zhao.EmployeeID+"/profile", hrTok, "")
		prof := into[hr.Profile](t, b)
		if i := slices.IndexFunc(prof.Performance, func(r hr.PerformanceRecord) bool { return r.Period == "2026Q4" }); i < 0 || prof.Performance[i].Score != res.Result.Score {
			t.Errorf("history after the appeal = %+v", prof.Performance)
		}

		// An appeal on the whole result: an outcome without a score is
		// refused (and rolls back), a new score replaces the final one.
		_, b = d.expect(t, http.StatusCreated, "POST", "/api/appeals", zhaoTok, mustJSON(t, appeal.FileParams{Kind: "assessment.result",
			SubjectID: zhao.ID, Reason: "整体结果未体现季度末的大单，申请复核。"}))
		whole := into[appeal.Appeal](t, b)
		ifMatch := fmt.Sprintf(`"%d"`, whole.Version)
		d.checkProblems(t, []problemCase{
			{name: "an adjustment without a score", method: "POST", path: "/api/appeals/" + whole.ID + "/decide", token: hrTok,
				body: `{"result":"adjusted","after":{"grade":"S"},"reason":"上调"}`, headers: []string{"If-Match", ifMatch},
				want: http.StatusBadRequest, fields: []string{"after.score"}},
			{name: "a manager decides", method: "POST", path: "/api/appeals/" + whole.ID + "/decide", token: wangTok,
				body: `{"result":"upheld","reason":"维持"}`, headers: []string{"If-Match", ifMatch}, want: http.StatusForbidden},
		})
		d.expect(t, http.StatusOK, "POST", "/api/appeals/"+whole.ID+"/decide", hrTok,
			`{"result":"adjusted","after":{"score":90},"reason":"季度末大单计入本期"}`, "If-Match", ifMatch)
		_, b = d.expect(t, http.StatusOK, "GET", part+"/result", zhaoTok, "")
		if res = into[assessment.EmployeeResult](t, b); res.Result.Score != 90 || res.Result.Grade != "S" || len(res.Adjustments) != 2 {
			t.Errorf("result after the whole-result appeal = %s", b)
		}

		// A closed cycle takes no more appeals.
		d.expect(t, http.StatusOK, "POST", cyc+"/close", hrTok, `{}`, "If-Match", d.cycleETag(t, c.ID))
		d.checkProblems(t, []problemCase{
			{name: "appealing a closed cycle", method: "POST", path: "/api/appeals", token: zhaoTok,
				body: mustJSON(t, appeal.FileParams{Kind: "assessment.result", SubjectID: zhao.ID, Reason: "整体结果偏低，申请复核。"}), want: http.StatusConflict},
		})
	})
}

func TestAssessmentAPI_BadInputAndForbiddenChangeNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		c, ps := d.pilot(t, 3)
		ind := d.indicatorIDs(t)
		zhao := ps[d.logins["zhaomin"].EmployeeID]
		part, cyc := "/api/assessment/participants/"+zhao.ID, "/api/assessment/cycles/"+c.ID
		hrTok, zhaoTok, wangTok, liuTok := d.tok["hr"], d.tok["zhaomin"], d.tok["wangli"], d.tok["liuqiang"]
		etag := d.cycleETag(t, c.ID)
		d.checkProblems(t, []problemCase{
			{name: "indicator without code, name or mapping", method: "POST", path: "/api/assessment/indicators", token: hrTok,
				body: `{"kind":"quantitative","mapping":{"kind":"ratio"}}`, want: 400, fields: []string{"code", "name"}},
			{name: "cycle without name, template or deadlines", method: "POST", path: "/api/assessment/cycles", token: hrTok,
				body: `{"kind":"sometimes"}`, want: 400, fields: []string{"name", "kind"}},
			{name: "unknown field", method: "POST", path: "/api/assessment/cycles", token: hrTok, body: `{"nme":"x"}`, want: 400},
			{name: "grade scale without a floor", method: "PUT", path: "/api/assessment/grade-scale", token: hrTok,
				body: `{"grades":[{"name":"A","min":90}]}`, headers: []string{"If-Match", `"1"`}, want: 400},
			{name: "score outside the scale", method: "PUT", path: part + "/self", token: zhaoTok,
				body: fmt.Sprintf(`{"entries":[{"indicator_id":%q,"score":7}]}`, ind["cross_dept_satisfaction"]), want: 400, fields: []string{"entries[0].score"}},
			{name: "submitting an incomplete self-evaluation", method: "POST", path: part + "/self/submit", token: zhaoTok, want: 400,
				fields: []string{"entries.orders_closed_independently", "entries.cross_dept_satisfaction"}},
			{name: "scoring one's own review", method: "PUT", path: part + "/manager", token: zhaoTok,
				body: fmt.Sprintf(`{"entries":[{"indicator_id":%q,"score":5}]}`, ind["cross_dept_satisfaction"]), want: 403},
			{name: "another department head is not the manager", method: "GET", path: part, token: liuTok, want: 404},
			{name: "manager scoring before manager review", method: "PUT", path: part + "/manager", token: wangTok,
				body: fmt.Sprintf(`{"entries":[{"indicator_id":%q,"score":4}]}`, ind["cross_dept_satisfaction"]), want: 409},
			{name: "an employee moves the cycle", method: "POST", path: cyc + "/manager-review", token: zhaoTok, body: `{}`, headers: []string{"If-Match", etag}, want: 403},
			{name: "an employee reads the progress", method: "GET", path: cyc + "/progress", token: zhaoTok, want: 403},
			{name: "an employee edits the library", method: "POST", path: "/api/assessment/indicators", token: zhaoTok,
				body: `{"code":"x","name":"x","kind":"qualitative"}`, want: 403},
			{name: "a stale cycle version", method: "POST", path: cyc + "/manager-review", token: hrTok, body: `{}`, headers: []string{"If-Match", `"1"`}, want: 409},
			{name: "a transition out of order", method: "POST", path: cyc + "/finalise", token: hrTok, body: `{}`, headers: []string{"If-Match", etag}, want: 409},
			{name: "a result before finalisation", method: "POST", path: "/api/appeals", token: zhaoTok,
				body: mustJSON(t, appeal.FileParams{Kind: "assessment.result", SubjectID: zhao.ID, Reason: "结果不合理，申请复核。"}), want: 409},
			{name: "an appeal without a reason", method: "POST", path: "/api/appeals", token: zhaoTok,
				body: mustJSON(t, appeal.FileParams{Kind: "assessment.result", SubjectID: zhao.ID}), want: 400, fields: []string{"reason"}},
			{name: "no session", method: "GET", path: "/api/me/assessment-tasks", want: 401},
		})
		// Nothing changed: the cycle is still open at the same version, the
		// self-evaluation empty.
		if got := d.cycleETag(t, c.ID); got != etag {
			t.Errorf("cycle ETag %s after refused requests, want %s", got, etag)
		}
		_, b := d.expect(t, http.StatusOK, "GET", part, zhaoTok, "")
		if rv := into[assessment.Review](t, b); len(rv.Self) != 0 || rv.Participant.Status != assessment.StatusSelfPending {
			t.Errorf("review after refused requests = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "GET", "/api/me/appeals", zhaoTok, "")
		if pg := into[appeal.Page](t, b); len(pg.Appeals) != 1 { // the demo's, nothing more
			t.Errorf("赵敏's appeals = %s", b)
		}
	})
}

func TestMultiraterAPI_NoResponseNamesAnAnonymousRater(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		hrTok := d.tok["hr"]
		_, b := d.expect(t, http.StatusOK, "GET", "/api/360/rounds", hrTok, "")
		rounds := into[[]multirater.Round](t, b)
		if len(rounds) != 1 {
			t.Fatalf("rounds = %s", b)
		}
		rd := "/api/360/rounds/" + rounds[0].ID
		wang, he := d.logins["wangli"].EmployeeID, d.employeeID(t, "何志明")
		// Reports exist only once the round is closed.
		d.expect(t, http.StatusConflict, "GET", rd+"/reports/"+wang, d.tok["wangli"], "")
		d.checkProblems(t, []problemCase{
			{name: "nominating the reviewee as her own peer", method: "POST", path: rd + "/nominations", token: hrTok,
				body: mustJSON(t, map[string]any{"reviewee_id": wang, "group": "peer", "rater_ids": []string{wang}}), want: http.StatusBadRequest},
			{name: "nominating a manager's group", method: "POST", path: rd + "/nominations", token: hrTok,
				body: mustJSON(t, map[string]any{"reviewee_id": wang, "group": "manager", "rater_ids": []string{he}}), want: http.StatusBadRequest, fields: []string{"group"}},
			{name: "an employee reads the progress", method: "GET", path: rd + "/progress", token: d.tok["zhaomin"], want: http.StatusForbidden},
			{name: "an employee closes the round", method: "POST", path: rd + "/close", token: d.tok["zhaomin"], body: `{"version":1}`, want: http.StatusForbidden},
		})

		resp, _ := d.expect(t, http.StatusOK, "GET", rd, hrTok, "")
		d.expect(t, http.StatusOK, "POST", rd+"/close", hrTok, `{}`, "If-Match", resp.Header.Get("ETag"))

		// The anonymous raters who answered in the demo.
		var anonymous []string
		for _, name := range []string{"李娜", "黄鹏", "吴婷", "徐涛", "罗芳", "梁宇", "彭刚"} {
			anonymous = append(anonymous, d.employeeID(t, name))
		}
		bodies := map[string]string{}
		get := func(name, path, tok string) []byte {
			_, b := d.expect(t, http.StatusOK, "GET", path, tok, "")
			bodies[name] = string(b)
			return b
		}
		rep := into[multirater.Report](t, get("王丽's report for her", rd+"/reports/"+wang, d.tok["wangli"]))
		get("王丽's report for her manager", rd+"/reports/"+wang, d.tok["liuqiang"])
		get("王丽's report for HR", rd+"/reports/"+wang, hrTok)
		heRep := into[multirater.Report](t, get("何志明's report for HR", rd+"/reports/"+he, hrTok))
		get("results", rd+"/results", hrTok)
		get("progress", rd+"/progress", hrTok)
		get("round", rd, hrTok)
		get("王丽's assignments", "/api/me/360-assignments", d.tok["wangli"])
		for name, body := range bodies {
			for _, id := range anonymous {
				if strings.Contains(body, id) {
					t.Errorf("%s names anonymous rater %s: %s", name, id, body)
				}
			}
			// 何志明 answered as 王丽's peer (and is a reviewee himself).
			if strings.HasPrefix(name, "王丽's report") && strings.Contains(body, he) {
				t.Errorf("%s names her peer rater 何志明: %s", name, body)
			}
		}

		// 王丽's four direct reports are shown as a group; her single
		// answering peer is not shown at all, and 何志明's two direct
		// reports neither.
		groups := func(r multirater.Report) map[multirater.Group]int {
			out := map[multirater.Group]int{}
			for _, g := range r.Groups {
				out[g.Group] = g.Responses
			}
			return out
		}
		if g := groups(rep); g[multirater.GroupDirectReport] != 4 || g[multirater.GroupPeer] != 0 {
			t.Errorf("王丽's groups = %+v", rep.Groups)
		}
		for _, c := range rep.Comments {
			if c.Group.Anonymous() && c.RaterID != "" {
				t.Errorf("anonymous comment with a rater: %+v", c)
			}
		}
		if g := groups(heRep); g[multirater.GroupDirectReport] != 0 || g[multirater.GroupPeer] != 0 || heRep.Overall != nil {
			t.Errorf("何志明's report shows groups below their threshold: %+v, overall %v", heRep.Groups, heRep.Overall)
		}
		// The report is frozen: 赵敏's unanswered review can no longer be
		// submitted, so no later report differs by one rater's answers.
		_, b = d.expect(t, http.StatusOK, "GET", "/api/me/360-assignments?round_id="+rounds[0].ID, d.tok["zhaomin"], "")
		var open []multirater.Assignment
		for _, x := range into[[]multirater.Assignment](t, b) {
			if x.Status == multirater.StatusOpen {
				open = append(open, x)
			}
		}
		if len(open) == 0 {
			t.Fatalf("赵敏's assignments = %s", b)
		}
		scores := map[string]int{}
		for _, dim := range rounds[0].Questionnaire.Dimensions {
			for _, q := range dim.Questions {
				scores[q.Code] = 1
			}
		}
		d.expect(t, http.StatusConflict, "POST", "/api/360/assignments/"+open[0].ID+"/submit", d.tok["zhaomin"],
			mustJSON(t, multirater.Answers{Scores: scores}))
		_, after := d.expect(t, http.StatusOK, "GET", rd+"/reports/"+wang, hrTok, "")
		if string(after) != bodies["王丽's report for HR"] {
			t.Errorf("王丽's report changed after the round closed:\n%s\n%s", bodies["王丽's report for HR"], after)
		}

		// A rater who is not the reviewee, her manager or HR reads nothing.
		if resp := d.do(t, "GET", rd+"/reports/"+wang, d.tok["zhaomin"], ""); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
			t.Errorf("赵敏 reads 王丽's report: %s", resp.Status)
		}
	})
}

func TestAssessmentAPI_LateSelfEvaluationNeedsHRToReopenIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		_, ps := d.pilot(t, -1) // the self-evaluation was due yesterday
		zhao := ps[d.logins["zhaomin"].EmployeeID]
		part := "/api/assessment/participants/" + zhao.ID
		ind := d.indicatorIDs(t)
		self := fmt.Sprintf(`{"entries":[{"indicator_id":%q,"score":80},{"indicator_id":%q,"score":3}]}`,
			ind["orders_closed_independently"], ind["cross_dept_satisfaction"])
		d.checkProblems(t, []problemCase{
			{name: "saving after the deadline", method: "PUT", path: part + "/self", token: d.tok["zhaomin"], body: self, want: http.StatusConflict},
			{name: "an employee reopens", method: "POST", path: part + "/self/reopen", token: d.tok["zhaomin"],
				body: mustJSON(t, map[string]any{"due": day(2), "reason": "出差"}), want: http.StatusForbidden},
			{name: "reopening without a reason", method: "POST", path: part + "/self/reopen", token: d.tok["hr"],
				body: mustJSON(t, map[string]any{"due": day(2)}), want: http.StatusBadRequest, fields: []string{"reason"}},
		})
		_, b := d.expect(t, http.StatusOK, "POST", part+"/self/reopen", d.tok["hr"], mustJSON(t, map[string]any{"due": day(2), "reason": "出差两周，延期提交"}))
		if p := into[assessment.Participant](t, b); p.SelfDue != day(2) {
			t.Errorf("reopened participant = %s", b)
		}
		d.expect(t, http.StatusOK, "PUT", part+"/self", d.tok["zhaomin"], self)
		d.expect(t, http.StatusOK, "POST", part+"/self/submit", d.tok["zhaomin"], "")
	})
}

func TestAppealAPI_DemoAppealIsAnsweredThenWithdrawnByItsEmployeeOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		_, b := d.expect(t, http.StatusOK, "GET", "/api/me/appeals-to-answer", d.tok["wangli"], "")
		pg := into[appeal.Page](t, b)
		if len(pg.Appeals) != 1 || pg.Appeals[0].EmployeeID != d.logins["zhaomin"].EmployeeID {
			t.Fatalf("王丽's appeals to answer = %s", b)
		}
		ap := pg.Appeals[0]
		path := "/api/appeals/" + ap.ID
		_, b = d.expect(t, http.StatusOK, "GET", "/api/appeals?status=open", d.tok["hr"], "")
		if all := into[appeal.Page](t, b); len(all.Appeals) != 1 {
			t.Errorf("HR's open appeals = %s", b)
		}
		d.expect(t, http.StatusCreated, "POST", path+"/replies", d.tok["hr"], `{"body":"已转财务核对合同日期，两个工作日内答复。"}`)
		d.expect(t, http.StatusOK, "POST", path+"/review", d.tok["hr"], `{}`, "If-Match", fmt.Sprintf(`"%d"`, ap.Version))
		resp, _ := d.expect(t, http.StatusOK, "GET", path, d.tok["zhaomin"], "")
		etag := resp.Header.Get("ETag")
		d.checkProblems(t, []problemCase{
			{name: "an employee lists every appeal", method: "GET", path: "/api/appeals", token: d.tok["zhaomin"], want: http.StatusForbidden},
			{name: "someone else reads it", method: "GET", path: path, token: d.tok["zhanglei"], want: http.StatusNotFound},
			{name: "HR withdraws for her", method: "POST", path: path + "/withdraw", token: d.tok["hr"], body: `{"reason":"x"}`,
				headers: []string{"If-Match", etag}, want: http.StatusNotFound},
			{name: "a stale version", method: "POST", path: path + "/withdraw", token: d.tok["zhaomin"], body: `{"reason":"x"}`,
				headers: []string{"If-Match", `"1"`}, want: http.StatusConflict},
		})
		_, b = d.expect(t, http.StatusOK, "POST", path+"/withdraw", d.tok["zhaomin"], `{"reason":"财务已确认，将在年终考核中一并计算。"}`, "If-Match", etag)
		if w := into[appeal.Appeal](t, b); w.Status != appeal.StatusWithdrawn {
			t.Errorf("withdrawn appeal = %s", b)
		}
		_, b = d.expect(t, http.StatusOK, "GET", path, d.tok["zhaomin"], "")
		if det := into[appealWithThread](t, b); len(det.Thread) != 2 {
			t.Errorf("thread after withdrawal = %s", b)
		}
		d.expect(t, http.StatusConflict, "POST", path+"/replies", d.tok["wangli"], `{"body":"补充"}`)
	})
}

// appealWithThread is the body of GET /api/appeals/{id}.
type appealWithThread struct {
	appeal.Appeal
	Thread []appeal.Message `json:"thread"`
}

func TestAssessmentAPI_FinalisingWithUnsubmittedReviewsNeedsAReason(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		c, ps := d.pilot(t, 3)
		hrTok := d.tok["hr"]
		cyc := "/api/assessment/cycles/" + c.ID
		d.expect(t, http.StatusOK, "POST", cyc+"/manager-review", hrTok, `{}`, "If-Match", d.cycleETag(t, c.ID))
		d.expect(t, http.StatusOK, "POST", cyc+"/calibration", hrTok, `{}`, "If-Match", d.cycleETag(t, c.ID))
		etag := d.cycleETag(t, c.ID)
		d.checkProblems(t, []problemCase{
			{name: "manager reviews not submitted", method: "POST", path: cyc + "/finalise", token: hrTok, body: `{}`,
				headers: []string{"If-Match", etag}, want: http.StatusConflict},
			{name: "allowed without a reason", method: "POST", path: cyc + "/finalise", token: hrTok, body: `{"allow_incomplete":true}`,
				headers: []string{"If-Match", etag}, want: http.StatusBadRequest, fields: []string{"reason"}},
		})
		_, b := d.expect(t, http.StatusOK, "POST", cyc+"/finalise", hrTok, `{"allow_incomplete":true,"reason":"王丽长期出差，按已有数据定级"}`,
			"If-Match", etag)
		if rep := into[assessment.FinaliseReport](t, b); rep.Participants != len(ps) || rep.Incomplete != len(ps) {
			t.Errorf("finalise = %s", b)
		}
	})
}
