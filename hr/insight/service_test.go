package insight_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var t0 = time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)

// company is the source article's shape on a real database: Mgmt (the
// boss), Sales (headed by Liu) with East below it, and Ops. The boss
// referred Wang Li, who referred s1…s6 in Sales, e1 in East and s9, who
// has left; the Ops head referred op1. Wang Li owns 72% of Sales'
// key-account value.
type company struct {
	db                    *storage.DB
	svc                   *insight.Service
	tenant                string
	mgmt, sales, east, op hr.Department
	ids                   map[string]string // name → employee ID
	hr, head, employee    context.Context
	nobody                context.Context // a department head who heads nothing
}

func newCompany(t *testing.T, db *storage.DB) *company {
	t.Helper()
	log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: fixedClock{t0}})
	if err != nil {
		t.Fatal(err)
	}
	enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log, Clock: fixedClock{t0}})
	if err != nil {
		t.Fatal(err)
	}
	hrs, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log, Clock: fixedClock{t0}})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := insight.New(insight.Config{Store: db.Insight(), Auth: enf, Clock: fixedClock{t0}})
	if err != nil {
		t.Fatal(err)
	}
	c := &company{db: db, svc: svc, ids: map[string]string{}}
	platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "platform", Kind: ballast.KindSystem})
	tn, err := hrs.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	c.tenant = tn.ID
	sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: c.tenant, Subject: "platform", Kind: ballast.KindSystem})
	dept := func(name, parent string) hr.Department {
		d, err := hrs.CreateDepartment(sys, hr.DepartmentParams{Name: name, ParentID: parent})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	c.mgmt, c.sales, c.op = dept("Mgmt", ""), dept("Sales", ""), dept("Ops", "")
	c.east = dept("East", c.sales.ID)
	n := 0
	hire := func(name string, d hr.Department, referrer string) {
		n++
		p := hr.EmployeeParams{Number: fmt.Sprintf("E%03d", n), Name: name, DepartmentID: d.ID,
			HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelExperienced}
		if referrer != "" {
			p.HireChannel, p.ReferrerID = hr.ChannelReferral, c.ids[referrer]
		}
		e, err := hrs.HireEmployee(sys, p)
		if err != nil {
			t.Fatal(err)
		}
		c.ids[name] = e.ID
	}
	hire("boss", c.mgmt, "")
	hire("liu", c.sales, "")
	hire("王丽", c.sales, "boss")
	for i := 1; i <= 6; i++ {
		hire(fmt.Sprintf("s%d", i), c.sales, "王丽")
	}
	hire("s7", c.sales, "")
	hire("s8", c.sales, "")
	hire("e1", c.east, "王丽")
	hire("e2", c.east, "")
	hire("opshead", c.op, "")
	hire("op1", c.op, "opshead")
	hire("s9", c.sales, "王丽")
	s9, err := hrs.Employee(sys, c.ids["s9"])
	if err != nil {
		t.Fatal(err)
	}
	p := s9.Params()
	p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 6, 30)
	if _, err := hrs.UpdateEmployee(sys, s9.ID, p, s9.Version); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		d    hr.Department
		head string
	}{{c.sales, "liu"}, {c.op, "opshead"}} {
		if _, err := hrs.UpdateDepartment(sys, d.d.ID, hr.DepartmentParams{Name: d.d.Name, HeadID: c.ids[d.head]}, d.d.Version); err != nil {
			t.Fatal(err)
		}
	}
	for _, cu := range []struct {
		owner, tier string
		value       int64
	}{{"王丽", "key", 7200}, {"s1", "key", 1400}, {"s1", "key", 1400}, {"s2", "standard", 5000}, {"op1", "key", 10}} {
		_, err := db.Bun().NewRaw(`INSERT INTO ballast_customers
			(tenant_id, id, name, tier, annual_value_cents, owner_id, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
			c.tenant, ballast.NewID(), "Customer", cu.tier, cu.value, c.ids[cu.owner], t0, t0).Exec(context.Background())
		if err != nil {
			t.Fatal(err)
		}
	}
	user := func(subject, role string) context.Context {
		if err := enf.GrantRole(sys, subject, role, "test"); err != nil {
			t.Fatal(err)
		}
		return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: c.tenant, Subject: subject, Kind: ballast.KindUser})
	}
	c.hr = user("hr-user", access.RoleHR)
	c.head = user(c.ids["liu"], access.RoleDepartmentHead)
	c.employee = user(c.ids["op1"], access.RoleEmployee)
	c.nobody = user(c.ids["e2"], access.RoleDepartmentHead)
	return c
}

// summaries is a department's flagged people as "name: summary".
func summaries(r insight.DepartmentRisk, locale string) []string {
	var out []string
	for _, p := range r.People {
		s := p.Summary.En
		if locale == insight.LocaleZhCN {
			s = p.Summary.ZhCN
		}
		out = append(out, p.Name+": "+s)
	}
	return out
}

func deptNames(a *insight.Analysis) []string {
	var out []string
	for _, d := range a.Departments {
		out = append(out, d.Department.Name)
	}
	return out
}

func TestAnalyze_FlagsTheClusterAndTheKeyPerson(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCompany(t, db)
		a, err := c.svc.Analyze(c.hr, insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Mgmt", "Ops", "Sales", "East"}, deptNames(a)); diff != "" {
			t.Errorf("departments (-want +got):\n%s", diff)
		}
		clusters := a.Clusters()
		if len(clusters) != 1 || clusters[0].Department.ID != c.sales.ID {
			t.Fatalf("clusters = %+v, want Sales only", clusters)
		}
		sales := clusters[0]
		want := &insight.TeamReferrer{Person: insight.Person{ID: c.ids["王丽"], Name: "王丽", DepartmentID: c.sales.ID, Status: hr.StatusActive},
			Referred: 6, Direct: 6, Share: 0.6}
		if diff := cmp.Diff(want, sales.TopReferrer); diff != "" {
			t.Errorf("top referrer (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{
			"王丽: referred 6 of 10 members; owns 72% of key-account value",
			"s1: owns 2 of 3 key accounts; owns 2 of 4 customers",
		}, summaries(sales, insight.LocaleEn)); diff != "" {
			t.Errorf("Sales people (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{
			"王丽: 推荐了10名成员中的6名；掌握72%的大客户价值",
			"s1: 掌握3个大客户中的2个；掌握4个客户中的2个",
		}, summaries(sales, insight.LocaleZhCN)); diff != "" {
			t.Errorf("Sales people in Chinese (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(insight.Totals{Customers: 4, KeyAccounts: 3, AnnualValueCents: 15000, KeyAccountValueCents: 10000}, sales.Customers); diff != "" {
			t.Errorf("Sales customers (-want +got):\n%s", diff)
		}
		var refs []string
		for _, r := range a.Referrers {
			refs = append(refs, fmt.Sprintf("%s %d+%d", r.Name, r.Direct, r.Indirect))
		}
		if diff := cmp.Diff([]string{"boss 1+7", "王丽 7+0", "opshead 1+0"}, refs); diff != "" {
			t.Errorf("referrers (-want +got):\n%s", diff)
		}
		if !a.GeneratedAt.Equal(t0) || a.Thresholds != insight.DefaultThresholds() {
			t.Errorf("generated at %v with %+v", a.GeneratedAt, a.Thresholds)
		}
	})
}

func TestAnalyze_OptionsWidenTheTeams(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCompany(t, db)
		for _, tc := range []struct {
			opts     insight.Options
			members  int
			referred int
		}{
			{insight.Options{}, 10, 6},
			{insight.Options{IncludeDeparted: true}, 11, 7},
			{insight.Options{IncludeSubdepartments: true}, 12, 7},
			{insight.Options{IncludeDeparted: true, IncludeSubdepartments: true}, 13, 8},
		} {
			r, err := c.svc.DepartmentRisk(c.hr, c.sales.ID, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.Members != tc.members || r.TopReferrer == nil || r.TopReferrer.Referred != tc.referred || !r.Cluster {
				t.Errorf("%+v: members %d, top %+v, cluster %v; want %d members, %d referred, a cluster",
					tc.opts, r.Members, r.TopReferrer, r.Cluster, tc.members, tc.referred)
			}
		}
	})
}

func TestService_ScopesByPermission(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCompany(t, db)
		// The head of Sales sees Sales and East, nothing else.
		a, err := c.svc.Analyze(c.head, insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Sales", "East"}, deptNames(a)); diff != "" {
			t.Errorf("head's departments (-want +got):\n%s", diff)
		}
		if len(a.Referrers) != 1 || a.Referrers[0].Name != "王丽" {
			t.Errorf("head's referrers = %+v, want 王丽 only", a.Referrers)
		}
		for _, tc := range []struct {
			name string
			err  error
			want error
		}{
			{"head reads Ops", errOf(c.svc.DepartmentRisk(c.head, c.op.ID, insight.Options{})), ballast.ErrForbidden},
			{"head reads the boss's tree", errOf(c.svc.ReferralTree(c.head, c.ids["boss"], insight.Options{})), ballast.ErrForbidden},
			{"head draws Ops", errOf(c.svc.DepartmentForest(c.head, c.op.ID, insight.Options{})), ballast.ErrForbidden},
			{"employee analyses", errOf(c.svc.Analyze(c.employee, insight.Options{})), ballast.ErrForbidden},
			{"employee reads a tree", errOf(c.svc.ReferralTree(c.employee, c.ids["opshead"], insight.Options{})), ballast.ErrForbidden},
			{"no principal", errOf(c.svc.Analyze(context.Background(), insight.Options{})), ballast.ErrUnauthenticated},
			{"unknown department", errOf(c.svc.DepartmentRisk(c.hr, "nope", insight.Options{})), ballast.ErrNotFound},
			{"unknown employee", errOf(c.svc.ReferralTree(c.hr, "nope", insight.Options{})), ballast.ErrNotFound},
			{"departed employee's tree", errOf(c.svc.ReferralTree(c.hr, c.ids["s9"], insight.Options{})), ballast.ErrNotFound},
		} {
			if !errors.Is(tc.err, tc.want) {
				t.Errorf("%s: error = %v, want %v", tc.name, tc.err, tc.want)
			}
		}
		if _, err := c.svc.ReferralTree(c.hr, c.ids["s9"], insight.Options{IncludeDeparted: true}); err != nil {
			t.Errorf("departed employee's tree with IncludeDeparted: %v", err)
		}
		// A department head who heads nothing sees nothing, without an error.
		a, err = c.svc.Analyze(c.nobody, insight.Options{})
		if err != nil || len(a.Departments) != 0 || len(a.Referrers) != 0 {
			t.Errorf("head of nothing: %+v, %v; want an empty analysis", a, err)
		}
	})
}

func errOf[T any](_ T, err error) error { return err }

// shape renders a tree as "name[flags](children)".
func shape(n *insight.Node) string {
	s := n.Name
	if n.KeyReferrer {
		s += "*"
	}
	if n.Cluster {
		s += "+"
	}
	if len(n.Children) > 0 {
		s += "("
		for i, k := range n.Children {
			if i > 0 {
				s += " "
			}
			s += shape(k)
		}
		s += ")"
	}
	return s
}

func shapes(ns []*insight.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, shape(n))
	}
	return out
}

func TestReferralTrees(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCompany(t, db)
		tree, err := c.svc.ReferralTree(c.hr, c.ids["boss"], insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := shape(tree), "boss(王丽*(e1 s1+ s2+ s3+ s4+ s5+ s6+))"; got != want {
			t.Errorf("boss's tree = %s, want %s", got, want)
		}
		if tree.Direct != 1 || tree.Indirect != 7 {
			t.Errorf("boss: %d direct, %d indirect; want 1, 7", tree.Direct, tree.Indirect)
		}
		tree, err = c.svc.ReferralTree(c.hr, c.ids["王丽"], insight.Options{IncludeDeparted: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := shape(tree), "王丽*(e1 s1+ s2+ s3+ s4+ s5+ s6+ s9+)"; got != want {
			t.Errorf("Wang Li's tree with the departed = %s, want %s", got, want)
		}
		forest, err := c.svc.ReferralForest(c.hr, insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"boss(王丽*(e1 s1+ s2+ s3+ s4+ s5+ s6+))", "opshead(op1)"}, shapes(forest)); diff != "" {
			t.Errorf("forest (-want +got):\n%s", diff)
		}
		// The head of Sales: the boss is out of scope, so Wang Li is a root.
		forest, err = c.svc.ReferralForest(c.head, insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"王丽*(e1 s1+ s2+ s3+ s4+ s5+ s6+)"}, shapes(forest)); diff != "" {
			t.Errorf("head's forest (-want +got):\n%s", diff)
		}
		f, err := c.svc.DepartmentForest(c.head, c.sales.ID, insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"liu", "s7", "s8", "王丽*(s1+ s2+ s3+ s4+ s5+ s6+)"}, shapes(f.Roots)); diff != "" {
			t.Errorf("Sales forest (-want +got):\n%s", diff)
		}
		if !f.Risk.Cluster || f.Risk.TopReferrer.Name != "王丽" {
			t.Errorf("Sales forest risk = %+v", f.Risk)
		}
		f, err = c.svc.DepartmentForest(c.hr, c.op.ID, insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"opshead(op1)"}, shapes(f.Roots)); diff != "" {
			t.Errorf("Ops forest (-want +got):\n%s", diff)
		}
	})
}

func TestNew_NamesEveryMissingPart(t *testing.T) {
	t.Parallel()
	_, err := insight.New(insight.Config{Thresholds: insight.Thresholds{ClusterShare: -1, MinTeamSize: -2}})
	var v *ballast.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("New = %v, want a validation error", err)
	}
	var got []string
	for _, f := range v.Fields {
		got = append(got, f.Field)
	}
	if diff := cmp.Diff([]string{"Store", "Auth", "Thresholds.ClusterShare", "Thresholds.MinTeamSize"}, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}
