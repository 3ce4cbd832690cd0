package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
)

// answer submits rater's answers on their assignment for reviewee in
// round through the service, as the rater.
func (s *site) answer(t *testing.T, roundID, raterID, revieweeID string, score int, comment string) {
	t.Helper()
	ctx := s.as(raterID)
	as, err := s.app.Multirater.MyAssignments(ctx, roundID)
	if err != nil {
		t.Fatalf("MyAssignments of %s: %v", raterID, err)
	}
	for _, a := range as {
		if a.RevieweeID == revieweeID && a.Status == multirater.StatusOpen {
			ans := multirater.Answers{Scores: map[string]int{"lead1": score, "lead2": score}}
			if comment != "" {
				ans.Comments = map[string]string{"LEAD": comment}
			}
			if _, err := s.app.Multirater.Submit(ctx, a.ID, ans); err != nil {
				t.Fatalf("Submit by %s: %v", raterID, err)
			}
			return
		}
	}
	t.Fatalf("%s has no open assignment for %s", raterID, revieweeID)
}

// TestMultiraterUI_NominateApproveAnswerAndReportWithoutLeaks runs a 360
// round over 王丽 through the pages: she cannot nominate herself, nominates
// three peers, 刘强 approves them, HR opens the round, 赵敏 answers her
// questionnaire, the others answer, HR closes it; 王丽's report shows the
// direct reports (three answered) but not the peers (two answered: below
// the threshold), no peer comment, and no anonymous rater's name.
func TestMultiraterUI_NominateApproveAnswerAndReportWithoutLeaks(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	f := s.newAssessFixture(t)
	sys := s.system()
	wangID, liuID, zhaoID := s.logins["wangli"].EmployeeID, s.logins["liuqiang"].EmployeeID, s.logins["zhaomin"].EmployeeID
	round, err := s.app.Multirater.CreateRound(sys, multirater.RoundParams{CycleID: f.cycle.ID, Name: "2026 第四季度 360",
		Questionnaire: multirater.Questionnaire{Scale: multirater.Scale{Min: 1, Max: 5, Anchors: []multirater.Anchor{{Value: 1, Label: "很少"}, {Value: 5, Label: "总是"}}},
			Dimensions: []multirater.Dimension{{Code: "LEAD", Name: "领导力", Comment: true, Questions: []multirater.Question{
				{Code: "lead1", Text: "清晰地分配任务"}, {Code: "lead2", Text: "帮助他人成长"}}}}},
		NominationDue: hr.NewDate(2026, 12, 1), ResponseDue: hr.NewDate(2026, 12, 10), Reviewees: []string{wangID}})
	if err != nil {
		t.Fatalf("CreateRound: %v", err)
	}
	peers := []hr.Employee{s.employee(t, "何志明"), s.employee(t, "罗芳"), s.employee(t, "韩雪")}
	reports := []hr.Employee{s.employee(t, "李娜"), s.employee(t, "黄鹏")}
	for _, e := range append(append([]hr.Employee{}, peers...), reports...) {
		if err := s.app.Access.GrantRole(sys, e.ID, access.RoleEmployee, "test"); err != nil {
			t.Fatal(err)
		}
	}
	wang, liu, zhao, hrb := s.browser(t), s.browser(t), s.browser(t), s.browser(t)
	wang.login("wangli")
	liu.login("liuqiang")
	zhao.login("zhaomin")
	hrb.login("hr")
	rp := "/360/rounds/" + round.ID

	r := wang.get("/360")
	wantStatus(t, "王丽's 360 page", r, http.StatusOK)
	wantBody(t, "王丽's rounds", r, `href="`+rp+`"`)
	r = wang.get(rp)
	wantBody(t, "the nomination form", r, `id="nominate-form"`, "赵敏")
	nominate := func(ids ...string) response {
		return wang.post(rp+"/nominate", url.Values{"csrf": {wang.csrf(rp)}, "group": {"peer"}, "rater": ids})
	}
	r = nominate(wangID)
	wantStatus(t, "nominating herself", r, http.StatusBadRequest)
	wantBody(t, "nominating herself", r, "不能提名自己")
	wantStatus(t, "nominating peers", nominate(peers[0].ID, peers[1].ID, peers[2].ID), http.StatusSeeOther)

	// 刘强 approves the nominations on his 360 page.
	r = liu.get("/360")
	wantBody(t, "刘强's approvals", r, `id="mr-pending"`, "何志明", "罗芳", "韩雪")
	pending, err := s.app.Multirater.PendingNominations(sys, round.ID, "", 100)
	if err != nil || len(pending) != 3 {
		t.Fatalf("pending nominations: %v (%d)", err, len(pending))
	}
	for _, n := range pending {
		r := liu.post("/360/nominations/"+n.ID+"/decide", url.Values{"csrf": {liu.csrf("/360")}, "version": {strconv.FormatInt(n.Version, 10)}, "decision": {"approve"}})
		if r.status != http.StatusSeeOther || !strings.Contains(r.location, "saved=approved") {
			t.Fatalf("approve %s: status %d, location %s", n.ID, r.status, r.location)
		}
	}

	// HR opens the round; HR's page shows counts, never names of raters.
	r = hrb.post(rp+"/state", url.Values{"csrf": {hrb.csrf(rp)}, "version": {hrb.formVersion(rp)}, "action": {"open"}})
	wantStatus(t, "open the round", r, http.StatusSeeOther)

	// 赵敏 (a direct report) answers through the questionnaire.
	as, err := s.app.Multirater.MyAssignments(s.as(zhaoID), round.ID)
	if err != nil || len(as) != 1 {
		t.Fatalf("赵敏's assignments: %v (%d)", err, len(as))
	}
	q := "/360/assignments/" + as[0].ID
	r = zhao.get(q)
	wantBody(t, "questionnaire", r, `id="questionnaire"`, "清晰地分配任务", `name="q_lead1"`)
	r = zhao.post(q, url.Values{"csrf": {zhao.csrf(q)}, "action": {"submit"}, "q_lead1": {"4"}})
	wantStatus(t, "a partial submission", r, http.StatusBadRequest)
	r = zhao.post(q, url.Values{"csrf": {zhao.csrf(q)}, "action": {"submit"}, "q_lead1": {"4"}, "q_lead2": {"5"}, "c_LEAD": {"DIRECTCOMMENT 分工清楚"}})
	wantStatus(t, "submit", r, http.StatusSeeOther)

	s.answer(t, round.ID, wangID, wangID, 5, "SELFCOMMENT")
	s.answer(t, round.ID, liuID, wangID, 4, "")
	for _, e := range reports {
		s.answer(t, round.ID, e.ID, wangID, 3, "")
	}
	for _, e := range peers[:2] {
		s.answer(t, round.ID, e.ID, wangID, 1, "PEERSECRET")
	}

	r = hrb.get(rp)
	wantBody(t, "HR's progress", r, `id="round-progress"`)
	for _, e := range append(append([]hr.Employee{}, peers...), reports...) {
		if strings.Contains(r.body, e.Name) {
			t.Errorf("HR's round page names rater %s", e.Name)
		}
	}
	r = wang.get(rp + "/report/" + wangID)
	wantStatus(t, "report before closing", r, http.StatusConflict)
	r = hrb.post(rp+"/state", url.Values{"csrf": {hrb.csrf(rp)}, "version": {hrb.formVersion(rp)}, "action": {"close"}})
	wantStatus(t, "close the round", r, http.StatusSeeOther)

	r = wang.get(rp + "/report/" + wangID)
	wantStatus(t, "王丽's report", r, http.StatusOK)
	wantBody(t, "王丽's report", r, "领导力", "下属", "DIRECTCOMMENT", "SELFCOMMENT")
	if strings.Contains(r.body, "PEERSECRET") {
		t.Error("the report shows a comment of the peer group below its threshold")
	}
	if strings.Contains(r.body, ">同事") {
		t.Error("the report shows the peer group below its threshold")
	}
	for _, e := range append(append([]hr.Employee{}, peers...), reports...) {
		if strings.Contains(r.body, e.Name) {
			t.Errorf("the report names anonymous rater %s", e.Name)
		}
	}
	if strings.Contains(r.body, "赵敏") {
		t.Error("the report names 赵敏, an anonymous direct report")
	}
	// Another employee may not read it.
	if r := zhao.get(rp + "/report/" + wangID); r.status == http.StatusOK {
		t.Error("赵敏 reads 王丽's 360 report")
	}
}

// TestMultiraterUI_HRCreatesARoundFromTheForm types a questionnaire in the
// new-round form: dimensions with their questions, comments on one, the
// cycle's participants as reviewees; a question before any dimension is
// refused with nothing created.
func TestMultiraterUI_HRCreatesARoundFromTheForm(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	f := s.newAssessFixture(t)
	b := s.browser(t)
	b.login("hr")
	wantStatus(t, "open", b.transition(f.cycle.ID, "open"), http.StatusSeeOther)
	r := b.get("/assessment/cycles/" + f.cycle.ID)
	wantBody(t, "cycle page", r, `href="/360/rounds/new?cycle=`+f.cycle.ID+`"`)
	form := "/360/rounds/new?cycle=" + f.cycle.ID
	r = b.get(form)
	wantStatus(t, "new-round form", r, http.StatusOK)
	wantBody(t, "new-round form", r, `id="round-form"`, "LEAD 领导力 *")
	post := func(dims string) response {
		return b.post("/360/rounds", url.Values{"csrf": {b.csrf(form)}, "cycle_id": {f.cycle.ID}, "name": {"第四季度 360"},
			"scale_min": {"1"}, "scale_max": {"5"}, "anchors": {"1: 很少\n5: 总是"}, "dimensions": {dims},
			"nomination_due": {"2026-12-01"}, "response_due": {"2026-12-10"}, "reviewee": {s.logins["wangli"].EmployeeID}})
	}
	r = post("- lead1 先写题目\nLEAD 领导力")
	wantStatus(t, "a question before any dimension", r, http.StatusBadRequest)
	wantBody(t, "a question before any dimension", r, "questionnaire.line[1]")
	if rs, _ := s.app.Multirater.Rounds(s.system(), f.cycle.ID); len(rs) != 0 {
		t.Fatalf("a refused form created %d rounds", len(rs))
	}
	r = post("LEAD 领导力 *\n- lead1 为团队设定清晰目标\n- lead2 帮助他人成长\nCOLL 跨部门协作\n- coll1 主动共享信息")
	wantStatus(t, "create", r, http.StatusSeeOther)
	rs, err := s.app.Multirater.Rounds(s.system(), f.cycle.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("rounds = %d, %v", len(rs), err)
	}
	q := rs[0].Questionnaire
	if len(q.Dimensions) != 2 || !q.Dimensions[0].Comment || q.Dimensions[1].Comment || len(q.Dimensions[0].Questions) != 2 ||
		q.Dimensions[1].Questions[0].Text != "主动共享信息" || len(q.Scale.Anchors) != 2 || rs[0].Reviewees != 1 {
		t.Errorf("round = %+v", rs[0])
	}
}
