package appeal

import (
	"fmt"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so the HTTP layer maps them like any other.
var (
	// ErrNotAppealable: the subject cannot be appealed now: its appeal
	// window has ended or not begun, or its cycle is closed
	// (ballast.ErrConflict). A Subject may return it from Target.
	ErrNotAppealable = fmt.Errorf("appeal: the subject cannot be appealed now: %w", ballast.ErrConflict)
	// ErrAlreadyAppealed: an appeal on the same subject and item is still
	// pending (ballast.ErrConflict).
	ErrAlreadyAppealed = fmt.Errorf("appeal: an appeal on this subject and item is already pending: %w", ballast.ErrConflict)
	// ErrClosed: the appeal is decided or withdrawn and can no longer
	// change or take replies (ballast.ErrConflict).
	ErrClosed = fmt.Errorf("appeal: the appeal is closed: %w", ballast.ErrConflict)
	// ErrUnknownKind: no Subject is registered for the kind
	// (ballast.ErrInvalid).
	ErrUnknownKind = fmt.Errorf("appeal: unknown subject kind: %w", ballast.ErrInvalid)
)

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}
