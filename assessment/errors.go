package assessment

import (
	"fmt"

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
	// ErrOwnReview: a manager may not score their own review
	// (ballast.ErrForbidden).
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
)

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
