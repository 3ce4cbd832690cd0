package offboarding

import (
	"errors"
	"fmt"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so the HTTP layer maps them like any other.
var (
	// ErrCaseOpen: the employee already has an open case (ballast.ErrConflict).
	ErrCaseOpen = fmt.Errorf("offboarding: the employee already has an open case: %w", ballast.ErrConflict)
	// ErrCaseClosed: the case is completed or withdrawn and can no longer
	// change (ballast.ErrConflict). Completing twice gives it.
	ErrCaseClosed = fmt.Errorf("offboarding: the case is closed: %w", ballast.ErrConflict)
	// ErrStepsOpen: the case cannot complete while steps are open
	// (ballast.ErrConflict); HR may force-close them with a reason.
	ErrStepsOpen = fmt.Errorf("offboarding: steps are still open: %w", ballast.ErrConflict)
	// ErrStepClosed: the step is already done (ballast.ErrConflict).
	ErrStepClosed = fmt.Errorf("offboarding: the step is already done: %w", ballast.ErrConflict)
	// ErrHashMismatch: the handover content changed after it was prepared
	// (ballast.ErrConflict); prepare it again and sign what is shown.
	ErrHashMismatch = fmt.Errorf("offboarding: the handover content changed since it was prepared: %w", ballast.ErrConflict)
	// ErrWrongStep: the operation does not fit the step's kind or rule
	// (ballast.ErrInvalid).
	ErrWrongStep = fmt.Errorf("offboarding: the step does not take this action: %w", ballast.ErrInvalid)
)

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}

var _ = errors.Is
