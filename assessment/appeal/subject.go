package appeal

import (
	"context"
	"time"
)

// Subject is what an appeal is about, as seen by the package that owns it:
// an assessment result, a talent review. The owner implements it (usually
// as a small adapter in the host) and registers it in Config.Subjects under
// a kind name such as "assessment.result".
//
// The Service calls a Subject after its own permission checks, with a
// system principal carrying the acting user's subject, inside the use
// case's transaction.
type Subject interface {
	// Target describes the subject subjectID: who owns it, who answers,
	// until when it may be appealed and what it currently says. It returns
	// an error matching ballast.ErrNotFound when there is no such subject,
	// and one matching ErrNotAppealable (or another ballast.ErrConflict)
	// when the subject cannot be appealed now (a cycle not finalised or
	// already closed).
	Target(ctx context.Context, subjectID string) (Target, error)
	// Adjust applies the adjusted outcome of a decided appeal, in the
	// caller's transaction (ctx carries it): if Adjust fails, the decision
	// is rolled back. It must accept the adjustment after the appeal window
	// has ended (HR decides later than employees file) and return a
	// *ballast.ValidationError for an outcome it cannot take (a score
	// outside its scale).
	Adjust(ctx context.Context, subjectID string, a Adjustment) error
}

// Target is a subject as its owner describes it to the appeal package.
type Target struct {
	// EmployeeID is the subject's owner: the only one who may appeal it.
	EmployeeID string
	// ManagerID is the manager who answers appeals with HR (may be empty).
	ManagerID string
	// Title names the subject for people ("2026 mid-year review").
	Title string
	// WindowEnds is the instant until which the subject may be appealed; a
	// zero WindowEnds means it may not be appealed at all.
	WindowEnds time.Time
	// Outcome is the subject's current overall outcome.
	Outcome Outcome
	// Items are the parts that may be contested one by one (indicators),
	// with their current outcomes.
	Items []Item
}

// Item is one contestable part of a subject.
type Item struct {
	// Code identifies the item within the subject (an indicator code).
	Code    string
	Title   string
	Outcome Outcome
}

// item returns the item with code, if any.
func (t Target) item(code string) (Item, bool) {
	for _, it := range t.Items {
		if it.Code == code {
			return it, true
		}
	}
	return Item{}, false
}

// Adjustment is the decision of an appeal that changes a subject's outcome.
type Adjustment struct {
	// AppealID is the appeal decided.
	AppealID string
	// Item is the adjusted item's code, empty for the whole subject.
	Item string
	// Before is the outcome contested (as at filing); After the new one.
	Before, After Outcome
	// Reason is HR's reason for the adjustment.
	Reason string
	// DecidedBy is the HR subject deciding.
	DecidedBy string
}

// SubjectKind registers one kind of subject with the permissions that
// guard its appeals.
type SubjectKind struct {
	// Subject reaches the subjects of this kind. Required.
	Subject Subject
	// FilePermission is what the employee needs to file an appeal on their
	// own subject. Default "assessment:self".
	FilePermission string
	// ManagePermission is what HR needs to see every appeal of this kind,
	// take it under review and decide it. Default "assessment:manage".
	ManagePermission string
}
