package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/examples/server/internal/api"
	"github.com/ballast-hr/ballast/examples/server/internal/app"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// fixture is a migrated in-memory server with one tenant: a Sales
// department, a tenant administrator (login "acme.admin"), an HR officer
// ("acme.hr") and an employee ("acme.emp").
type fixture struct {
	app      *app.App
	logs     *logBuffer // everything the app logged
	tenant   string
	dept     hr.Department
	admin    hr.Employee
	hrPerson hr.Employee
	emp      hr.Employee
}

const testPassword = "password-1"

// eachFixture runs fn once per test backend (SQLite, and PostgreSQL when
// BALLAST_TEST_POSTGRES is set), each with a fresh fixture.
func eachFixture(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		fn(t, newFixture(t, db))
	})
}

func newApp(t *testing.T, db *storage.DB) *app.App {
	t.Helper()
	a, _ := newLoggedApp(t, db)
	return a
}

// newLoggedApp is newApp with the app's log (debug level and up) kept in
// a buffer.
func newLoggedApp(t *testing.T, db *storage.DB) (*app.App, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	a, err := app.New(db, app.Options{
		PasswordIterations: auth.MinIterations,
		Logger:             slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	return a, logs
}

// logBuffer collects log output safely from concurrent handlers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything logged so far.
func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	a, logs := newLoggedApp(t, db)
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{app: a, logs: logs, tenant: ballast.NewID()}
	var err error
	sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: f.tenant, Subject: "test-setup", Kind: ballast.KindSystem})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = a.HR.CreateTenant(sys, hr.TenantParams{ID: f.tenant, Name: "Acme", TimeZone: "Asia/Shanghai", Locale: hr.LocaleEn})
	must(err)
	must(a.Access.SeedTenant(sys, f.tenant))
	f.dept, err = a.HR.CreateDepartment(sys, hr.DepartmentParams{Name: "Sales"})
	must(err)
	hire := func(number, name string) hr.Employee {
		e, err := a.HR.HireEmployee(sys, hr.EmployeeParams{
			Number: number, Name: name, DepartmentID: f.dept.ID,
			HireDate: hr.NewDate(2020, 3, 2), HireChannel: hr.ChannelCampus,
		})
		must(err)
		return e
	}
	f.admin = hire("E000", "Zhou Boss")
	f.hrPerson = hire("E001", "Hu Jing")
	f.emp = hire("E002", "Emma Li")
	must(a.Access.GrantRole(sys, f.admin.ID, access.RoleTenantAdmin, "test"))
	must(a.Access.GrantRole(sys, f.hrPerson.ID, access.RoleHR, "test"))
	must(a.Access.GrantRole(sys, f.emp.ID, access.RoleEmployee, "test"))
	must(a.Auth.CreateUser(ctx, f.tenant, "acme.admin", testPassword, f.admin.ID))
	must(a.Auth.CreateUser(ctx, f.tenant, "acme.hr", testPassword, f.hrPerson.ID))
	must(a.Auth.CreateUser(ctx, f.tenant, "acme.emp", testPassword, f.emp.ID))
	return f
}

// do sends one request to the server and returns the response.
func (f *fixture) do(t *testing.T, method, path, token string, body string, headers ...string) *http.Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.app.Handler().ServeHTTP(w, req)
	return w.Result()
}

// login signs in through the API as "acme."+login and returns the bearer
// token.
func (f *fixture) login(t *testing.T, login string) string {
	t.Helper()
	resp := f.do(t, "POST", "/api/login", "", `{"login":"acme.`+login+`","password":"`+testPassword+`"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %s", login, resp.Status)
	}
	var out struct{ Token string }
	decode(t, resp, &out)
	return out.Token
}

func decode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("decode %s response: %v", resp.Status, err)
	}
}

func TestLogin_CookieAndBearerBothReachTheDirectory(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		resp := f.do(t, "POST", "/api/login", "", `{"login":"acme.hr","password":"`+testPassword+`"}`)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("login: %s", resp.Status)
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == auth.CookieName {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie = %+v", cookie)
		}
		var lr struct{ Token, Tenant, Subject string }
		decode(t, resp, &lr)
		if lr.Tenant != f.tenant || lr.Subject != f.hrPerson.ID || lr.Token != cookie.Value {
			t.Errorf("login response = %+v", lr)
		}

		viaCookie := func() *http.Response {
			req := httptest.NewRequest("GET", "/api/employees", nil)
			req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: cookie.Value})
			w := httptest.NewRecorder()
			f.app.Handler().ServeHTTP(w, req)
			return w.Result()
		}
		for name, resp := range map[string]*http.Response{
			"bearer": f.do(t, "GET", "/api/employees", lr.Token, ""),
			"cookie": viaCookie(),
		} {
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %s", name, resp.Status)
			}
			var page hr.EmployeePage
			decode(t, resp, &page)
			var names []string
			for _, e := range page.Employees {
				names = append(names, e.Name)
			}
			if diff := cmp.Diff([]string{"Emma Li", "Hu Jing", "Zhou Boss"}, names); diff != "" {
				t.Errorf("%s: employees (-want +got):\n%s", name, diff)
			}
		}

		if resp := f.do(t, "POST", "/api/logout", lr.Token, ""); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("logout: %s", resp.Status)
		}
		if resp := f.do(t, "GET", "/api/employees", lr.Token, ""); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("after logout: %s, want 401", resp.Status)
		}
	})
}

func TestAPI_AnswersErrorsAsProblemDetails(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		hrToken, empToken := f.login(t, "hr"), f.login(t, "emp")
		// A stale version: HR updates the employee once, then again with the
		// version read before.
		current := f.do(t, "GET", "/api/employees/"+f.emp.ID, hrToken, "")
		etag := current.Header.Get("ETag")
		current.Body.Close()
		update := `{"number":"E002","name":"Emma Li-Wang","department_id":"` + f.dept.ID + `","hire_date":"2020-03-02","hire_channel":"campus","status":"active"}`
		if resp := f.do(t, "PUT", "/api/employees/"+f.emp.ID, hrToken, update, "If-Match", etag); resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("first update: %s %s", resp.Status, b)
		}

		tests := []struct {
			name, method, path, token, body string
			headers                         []string
			wantStatus                      int
			wantType                        string
			wantFields                      []string // the fields of a validation problem
		}{
			{name: "no principal", method: "GET", path: "/api/employees",
				wantStatus: 401, wantType: api.TypeUnauthenticated},
			{name: "bad password", method: "POST", path: "/api/login", body: `{"login":"acme.hr","password":"nope"}`,
				wantStatus: 401, wantType: api.TypeUnauthenticated},
			{name: "unknown login answers like a bad password", method: "POST", path: "/api/login", body: `{"login":"ghost","password":"nope"}`,
				wantStatus: 401, wantType: api.TypeUnauthenticated},
			{name: "employee hiring", method: "POST", path: "/api/employees", token: empToken,
				body:       `{"number":"E003","name":"X","department_id":"` + f.dept.ID + `","hire_date":"2021-01-04","hire_channel":"campus"}`,
				wantStatus: 403, wantType: api.TypeForbidden},
			{name: "employee exporting", method: "GET", path: "/api/export/employees", token: empToken,
				wantStatus: 403, wantType: api.TypeForbidden},
			{name: "employee reading the audit log", method: "GET", path: "/api/audit/entries", token: empToken,
				wantStatus: 403, wantType: api.TypeForbidden},
			{name: "employee granting roles", method: "POST", path: "/api/access/subjects/" + f.emp.ID + "/roles", token: empToken,
				body: `{"role":"hr","reason":"promote myself"}`, wantStatus: 403, wantType: api.TypeForbidden},
			{name: "hire with every field wrong", method: "POST", path: "/api/employees", token: hrToken,
				body:       `{"number":"","name":"","department_id":"nope","hire_date":"","hire_channel":"magic"}`,
				wantStatus: 400, wantType: api.TypeValidation,
				wantFields: []string{"number", "name", "department_id", "hire_date", "hire_channel"}},
			{name: "malformed json", method: "POST", path: "/api/employees", token: hrToken, body: `{"number":`,
				wantStatus: 400, wantType: api.TypeMalformed},
			{name: "unknown json field", method: "POST", path: "/api/departments", token: hrToken, body: `{"name":"Ops","colour":"red"}`,
				wantStatus: 400, wantType: api.TypeMalformed},
			{name: "not json", method: "POST", path: "/api/departments", token: hrToken, body: `name=Ops`,
				headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, wantStatus: 415, wantType: api.TypeMediaType},
			{name: "update without a version", method: "PUT", path: "/api/employees/" + f.emp.ID, token: hrToken, body: update,
				wantStatus: 400, wantType: api.TypeValidation, wantFields: []string{"version"}},
			{name: "stale version", method: "PUT", path: "/api/employees/" + f.emp.ID, token: hrToken, body: update,
				headers: []string{"If-Match", etag}, wantStatus: 409, wantType: api.TypeConflict},
			{name: "duplicate employee number", method: "POST", path: "/api/employees", token: hrToken,
				body:       `{"number":"E001","name":"Twin","department_id":"` + f.dept.ID + `","hire_date":"2021-01-04","hire_channel":"campus"}`,
				wantStatus: 409, wantType: api.TypeConflict},
			{name: "unknown employee", method: "GET", path: "/api/employees/" + ballast.NewID(), token: hrToken,
				wantStatus: 404, wantType: api.TypeNotFound},
			{name: "unknown route", method: "GET", path: "/api/nothing-here", token: hrToken,
				wantStatus: 404, wantType: api.TypeNotFound},
			{name: "wrong method", method: "DELETE", path: "/api/employees", token: hrToken,
				wantStatus: 405, wantType: api.TypeMethod},
			{name: "oversized body", method: "POST", path: "/api/departments", token: hrToken,
				body: `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, wantStatus: 413, wantType: api.TypeTooLarge},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := f.do(t, tt.method, tt.path, tt.token, tt.body, tt.headers...)
				if ct := resp.Header.Get("Content-Type"); ct != api.ProblemContentType {
					t.Errorf("Content-Type = %q, want %q", ct, api.ProblemContentType)
				}
				var p api.Problem
				decode(t, resp, &p)
				if resp.StatusCode != tt.wantStatus || p.Status != tt.wantStatus || p.Type != tt.wantType || p.Title == "" {
					t.Fatalf("got %d %+v, want %d %s", resp.StatusCode, p, tt.wantStatus, tt.wantType)
				}
				var fields []string
				for _, fe := range p.Errors {
					fields = append(fields, fe.Field)
					if fe.Message == "" {
						t.Errorf("field %s has no message", fe.Field)
					}
				}
				for _, want := range tt.wantFields {
					if !contains(fields, want) {
						t.Errorf("errors %v lack field %q", fields, want)
					}
				}
			})
		}
	})
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
