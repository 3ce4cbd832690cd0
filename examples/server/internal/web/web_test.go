package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
)

// TestUI runs the page tests against one demo site (seeding is the slow
// part); each test uses its own browser session and touches only data no
// other test reads.
func TestUI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	tests := []struct {
		name string
		fn   func(t *testing.T, s *site)
	}{
		{"Pages_RedirectToLoginWithoutASession", testPages_RedirectToLoginWithoutASession},
		{"Login_SignsInAndReturnsToTheAskedPage", testLogin_SignsInAndReturnsToTheAskedPage},
		{"Login_RefusesBadInputInTheUsersLanguage", testLogin_RefusesBadInputInTheUsersLanguage},
		{"Login_NeverRedirectsOffSite", testLogin_NeverRedirectsOffSite},
		{"Login_LockedAfterRepeatedFailures", testLogin_LockedAfterRepeatedFailures},
		{"Logout_EndsTheSessionAndNeedsCSRF", testLogout_EndsTheSessionAndNeedsCSRF},
		{"Org_ShowsTheTreeWithHeadsAndHeadcounts", testOrg_ShowsTheTreeWithHeadsAndHeadcounts},
		{"Employees_FiltersAndPages", testEmployees_FiltersAndPages},
		{"Profile_ShowsHistoryAndReferralsToHR", testProfile_ShowsHistoryAndReferralsToHR},
		{"Profile_HidesOtherPeoplesProfilesFromEmployees", testProfile_HidesOtherPeoplesProfilesFromEmployees},
		{"Pages_ForbiddenWithoutPermission", testPages_ForbiddenWithoutPermission},
		{"SelfService_SavesOwnFieldsOnly", testSelfService_SavesOwnFieldsOnly},
		{"LanguageSwitch_ChangesEveryLabel", testLanguageSwitch_ChangesEveryLabel},
		{"EveryPage_EscapesData", testEveryPage_EscapesData},
		{"Roles_AdminSeesEverything", testRoles_AdminSeesEverything},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, s)
		})
	}
}

func testPages_RedirectToLoginWithoutASession(t *testing.T, s *site) {
	b := s.browser(t)
	for _, path := range []string{"/", "/org", "/employees", "/employees/" + s.logins["wangli"].EmployeeID, "/no/such/page"} {
		r := b.get(path)
		if r.status != http.StatusSeeOther {
			t.Errorf("GET %s: status %d, want 303", path, r.status)
			continue
		}
		want := "/login?" + url.Values{"next": {path}}.Encode()
		if r.location != want {
			t.Errorf("GET %s: Location %q, want %q", path, r.location, want)
		}
	}
	if r := b.get("/login"); r.status != http.StatusOK || !strings.Contains(r.body, `name="password"`) {
		t.Errorf("GET /login: status %d", r.status)
	}
}

func testLogin_SignsInAndReturnsToTheAskedPage(t *testing.T, s *site) {
	b := s.browser(t)
	tok := b.csrf("/login?next=/employees")
	r := b.post("/login", url.Values{"csrf": {tok}, "login": {"hr"}, "password": {demo.Password}, "next": {"/employees"}})
	if r.status != http.StatusSeeOther || r.location != "/employees" {
		t.Fatalf("POST /login: status %d, Location %q", r.status, r.location)
	}
	if r := b.get("/employees"); r.status != http.StatusOK || !strings.Contains(r.body, `id="employee-list"`) {
		t.Fatalf("GET /employees after login: status %d", r.status)
	}
	// A signed-in user asking for the form goes straight on.
	if r := b.get("/login"); r.status != http.StatusSeeOther {
		t.Errorf("GET /login when signed in: status %d, want 303", r.status)
	}
}

func testLogin_RefusesBadInputInTheUsersLanguage(t *testing.T, s *site) {
	tests := []struct {
		name       string
		lang       string
		csrf       bool
		login      string
		password   string
		next       string
		wantStatus int
		wantText   string
	}{
		{"wrong password in chinese", "zh-CN", true, "hr", "nope", "/", http.StatusUnauthorized, "账号或密码错误"},
		{"wrong password in english", "en", true, "hr", "nope", "/", http.StatusUnauthorized, "The login or password is wrong"},
		{"unknown login", "en", true, "nobody", demo.Password, "/", http.StatusUnauthorized, "The login or password is wrong"},
		{"missing csrf", "en", false, "hr", demo.Password, "/", http.StatusForbidden, "The form expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := s.browser(t)
			b.setLang(tt.lang)
			form := url.Values{"login": {tt.login}, "password": {tt.password}, "next": {tt.next}}
			if tt.csrf {
				form.Set("csrf", b.csrf("/login"))
			}
			r := b.post("/login", form)
			if r.status != tt.wantStatus || !strings.Contains(r.body, tt.wantText) {
				t.Errorf("status %d, want %d; body has %q: %v", r.status, tt.wantStatus, tt.wantText, strings.Contains(r.body, tt.wantText))
			}
			if r := b.get("/org"); r.status != http.StatusSeeOther {
				t.Errorf("signed in after a refused login: GET /org status %d", r.status)
			}
		})
	}
}

// testLogin_LockedAfterRepeatedFailures uses a login of its own: a lock on
// a demo login would refuse the other tests sharing the site.
func testLogin_LockedAfterRepeatedFailures(t *testing.T, s *site) {
	b := s.browser(t)
	b.setLang("zh-CN")
	var r response
	for i := 0; i < auth.MaxFailures; i++ {
		r = b.post("/login", url.Values{"csrf": {b.csrf("/login")}, "login": {"guesser"}, "password": {"nope"}, "next": {"/"}})
	}
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "登录失败次数过多") {
		t.Errorf("after %d failures: status %d, want 429 with the lock message", auth.MaxFailures, r.status)
	}
}

func testLogin_NeverRedirectsOffSite(t *testing.T, s *site) {
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		b := s.browser(t)
		tok := b.csrf("/login")
		r := b.post("/login", url.Values{"csrf": {tok}, "login": {"hr"}, "password": {demo.Password}, "next": {next}})
		if r.status != http.StatusSeeOther || r.location != "/" {
			t.Errorf("next=%q: status %d, Location %q, want 303 to /", next, r.status, r.location)
		}
		if r := b.get("/lang?to=en&next=" + url.QueryEscape(next)); r.location != "/" {
			t.Errorf("lang next=%q: Location %q, want /", next, r.location)
		}
	}
}

func testLogout_EndsTheSessionAndNeedsCSRF(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("hr")
	if r := b.post("/logout", url.Values{"csrf": {"forged"}}); r.status != http.StatusForbidden {
		t.Fatalf("logout with a forged token: status %d, want 403", r.status)
	}
	if r := b.get("/org"); r.status != http.StatusOK {
		t.Fatalf("still signed in after a refused logout? GET /org status %d", r.status)
	}
	tok := b.csrf("/org")
	if r := b.post("/logout", url.Values{"csrf": {tok}}); r.status != http.StatusSeeOther || r.location != "/login" {
		t.Fatalf("logout: status %d, Location %q", r.status, r.location)
	}
	if r := b.get("/org"); r.status != http.StatusSeeOther {
		t.Errorf("GET /org after logout: status %d, want 303", r.status)
	}
}

func testOrg_ShowsTheTreeWithHeadsAndHeadcounts(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("hr")
	r := b.get("/org")
	if r.status != http.StatusOK {
		t.Fatalf("GET /org: status %d", r.status)
	}
	for _, want := range []string{"组织架构", "销售部", "大客户组", "渠道组", "行政人事部", "刘强", "王丽", "40 人", "鼎盛贸易"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("org page lacks %q", want)
		}
	}
}

func testEmployees_FiltersAndPages(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("hr")
	tests := []struct {
		name     string
		query    string
		want     []string
		wantNot  []string
		wantNext bool
	}{
		{"first page has a next link", "", []string{"员工"}, nil, true},
		{"status filter", "?status=resigning", []string{"张磊", "离职中"}, []string{"王丽"}, false},
		{"search", "?q=" + url.QueryEscape("王丽"), []string{"王丽", "高级销售经理", "关键人员"}, []string{"张磊"}, false},
		{"department filter includes teams", "?department=" + deptID(t, s, "销售部"), []string{"王丽", "何志明"}, []string{"孙伟"}, false},
		{"bad status is ignored", "?status=bogus", []string{`id="employee-list"`}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.get("/employees" + tt.query)
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(r.body, w) {
					t.Errorf("has %q", w)
				}
			}
			if got := strings.Contains(r.body, `id="next-page"`); got != tt.wantNext {
				t.Errorf("next link = %v, want %v", got, tt.wantNext)
			}
		})
	}
	// Following the next link gives the rest and a way back.
	r := b.get("/employees")
	i := strings.Index(r.body, `href="/employees?cursor=`)
	if i < 0 {
		t.Fatal("no next link")
	}
	href := r.body[i+len(`href="`):]
	href = strings.ReplaceAll(href[:strings.Index(href, `"`)], "&amp;", "&")
	r2 := b.get(href)
	if r2.status != http.StatusOK || !strings.Contains(r2.body, "第一页") {
		t.Errorf("page 2: status %d", r2.status)
	}
}

func deptID(t *testing.T, s *site, name string) string {
	t.Helper()
	ds, err := s.app.HR.Departments(s.system())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Name == name {
			return d.ID
		}
	}
	t.Fatalf("no department %s", name)
	return ""
}

func testProfile_ShowsHistoryAndReferralsToHR(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("hr")
	wang := s.logins["wangli"].EmployeeID
	r := b.get("/employees/" + wang)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, want := range []string{"王丽", "历年绩效", "2026H1", "2023H2", "推荐的员工", "赵敏", "张磊", "PMP", "职业规划", "销售总监", "仅人事可改", "刘强"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("profile lacks %q", want)
		}
	}
	if strings.Contains(r.body, `id="self-service"`) {
		t.Error("HR sees the self-service form on someone else's profile")
	}
	// A referred employee links back to her.
	r = b.get("/employees/" + s.logins["zhaomin"].EmployeeID)
	if !strings.Contains(r.body, `href="/employees/`+wang+`">王丽</a>`) {
		t.Error("赵敏's profile does not link her referrer")
	}
	if r := b.get("/employees/" + ballast.NewID()); r.status != http.StatusNotFound {
		t.Errorf("unknown employee: status %d, want 404", r.status)
	}
	if r := b.get("/employees/not-an-id"); r.status != http.StatusBadRequest && r.status != http.StatusNotFound {
		t.Errorf("malformed id: status %d, want 400 or 404", r.status)
	}
}

func testProfile_HidesOtherPeoplesProfilesFromEmployees(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("zhaomin")
	r := b.get("/employees/" + s.logins["wangli"].EmployeeID)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if !strings.Contains(r.body, "王丽") || !strings.Contains(r.body, `id="profile-hidden"`) {
		t.Error("directory data missing or profile not hidden")
	}
	for _, secret := range []string{"历年绩效", "2026H1", `id="referrals"`} {
		if strings.Contains(r.body, secret) {
			t.Errorf("employee sees %q on a colleague's profile", secret)
		}
	}
	// Their own profile has their history and the self-service form.
	r = b.get("/employees/" + s.logins["zhaomin"].EmployeeID)
	if !strings.Contains(r.body, "历年绩效") || !strings.Contains(r.body, `id="self-service"`) {
		t.Error("own profile lacks history or self-service form")
	}
}

func testPages_ForbiddenWithoutPermission(t *testing.T, s *site) {
	// 苏敏 gets a login but no role: she may read nothing.
	sumin := s.employee(t, "苏敏")
	if err := s.app.Auth.CreateUser(context.Background(), demo.TenantID, "sumin", demo.Password, sumin.ID); err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	b.login("sumin")
	for _, path := range []string{"/org", "/employees", "/employees/" + s.logins["wangli"].EmployeeID} {
		r := b.get(path)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "无权访问") {
			t.Errorf("GET %s: status %d, want 403 with the message", path, r.status)
		}
	}
	r := b.get("/")
	if r.status != http.StatusForbidden {
		t.Errorf("GET /: status %d, want 403", r.status)
	}
	if strings.Contains(r.body, `href="/org"`) || strings.Contains(r.body, `href="/employees"`) {
		t.Error("navigation shows links the user may not follow")
	}
}

func testSelfService_SavesOwnFieldsOnly(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("zhaomin")
	me := s.logins["zhaomin"].EmployeeID
	page := "/employees/" + me
	tok := b.csrf(page)
	prof, err := s.app.HR.Profile(s.system(), me)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{
		"csrf": {tok}, "version": {strconv.FormatInt(prof.Version, 10)}, "phone": {"13900001111"},
		"skill_name": {"客户谈判", "Python", ""}, "skill_level": {"5", "2", "3"},
		"direction": {hr.DirectionManagement}, "target_position": {""}, "notes": {"带团队"},
	}

	if r := b.post(page+"/self", without(form, "csrf")); r.status != http.StatusForbidden {
		t.Errorf("without csrf: status %d, want 403", r.status)
	}
	forged := without(form, "csrf")
	forged.Set("csrf", "forged-token")
	if r := b.post(page+"/self", forged); r.status != http.StatusForbidden {
		t.Errorf("forged csrf: status %d, want 403", r.status)
	}

	r := b.post(page+"/self", form)
	if r.status != http.StatusSeeOther || r.location != page+"?saved=1" {
		t.Fatalf("save: status %d, Location %q, body %.400s", r.status, r.location, r.body)
	}
	r = b.get(r.location)
	for _, want := range []string{"已保存", "13900001111", "Python", "带团队"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after save, profile lacks %q", want)
		}
	}
	e, err := s.app.HR.Employee(s.system(), me)
	if err != nil || e.Phone != "13900001111" {
		t.Errorf("phone = %q (%v)", e.Phone, err)
	}

	// A stale version is a conflict, shown on the form, and nothing changes.
	r = b.post(page+"/self", form)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "已被他人修改") {
		t.Errorf("stale version: status %d", r.status)
	}

	// Someone else's profile is refused by the service.
	other := "/employees/" + s.logins["wangli"].EmployeeID + "/self"
	if r := b.post(other, form); r.status != http.StatusForbidden {
		t.Errorf("editing a colleague: status %d, want 403", r.status)
	}
}

func testLanguageSwitch_ChangesEveryLabel(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("hr")
	if r := b.get("/org"); !strings.Contains(r.body, "组织架构") || !strings.Contains(r.body, `lang="zh-CN"`) {
		t.Fatal("demo company does not default to Chinese")
	}
	r := b.get("/lang?to=en&next=" + url.QueryEscape("/employees?status=active"))
	if r.status != http.StatusSeeOther || r.location != "/employees?status=active" {
		t.Fatalf("switch: status %d, Location %q", r.status, r.location)
	}
	r = b.get("/org")
	for _, want := range []string{`lang="en"`, "Organisation", "Employees", "Sign out", "40 people"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("English org page lacks %q", want)
		}
	}
	r = b.get("/employees/" + s.logins["wangli"].EmployeeID)
	for _, want := range []string{"Performance history", "Referrals made", "HR only", "Key person"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("English profile lacks %q", want)
		}
	}
	b.setLang("zh-CN")
	if r := b.get("/org"); !strings.Contains(r.body, "组织架构") {
		t.Error("switching back to Chinese did not stick")
	}
	// An unknown language changes nothing.
	b.get("/lang?to=xx&next=/")
	if r := b.get("/org"); !strings.Contains(r.body, "组织架构") {
		t.Error("unknown language changed the page")
	}
}

func testEveryPage_EscapesData(t *testing.T, s *site) {
	sys := s.system()
	e := s.employee(t, "余波")
	p := e.Params()
	p.Name = `<script>alert("x")</script>`
	if _, err := s.app.HR.UpdateEmployee(sys, e.ID, p, e.Version); err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	b.login("hr")
	for _, path := range []string{"/employees?q=" + url.QueryEscape("<script>"), "/employees/" + e.ID, "/org"} {
		r := b.get(path)
		if strings.Contains(r.body, `<script>alert`) {
			t.Errorf("GET %s renders the name unescaped", path)
		}
	}
}

func testRoles_AdminSeesEverything(t *testing.T, s *site) {
	b := s.browser(t)
	b.login("admin")
	if r := b.get("/"); r.status != http.StatusSeeOther || r.location != "/org" {
		t.Errorf("GET / as admin: status %d, Location %q", r.status, r.location)
	}
	if r := b.get("/employees/" + s.logins["wangli"].EmployeeID); !strings.Contains(r.body, "历年绩效") {
		t.Error("admin does not see the profile")
	}
}

func without(v url.Values, key string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k != key {
			out[k] = vs
		}
	}
	return out
}
