package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/hr"
)

// assessFixture is a draft cycle over 王丽 alone, on a published template
// with one quantitative and one qualitative indicator, made for the web
// tests (the demo's own cycles are left alone).
type assessFixture struct {
	cycle      assessment.Cycle
	quant, qua assessment.Indicator
	template   assessment.Template
}

// newAssessFixture creates the fixture in the demo tenant as the system.
func (s *site) newAssessFixture(t *testing.T) assessFixture {
	t.Helper()
	ctx := s.system()
	a := s.app.Assessment
	quant, err := a.CreateIndicator(ctx, assessment.IndicatorParams{Code: "web_orders", Name: "独立成交订单", Kind: assessment.Quantitative,
		Unit: "单", Target: 40, Direction: assessment.HigherIsBetter, Mapping: assessment.Mapping{Kind: assessment.MappingRatio, Cap: 100}})
	if err != nil {
		t.Fatalf("CreateIndicator: %v", err)
	}
	qua, err := a.CreateIndicator(ctx, assessment.IndicatorParams{Code: "web_coaching", Name: "带教与协作", Kind: assessment.Qualitative,
		Scale: &assessment.RatingScale{Min: 1, Max: 5, Anchors: []assessment.Anchor{{Value: 1, Label: "不足"}, {Value: 5, Label: "标杆"}}}})
	if err != nil {
		t.Fatalf("CreateIndicator: %v", err)
	}
	tpl, err := a.CreateTemplate(ctx, assessment.TemplateParams{Name: "网页测试模板", Categories: []assessment.Category{
		{Key: "results", Name: "业绩结果", Weight: 60, Items: []assessment.Item{{IndicatorID: quant.ID, Weight: 100}}},
		{Key: "competencies", Name: "能力素质", Weight: 40, Items: []assessment.Item{{IndicatorID: qua.ID, Weight: 100}}},
	}})
	if err != nil {
		t.Fatalf("CreateTemplate: %v", err)
	}
	if tpl, err = a.PublishTemplate(ctx, tpl.ID, tpl.Version); err != nil {
		t.Fatalf("PublishTemplate: %v", err)
	}
	c, err := a.CreateCycle(ctx, assessment.CycleParams{Name: "2026 第四季度考核", Kind: assessment.Quarterly,
		Period:     assessment.Period{Label: "2026Q4-web", Start: hr.NewDate(2026, 10, 1), End: hr.NewDate(2026, 12, 31)},
		Selection:  assessment.Selection{EmployeeIDs: []string{s.logins["wangli"].EmployeeID}},
		TemplateID: tpl.ID,
		Deadlines: assessment.Deadlines{SelfEvaluation: hr.NewDate(2026, 12, 2), ManagerReview: hr.NewDate(2026, 12, 9),
			Calibration: hr.NewDate(2026, 12, 16), AppealUntil: hr.NewDate(2026, 12, 31)}})
	if err != nil {
		t.Fatalf("CreateCycle: %v", err)
	}
	return assessFixture{cycle: c, quant: quant, qua: qua, template: tpl}
}

// participant returns 王丽's participant ID in the fixture's cycle (once
// it is open).
func (s *site) participant(t *testing.T, f assessFixture) assessment.Participant {
	t.Helper()
	ps, err := s.app.Assessment.Participants(s.system(), assessment.ParticipantQuery{CycleID: f.cycle.ID})
	if err != nil || len(ps) != 1 {
		t.Fatalf("participants: %v (%d)", err, len(ps))
	}
	return ps[0]
}

var versionInput = regexp.MustCompile(`name="version" value="(\d+)"`)

// formVersion loads path and returns the version of its first form.
func (b *browser) formVersion(path string) string {
	b.t.Helper()
	r := b.get(path)
	m := versionInput.FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("GET %s: no version field (status %d)", path, r.status)
	}
	return m[1]
}

// transition moves the fixture's cycle on through its page as HR.
func (b *browser) transition(cycleID, action string) response {
	b.t.Helper()
	path := "/assessment/cycles/" + cycleID
	return b.post(path+"/transition", url.Values{"csrf": {b.csrf(path)}, "version": {b.formVersion(path)}, "action": {action}})
}

func wantStatus(t *testing.T, what string, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body %.600s", what, r.status, status, mainOf(r.body))
	}
}

func wantBody(t *testing.T, what string, r response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(r.body, w) {
			t.Errorf("%s: body lacks %q", what, w)
		}
	}
}

// TestAssessmentUI_WholeCycleThroughTheForms runs one review through the
// pages without a browser: HR opens the cycle, 王丽 saves a draft and
// submits her self-evaluation, 刘强 (her manager) enters the actual and
// scores, HR calibrates and finalises, 王丽 reads her result and appeals one
// indicator, 刘强 replies in the thread and HR adjusts the score.
func TestAssessmentUI_WholeCycleThroughTheForms(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	f := s.newAssessFixture(t)
	hrb, wang, liu := s.browser(t), s.browser(t), s.browser(t)
	hrb.login("hr")
	wang.login("wangli")
	liu.login("liuqiang")
	cyc := "/assessment/cycles/" + f.cycle.ID

	r := hrb.get(cyc)
	wantStatus(t, "HR's cycle page", r, http.StatusOK)
	wantBody(t, "draft cycle", r, "2026 第四季度考核", `data-action="open"`)
	wantStatus(t, "open", hrb.transition(f.cycle.ID, "open"), http.StatusSeeOther)
	p := s.participant(t, f)
	rev := "/assessment/reviews/" + p.ID

	// 王丽 finds the task and evaluates herself.
	r = wang.get("/assessment")
	wantStatus(t, "王丽's assessment page", r, http.StatusOK)
	wantBody(t, "王丽's tasks", r, `href="/assessment/reviews/`+p.ID+`"`)
	r = wang.get(rev)
	wantBody(t, "self-evaluation form", r, `id="self-form"`, "独立成交订单", "带教与协作")
	self := func(action, orders, coaching string) response {
		return wang.post(rev+"/self", url.Values{"csrf": {wang.csrf(rev)}, "action": {action},
			"s0_ind": {f.quant.ID}, "s0_score": {orders}, "s0_comment": {"独立成交 42 单"}, "s0_link": {"https://crm.example.com/report/42"},
			"s1_ind": {f.qua.ID}, "s1_score": {coaching}, "s1_comment": {"带教三名新人"}})
	}
	r = self("save", "100", "4")
	wantStatus(t, "save draft", r, http.StatusSeeOther)
	// The manager does not see the draft.
	r = liu.get(rev)
	wantStatus(t, "刘强 reads the review", r, http.StatusOK)
	if strings.Contains(r.body, "独立成交 42 单") {
		t.Error("the manager sees the self-evaluation draft")
	}
	r = self("submit", "95", "9")
	wantStatus(t, "a rating outside the scale", r, http.StatusBadRequest)
	wantBody(t, "a rating outside the scale", r, "entries[1].score")
	r = self("submit", "95", "4")
	wantStatus(t, "submit", r, http.StatusSeeOther)
	r = wang.get(rev)
	wantBody(t, "submitted review", r, "已提交自评")
	if strings.Contains(r.body, `id="self-form"`) {
		t.Error("a submitted self-evaluation is still editable")
	}

	// The manager cannot score before manager review, then scores.
	wantStatus(t, "manager review", hrb.transition(f.cycle.ID, "manager_review"), http.StatusSeeOther)
	r = liu.get(rev)
	wantBody(t, "scoring form", r, `id="manager-form"`, "独立成交 42 单", "https://crm.example.com/report/42")
	r = liu.post(rev+"/manager", url.Values{"csrf": {liu.csrf(rev)}, "action": {"submit"},
		"m0_ind": {f.quant.ID}, "m0_actual": {"42"}, "m0_comment": {"超额完成"},
		"m1_ind": {f.qua.ID}, "m1_score": {"4"}, "m1_comment": {"新人成长快"}})
	wantStatus(t, "manager submits", r, http.StatusSeeOther)

	// HR calibrates and finalises.
	wantStatus(t, "calibration", hrb.transition(f.cycle.ID, "calibration"), http.StatusSeeOther)
	r = hrb.get(cyc + "/calibration")
	wantStatus(t, "calibration page", r, http.StatusOK)
	wantBody(t, "calibration page", r, `id="distribution"`, `id="calibrate-form"`, "王丽")
	cal := func(score, reason string) response {
		return hrb.post(cyc+"/calibrate", url.Values{"csrf": {hrb.csrf(cyc + "/calibration")}, "participant_id": {p.ID}, "score": {score}, "reason": {reason}})
	}
	wantStatus(t, "calibrate without a reason", cal("88", ""), http.StatusBadRequest)
	wantStatus(t, "calibrate", cal("88", "跨部门协作突出"), http.StatusSeeOther)
	r = hrb.transition(f.cycle.ID, "finalise")
	wantStatus(t, "finalise", r, http.StatusOK)
	wantBody(t, "finalise report", r, `id="finalise-report"`)

	// 王丽 reads her result and appeals the qualitative indicator.
	r = wang.get("/assessment")
	wantBody(t, "王丽's reviews", r, `href="/assessment/reviews/`+p.ID+`/result"`)
	res := rev + "/result"
	r = wang.get(res)
	wantStatus(t, "result", r, http.StatusOK)
	wantBody(t, "result", r, `id="result-score">88`, "新人成长快", `id="appeal-form"`)
	r = wang.post("/appeals", url.Values{"csrf": {wang.csrf(res)}, "subject_id": {p.ID}, "item": {"web_coaching"}, "reason": {""}})
	wantStatus(t, "appeal without a reason", r, http.StatusBadRequest)
	r = wang.post("/appeals", url.Values{"csrf": {wang.csrf(res)}, "subject_id": {p.ID}, "item": {"web_coaching"}, "reason": {"带教的三名新人均已独立成交，评分偏低。"}})
	wantStatus(t, "appeal", r, http.StatusSeeOther)
	ap := r.location
	if i := strings.Index(ap, "?"); i >= 0 {
		ap = ap[:i]
	}
	r = liu.post(ap+"/reply", url.Values{"csrf": {liu.csrf(ap)}, "body": {"同意复核，新人成长数据属实。"}})
	wantStatus(t, "the manager replies", r, http.StatusSeeOther)
	r = hrb.get(ap)
	wantBody(t, "HR's appeal page", r, "同意复核", `id="decide-form"`)
	decide := func(result, score, reason string) response {
		return hrb.post(ap+"/decide", url.Values{"csrf": {hrb.csrf(ap)}, "version": {hrb.formVersion(ap)}, "result": {result}, "score": {score}, "reason": {reason}})
	}
	wantStatus(t, "adjust without a score", decide("adjusted", "", "复核"), http.StatusBadRequest)
	wantStatus(t, "adjust", decide("adjusted", "100", "复核属实，上调带教评分"), http.StatusSeeOther)
	r = wang.get(ap)
	wantBody(t, "the decided appeal", r, "调整结果", "复核属实，上调带教评分")
	r = wang.get(res)
	wantBody(t, "the adjusted result", r, `id="result-adjustments"`, "复核属实")

	pg, err := s.app.Appeals.All(s.system(), appeal.Filter{Kind: "assessment.result", SubjectID: p.ID})
	if err != nil || len(pg.Appeals) != 1 || pg.Appeals[0].Result != appeal.ResultAdjusted {
		t.Errorf("appeals on 王丽's result = %+v, %v; want one adjusted", pg.Appeals, err)
	}
}

// TestAssessmentUI_RefusesBadInputAndOutsiders checks the errors a person
// meets in the pages, each with nothing changed: weights that do not sum
// to 100, pages of HR refused to employees, someone else's review hidden,
// forms without a CSRF token.
func TestAssessmentUI_RefusesBadInputAndOutsiders(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	f := s.newAssessFixture(t)
	hrb, zhao := s.browser(t), s.browser(t)
	hrb.login("hr")
	zhao.login("zhaomin")

	t.Run("TemplateWeightsMustSumTo100", func(t *testing.T) {
		r := hrb.post("/assessment/templates", url.Values{"csrf": {hrb.csrf("/assessment/templates/new")}, "name": {"坏模板"},
			"c0_key": {"results"}, "c0_name": {"业绩"}, "c0_weight": {"70"},
			"c1_key": {"competencies"}, "c1_name": {"能力"}, "c1_weight": {"40"},
			"i0_cat": {"results"}, "i0_ind": {f.quant.ID}, "i0_weight": {"100"},
			"i1_cat": {"competencies"}, "i1_ind": {f.qua.ID}, "i1_weight": {"90"}})
		wantStatus(t, "bad weights", r, http.StatusBadRequest)
		wantBody(t, "bad weights", r, `id="template-errors"`, "categories")
		ts, err := s.app.Assessment.Templates(s.system())
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range ts {
			if tp.Name == "坏模板" {
				t.Error("a template with bad weights was stored")
			}
		}
	})
	t.Run("HRPagesRefusedToEmployees", func(t *testing.T) {
		for _, path := range []string{"/assessment/cycles", "/assessment/cycles/new", "/assessment/templates", "/assessment/cycles/" + f.cycle.ID + "/calibration"} {
			if r := zhao.get(path); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("GET %s as 赵敏: status %d, want 403 or 404", path, r.status)
			}
		}
		r := zhao.post("/assessment/cycles/"+f.cycle.ID+"/transition", url.Values{"csrf": {zhao.csrf("/assessment")}, "version": {"1"}, "action": {"open"}})
		if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("赵敏 opens the cycle: status %d", r.status)
		}
	})
	t.Run("SomeoneElsesReviewIsHidden", func(t *testing.T) {
		wantStatus(t, "open", hrb.transition(f.cycle.ID, "open"), http.StatusSeeOther)
		p := s.participant(t, f)
		r := zhao.get("/assessment/reviews/" + p.ID)
		if r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("赵敏 reads 王丽's review: status %d", r.status)
		}
		r = zhao.post("/assessment/reviews/"+p.ID+"/self", url.Values{"csrf": {zhao.csrf("/assessment")}, "s0_ind": {f.quant.ID}, "s0_score": {"100"}})
		if r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("赵敏 writes 王丽's self-evaluation: status %d", r.status)
		}
	})
	t.Run("FormsRefusePostsWithoutCSRF", func(t *testing.T) {
		for _, path := range []string{"/assessment/cycles/" + f.cycle.ID + "/transition", "/assessment/templates", "/assessment/grades", "/appeals"} {
			if r := hrb.post(path, url.Values{"action": {"open"}}); r.status != http.StatusForbidden {
				t.Errorf("POST %s without CSRF: status %d, want 403", path, r.status)
			}
		}
	})
}

var assessLink = regexp.MustCompile(`href="(/(?:assessment|360|appeals)[^"#]*)"`)

// TestAssessmentUI_DemoPages runs the read-only page tests on one demo
// site.
func TestAssessmentUI_DemoPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	t.Run("EveryLinkOpensForEveryDemoLoginInBothLanguages", func(t *testing.T) { testEveryLinkOpens(t, s) })
	t.Run("ResultLinksItsJSON", func(t *testing.T) { testResultLinksItsJSON(t, s) })
}

// testEveryLinkOpens crawls the assessment, 360 and appeal pages from the
// start page, three links deep, as each demo login in each language, on
// the demo's own cycles, rounds and appeals: every link shown opens (no
// page offers a link its reader may not follow), and no page shows a
// catalog key instead of a text.
func testEveryLinkOpens(t *testing.T, s *site) {
	for _, login := range []string{"hr", "liuqiang", "wangli", "zhaomin", "zhanglei", "admin"} {
		for _, lang := range []string{"zh-CN", "en"} {
			t.Run(login+"/"+lang, func(t *testing.T) {
				b := s.browser(t)
				b.login(login)
				b.setLang(lang)
				crawl(t, b, login)
				if login == "hr" {
					wantBody(t, lang+" cycles", b.get("/assessment/cycles"), map[string]string{"en": "Review cycles", "zh-CN": "考核周期"}[lang])
				}
			})
		}
	}
}

// crawl follows the assessment links from the start pages.
func crawl(t *testing.T, b *browser, login string) {
	t.Helper()
	seen := map[string]bool{}
	queue := []string{"/assessment", "/360", "/appeals"}
	for depth := 0; depth < 4 && len(queue) > 0; depth++ {
		var next []string
		for _, path := range queue {
			if seen[path] {
				continue
			}
			seen[path] = true
			r := b.get(path)
			if r.status != http.StatusOK {
				// A page shows only the links its reader may follow.
				t.Errorf("%s: GET %s: status %d", login, path, r.status)
				continue
			}
			for _, k := range []string{">as.", ">mr.", ">ap.", `"as.`, " as.", " mr.", " ap."} {
				if strings.Contains(r.body, k) {
					t.Errorf("%s: %s shows a catalog key (%q)", login, path, k)
				}
			}
			for _, m := range assessLink.FindAllStringSubmatch(r.body, -1) {
				if !seen[m[1]] && !strings.HasSuffix(m[1], ".csv") {
					next = append(next, strings.ReplaceAll(m[1], "&amp;", "&"))
				}
			}
		}
		queue = next
	}
	if len(seen) < 3 {
		t.Errorf("%s: crawled only %d pages", login, len(seen))
	}
}

// testResultLinksItsJSON follows the JSON link of a demo result page with
// the browser's session: the API answers with the same result.
func testResultLinksItsJSON(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("hr")
	pg, err := s.app.Appeals.All(s.system(), appeal.Filter{Kind: "assessment.result"})
	if err != nil || len(pg.Appeals) == 0 {
		t.Fatalf("the demo has no appeal on a result: %v", err)
	}
	pid := pg.Appeals[0].SubjectID
	r := b.get("/assessment/reviews/" + pid + "/result")
	wantStatus(t, "result", r, http.StatusOK)
	link := "/api/assessment/participants/" + pid + "/result"
	wantBody(t, "result", r, `href="`+link+`"`)
	r = b.get(link)
	wantStatus(t, "JSON", r, http.StatusOK)
	wantBody(t, "JSON", r, `"participant"`, pid)
}

// mainOf cuts a page down to what follows its inline styles, for failure
// messages.
func mainOf(body string) string {
	if i := strings.Index(body, "<main>"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</style>"); i >= 0 {
		body = body[i:]
	}
	return body
}
