package training

import (
	"fmt"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so an HTTP layer maps them like any other.
var (
	// ErrSessionStarted: the session has started (or ended), so it takes no
	// enrolments, cancellations or changes of its seats (ballast.ErrConflict).
	ErrSessionStarted = fmt.Errorf("training: the session is not open for this now: %w", ballast.ErrConflict)
	// ErrAlreadyEnrolled: the employee holds an enrolment (or a waitlist
	// place) in the session (ballast.ErrConflict).
	ErrAlreadyEnrolled = fmt.Errorf("training: already enrolled in the session: %w", ballast.ErrConflict)
	// ErrDeparted: the employee has left the company (ballast.ErrInvalid).
	ErrDeparted = fmt.Errorf("training: the employee has departed: %w", ballast.ErrInvalid)
	// ErrCancelled: the enrolment or session is cancelled and can no longer
	// change (ballast.ErrConflict).
	ErrCancelled = fmt.Errorf("training: cancelled: %w", ballast.ErrConflict)
	// ErrNotStarted: the session has not started, so it takes no attendance
	// or scores yet (ballast.ErrConflict).
	ErrNotStarted = fmt.Errorf("training: the session has not started: %w", ballast.ErrConflict)
)

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}
