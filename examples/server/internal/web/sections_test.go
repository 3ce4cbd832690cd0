package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
)

// TestSections runs the tests of the customer, asset, channel, feedback
// and risk pages against one demo site; each test uses its own browser
// session and changes only records no other test reads.
func TestSections(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	tests := []struct {
		name string
		fn   func(t *testing.T, s *site)
	}{
		{"Nav_ShowsOnlyTheSectionsTheUserMayOpen", testNav_ShowsOnlyTheSectionsTheUserMayOpen},
		{"Sections_RedirectToLoginWithoutASession", testSections_RedirectToLoginWithoutASession},
		{"Forms_RefuseAForgedCSRFToken", testForms_RefuseAForgedCSRFToken},
		{"Customers_SalespersonSeesOnlyHerOwn", testCustomers_SalespersonSeesOnlyHerOwn},
		{"Customers_FiltersAndSearchInChinese", testCustomers_FiltersAndSearchInChinese},
		{"Customers_CreateThroughTheForm", testCustomers_CreateThroughTheForm},
		{"Customers_ExportNeedsThePermission", testCustomers_ExportNeedsThePermission},
		{"Customers_EditShowsInHistory", testCustomers_EditShowsInHistory},
		{"Customers_ArchiveIsForCustodiansOnly", testCustomers_ArchiveIsForCustodiansOnly},
		{"Customers_EscapeUserContent", testCustomers_EscapeUserContent},
		{"Snapshots_TakeDiffAndRestore", testSnapshots_TakeDiffAndRestore},
		{"Assets_RegisterIssueReturnAndMyItems", testAssets_RegisterIssueReturnAndMyItems},
		{"Announcements_RenderMarkdownSafelyAndMarkRead", testAnnouncements_RenderMarkdownSafelyAndMarkRead},
		{"Questions_AskAnswerAndUnanswered", testQuestions_AskAnswerAndUnanswered},
		{"Receipts_ForHROnly", testReceipts_ForHROnly},
		{"Feedback_CodeShownOnceAndReadWithoutLogin", testFeedback_CodeShownOnceAndReadWithoutLogin},
		{"FeedbackInbox_ForHROnly", testFeedbackInbox_ForHROnly},
		{"Risk_ShowsTheClusterAndFlaggedPeople", testRisk_ShowsTheClusterAndFlaggedPeople},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, s)
		})
	}
}

// as returns a context acting as the employee id.
func (s *site) as(id string) context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: demo.TenantID, Subject: id, Kind: ballast.KindUser})
}

// customersOf returns the active customers employee id owns.
func (s *site) customersOf(t *testing.T, id string) []customers.Customer {
	t.Helper()
	pg, err := s.app.Customers.List(s.system(), customers.Filter{Owner: id, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []customers.Customer
	for _, c := range pg.Customers {
		if !strings.HasPrefix(c.Name, "<") { // made by the escaping test meanwhile
			out = append(out, c)
		}
	}
	if len(out) < 3 {
		t.Fatalf("employee %s owns %d customers", id, len(out))
	}
	return out
}

// mustContain fails for each want the body lacks.
func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// mustNotContain fails for each unwanted string the body has.
func mustNotContain(t *testing.T, what, body string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(body, w) {
			t.Errorf("%s has %q", what, w)
		}
	}
}

func testNav_ShowsOnlyTheSectionsTheUserMayOpen(t *testing.T, s *site) {
	tests := []struct {
		login     string
		want, not []string
	}{
		{"admin", []string{`href="/customers"`, `href="/assets"`, `href="/announcements"`, `href="/feedback/inbox"`, `href="/risk"`}, nil},
		{"hr", []string{`href="/customers"`, `href="/assets"`, `href="/announcements"`, `href="/feedback/inbox"`, `href="/risk"`}, []string{`href="/assets/mine"`}},
		{"liuqiang", []string{`href="/customers"`, `href="/assets"`, `href="/risk"`, `href="/feedback"`}, []string{`href="/feedback/inbox"`}},
		{"wangli", []string{`href="/customers"`, `href="/assets/mine"`, `href="/announcements"`, `href="/feedback"`}, []string{`href="/risk"`, `href="/feedback/inbox"`, `href="/announcements/manage"`}},
	}
	for _, tt := range tests {
		b := s.browser(t)
		b.login(tt.login)
		r := b.get("/org")
		nav := r.body[strings.Index(r.body, "<nav>"):strings.Index(r.body, "</nav>")]
		mustContain(t, tt.login+"'s nav", nav, tt.want...)
		mustNotContain(t, tt.login+"'s nav", nav, tt.not...)
		// Every link shown opens, and so do the pages they lead on to.
		for _, m := range regexp.MustCompile(`href="(/[^"]*)"`).FindAllStringSubmatch(nav, -1) {
			if r := b.get(m[1]); r.status != http.StatusOK {
				t.Errorf("%s follows %s: status %d", tt.login, m[1], r.status)
			}
		}
		for _, path := range []string{"/customers/snapshots", "/customers/new"} {
			if r := b.get(path); r.status != http.StatusOK {
				t.Errorf("%s opens %s: status %d", tt.login, path, r.status)
			}
		}
	}
}

func testSections_RedirectToLoginWithoutASession(t *testing.T, s *site) {
	b := s.browser(t)
	for _, path := range []string{"/customers", "/customers/snapshots", "/assets", "/assets/mine", "/announcements", "/feedback", "/feedback/inbox", "/risk"} {
		if r := b.get(path); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login?") {
			t.Errorf("GET %s: status %d, Location %q, want a redirect to sign-in", path, r.status, r.location)
		}
	}
	// The code check is the one page that works without a session.
	if r := b.get("/feedback/check"); r.status != http.StatusOK || !strings.Contains(r.body, `name="code"`) {
		t.Errorf("GET /feedback/check without a session: status %d", r.status)
	}
}

func testForms_RefuseAForgedCSRFToken(t *testing.T, s *site) {
	wang := s.logins["wangli"].EmployeeID
	cust := s.customersOf(t, wang)[0].ID
	b := s.browser(t)
	b.login("hr")
	b.get("/org") // has the CSRF cookie now
	for _, path := range []string{
		"/customers", "/customers/export", "/customers/" + cust, "/customers/" + cust + "/followups", "/customers/" + cust + "/deals",
		"/customers/" + cust + "/archive", "/customers/" + cust + "/unarchive", "/customers/" + cust + "/transfer",
		"/customers/snapshots", "/customers/snapshots/" + ballast.NewID() + "/restore",
		"/assets", "/assets/x/issue", "/assets/x/return", "/assets/x/missing",
		"/announcements", "/announcements/x/publish", "/announcements/x/withdraw", "/announcements/x/questions",
		"/questions/x/reply", "/questions/x/public",
		"/feedback", "/feedback/check", "/feedback/check/reply", "/feedback/inbox/x/reply", "/feedback/inbox/x/tags",
	} {
		for name, form := range map[string]url.Values{"missing": {"x": {"1"}}, "forged": {"csrf": {"forged-token"}}} {
			if r := b.post(path, form); r.status != http.StatusForbidden {
				t.Errorf("POST %s with a %s token: status %d, want 403", path, name, r.status)
			}
		}
	}
	// Nothing was archived.
	if c, err := s.app.Customers.Get(s.system(), cust); err != nil || c.Status != customers.StatusActive {
		t.Errorf("customer after forged posts: %v, %v", c.Status, err)
	}
}

func testCustomers_SalespersonSeesOnlyHerOwn(t *testing.T, s *site) {
	wang, zhao := s.logins["wangli"].EmployeeID, s.logins["zhaomin"].EmployeeID
	mine, theirs := s.customersOf(t, wang), s.customersOf(t, zhao)
	b := s.browser(t)
	b.login("wangli")
	r := b.get("/customers?owner=" + zhao)
	if r.status != http.StatusOK {
		t.Fatalf("GET /customers: status %d", r.status)
	}
	mustContain(t, "her list", r.body, `href="/customers/`+mine[0].ID+`"`)
	mustNotContain(t, "her list", r.body, `href="/customers/`+theirs[0].ID+`"`, `id="owner-filter"`, `id="export-csv"`, "赵敏")
	// Another's customer does not exist for her.
	if r := b.get("/customers/" + theirs[0].ID); r.status != http.StatusNotFound {
		t.Errorf("GET a colleague's customer: status %d, want 404", r.status)
	}
	// Her own opens with the edit form but no archive button.
	r = b.get("/customers/" + mine[0].ID)
	if r.status != http.StatusOK {
		t.Fatalf("GET her customer: status %d", r.status)
	}
	mustContain(t, "her customer", r.body, mine[0].Name, `id="edit"`, `id="history"`, `id="followups"`)
	mustNotContain(t, "her customer", r.body, `id="archive"`, `id="transfer"`)
	// The head of sales sees the department's customers, without editing them.
	b2 := s.browser(t)
	b2.login("liuqiang")
	r = b2.get("/customers/" + theirs[0].ID)
	if r.status != http.StatusOK {
		t.Fatalf("head of sales opens a team customer: status %d", r.status)
	}
	mustNotContain(t, "head's view", r.body, `id="edit"`, `id="archive"`)
}

func testCustomers_FiltersAndSearchInChinese(t *testing.T, s *site) {
	wang := s.logins["wangli"].EmployeeID
	c := s.customersOf(t, wang)[0]
	name := []rune(c.Name)
	part := string(name[len(name)/2-1 : len(name)/2+1]) // two characters from the middle
	b := s.browser(t)
	b.login("hr")
	tests := []struct {
		name, query string
		want, not   []string
	}{
		{"chinese substring", "?q=" + url.QueryEscape(part), []string{`href="/customers/` + c.ID + `"`}, nil},
		{"owner filter", "?owner=" + wang, []string{`href="/customers/` + c.ID + `"`}, []string{`href="/customers/` + s.customersOf(t, s.logins["zhaomin"].EmployeeID)[0].ID + `"`}},
		{"key accounts", "?tier=key", []string{"大客户"}, []string{"普通客户</span>"}},
		{"value range", "?min=100000000&max=200000000", []string{`id="customers-empty"`}, nil},
		{"bad amount is reported", "?min=abc", []string{"alert error"}, nil},
		{"a bad cursor starts over", "?cursor=garbage", []string{`id="customer-list"`}, nil},
	}
	for _, tt := range tests {
		r := b.get("/customers" + tt.query)
		if r.status != http.StatusOK {
			t.Errorf("%s: status %d", tt.name, r.status)
			continue
		}
		mustContain(t, tt.name, r.body, tt.want...)
		mustNotContain(t, tt.name, r.body, tt.not...)
	}
	// Pages follow each other.
	r := b.get("/customers")
	m := regexp.MustCompile(`href="(/customers\?cursor=[^"]+)" id="next-page"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no next page link on the first page of 120 customers")
	}
	if r2 := b.get(strings.ReplaceAll(m[1], "&amp;", "&")); r2.status != http.StatusOK || !strings.Contains(r2.body, "第一页") {
		t.Errorf("second page: status %d", r2.status)
	}
}

func testCustomers_ExportNeedsThePermission(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("hr")
	r := b.get("/customers?tier=key")
	if !strings.Contains(r.body, `id="export-csv"`) {
		t.Fatal("HR sees no export button")
	}
	tok := csrfInput.FindStringSubmatch(r.body)[1]
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/customers/export", strings.NewReader(url.Values{"csrf": {tok}, "tier": {"key"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("export: status %d, type %q, disposition %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	// A salesperson may not export, even by posting the form herself.
	b2 := s.browser(t)
	b2.login("wangli")
	tok2 := b2.csrf("/customers")
	if r := b2.post("/customers/export", url.Values{"csrf": {tok2}}); r.status != http.StatusForbidden {
		t.Errorf("salesperson's export: status %d, want 403", r.status)
	}
}

func testCustomers_EditShowsInHistory(t *testing.T, s *site) {
	wang := s.logins["wangli"].EmployeeID
	c := s.customersOf(t, wang)[1]
	b := s.browser(t)
	b.login("wangli")
	page := "/customers/" + c.ID
	tok := b.csrf(page)
	form := url.Values{"csrf": {tok}, "version": {strconv.FormatInt(c.Version, 10)}, "name": {c.Name}, "industry": {c.Industry},
		"region": {c.Region}, "tier": {string(c.Tier)}, "value": {"123456.78"}, "currency": {"CNY"}, "needs": {"希望季度对账"},
		"contact_name": {"周经理", ""}, "contact_role": {"采购", ""}, "contact_phone": {"13800000000", ""}, "contact_email": {"", ""}}
	r := b.post(page, form)
	if r.status != http.StatusSeeOther || r.location != page+"?saved=1" {
		t.Fatalf("save: status %d, Location %q, body %.300s", r.status, r.location, r.body)
	}
	r = b.get(r.location)
	mustContain(t, "saved customer", r.body, "已保存", "希望季度对账", "¥123,456.78", "周经理")
	hist := r.body[strings.Index(r.body, `id="history"`):]
	mustContain(t, "history", hist, "修改", "王丽", "年度价值", "¥123,456.78", "需求与偏好", "希望季度对账")
	// A stale version is a conflict, shown on the page.
	if r := b.post(page, form); r.status != http.StatusConflict || !strings.Contains(r.body, "已被他人修改") {
		t.Errorf("stale save: status %d", r.status)
	}
	// Bad input lists the fields and saves nothing.
	bad := url.Values{"csrf": {tok}, "version": {strconv.FormatInt(c.Version+1, 10)}, "name": {""}, "tier": {"gold"}, "value": {"-5"}}
	if r := b.post(page, bad); r.status != http.StatusBadRequest || !strings.Contains(r.body, "fielderrors") {
		t.Errorf("bad input: status %d", r.status)
	}
	// A follow-up is added.
	tok = b.csrf(page)
	now, _ := s.app.Customers.Get(s.system(), c.ID)
	r = b.post(page+"/followups", url.Values{"csrf": {tok}, "version": {strconv.FormatInt(now.Version, 10)}, "date": {"2026-11-20"}, "channel": {"电话"}, "note": {"确认年度框架协议"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("follow-up: status %d, body %.300s", r.status, r.body)
	}
	mustContain(t, "after follow-up", b.get(page).body, "确认年度框架协议")
}

func testCustomers_ArchiveIsForCustodiansOnly(t *testing.T, s *site) {
	wang := s.logins["wangli"].EmployeeID
	c := s.customersOf(t, wang)[2]
	page := "/customers/" + c.ID
	owner := s.browser(t)
	owner.login("wangli")
	tok := owner.csrf(page)
	if r := owner.post(page+"/archive", url.Values{"csrf": {tok}, "version": {strconv.FormatInt(c.Version, 10)}}); r.status != http.StatusForbidden {
		t.Errorf("owner archives: status %d, want 403", r.status)
	}
	hr := s.browser(t)
	hr.login("hr")
	r := hr.get(page)
	mustContain(t, "HR's view", r.body, `id="archive-button"`, `id="transfer"`)
	tok = csrfInput.FindStringSubmatch(r.body)[1]
	r = hr.post(page+"/archive", url.Values{"csrf": {tok}, "version": {strconv.FormatInt(c.Version, 10)}, "reason": {"客户已停业"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("HR archives: status %d", r.status)
	}
	r = hr.get(r.location)
	mustContain(t, "archived customer", r.body, `id="archived-badge"`, "客户已停业", "归档")
	// It left her default list but is still there for HR.
	mustNotContain(t, "owner's list", owner.get("/customers").body, c.ID)
	mustContain(t, "HR's archived list", hr.get("/customers?status=archived").body, c.ID)
	// HR brings it back.
	now, _ := s.app.Customers.Get(s.system(), c.ID)
	if r := hr.post(page+"/unarchive", url.Values{"csrf": {tok}, "version": {strconv.FormatInt(now.Version, 10)}}); r.status != http.StatusSeeOther {
		t.Fatalf("unarchive: status %d", r.status)
	}
	if got, _ := s.app.Customers.Get(s.system(), c.ID); got.Status != customers.StatusActive {
		t.Errorf("status after unarchive = %s", got.Status)
	}
}

func testCustomers_EscapeUserContent(t *testing.T, s *site) {
	wang := s.logins["wangli"].EmployeeID
	evil := `<script>alert(1)</script>`
	c, err := s.app.Customers.Create(s.as(wang), customers.Params{Name: evil, Needs: `<img src=x onerror=alert(2)>`,
		Contacts: []customers.Contact{{Name: `"><b>x</b>`}}})
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	b.login("wangli")
	for _, path := range []string{"/customers", "/customers?q=" + url.QueryEscape("<script>"), "/customers/" + c.ID} {
		r := b.get(path)
		if r.status != http.StatusOK {
			t.Errorf("GET %s: status %d", path, r.status)
		}
		mustNotContain(t, path, r.body, evil, "<img src=x", "<b>x</b>")
		mustContain(t, path, r.body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	}
}

func testSnapshots_TakeDiffAndRestore(t *testing.T, s *site) {
	zhao := s.logins["zhaomin"].EmployeeID
	c := s.customersOf(t, zhao)[0]
	b := s.browser(t)
	b.login("hr")
	r := b.get("/customers/snapshots")
	mustContain(t, "snapshots", r.body, `id="snapshot-list"`, "全公司", `id="take-snapshot"`)
	tok := csrfInput.FindStringSubmatch(r.body)[1]
	r = b.post("/customers/snapshots", url.Values{"csrf": {tok}, "owner": {zhao}, "reason": {"测试快照"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("take: status %d", r.status)
	}
	page, err := s.app.Customers.Snapshots(s.system(), customers.SnapshotFilter{Owner: zhao})
	if err != nil || len(page.Snapshots) == 0 {
		t.Fatalf("snapshot not taken: %v", err)
	}
	snap := page.Snapshots[0]
	if _, err := s.app.Customers.Archive(s.system(), c.ID, c.Version, "测试"); err != nil {
		t.Fatal(err)
	}
	r = b.get("/customers/snapshots/diff?from=" + snap.ID)
	if r.status != http.StatusOK {
		t.Fatalf("diff: status %d", r.status)
	}
	mustContain(t, "diff", r.body, `id="diff-archived"`, c.Name, `id="restore-button"`, "Status")
	// Salespeople see their own snapshots but never the restore button.
	zb := s.browser(t)
	zb.login("zhaomin")
	zr := zb.get("/customers/snapshots/diff?from=" + snap.ID)
	if zr.status != http.StatusOK {
		t.Fatalf("owner's diff: status %d", zr.status)
	}
	mustNotContain(t, "owner's diff", zr.body, `id="restore-button"`)
	ztok := csrfInput.FindStringSubmatch(zr.body)[1]
	if r := zb.post("/customers/snapshots/"+snap.ID+"/restore", url.Values{"csrf": {ztok}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("owner restores: status %d, want 403", r.status)
	}
	tok = csrfInput.FindStringSubmatch(r.body)[1]
	r = b.post("/customers/snapshots/"+snap.ID+"/restore", url.Values{"csrf": {tok}, "customer": {c.ID}, "reason": {"误归档"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("restore: status %d, body %.300s", r.status, r.body)
	}
	mustContain(t, "after restore", b.get(r.location).body, "已恢复 1 个客户", `id="diff-empty"`)
	if got, _ := s.app.Customers.Get(s.system(), c.ID); got.Status != customers.StatusActive {
		t.Errorf("status after restore = %s", got.Status)
	}
}

func testAssets_RegisterIssueReturnAndMyItems(t *testing.T, s *site) {
	zhao := s.logins["zhaomin"].EmployeeID
	b := s.browser(t)
	b.login("hr")
	r := b.get("/assets")
	mustContain(t, "register", r.body, `id="asset-list"`, `id="register"`)
	tok := csrfInput.FindStringSubmatch(r.body)[1]
	r = b.post("/assets", url.Values{"csrf": {tok}, "kind": {"laptop"}, "name": {"测试笔记本 <b>#1</b>"}, "tag": {"TEST-0001"}, "condition": {"new"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("register: status %d, body %.300s", r.status, r.body)
	}
	page := strings.SplitN(r.location, "?", 2)[0]
	r = b.get(page)
	mustContain(t, "new asset", r.body, "测试笔记本 &lt;b&gt;#1&lt;/b&gt;", `id="issue-asset"`)
	if r := b.post("/assets", url.Values{"csrf": {tok}, "kind": {"laptop"}, "name": {"dup"}, "tag": {"TEST-0001"}}); r.status != http.StatusConflict {
		t.Errorf("duplicate tag: status %d, want 409", r.status)
	}
	if r := b.post("/assets", url.Values{"csrf": {tok}, "kind": {"spaceship"}, "name": {""}}); r.status != http.StatusBadRequest {
		t.Errorf("bad asset: status %d, want 400", r.status)
	}
	r = b.post(page+"/issue", url.Values{"csrf": {tok}, "holder": {zhao}, "on": {"2026-11-02"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("issue: status %d, body %.300s", r.status, r.body)
	}
	mustContain(t, "issued asset", b.get(page).body, "赵敏", `id="return-asset"`)
	// She sees it among her items, and may not report it missing herself.
	zb := s.browser(t)
	zb.login("zhaomin")
	mine := zb.get("/assets/mine")
	mustContain(t, "her items", mine.body, "测试笔记本", "TEST-0001")
	ztok := csrfInput.FindStringSubmatch(mine.body)[1]
	if r := zb.post(page+"/missing", url.Values{"csrf": {ztok}}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("employee marks missing: status %d, want 403", r.status)
	}
	if r := zb.get(page); r.status != http.StatusOK || strings.Contains(r.body, `id="return-asset"`) {
		t.Errorf("employee's view of her asset: status %d (or with forms)", r.status)
	}
	// A return before the issue is refused; a proper one closes the history row.
	if r := b.post(page+"/return", url.Values{"csrf": {tok}, "on": {"2026-10-01"}, "condition": {"good"}}); r.status != http.StatusBadRequest {
		t.Errorf("early return: status %d, want 400", r.status)
	}
	if r := b.post(page+"/return", url.Values{"csrf": {tok}, "on": {"2026-11-20"}, "condition": {"worn"}, "note": {"键盘有磨损"}}); r.status != http.StatusSeeOther {
		t.Fatalf("return: status %d", r.status)
	}
	mustContain(t, "history", b.get(page).body, "2026-11-20", "键盘有磨损", "有磨损")
	mustContain(t, "her items after return", zb.get("/assets/mine").body, `id="my-assets"`)
	if a, err := s.app.Assets.Get(s.system(), strings.TrimPrefix(page, "/assets/")); err != nil || a.Status != assets.StatusInStock {
		t.Errorf("asset after return: %v %v", a.Status, err)
	}
	// HR reports it missing: it is lost, and no form offers to issue it.
	if r := b.post(page+"/missing", url.Values{"csrf": {tok}, "cost_note": {"按折旧价赔偿"}}); r.status != http.StatusSeeOther {
		t.Fatalf("missing: status %d", r.status)
	}
	r = b.get(page)
	mustContain(t, "lost asset", r.body, "已丢失")
	mustNotContain(t, "lost asset", r.body, `id="issue-asset"`, `id="missing-asset"`)
}

// publish creates and publishes an announcement to everyone as HR.
func (s *site) publish(t *testing.T, title, body string) channel.Announcement {
	t.Helper()
	hr := s.as(s.logins["hr"].EmployeeID)
	a, err := s.app.Channel.CreateAnnouncement(hr, channel.AnnouncementParams{Title: title, Body: body, Audience: channel.Audience{Kind: channel.AudienceAll}})
	if err != nil {
		t.Fatal(err)
	}
	a, err = s.app.Channel.PublishAnnouncement(hr, a.ID, a.Version)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func testAnnouncements_RenderMarkdownSafelyAndMarkRead(t *testing.T, s *site) {
	a := s.publish(t, "安全测试 <i>公告</i>", "# 标题\n\n**重要**：请阅读 [手册](https://example.com/guide)。\n\n<script>alert(1)</script>\n\n[坏链接](javascript:alert(2))\n\n- 一\n- 二")
	b := s.browser(t)
	b.login("zhaomin")
	r := b.get("/announcements")
	mustContain(t, "inbox", r.body, `id="unread-badge"`, `href="/announcements/`+a.ID+`"`, "安全测试 &lt;i&gt;公告&lt;/i&gt;")
	r = b.get("/announcements/" + a.ID)
	if r.status != http.StatusOK {
		t.Fatalf("open: status %d", r.status)
	}
	body := r.body[strings.Index(r.body, `id="announcement-body"`):]
	body = body[:strings.Index(body, "</article>")]
	mustContain(t, "document", body, "<h2>标题</h2>", "<strong>重要</strong>", `<a href="https://example.com/guide"`, "&lt;script&gt;alert(1)&lt;/script&gt;", "<li>一</li>", "坏链接")
	mustNotContain(t, "document", body, "<script>", "javascript:")
	mustNotContain(t, "page", r.body, "<i>公告</i>")
	mustContain(t, "page", r.body, `id="read-mark"`, `id="ask-form"`)
	rc, err := s.app.Channel.Receipts(s.as(s.logins["hr"].EmployeeID), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	read := false
	for _, x := range rc.Receipts {
		read = read || x.EmployeeID == s.logins["zhaomin"].EmployeeID && !x.ReadAt.IsZero()
	}
	if !read {
		t.Error("opening the announcement did not mark it read")
	}
	mustNotContain(t, "inbox after reading", b.get("/announcements?unread=1").body, `href="/announcements/`+a.ID+`"`)
}

func testQuestions_AskAnswerAndUnanswered(t *testing.T, s *site) {
	a := s.publish(t, "提问测试公告", "有问题请在下方提问。")
	emp := s.browser(t)
	emp.login("wangli")
	page := "/announcements/" + a.ID
	tok := emp.csrf(page)
	if r := emp.post(page+"/questions", url.Values{"csrf": {tok}, "body": {""}}); r.status != http.StatusBadRequest {
		t.Errorf("empty question: status %d, want 400", r.status)
	}
	r := emp.post(page+"/questions", url.Values{"csrf": {tok}, "body": {"年终奖什么时候发<b>?</b>"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("ask: status %d, body %.300s", r.status, r.body)
	}
	mustContain(t, "after asking", emp.get(page).body, "年终奖什么时候发&lt;b&gt;?&lt;/b&gt;", "等待人事答复")
	hr := s.browser(t)
	hr.login("hr")
	// The site's clock stands still, so the question has not waited at
	// all: the list of overdue questions opens, and HR answers on the
	// announcement's page, where the thread shows who asked.
	if r := hr.get("/questions/unanswered?all=1"); r.status != http.StatusOK {
		t.Errorf("unanswered: status %d", r.status)
	}
	un := hr.get(page)
	mustContain(t, "HR's view of the thread", un.body, "年终奖什么时候发", "王丽", "等待人事答复")
	qs, err := s.app.Channel.Questions(s.as(s.logins["hr"].EmployeeID), a.ID)
	if err != nil || len(qs) != 1 {
		t.Fatalf("questions: %v (%d)", err, len(qs))
	}
	htok := csrfInput.FindStringSubmatch(un.body)[1]
	r = hr.post("/questions/"+qs[0].ID+"/reply", url.Values{"csrf": {htok}, "body": {"一月底随工资发放。"}})
	if r.status != http.StatusSeeOther || r.location != page+"?saved=replied" {
		t.Fatalf("answer: status %d, Location %q", r.status, r.location)
	}
	mustContain(t, "employee's thread", emp.get(page).body, "一月底随工资发放。", "已答复")
	// HR shows the answered thread to every recipient, without the asker's name.
	q, err := s.app.Channel.Question(s.as(s.logins["hr"].EmployeeID), qs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := hr.post("/questions/"+q.ID+"/public", url.Values{"csrf": {htok}, "public": {"1"}, "version": {strconv.FormatInt(q.Version, 10)}}); r.status != http.StatusSeeOther {
		t.Fatalf("make public: status %d", r.status)
	}
	// A colleague sees the public thread without its asker, and may not answer it.
	other := s.browser(t)
	other.login("zhaomin")
	r = other.get(page)
	mustContain(t, "colleague's view of the public Q&A", r.body, "年终奖什么时候发", "一月底随工资发放。", "已公开")
	mustNotContain(t, "colleague's view of the public Q&A", r.body, "王丽")
	otok := csrfInput.FindStringSubmatch(r.body)[1]
	if r := other.post("/questions/"+qs[0].ID+"/reply", url.Values{"csrf": {otok}, "body": {"我也想知道"}}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("colleague replies: status %d, want 403 or 404", r.status)
	}
}

func testReceipts_ForHROnly(t *testing.T, s *site) {
	a := s.publish(t, "回执测试公告", "请阅读。")
	reader := s.browser(t)
	reader.login("liuqiang")
	reader.get("/announcements/" + a.ID)
	hr := s.browser(t)
	hr.login("hr")
	r := hr.get("/announcements/" + a.ID + "/receipts")
	if r.status != http.StatusOK {
		t.Fatalf("receipts: status %d", r.status)
	}
	mustContain(t, "receipts", r.body, `id="read-count">1<`, `id="not-read"`, "王丽", "刘强")
	read := r.body[strings.Index(r.body, `id="has-read"`):]
	mustContain(t, "has read", read, "刘强")
	emp := s.browser(t)
	emp.login("wangli")
	if r := emp.get("/announcements/" + a.ID + "/receipts"); r.status != http.StatusForbidden {
		t.Errorf("employee opens receipts: status %d, want 403", r.status)
	}
	if r := emp.get("/questions/unanswered"); r.status != http.StatusForbidden {
		t.Errorf("employee opens unanswered: status %d, want 403", r.status)
	}
	if r := emp.get("/announcements/manage"); r.status != http.StatusForbidden {
		t.Errorf("employee opens manage: status %d, want 403", r.status)
	}
}

var codeOnPage = regexp.MustCompile(`id="followup-code">([^<]+)<`)

func testFeedback_CodeShownOnceAndReadWithoutLogin(t *testing.T, s *site) {
	emp := s.browser(t)
	emp.login("zhaomin")
	r := emp.get("/feedback")
	mustContain(t, "form", r.body, `id="privacy"`, "绝不保存", "会保存")
	tok := csrfInput.FindStringSubmatch(r.body)[1]
	if r := emp.post("/feedback", url.Values{"csrf": {tok}, "body": {""}}); r.status != http.StatusBadRequest {
		t.Errorf("empty feedback: status %d, want 400", r.status)
	}
	r = emp.post("/feedback", url.Values{"csrf": {tok}, "category": {"workplace"}, "body": {"会议室太少 <script>x</script>"}})
	if r.status != http.StatusOK {
		t.Fatalf("submit: status %d", r.status)
	}
	m := codeOnPage.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no follow-up code on the page")
	}
	code := m[1]
	// The code is never in a link or redirect, and the form page does not repeat it.
	if strings.Count(r.body, code) != 1 {
		t.Errorf("the code appears %d times on the page", strings.Count(r.body, code))
	}
	mustNotContain(t, "form again", emp.get("/feedback").body, code)

	// Anyone with the code reads the thread, without a session.
	anon := s.browser(t)
	atok := anon.csrf("/feedback/check")
	r = anon.post("/feedback/check", url.Values{"csrf": {atok}, "code": {code}})
	if r.status != http.StatusOK {
		t.Fatalf("check: status %d", r.status)
	}
	mustContain(t, "thread", r.body, "会议室太少 &lt;script&gt;x&lt;/script&gt;", "人事尚未答复")
	if r := anon.post("/feedback/check", url.Values{"csrf": {atok}, "code": {"WRONG-CODE"}}); r.status != http.StatusNotFound || !strings.Contains(r.body, "没有与此跟进码对应的反馈") {
		t.Errorf("wrong code: status %d", r.status)
	}
	// HR replies in the inbox; the code shows the reply.
	page, err := s.app.Channel.ListFeedback(s.as(s.logins["hr"].EmployeeID), channel.FeedbackFilter{Category: channel.CategoryWorkplace})
	if err != nil {
		t.Fatal(err)
	}
	id := ""
	for _, it := range page.Items {
		if strings.HasPrefix(it.Body, "会议室太少") {
			id = it.ID
		}
	}
	if id == "" {
		t.Fatal("feedback not in HR's list")
	}
	hr := s.browser(t)
	hr.login("hr")
	r = hr.get("/feedback/inbox/" + id)
	mustContain(t, "HR's item", r.body, "会议室太少 &lt;script&gt;", `id="reply-feedback"`, "匿名员工")
	mustNotContain(t, "HR's item", r.body, "赵敏")
	htok := csrfInput.FindStringSubmatch(r.body)[1]
	if r := hr.post("/feedback/inbox/"+id+"/reply", url.Values{"csrf": {htok}, "body": {"下月起开放三楼会议室。"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reply: status %d", r.status)
	}
	f, _ := s.app.Channel.Feedback(s.as(s.logins["hr"].EmployeeID), id)
	if r := hr.post("/feedback/inbox/"+id+"/tags", url.Values{"csrf": {htok}, "version": {strconv.FormatInt(f.Version, 10)}, "tags": {"行政, 会议室"}}); r.status != http.StatusSeeOther {
		t.Errorf("tag: status %d", r.status)
	}
	r = anon.post("/feedback/check", url.Values{"csrf": {atok}, "code": {code}})
	mustContain(t, "thread after reply", r.body, "下月起开放三楼会议室。")
	mustNotContain(t, "thread after reply", r.body, "行政", "何静")
	// The submitter continues the thread with the code.
	if r := anon.post("/feedback/check/reply", url.Values{"csrf": {atok}, "code": {code}, "body": {"谢谢！"}}); r.status != http.StatusOK || !strings.Contains(r.body, "谢谢！") {
		t.Errorf("continue: status %d", r.status)
	}
}

func testFeedbackInbox_ForHROnly(t *testing.T, s *site) {
	hr := s.browser(t)
	hr.login("hr")
	r := hr.get("/feedback/inbox")
	if r.status != http.StatusOK {
		t.Fatalf("inbox: status %d", r.status)
	}
	mustContain(t, "inbox", r.body, `id="feedback-list"`, "大客户组的新人")
	for _, login := range []string{"wangli", "liuqiang"} {
		b := s.browser(t)
		b.login(login)
		if r := b.get("/feedback/inbox"); r.status != http.StatusForbidden {
			t.Errorf("%s opens the inbox: status %d, want 403", login, r.status)
		}
	}
}

func testRisk_ShowsTheClusterAndFlaggedPeople(t *testing.T, s *site) {
	hr := s.browser(t)
	hr.login("hr")
	r := hr.get("/risk")
	if r.status != http.StatusOK {
		t.Fatalf("risk: status %d", r.status)
	}
	mustContain(t, "risk view", r.body, "大客户组", "依赖集群", `id="referral-tree"`, "<svg", `id="flagged-people"`, "王丽", "推荐了", "大客户价值")
	flagged := r.body[strings.Index(r.body, `id="flagged-people"`):]
	mustContain(t, "flagged table", flagged, "王丽", "推荐了9名成员中的8名")
	// English reasons.
	hr.setLang("en")
	mustContain(t, "english risk view", hr.get("/risk").body, "Dependency cluster", "referred 8 of 9 members", "of key-account value")
	// The head of sales sees his department; employees see nothing.
	head := s.browser(t)
	head.login("liuqiang")
	if r := head.get("/risk"); r.status != http.StatusOK || !strings.Contains(r.body, "大客户组") {
		t.Errorf("head of sales: status %d", r.status)
	}
	emp := s.browser(t)
	emp.login("wangli")
	if r := emp.get("/risk"); r.status != http.StatusForbidden {
		t.Errorf("employee opens risk: status %d, want 403", r.status)
	}
	// Names in the drawing are escaped.
	e := s.employee(t, "黄鹏")
	p := e.Params()
	p.Name = `<script>alert("svg")</script>`
	if _, err := s.app.HR.UpdateEmployee(s.system(), e.ID, p, e.Version); err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, "risk view with a hostile name", hr.get("/risk").body, `<script>alert("svg")`)
}

func testCustomers_CreateThroughTheForm(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("zhaomin")
	r := b.get("/customers/new")
	if r.status != http.StatusOK {
		t.Fatalf("GET /customers/new: status %d", r.status)
	}
	mustContain(t, "new form", r.body, `id="create-customer"`, `value="standard" selected`)
	mustNotContain(t, "new form", r.body, `name="owner"`) // only with customers:transfer
	tok := csrfInput.FindStringSubmatch(r.body)[1]
	if r := b.post("/customers", url.Values{"csrf": {tok}, "name": {""}, "tier": {"gold"}, "value": {"x"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "fielderrors") {
		t.Errorf("bad new customer: status %d", r.status)
	}
	r = b.post("/customers", url.Values{"csrf": {tok}, "name": {"杭州新禾贸易有限公司"}, "industry": {"贸易"}, "region": {"华东"}, "tier": {"standard"},
		"value": {"88,000"}, "contact_name": {"钱总"}, "contact_role": {"总经理"}, "contact_phone": {""}, "contact_email": {""}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/customers/") {
		t.Fatalf("create: status %d, Location %q, body %.300s", r.status, r.location, r.body)
	}
	r = b.get(r.location)
	mustContain(t, "new customer", r.body, "杭州新禾贸易有限公司", "¥88,000", "钱总", "赵敏", "新建")
}
