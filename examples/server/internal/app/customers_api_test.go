package app_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr/customers"
)

// book is the customers of the team: two of emp's (one a key account),
// one of emp2's and one of ops's, each created by its owner.
type book struct {
	emp1, emp2Key, emp2, ops customers.Customer
}

func newBook(t *testing.T, tm *team) book {
	t.Helper()
	create := func(login, body string) customers.Customer {
		_, b := tm.expect(t, http.StatusCreated, "POST", "/api/customers", tm.tok[login], body)
		return into[customers.Customer](t, b)
	}
	return book{
		emp1: create("emp", `{"name":"深圳华辰电子科技有限公司","industry":"电子制造","region":"华南","annual_value_cents":30000000,
			"contacts":[{"name":"张三丰","role":"采购经理","phone":"13800000001","email":"zhang@huachen.example"}],
			"follow_ups":[{"date":"2026-11-02","channel":"拜访","note":"沟通明年框架协议"}]}`),
		emp2Key: create("emp", `{"name":"苏州恒通汽车零部件有限公司","industry":"汽车零部件","region":"华东","tier":"key","annual_value_cents":250000000}`),
		emp2:    create("emp2", `{"name":"Hangzhou Ruifeng Foods","industry":"食品饮料","region":"华东","annual_value_cents":8000000}`),
		ops:     create("ops", `{"name":"Tianjin Logistics","industry":"物流仓储","region":"华北","annual_value_cents":5000000}`),
	}
}

func customerNames(t *testing.T, body []byte) []string {
	t.Helper()
	page := into[customers.Page](t, body)
	var names []string
	for _, c := range page.Customers {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return names
}

func TestCustomersAPI_EachRoleSeesItsScope(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		b := newBook(t, tm)
		all := []string{b.emp2.Name, b.ops.Name, b.emp1.Name, b.emp2Key.Name}
		slices.Sort(all)
		tests := []struct {
			login, query string
			want         []string
		}{
			{"emp", "", sorted(b.emp1.Name, b.emp2Key.Name)},
			{"emp2", "", []string{b.emp2.Name}},
			{"ops", "", []string{b.ops.Name}},
			{"head", "", sorted(b.emp1.Name, b.emp2Key.Name, b.emp2.Name)}, // Sales, not Ops
			{"hr", "", all},
			{"admin", "", all},
			{"hr", "?tier=key", []string{b.emp2Key.Name}},
			{"hr", "?region=%E5%8D%8E%E4%B8%9C", sorted(b.emp2Key.Name, b.emp2.Name)}, // 华东
			{"hr", "?min_value_cents=10000000", sorted(b.emp1.Name, b.emp2Key.Name)},
			{"hr", "?q=%E4%B8%89%E4%B8%B0", []string{b.emp1.Name}}, // 三丰, a contact
			{"hr", "?q=%E6%A1%86%E6%9E%B6", []string{b.emp1.Name}}, // 框架, a follow-up note
			{"hr", "?owner=" + tm.ops.ID, []string{b.ops.Name}},
			{"emp", "?owner=" + tm.ops.ID, nil}, // not in emp's scope
		}
		for _, tc := range tests {
			t.Run(tc.login+tc.query, func(t *testing.T) {
				_, body := tm.expect(t, http.StatusOK, "GET", "/api/customers"+tc.query, tm.tok[tc.login], "")
				if diff := cmp.Diff(tc.want, customerNames(t, body)); diff != "" {
					t.Errorf("customers (-want +got):\n%s", diff)
				}
			})
		}
		// Paging: one at a time, HR walks all four with the cursor.
		var seen []string
		next := ""
		for range 10 {
			_, body := tm.expect(t, http.StatusOK, "GET", "/api/customers?limit=1&cursor="+next, tm.tok["hr"], "")
			page := into[customers.Page](t, body)
			for _, c := range page.Customers {
				seen = append(seen, c.Name)
			}
			if next = page.Next; next == "" {
				break
			}
		}
		slices.Sort(seen)
		if diff := cmp.Diff(all, seen); diff != "" {
			t.Errorf("paged walk (-want +got):\n%s", diff)
		}
	})
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

func TestCustomersAPI_RefusesWhatTheRoleMayNotDo(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		b := newBook(t, tm)
		c := "/api/customers/" + b.emp1.ID
		update := `{"name":"改名","annual_value_cents":1,"version":1}`
		f.checkProblems(t, []problemCase{
			{name: "no session lists nothing", method: "GET", path: "/api/customers", want: 401},
			{name: "another salesperson's customer does not exist for emp2", method: "GET", path: c, token: tm.tok["emp2"], want: 404},
			{name: "another department's customer does not exist for the head", method: "GET", path: "/api/customers/" + b.ops.ID, token: tm.tok["head"], want: 404},
			{name: "the head reads but may not edit", method: "PUT", path: c, token: tm.tok["head"], body: update, want: 403},
			{name: "an employee may not export", method: "GET", path: "/api/export/customers", token: tm.tok["emp"], want: 403},
			{name: "the head may not export", method: "GET", path: "/api/export/customers", token: tm.tok["head"], want: 403},
			{name: "an owner may not transfer", method: "POST", path: c + "/transfer", token: tm.tok["emp"],
				body: `{"to_owner":"` + tm.emp2.ID + `","version":1}`, want: 403},
			{name: "an owner may not archive", method: "POST", path: c + "/archive", token: tm.tok["emp"], body: `{"version":1}`, want: 403},
			{name: "an employee may not create for someone else", method: "POST", path: "/api/customers", token: tm.tok["emp"],
				body: `{"name":"X","owner_id":"` + tm.emp2.ID + `"}`, want: 403},
			{name: "an employee may not restore", method: "POST", path: "/api/customer-snapshots/" + ballast.NewID() + "/restore", token: tm.tok["emp"],
				body: `{}`, want: 403},
			{name: "every bad field at once", method: "POST", path: "/api/customers", token: tm.tok["hr"],
				body: `{"name":"","tier":"gold","annual_value_cents":-5,"currency":"yuan","contacts":[{"name":"","email":"not-an-email","phone":"call me"}],
					"deals":[{"date":"2026-01-05","amount_cents":-1}],"owner_id":"` + ballast.NewID() + `"}`,
				want: 400, fields: []string{"name", "tier", "annual_value_cents", "currency", "contacts[0].name", "contacts[0].email",
					"contacts[0].phone", "deals[0].amount_cents", "owner_id"}},
			{name: "transfer to a stranger", method: "POST", path: c + "/transfer", token: tm.tok["hr"],
				body: `{"to_owner":"` + ballast.NewID() + `","version":1}`, want: 400, fields: []string{"to_owner"}},
			{name: "update without a version", method: "PUT", path: c, token: tm.tok["emp"], body: `{"name":"X"}`, want: 400, fields: []string{"version"}},
			{name: "unknown customer", method: "GET", path: "/api/customers/" + ballast.NewID(), token: tm.tok["hr"], want: 404},
			{name: "bad value filter", method: "GET", path: "/api/customers?min_value_cents=lots&limit=x", token: tm.tok["hr"], want: 400,
				fields: []string{"min_value_cents", "limit"}},
		})
		// Nothing above changed the customer.
		_, body := tm.expect(t, http.StatusOK, "GET", c, tm.tok["hr"], "")
		if got := into[customers.Customer](t, body); got.Version != 1 || got.Name != b.emp1.Name || got.OwnerID != f.emp.ID {
			t.Errorf("customer after refused changes = %+v", got)
		}
	})
}

func TestCustomersAPI_EditTransferArchiveWithHistory(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		b := newBook(t, tm)
		c := "/api/customers/" + b.emp1.ID
		resp, body := tm.expect(t, http.StatusOK, "GET", c, tm.tok["emp"], "")
		etag := resp.Header.Get("ETag")
		cur := into[customers.Customer](t, body)
		p := cur.Params()
		p.Needs = "需要按周滚动备货"
		edit, _ := jsonString(p)
		tm.expect(t, http.StatusOK, "PUT", c, tm.tok["emp"], edit, "If-Match", etag)
		// The same version again is stale.
		tm.checkProblems(t, []problemCase{{name: "stale edit", method: "PUT", path: c, token: tm.tok["emp"], body: edit,
			headers: []string{"If-Match", etag}, want: 409}})
		tm.expect(t, http.StatusOK, "POST", c+"/transfer", tm.tok["hr"], `{"to_owner":"`+tm.emp2.ID+`","reason":"客户重新分配","version":2}`)
		tm.checkProblems(t, []problemCase{{name: "stale transfer", method: "POST", path: c + "/transfer", token: tm.tok["hr"],
			body: `{"to_owner":"` + f.emp.ID + `","version":2}`, want: 409}})
		// The former owner no longer sees it; the new one does.
		tm.checkProblems(t, []problemCase{{name: "former owner", method: "GET", path: c, token: tm.tok["emp"], want: 404}})
		tm.expect(t, http.StatusOK, "GET", c, tm.tok["emp2"], "")
		tm.expect(t, http.StatusOK, "POST", c+"/archive", tm.tok["hr"], `{"reason":"重复录入","version":3}`)
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/customers?status=archived", tm.tok["hr"], "")
		if diff := cmp.Diff([]string{b.emp1.Name}, customerNames(t, body)); diff != "" {
			t.Errorf("archived (-want +got):\n%s", diff)
		}
		tm.expect(t, http.StatusOK, "POST", c+"/unarchive", tm.tok["hr"], `{"version":4}`)

		_, body = tm.expect(t, http.StatusOK, "GET", c+"/history", tm.tok["emp2"], "")
		var actions []string
		for _, e := range into[[]audit.Entry](t, body) {
			actions = append(actions, e.Action)
		}
		want := []string{customers.ActionRestore, customers.ActionArchive, customers.ActionTransfer, customers.ActionUpdate, customers.ActionCreate}
		if diff := cmp.Diff(want, actions); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}

		// Many at once: everything emp still owns goes to emp2.
		_, body = tm.expect(t, http.StatusOK, "POST", "/api/customer-transfers", tm.tok["hr"],
			`{"from":"`+f.emp.ID+`","to":"`+tm.emp2.ID+`","reason":"离职交接"}`)
		if rep := into[customers.TransferReport](t, body); rep.Count != 1 {
			t.Errorf("bulk transfer = %+v, want 1 moved", rep)
		}
	})
}

func TestCustomersAPI_ExportIsForHRAndAudited(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		newBook(t, tm)
		resp, body := tm.expect(t, http.StatusOK, "GET", "/api/export/customers?region=%E5%8D%8E%E4%B8%9C", tm.tok["hr"], "")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type = %q", ct)
		}
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil || len(rows) != 3 || rows[0][0] != "id" {
			t.Fatalf("export = %q (%v), want a header and two rows", body, err)
		}
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/audit/entries?action="+customers.ActionExport, tm.tok["hr"], "")
		es := into[[]audit.Entry](t, body)
		if len(es) != 1 || es[0].Actor != f.hrPerson.ID {
			t.Errorf("export audit entries = %+v, want one by HR", es)
		}
	})
}

func TestCustomersAPI_SnapshotDiffAndRestore(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		b := newBook(t, tm)
		_, body := tm.expect(t, http.StatusCreated, "POST", "/api/customer-snapshots", tm.tok["hr"], `{"reason":"before the notice period"}`)
		first := into[customers.Snapshot](t, body)
		if first.Customers != 4 {
			t.Fatalf("snapshot = %+v, want 4 customers", first)
		}
		// emp snapshots their own customers, but not someone else's.
		tm.expect(t, http.StatusCreated, "POST", "/api/customer-snapshots", tm.tok["emp"], `{"owner":"`+f.emp.ID+`"}`)
		tm.checkProblems(t, []problemCase{
			{name: "someone else's snapshot", method: "POST", path: "/api/customer-snapshots", token: tm.tok["emp"],
				body: `{"owner":"` + tm.emp2.ID + `"}`, want: 403},
			{name: "unknown snapshot", method: "GET", path: "/api/customer-snapshots/" + ballast.NewID() + "/diff", token: tm.tok["hr"], want: 404},
		})

		// emp clears a contact's phone and renames the customer.
		cur := b.emp1
		p := cur.Params()
		p.Name = "深圳华辰（已改名）"
		p.Contacts = []customers.Contact{{Name: "张三丰", Role: "采购经理"}}
		edit, _ := jsonString(struct {
			customers.Params
			Version int64 `json:"version"`
		}{p, cur.Version})
		tm.expect(t, http.StatusOK, "PUT", "/api/customers/"+cur.ID, tm.tok["emp"], edit)

		_, body = tm.expect(t, http.StatusOK, "GET", "/api/customer-snapshots/"+first.ID+"/diff", tm.tok["hr"], "")
		d := into[customers.SnapshotDiff](t, body)
		if len(d.Changed) != 1 || d.Changed[0].ID != cur.ID || len(d.Added)+len(d.Removed)+len(d.Archived) != 0 {
			t.Fatalf("diff with current = %+v", d)
		}
		_, body = tm.expect(t, http.StatusCreated, "POST", "/api/customer-snapshots", tm.tok["hr"], `{}`)
		second := into[customers.Snapshot](t, body)
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/customer-snapshots/"+first.ID+"/diff/"+second.ID, tm.tok["hr"], "")
		if d2 := into[customers.SnapshotDiff](t, body); len(d2.Changed) != 1 || d2.To != second.ID {
			t.Errorf("diff of two snapshots = %+v", d2)
		}
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/customer-snapshots?tenant=true", tm.tok["hr"], "")
		if page := into[customers.SnapshotPage](t, body); len(page.Snapshots) != 2 {
			t.Errorf("tenant snapshots = %d, want 2", len(page.Snapshots))
		}

		_, body = tm.expect(t, http.StatusOK, "POST", "/api/customer-snapshots/"+first.ID+"/restore", tm.tok["hr"],
			`{"customer_ids":["`+cur.ID+`"],"reason":"恢复被改动的客户资料"}`)
		if rep := into[customers.RestoreReport](t, body); len(rep.Restored) != 1 {
			t.Errorf("restore = %+v", rep)
		}
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/customers/"+cur.ID, tm.tok["emp"], "")
		if got := into[customers.Customer](t, body); got.Name != b.emp1.Name || got.Contacts[0].Phone == "" {
			t.Errorf("restored customer = %+v", got)
		}
	})
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
