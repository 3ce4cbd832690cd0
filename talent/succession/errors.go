package succession

import (
	"fmt"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so an HTTP layer maps them like any other.
var (
	// ErrNotCritical: the position is not marked critical in hr, so it
	// takes no successors (ballast.ErrInvalid).
	ErrNotCritical = fmt.Errorf("succession: the position is not critical: %w", ballast.ErrInvalid)
	// ErrIncumbent: the proposed successor holds the position already
	// (ballast.ErrInvalid).
	ErrIncumbent = fmt.Errorf("succession: the employee holds the position: %w", ballast.ErrInvalid)
	// ErrDeparted: the proposed successor has left the company
	// (ballast.ErrInvalid).
	ErrDeparted = fmt.Errorf("succession: the employee has departed: %w", ballast.ErrInvalid)
	// ErrUnknownReadiness: the readiness is not on the tenant's scale
	// (ballast.ErrInvalid).
	ErrUnknownReadiness = fmt.Errorf("succession: the readiness is not on the tenant's scale: %w", ballast.ErrInvalid)
	// ErrDuplicate: the employee is already a successor of the position
	// (ballast.ErrConflict).
	ErrDuplicate = fmt.Errorf("succession: the employee is already a successor of the position: %w", ballast.ErrConflict)
	// ErrEmergencyTaken: the position has an emergency successor already;
	// clear that flag first (ballast.ErrConflict).
	ErrEmergencyTaken = fmt.Errorf("succession: the position has an emergency successor already: %w", ballast.ErrConflict)
	// ErrReadinessInUse: a new scale drops a readiness level some
	// successor still has (ballast.ErrConflict).
	ErrReadinessInUse = fmt.Errorf("succession: a readiness level dropped from the scale is in use: %w", ballast.ErrConflict)
)

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}
