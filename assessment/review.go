package assessment

import (
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Side says who wrote an entry.
type Side string

// The sides of a review.
const (
	SideSelf    Side = "self"
	SideManager Side = "manager"
)

// EvidenceKind is a link or an uploaded file.
type EvidenceKind string

// The evidence kinds.
const (
	EvidenceLink EvidenceKind = "link"
	EvidenceFile EvidenceKind = "file"
)

// Evidence backs a self-evaluation score: a link, or the metadata of a
// file the host stored (its name, size, type and SHA-256 of the content).
type Evidence struct {
	Kind        EvidenceKind `json:"kind"`
	URL         string       `json:"url,omitempty"`
	Name        string       `json:"name,omitempty"`
	Size        int64        `json:"size,omitempty"`
	ContentType string       `json:"content_type,omitempty"`
	SHA256      string       `json:"sha256,omitempty"`
}

// Entry is one side's input on one indicator of a participant's review.
// Score is on the indicator's own terms: a rating on the scale for a
// qualitative indicator, 0–100 for a quantitative one scored by hand.
type Entry struct {
	ParticipantID string     `json:"participant_id"`
	CycleID       string     `json:"cycle_id"`
	IndicatorID   string     `json:"indicator_id"`
	Side          Side       `json:"side"`
	Score         *float64   `json:"score,omitempty"`
	Comment       string     `json:"comment,omitempty"`
	Actual        *float64   `json:"actual,omitempty"`
	Evidence      []Evidence `json:"evidence,omitempty"`
	UpdatedBy     string     `json:"updated_by"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// EntryInput is one indicator's input to SaveSelfEvaluation or
// SaveManagerReview. A nil Score leaves the indicator unscored. Actual is
// for quantitative indicators (manager side); Evidence for the self side.
type EntryInput struct {
	IndicatorID string     `json:"indicator_id"`
	Score       *float64   `json:"score,omitempty"`
	Comment     string     `json:"comment,omitempty"`
	Actual      *float64   `json:"actual,omitempty"`
	Evidence    []Evidence `json:"evidence,omitempty"`
}

// Review is one participant's review as the caller may see it.
type Review struct {
	Cycle       Cycle          `json:"cycle"`
	Participant Participant    `json:"participant"`
	Items       []WeightedItem `json:"items"`
	// SelfDue is the participant's self-evaluation deadline.
	SelfDue hr.Date `json:"self_due"`
	// Self is the self-evaluation; nil for the manager and HR until it is
	// submitted.
	Self []Entry `json:"self"`
	// Manager is the manager's review; nil for the employee until the
	// cycle is finalised.
	Manager []Entry `json:"manager"`
}

// Actual is one quantitative actual for RecordActuals.
type Actual struct {
	ParticipantID string  `json:"participant_id"`
	IndicatorID   string  `json:"indicator_id"`
	Value         float64 `json:"value"`
}

// ImportReport says what ImportActualsCSV did.
type ImportReport struct {
	Rows int `json:"rows"`
}

// Task is something one person has to do in a cycle.
type Task struct {
	Kind          Side              `json:"kind"`
	CycleID       string            `json:"cycle_id"`
	CycleName     string            `json:"cycle_name"`
	ParticipantID string            `json:"participant_id"`
	EmployeeID    string            `json:"employee_id"`
	EmployeeName  string            `json:"employee_name"`
	DueOn         hr.Date           `json:"due_on"`
	Status        ParticipantStatus `json:"status"`
}

// Adjustment is one change of a finalised result (an appeal), kept beside
// the original.
type Adjustment struct {
	ID            string `json:"id"`
	ParticipantID string `json:"participant_id"`
	CycleID       string `json:"cycle_id"`
	// IndicatorID is the indicator adjusted; empty for the whole result.
	IndicatorID string  `json:"indicator_id,omitempty"`
	Before      float64 `json:"before"`
	After       float64 `json:"after"`
	// ScoreBefore and ScoreAfter are the result's score around it.
	ScoreBefore float64   `json:"score_before"`
	ScoreAfter  float64   `json:"score_after"`
	GradeBefore string    `json:"grade_before"`
	GradeAfter  string    `json:"grade_after"`
	Reason      string    `json:"reason"`
	AppealID    string    `json:"appeal_id,omitempty"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

// AdjustParams is what AdjustResult takes. Score is 0–100 for the result
// or for the indicator named by IndicatorID. Reason is required; AppealID
// names the appeal that decided it.
type AdjustParams struct {
	ParticipantID string  `json:"participant_id"`
	IndicatorID   string  `json:"indicator_id,omitempty"`
	Score         float64 `json:"score"`
	Reason        string  `json:"reason"`
	AppealID      string  `json:"appeal_id,omitempty"`
}

// AppealWindow says whether a participant's result may be appealed.
type AppealWindow struct {
	ParticipantID string     `json:"participant_id"`
	CycleID       string     `json:"cycle_id"`
	EmployeeID    string     `json:"employee_id"`
	ManagerID     string     `json:"manager_id,omitempty"`
	State         CycleState `json:"state"`
	// Until is the last day of the window.
	Until hr.Date `json:"until"`
	// Open is true when the cycle is finalised and today (tenant zone) is
	// on or before Until.
	Open bool `json:"open"`
}
