package offboarding

import (
	"time"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
)

// ExitKind is how the employment ends.
type ExitKind string

// The exit kinds.
const (
	ExitVoluntary     ExitKind = "voluntary"
	ExitInvoluntary   ExitKind = "involuntary" // every revocation stage applies at once
	ExitEndOfContract ExitKind = "end_of_contract"
)

// ExitKinds lists every exit kind, in a stable order.
var ExitKinds = []ExitKind{ExitVoluntary, ExitInvoluntary, ExitEndOfContract}

// CaseStatus is where a case stands.
type CaseStatus string

// The case statuses.
const (
	CaseOpen      CaseStatus = "open"
	CaseCompleted CaseStatus = "completed"
	CaseWithdrawn CaseStatus = "withdrawn"
)

// Case is one employee's offboarding: opened by Resign, run step by step,
// ended by Complete or Withdraw.
type Case struct {
	ID         string   `json:"id"`
	EmployeeID string   `json:"employee_id"`
	Kind       ExitKind `json:"kind"`
	// SubmittedOn is the day the resignation was handed in; LastDay the
	// last working day (calendar days in the tenant's zone).
	SubmittedOn hr.Date `json:"submitted_on"`
	LastDay     hr.Date `json:"last_day"`
	Reason      string  `json:"reason,omitempty"`
	// Successors take over the employee's customers and work.
	Successors []string `json:"successors"`
	// ManagerID is the employee's line manager when the case opened
	// (approves the work report); HRID the HR contact (who opened it, or
	// ResignParams.HRID).
	ManagerID string     `json:"manager_id,omitempty"`
	HRID      string     `json:"hr_id,omitempty"`
	Status    CaseStatus `json:"status"`
	// SnapshotID is the snapshot of the employee's customers taken when the
	// case opened: the baseline of the integrity check.
	SnapshotID string `json:"snapshot_id,omitempty"`
	// Plan is the revocation plan of the case (the tenant's when it opened).
	Plan access.RevocationPlan `json:"plan"`
	// ReminderOffsets and EscalateTo come from the template.
	ReminderOffsets []int  `json:"reminder_offsets"`
	EscalateTo      []Role `json:"escalate_to"`
	// NextStageOn is the earliest day a date-triggered revocation stage
	// still has to apply (zero: none); Reconcile finds cases by it.
	NextStageOn hr.Date   `json:"next_stage_on"`
	OpenedBy    string    `json:"opened_by"`
	OpenedAt    time.Time `json:"opened_at"`
	// ClosedBy, ClosedAt and CloseReason record the completion or withdrawal.
	ClosedBy    string    `json:"closed_by,omitempty"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	CloseReason string    `json:"close_reason,omitempty"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version increases with every change (optimistic locking).
	Version int64 `json:"version"`
}

// StepStatus is where a step stands.
type StepStatus string

// The step statuses.
const (
	StepOpen StepStatus = "open"
	// StepDone: completed by its own rule.
	StepDone StepStatus = "done"
	// StepForced: closed by HR with a written reason (ForceReason).
	StepForced StepStatus = "forced"
)

// Step is one step of a case, made from a StepTemplate when the case opens.
type Step struct {
	ID          string   `json:"id"`
	CaseID      string   `json:"case_id"`
	Key         string   `json:"key"`
	Kind        StepKind `json:"kind"`
	Title       string   `json:"title"`
	Responsible []Role   `json:"responsible"`
	// Assignees are the people (or "role:admin") the responsible roles
	// resolved to; they receive the step's reminders.
	Assignees     []string    `json:"assignees"`
	DueOffsetDays int         `json:"due_offset_days"`
	DueOn         hr.Date     `json:"due_on"`
	ClosingRule   ClosingRule `json:"closing_rule,omitempty"`
	Status        StepStatus  `json:"status"`
	DoneAt        time.Time   `json:"done_at,omitzero"`
	DoneBy        string      `json:"done_by,omitempty"`
	// Note is what closed a custom step, or HR's reason for forcing it.
	Note string `json:"note,omitempty"`
	// NextAlertOn is the next day Reconcile has a reminder or an
	// escalation for the step (zero: none).
	NextAlertOn hr.Date   `json:"next_alert_on"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int64     `json:"version"`
}

// Closed reports whether the step is done or forced.
func (s Step) Closed() bool { return s.Status != StepOpen }

// HandoverItem is one customer in the customer-handover step.
type HandoverItem struct {
	CaseID       string `json:"case_id"`
	CustomerID   string `json:"customer_id"`
	CustomerName string `json:"customer_name"`
	// SuccessorID is who receives the customer (empty until assigned).
	SuccessorID string `json:"successor_id,omitempty"`
	// HandedOver is set by MarkHandedOver, with Note, HandedAt, HandedBy.
	HandedOver bool      `json:"handed_over"`
	Note       string    `json:"note,omitempty"`
	HandedAt   time.Time `json:"handed_at,omitzero"`
	HandedBy   string    `json:"handed_by,omitempty"`
	// SignatureID is set once the successor signed for it (ownership moved).
	SignatureID string    `json:"signature_id,omitempty"`
	AddedAt     time.Time `json:"added_at"`
}

// Signature is an electronic signature: who signed what, when, from where.
type Signature struct {
	ID     string `json:"id"`
	CaseID string `json:"case_id"`
	StepID string `json:"step_id"`
	Signer string `json:"signer"`
	// ContentHash is the hex SHA-256 of Content, the canonical JSON of what
	// was signed for.
	ContentHash string    `json:"content_hash"`
	Content     string    `json:"content"`
	SignedAt    time.Time `json:"signed_at"`
	ClientIP    string    `json:"client_ip,omitempty"`
	UserAgent   string    `json:"user_agent,omitempty"`
}

// Project is an unfinished project in a work report.
type Project struct {
	Name         string   `json:"name"`
	Status       string   `json:"status"`
	NextStep     string   `json:"next_step"`
	Stakeholders []string `json:"stakeholders,omitempty"`
}

// WorkReport is what the employee hands over besides customers.
type WorkReport struct {
	Projects     []Project `json:"projects"`
	PendingTasks []string  `json:"pending_tasks,omitempty"`
	// DocumentsAt says where the documents are kept.
	DocumentsAt string `json:"documents_at"`
}

// Decision is the manager's answer to a work report round.
type Decision string

// The decisions.
const (
	DecisionPending  Decision = "pending"
	DecisionApproved Decision = "approved"
	DecisionReturned Decision = "returned"
)

// WorkRound is one submission of the work report and its review; every
// round is kept.
type WorkRound struct {
	CaseID      string     `json:"case_id"`
	Round       int        `json:"round"`
	Report      WorkReport `json:"report"`
	SubmittedBy string     `json:"submitted_by"`
	SubmittedAt time.Time  `json:"submitted_at"`
	Decision    Decision   `json:"decision"`
	Comments    string     `json:"comments,omitempty"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   time.Time  `json:"decided_at,omitzero"`
}

// ItemOutcome is what became of an item to return.
type ItemOutcome string

// The item outcomes.
const (
	ItemPending  ItemOutcome = "pending"
	ItemReturned ItemOutcome = "returned"
	ItemMissing  ItemOutcome = "missing"
)

// ItemReturn is one company asset the employee must give back.
type ItemReturn struct {
	CaseID    string      `json:"case_id"`
	AssetID   string      `json:"asset_id"`
	Name      string      `json:"name"`
	AssetKind string      `json:"asset_kind"`
	Tag       string      `json:"tag,omitempty"`
	Outcome   ItemOutcome `json:"outcome"`
	// Condition is the condition on return; CostNote what a missing item
	// costs and who bears it.
	Condition   string    `json:"condition,omitempty"`
	Note        string    `json:"note,omitempty"`
	CostNote    string    `json:"cost_note,omitempty"`
	ConfirmedBy string    `json:"confirmed_by,omitempty"`
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
}
