package hr

import "time"

// Profile is an employee's "full panorama": the history HR keeps and the
// development data the employee maintains. One profile per employee; an
// employee whose profile was never written has an empty one at Version 0.
//
// Self-service fields (the employee edits them with "profile:write:self"):
// Skills, CareerPlan, self-reported Certifications, and the contact phone
// on the Employee record. Everything else is HR-only ("profile:write:hr").
type Profile struct {
	EmployeeID     string                 `json:"employee_id"`
	Performance    []PerformanceRecord    `json:"performance"`
	Projects       []Project              `json:"projects"`
	Certifications []Certification        `json:"certifications"`
	Skills         []Skill                `json:"skills"`
	Management     []ManagementExperience `json:"management"`
	// CareerPlan is nil until the employee (or HR) records one.
	CareerPlan *CareerPlan `json:"career_plan,omitempty"`
	UpdatedAt  time.Time   `json:"updated_at"`
	// Version is 0 for a profile never written, then increases with every
	// update (optimistic locking).
	Version int64 `json:"version"`
}

// PerformanceRecord is the result of one review period. HR-only: HR edits
// it in the profile, and assessment writes it when a cycle is finalised
// (Service.RecordPerformance). An employee has at most one record per
// Period.
type PerformanceRecord struct {
	// Period labels the review period: "2025", "2025H2", "2025Q3".
	Period string `json:"period"`
	// PeriodEnd is the last day of the period; it orders the history and
	// decides what "the last N periods" means. When zero on input it is
	// derived from a Period of the forms PeriodEnd understands, and is
	// required otherwise.
	PeriodEnd Date `json:"period_end"`
	// Score is 0–100.
	Score float64 `json:"score"`
	// Grade is the tenant's grade for the period, such as "A" or "3.75".
	Grade string `json:"grade,omitempty"`
	// Source says where the record came from ("assessment", "import",
	// "manual").
	Source string `json:"source,omitempty"`
	// CycleID is the assessment cycle that produced the record, if any.
	CycleID string `json:"cycle_id,omitempty"`
}

// PerformanceEntry is one employee's record for RecordPerformance.
type PerformanceEntry struct {
	EmployeeID string `json:"employee_id"`
	PerformanceRecord
}

// Project is a project the employee took part in. HR-only.
type Project struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Start Date   `json:"start"`
	End   Date   `json:"end"` // zero while ongoing
	// CrossDepartment marks a project spanning several departments.
	CrossDepartment bool `json:"cross_department"`
}

// Certification is a professional certification such as PMP.
type Certification struct {
	Name    string `json:"name"`
	Issuer  string `json:"issuer,omitempty"`
	Issued  Date   `json:"issued"`
	Expires Date   `json:"expires"` // zero when it does not expire
	// SelfReported marks a certification (or external course) the employee
	// added in self-service. The employee may add, change and remove only
	// these; the others are HR's.
	SelfReported bool `json:"self_reported"`
}

// Skill is a skill with a level from 1 (aware) to 5 (expert). Self-service.
type Skill struct {
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// ManagementExperience is a period in which the employee managed a team.
// HR-only.
type ManagementExperience struct {
	TeamSize    int    `json:"team_size"`
	Start       Date   `json:"start"`
	End         Date   `json:"end"` // zero while ongoing
	Description string `json:"description,omitempty"`
}

// The career directions an employee can aim for.
const (
	DirectionManagement = "management"
	DirectionTechnical  = "technical"
	DirectionSales      = "sales"
	DirectionOther      = "other"
)

// CareerPlan is where the employee wants to go. Self-service.
type CareerPlan struct {
	// Direction is one of the Direction constants.
	Direction string `json:"direction"`
	// TargetPositionID is a position of the tenant; optional.
	TargetPositionID string `json:"target_position_id,omitempty"`
	// Notes is free text.
	Notes string `json:"notes,omitempty"`
	// UpdatedAt is set by the service when the plan changes.
	UpdatedAt time.Time `json:"updated_at"`
}

// ProfileUpdate changes sections of a profile. A nil field leaves its
// section unchanged; a non-nil one replaces the whole section (an empty
// slice clears it). Version is the profile version the caller read (0 for
// a profile never written); a stale version gives ErrConflict.
type ProfileUpdate struct {
	Version        int64                   `json:"version"`
	Phone          *string                 `json:"phone,omitempty"`
	Skills         *[]Skill                `json:"skills,omitempty"`
	CareerPlan     *CareerPlan             `json:"career_plan,omitempty"`
	Certifications *[]Certification        `json:"certifications,omitempty"`
	Performance    *[]PerformanceRecord    `json:"performance,omitempty"`
	Projects       *[]Project              `json:"projects,omitempty"`
	Management     *[]ManagementExperience `json:"management,omitempty"`
}
