package mentoring

import (
	"fmt"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so an HTTP layer maps them like any other.
var (
	// ErrDeparted: the mentor or mentee has left the company
	// (ballast.ErrInvalid).
	ErrDeparted = fmt.Errorf("mentoring: the employee has departed: %w", ballast.ErrInvalid)
	// ErrOverlap: the same mentor and mentee already have an active
	// mentorship overlapping the dates (ballast.ErrConflict).
	ErrOverlap = fmt.Errorf("mentoring: an active mentorship of the same pair overlaps: %w", ballast.ErrConflict)
	// ErrClosed: the mentorship is completed or cancelled and can no longer
	// change or take meetings (ballast.ErrConflict).
	ErrClosed = fmt.Errorf("mentoring: the mentorship is closed: %w", ballast.ErrConflict)
)

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}
