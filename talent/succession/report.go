package succession

import (
	"fmt"
	"strings"
)

// Incumbent is an employee holding a critical position.
type Incumbent struct {
	EmployeeID string `json:"employee_id"`
	Name       string `json:"name"`
	// Resigning: the employee's hr status is resigning.
	Resigning bool `json:"resigning"`
	// KeyPerson: hr flags the employee as a key person.
	KeyPerson bool `json:"key_person"`
}

// FlightRisk reports whether losing the incumbent is a near risk.
func (i Incumbent) FlightRisk() bool { return i.Resigning || i.KeyPerson }

// SuccessorLine is a successor as the position report shows them.
type SuccessorLine struct {
	Successor
	Name string `json:"name"`
	// PositionTitle is the successor's current position ("" when none).
	PositionTitle string `json:"position_title,omitempty"`
	// Score is the successor's latest hr performance score (by period
	// end), nil when there is none; Period is its period.
	Score  *float64 `json:"score,omitempty"`
	Period string   `json:"period,omitempty"`
	// ReadinessLabel and Months come from the tenant's scale.
	ReadinessLabel string `json:"readiness_label"`
	Months         int    `json:"months"`
}

// Summary is one line about the successor: "Zhang San, sales supervisor,
// score 90, ready in about 6 months".
func (l SuccessorLine) Summary() string {
	parts := []string{l.Name}
	if l.PositionTitle != "" {
		parts = append(parts, l.PositionTitle)
	}
	if l.Score != nil {
		parts = append(parts, "score "+strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", *l.Score), "0"), "."))
	}
	parts = append(parts, about(l.Months))
	return strings.Join(parts, ", ")
}

// PositionReport is the succession picture of one critical position.
type PositionReport struct {
	PositionID   string      `json:"position_id"`
	Title        string      `json:"title"`
	DepartmentID string      `json:"department_id"`
	Incumbents   []Incumbent `json:"incumbents"`
	// Successors are ordered by Rank, then name.
	Successors []SuccessorLine `json:"successors"`
}

// PositionRef names a critical position in the coverage report.
type PositionRef struct {
	PositionID   string `json:"position_id"`
	Title        string `json:"title"`
	DepartmentID string `json:"department_id"`
}

// SharedSuccessor is an employee named successor of several positions.
type SharedSuccessor struct {
	EmployeeID string `json:"employee_id"`
	Name       string `json:"name"`
	// Positions is how many critical positions name them.
	Positions int `json:"positions"`
}

// FlightRisk is an incumbent of a critical position who is resigning or
// a key person.
type FlightRisk struct {
	PositionRef
	Incumbent
}

// Coverage is the company's (or a department head's) succession cover.
type Coverage struct {
	// CriticalPositions counts the critical positions in scope.
	CriticalPositions int `json:"critical_positions"`
	// ReadyNow counts those with at least one ready-now successor (the
	// first level of the tenant's scale).
	ReadyNow int `json:"ready_now"`
	// ReadyNowShare is ReadyNow / CriticalPositions (0 when there are
	// none).
	ReadyNowShare float64 `json:"ready_now_share"`
	// WithoutSuccessor lists the critical positions with no successor,
	// ordered by title, ID.
	WithoutSuccessor []PositionRef `json:"without_successor"`
	// Shared lists employees named on more than one position, most
	// positions first, then name.
	Shared []SharedSuccessor `json:"shared"`
	// FlightRisks lists incumbents who are resigning or key persons,
	// ordered by position title, incumbent name.
	FlightRisks []FlightRisk `json:"flight_risks"`
}
