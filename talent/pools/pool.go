package pools

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Pool is a talent pool: a named rule tree that screens candidates, and
// the members HR confirmed. Every change of Rule makes a new Version and
// keeps the old rule (Service.Versions).
type Pool struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Rule        Rule   `json:"rule"`
	// RuleVersion counts the rule's versions from 1.
	RuleVersion int       `json:"rule_version"`
	Archived    bool      `json:"archived"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version is the optimistic-locking version of the row.
	Version int64 `json:"version"`
}

// RuleVersion is one stored version of a pool's rule.
type RuleVersion struct {
	PoolID    string    `json:"pool_id"`
	Version   int       `json:"version"`
	Rule      Rule      `json:"rule"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// MemberStatus is where a member stands.
type MemberStatus string

// The member statuses.
const (
	MemberActive   MemberStatus = "active"
	MemberLeft     MemberStatus = "left"
	MemberPromoted MemberStatus = "promoted"
)

// Member is an employee HR confirmed into a pool. Evidence is what the
// screening showed when HR confirmed.
type Member struct {
	PoolID       string       `json:"pool_id"`
	EmployeeID   string       `json:"employee_id"`
	DepartmentID string       `json:"department_id"`
	Status       MemberStatus `json:"status"`
	Joined       hr.Date      `json:"joined"`
	JoinedBy     string       `json:"joined_by"`
	Note         string       `json:"note,omitempty"`
	RuleVersion  int          `json:"rule_version"`
	Evidence     []Value      `json:"evidence,omitempty"`
	// Ended is the day the member left or was promoted; EndReason why.
	Ended     hr.Date   `json:"ended"`
	EndReason string    `json:"end_reason,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// EventKind is a kind of membership event.
type EventKind string

// The membership events.
const (
	EventJoined   EventKind = "joined"
	EventLeft     EventKind = "left"
	EventPromoted EventKind = "promoted"
)

// Event is one entry of a pool's membership history.
type Event struct {
	ID         string    `json:"id"`
	PoolID     string    `json:"pool_id"`
	EmployeeID string    `json:"employee_id"`
	Kind       EventKind `json:"kind"`
	Day        hr.Date   `json:"day"`
	Reason     string    `json:"reason,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// Value is what one leaf rule found for one employee. Which numbers are
// set depends on Kind; Text says it for people.
type Value struct {
	// Path is the leaf's path in the rule tree ("rules[0]").
	Path string `json:"path"`
	Kind string `json:"kind"`
	Pass bool   `json:"pass"`
	// Rank and Of (performance_top_percent): rank in the population and
	// its size; 0 when the employee has no record in the periods.
	Rank int `json:"rank,omitempty"`
	Of   int `json:"of,omitempty"`
	// Number is the top percent (performance_top_percent), the average
	// score (min_score_average), the count of periods in the grade set
	// (grade_streak), of management experiences, the position level, or
	// the tenure in years.
	Number float64 `json:"number"`
	// Day is the plan's date (career_plan), the certification's expiry or
	// issue day, or the hire date (tenure).
	Day hr.Date `json:"day"`
	// Detail is the status, or the department id.
	Detail string `json:"detail,omitempty"`
	Text   string `json:"text"`
}

// Candidate is one employee a screening returned: either matching the
// rule, or a near-miss that fails by exactly one leaf.
type Candidate struct {
	EmployeeID   string `json:"employee_id"`
	Name         string `json:"name"`
	DepartmentID string `json:"department_id"`
	Match        bool   `json:"match"`
	// Failed lists, for a near-miss, the paths of the leaves any one of
	// which passing would make the rule match.
	Failed []string `json:"failed,omitempty"`
	// Member says the employee is an active member of the pool already.
	Member bool    `json:"member"`
	Values []Value `json:"values"`
}

// Screening is the result of screening a pool's rule on a day.
type Screening struct {
	PoolID      string      `json:"pool_id"`
	RuleVersion int         `json:"rule_version"`
	Day         hr.Date     `json:"day"`
	Matches     []Candidate `json:"matches"`
	NearMisses  []Candidate `json:"near_misses"`
}

// Report sums up a pool's membership.
type Report struct {
	PoolID string `json:"pool_id"`
	// Current is the count of active members; Ever of every member.
	Current  int `json:"current"`
	Ever     int `json:"ever"`
	Promoted int `json:"promoted"`
	Left     int `json:"left"`
	// Departed counts members (ever) whose employee has departed the
	// company.
	Departed int `json:"departed"`
	// PromotionRate is Promoted/Ever and AttritionRate Departed/Ever (0
	// when Ever is 0).
	PromotionRate float64  `json:"promotion_rate"`
	AttritionRate float64  `json:"attrition_rate"`
	Members       []Member `json:"members"`
}

// describe fills v.Text for people.
func describe(v *Value, r Rule) {
	switch v.Kind {
	case KindPerformanceTopPercent:
		if v.Of == 0 {
			v.Text = fmt.Sprintf("no performance record in the last %d periods", r.Periods)
		} else {
			v.Text = fmt.Sprintf("rank %d of %d, top %d%%", v.Rank, v.Of, int(math.Ceil(v.Number-1e-9)))
		}
	case KindGradeStreak:
		v.Text = fmt.Sprintf("%d of the last %d periods graded %s", int(v.Number), r.Periods, strings.Join(r.Grades, "/"))
	case KindMinScoreAverage:
		if v.Of == 0 {
			v.Text = fmt.Sprintf("no performance record in the last %d periods", r.Periods)
		} else {
			v.Text = fmt.Sprintf("average score %.1f over %d periods", v.Number, v.Of)
		}
	case KindManagementExperience:
		v.Text = plural(int(v.Number), "management experience", "management experiences")
	case KindCareerPlan:
		switch {
		case v.Detail == "":
			v.Text = "no career plan"
		case v.Day.IsZero():
			v.Text = "plan: " + v.Detail
		default:
			v.Text = fmt.Sprintf("plan submitted %s (%s)", v.Day, v.Detail)
		}
	case KindCertification:
		switch {
		case !v.Pass:
			v.Text = "no " + r.Name
		case v.Day.IsZero():
			v.Text = "holds " + r.Name
		default:
			v.Text = fmt.Sprintf("holds %s (valid until %s)", r.Name, v.Day)
		}
	case KindTenure:
		v.Text = fmt.Sprintf("hired %s, %.1f years", v.Day, v.Number)
	case KindNotResigning:
		v.Text = "status " + v.Detail
	case KindDepartment:
		if v.Pass {
			v.Text = "in the department"
		} else {
			v.Text = "outside the department"
		}
	case KindPositionLevel:
		v.Text = fmt.Sprintf("position level %d", int(v.Number))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
