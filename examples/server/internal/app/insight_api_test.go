package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// demoServer is the server with the demo company seeded, and a token per
// demo login.
type demoServer struct {
	*fixture
	tok    map[string]string
	logins map[string]demo.Login
}

func newDemoServer(t *testing.T, db *storage.DB) *demoServer {
	t.Helper()
	ctx := context.Background()
	a, logs := newLoggedApp(t, db)
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	logins, err := a.SeedDemoIfEmpty(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := &demoServer{fixture: &fixture{app: a, logs: logs, tenant: demo.TenantID}, tok: map[string]string{}, logins: map[string]demo.Login{}}
	for _, l := range logins {
		_, body := d.expect(t, http.StatusOK, "POST", "/api/login", "", `{"login":"`+l.Login+`","password":"`+l.Password+`"}`)
		d.tok[l.Login] = into[struct{ Token string }](t, body).Token
		d.logins[l.Login] = l
	}
	return d
}

func (d *demoServer) department(t *testing.T, name string) hr.Department {
	t.Helper()
	_, body := d.expect(t, http.StatusOK, "GET", "/api/departments", d.tok["hr"], "")
	for _, dep := range into[[]hr.Department](t, body) {
		if dep.Name == name {
			return dep
		}
	}
	t.Fatalf("no department %s", name)
	return hr.Department{}
}

func TestInsightAPI_DemoFlagsTheSalesClusterAndWangLi(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		wang := d.logins["wangli"].EmployeeID
		ka := d.department(t, "大客户组")

		_, body := d.expect(t, http.StatusOK, "GET", "/api/insight/clusters", d.tok["hr"], "")
		var clusters []string
		for _, c := range into[[]insight.DepartmentRisk](t, body) {
			clusters = append(clusters, c.Department.Name)
			if c.TopReferrer == nil || c.TopReferrer.ID != wang || c.TopReferrer.Share < 0.5 {
				t.Errorf("cluster %s: top referrer %+v", c.Department.Name, c.TopReferrer)
			}
		}
		if diff := cmp.Diff([]string{"大客户组"}, clusters); diff != "" {
			t.Errorf("clusters (-want +got):\n%s", diff)
		}

		_, body = d.expect(t, http.StatusOK, "GET", "/api/insight/key-persons", d.tok["hr"], "")
		var wangReasons []insight.ReasonKind
		for _, p := range into[[]struct {
			Department insight.Department `json:"department"`
			insight.PersonRisk
		}](t, body) {
			if p.ID == wang && p.Department.ID == ka.ID {
				for _, r := range p.Reasons {
					wangReasons = append(wangReasons, r.Kind)
				}
				if !strings.Contains(p.Summary.En, "referred") {
					t.Errorf("王丽's summary = %+v", p.Summary)
				}
			}
		}
		for _, want := range []insight.ReasonKind{insight.ReasonReferredMembers, insight.ReasonKeyAccountValue} {
			if !contains(stringsOf(wangReasons), string(want)) {
				t.Errorf("王丽 flagged for %v, want %s among them", wangReasons, want)
			}
		}

		_, body = d.expect(t, http.StatusOK, "GET", "/api/insight/departments/"+ka.ID, d.tok["hr"], "")
		if r := into[insight.DepartmentRisk](t, body); !r.Cluster || r.Members != 9 {
			t.Errorf("大客户组 risk = %+v", r)
		}
		_, body = d.expect(t, http.StatusOK, "GET", "/api/insight/departments/"+ka.ID+"/referrals", d.tok["hr"], "")
		if fo := into[insight.Forest](t, body); len(fo.Roots) != 1 || fo.Roots[0].ID != wang || !fo.Roots[0].KeyReferrer {
			t.Errorf("大客户组 forest roots = %+v", fo.Roots)
		}
		resp, body := d.expect(t, http.StatusOK, "GET", "/api/insight/departments/"+ka.ID+"/referrals.svg", d.tok["hr"], "")
		if ct := resp.Header.Get("Content-Type"); ct != "image/svg+xml" || !strings.Contains(string(body), "<svg") || !strings.Contains(string(body), "王丽") {
			t.Errorf("SVG = %s %.200s", ct, body)
		}
		_, body = d.expect(t, http.StatusOK, "GET", "/api/insight/referrals/"+wang, d.tok["hr"], "")
		if n := into[insight.Node](t, body); n.Direct != 11 || len(n.Children) != 11 {
			t.Errorf("王丽's referral tree: %d direct, %d children; want 11", n.Direct, len(n.Children))
		}
		for _, path := range []string{"/api/insight/referrals", "/api/insight/analysis?include_subdepartments=true"} {
			d.expect(t, http.StatusOK, "GET", path, d.tok["hr"], "")
		}
		resp, _ = d.expect(t, http.StatusOK, "GET", "/api/insight/referrals.svg", d.tok["hr"], "")
		if ct := resp.Header.Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("forest SVG Content-Type = %q", ct)
		}
		d.expect(t, http.StatusOK, "GET", "/api/insight/referrals/"+wang+"/svg", d.tok["hr"], "")

		// The sales director sees the sales departments only; a salesperson
		// sees no analysis at all.
		_, body = d.expect(t, http.StatusOK, "GET", "/api/insight/analysis", d.tok["liuqiang"], "")
		var names []string
		for _, dep := range into[insight.Analysis](t, body).Departments {
			names = append(names, dep.Department.Name)
		}
		if diff := cmp.Diff([]string{"销售部", "大客户组", "渠道组"}, names); diff != "" {
			t.Errorf("the sales director's departments (-want +got):\n%s", diff)
		}
		d.checkProblems(t, []problemCase{
			{name: "a salesperson", method: "GET", path: "/api/insight/analysis", token: d.tok["wangli"], want: 403},
			{name: "a department outside the head's scope", method: "GET", path: "/api/insight/departments/" + d.department(t, "财务部").ID,
				token: d.tok["liuqiang"], want: 403},
			{name: "an unknown department", method: "GET", path: "/api/insight/departments/" + ballast.NewID(), token: d.tok["hr"], want: 404},
			{name: "an unknown employee", method: "GET", path: "/api/insight/referrals/" + ballast.NewID() + "/svg", token: d.tok["hr"], want: 404},
			{name: "a bad option", method: "GET", path: "/api/insight/clusters?include_departed=maybe", token: d.tok["hr"], want: 400,
				fields: []string{"include_departed"}},
			{name: "no session", method: "GET", path: "/api/insight/key-persons", want: 401},
		})
	})
}

func TestDemoAPI_OwnersSeeOnlyTheirCustomers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDemoServer(t, db)
		count := func(login string, owner string) int {
			n, next := 0, ""
			for {
				_, body := d.expect(t, http.StatusOK, "GET", "/api/customers?limit=500&cursor="+next, d.tok[login], "")
				page := into[customers.Page](t, body)
				for _, c := range page.Customers {
					if owner != "" && c.OwnerID != owner {
						t.Errorf("%s sees %s owned by %s", login, c.Name, c.OwnerID)
					}
				}
				n += len(page.Customers)
				if next = page.Next; next == "" {
					return n
				}
			}
		}
		wang, zhao := count("wangli", d.logins["wangli"].EmployeeID), count("zhaomin", d.logins["zhaomin"].EmployeeID)
		if wang != 44 || zhao != 12 {
			t.Errorf("王丽 sees %d, 赵敏 %d; want 44 and 12", wang, zhao)
		}
		if n := count("liuqiang", ""); n != 120 {
			t.Errorf("the sales director sees %d, want 120", n)
		}
		d.checkProblems(t, []problemCase{
			{name: "a salesperson exports", method: "GET", path: "/api/export/customers", token: d.tok["wangli"], want: 403},
			{name: "the sales director exports", method: "GET", path: "/api/export/customers", token: d.tok["liuqiang"], want: 403},
		})
		resp, _ := d.expect(t, http.StatusOK, "GET", "/api/export/customers", d.tok["hr"], "")
		if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export headers = %v", resp.Header)
		}
	})
}

func stringsOf[T ~string](s []T) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}
