package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/app"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// seedTime is "now" for the demo company in every test.
var seedTime = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// site is the whole reference server (API and UI) on an in-memory SQLite
// database with the demo company, served by httptest.
type site struct {
	app    *app.App
	srv    *httptest.Server
	logins map[string]demo.Login
}

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, "sqlite::memory:", app.Options{Clock: fixedClock{seedTime}, PasswordIterations: auth.MinIterations, PublicTenant: demo.TenantID})
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	if err := a.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	logins, err := a.SeedDemoIfEmpty(ctx)
	if err != nil {
		t.Fatalf("SeedDemoIfEmpty: %v", err)
	}
	s := &site{app: a, srv: httptest.NewServer(a.Handler()), logins: map[string]demo.Login{}}
	t.Cleanup(s.srv.Close)
	for _, l := range logins {
		s.logins[l.Login] = l
	}
	return s
}

// system returns a context acting as the system in the demo tenant.
func (s *site) system() context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: demo.TenantID, Subject: "test", Kind: ballast.KindSystem})
}

// employee returns the demo employee called name.
func (s *site) employee(t *testing.T, name string) hr.Employee {
	t.Helper()
	pg, err := s.app.HR.ListEmployees(s.system(), hr.EmployeeFilter{Query: name})
	if err != nil || len(pg.Employees) != 1 {
		t.Fatalf("employee %s: %v (%d found)", name, err, len(pg.Employees))
	}
	return pg.Employees[0]
}

// browser is a cookie-keeping client that does not follow redirects, so
// tests see each 303.
type browser struct {
	t      *testing.T
	site   *site
	client *http.Client
}

func (s *site) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, site: s, client: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a status, a Location and a body.
type response struct {
	status   int
	location string
	body     string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.site.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.site.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf loads path and returns the CSRF token of its first form.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	r := b.get(path)
	m := csrfInput.FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("GET %s: no csrf field (status %d)", path, r.status)
	}
	return m[1]
}

// login signs in through the form and fails the test unless it works.
func (b *browser) login(login string) {
	b.t.Helper()
	tok := b.csrf("/login")
	r := b.post("/login", url.Values{"csrf": {tok}, "login": {login}, "password": {demo.Password}, "next": {"/"}})
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d, body %.300s", login, r.status, r.body)
	}
}

// setLang sets the language cookie through the switch.
func (b *browser) setLang(lang string) {
	b.t.Helper()
	r := b.get("/lang?to=" + url.QueryEscape(lang) + "&next=/")
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("lang switch: status %d", r.status)
	}
}
