package succession

import (
	"fmt"
	"time"
)

// ReadinessLevel is one step of a tenant's readiness scale: how soon a
// successor could take the position over.
type ReadinessLevel struct {
	// Key identifies the level ("ready_now"); stored on successors.
	Key string `json:"key"`
	// Label is what people read ("Ready now").
	Label string `json:"label"`
	// Months is roughly how long until the successor is ready; 0 means
	// ready now. Levels are ordered by Months.
	Months int `json:"months"`
}

// The keys of DefaultScale.
const (
	ReadyNow       = "ready_now"
	Ready1To2Years = "ready_1_2_years"
	Ready3To5Years = "ready_3_5_years"
)

// DefaultScale is the scale of a tenant that has not set its own: ready
// now, ready in 1–2 years, ready in 3–5 years.
func DefaultScale() []ReadinessLevel {
	return []ReadinessLevel{
		{Key: ReadyNow, Label: "Ready now", Months: 0},
		{Key: Ready1To2Years, Label: "Ready in 1–2 years", Months: 18},
		{Key: Ready3To5Years, Label: "Ready in 3–5 years", Months: 48},
	}
}

// Scale is a tenant's readiness scale.
type Scale struct {
	// Levels are ordered by Months; the first counts as "ready now" in
	// the coverage report.
	Levels []ReadinessLevel `json:"levels"`
	// Version is 0 while the tenant uses DefaultScale, then increases
	// with every SetScale.
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Level returns the level with key, and whether there is one.
func (s Scale) Level(key string) (ReadinessLevel, bool) {
	for _, l := range s.Levels {
		if l.Key == key {
			return l, true
		}
	}
	return ReadinessLevel{}, false
}

// ReadyNowKey is the key of the first level (the soonest), or "" for an
// empty scale.
func (s Scale) ReadyNowKey() string {
	if len(s.Levels) == 0 {
		return ""
	}
	return s.Levels[0].Key
}

// Successor is an employee named to take over a critical position.
type Successor struct {
	ID         string `json:"id"`
	PositionID string `json:"position_id"`
	EmployeeID string `json:"employee_id"`
	// Readiness is a key of the tenant's scale.
	Readiness string `json:"readiness"`
	// Rank orders the successors of a position (1 first).
	Rank int `json:"rank"`
	// Emergency marks the one successor (at most) who steps in at once
	// if the position falls vacant unexpectedly.
	Emergency bool   `json:"emergency"`
	Notes     string `json:"notes,omitempty"`
	// PlanID refers to the successor's development plan (talent/plans),
	// when there is one.
	PlanID    string    `json:"plan_id,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// ReadinessChange is one entry of a successor's readiness history: the
// first readiness when named, then every change, with its reason.
type ReadinessChange struct {
	ID          string `json:"id"`
	SuccessorID string `json:"successor_id"`
	// From is empty on the first entry.
	From      string    `json:"from,omitempty"`
	To        string    `json:"to"`
	Reason    string    `json:"reason"`
	ChangedBy string    `json:"changed_by"`
	ChangedAt time.Time `json:"changed_at"`
}

// SuccessorParams is what AddSuccessor takes.
type SuccessorParams struct {
	// PositionID is a critical hr position; required.
	PositionID string `json:"position_id"`
	// EmployeeID is required: an employee of the tenant who has not
	// departed and does not hold the position.
	EmployeeID string `json:"employee_id"`
	// Readiness is required: a key of the tenant's scale.
	Readiness string `json:"readiness"`
	// Rank is 1–999; 0 puts the successor after the position's others.
	Rank      int    `json:"rank,omitempty"`
	Emergency bool   `json:"emergency,omitempty"`
	Notes     string `json:"notes,omitempty"`
	PlanID    string `json:"plan_id,omitempty"`
	// Reason is kept in the readiness history; optional here.
	Reason string `json:"reason,omitempty"`
}

// SuccessorUpdate is what UpdateSuccessor takes. It replaces every field.
type SuccessorUpdate struct {
	Readiness string `json:"readiness"`
	Rank      int    `json:"rank"`
	Emergency bool   `json:"emergency"`
	Notes     string `json:"notes,omitempty"`
	PlanID    string `json:"plan_id,omitempty"`
	// Reason is required when Readiness changes; it goes into the
	// readiness history and the audit entry.
	Reason string `json:"reason,omitempty"`
}

// Potential is how an employee's potential is rated for the 9-box.
type Potential string

// The potential ratings.
const (
	PotentialLow    Potential = "low"
	PotentialMedium Potential = "medium"
	PotentialHigh   Potential = "high"
)

// Potentials lists the valid ratings, lowest first.
var Potentials = []Potential{PotentialLow, PotentialMedium, PotentialHigh}

// level is the 9-box axis position of p, or -1 for an unknown rating.
func (p Potential) level() int {
	for i, x := range Potentials {
		if x == p {
			return i
		}
	}
	return -1
}

// PotentialRating is the latest rating of an employee's potential.
type PotentialRating struct {
	EmployeeID string    `json:"employee_id"`
	Rating     Potential `json:"rating"`
	Note       string    `json:"note,omitempty"`
	RatedBy    string    `json:"rated_by"`
	RatedAt    time.Time `json:"rated_at"`
	// Version increases with every rating (optimistic locking; 0 means
	// never rated).
	Version int64 `json:"version"`
}

// about says "ready now" or "ready in about N months".
func about(months int) string {
	switch {
	case months <= 0:
		return "ready now"
	case months == 1:
		return "ready in about 1 month"
	default:
		return fmt.Sprintf("ready in about %d months", months)
	}
}
