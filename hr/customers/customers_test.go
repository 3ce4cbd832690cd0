package customers_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestCreate_BadInputListsEveryFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		tests := []struct {
			name string
			p    customers.Params
			want []string
		}{
			{"owner of another tenant", customers.Params{Name: "x", OwnerID: e.other.ID}, []string{"owner_id"}},
			{"departed owner", customers.Params{Name: "x", OwnerID: e.gone.ID}, []string{"owner_id"}},
			{"everything wrong", customers.Params{Tier: "vip", AnnualValueCents: -1, Currency: "rmb", OwnerID: "nope",
				Contacts:  []customers.Contact{{Name: "张三", Email: "not an email", Phone: "call me"}, {}},
				Deals:     []customers.Deal{{AmountCents: -5}, {Date: hr.NewDate(2025, 2, 30), AmountCents: 1}},
				FollowUps: []customers.FollowUp{{Note: "x"}}},
				[]string{"name", "tier", "annual_value_cents", "currency", "contacts[0].phone", "contacts[0].email",
					"contacts[1].name", "deals[0].date", "deals[0].amount_cents", "deals[1].date", "follow_ups[0].date", "owner_id"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.svc.Create(e.sys, tt.p)
				wantErr(t, "Create", err, ballast.ErrInvalid)
				if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		page, err := e.svc.List(e.sys, customers.Filter{Status: customers.StatusAll})
		must(t, err)
		if len(page.Customers) != 0 || len(e.entries(t)) != 0 {
			t.Errorf("bad input wrote %d customers, %d audit entries", len(page.Customers), len(e.entries(t)))
		}
		// A salesperson creates for themself, not for someone else.
		c, err := e.svc.Create(e.ctx["salesperson"], customers.Params{Name: "自己的客户"})
		must(t, err)
		if c.OwnerID != e.sales1.ID || c.Tier != customers.TierStandard || c.Currency != "CNY" || c.Version != 1 {
			t.Errorf("Create = %+v", c)
		}
		_, err = e.svc.Create(e.ctx["salesperson"], customers.Params{Name: "别人的客户", OwnerID: e.sales2.ID})
		wantErr(t, "create for another owner", err, ballast.ErrForbidden)
		// Bad filters.
		neg := int64(-1)
		_, err = e.svc.List(e.sys, customers.Filter{Tier: "gold", Status: "gone", MinValueCents: &neg, Limit: 9999, Cursor: "zz"})
		if diff := cmp.Diff([]string{"tier", "status", "min_value_cents", "limit", "cursor"}, fields(t, err)); diff != "" {
			t.Errorf("filter fields (-want +got):\n%s", diff)
		}
	})
}

func TestSearch_FindsChineseSubstrings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.create(t, "深圳华为技术有限公司", e.sales1, func(p *customers.Params) {
			p.Contacts = []customers.Contact{{Name: "张三丰", Role: "采购经理"}}
		})
		e.create(t, "杭州阿里巴巴", e.sales1, func(p *customers.Params) {
			p.Needs = "偏好季度结算"
			p.FollowUps = []customers.FollowUp{{Date: hr.NewDate(2026, 1, 5), Channel: "visit", Note: "拜访 CTO Zhang Wei", NextStep: "寄样品"}}
		})
		e.create(t, "为华贸易", e.sales2) // holds 华 and 为, but not 华为
		tests := []struct {
			query string
			want  []string
		}{
			{"华为", []string{"深圳华为技术有限公司"}},
			{"三丰", []string{"深圳华为技术有限公司"}},
			{"季度结算", []string{"杭州阿里巴巴"}},
			{"zhang wei", []string{"杭州阿里巴巴"}},
			{"ZHANG", []string{"杭州阿里巴巴"}},
			{"样品", []string{"杭州阿里巴巴"}},
			{"华", []string{"为华贸易", "深圳华为技术有限公司"}},
			{"华为贸易", nil},
			{"三丰 采购", nil}, // roles are not searched
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				page, err := e.svc.List(e.ctx["hr"], customers.Filter{Query: tt.query})
				must(t, err)
				if diff := cmp.Diff(tt.want, names(page.Customers)); diff != "" {
					t.Errorf("search %q (-want +got):\n%s", tt.query, diff)
				}
			})
		}
		// Search stays within scope, and follows edits.
		page, err := e.svc.List(e.ctx["another salesperson"], customers.Filter{Query: "华"})
		must(t, err)
		if diff := cmp.Diff([]string{"为华贸易"}, names(page.Customers)); diff != "" {
			t.Errorf("scoped search (-want +got):\n%s", diff)
		}
		c := page.Customers[0]
		p := c.Params()
		p.Name = "为华国际"
		_, err = e.svc.Update(e.ctx["another salesperson"], c.ID, p, c.Version)
		must(t, err)
		for q, n := range map[string]int{"贸易": 0, "国际": 1} {
			page, err = e.svc.List(e.ctx["hr"], customers.Filter{Query: q})
			must(t, err)
			if len(page.Customers) != n {
				t.Errorf("after rename, %q finds %v", q, names(page.Customers))
			}
		}
	})
}

func TestList_FiltersAndPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		for i, n := range []string{"甲", "乙", "丙", "丁", "戊"} {
			e.create(t, n, e.sales1, func(p *customers.Params) {
				p.AnnualValueCents = int64(i) * 100
				if i%2 == 0 {
					p.Tier, p.Region = customers.TierKey, "华南"
				}
			})
		}
		lo, hi := int64(100), int64(300)
		page, err := e.svc.List(e.ctx["salesperson"], customers.Filter{MinValueCents: &lo, MaxValueCents: &hi})
		must(t, err)
		if diff := cmp.Diff([]string{"丁", "丙", "乙"}, names(page.Customers)); diff != "" {
			t.Errorf("value range (-want +got):\n%s", diff)
		}
		page, err = e.svc.List(e.ctx["salesperson"], customers.Filter{Tier: customers.TierKey, Region: "华南"})
		must(t, err)
		if len(page.Customers) != 3 {
			t.Errorf("key accounts in 华南: %v", names(page.Customers))
		}
		var got []string
		f := customers.Filter{Limit: 2}
		for {
			page, err := e.svc.List(e.ctx["salesperson"], f)
			must(t, err)
			got = append(got, names(page.Customers)...)
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
		if diff := cmp.Diff([]string{"丁", "丙", "乙", "戊", "甲"}, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})
}

func TestChanges_AreAuditedWithFieldDiffsAndHistory(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		sp := e.ctx["salesperson"]
		c, err := e.svc.Create(sp, customers.Params{Name: "华为", Contacts: []customers.Contact{{Name: "张三", Phone: "138"}}})
		must(t, err)
		p := c.Params()
		p.Contacts[0].Phone = "139"
		c, err = e.svc.Update(sp, c.ID, p, c.Version)
		must(t, err)
		_, err = e.svc.Update(sp, c.ID, p, 1)
		wantErr(t, "stale update", err, ballast.ErrConflict)
		c, err = e.svc.Transfer(e.ctx["hr"], c.ID, e.sales2.ID, c.Version, "调岗")
		must(t, err)
		_, err = e.svc.Transfer(e.ctx["hr"], c.ID, e.gone.ID, c.Version, "x")
		wantErr(t, "transfer to a departed employee", err, ballast.ErrInvalid)
		_, err = e.svc.Transfer(e.ctx["hr"], c.ID, e.leaving.ID, c.Version, "x")
		wantErr(t, "transfer to a resigning employee", err, ballast.ErrInvalid)
		_, err = e.svc.Transfer(e.ctx["hr"], c.ID, e.other.ID, c.Version, "x")
		wantErr(t, "transfer to another tenant's employee", err, ballast.ErrInvalid)
		c, err = e.svc.Archive(e.ctx["hr"], c.ID, c.Version, "客户倒闭")
		must(t, err)
		_, err = e.svc.Update(e.ctx["hr"], c.ID, c.Params(), c.Version)
		wantErr(t, "edit archived", err, ballast.ErrConflict)

		// The salesperson lost the customer: it is gone from their view.
		_, err = e.svc.Get(sp, c.ID)
		wantErr(t, "former owner Get", err, ballast.ErrNotFound)
		hist, err := e.svc.History(e.ctx["another salesperson"], c.ID)
		must(t, err)
		var got []string
		for _, h := range hist {
			got = append(got, h.Action+" by "+h.Actor)
		}
		want := []string{"customers.archive by " + e.hrP.ID, "customers.transfer by " + e.hrP.ID,
			"customers.update by " + e.sales1.ID, "customers.create by " + e.sales1.ID}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff("Contacts[0].Phone: 138 → 139", change(hist[2])); diff != "" {
			t.Errorf("update diff: %s", diff)
		}
		if diff := cmp.Diff("OwnerID: "+e.sales1.ID+" → "+e.sales2.ID, change(hist[1])); diff != "" || hist[1].Reason != "调岗" {
			t.Errorf("transfer diff: %s, reason %q", diff, hist[1].Reason)
		}
	})
}

// change renders an entry's changes as "path: before → after" lines.
func change(e audit.Entry) string {
	var out []string
	for _, c := range e.Changes {
		out = append(out, c.Path+": "+c.Before+" → "+c.After)
	}
	return strings.Join(out, "\n")
}

func TestExport_IsAuditedWithRowsAndFilter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.create(t, "=HYPERLINK(\"x\")", e.sales1)
		e.create(t, "华为", e.sales2, func(p *customers.Params) { p.AnnualValueCents = 123456 })
		var buf bytes.Buffer
		n, err := e.svc.Export(e.ctx["hr"], &buf, customers.Filter{Region: "华东"})
		must(t, err)
		rows, err := csv.NewReader(&buf).ReadAll()
		must(t, err)
		if n != 2 || len(rows) != 3 || rows[1][1] != "'=HYPERLINK(\"x\")" || rows[2][5] != "1234.56" {
			t.Errorf("Export = %d, %q", n, rows)
		}
		es := e.entries(t)
		last := es[len(es)-1]
		if last.Action != customers.ActionExport || last.Actor != e.hrP.ID || !strings.Contains(last.Reason, "2 customers") ||
			!strings.Contains(last.Reason, `"region":"华东"`) {
			t.Errorf("export audit = %+v", last)
		}
	})
}

func TestTransferMany_MovesOneOwnersCustomersAtomically(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.create(t, "A", e.leaving)
		b := e.create(t, "B", e.leaving)
		c := e.create(t, "C", e.leaving)
		other := e.create(t, "D", e.sales2)
		_, err := e.svc.TransferMany(e.ctx["hr"], customers.TransferManyParams{From: e.leaving.ID, To: e.gone.ID,
			Assign: map[string]string{other.ID: e.sales1.ID}})
		wantErr(t, "departed successor", err, ballast.ErrInvalid)
		_, err = e.svc.TransferMany(e.ctx["hr"], customers.TransferManyParams{From: e.leaving.ID, To: e.sales1.ID,
			Assign: map[string]string{other.ID: e.sales1.ID}})
		wantErr(t, "customer of someone else", err, ballast.ErrInvalid)
		_, err = e.svc.TransferMany(e.ctx["salesperson"], customers.TransferManyParams{From: e.leaving.ID, To: e.sales1.ID})
		wantErr(t, "salesperson", err, ballast.ErrForbidden)
		page, err := e.svc.List(e.ctx["hr"], customers.Filter{Owner: e.leaving.ID})
		must(t, err)
		if len(page.Customers) != 3 {
			t.Fatalf("refused transfers moved customers: %v", names(page.Customers))
		}
		rep, err := e.svc.TransferMany(e.ctx["hr"], customers.TransferManyParams{From: e.leaving.ID, To: e.sales1.ID,
			Assign: map[string]string{b.ID: e.sales2.ID}, Reason: "离职交接"})
		must(t, err)
		want := customers.TransferReport{From: e.leaving.ID, Count: 3, Moved: map[string][]string{
			e.sales1.ID: sorted(a.ID, c.ID), e.sales2.ID: {b.ID}}}
		if diff := cmp.Diff(want, rep); diff != "" {
			t.Errorf("TransferMany (-want +got):\n%s", diff)
		}
		got, err := e.svc.Get(e.ctx["another salesperson"], b.ID)
		must(t, err)
		if got.Version != b.Version+1 {
			t.Errorf("moved customer version %d", got.Version)
		}
	})
}

func sorted(s ...string) []string { slices.Sort(s); return s }
