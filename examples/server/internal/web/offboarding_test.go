package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/offboarding"
)

// demoCase returns 张磊's open offboarding case of the demo.
func (s *site) demoCase(t *testing.T) offboarding.Case {
	t.Helper()
	cs, err := s.app.Offboarding.Cases(s.system(), offboarding.CaseFilter{Status: offboarding.CaseOpen})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.EmployeeID == s.logins["zhanglei"].EmployeeID {
			return c
		}
	}
	t.Fatal("the demo has no open case for 张磊")
	return offboarding.Case{}
}

// outsiderLogin creates a login "outsider" for an active employee who takes
// no part in 张磊's case, with the plain employee role.
func (s *site) outsiderLogin(t *testing.T, c offboarding.Case) {
	t.Helper()
	pg, err := s.app.HR.ListEmployees(s.system(), hr.EmployeeFilter{Status: hr.StatusActive, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	taken := append([]string{c.EmployeeID, c.ManagerID, c.HRID}, c.Successors...)
	for _, l := range s.logins {
		taken = append(taken, l.EmployeeID)
	}
	for _, e := range pg.Employees {
		if slices.Contains(taken, e.ID) {
			continue
		}
		if err := s.app.Access.GrantRole(s.system(), e.ID, access.RoleEmployee, "test"); err != nil {
			t.Fatal(err)
		}
		if err := s.app.Auth.CreateUser(s.system(), demo.TenantID, "outsider", demo.Password, e.ID); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no employee outside the case")
}

var hashInput = regexp.MustCompile(`name="hash" value="([0-9a-f]{64})"`)

// TestOffboardingUI runs the offboarding page tests against one demo site.
// The read-only tests run in parallel; the ones that move the case on run
// in order afterwards.
func TestOffboardingUI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := s.demoCase(t)
	s.outsiderLogin(t, c)
	t.Run("read", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			fn   func(t *testing.T, s *site, c offboarding.Case)
		}{
			{"Cases_HRSeesEveryCaseOthersTheirOwn", testCases_HRSeesEveryCaseOthersTheirOwn},
			{"Case_ShowsStepsCustomersAndTheAccessPreviewToHR", testCase_ShowsStepsCustomersAndTheAccessPreviewToHR},
			{"Case_HiddenFromEmployeesWhoTakeNoPart", testCase_HiddenFromEmployeesWhoTakeNoPart},
			{"Sign_OnlyTheSuccessorSeesAndSigns", testSign_OnlyTheSuccessorSeesAndSigns},
			{"Forms_RefusePostsWithoutCSRF", testForms_RefusePostsWithoutCSRF},
			{"Report_PrintableWithIntegrityAndCSVForHROnly", testReport_PrintableWithIntegrityAndCSVForHROnly},
			{"Explain_AnswersForWhoeverRunsTheCase", testExplain_AnswersForWhoeverRunsTheCase},
			{"Template_ShowsFieldErrorsAndNeedsHR", testTemplate_ShowsFieldErrorsAndNeedsHR},
			{"Plan_EditorNeedsAccessManage", testPlan_EditorNeedsAccessManage},
			{"Profile_LinksToTheCaseForWhoMayOpenIt", testProfile_LinksToTheCaseForWhoMayOpenIt},
		} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				tt.fn(t, s, c)
			})
		}
	})
	var opened string
	t.Run("Resign_OpensACaseAndEscapesTheReason", func(t *testing.T) { opened = testResign_OpensACaseAndEscapesTheReason(t, s) })
	t.Run("CustomStep_ClosedByItsRuleThenTheCaseWithdrawn", func(t *testing.T) { testCustomStep_ClosedByItsRuleThenTheCaseWithdrawn(t, s, opened) })
	t.Run("Sign_MovesTheCustomersToTheSuccessor", func(t *testing.T) { testSign_MovesTheCustomersToTheSuccessor(t, s, c) })
	t.Run("Work_SubmittedByTheLeaverApprovedByTheManager", func(t *testing.T) { testWork_SubmittedByTheLeaverApprovedByTheManager(t, s, c) })
	t.Run("Items_ForceClose_Complete", func(t *testing.T) { testItems_ForceClose_Complete(t, s, c) })
	t.Run("SelfService_RecordsOnlyOnesOwnVoluntaryResignation", func(t *testing.T) { testSelfService_RecordsOnlyOnesOwnVoluntaryResignation(t, s) })
}

func testSelfService_RecordsOnlyOnesOwnVoluntaryResignation(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("zhaomin")
	r := b.get("/offboarding")
	if !strings.Contains(r.body, `id="self-resign"`) {
		t.Fatal("no self-service resignation button")
	}
	form := b.get("/offboarding/new")
	lina := s.employee(t, "李娜")
	if !strings.Contains(form.body, `value="`+lina.ID+`"`) {
		t.Fatal("the successor choice does not list colleagues")
	}
	tok := b.csrf("/offboarding/new")
	// A forged employee and kind are ignored: the form records her own
	// voluntary resignation.
	r = b.post("/offboarding", url.Values{"csrf": {tok}, "employee_id": {s.logins["wangli"].EmployeeID}, "kind": {"involuntary"},
		"submitted_on": {"2026-11-25"}, "last_day": {"2026-12-25"}, "successor": {lina.ID}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("self-service resign: status %d %.300s", r.status, r.body)
	}
	cs, err := s.app.Offboarding.Cases(s.system(), offboarding.CaseFilter{Status: offboarding.CaseOpen, EmployeeID: s.logins["zhaomin"].EmployeeID})
	if err != nil || len(cs) != 1 || cs[0].Kind != offboarding.ExitVoluntary {
		t.Fatalf("her case: %v %+v", err, cs)
	}
	if got := s.employee(t, "王丽"); got.Status != hr.StatusActive {
		t.Errorf("王丽 = %s: a forged employee was resigned", got.Status)
	}
	if r := b.get("/offboarding"); strings.Contains(r.body, `id="self-resign"`) {
		t.Error("the button is still offered with her case open")
	}
}

// formVersion finds the version field of the form posting to action.
func formVersionOf(t *testing.T, body, action string) string {
	t.Helper()
	m := regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form posting to %s with a version", action)
	}
	return m[1]
}

func testCustomStep_ClosedByItsRuleThenTheCaseWithdrawn(t *testing.T, s *site, id string) {
	if id == "" {
		t.Skip("no case was opened")
	}
	b := s.browser(t)
	b.login("hr")
	r := b.get("/offboarding/" + id)
	// The template saved by the template test gave new cases a custom
	// exit interview that HR confirms.
	action := "/offboarding/" + id + "/steps/exit-interview/close"
	v := formVersionOf(t, r.body, action)
	tok := b.csrf("/offboarding")
	if r = b.post(action, url.Values{"csrf": {tok}, "version": {v}, "note": {"面谈已完成 <b>ok</b>"}}); r.status != http.StatusSeeOther {
		t.Fatalf("close: status %d %.300s", r.status, r.body)
	}
	if r = b.post(action, url.Values{"csrf": {tok}, "version": {v}, "note": {"again"}}); r.status != http.StatusConflict {
		t.Errorf("closing twice: status %d, want 409", r.status)
	}
	r = b.get("/offboarding/" + id)
	if !strings.Contains(r.body, "面谈已完成 &lt;b&gt;ok&lt;/b&gt;") {
		t.Error("the closed step does not show its note (escaped)")
	}
	// Moving the last day moves the open deadlines.
	v = formVersionOf(t, r.body, "/offboarding/"+id+"/lastday")
	if r = b.post("/offboarding/"+id+"/lastday", url.Values{"csrf": {tok}, "version": {v}, "last_day": {"2027-01-08"}, "reason": {"交接量大，延后"}}); r.status != http.StatusSeeOther {
		t.Fatalf("change last day: status %d %.300s", r.status, r.body)
	}
	r = b.get("/offboarding/" + id)
	if !strings.Contains(r.body, "最后工作日 2027-01-08") || !strings.Contains(r.body, "2027-01-05") {
		t.Error("the case does not show the new last day and the moved customer deadline")
	}
	// Withdrawal needs a reason and HR.
	v = formVersionOf(t, r.body, "/offboarding/"+id+"/withdraw")
	if r = b.post("/offboarding/"+id+"/withdraw", url.Values{"csrf": {tok}, "version": {v}, "reason": {""}}); r.status != http.StatusBadRequest {
		t.Errorf("withdraw without a reason: status %d, want 400", r.status)
	}
	if r = b.post("/offboarding/"+id+"/withdraw", url.Values{"csrf": {tok}, "version": {v}, "reason": {"员工决定留任"}}); r.status != http.StatusSeeOther {
		t.Fatalf("withdraw: status %d", r.status)
	}
	r = b.get("/offboarding/" + id)
	if !strings.Contains(r.body, "已撤回") || !strings.Contains(r.body, "员工决定留任") || strings.Contains(r.body, `id="withdraw-case"`) {
		t.Error("the withdrawn case does not show its state and reason, or still offers withdrawal")
	}
	if got := s.employee(t, "刘强"); got.Status != hr.StatusActive {
		t.Errorf("刘强 after the withdrawal: %s, want active", got.Status)
	}
}

func testItems_ForceClose_Complete(t *testing.T, s *site, c offboarding.Case) {
	items, err := s.app.Offboarding.ItemReturns(s.system(), c.ID)
	if err != nil || len(items) < 2 {
		t.Fatalf("items: %v (%d)", err, len(items))
	}
	// The leaver can neither confirm his own items nor complete his case.
	l := s.browser(t)
	l.login("zhanglei")
	ltok := l.csrf("/offboarding")
	if r := l.post("/offboarding/"+c.ID+"/items/"+items[0].AssetID+"/return", url.Values{"csrf": {ltok}, "on": {"2026-11-25"}, "condition": {"good"}}); r.status != http.StatusForbidden {
		t.Errorf("leaver returns an item: status %d, want 403", r.status)
	}
	if r := l.post("/offboarding/"+c.ID+"/complete", url.Values{"csrf": {ltok}, "version": {"1"}}); r.status != http.StatusForbidden {
		t.Errorf("leaver completes: status %d, want 403", r.status)
	}
	b := s.browser(t)
	b.login("hr")
	tok := b.csrf("/offboarding")
	if r := b.post("/offboarding/"+c.ID+"/items/"+items[0].AssetID+"/return", url.Values{"csrf": {tok}, "on": {"2026-11-25"}, "condition": {"worn"}, "note": {"屏幕划痕"}}); r.status != http.StatusSeeOther {
		t.Fatalf("return: status %d %.300s", r.status, r.body)
	}
	for _, it := range items[1:] {
		if r := b.post("/offboarding/"+c.ID+"/items/"+it.AssetID+"/missing", url.Values{"csrf": {tok}, "cost_note": {"按折旧价 ¥200 从工资扣除"}}); r.status != http.StatusSeeOther {
			t.Fatalf("missing: status %d", r.status)
		}
	}
	r := b.get("/offboarding/" + c.ID)
	if !strings.Contains(r.body, "屏幕划痕") || !strings.Contains(r.body, "按折旧价 ¥200 从工资扣除") {
		t.Error("the items do not show their outcome")
	}
	// Completing with the customer step open is refused; HR force-closes
	// it with a reason, then completes.
	v := formVersionOf(t, r.body, "/offboarding/"+c.ID+"/complete")
	if r = b.post("/offboarding/"+c.ID+"/complete", url.Values{"csrf": {tok}, "version": {v}}); r.status != http.StatusConflict || !strings.Contains(r.body, "仍有未完成的步骤") {
		t.Fatalf("complete with open steps: status %d", r.status)
	}
	force := "/offboarding/" + c.ID + "/steps/customers/force"
	sv := formVersionOf(t, r.body, force)
	if r = b.post(force, url.Values{"csrf": {tok}, "version": {sv}, "reason": {""}}); r.status != http.StatusBadRequest {
		t.Errorf("force-close without a reason: status %d, want 400", r.status)
	}
	if r = b.post(force, url.Values{"csrf": {tok}, "version": {sv}, "reason": {"剩余客户由部门统一分配"}}); r.status != http.StatusSeeOther {
		t.Fatalf("force-close: status %d", r.status)
	}
	r = b.get("/offboarding/" + c.ID)
	v = formVersionOf(t, r.body, "/offboarding/"+c.ID+"/complete")
	if r = b.post("/offboarding/"+c.ID+"/complete", url.Values{"csrf": {tok}, "version": {v}}); r.status != http.StatusSeeOther {
		t.Fatalf("complete: status %d %.300s", r.status, r.body)
	}
	r = b.get("/offboarding/" + c.ID + "/report")
	for _, want := range []string{"已完成", "HR 强制关闭", "剩余客户由部门统一分配", "停用账号"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the report of the completed case lacks %q", want)
		}
	}
	if got := s.employee(t, "张磊"); got.Status != hr.StatusDeparted {
		t.Errorf("张磊 after completion: %s, want departed", got.Status)
	}
}

func testCases_HRSeesEveryCaseOthersTheirOwn(t *testing.T, s *site, c offboarding.Case) {
	for _, tt := range []struct {
		login   string
		sees    bool
		newCase bool
	}{
		{"hr", true, true},
		{"admin", true, true},
		{"zhaomin", true, false},  // a successor
		{"wangli", true, false},   // the manager
		{"zhanglei", true, false}, // the leaver
		{"liuqiang", false, false},
		{"outsider", false, false},
	} {
		b := s.browser(t)
		b.login(tt.login)
		r := b.get("/offboarding")
		if r.status != http.StatusOK {
			t.Errorf("%s: GET /offboarding: status %d", tt.login, r.status)
			continue
		}
		if got := strings.Contains(r.body, "/offboarding/"+c.ID); got != tt.sees {
			t.Errorf("%s: list shows 张磊's case = %v, want %v", tt.login, got, tt.sees)
		}
		if got := strings.Contains(r.body, `id="new-case"`); got != tt.newCase {
			t.Errorf("%s: record-a-resignation button = %v, want %v", tt.login, got, tt.newCase)
		}
		if !strings.Contains(r.body, `href="/offboarding"`) {
			t.Errorf("%s: no offboarding nav entry", tt.login)
		}
	}
	// The status filter keeps only that status.
	b := s.browser(t)
	b.login("hr")
	if r := b.get("/offboarding?status=completed"); r.status != http.StatusOK || strings.Contains(r.body, "/offboarding/"+c.ID) {
		t.Errorf("completed filter: status %d, shows the open case %v", r.status, strings.Contains(r.body, "/offboarding/"+c.ID))
	}
	if r := s.browser(t).get("/offboarding"); r.status != http.StatusSeeOther {
		t.Errorf("without a session: status %d, want 303", r.status)
	}
}

func testCase_ShowsStepsCustomersAndTheAccessPreviewToHR(t *testing.T, s *site, c offboarding.Case) {
	b := s.browser(t)
	b.login("hr")
	r := b.get("/offboarding/" + c.ID)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, want := range []string{`id="steps"`, "客户交接", "工作交接", "物品归还", `id="handover-list"`, "李娜 已签收", "待签收",
		`id="stages"`, `id="stage-preview"`, "customers:read:key", `id="explain"`, `id="complete-case"`, `id="withdraw-case"`,
		"第 1 轮", "已退回", "还剩"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("HR's case page lacks %q", want)
		}
	}
	// The leaver sees his case without the access part or HR's buttons.
	l := s.browser(t)
	l.login("zhanglei")
	r = l.get("/offboarding/" + c.ID)
	if r.status != http.StatusOK {
		t.Fatalf("leaver: status %d", r.status)
	}
	for _, hidden := range []string{`id="stages"`, `id="complete-case"`, `id="open-report"`} {
		if strings.Contains(r.body, hidden) {
			t.Errorf("the leaver's page shows %s", hidden)
		}
	}
	if !strings.Contains(r.body, `id="mark-handed"`) {
		t.Error("the leaver cannot mark customers handed over")
	}
}

func testCase_HiddenFromEmployeesWhoTakeNoPart(t *testing.T, s *site, c offboarding.Case) {
	for _, login := range []string{"outsider", "liuqiang"} {
		b := s.browser(t)
		b.login(login)
		for _, path := range []string{"/offboarding/" + c.ID, "/offboarding/" + c.ID + "/report", "/offboarding/" + c.ID + "/sign"} {
			if r := b.get(path); r.status != http.StatusNotFound {
				t.Errorf("%s: GET %s: status %d, want 404", login, path, r.status)
			}
		}
	}
	b := s.browser(t)
	b.login("hr")
	if r := b.get("/offboarding/not-an-id"); r.status != http.StatusBadRequest && r.status != http.StatusNotFound {
		t.Errorf("bad id: status %d", r.status)
	}
}

func testSign_OnlyTheSuccessorSeesAndSigns(t *testing.T, s *site, c offboarding.Case) {
	b := s.browser(t)
	b.login("zhaomin")
	r := b.get("/offboarding/" + c.ID + "/sign")
	if r.status != http.StatusOK || !hashInput.MatchString(r.body) || !strings.Contains(r.body, `id="sign-hash"`) {
		t.Fatalf("successor's sign page: status %d, hash shown %v", r.status, hashInput.MatchString(r.body))
	}
	if !strings.Contains(r.body, "你将签收以下 3 个客户") {
		t.Error("the sign page does not say how many customers are signed for")
	}
	// A participant who is not a successor may neither see nor sign.
	for _, login := range []string{"wangli", "hr"} {
		o := s.browser(t)
		o.login(login)
		if r := o.get("/offboarding/" + c.ID + "/sign"); r.status != http.StatusForbidden {
			t.Errorf("%s: GET sign: status %d, want 403", login, r.status)
		}
		tok := o.csrf("/offboarding")
		hash := hashInput.FindStringSubmatch(r.body)[1]
		if r := o.post("/offboarding/"+c.ID+"/sign", url.Values{"csrf": {tok}, "hash": {hash}}); r.status != http.StatusForbidden {
			t.Errorf("%s: POST sign: status %d, want 403", login, r.status)
		}
	}
	// A wrong hash is a conflict and moves nothing.
	tok := b.csrf("/offboarding")
	r = b.post("/offboarding/"+c.ID+"/sign", url.Values{"csrf": {tok}, "hash": {strings.Repeat("0", 64)}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "交接内容在显示后发生了变化") {
		t.Errorf("wrong hash: status %d", r.status)
	}
}

func testForms_RefusePostsWithoutCSRF(t *testing.T, s *site, c offboarding.Case) {
	b := s.browser(t)
	b.login("admin")
	id := c.ID
	for _, path := range []string{"/offboarding", "/offboarding/template", "/offboarding/plan", "/offboarding/" + id + "/lastday",
		"/offboarding/" + id + "/sign", "/offboarding/" + id + "/assign", "/offboarding/" + id + "/handed",
		"/offboarding/" + id + "/work", "/offboarding/" + id + "/review",
		"/offboarding/" + id + "/items/x/return", "/offboarding/" + id + "/items/x/missing",
		"/offboarding/" + id + "/steps/work/close", "/offboarding/" + id + "/steps/work/force",
		"/offboarding/" + id + "/complete", "/offboarding/" + id + "/withdraw"} {
		for _, tok := range []string{"", "forged-token-of-the-right-length-xxxxxxxxxxx"} {
			r := b.post(path, url.Values{"csrf": {tok}, "reason": {"x"}})
			if r.status != http.StatusForbidden {
				t.Errorf("POST %s with csrf %q: status %d, want 403", path, tok, r.status)
			}
		}
	}
	if got := s.demoCase(t); got.Status != offboarding.CaseOpen || got.Version != c.Version {
		t.Errorf("the case changed: %s v%d", got.Status, got.Version)
	}
}

func testReport_PrintableWithIntegrityAndCSVForHROnly(t *testing.T, s *site, c offboarding.Case) {
	b := s.browser(t)
	b.login("hr")
	r := b.get("/offboarding/" + c.ID + "/report")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, want := range []string{`id="report-integrity"`, "离职期间客户档案有改动", "被修改", `id="report-customers"`, "SHA-256",
		`id="report-projects"`, "苏州恒通年度框架协议续签", `id="report-items"`, `id="report-revocations"`, "export",
		`id="report-steps"`, `id="report-csv"`, "window.print()"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	csv := b.get("/offboarding/" + c.ID + "/report.csv")
	if csv.status != http.StatusOK || !strings.Contains(csv.body, "customer_id,customer_name,successor_id") || !strings.Contains(csv.body, "李娜") {
		t.Errorf("csv: status %d, body %.200q", csv.status, csv.body)
	}
	// The manager may read it; a successor may not.
	m := s.browser(t)
	m.login("wangli")
	if r := m.get("/offboarding/" + c.ID + "/report"); r.status != http.StatusOK {
		t.Errorf("manager: status %d", r.status)
	}
	z := s.browser(t)
	z.login("zhaomin")
	for _, path := range []string{"/report", "/report.csv"} {
		if r := z.get("/offboarding/" + c.ID + path); r.status != http.StatusNotFound {
			t.Errorf("successor: GET %s: status %d, want 404", path, r.status)
		}
	}
}

func testExplain_AnswersForWhoeverRunsTheCase(t *testing.T, s *site, c offboarding.Case) {
	b := s.browser(t)
	b.login("admin")
	r := b.get("/offboarding/" + c.ID + "?perm=customers:export")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="explain-result"`) || !strings.Contains(r.body, "拒绝：") {
		t.Errorf("admin: status %d, explain result shown %v", r.status, strings.Contains(r.body, "拒绝："))
	}
	r = b.get("/offboarding/" + c.ID + "?perm=customers:read")
	if !strings.Contains(r.body, "允许：") {
		t.Error("customers:read is not explained as allowed")
	}
	// HR runs the case, so it may ask too (offboarding:manage).
	h := s.browser(t)
	h.login("hr")
	r = h.get("/offboarding/" + c.ID + "?perm=customers:export")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="explain-result"`) || !strings.Contains(r.body, "拒绝：") {
		t.Errorf("HR: status %d, explain result shown %v", r.status, strings.Contains(r.body, `id="explain-result"`))
	}
}

func testTemplate_ShowsFieldErrorsAndNeedsHR(t *testing.T, s *site, _ offboarding.Case) {
	b := s.browser(t)
	b.login("hr")
	r := b.get("/offboarding/template")
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="customers"`) {
		t.Fatalf("GET template: status %d", r.status)
	}
	tok := b.csrf("/offboarding/template")
	form := url.Values{"csrf": {tok}, "version": {"0"}, "rows": {"3"}, "reminders": {"2, 2"}, "grace": {"0"}, "escalate": {"hr"},
		"s0_key": {"work"}, "s0_kind": {"work"}, "s0_title": {"Work"}, "s0_resp": {"employee"}, "s0_offset": {"-3"},
		"s1_key": {"work"}, "s1_kind": {"custom"}, "s1_title": {"<b>Exit</b>"}, "s1_offset": {"5"},
		"s2_key": {"Bad Key"}, "s2_kind": {"custom"}, "s2_title": {"x"}, "s2_resp": {"hr"}, "s2_offset": {"x"}, "s2_rule": {"approval"}}
	r = b.post("/offboarding/template", form)
	if r.status != http.StatusBadRequest {
		t.Fatalf("invalid template: status %d", r.status)
	}
	for _, want := range []string{`is used by another step`, "needs at least one responsible party", "is required for a custom step",
		"must be 1-63 lower-case letters", "is not a whole number", "is repeated", "&lt;b&gt;Exit&lt;/b&gt;"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("refused template lacks %q", want)
		}
	}
	// A valid one saves.
	form = url.Values{"csrf": {tok}, "version": {"0"}, "rows": {"2"}, "reminders": {"3, 1"}, "grace": {"0"}, "escalate": {"hr", "manager"},
		"s0_key": {"customers"}, "s0_kind": {"customers"}, "s0_title": {"客户交接"}, "s0_resp": {"employee", "successor"}, "s0_offset": {"-3"},
		"s1_key": {"exit-interview"}, "s1_kind": {"custom"}, "s1_title": {"离职面谈"}, "s1_resp": {"hr"}, "s1_offset": {"-1"}, "s1_rule": {"confirmation"}}
	if r = b.post("/offboarding/template", form); r.status != http.StatusSeeOther {
		t.Fatalf("valid template: status %d %.500s", r.status, r.body)
	}
	if r = b.get("/offboarding/template?saved=1"); !strings.Contains(r.body, "离职面谈") || !strings.Contains(r.body, `value="3, 1"`) {
		t.Error("the saved template is not shown")
	}
	for _, login := range []string{"zhaomin", "liuqiang"} {
		o := s.browser(t)
		o.login(login)
		if r := o.get("/offboarding/template"); r.status != http.StatusForbidden {
			t.Errorf("%s: GET template: status %d, want 403", login, r.status)
		}
	}
}

func testPlan_EditorNeedsAccessManage(t *testing.T, s *site, _ offboarding.Case) {
	h := s.browser(t)
	h.login("hr")
	if r := h.get("/offboarding/plan"); r.status != http.StatusForbidden {
		t.Errorf("HR without access:manage: status %d, want 403", r.status)
	}
	b := s.browser(t)
	b.login("admin")
	r := b.get("/offboarding/plan")
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="key-accounts"`) {
		t.Fatalf("admin: status %d", r.status)
	}
	tok := b.csrf("/offboarding/plan")
	r = b.post("/offboarding/plan", url.Values{"csrf": {tok}, "rows": {"2"},
		"g0_key": {"export"}, "g0_title": {"Exports"}, "g0_trigger": {"on_resignation"}, "g0_deny": {"customers:export, NOT A PERM"},
		"g1_key": {"export"}, "g1_title": {"Nothing"}, "g1_trigger": {"before_last_day"}, "g1_days": {"-4"}})
	if r.status != http.StatusBadRequest {
		t.Fatalf("invalid plan: status %d", r.status)
	}
	for _, want := range []string{"is used by an earlier stage", "removes nothing", "must be from 0 to", "stages[0].deny_permissions[1]"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("refused plan lacks %q", want)
		}
	}
}

func testResign_OpensACaseAndEscapesTheReason(t *testing.T, s *site) string {
	b := s.browser(t)
	b.login("hr")
	if r := b.get("/offboarding/new"); r.status != http.StatusOK || !strings.Contains(r.body, `id="resign-form"`) {
		t.Fatalf("GET new: status %d", r.status)
	}
	leaver, succ := s.employee(t, "刘强"), s.employee(t, "周志强")
	tok := b.csrf("/offboarding/new")
	// Bad input: last day before submission, the leaver as successor.
	r := b.post("/offboarding", url.Values{"csrf": {tok}, "employee_id": {leaver.ID}, "kind": {"voluntary"},
		"submitted_on": {"2026-11-25"}, "last_day": {"2026-11-20"}, "successor": {leaver.ID, ""}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "last_day") || !strings.Contains(r.body, "is the employee who leaves") {
		t.Fatalf("bad resignation: status %d", r.status)
	}
	if got := s.employee(t, "刘强"); got.Status != hr.StatusActive {
		t.Fatalf("a refused resignation changed the employee: %s", got.Status)
	}
	reason := `<script>alert("x")</script>`
	r = b.post("/offboarding", url.Values{"csrf": {tok}, "employee_id": {leaver.ID}, "kind": {"voluntary"},
		"submitted_on": {"2026-11-25"}, "last_day": {"2026-12-31"}, "reason": {reason}, "successor": {succ.ID}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/offboarding/") {
		t.Fatalf("resign: status %d, body %.400s", r.status, r.body)
	}
	page := b.get(r.location)
	if page.status != http.StatusOK || strings.Contains(page.body, reason) || !strings.Contains(page.body, "&lt;script&gt;") {
		t.Errorf("case page: status %d; reason escaped %v", page.status, !strings.Contains(page.body, reason))
	}
	if !strings.Contains(page.body, "交接已开启") || !strings.Contains(page.body, "还剩 36 天") {
		t.Error("the new case does not say it opened or how many days are left")
	}
	// An employee may record only their own voluntary resignation: the form
	// ignores another employee and another kind.
	z := s.browser(t)
	z.login("zhaomin")
	if r := z.get("/offboarding/new"); r.status != http.StatusOK || strings.Contains(r.body, `id="employee"`) {
		t.Errorf("self-service form: status %d, offers other employees %v", r.status, strings.Contains(r.body, `id="employee"`))
	}
	return strings.TrimPrefix(strings.SplitN(r.location, "?", 2)[0], "/offboarding/")
}

func testSign_MovesTheCustomersToTheSuccessor(t *testing.T, s *site, c offboarding.Case) {
	b := s.browser(t)
	b.login("zhaomin")
	r := b.get("/offboarding/" + c.ID + "/sign")
	m := hashInput.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no hash on the sign page (status %d)", r.status)
	}
	tok := b.csrf("/offboarding")
	r = b.post("/offboarding/"+c.ID+"/sign", url.Values{"csrf": {tok}, "hash": {m[1]}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("sign: status %d %.300s", r.status, r.body)
	}
	sigs, err := s.app.Offboarding.Signatures(s.system(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := sigs[len(sigs)-1]
	if last.Signer != s.logins["zhaomin"].EmployeeID || last.ContentHash != m[1] || last.ClientIP != "127.0.0.1" || last.UserAgent == "" {
		t.Errorf("signature = %+v", last)
	}
	page := b.get(r.location)
	if !strings.Contains(page.body, "赵敏 已签收") || !strings.Contains(page.body, "已签收，客户已转到你名下") {
		t.Error("the case page does not show 赵敏's signature")
	}
}

func testWork_SubmittedByTheLeaverApprovedByTheManager(t *testing.T, s *site, c offboarding.Case) {
	l := s.browser(t)
	l.login("zhanglei")
	r := l.get("/offboarding/" + c.ID)
	if !strings.Contains(r.body, `id="work-form"`) {
		t.Fatal("the leaver has no work form after the returned round")
	}
	version := regexp.MustCompile(`action="/offboarding/[^"]+/work"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(r.body)
	if version == nil {
		t.Fatal("no version in the work form")
	}
	tok := l.csrf("/offboarding")
	form := url.Values{"csrf": {tok}, "version": {version[1]}, "project_name": {"恒通续签", ""}, "project_status": {"待盖章", ""},
		"project_next": {"归档", ""}, "project_stakeholders": {"法务宋雅琴、采购经理", ""}, "pending_tasks": {"催收\n报价单"}, "documents_at": {""}}
	if r = l.post("/offboarding/"+c.ID+"/work", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "documents_at") {
		t.Fatalf("work without documents: status %d", r.status)
	}
	form.Set("documents_at", "共享盘 /销售/张磊")
	if r = l.post("/offboarding/"+c.ID+"/work", form); r.status != http.StatusSeeOther {
		t.Fatalf("work: status %d %.300s", r.status, r.body)
	}
	// The leaver may not review his own report; the manager approves it.
	r = l.get("/offboarding/" + c.ID)
	if strings.Contains(r.body, `id="approve-work"`) {
		t.Error("the leaver is offered to approve his own report")
	}
	m := s.browser(t)
	m.login("wangli")
	r = m.get("/offboarding/" + c.ID)
	version = regexp.MustCompile(`action="/offboarding/[^"]+/review"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(r.body)
	if version == nil {
		t.Fatal("the manager has no review form")
	}
	tok = m.csrf("/offboarding")
	if r = m.post("/offboarding/"+c.ID+"/review", url.Values{"csrf": {tok}, "version": {version[1]}, "decision": {"approve"}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve: status %d", r.status)
	}
	// A second approval of the same version is a conflict.
	if r = m.post("/offboarding/"+c.ID+"/review", url.Values{"csrf": {tok}, "version": {version[1]}, "decision": {"approve"}}); r.status != http.StatusConflict {
		t.Errorf("second approval: status %d, want 409", r.status)
	}
	r = m.get("/offboarding/" + c.ID)
	if !strings.Contains(r.body, "第 2 轮") || !strings.Contains(r.body, "已通过") || !strings.Contains(r.body, "法务宋雅琴、采购经理") {
		t.Error("the approved round is not listed")
	}
}

func testProfile_LinksToTheCaseForWhoMayOpenIt(t *testing.T, s *site, c offboarding.Case) {
	leaver := "/employees/" + c.EmployeeID
	for _, tt := range []struct {
		login string
		link  bool
	}{{"hr", true}, {"zhaomin", true}, {"zhanglei", true}, {"outsider", false}} {
		b := s.browser(t)
		b.login(tt.login)
		r := b.get(leaver)
		if r.status != http.StatusOK {
			t.Errorf("%s: GET %s: status %d", tt.login, leaver, r.status)
			continue
		}
		if got := strings.Contains(r.body, `href="/offboarding/`+c.ID+`" id="profile-case"`); got != tt.link {
			t.Errorf("%s: link to the case = %v, want %v", tt.login, got, tt.link)
		}
	}
	b := s.browser(t)
	b.login("hr")
	wangli := s.logins["wangli"].EmployeeID
	if r := b.get("/employees/" + wangli); !strings.Contains(r.body, `href="/offboarding/new?employee=`+wangli+`"`) {
		t.Error("HR is not offered to record a resignation on an active employee's profile")
	}
	z := s.browser(t)
	z.login("zhaomin")
	if r := z.get("/employees/" + s.logins["zhaomin"].EmployeeID); strings.Contains(r.body, `id="profile-resign"`) {
		t.Error("an employee is offered HR's resignation form on her profile")
	}
}
