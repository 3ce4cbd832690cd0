package pools_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/pools"
)

func TestParseRule_RefusesBadRulesNamingTheirPath(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		fields     []string
	}{
		{"unknown kind", `{"kind":"and","rules":[{"kind":"not_resigning"},{"kind":"salary"}]}`, []string{"rules[1].kind"}},
		{"percentile zero", `{"kind":"and","rules":[{"kind":"performance_top_percent","percent":0,"periods":6}]}`, []string{"rules[0].percent"}},
		{"percentile over 100", `{"kind":"performance_top_percent","percent":101,"periods":6}`, []string{"percent"}},
		{"negative percentile", `{"kind":"performance_top_percent","percent":-5,"periods":6}`, []string{"percent"}},
		{"no periods", `{"kind":"or","rules":[{"kind":"grade_streak","grades":["A"]}]}`, []string{"rules[0].periods"}},
		{"unknown population", `{"kind":"performance_top_percent","percent":10,"periods":2,"population":"company"}`, []string{"population"}},
		{"field of another kind", `{"kind":"tenure","min_years":2,"percent":10}`, []string{"percent"}},
		{"empty and", `{"kind":"and"}`, []string{"rules"}},
		{"nested errors", `{"kind":"and","rules":[{"kind":"or","rules":[{"kind":"management_experience"},{"kind":"career_plan","direction":"ceo"}]}]}`,
			[]string{"rules[0].rules[0].min_count", "rules[0].rules[1].direction"}},
		{"level range", `{"kind":"position_level","min_level":3,"max_level":2}`, []string{"max_level"}},
		{"empty grade", `{"kind":"grade_streak","grades":[""],"periods":2}`, []string{"grades[0]"}},
		{"no certification name", `{"kind":"certification"}`, []string{"name"}},
		{"bad department id", `{"kind":"department","department_id":"sales"}`, []string{"department_id"}},
		{"unknown field", `{"kind":"and","rules":[{"kind":"tenure","min_years":1,"salary":5}]}`, []string{"rule"}},
		{"not JSON", `top 15%`, []string{"rule"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pools.ParseRule([]byte(tc.json))
			wantErr(t, "ParseRule", err, ballast.ErrInvalid)
			if got := fields(t, err); !slices.Equal(got, tc.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tc.fields, err)
			}
			if tc.name == "unknown field" && !strings.Contains(err.Error(), `"salary"`) {
				t.Errorf("error %v does not name the field", err)
			}
		})
	}
}

func TestParseRule_ReadsWhatMarshalRuleWrites(t *testing.T) {
	r := pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{
		{Kind: pools.KindPerformanceTopPercent, Percent: 15, Population: pools.PopulationDepartment, Periods: 6},
		{Kind: pools.KindOr, Rules: []pools.Rule{{Kind: pools.KindCertification, Name: "PMP", ValidOnScreeningDay: true}, {Kind: pools.KindTenure, MinYears: 2.5}}},
	}}
	got, err := pools.ParseRule(pools.MarshalRule(r))
	must(t, err)
	if string(pools.MarshalRule(got)) != string(pools.MarshalRule(r)) {
		t.Errorf("round trip = %s", pools.MarshalRule(got))
	}
	var paths []string
	for _, l := range got.Leaves() {
		paths = append(paths, l.Path)
	}
	if want := []string{"rules[0]", "rules[1].rules[0]", "rules[1].rules[1]"}; !slices.Equal(paths, want) {
		t.Errorf("leaves = %v, want %v", paths, want)
	}
}

func TestRule_NearMissIsOneLeafAwayFromMatching(t *testing.T) {
	leaf := pools.Rule{Kind: pools.KindNotResigning}
	and := pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{leaf, leaf, {Kind: pools.KindOr, Rules: []pools.Rule{leaf, leaf}}}}
	for _, tc := range []struct {
		pass []bool
		near []int
	}{
		{[]bool{true, true, true, false}, nil},          // matches
		{[]bool{false, true, false, true}, []int{0}},    // the first AND operand
		{[]bool{true, true, false, false}, []int{2, 3}}, // either side of the OR
		{[]bool{false, false, true, true}, nil},         // two away
		{[]bool{false, true, false, false}, nil},        // two away
	} {
		if got := and.NearMiss(tc.pass); !slices.Equal(got, tc.near) {
			t.Errorf("NearMiss(%v) = %v, want %v", tc.pass, got, tc.near)
		}
	}
}

func TestCreatePool_BadRuleChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		for _, tc := range []struct {
			name   string
			pp     pools.PoolParams
			fields []string
		}{
			{"impossible percentile and no name", pools.PoolParams{Rule: pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{
				{Kind: pools.KindNotResigning}, {Kind: pools.KindPerformanceTopPercent, Percent: 150, Periods: 0}}}},
				[]string{"name", "rules[1].percent", "rules[1].periods"}},
			{"department of no one", pools.PoolParams{Name: "X", Rule: pools.Rule{Kind: pools.KindOr, Rules: []pools.Rule{
				{Kind: pools.KindDepartment, DepartmentID: ballast.NewID()}}}}, []string{"rules[0].department_id"}},
		} {
			_, err := e.svc.CreatePool(e.as["hr"], tc.pp)
			wantErr(t, tc.name, err, ballast.ErrInvalid)
			if got := fields(t, err); !slices.Equal(got, tc.fields) {
				t.Errorf("%s: fields = %v, want %v", tc.name, got, tc.fields)
			}
		}
		ps, err := e.svc.Pools(e.as["hr"])
		must(t, err)
		if len(ps) != 0 {
			t.Errorf("pools after refusals = %v", ps)
		}
		_, err = e.svc.Preview(e.as["hr"], pools.Rule{Kind: pools.KindGradeStreak, Periods: 3}, today)
		if !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("preview of a bad rule: %v", err)
		}
	})
}
