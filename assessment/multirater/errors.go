package multirater

import (
	"errors"
	"fmt"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so the HTTP layer maps them like any other.
var (
	// ErrSelfNomination: a reviewee cannot be their own peer or other
	// rater (ballast.ErrInvalid); the self-review is assigned anyway.
	ErrSelfNomination = fmt.Errorf("multirater: a reviewee cannot rate themself as a peer or other: %w", ballast.ErrInvalid)
	// ErrRaterDeparted: the rater has left the company or is not an
	// employee of the tenant (ballast.ErrInvalid).
	ErrRaterDeparted = fmt.Errorf("multirater: the rater is not an active employee: %w", ballast.ErrInvalid)
	// ErrRaterOverloaded: the rater already has the round's maximum of
	// reviews to write (ballast.ErrConflict).
	ErrRaterOverloaded = fmt.Errorf("multirater: the rater has the most reviews allowed in this round: %w", ballast.ErrConflict)
	// ErrAlreadyAssigned: the rater already rates this reviewee in the
	// round (ballast.ErrConflict).
	ErrAlreadyAssigned = fmt.Errorf("multirater: the rater already rates this reviewee: %w", ballast.ErrConflict)
	// ErrRoundState: the round's state does not allow the action, e.g.
	// nominating in a closed round or reading a report before it closes
	// (ballast.ErrConflict).
	ErrRoundState = fmt.Errorf("multirater: the round's state does not allow this: %w", ballast.ErrConflict)
	// ErrDeadlinePassed: the nomination or response deadline has passed
	// (ballast.ErrConflict); HR may move it with SetDeadlines.
	ErrDeadlinePassed = fmt.Errorf("multirater: the deadline has passed: %w", ballast.ErrConflict)
	// ErrAssignmentState: the assignment's status does not allow the
	// action, e.g. answering a pending nomination, submitting twice or
	// deciding a nomination already decided (ballast.ErrConflict).
	ErrAssignmentState = fmt.Errorf("multirater: the assignment's status does not allow this: %w", ballast.ErrConflict)
	// ErrNotReviewee: the employee is not a reviewee of the round
	// (ballast.ErrNotFound).
	ErrNotReviewee = fmt.Errorf("multirater: not a reviewee of the round: %w", ballast.ErrNotFound)
)

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}

func isNotFound(err error) bool { return errors.Is(err, ballast.ErrNotFound) }
