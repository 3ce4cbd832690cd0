package assessment

import (
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// CycleKind is the kind of a review cycle.
type CycleKind string

// The cycle kinds.
const (
	MidYear   CycleKind = "mid_year"
	YearEnd   CycleKind = "year_end"
	Quarterly CycleKind = "quarterly"
	Custom    CycleKind = "custom"
)

// CycleState is where a cycle stands. The transitions are explicit (HR):
// draft → open (OpenCycle: self-evaluation) → manager_review
// (StartManagerReview) → calibration (StartCalibration) → finalised
// (Finalise; the appeal window runs until Deadlines.AppealUntil) → closed
// (CloseCycle). Any other transition is ErrWrongState.
type CycleState string

// The cycle states.
const (
	CycleDraft         CycleState = "draft"
	CycleOpen          CycleState = "open"
	CycleManagerReview CycleState = "manager_review"
	CycleCalibration   CycleState = "calibration"
	CycleFinalised     CycleState = "finalised"
	CycleClosed        CycleState = "closed"
)

// Period is what a cycle assesses. Label names it in performance history
// ("2026H1", "2026Q3", "2026").
type Period struct {
	Label string  `json:"label"`
	Start hr.Date `json:"start"`
	End   hr.Date `json:"end"`
}

// Selection chooses a cycle's participants among active employees: those
// in any of DepartmentIDs, or whose position has any of PositionLevels, or
// listed in EmployeeIDs (a talent pool passes its members here). The
// criteria combine with OR — a union, never an intersection: to assess
// one level within one department, list those employees in EmployeeIDs.
// Empty lists select nothing; a cycle needs at least one criterion.
type Selection struct {
	DepartmentIDs  []string `json:"department_ids,omitempty"`
	PositionLevels []int    `json:"position_levels,omitempty"`
	EmployeeIDs    []string `json:"employee_ids,omitempty"`
}

// Deadlines are a cycle's phase deadlines, calendar days in the tenant's
// zone, in order.
type Deadlines struct {
	SelfEvaluation hr.Date `json:"self_evaluation"`
	ManagerReview  hr.Date `json:"manager_review"`
	Calibration    hr.Date `json:"calibration"`
	// AppealUntil is the last day employees may appeal a finalised result.
	AppealUntil hr.Date `json:"appeal_until"`
}

// DefaultReminderDays are the days before a deadline on which Reconcile
// reminds whoever still has to act.
var DefaultReminderDays = []int{3, 1}

// Cycle is one review cycle.
type Cycle struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Kind      CycleKind `json:"kind"`
	Period    Period    `json:"period"`
	Selection Selection `json:"selection"`
	// TemplateID is the template the cycle uses; TemplateVersion is the
	// published version pinned when the cycle opened (0 before).
	TemplateID      string    `json:"template_id"`
	TemplateVersion int       `json:"template_version"`
	Deadlines       Deadlines `json:"deadlines"`
	// ReminderDays are the days before each deadline with a reminder.
	ReminderDays []int      `json:"reminder_days"`
	State        CycleState `json:"state"`
	// OwnerID is the HR employee (or subject) who created the cycle;
	// escalations of missed manager reviews go to them.
	OwnerID string `json:"owner_id"`
	// Participants counts the participants materialised on opening.
	Participants int       `json:"participants"`
	CreatedAt    time.Time `json:"created_at"`
	OpenedAt     time.Time `json:"opened_at,omitzero"`
	FinalisedAt  time.Time `json:"finalised_at,omitzero"`
	ClosedAt     time.Time `json:"closed_at,omitzero"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
	// Plan is the frozen template and indicators the cycle runs on, set
	// when it opens.
	Plan *Plan `json:"plan,omitempty"`
}

// Plan is what an open cycle runs on: the template version and the
// indicators it uses, as they were when the cycle opened.
type Plan struct {
	Template   Template             `json:"template"`
	Indicators map[string]Indicator `json:"indicators"`
}

// Items returns the weighted indicators for a participant of department
// dept.
func (p *Plan) Items(dept string) []WeightedItem {
	if p == nil {
		return nil
	}
	return p.Template.ItemsFor(dept, p.Indicators)
}

// CycleParams is what CreateCycle and UpdateCycle (draft only) take.
//
// Validation: Name is required; Kind is one of the kinds; Period has a
// label (at most 32 letters, digits, '-', '_', '.') and Start ≤ End; Selection has at
// least one criterion with valid IDs and levels 0–99; TemplateID names a
// template with a published version; the deadlines are real dates in
// order (self ≤ manager ≤ calibration ≤ appeal); ReminderDays are 0–60
// (default DefaultReminderDays).
type CycleParams struct {
	Name         string    `json:"name"`
	Kind         CycleKind `json:"kind"`
	Period       Period    `json:"period"`
	Selection    Selection `json:"selection"`
	TemplateID   string    `json:"template_id"`
	Deadlines    Deadlines `json:"deadlines"`
	ReminderDays []int     `json:"reminder_days,omitempty"`
}

// CycleQuery selects cycles for Cycles.
type CycleQuery struct {
	State CycleState `json:"state,omitempty"`
	// After is the ID the page starts after; Limit caps it (0: no cap).
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// ParticipantStatus is where one participant's review stands.
type ParticipantStatus string

// The participant statuses.
const (
	// StatusSelfPending: the employee has not submitted the self-evaluation.
	StatusSelfPending ParticipantStatus = "self_pending"
	// StatusSelfSubmitted: waiting for the manager's review.
	StatusSelfSubmitted ParticipantStatus = "self_submitted"
	// StatusManagerSubmitted: the manager submitted the review.
	StatusManagerSubmitted ParticipantStatus = "manager_submitted"
	// StatusFinalised: the result is final.
	StatusFinalised ParticipantStatus = "finalised"
)

// Participant is one employee in a cycle, with the manager snapshotted
// when the cycle opened (hr's ManagerID, else the department's head).
type Participant struct {
	ID             string `json:"id"`
	CycleID        string `json:"cycle_id"`
	EmployeeID     string `json:"employee_id"`
	EmployeeNumber string `json:"employee_number"`
	EmployeeName   string `json:"employee_name"`
	DepartmentID   string `json:"department_id"`
	PositionLevel  int    `json:"position_level"`
	// ManagerID is who scores the review; empty when the employee has no
	// manager and the department no head (HR scores then).
	ManagerID string            `json:"manager_id,omitempty"`
	Status    ParticipantStatus `json:"status"`
	// SelfDue is this participant's self-evaluation deadline when HR
	// reopened it; zero means the cycle's.
	SelfDue            hr.Date   `json:"self_due,omitzero"`
	SelfSubmittedAt    time.Time `json:"self_submitted_at,omitzero"`
	ManagerSubmittedAt time.Time `json:"manager_submitted_at,omitzero"`
	// Calibration is HR's adjustment of the computed score, if any.
	Calibration *Calibration `json:"calibration,omitempty"`
	// Result is set once the cycle is finalised.
	Result *Result `json:"result,omitempty"`
	// NextAlertOn is the next day Reconcile looks at this participant.
	NextAlertOn hr.Date   `json:"next_alert_on,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// selfDue is the participant's self-evaluation deadline in cycle c.
func (p Participant) selfDue(c Cycle) hr.Date {
	if !p.SelfDue.IsZero() {
		return p.SelfDue
	}
	return c.Deadlines.SelfEvaluation
}

// Calibration is HR's adjustment of a participant's score before
// finalisation.
type Calibration struct {
	Score  float64   `json:"score"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Result is a participant's final result.
type Result struct {
	// Computed is the weighted sum of the item scores: as finalised, then
	// as indicator adjustments (appeals) moved them.
	Computed float64 `json:"computed"`
	// Score is the final score: Computed, or the calibrated score, or the
	// latest adjustment (appeals).
	Score float64 `json:"score"`
	Grade string  `json:"grade"`
	// Items are the scores per indicator, in template order.
	Items []ItemScore `json:"items"`
	// Strengths and Gaps are the codes of the indicators that raise and
	// lower the score most relative to their weight (up to three each).
	Strengths []string `json:"strengths"`
	Gaps      []string `json:"gaps"`
	// Missing lists the indicators without a score (they count as 0).
	Missing     []string  `json:"missing,omitempty"`
	FinalisedAt time.Time `json:"finalised_at"`
}

// ItemScore is one indicator's score in a result.
type ItemScore struct {
	IndicatorID string        `json:"indicator_id"`
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Category    string        `json:"category"`
	Kind        IndicatorKind `json:"kind"`
	// Weight is the effective weight (sums to 100 over the items).
	Weight float64 `json:"weight"`
	// Score is 0–100; Actual the quantitative actual it came from, if any.
	Score  float64  `json:"score"`
	Actual *float64 `json:"actual,omitempty"`
	// Comment is the manager's comment.
	Comment string `json:"comment,omitempty"`
	// Adjusted is true when an appeal changed this score.
	Adjusted bool `json:"adjusted,omitempty"`
}

// ParticipantQuery selects participants for Participants.
type ParticipantQuery struct {
	CycleID      string            `json:"cycle_id,omitempty"`
	DepartmentID string            `json:"department_id,omitempty"`
	EmployeeID   string            `json:"employee_id,omitempty"`
	ManagerID    string            `json:"manager_id,omitempty"`
	Status       ParticipantStatus `json:"status,omitempty"`
	// After is the ID the page starts after; Limit caps it (0: no cap).
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
	// Lock locks the participants until the transaction ends (FOR UPDATE
	// on PostgreSQL), so that no one changes them while they are being
	// finalised. The Service sets it; a caller's value is ignored.
	Lock bool `json:"-"`
}

// Candidate is an active employee a Selection matched, as the store reads
// it for OpenCycle, with hr's ManagerID and the head of their department
// (OpenCycle picks the manager from them: see managerFor).
type Candidate struct {
	EmployeeID    string
	Number        string
	Name          string
	DepartmentID  string
	PositionLevel int
	ManagerID     string
	// ManagerActive says whether ManagerID is an active employee.
	ManagerActive  bool
	DepartmentHead string
}

// DepartmentHead is one department with its parent and head, for the
// walk up the tree that finds a participant's manager.
type DepartmentHead struct {
	DepartmentID string
	ParentID     string
	HeadID       string
	// HeadActive says whether HeadID is an active employee.
	HeadActive bool
}
