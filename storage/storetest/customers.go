package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
)

// RunCustomers runs the conformance suite for customers.Store. open must
// return a fresh, empty, migrated backend for every call: a transactor,
// the hr store (for tenants and employees) and the customers store.
func RunCustomers(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, customers.Store)) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, tx ballast.Transactor, h hr.Store, s customers.Store)
	}{
		{"ScopeIsAppliedInEveryRead", testCustomersScope},
		{"TenantBNeverTouchesTenantA", testCustomersIsolation},
		{"UpdateChecksVersionAndReindexesSearch", testCustomersUpdate},
		{"SnapshotsRoundTripAndPageNewestFirst", testCustomerSnapshots},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tt.fn(t, tx, h, s)
		})
	}
}

// custOrg is a tenant with Sales (emp a) ⊃ East (emp b) and Finance (emp c).
type custOrg struct {
	tenant              string
	sales, east, fin    hr.Department
	a, b, c             hr.Employee
	ca, cb, cc, archive customers.Customer
}

func custSeed(t *testing.T, h hr.Store, s customers.Store) custOrg {
	t.Helper()
	ctx := context.Background()
	var o custOrg
	o.tenant = hrTenant(t, h, "Acme")
	o.sales, o.fin = hrDept("Sales", ""), hrDept("Finance", "")
	o.east = hrDept("East", o.sales.ID)
	must(t, h.InsertDepartments(ctx, o.tenant, []hr.Department{o.sales, o.fin, o.east}))
	o.a, o.b, o.c = hrEmp("A1", "王丽", o.sales.ID), hrEmp("B1", "赵敏", o.east.ID), hrEmp("C1", "陈静", o.fin.ID)
	must(t, h.InsertEmployees(ctx, o.tenant, []hr.Employee{o.a, o.b, o.c}))
	cust := func(name string, owner hr.Employee, st customers.Status) customers.Customer {
		c := customers.Customer{ID: ballast.NewID(), Name: name, Industry: "制造", Region: "华南", Tier: customers.TierKey,
			AnnualValueCents: 100, Currency: "CNY", Contacts: []customers.Contact{{Name: "张三丰", Role: "采购", Phone: "138", Email: "z@example.com"}},
			Deals:     []customers.Deal{{Date: hr.NewDate(2025, 11, 3), AmountCents: 99, Product: "设备"}},
			Needs:     "季度结算",
			FollowUps: []customers.FollowUp{{Date: hr.NewDate(2026, 1, 2), Channel: "visit", Note: "拜访", NextStep: "报价"}},
			OwnerID:   owner.ID, Status: st, CreatedAt: hrT0, UpdatedAt: hrT0, Version: 1}
		if st == customers.StatusArchived {
			c.ArchivedAt = hrT0
		}
		return c
	}
	o.ca, o.cb = cust("深圳华为技术有限公司", o.a, customers.StatusActive), cust("杭州阿里巴巴", o.b, customers.StatusActive)
	o.cc, o.archive = cust("财务客户", o.c, customers.StatusActive), cust("归档客户", o.a, customers.StatusArchived)
	must(t, s.InsertCustomers(ctx, o.tenant, []customers.Customer{o.ca, o.cb, o.cc, o.archive}))
	return o
}

func custNames(cs []customers.Customer) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func testCustomersScope(t *testing.T, _ ballast.Transactor, h hr.Store, s customers.Store) {
	ctx := context.Background()
	o := custSeed(t, h, s)
	got, err := s.Customer(ctx, o.tenant, customers.Scope{All: true}, o.ca.ID)
	must(t, err)
	if diff := cmp.Diff(o.ca, got); diff != "" {
		t.Errorf("Customer round trip (-want +got):\n%s", diff)
	}
	tests := []struct {
		name  string
		scope customers.Scope
		want  []string
	}{
		{"all", customers.Scope{All: true}, []string{"杭州阿里巴巴", "深圳华为技术有限公司", "财务客户"}},
		{"owner", customers.Scope{Owner: o.a.ID}, []string{"深圳华为技术有限公司"}},
		{"department subtree", customers.Scope{Departments: []string{o.sales.ID, o.east.ID}}, []string{"杭州阿里巴巴", "深圳华为技术有限公司"}},
		{"owner or department", customers.Scope{Owner: o.c.ID, Departments: []string{o.east.ID}}, []string{"杭州阿里巴巴", "财务客户"}},
		{"zero scope sees nothing", customers.Scope{}, []string{}},
	}
	for _, tt := range tests {
		q := customers.Query{Scope: tt.scope, Statuses: []customers.Status{customers.StatusActive}}
		cs, err := s.ListCustomers(ctx, o.tenant, q)
		must(t, err)
		if diff := cmp.Diff(tt.want, custNames(cs)); diff != "" {
			t.Errorf("%s: ListCustomers (-want +got):\n%s", tt.name, diff)
		}
		n, err := s.CountCustomers(ctx, o.tenant, q)
		must(t, err)
		if n != len(tt.want) {
			t.Errorf("%s: CountCustomers = %d, want %d", tt.name, n, len(tt.want))
		}
		byID, err := s.CustomersByID(ctx, o.tenant, tt.scope, []string{o.ca.ID, o.cb.ID, o.cc.ID})
		must(t, err)
		if len(byID) != len(tt.want) {
			t.Errorf("%s: CustomersByID = %v", tt.name, custNames(byID))
		}
	}
	_, err = s.Customer(ctx, o.tenant, customers.Scope{Owner: o.b.ID}, o.ca.ID)
	wantKind(t, "Customer outside scope", err, ballast.ErrNotFound)
	search := func(q string) []string {
		n := customers.Normalize(q)
		cs, err := s.ListCustomers(ctx, o.tenant, customers.Query{Scope: customers.Scope{All: true}, Search: n, SearchGrams: customers.QueryGrams(n)})
		must(t, err)
		return custNames(cs)
	}
	if diff := cmp.Diff([]string{"深圳华为技术有限公司"}, search("华为")); diff != "" {
		t.Errorf("search 华为 (-want +got):\n%s", diff)
	}
	if got := search("三丰"); len(got) != 4 {
		t.Errorf("search 三丰 (a contact of all four) = %v", got)
	}
}

func testCustomersIsolation(t *testing.T, _ ballast.Transactor, h hr.Store, s customers.Store) {
	ctx := context.Background()
	o := custSeed(t, h, s)
	other := hrTenant(t, h, "Other")
	all := customers.Scope{All: true}
	_, err := s.Customer(ctx, other, all, o.ca.ID)
	wantKind(t, "Customer of tenant A through B", err, ballast.ErrNotFound)
	cs, err := s.ListCustomers(ctx, other, customers.Query{Scope: all})
	must(t, err)
	n := customers.Normalize("华为")
	found, err := s.ListCustomers(ctx, other, customers.Query{Scope: all, Search: n, SearchGrams: customers.QueryGrams(n)})
	must(t, err)
	byID, err := s.CustomersByID(ctx, other, all, []string{o.ca.ID})
	must(t, err)
	if len(cs)+len(found)+len(byID) != 0 {
		t.Errorf("tenant B sees %v %v %v", custNames(cs), custNames(found), custNames(byID))
	}
	upd := o.ca
	upd.Name, upd.Version = "x", 2
	wantKind(t, "UpdateCustomer through B", s.UpdateCustomer(ctx, other, upd, 1), ballast.ErrNotFound)
	moved, err := s.SetOwner(ctx, other, []string{o.ca.ID}, o.a.ID, o.b.ID, hrT0)
	must(t, err)
	if moved != 0 {
		t.Errorf("SetOwner through B moved %d", moved)
	}
	// An owner of another tenant is refused by the foreign key.
	stray := o.ca
	stray.ID = ballast.NewID()
	wantKind(t, "owner of another tenant", s.InsertCustomers(ctx, other, []customers.Customer{stray}), ballast.ErrConflict)
	snap := customers.Snapshot{ID: ballast.NewID(), Scope: customers.ScopeTenant, Day: "2026-03-04", TakenBy: "x", TakenAt: hrT0}
	must(t, s.InsertSnapshot(ctx, o.tenant, snap))
	_, err = s.Snapshot(ctx, other, snap.ID)
	wantKind(t, "Snapshot through B", err, ballast.ErrNotFound)
	again := snap
	again.ID = ballast.NewID()
	wantKind(t, "second snapshot of the day", s.InsertSnapshot(ctx, o.tenant, again), ballast.ErrConflict)
	must(t, s.InsertSnapshot(ctx, other, again)) // the other tenant has its own day
}

func testCustomersUpdate(t *testing.T, _ ballast.Transactor, h hr.Store, s customers.Store) {
	ctx := context.Background()
	o := custSeed(t, h, s)
	upd := o.ca
	upd.Name, upd.Contacts, upd.Version = "华润集团", nil, 2
	must(t, s.UpdateCustomer(ctx, o.tenant, upd, 1))
	wantKind(t, "stale update", s.UpdateCustomer(ctx, o.tenant, upd, 1), ballast.ErrConflict)
	got, err := s.Customer(ctx, o.tenant, customers.Scope{All: true}, o.ca.ID)
	must(t, err)
	if diff := cmp.Diff(upd, got); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	for q, want := range map[string]int{"华为": 0, "华润": 1} {
		n := customers.Normalize(q)
		cs, err := s.ListCustomers(ctx, o.tenant, customers.Query{Scope: customers.Scope{All: true}, Search: n, SearchGrams: customers.QueryGrams(n)})
		must(t, err)
		if len(cs) != want {
			t.Errorf("search %q after update = %v", q, custNames(cs))
		}
	}
	moved, err := s.SetOwner(ctx, o.tenant, []string{o.ca.ID, o.cc.ID}, o.a.ID, o.b.ID, hrT0)
	must(t, err)
	if moved != 1 {
		t.Errorf("SetOwner moved %d, want only the customer still owned by from", moved)
	}
}

func testCustomerSnapshots(t *testing.T, _ ballast.Transactor, h hr.Store, s customers.Store) {
	ctx := context.Background()
	o := custSeed(t, h, s)
	var snaps []customers.Snapshot
	for i := range 3 {
		snap := customers.Snapshot{ID: ballast.NewID(), Scope: "owner:" + o.a.ID, OwnerID: o.a.ID, Reason: "r",
			TakenBy: o.c.ID, TakenAt: hrT0.Add(time.Duration(i) * time.Hour), Customers: 2}
		must(t, s.InsertSnapshot(ctx, o.tenant, snap))
		snaps = append(snaps, snap)
	}
	items := []customers.SnapshotItem{{CustomerID: o.ca.ID, Data: []byte(`{"id":"a"}`)}, {CustomerID: o.archive.ID, Data: []byte(`{"id":"b"}`)}}
	must(t, s.InsertSnapshotItems(ctx, o.tenant, snaps[0].ID, items))
	got, err := s.SnapshotItems(ctx, o.tenant, snaps[0].ID)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("SnapshotItems = %d", len(got))
	}
	for _, it := range got {
		want := `{"id":"a"}`
		if it.CustomerID == o.archive.ID {
			want = `{"id":"b"}`
		}
		if string(it.Data) != want {
			t.Errorf("item %s = %s", it.CustomerID, it.Data)
		}
	}
	one, err := s.Snapshot(ctx, o.tenant, snaps[1].ID)
	must(t, err)
	if diff := cmp.Diff(snaps[1], one); diff != "" {
		t.Errorf("Snapshot (-want +got):\n%s", diff)
	}
	page, err := s.ListSnapshots(ctx, o.tenant, customers.SnapshotQuery{Scope: snaps[0].Scope, Limit: 2})
	must(t, err)
	if len(page) != 2 || page[0].ID != snaps[2].ID || page[1].ID != snaps[1].ID {
		t.Fatalf("first page = %+v", page)
	}
	rest, err := s.ListSnapshots(ctx, o.tenant, customers.SnapshotQuery{Scope: snaps[0].Scope,
		BeforeTakenAt: page[1].TakenAt, BeforeID: page[1].ID, Limit: 2})
	must(t, err)
	if len(rest) != 1 || rest[0].ID != snaps[0].ID {
		t.Errorf("second page = %+v", rest)
	}
	none, err := s.ListSnapshots(ctx, o.tenant, customers.SnapshotQuery{Scope: customers.ScopeTenant})
	must(t, err)
	if len(none) != 0 {
		t.Errorf("tenant scope lists %d owner snapshots", len(none))
	}
}
