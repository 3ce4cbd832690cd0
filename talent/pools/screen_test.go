package pools_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/pools"
)

// goWorld is the population as plain Go values, read back through hr, for
// the straightforward evaluation the SQL must agree with.
type goWorld struct {
	emps     []hr.Employee // not departed
	profiles map[string]hr.Profile
	level    map[string]int
	parent   map[string]string
	ends     []hr.Date // the tenant's period ends on or before today, newest first
}

func readWorld(t *testing.T, e *env) goWorld {
	t.Helper()
	w := goWorld{profiles: map[string]hr.Profile{}, level: map[string]int{}, parent: map[string]string{}}
	ds, err := e.hr.Departments(e.sys)
	must(t, err)
	for _, d := range ds {
		w.parent[d.ID] = d.ParentID
	}
	seen := map[hr.Date]bool{}
	for _, emp := range e.all {
		pr, err := e.hr.Profile(e.sys, emp.ID)
		if err != nil && !errors.Is(err, ballast.ErrNotFound) {
			t.Fatal(err)
		}
		for _, r := range pr.Performance {
			if !r.PeriodEnd.After(today) {
				seen[r.PeriodEnd] = true
			}
		}
		if emp.Status == hr.StatusDeparted {
			continue
		}
		w.emps = append(w.emps, emp)
		w.profiles[emp.ID] = pr
		w.level[emp.ID] = e.levels[emp.PositionID]
	}
	for d := range seen {
		w.ends = append(w.ends, d)
	}
	slices.SortFunc(w.ends, func(a, b hr.Date) int { return b.Compare(a) })
	return w
}

// last returns the records of id in the tenant's last n periods.
func (w goWorld) last(id string, n int) []hr.PerformanceRecord {
	ends := w.ends[:min(n, len(w.ends))]
	var out []hr.PerformanceRecord
	for _, r := range w.profiles[id].Performance {
		if slices.Contains(ends, r.PeriodEnd) {
			out = append(out, r)
		}
	}
	return out
}

func average(rs []hr.PerformanceRecord) float64 {
	s := 0.0
	for _, r := range rs {
		s += r.Score
	}
	return s / float64(len(rs))
}

// leaf evaluates one leaf for emp; for performance_top_percent it also
// returns the rank and population size.
func (w goWorld) leaf(r pools.Rule, emp hr.Employee) (pass bool, rank, of int) {
	pr := w.profiles[emp.ID]
	switch r.Kind {
	case pools.KindPerformanceTopPercent:
		key := func(x hr.Employee) string {
			switch r.Population {
			case pools.PopulationDepartment:
				return x.DepartmentID
			case pools.PopulationPositionLevel:
				return fmt.Sprint(w.level[x.ID])
			}
			return ""
		}
		mine := w.last(emp.ID, r.Periods)
		if len(mine) == 0 {
			return false, 0, 0
		}
		avg := average(mine)
		rank = 1
		for _, o := range w.emps {
			rs := w.last(o.ID, r.Periods)
			if len(rs) == 0 || key(o) != key(emp) {
				continue
			}
			of++
			if average(rs) > avg {
				rank++
			}
		}
		return float64(rank)*100 <= r.Percent*float64(of), rank, of
	case pools.KindGradeStreak:
		n := 0
		for _, rec := range w.last(emp.ID, r.Periods) {
			if slices.Contains(r.Grades, rec.Grade) {
				n++
			}
		}
		return n >= r.Periods, 0, 0
	case pools.KindMinScoreAverage:
		rs := w.last(emp.ID, r.Periods)
		return len(rs) > 0 && average(rs) >= r.MinScore, 0, 0
	case pools.KindManagementExperience:
		return len(pr.Management) >= r.MinCount, 0, 0
	case pools.KindCareerPlan:
		return pr.CareerPlan != nil && pr.CareerPlan.Direction != "" && (r.Direction == "" || pr.CareerPlan.Direction == r.Direction), 0, 0
	case pools.KindCertification:
		for _, c := range pr.Certifications {
			if c.Name == r.Name && (!r.ValidOnScreeningDay || (!c.Issued.After(today) && (c.Expires.IsZero() || !c.Expires.Before(today)))) {
				return true, 0, 0
			}
		}
		return false, 0, 0
	case pools.KindTenure:
		months := int(r.MinYears*12 + 0.5)
		h := emp.HireDate.In(time.UTC).AddDate(0, months, 0)
		return !hr.DateOf(h).After(today), 0, 0
	case pools.KindNotResigning:
		return emp.Status == hr.StatusActive, 0, 0
	case pools.KindDepartment:
		for d := emp.DepartmentID; d != ""; d = w.parent[d] {
			if d == r.DepartmentID {
				return true, 0, 0
			}
		}
		return false, 0, 0
	case pools.KindPositionLevel:
		l := w.level[emp.ID]
		return l >= r.MinLevel && (r.MaxLevel == 0 || l <= r.MaxLevel), 0, 0
	}
	panic("unknown kind " + r.Kind)
}

// randomRule draws a rule tree of at most depth levels.
func randomRule(rng *rand.Rand, e *env, depth int) pools.Rule {
	if depth > 1 && rng.IntN(3) > 0 {
		kind := pools.KindAnd
		if rng.IntN(3) == 0 {
			kind = pools.KindOr
		}
		r := pools.Rule{Kind: kind}
		for range 1 + rng.IntN(3) {
			r.Rules = append(r.Rules, randomRule(rng, e, depth-1))
		}
		return r
	}
	pick := func(xs ...int) int { return xs[rng.IntN(len(xs))] }
	switch rng.IntN(10) {
	case 0:
		return pools.Rule{Kind: pools.KindPerformanceTopPercent, Percent: float64(pick(10, 15, 25, 50, 100)),
			Population: []string{"", pools.PopulationTenant, pools.PopulationDepartment, pools.PopulationPositionLevel}[rng.IntN(4)], Periods: pick(1, 2, 3, 6)}
	case 1:
		return pools.Rule{Kind: pools.KindGradeStreak, Grades: [][]string{{"A"}, {"A", "B+"}, {"A", "B+", "B"}}[rng.IntN(3)], Periods: pick(1, 2, 3)}
	case 2:
		return pools.Rule{Kind: pools.KindMinScoreAverage, MinScore: float64(pick(60, 70, 75, 80)), Periods: pick(2, 6)}
	case 3:
		return pools.Rule{Kind: pools.KindManagementExperience, MinCount: pick(1, 2)}
	case 4:
		return pools.Rule{Kind: pools.KindCareerPlan, Direction: []string{"", hr.DirectionManagement}[rng.IntN(2)]}
	case 5:
		return pools.Rule{Kind: pools.KindCertification, Name: []string{"PMP", "CPA"}[rng.IntN(2)], ValidOnScreeningDay: rng.IntN(2) == 0}
	case 6:
		return pools.Rule{Kind: pools.KindTenure, MinYears: []float64{1, 2.5, 5, 10}[rng.IntN(4)]}
	case 7:
		return pools.Rule{Kind: pools.KindNotResigning}
	case 8:
		return pools.Rule{Kind: pools.KindDepartment, DepartmentID: []string{e.sales.ID, e.east.ID, e.rnd.ID}[rng.IntN(3)]}
	default:
		r := pools.Rule{Kind: pools.KindPositionLevel, MinLevel: pick(0, 1, 2)}
		if rng.IntN(2) == 0 {
			r.MaxLevel = max(r.MinLevel, pick(1, 2))
		}
		return r
	}
}

func TestScreen_SQLAgreesWithAGoEvaluationOnARandomPopulation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		rng := rand.New(rand.NewPCG(6, 2026))
		e.seedRandom(t, rng, 60)
		w := readWorld(t, e)
		rules := []pools.Rule{
			// The benchmark's rule, and an OR of leaves, always.
			{Kind: pools.KindAnd, Rules: []pools.Rule{
				{Kind: pools.KindPerformanceTopPercent, Percent: 15, Periods: 6},
				{Kind: pools.KindManagementExperience, MinCount: 1},
				{Kind: pools.KindCareerPlan, Direction: hr.DirectionManagement}}},
			{Kind: pools.KindOr, Rules: []pools.Rule{{Kind: pools.KindNotResigning}, {Kind: pools.KindTenure, MinYears: 5}}},
		}
		for range 40 {
			rules = append(rules, randomRule(rng, e, 3))
		}
		matches, nears := 0, 0
		for ri, rule := range rules {
			sc, err := e.svc.Preview(e.as["hr"], rule, today)
			if err != nil {
				t.Fatalf("rule %d %s: %v", ri, pools.MarshalRule(rule), err)
			}
			got := map[string]pools.Candidate{}
			for _, c := range slices.Concat(sc.Matches, sc.NearMisses) {
				got[c.EmployeeID] = c
			}
			leaves := rule.Leaves()
			for _, emp := range w.emps {
				pass := make([]bool, len(leaves))
				ranks := make([][2]int, len(leaves))
				for i, l := range leaves {
					pass[i], ranks[i][0], ranks[i][1] = w.leaf(l.Rule, emp)
				}
				match, near := rule.Eval(pass), rule.NearMiss(pass)
				c, ok := got[emp.ID]
				if want := match || len(near) > 0; ok != want {
					t.Errorf("rule %d %s: %s returned %v, want %v (match %v, near %v, leaves %v)", ri, pools.MarshalRule(rule), emp.Name, ok, want, match, near, pass)
					continue
				}
				if !ok {
					continue
				}
				if match {
					matches++
				} else {
					nears++
				}
				if c.Match != match {
					t.Errorf("rule %d: %s Match = %v, want %v", ri, emp.Name, c.Match, match)
				}
				var failed []string
				for _, i := range near {
					failed = append(failed, leaves[i].Path)
				}
				if !slices.Equal(c.Failed, failed) {
					t.Errorf("rule %d: %s Failed = %v, want %v", ri, emp.Name, c.Failed, failed)
				}
				for i, v := range c.Values {
					if v.Pass != pass[i] || v.Path != leaves[i].Path || v.Text == "" {
						t.Errorf("rule %d %s: %s leaf %s = %+v, want pass %v", ri, pools.MarshalRule(rule), emp.Name, leaves[i].Path, v, pass[i])
					}
					if v.Kind == pools.KindPerformanceTopPercent && (v.Rank != ranks[i][0] || v.Of != ranks[i][1]) {
						t.Errorf("rule %d: %s rank %d of %d, want %d of %d", ri, emp.Name, v.Rank, v.Of, ranks[i][0], ranks[i][1])
					}
				}
			}
		}
		// The property must not hold vacuously.
		if matches < 20 || nears < 20 {
			t.Errorf("only %d matches and %d near-misses over %d rules", matches, nears, len(rules))
		}
	})
}

func TestScreen_ShowsValuesAndTheFailingRuleOfNearMisses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		plan := &hr.CareerPlan{Direction: hr.DirectionManagement}
		// 王丽: best scores, 2 management experiences, a management plan.
		e.scores(t, e.emp.ID, []string{"A"}, 90, 92, 94, 95, 96, 97)
		e.profile(t, e.emp.ID, hr.ProfileUpdate{CareerPlan: plan, Management: &[]hr.ManagementExperience{
			{TeamSize: 4, Start: hr.NewDate(2022, 1, 1), End: hr.NewDate(2023, 1, 1)}, {TeamSize: 6, Start: hr.NewDate(2024, 1, 1)}}})
		// 赵敏: second best, no management experience.
		zhao := e.hire(t, "赵敏", e.sales.ID)
		e.scores(t, zhao.ID, []string{"B+"}, 85, 88, 90, 90, 91, 93)
		e.profile(t, zhao.ID, hr.ProfileUpdate{CareerPlan: plan})
		// 18 others, lower scores; 孙伟 has everything but the scores.
		sun := e.hire(t, "孙伟", e.rnd.ID)
		e.scores(t, sun.ID, []string{"C"}, 50, 50, 50, 50, 50, 50)
		e.profile(t, sun.ID, hr.ProfileUpdate{CareerPlan: plan, Management: &[]hr.ManagementExperience{{TeamSize: 3, Start: hr.NewDate(2023, 1, 1)}}})
		for i := range 17 {
			x := e.hire(t, fmt.Sprintf("员工%02d", i), e.rnd.ID)
			e.scores(t, x.ID, []string{"B"}, 60+float64(i), 60, 60, 60, 60, 60)
		}
		pool, err := e.svc.CreatePool(e.as["hr"], pools.PoolParams{Name: "Middle-manager candidates", Rule: pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{
			{Kind: pools.KindPerformanceTopPercent, Percent: 10, Periods: 6},
			{Kind: pools.KindManagementExperience, MinCount: 1},
			{Kind: pools.KindCareerPlan, Direction: hr.DirectionManagement}}}})
		must(t, err)
		sc, err := e.svc.Screen(e.as["hr"], pool.ID)
		must(t, err)
		if len(sc.Matches) != 1 || sc.Matches[0].EmployeeID != e.emp.ID {
			t.Fatalf("matches = %+v", sc.Matches)
		}
		texts := func(c pools.Candidate) string {
			var out []string
			for _, v := range c.Values {
				out = append(out, v.Text)
			}
			return strings.Join(out, "; ")
		}
		planDay := hr.DateOf(at(today, 9)).String()
		if got, want := texts(sc.Matches[0]), "rank 1 of 20, top 5%; 2 management experiences; plan submitted "+planDay+" (management)"; got != want {
			t.Errorf("match values = %q, want %q", got, want)
		}
		var near []string
		for _, c := range sc.NearMisses {
			near = append(near, c.Name+": "+strings.Join(c.Failed, ","))
		}
		// 赵敏 is rank 2 of 20 (top 10%) but has no management experience;
		// 孙伟 has all but the ranking. The others miss by two rules.
		if want := []string{"孙伟: rules[0]", "赵敏: rules[1]"}; !slices.Equal(near, want) {
			t.Errorf("near-misses = %v, want %v", near, want)
		}
		if sc.RuleVersion != 1 || sc.Day != today {
			t.Errorf("screening version %d day %s", sc.RuleVersion, sc.Day)
		}
	})
}
