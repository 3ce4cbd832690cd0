package storetest

import (
	"cmp"
	"context"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/insight"
)

// InsightBackend is one fresh backend for RunInsight: the insight store
// under test, and what the suite needs to put data in front of it.
type InsightBackend struct {
	// Tx is the transactor the stores join.
	Tx ballast.Transactor
	// HR writes the tenants, departments and employees the suite reads.
	HR hr.Store
	// Insight is the store under test.
	Insight insight.Store
	// AddCustomer writes one customer record of tenant owned by ownerID,
	// with tier "key" or "standard" and status "active" or "archived"; the
	// suite calls it inside Tx.
	AddCustomer func(ctx context.Context, tenant string, c InsightCustomer) error
}

// InsightCustomer is the part of a customer record that Holdings reads.
type InsightCustomer struct {
	ID               string
	Name             string
	OwnerID          string
	Tier             string // "key" or "standard"
	Status           string // "active" or "archived"
	AnnualValueCents int64
}

// RunInsight runs the conformance suite for insight.Store. open must return
// a fresh, empty, migrated backend for every call.
func RunInsight(t *testing.T, open func(t *testing.T) InsightBackend) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, b InsightBackend)
	}{
		{"DepartmentsReadTreeAndHeads", insightDepartments},
		{"EmployeesReadTheReferralEdges", insightEmployees},
		{"HoldingsAggregateActiveCustomersPerOwner", insightHoldings},
		{"HoldingsFilterByDepartment", insightHoldingsFilter},
		{"ReadsJoinTheTransaction", insightInTx},
		{"TenantIsolation", insightIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// insightOrg is a small company: Sales (headed by W) with East below it,
// and Ops. W referred a and b, a referred c, d departed.
type insightOrg struct {
	tenant            string
	sales, east, ops  hr.Department
	w, a, b, c, d, op hr.Employee
}

func seedInsightOrg(t *testing.T, bk InsightBackend, name string) insightOrg {
	t.Helper()
	ctx := context.Background()
	o := insightOrg{tenant: hrTenant(t, bk.HR, name)}
	o.sales, o.ops = hrDept("Sales", ""), hrDept("Ops", "")
	o.east = hrDept("East", o.sales.ID)
	o.w = hrEmp("W1", "王丽", o.sales.ID)
	o.w.KeyPerson = true
	o.a = referred(hrEmp("A1", "赵敏", o.sales.ID), o.w.ID)
	o.b = referred(hrEmp("B1", "张磊", o.east.ID), o.w.ID)
	o.c = referred(hrEmp("C1", "Chen", o.east.ID), o.a.ID)
	o.d = hrEmp("D1", "Gone", o.sales.ID)
	o.d.Status, o.d.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 1, 31)
	o.op = hrEmp("O1", "Ops person", o.ops.ID)
	o.sales.HeadID = o.w.ID
	must(t, bk.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := bk.HR.InsertDepartments(ctx, o.tenant, []hr.Department{o.sales, o.east, o.ops}); err != nil {
			return err
		}
		return bk.HR.InsertEmployees(ctx, o.tenant, []hr.Employee{o.w, o.a, o.b, o.c, o.d, o.op})
	}))
	return o
}

func referred(e hr.Employee, by string) hr.Employee {
	e.HireChannel, e.ReferrerID = hr.ChannelReferral, by
	return e
}

func insightEdge(e hr.Employee) insight.Employee {
	return insight.Employee{ID: e.ID, Name: e.Name, ReferrerID: e.ReferrerID, DepartmentID: e.DepartmentID,
		Status: e.Status, KeyPerson: e.KeyPerson}
}

func addCustomers(t *testing.T, bk InsightBackend, tenant string, cs ...InsightCustomer) {
	t.Helper()
	must(t, bk.Tx.InTx(context.Background(), func(ctx context.Context) error {
		for _, c := range cs {
			if c.ID == "" {
				c.ID = ballast.NewID()
			}
			if c.Name == "" {
				c.Name = "Customer " + c.ID
			}
			if err := bk.AddCustomer(ctx, tenant, c); err != nil {
				return err
			}
		}
		return nil
	}))
}

func insightDepartments(t *testing.T, bk InsightBackend) {
	o := seedInsightOrg(t, bk, "Acme")
	got, err := bk.Insight.Departments(context.Background(), o.tenant)
	must(t, err)
	want := []insight.Department{
		{ID: o.sales.ID, Name: "Sales", HeadID: o.w.ID},
		{ID: o.east.ID, Name: "East", ParentID: o.sales.ID},
		{ID: o.ops.ID, Name: "Ops"},
	}
	byID := func(a, b insight.Department) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(want, byID)
	slices.SortFunc(got, byID)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("Departments (-want +got):\n%s", diff)
	}
}

func insightEmployees(t *testing.T, bk InsightBackend) {
	o := seedInsightOrg(t, bk, "Acme")
	got, err := bk.Insight.Employees(context.Background(), o.tenant)
	must(t, err)
	var want []insight.Employee
	for _, e := range []hr.Employee{o.w, o.a, o.b, o.c, o.d, o.op} {
		want = append(want, insightEdge(e))
	}
	byID := func(a, b insight.Employee) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(want, byID)
	slices.SortFunc(got, byID)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("Employees (-want +got):\n%s", diff)
	}
}

func sortHoldings(hs []insight.Holding) []insight.Holding {
	slices.SortFunc(hs, func(a, b insight.Holding) int { return cmp.Compare(a.OwnerID, b.OwnerID) })
	return hs
}

func insightHoldings(t *testing.T, bk InsightBackend) {
	o := seedInsightOrg(t, bk, "Acme")
	addCustomers(t, bk, o.tenant,
		InsightCustomer{OwnerID: o.w.ID, Tier: "key", Status: "active", AnnualValueCents: 7200},
		InsightCustomer{OwnerID: o.w.ID, Tier: "key", Status: "active", AnnualValueCents: 1000},
		InsightCustomer{OwnerID: o.w.ID, Tier: "standard", Status: "active", AnnualValueCents: 300},
		InsightCustomer{OwnerID: o.w.ID, Tier: "key", Status: "archived", AnnualValueCents: 99999},
		InsightCustomer{OwnerID: o.b.ID, Tier: "standard", Status: "active", AnnualValueCents: 50},
		InsightCustomer{OwnerID: o.d.ID, Tier: "key", Status: "active", AnnualValueCents: 5},
		InsightCustomer{OwnerID: o.op.ID, Tier: "standard", Status: "archived", AnnualValueCents: 1},
	)
	got, err := bk.Insight.Holdings(context.Background(), o.tenant, nil)
	must(t, err)
	want := sortHoldings([]insight.Holding{
		{OwnerID: o.w.ID, DepartmentID: o.sales.ID, Customers: 3, KeyAccounts: 2, AnnualValueCents: 8500, KeyAccountValueCents: 8200},
		{OwnerID: o.b.ID, DepartmentID: o.east.ID, Customers: 1, AnnualValueCents: 50},
		{OwnerID: o.d.ID, DepartmentID: o.sales.ID, Customers: 1, KeyAccounts: 1, AnnualValueCents: 5, KeyAccountValueCents: 5},
	})
	if diff := gocmp.Diff(want, sortHoldings(got)); diff != "" {
		t.Errorf("Holdings (-want +got):\n%s", diff)
	}
}

func insightHoldingsFilter(t *testing.T, bk InsightBackend) {
	o := seedInsightOrg(t, bk, "Acme")
	addCustomers(t, bk, o.tenant,
		InsightCustomer{OwnerID: o.w.ID, Tier: "key", Status: "active", AnnualValueCents: 10},
		InsightCustomer{OwnerID: o.b.ID, Tier: "key", Status: "active", AnnualValueCents: 20},
		InsightCustomer{OwnerID: o.op.ID, Tier: "standard", Status: "active", AnnualValueCents: 30},
	)
	ctx := context.Background()
	got, err := bk.Insight.Holdings(ctx, o.tenant, []string{o.east.ID, o.ops.ID})
	must(t, err)
	want := sortHoldings([]insight.Holding{
		{OwnerID: o.b.ID, DepartmentID: o.east.ID, Customers: 1, KeyAccounts: 1, AnnualValueCents: 20, KeyAccountValueCents: 20},
		{OwnerID: o.op.ID, DepartmentID: o.ops.ID, Customers: 1, AnnualValueCents: 30},
	})
	if diff := gocmp.Diff(want, sortHoldings(got)); diff != "" {
		t.Errorf("Holdings(East, Ops) (-want +got):\n%s", diff)
	}
	got, err = bk.Insight.Holdings(ctx, o.tenant, []string{})
	must(t, err)
	if len(got) != 0 {
		t.Errorf("Holdings(no departments) = %v, want none", got)
	}
}

func insightInTx(t *testing.T, bk InsightBackend) {
	o := seedInsightOrg(t, bk, "Acme")
	late := hrEmp("L1", "Late", o.ops.ID)
	errRollback := ballast.Invalid("test", "roll back")
	err := bk.Tx.InTx(context.Background(), func(ctx context.Context) error {
		if err := bk.HR.InsertEmployees(ctx, o.tenant, []hr.Employee{late}); err != nil {
			return err
		}
		es, err := bk.Insight.Employees(ctx, o.tenant)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(es, func(e insight.Employee) bool { return e.ID == late.ID }) {
			t.Errorf("Employees in the transaction misses the employee it inserted")
		}
		return errRollback
	})
	if err == nil {
		t.Fatal("InTx: want the rollback error")
	}
	es, err := bk.Insight.Employees(context.Background(), o.tenant)
	must(t, err)
	if len(es) != 6 {
		t.Errorf("after rollback: %d employees, want 6", len(es))
	}
}

func insightIsolation(t *testing.T, bk InsightBackend) {
	a := seedInsightOrg(t, bk, "Tenant A")
	b := seedInsightOrg(t, bk, "Tenant B")
	addCustomers(t, bk, a.tenant, InsightCustomer{OwnerID: a.w.ID, Tier: "key", Status: "active", AnnualValueCents: 1})
	ctx := context.Background()
	ds, err := bk.Insight.Departments(ctx, b.tenant)
	must(t, err)
	for _, d := range ds {
		if d.ID == a.sales.ID || d.ID == a.east.ID || d.ID == a.ops.ID {
			t.Errorf("Departments(B) returned A's %s", d.Name)
		}
	}
	if len(ds) != 3 {
		t.Errorf("Departments(B) = %d rows, want 3", len(ds))
	}
	es, err := bk.Insight.Employees(ctx, b.tenant)
	must(t, err)
	for _, e := range es {
		if e.ID == a.w.ID || e.ID == a.a.ID {
			t.Errorf("Employees(B) returned A's %s", e.Name)
		}
	}
	if len(es) != 6 {
		t.Errorf("Employees(B) = %d rows, want 6", len(es))
	}
	hs, err := bk.Insight.Holdings(ctx, b.tenant, nil)
	must(t, err)
	if len(hs) != 0 {
		t.Errorf("Holdings(B) = %v, want none (only A has customers)", hs)
	}
	hs, err = bk.Insight.Holdings(ctx, b.tenant, []string{a.sales.ID})
	must(t, err)
	if len(hs) != 0 {
		t.Errorf("Holdings(B, A's department) = %v, want none", hs)
	}
	for _, id := range []string{"", "unknown"} {
		if es, err := bk.Insight.Employees(ctx, id); err != nil || len(es) != 0 {
			t.Errorf("Employees(%q) = %d, %v; want none", id, len(es), err)
		}
	}
}
