package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
)

// step is one request of a workflow and what it must answer.
type step struct {
	name, method, path, token, body string
	headers                         []string
	want                            int
	// check, when set, inspects the response body.
	check func(t *testing.T, resp *http.Response, body []byte)
}

func (f *fixture) run(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		resp := f.do(t, s.method, s.path, s.token, s.body, s.headers...)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != s.want {
			t.Fatalf("%s: %s %s = %s %s, want %d", s.name, s.method, s.path, resp.Status, body, s.want)
		}
		if s.check != nil {
			s.check(t, resp, body)
		}
	}
}

func into[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

func TestAPI_OrgWorkflowWithOptimisticLocking(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tok := f.login(t, "hr")
		var dept hr.Department
		var pos hr.Position
		f.run(t, []step{
			{name: "create department", method: "POST", path: "/api/departments", token: tok,
				body: `{"name":"East","parent_id":"` + f.dept.ID + `"}`, want: 201,
				check: func(t *testing.T, resp *http.Response, body []byte) {
					dept = into[hr.Department](t, body)
					if resp.Header.Get("Location") != "/api/departments/"+dept.ID || resp.Header.Get("ETag") != `"1"` {
						t.Errorf("Location %q, ETag %q", resp.Header.Get("Location"), resp.Header.Get("ETag"))
					}
				}},
		})
		f.run(t, []step{
			{name: "rename with the version in the body", method: "PUT", path: "/api/departments/" + dept.ID, token: tok,
				body: `{"name":"East China","parent_id":"` + f.dept.ID + `","version":1}`, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if d := into[hr.Department](t, body); d.Name != "East China" || d.Version != 2 {
						t.Errorf("renamed = %+v", d)
					}
				}},
			{name: "tree shows it under Sales", method: "GET", path: "/api/departments/tree", token: tok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					tree := into[[]*hr.DepartmentNode](t, body)
					if len(tree) != 1 || len(tree[0].Children) != 1 || tree[0].Children[0].Name != "East China" || tree[0].TotalHeadcount != 3 {
						t.Errorf("tree = %s", body)
					}
				}},
			{name: "create position", method: "POST", path: "/api/positions", token: tok,
				body: `{"title":"Account manager","department_id":"` + dept.ID + `","level":3,"critical":true}`, want: 201,
				check: func(t *testing.T, _ *http.Response, body []byte) { pos = into[hr.Position](t, body) }},
		})
		f.run(t, []step{
			{name: "positions of the department", method: "GET", path: "/api/positions?department_id=" + dept.ID, token: tok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if ps := into[[]hr.Position](t, body); len(ps) != 1 || ps[0].ID != pos.ID {
						t.Errorf("positions = %s", body)
					}
				}},
			{name: "delete a department that has a position", method: "DELETE", path: "/api/departments/" + dept.ID, token: tok,
				headers: []string{"If-Match", `"2"`}, want: 409},
			{name: "delete the position with a stale version", method: "DELETE", path: "/api/positions/" + pos.ID + "?version=7", token: tok, want: 409},
			{name: "delete the position", method: "DELETE", path: "/api/positions/" + pos.ID + "?version=1", token: tok, want: 204},
			{name: "delete the department, stale", method: "DELETE", path: "/api/departments/" + dept.ID, token: tok,
				headers: []string{"If-Match", `"1"`}, want: 409},
			{name: "delete the department", method: "DELETE", path: "/api/departments/" + dept.ID, token: tok,
				headers: []string{"If-Match", `W/"2"`}, want: 204},
			{name: "it is gone", method: "GET", path: "/api/departments/" + dept.ID, token: tok, want: 404},
			{name: "tenant", method: "GET", path: "/api/tenant", token: tok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if tn := into[hr.Tenant](t, body); tn.ID != f.tenant || tn.Name != "Acme" {
						t.Errorf("tenant = %s", body)
					}
				}},
			{name: "HR may not change the tenant's settings", method: "PUT", path: "/api/tenant", token: tok, headers: []string{"If-Match", `"1"`},
				body: `{"name":"Acme Trading","time_zone":"Asia/Shanghai","locale":"zh-CN"}`, want: 403},
			{name: "the administrator may", method: "PUT", path: "/api/tenant", token: f.login(t, "admin"), headers: []string{"If-Match", `"1"`},
				body: `{"name":"Acme Trading","time_zone":"Asia/Shanghai","locale":"zh-CN"}`, want: 200,
				check: func(t *testing.T, resp *http.Response, body []byte) {
					if tn := into[hr.Tenant](t, body); tn.Name != "Acme Trading" || resp.Header.Get("ETag") != `"2"` {
						t.Errorf("tenant = %s", body)
					}
				}},
			{name: "who am i", method: "GET", path: "/api/me", token: tok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					want := map[string]string{"tenant": f.tenant, "subject": f.hrPerson.ID, "login": "acme.hr"}
					if diff := cmp.Diff(want, into[map[string]string](t, body)); diff != "" {
						t.Errorf("me (-want +got):\n%s", diff)
					}
				}},
		})
	})
}

func TestAPI_EmployeesProfilesAndCSV(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		hrTok, empTok := f.login(t, "hr"), f.login(t, "emp")
		var hired hr.Employee
		f.run(t, []step{
			{name: "hire by referral", method: "POST", path: "/api/employees", token: hrTok,
				body: `{"number":"E003","name":"Zhang Lei","department_id":"` + f.dept.ID + `","hire_date":"2023-05-08",` +
					`"hire_channel":"referral","referrer_id":"` + f.emp.ID + `"}`, want: 201,
				check: func(t *testing.T, _ *http.Response, body []byte) { hired = into[hr.Employee](t, body) }},
			{name: "by number", method: "GET", path: "/api/employee-numbers/E003", token: empTok, want: 200},
			{name: "referrals", method: "GET", path: "/api/employees/" + f.emp.ID + "/referrals", token: hrTok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if es := into[[]hr.Employee](t, body); len(es) != 1 || es[0].Number != "E003" {
						t.Errorf("referrals = %s", body)
					}
				}},
			{name: "filtered listing pages with a cursor", method: "GET", path: "/api/employees?limit=3&order=number&department_id=" + f.dept.ID, token: hrTok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					page := into[hr.EmployeePage](t, body)
					if len(page.Employees) != 3 || page.Employees[0].Number != "E000" || page.NextCursor == "" {
						t.Fatalf("page 1 = %s", body)
					}
					resp := f.do(t, "GET", "/api/employees?limit=3&order=number&department_id="+f.dept.ID+"&cursor="+page.NextCursor, hrTok, "")
					var next hr.EmployeePage
					decode(t, resp, &next)
					if len(next.Employees) != 1 || next.Employees[0].ID != hired.ID || next.NextCursor != "" {
						t.Errorf("page 2 = %+v", next)
					}
				}},
			{name: "bad filter", method: "GET", path: "/api/employees?limit=many&include_subdepartments=maybe", token: hrTok, want: 400,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if !strings.Contains(string(body), `"field":"limit"`) || !strings.Contains(string(body), `"field":"include_subdepartments"`) {
						t.Errorf("problem = %s", body)
					}
				}},
			{name: "own profile", method: "GET", path: "/api/employees/" + f.emp.ID + "/profile", token: empTok, want: 200},
			{name: "someone else's profile", method: "GET", path: "/api/employees/" + f.hrPerson.ID + "/profile", token: empTok, want: 403},
			{name: "self-service skills", method: "PATCH", path: "/api/employees/" + f.emp.ID + "/profile", token: empTok,
				body: `{"version":0,"skills":[{"name":"negotiation","level":4}]}`, want: 200,
				check: func(t *testing.T, resp *http.Response, body []byte) {
					if p := into[hr.Profile](t, body); len(p.Skills) != 1 || p.Version != 1 || resp.Header.Get("ETag") != `"1"` {
						t.Errorf("profile = %s", body)
					}
				}},
			{name: "self-service may not touch performance", method: "PATCH", path: "/api/employees/" + f.emp.ID + "/profile", token: empTok,
				body: `{"performance":[{"period":"2025","score":99}]}`, headers: []string{"If-Match", `"1"`}, want: 403},
			{name: "HR records performance", method: "PATCH", path: "/api/employees/" + f.emp.ID + "/profile", token: hrTok,
				body: `{"performance":[{"period":"2025","score":88,"grade":"A","source":"manual"}]}`, headers: []string{"If-Match", `"1"`}, want: 200},
			{name: "HR with a stale profile version", method: "PATCH", path: "/api/employees/" + f.emp.ID + "/profile", token: hrTok,
				body: `{"projects":[]}`, headers: []string{"If-Match", `"1"`}, want: 409},
		})

		// CSV: import departments as text/csv, employees as a multipart upload,
		// then export them back.
		f.run(t, []step{
			{name: "import departments", method: "POST", path: "/api/import/departments", token: hrTok,
				body: "path,head\nSales/North,\n", headers: []string{"Content-Type", "text/csv"}, want: 200},
		})
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		fw, _ := mw.CreateFormFile("file", "staff.csv")
		_, _ = io.WriteString(fw, "number,name,department,hire_date,hire_channel\nN1,Sun Yue,Sales/North,2024-02-01,campus\nN2,Qian Bo,Sales/North,2024-02-01,experienced\n")
		_ = mw.Close()
		f.run(t, []step{
			{name: "import employees (multipart)", method: "POST", path: "/api/import/employees", token: hrTok,
				body: mp.String(), headers: []string{"Content-Type", mw.FormDataContentType()}, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if rep := into[hr.ImportReport](t, body); rep.Employees != 2 {
						t.Errorf("report = %s", body)
					}
				}},
			{name: "import with bad rows lists every one", method: "POST", path: "/api/import/employees", token: hrTok,
				body:    "number,name,department,hire_date,hire_channel\nN3,,Sales/North,2024-02-01,campus\nN4,Wu,Nowhere,yesterday,campus\n",
				headers: []string{"Content-Type", "text/csv"}, want: 400,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					for _, want := range []string{`"line 2: name"`, `"line 3: department"`, `"line 3: hire_date"`} {
						if !strings.Contains(string(body), want) {
							t.Errorf("problem lacks %s: %s", want, body)
						}
					}
				}},
			{name: "import as json is refused", method: "POST", path: "/api/import/employees", token: hrTok, body: `{}`, want: 415},
			{name: "export", method: "GET", path: "/api/export/employees?q=Sun+Yue", token: hrTok, want: 200,
				check: func(t *testing.T, resp *http.Response, body []byte) {
					if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
						t.Errorf("Content-Type = %q", ct)
					}
					if lines := strings.Split(strings.TrimSpace(string(body)), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "number,name") || !strings.HasPrefix(lines[1], "N1,Sun Yue,") {
						t.Errorf("export = %q", body)
					}
				}},
			{name: "export departments", method: "GET", path: "/api/export/departments", token: hrTok, want: 200},
		})
	})
}

func TestAPI_AccessAndAudit(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		adminTok, empTok, hrTok := f.login(t, "admin"), f.login(t, "emp"), f.login(t, "hr")
		subject := "/api/access/subjects/" + f.emp.ID
		f.run(t, []step{
			{name: "my permissions", method: "GET", path: "/api/me/permissions", token: empTok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					perms := into[[]string](t, body)
					if !contains(perms, "employees:read") || contains(perms, "employees:write") {
						t.Errorf("permissions = %v", perms)
					}
				}},
			{name: "catalog", method: "GET", path: "/api/access/catalog", token: empTok, want: 200},
			{name: "explain own decision", method: "GET", path: "/api/access/explain?permission=employees:write", token: empTok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if d := into[access.Decision](t, body); d.Allowed || d.Subject != f.emp.ID {
						t.Errorf("decision = %s", body)
					}
				}},
			{name: "grant hr with a reason", method: "POST", path: subject + "/roles", token: adminTok,
				body: `{"role":"hr","reason":"covers for Hu Jing"}`, want: 204},
			{name: "unknown role", method: "POST", path: subject + "/roles", token: adminTok, body: `{"role":"wizard"}`, want: 404},
			{name: "roles", method: "GET", path: subject + "/roles", token: adminTok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if diff := cmp.Diff([]string{"employee", "hr"}, into[[]string](t, body)); diff != "" {
						t.Errorf("roles (-want +got):\n%s", diff)
					}
				}},
			{name: "the new HR reads others' profiles", method: "GET", path: "/api/employees/" + f.admin.ID + "/profile", token: empTok, want: 200},
			{name: "revoke", method: "DELETE", path: subject + "/roles/hr?reason=back", token: adminTok, want: 204},
			{name: "and no longer", method: "GET", path: "/api/employees/" + f.admin.ID + "/profile", token: empTok, want: 403},
			{name: "deny a permission", method: "POST", path: subject + "/permissions", token: adminTok,
				body: `{"permission":"employees:read","effect":"deny","reason":"test"}`, want: 204},
			{name: "denied", method: "GET", path: "/api/employees", token: empTok, want: 403},
			{name: "rules", method: "GET", path: subject + "/rules", token: adminTok, want: 200},
			{name: "lift the denial", method: "DELETE", path: subject + "/permissions/employees:read", token: adminTok, want: 204},
			{name: "disable", method: "POST", path: subject + "/disable", token: adminTok, body: `{"reason":"left"}`, want: 204},
			{name: "a disabled account is refused", method: "GET", path: "/api/employees", token: empTok, want: 403},
			{name: "enable", method: "POST", path: subject + "/enable", token: adminTok, body: `{"reason":"back"}`, want: 204},
			{name: "bad effect", method: "POST", path: subject + "/permissions", token: adminTok,
				body: `{"permission":"employees:read","effect":"maybe"}`, want: 400},
			{name: "audit entries of the role changes", method: "GET", path: "/api/audit/entries?action=access.&limit=50", token: hrTok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					var reasons []string
					for _, e := range into[[]struct{ Action, Actor, Reason string }](t, body) {
						if e.Actor == f.admin.ID {
							reasons = append(reasons, e.Reason)
						}
					}
					if !contains(reasons, "covers for Hu Jing") {
						t.Errorf("audit reasons of the admin = %v", reasons)
					}
				}},
			{name: "bad audit filter", method: "GET", path: "/api/audit/entries?since=yesterday", token: hrTok, want: 400},
			{name: "verify", method: "GET", path: "/api/audit/verify", token: hrTok, want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if !strings.Contains(string(body), `"ok":true`) {
						t.Errorf("verify = %s", body)
					}
				}},
			{name: "export evidence", method: "GET", path: "/api/audit/export", token: hrTok, want: 200,
				check: func(t *testing.T, resp *http.Response, body []byte) {
					if !strings.Contains(string(body), `"head"`) || resp.Header.Get("Content-Type") != "application/x-ndjson" {
						t.Errorf("bundle = %.200s", body)
					}
				}},
			{name: "api token", method: "POST", path: "/api/tokens", token: empTok, body: `{"ttl_hours":1}`, want: 201,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					tok := into[struct{ Token string }](t, body).Token
					if resp := f.do(t, "GET", "/api/me", tok, ""); resp.StatusCode != 200 {
						t.Errorf("api token: %s", resp.Status)
					}
				}},
		})
	})
}

func TestServer_HealthOpenAPIAndUI(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		f.run(t, []step{
			{name: "healthz", method: "GET", path: "/healthz", want: 200},
			{name: "openapi", method: "GET", path: "/openapi.json", want: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					if doc := into[map[string]any](t, body); doc["openapi"] != "3.1.0" {
						t.Errorf("openapi = %v", doc["openapi"])
					}
				}},
			{name: "the UI's sign-in page", method: "GET", path: "/login", want: 200},
		})
		// The UI behind / and the API behind /api/ share the session.
		req := httptest.NewRequest("GET", "/", nil)
		w := httptest.NewRecorder()
		f.app.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther && w.Code != http.StatusFound {
			t.Errorf("GET / without a session = %d, want a redirect to sign in", w.Code)
		}
	})
}
