package pools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
)

// The kinds of rule. And and Or combine their Rules; every other kind is a
// leaf that tests one thing about an employee.
const (
	// KindAnd matches when every one of Rules matches.
	KindAnd = "and"
	// KindOr matches when at least one of Rules matches.
	KindOr = "or"
	// KindPerformanceTopPercent matches an employee whose average score
	// over the tenant's last Periods periods (by period end, on or before
	// the screening day) ranks in the top Percent of the Population
	// (tenant, department or position_level). The population is the
	// employees who have not departed and have at least one record in
	// those periods; ties share a rank.
	KindPerformanceTopPercent = "performance_top_percent"
	// KindGradeStreak matches an employee graded one of Grades in each of
	// the tenant's last Periods periods (a missing record breaks the
	// streak).
	KindGradeStreak = "grade_streak"
	// KindMinScoreAverage matches an employee whose average score over the
	// tenant's last Periods periods is at least MinScore.
	KindMinScoreAverage = "min_score_average"
	// KindManagementExperience matches an employee with at least MinCount
	// management experiences in the hr profile.
	KindManagementExperience = "management_experience"
	// KindCareerPlan matches an employee who has recorded a career plan,
	// of Direction when it is set.
	KindCareerPlan = "career_plan"
	// KindCertification matches an employee holding the certification
	// Name (exact name); with ValidOnScreeningDay, one issued on or before
	// the screening day and not expired before it.
	KindCertification = "certification"
	// KindTenure matches an employee hired at least MinYears years before
	// the screening day (fractions count in months: 1.5 is 18 months).
	KindTenure = "tenure"
	// KindNotResigning matches an employee whose status is active (not
	// resigning).
	KindNotResigning = "not_resigning"
	// KindDepartment matches an employee of DepartmentID or any department
	// under it.
	KindDepartment = "department"
	// KindPositionLevel matches an employee whose position level is
	// between MinLevel and MaxLevel (0 for no upper bound); an employee
	// without a position has level 0.
	KindPositionLevel = "position_level"
)

// The populations of KindPerformanceTopPercent.
const (
	PopulationTenant        = "tenant"
	PopulationDepartment    = "department"
	PopulationPositionLevel = "position_level"
)

// MaxPeriods bounds Rule.Periods; MaxRules bounds the number of rules in a
// tree, and MaxDepth its depth.
const (
	MaxPeriods = 40
	MaxRules   = 64
	MaxDepth   = 8
)

// Rule is one node of a pool's rule tree. It is data: it is stored as
// JSON with the pool (ParseRule reads it, refusing unknown fields), and
// every field but Kind belongs to certain kinds only (Validate refuses a
// field set on a kind that does not use it). The zero value of a field
// means "not set".
type Rule struct {
	Kind string `json:"kind"`
	// Rules are the operands of and/or.
	Rules []Rule `json:"rules,omitempty"`
	// Percent (performance_top_percent) is in (0, 100].
	Percent float64 `json:"percent,omitempty"`
	// Population (performance_top_percent) is tenant (default),
	// department or position_level.
	Population string `json:"population,omitempty"`
	// Periods (performance_top_percent, grade_streak, min_score_average)
	// is how many of the tenant's latest periods count, 1..MaxPeriods.
	Periods int `json:"periods,omitempty"`
	// Grades (grade_streak) is the set of grades that keep the streak.
	Grades []string `json:"grades,omitempty"`
	// MinScore (min_score_average) is in [0, 100].
	MinScore float64 `json:"min_score,omitempty"`
	// MinCount (management_experience) is at least 1.
	MinCount int `json:"min_count,omitempty"`
	// Direction (career_plan) is one of hr's Direction constants, or empty
	// for any plan.
	Direction string `json:"direction,omitempty"`
	// Name (certification) is the certification's name, such as "PMP".
	Name string `json:"name,omitempty"`
	// ValidOnScreeningDay (certification) requires the certification to be
	// valid on the screening day.
	ValidOnScreeningDay bool `json:"valid_on_screening_day,omitempty"`
	// MinYears (tenure) is more than 0.
	MinYears float64 `json:"min_years,omitempty"`
	// DepartmentID (department) is a department of the tenant.
	DepartmentID string `json:"department_id,omitempty"`
	// MinLevel and MaxLevel (position_level) bound the level; MaxLevel 0
	// means no upper bound.
	MinLevel int `json:"min_level,omitempty"`
	MaxLevel int `json:"max_level,omitempty"`
}

// ParseRule reads a rule tree from JSON and validates it. An unknown
// field, kind or a bad value is a *ballast.ValidationError naming the
// rule's path ("rules[1].percent").
func ParseRule(b []byte) (Rule, error) {
	var r Rule
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		msg := err.Error()
		if i := strings.Index(msg, "unknown field "); i >= 0 {
			return Rule{}, fmt.Errorf("pools: %w", ballast.Invalid("rule", msg[i:]))
		}
		return Rule{}, fmt.Errorf("pools: %w", ballast.Invalid("rule", "is not a rule tree: "+msg))
	}
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// MarshalRule writes r as JSON, the form ParseRule reads.
func MarshalRule(r Rule) []byte {
	b, _ := json.Marshal(r) // plain data: cannot fail
	return b
}

// Validate checks the whole tree and returns a *ballast.ValidationError
// naming every bad rule by its path: "" is the root, "rules[1]" its
// second operand, "rules[1].percent" a field of it.
func (r Rule) Validate() error {
	var v ballast.ValidationError
	n := 0
	r.validate(&v, "", 1, &n)
	if n > MaxRules {
		v.Add("rule", fmt.Sprintf("has %d rules, at most %d", n, MaxRules))
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("pools: %w", err)
	}
	return nil
}

func field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (r Rule) validate(v *ballast.ValidationError, path string, depth int, n *int) {
	*n++
	used := map[string]bool{}
	switch r.Kind {
	case KindAnd, KindOr:
		used["rules"] = true
		if depth >= MaxDepth {
			v.Add(field(path, "rules"), fmt.Sprintf("nest at most %d levels", MaxDepth))
			break
		}
		if len(r.Rules) == 0 {
			v.Add(field(path, "rules"), "is required for "+r.Kind)
		}
		for i, c := range r.Rules {
			c.validate(v, field(path, fmt.Sprintf("rules[%d]", i)), depth+1, n)
		}
	case KindPerformanceTopPercent:
		used["percent"], used["population"], used["periods"] = true, true, true
		if !(r.Percent > 0 && r.Percent <= 100) || math.IsNaN(r.Percent) {
			v.Add(field(path, "percent"), "must be more than 0 and at most 100")
		}
		if !slices.Contains([]string{"", PopulationTenant, PopulationDepartment, PopulationPositionLevel}, r.Population) {
			v.Add(field(path, "population"), "must be tenant, department or position_level")
		}
		checkPeriods(v, path, r.Periods)
	case KindGradeStreak:
		used["grades"], used["periods"] = true, true
		if len(r.Grades) == 0 {
			v.Add(field(path, "grades"), "is required")
		}
		for i, g := range r.Grades {
			if strings.TrimSpace(g) == "" || len(g) > 20 {
				v.Add(field(path, fmt.Sprintf("grades[%d]", i)), "must be 1 to 20 characters")
			}
		}
		checkPeriods(v, path, r.Periods)
	case KindMinScoreAverage:
		used["min_score"], used["periods"] = true, true
		if !(r.MinScore >= 0 && r.MinScore <= 100) {
			v.Add(field(path, "min_score"), "must be between 0 and 100")
		}
		checkPeriods(v, path, r.Periods)
	case KindManagementExperience:
		used["min_count"] = true
		if r.MinCount < 1 {
			v.Add(field(path, "min_count"), "must be at least 1")
		}
	case KindCareerPlan:
		used["direction"] = true
		if !slices.Contains([]string{"", "management", "technical", "sales", "other"}, r.Direction) {
			v.Add(field(path, "direction"), "must be management, technical, sales or other")
		}
	case KindCertification:
		used["name"], used["valid_on_screening_day"] = true, true
		if strings.TrimSpace(r.Name) == "" || len(r.Name) > 200 {
			v.Add(field(path, "name"), "must be 1 to 200 characters")
		}
	case KindTenure:
		used["min_years"] = true
		if !(r.MinYears > 0 && r.MinYears <= 60) {
			v.Add(field(path, "min_years"), "must be more than 0 and at most 60")
		}
	case KindNotResigning:
	case KindDepartment:
		used["department_id"] = true
		if err := ballast.CheckID("department_id", r.DepartmentID); err != nil {
			v.Add(field(path, "department_id"), "must be a department id")
		}
	case KindPositionLevel:
		used["min_level"], used["max_level"] = true, true
		if r.MinLevel < 0 || r.MaxLevel < 0 {
			v.Add(field(path, "min_level"), "levels must not be negative")
		} else if r.MaxLevel > 0 && r.MaxLevel < r.MinLevel {
			v.Add(field(path, "max_level"), "must be 0 (no bound) or at least min_level")
		}
	default:
		v.Add(field(path, "kind"), fmt.Sprintf("unknown kind %q", r.Kind))
		return
	}
	set := map[string]bool{
		"rules": len(r.Rules) > 0, "percent": r.Percent != 0, "population": r.Population != "", "periods": r.Periods != 0,
		"grades": len(r.Grades) > 0, "min_score": r.MinScore != 0, "min_count": r.MinCount != 0, "direction": r.Direction != "",
		"name": r.Name != "", "valid_on_screening_day": r.ValidOnScreeningDay, "min_years": r.MinYears != 0,
		"department_id": r.DepartmentID != "", "min_level": r.MinLevel != 0, "max_level": r.MaxLevel != 0,
	}
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if set[name] && !used[name] {
			v.Add(field(path, name), "is not a field of "+r.Kind)
		}
	}
}

func checkPeriods(v *ballast.ValidationError, path string, n int) {
	if n < 1 || n > MaxPeriods {
		v.Add(field(path, "periods"), fmt.Sprintf("must be 1 to %d", MaxPeriods))
	}
}

// Leaf is one leaf of a validated tree with its path, in the order Leaves
// lists them (depth first); the store reports one Value per leaf in that
// order.
type Leaf struct {
	Path string
	Rule Rule
}

// Leaves lists r's leaves depth first with their paths ("" for a leaf
// root).
func (r Rule) Leaves() []Leaf {
	var out []Leaf
	var walk func(r Rule, path string)
	walk = func(r Rule, path string) {
		if r.Kind == KindAnd || r.Kind == KindOr {
			for i, c := range r.Rules {
				walk(c, field(path, fmt.Sprintf("rules[%d]", i)))
			}
			return
		}
		out = append(out, Leaf{Path: path, Rule: r})
	}
	walk(r, "")
	return out
}

// Eval evaluates r over the leaves' results (in Leaves order).
func (r Rule) Eval(pass []bool) bool {
	i := 0
	return r.eval(pass, &i)
}

func (r Rule) eval(pass []bool, i *int) bool {
	switch r.Kind {
	case KindAnd, KindOr:
		ok := r.Kind == KindAnd
		for _, c := range r.Rules {
			x := c.eval(pass, i)
			if r.Kind == KindAnd {
				ok = ok && x
			} else {
				ok = ok || x
			}
		}
		return ok
	}
	x := pass[*i]
	*i++
	return x
}

// NearMiss returns the indexes (in Leaves order) of the failing leaves
// whose passing alone would make the tree match; none when the tree
// matches or when more than one leaf would have to change.
func (r Rule) NearMiss(pass []bool) []int {
	if r.Eval(pass) {
		return nil
	}
	var out []int
	flip := slices.Clone(pass)
	for i, p := range pass {
		if p {
			continue
		}
		flip[i] = true
		if r.Eval(flip) {
			out = append(out, i)
		}
		flip[i] = false
	}
	return out
}
