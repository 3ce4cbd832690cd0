package insight

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// wangLi is the source article's sales team: W referred six of its ten
// members and owns most key accounts; s1 owns many small customers; x, a
// departed salesperson, still owns some.
func wangLi() ([]Department, []Employee, []Holding) {
	depts := []Department{dept("S", ""), dept("E", "S")}
	emps := []Employee{emp("W", "S", "")}
	for i := 1; i <= 6; i++ {
		emps = append(emps, emp(fmt.Sprintf("s%d", i), "S", "W"))
	}
	emps = append(emps, emp("s7", "S", ""), emp("s8", "S", ""), emp("s9", "S", ""),
		departed(emp("x", "S", "")), emp("e1", "E", ""))
	holdings := []Holding{
		{OwnerID: "W", DepartmentID: "S", Customers: 4, KeyAccounts: 3, AnnualValueCents: 8000, KeyAccountValueCents: 7200},
		{OwnerID: "s1", DepartmentID: "S", Customers: 6, KeyAccounts: 2, AnnualValueCents: 4000, KeyAccountValueCents: 2800},
		{OwnerID: "x", DepartmentID: "S", Customers: 10, AnnualValueCents: 0},
		{OwnerID: "e1", DepartmentID: "E", Customers: 1, KeyAccounts: 1, AnnualValueCents: 100000, KeyAccountValueCents: 100000},
		{OwnerID: "ghost", DepartmentID: "nowhere", Customers: 99},
	}
	return depts, emps, holdings
}

func TestCompute_FlagsKeyPeopleWithReasons(t *testing.T) {
	t.Parallel()
	off := 2.0 // above 1 switches a criterion off
	exampleOnly := Thresholds{KeyAccountShare: off, AnnualValueShare: off, CustomerShare: off}.withDefaults()
	for _, tc := range []struct {
		name string
		th   Thresholds
		opts Options
		dept string
		want []PersonRisk
		tot  Totals
	}{
		{
			name: "TheArticlesSentence",
			th:   exampleOnly,
			dept: "S",
			tot:  Totals{Customers: 20, KeyAccounts: 5, AnnualValueCents: 12000, KeyAccountValueCents: 10000},
			want: []PersonRisk{{
				Person: Person{ID: "W", Name: "name W", DepartmentID: "S", Status: "active"},
				Reasons: []Reason{
					{Kind: ReasonReferredMembers, Count: 6, Of: 10, Direct: 6, Share: 0.6},
					{Kind: ReasonKeyAccountValue, Count: 3, Of: 5, Share: 0.72, ValueCents: 7200, TotalCents: 10000},
				},
				Summary: Summary{En: "referred 6 of 10 members; owns 72% of key-account value",
					ZhCN: "推荐了10名成员中的6名；掌握72%的大客户价值"},
			}},
		},
		{
			name: "DefaultThresholdsAndDepartedOwnerLeftOut",
			th:   DefaultThresholds(),
			dept: "S",
			tot:  Totals{Customers: 20, KeyAccounts: 5, AnnualValueCents: 12000, KeyAccountValueCents: 10000},
			want: []PersonRisk{
				{
					Person: Person{ID: "W", Name: "name W", DepartmentID: "S", Status: "active"},
					Reasons: []Reason{
						{Kind: ReasonReferredMembers, Count: 6, Of: 10, Direct: 6, Share: 0.6},
						{Kind: ReasonKeyAccountValue, Count: 3, Of: 5, Share: 0.72, ValueCents: 7200, TotalCents: 10000},
						{Kind: ReasonKeyAccounts, Count: 3, Of: 5, Share: 0.6},
						{Kind: ReasonAnnualValue, Count: 4, Of: 20, Share: 8000.0 / 12000, ValueCents: 8000, TotalCents: 12000},
					},
					Summary: Summary{
						En:   "referred 6 of 10 members; owns 72% of key-account value; owns 3 of 5 key accounts; owns 67% of annual customer value",
						ZhCN: "推荐了10名成员中的6名；掌握72%的大客户价值；掌握5个大客户中的3个；掌握67%的客户年度价值",
					},
				},
			},
		},
		{
			name: "DepartedOwnerFlaggedWhenIncluded",
			th:   DefaultThresholds(),
			opts: Options{IncludeDeparted: true},
			dept: "S",
			tot:  Totals{Customers: 20, KeyAccounts: 5, AnnualValueCents: 12000, KeyAccountValueCents: 10000},
			want: []PersonRisk{
				{
					Person: Person{ID: "W", Name: "name W", DepartmentID: "S", Status: "active"},
					Reasons: []Reason{
						// 6 of 11 members now that x counts.
						{Kind: ReasonReferredMembers, Count: 6, Of: 11, Direct: 6, Share: 6.0 / 11},
						{Kind: ReasonKeyAccountValue, Count: 3, Of: 5, Share: 0.72, ValueCents: 7200, TotalCents: 10000},
						{Kind: ReasonKeyAccounts, Count: 3, Of: 5, Share: 0.6},
						{Kind: ReasonAnnualValue, Count: 4, Of: 20, Share: 8000.0 / 12000, ValueCents: 8000, TotalCents: 12000},
					},
					Summary: Summary{
						En:   "referred 6 of 11 members; owns 72% of key-account value; owns 3 of 5 key accounts; owns 67% of annual customer value",
						ZhCN: "推荐了11名成员中的6名；掌握72%的大客户价值；掌握5个大客户中的3个；掌握67%的客户年度价值",
					},
				},
				{
					Person:  Person{ID: "x", Name: "name x", DepartmentID: "S", Status: "departed"},
					Reasons: []Reason{{Kind: ReasonCustomers, Count: 10, Of: 20, Share: 0.5}},
					Summary: Summary{En: "owns 10 of 20 customers", ZhCN: "掌握20个客户中的10个"},
				},
			},
		},
		{
			name: "SubdepartmentHoldingsRollUp",
			th:   exampleOnly,
			opts: Options{IncludeSubdepartments: true},
			dept: "S",
			tot:  Totals{Customers: 21, KeyAccounts: 6, AnnualValueCents: 112000, KeyAccountValueCents: 110000},
			want: []PersonRisk{
				{
					Person: Person{ID: "e1", Name: "name e1", DepartmentID: "E", Status: "active"},
					Reasons: []Reason{
						{Kind: ReasonKeyAccountValue, Count: 1, Of: 6, Share: 100000.0 / 110000, ValueCents: 100000, TotalCents: 110000},
					},
					Summary: Summary{En: "owns 91% of key-account value", ZhCN: "掌握91%的大客户价值"},
				},
				{
					// 6 of 11 members: e1 joins the team.
					Person:  Person{ID: "W", Name: "name W", DepartmentID: "S", Status: "active"},
					Reasons: []Reason{{Kind: ReasonReferredMembers, Count: 6, Of: 11, Direct: 6, Share: 6.0 / 11}},
					Summary: Summary{En: "referred 6 of 11 members", ZhCN: "推荐了11名成员中的6名"},
				},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			depts, emps, holdings := wangLi()
			c := compute(newGraph(depts, emps), tc.opts, tc.th, holdings)
			r := c.risk(0)
			if r.Department.ID != tc.dept {
				t.Fatalf("department 0 = %s", r.Department.ID)
			}
			if diff := cmp.Diff(tc.want, r.People, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("people (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.tot, r.Customers); diff != "" {
				t.Errorf("totals (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReason_TextRoundsHalfUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		share  float64
		en, zh string
	}{
		{0.725, "owns 73% of key-account value", "掌握73%的大客户价值"},
		{0.4, "owns 40% of key-account value", "掌握40%的大客户价值"},
		{1, "owns 100% of key-account value", "掌握100%的大客户价值"},
	} {
		r := Reason{Kind: ReasonKeyAccountValue, Share: tc.share}
		if got := r.Text(LocaleEn); got != tc.en {
			t.Errorf("Text(en, %v) = %q, want %q", tc.share, got, tc.en)
		}
		if got := r.Text(LocaleZhCN); got != tc.zh {
			t.Errorf("Text(zh-CN, %v) = %q, want %q", tc.share, got, tc.zh)
		}
	}
}
