package appeal

import (
	"math"
	"time"

	"github.com/ballast-hr/ballast"

	"github.com/ballast-hr/ballast/hr"
)

// Status is where an appeal stands.
//
//	open ──StartReview──► under_review ──Decide──► decided (upheld | adjusted)
//	  │                        │
//	  └──────Withdraw──────────┴──────────────────► withdrawn
//
// Decide also accepts an open appeal (it takes it under review and decides
// at once). Decided and withdrawn are final.
type Status string

// The statuses of an appeal.
const (
	StatusOpen        Status = "open"
	StatusUnderReview Status = "under_review"
	StatusDecided     Status = "decided"
	StatusWithdrawn   Status = "withdrawn"
)

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusOpen, StatusUnderReview, StatusDecided, StatusWithdrawn:
		return true
	}
	return false
}

// Pending reports whether the appeal still waits for a decision (open or
// under review): only then may it be replied to, decided or withdrawn.
func (s Status) Pending() bool { return s == StatusOpen || s == StatusUnderReview }

// Result is how HR decided an appeal.
type Result string

// The results of a decided appeal.
const (
	// ResultUpheld keeps the contested outcome as it was.
	ResultUpheld Result = "upheld"
	// ResultAdjusted replaces it with Appeal.After (applied through
	// Subject.Adjust in the decision's transaction).
	ResultAdjusted Result = "adjusted"
)

// Outcome is what a subject (or one of its items) currently says about the
// employee: a score, a grade and/or a text such as a recommendation. Which
// parts a kind uses is up to its Subject; the appeal package only carries
// them and records their change.
type Outcome struct {
	// Score is the numeric score, nil when the subject has none.
	Score *float64 `json:"score,omitempty"`
	// Grade is the grade label ("A", "B+"), empty when none.
	Grade string `json:"grade,omitempty"`
	// Text is a textual outcome ("promote", "keep developing"), empty when none.
	Text string `json:"text,omitempty"`
}

// IsZero reports whether o holds nothing.
func (o Outcome) IsZero() bool { return o.Score == nil && o.Grade == "" && o.Text == "" }

// Limits on an Outcome's texts, in characters.
const (
	MaxGradeLen       = 50
	MaxOutcomeTextLen = 1000
)

// check adds a field error under prefix for a score that is not a finite
// number and for texts over their limits.
func (o Outcome) check(v *ballast.ValidationError, prefix string) {
	if o.Score != nil && (math.IsNaN(*o.Score) || math.IsInf(*o.Score, 0)) {
		v.Add(prefix+".score", "must be a finite number")
	}
	checkText(v, prefix+".grade", o.Grade, 0, MaxGradeLen)
	checkText(v, prefix+".text", o.Text, 0, MaxOutcomeTextLen)
}

// Score returns a pointer to v, for building an Outcome.
func Score(v float64) *float64 { return &v }

// Appeal is an employee's objection to a subject owned by another package
// (an assessment result, a talent review), or to one item of it.
type Appeal struct {
	ID string `json:"id"`
	// Kind names the subject's kind as registered in Config.Subjects
	// ("assessment.result"); SubjectID is the subject within it.
	Kind      string `json:"kind"`
	SubjectID string `json:"subject_id"`
	// Item is the contested item's code (an indicator code), empty when the
	// appeal is about the whole subject. ItemTitle is its title at filing.
	Item      string `json:"item,omitempty"`
	ItemTitle string `json:"item_title,omitempty"`
	// Title describes the subject as its owner named it at filing
	// ("2026 mid-year review").
	Title string `json:"title"`
	// EmployeeID is who filed the appeal (the subject's owner); ManagerID
	// is the manager who answers with HR (snapshotted at filing, may be
	// empty). HandlerID is the HR person who took the appeal under review.
	EmployeeID string `json:"employee_id"`
	ManagerID  string `json:"manager_id,omitempty"`
	HandlerID  string `json:"handler_id,omitempty"`
	// Reason is the employee's objection.
	Reason string `json:"reason"`
	Status Status `json:"status"`
	// Before is the contested outcome as it stood at filing.
	Before Outcome `json:"before"`
	// Result, After, ClosedBy, ClosedAt and CloseReason are set when the
	// appeal is decided (After only when adjusted) or withdrawn.
	Result      Result    `json:"result,omitempty"`
	After       Outcome   `json:"after"`
	ClosedBy    string    `json:"closed_by,omitempty"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	CloseReason string    `json:"close_reason,omitempty"`
	// WindowEnds is the end of the subject's appeal window at filing.
	WindowEnds time.Time `json:"window_ends"`
	// DueOn is the calendar day (tenant zone) by which HR and the manager
	// must have decided: filing day + Settings.ReplyDays.
	DueOn hr.Date `json:"due_on"`
	// NextAlertOn is Reconcile's bookkeeping: the day of the next reminder
	// or escalation, zero when none is left.
	NextAlertOn hr.Date   `json:"next_alert_on,omitzero"`
	FiledAt     time.Time `json:"filed_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version increases with every change of the appeal (optimistic
	// locking); a reply does not change it.
	Version int64 `json:"version"`
}

// Role is the part an author plays in an appeal's thread.
type Role string

// The roles of a thread.
const (
	RoleEmployee Role = "employee"
	RoleManager  Role = "manager"
	RoleHR       Role = "hr"
)

// Message is one reply in an appeal's thread.
type Message struct {
	ID       string `json:"id"`
	AppealID string `json:"appeal_id"`
	// AuthorID is the replying subject; Role how they took part.
	AuthorID  string    `json:"author_id"`
	Role      Role      `json:"role"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Settings are a tenant's appeal settings.
type Settings struct {
	// ReplyDays is how many calendar days after filing an appeal must be
	// decided (its DueOn). Default 5, between 1 and 90.
	ReplyDays int `json:"reply_days"`
	// RemindDaysBefore is how many days before DueOn Reconcile reminds the
	// handler (or HRRecipients) and the manager. Default 1, between 0 and
	// ReplyDays; 0 reminds on the due day itself.
	RemindDaysBefore int `json:"remind_days_before"`
	// HRRecipients hear of new appeals and are reminded of appeals no HR
	// person has taken under review yet (employee IDs or addresses the
	// host's notifier resolves, such as "hr@example.com").
	HRRecipients []string `json:"hr_recipients"`
	// EscalateTo hear of appeals past their DueOn, along with the handler,
	// the manager and HRRecipients.
	EscalateTo []string  `json:"escalate_to"`
	UpdatedAt  time.Time `json:"updated_at,omitzero"`
	// Version is 0 for the built-in defaults.
	Version int64 `json:"version"`
}

// DefaultSettings are the settings of a tenant that set none.
func DefaultSettings() Settings {
	return Settings{ReplyDays: 5, RemindDaysBefore: 1, HRRecipients: []string{}, EscalateTo: []string{}}
}
