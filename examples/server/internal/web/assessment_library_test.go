package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/hr"
)

var templateLocation = regexp.MustCompile(`^/assessment/templates/([0-9a-f-]{36})\?`)

// TestAssessmentUI_LibraryTemplateWithOverrideAndGradeScale builds a
// template in the editor: HR adds an indicator, saves a template with the
// 60/40 default and a sales override of 70/30, publishes it, and sets the
// grade scale; bad bands and a scale not ending at 0 are refused.
func TestAssessmentUI_LibraryTemplateWithOverrideAndGradeScale(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	f := s.newAssessFixture(t)
	b := s.browser(t)
	b.login("hr")

	add := func(form url.Values) response {
		form.Set("csrf", b.csrf("/assessment/indicators"))
		return b.post("/assessment/indicators", form)
	}
	r := add(url.Values{"code": {"web_bad"}, "name": {"坏分档"}, "kind": {"quantitative"}, "mapping": {"bands"}, "bands": {"90-100"}})
	wantStatus(t, "bands without a colon", r, http.StatusBadRequest)
	wantBody(t, "bands without a colon", r, "mapping.bands[0]")
	r = add(url.Values{"code": {"web_ontime"}, "name": {"项目按时率"}, "kind": {"quantitative"}, "unit": {"%"}, "target": {"95"},
		"direction": {"higher"}, "mapping": {"bands"}, "bands": {"95:100, 85:80, 70:60"}})
	wantStatus(t, "add an indicator", r, http.StatusSeeOther)
	inds, err := s.app.Assessment.Indicators(s.system(), assessment.IndicatorQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ontime assessment.Indicator
	for _, ind := range inds {
		if ind.Code == "web_ontime" {
			ontime = ind
		}
	}
	if ontime.ID == "" || len(ontime.Mapping.Bands) != 3 || ontime.Unit != "%" {
		t.Fatalf("the added indicator is %+v", ontime)
	}
	edit := "/assessment/indicators/" + ontime.ID
	r = b.get(edit)
	wantBody(t, "the edit form", r, `action="`+edit+`"`, "95:100", "85:80", "70:60", "项目按时率")
	update := func(version string) response {
		return b.post(edit, url.Values{"csrf": {b.csrf(edit)}, "version": {version}, "code": {"web_ontime"}, "name": {"项目按期完成率"},
			"kind": {"quantitative"}, "unit": {"%"}, "target": {"95"}, "direction": {"higher"}, "mapping": {"bands"}, "bands": {"95:100, 85:80, 70:60"}})
	}
	wantStatus(t, "a stale version", update("99"), http.StatusConflict)
	wantStatus(t, "edit", update(strconv.FormatInt(ontime.Version, 10)), http.StatusSeeOther)
	if ind, err := s.app.Assessment.Indicator(s.system(), ontime.ID); err != nil || ind.Name != "项目按期完成率" {
		t.Errorf("after the edit: %+v, %v", ind, err)
	}

	var sales hr.Department
	ds, err := s.app.HR.Departments(s.system())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Name == "销售部" {
			sales = d
		}
	}
	form := url.Values{"csrf": {b.csrf("/assessment/templates/new")}, "name": {"销售序列模板"},
		"c0_key": {"results"}, "c0_name": {"业绩结果"}, "c0_weight": {"60"},
		"c1_key": {"competencies"}, "c1_name": {"能力素质"}, "c1_weight": {"40"},
		"i0_cat": {"results"}, "i0_ind": {f.quant.ID}, "i0_weight": {"70"},
		"i1_cat": {"results"}, "i1_ind": {ontime.ID}, "i1_weight": {"30"},
		"i2_cat": {"competencies"}, "i2_ind": {f.qua.ID}, "i2_weight": {"100"},
		"o0_dept": {sales.ID}, "o0_weights": {"results:70, competencies:20"}}
	r = b.post("/assessment/templates", form)
	wantStatus(t, "an override not summing to 100", r, http.StatusBadRequest)
	wantBody(t, "an override not summing to 100", r, "overrides[0]")
	form.Set("o0_weights", "results:70, competencies:30")
	r = b.post("/assessment/templates", form)
	wantStatus(t, "save the template", r, http.StatusSeeOther)
	m := templateLocation.FindStringSubmatch(r.location)
	if m == nil {
		t.Fatalf("saved template redirects to %q", r.location)
	}
	path := "/assessment/templates/" + m[1]
	r = b.get(path)
	wantBody(t, "the saved draft", r, `id="publish"`, "results:70, competencies:30", `id="sum-categories"`)
	r = b.post(path+"/publish", url.Values{"csrf": {b.csrf(path)}, "version": {"1"}})
	wantStatus(t, "publish", r, http.StatusSeeOther)
	tpl, err := s.app.Assessment.Template(s.system(), m[1], 0)
	if err != nil || tpl.Status != assessment.TemplatePublished || len(tpl.Overrides) != 1 || tpl.Overrides[0].Weights["results"] != 70 {
		t.Fatalf("template = %+v, %v; want published with the sales override", tpl, err)
	}
	r = b.get(path)
	wantBody(t, "the published template", r, "已发布")
	if strings.Contains(r.body, `id="publish"`) {
		t.Error("a published version offers to publish again")
	}

	grades := func(min string) response {
		return b.post("/assessment/grades", url.Values{"csrf": {b.csrf("/assessment/grades")}, "version": {b.formVersion("/assessment/grades")},
			"g0_name": {"S"}, "g0_min": {"95"}, "g1_name": {"A"}, "g1_min": {"85"}, "g2_name": {"B"}, "g2_min": {"70"}, "g3_name": {"C"}, "g3_min": {min}})
	}
	wantStatus(t, "a scale not ending at 0", grades("50"), http.StatusBadRequest)
	wantStatus(t, "save the scale", grades("0"), http.StatusSeeOther)
	g, err := s.app.Assessment.GradeScale(s.system())
	if err != nil || len(g.Grades) != 4 || g.Grades[0].Name != "S" {
		t.Errorf("grade scale = %+v, %v", g, err)
	}
}

// TestAssessmentUI_DeadlineReopenActualsAndDepartmentReport checks a
// self-evaluation refused after its deadline until HR reopens it, actuals
// typed in the grid and imported from CSV (a bad row refuses the whole
// file), and the department report after finalising.
func TestAssessmentUI_DeadlineReopenActualsAndDepartmentReport(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	f := s.newAssessFixture(t)
	// Move the self-evaluation deadline into the past (the clock stands at
	// 2026-11-25).
	c, err := s.app.Assessment.UpdateDeadlines(s.system(), f.cycle.ID, assessment.Deadlines{SelfEvaluation: hr.NewDate(2026, 11, 20),
		ManagerReview: hr.NewDate(2026, 12, 9), Calibration: hr.NewDate(2026, 12, 16), AppealUntil: hr.NewDate(2026, 12, 31)}, f.cycle.Version)
	if err != nil {
		t.Fatalf("UpdateDeadlines: %v", err)
	}
	f.cycle = c
	hrb, wang := s.browser(t), s.browser(t)
	hrb.login("hr")
	wang.login("wangli")
	wantStatus(t, "open", hrb.transition(f.cycle.ID, "open"), http.StatusSeeOther)
	p := s.participant(t, f)
	rev := "/assessment/reviews/" + p.ID
	self := func() response {
		return wang.post(rev+"/self", url.Values{"csrf": {wang.csrf(rev)}, "action": {"submit"},
			"s0_ind": {f.quant.ID}, "s0_score": {"90"}, "s1_ind": {f.qua.ID}, "s1_score": {"4"}})
	}
	r := self()
	wantStatus(t, "submit after the deadline", r, http.StatusConflict)
	wantBody(t, "submit after the deadline", r, "已过截止日期")
	reopen := func(due, reason string) response {
		return hrb.post(rev+"/reopen", url.Values{"csrf": {hrb.csrf(rev)}, "due": {due}, "reason": {reason}})
	}
	wantStatus(t, "reopen without a reason", reopen("2026-11-30", ""), http.StatusBadRequest)
	wantStatus(t, "reopen", reopen("2026-11-30", "出差期间无法提交"), http.StatusSeeOther)
	wantStatus(t, "submit after reopening", self(), http.StatusSeeOther)

	wantStatus(t, "manager review", hrb.transition(f.cycle.ID, "manager_review"), http.StatusSeeOther)
	act := "/assessment/cycles/" + f.cycle.ID + "/actuals"
	r = hrb.get(act)
	wantStatus(t, "actuals page", r, http.StatusOK)
	wantBody(t, "actuals grid", r, `name="a_`+p.ID+`_`+f.quant.ID+`"`)
	r = hrb.post(act, url.Values{"csrf": {hrb.csrf(act)}, "a_" + p.ID + "_" + f.quant.ID: {"36"}})
	wantStatus(t, "typed actual", r, http.StatusSeeOther)
	rv, err := s.app.Assessment.Review(s.system(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := actualOf(rv, f.quant.ID); got != 36 {
		t.Errorf("actual after the grid = %v, want 36", got)
	}
	upload := func(csv string) response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("csrf", hrb.csrf(act))
		fw, _ := mw.CreateFormFile("file", "actuals.csv")
		_, _ = fw.Write([]byte(csv))
		_ = mw.Close()
		req, err := http.NewRequest(http.MethodPost, s.srv.URL+act+".csv", &body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return hrb.do(req)
	}
	r = upload("employee_number,indicator_code,actual\n" + p.EmployeeNumber + ",web_orders,44\n" + p.EmployeeNumber + ",no_such,1\n")
	wantStatus(t, "CSV with a bad row", r, http.StatusBadRequest)
	wantBody(t, "CSV with a bad row", r, "line 3")
	if rv, _ := s.app.Assessment.Review(s.system(), p.ID); actualOf(rv, f.quant.ID) != 36 {
		t.Error("a refused CSV changed an actual")
	}
	r = upload("employee_number,indicator_code,actual\n" + p.EmployeeNumber + ",web_orders,44\n")
	wantStatus(t, "CSV", r, http.StatusOK)
	if rv, _ := s.app.Assessment.Review(s.system(), p.ID); actualOf(rv, f.quant.ID) != 44 {
		t.Error("the CSV did not set the actual")
	}

	wantStatus(t, "calibration", hrb.transition(f.cycle.ID, "calibration"), http.StatusSeeOther)
	wantStatus(t, "finalise with unsubmitted reviews", hrb.transition(f.cycle.ID, "finalise"), http.StatusConflict)
	path := "/assessment/cycles/" + f.cycle.ID
	wantStatus(t, "finalise anyway", hrb.post(path+"/transition", url.Values{"csrf": {hrb.csrf(path)}, "version": {hrb.formVersion(path)},
		"action": {"finalise"}, "allow_incomplete": {"1"}, "reason": {"the other reviews are not part of this test"}}), http.StatusOK)
	r = hrb.get("/assessment/cycles/" + f.cycle.ID + "/departments/" + p.DepartmentID)
	wantStatus(t, "department report", r, http.StatusOK)
	// One quantitative indicator weighs 60 of 100.
	wantBody(t, "department report", r, `id="quant-rate">60%`, "独立成交订单", "带教与协作")
}

// actualOf returns the manager-side actual of indicator id in rv (0 when
// none).
func actualOf(rv assessment.Review, id string) float64 {
	for _, e := range rv.Manager {
		if e.IndicatorID == id && e.Actual != nil {
			return *e.Actual
		}
	}
	return 0
}

// TestAssessmentUI_EvidenceFileKeepsItsMetadataAndHash attaches a file to
// a self-evaluation: the entry keeps its name, size, type and SHA-256, a
// later save without a new file keeps it, and the manager sees its
// fingerprint once the self-evaluation is submitted.
func TestAssessmentUI_EvidenceFileKeepsItsMetadataAndHash(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	f := s.newAssessFixture(t)
	hrb, wang, liu := s.browser(t), s.browser(t), s.browser(t)
	hrb.login("hr")
	wang.login("wangli")
	liu.login("liuqiang")
	wantStatus(t, "open", hrb.transition(f.cycle.ID, "open"), http.StatusSeeOther)
	p := s.participant(t, f)
	rev := "/assessment/reviews/" + p.ID
	post := func(action string, file []byte) response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"csrf": wang.csrf(rev), "action": action, "s0_ind": f.quant.ID, "s0_score": "90",
			"s1_ind": f.qua.ID, "s1_score": "4"} {
			_ = mw.WriteField(k, v)
		}
		if file != nil {
			fw, _ := mw.CreateFormFile("s0_file", "orders.txt")
			_, _ = fw.Write(file)
		}
		_ = mw.Close()
		req, err := http.NewRequest(http.MethodPost, s.srv.URL+rev+"/self", &body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return wang.do(req)
	}
	wantStatus(t, "save with a file", post("save", []byte("hello")), http.StatusSeeOther)
	wantStatus(t, "submit without a new file", post("submit", nil), http.StatusSeeOther)
	rv, err := s.app.Assessment.Review(s.system(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []assessment.Evidence
	for _, e := range rv.Self {
		if e.IndicatorID == f.quant.ID {
			got = e.Evidence
		}
	}
	const helloSHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	if len(got) != 1 || got[0].Kind != assessment.EvidenceFile || got[0].Name != "orders.txt" || got[0].Size != 5 || got[0].SHA256 != helloSHA {
		t.Fatalf("evidence = %+v, want orders.txt, 5 bytes, sha256 of hello", got)
	}
	wantStatus(t, "manager review", hrb.transition(f.cycle.ID, "manager_review"), http.StatusSeeOther)
	wantBody(t, "the manager's form", liu.get(rev), "orders.txt", helloSHA[:12])
}
