package assessment

import (
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so the HTTP layer maps them like any other.
var (
	// ErrWrongState: the cycle or participant is not in a state that allows
	// this (ballast.ErrConflict): a transition out of order, scoring
	// outside the manager-review phase, finalising twice.
	ErrWrongState = fmt.Errorf("assessment: not allowed in the current state: %w", ballast.ErrConflict)
	// ErrDeadlinePassed: the self-evaluation deadline has passed and HR has
	// not reopened it for this participant (ballast.ErrConflict).
	ErrDeadlinePassed = fmt.Errorf("assessment: the deadline has passed: %w", ballast.ErrConflict)
	// ErrOwnReview: nobody scores, enters actuals for, calibrates or
	// adjusts their own review, HR included (ballast.ErrForbidden).
	ErrOwnReview = fmt.Errorf("assessment: a manager may not score their own review: %w", ballast.ErrForbidden)
	// ErrCycleClosed: the cycle is closed; its results can no longer be
	// appealed or adjusted (ballast.ErrConflict).
	ErrCycleClosed = fmt.Errorf("assessment: the cycle is closed: %w", ballast.ErrConflict)
	// ErrNotFinalised: the result is not final yet (ballast.ErrConflict).
	ErrNotFinalised = fmt.Errorf("assessment: the result is not finalised: %w", ballast.ErrConflict)
	// ErrAppealWindowClosed: the appeal window of a finalised cycle has
	// ended (ballast.ErrConflict).
	ErrAppealWindowClosed = fmt.Errorf("assessment: the appeal window has ended: %w", ballast.ErrConflict)
	// ErrAlreadySubmitted: the entry was submitted and can no longer be
	// changed (ballast.ErrConflict).
	ErrAlreadySubmitted = fmt.Errorf("assessment: already submitted: %w", ballast.ErrConflict)
	// ErrReviewsIncomplete: Finalise found manager reviews not submitted
	// (ballast.ErrConflict); the error is an *IncompleteError naming them.
	ErrReviewsIncomplete = fmt.Errorf("assessment: manager reviews are not all submitted: %w", ballast.ErrConflict)
)

// PendingReview is a participant whose manager review is not submitted.
type PendingReview struct {
	ParticipantID string            `json:"participant_id"`
	EmployeeID    string            `json:"employee_id"`
	EmployeeName  string            `json:"employee_name"`
	ManagerID     string            `json:"manager_id,omitempty"`
	Status        ParticipantStatus `json:"status"`
}

// IncompleteError is why Finalise refused: the participants whose manager
// review is not submitted, ordered by participant ID. It matches
// ErrReviewsIncomplete (and so ballast.ErrConflict) with errors.Is; find
// it with errors.As.
type IncompleteError struct {
	CycleID string
	Pending []PendingReview
}

// Error names the first few pending reviews and counts the rest.
func (e *IncompleteError) Error() string {
	const show = 10
	names := make([]string, 0, min(show, len(e.Pending)))
	for _, p := range e.Pending[:min(show, len(e.Pending))] {
		names = append(names, fmt.Sprintf("%s (%s)", p.EmployeeName, p.ParticipantID))
	}
	more := ""
	if len(e.Pending) > show {
		more = fmt.Sprintf(" and %d more", len(e.Pending)-show)
	}
	return fmt.Sprintf("cycle %s: %d manager reviews not submitted: %s%s", e.CycleID, len(e.Pending), strings.Join(names, ", "), more)
}

// Unwrap makes the error match ErrReviewsIncomplete.
func (e *IncompleteError) Unwrap() error { return ErrReviewsIncomplete }

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}

// wrongState builds an error matching ErrWrongState.
func wrongState(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ErrWrongState)...)
}
