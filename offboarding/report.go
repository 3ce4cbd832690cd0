package offboarding

import (
	"time"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
)

// Report is the handover report of a case: data first, rendered by the
// host as JSON, HTML or CSV.
type Report struct {
	Case Case `json:"case"`
	// Customers lists every customer of the handover with its successor
	// and signature; Signatures every signature of the case.
	Customers  []HandoverItem `json:"customers"`
	Signatures []Signature    `json:"signatures"`
	// Projects are the unfinished projects of the last work-report round;
	// WorkRounds every round with its decision.
	Projects   []Project   `json:"projects"`
	WorkRounds []WorkRound `json:"work_rounds"`
	// Items are the items to return with their outcome.
	Items []ItemReturn `json:"items"`
	// Revocations are the revocation stages applied, with time and operator.
	Revocations []access.StageEffect `json:"revocations"`
	// Steps are the steps with their planned and actual dates.
	Steps []StepDates `json:"steps"`
	// Integrity compares the customer snapshot taken at resignation with
	// the records now.
	Integrity Integrity `json:"integrity"`
	// GeneratedAt is when the report was made.
	GeneratedAt time.Time `json:"generated_at"`
}

// StepDates is a step's planned deadline against when it closed.
type StepDates struct {
	Key    string     `json:"key"`
	Title  string     `json:"title"`
	Status StepStatus `json:"status"`
	DueOn  hr.Date    `json:"due_on"`
	DoneOn hr.Date    `json:"done_on"`
	DoneBy string     `json:"done_by,omitempty"`
	// Late reports whether it closed after its deadline (or is open past it).
	Late bool   `json:"late"`
	Note string `json:"note,omitempty"`
}

// Integrity is the check of the customer records over the notice period:
// what changed between the snapshot at resignation and the records now,
// other than the ownership moves of the handover, each with who changed it
// and when (from the audit history).
type Integrity struct {
	SnapshotID string `json:"snapshot_id"`
	// Clean reports that nothing but handover transfers changed.
	Clean    bool                    `json:"clean"`
	Archived []customers.CustomerRef `json:"archived"`
	Removed  []customers.CustomerRef `json:"removed"`
	Changed  []IntegrityChange       `json:"changed"`
}

// IntegrityChange is one customer altered during the notice period.
type IntegrityChange struct {
	customers.CustomerRef
	// Changes are the altered fields (contacts, values, follow-ups…).
	Changes []audit.Change `json:"changes"`
	// Edits are the audit entries that altered it since the snapshot: who,
	// when, what.
	Edits []audit.Entry `json:"edits"`
}
