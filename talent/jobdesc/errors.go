package jobdesc

import (
	"fmt"

	"github.com/ballast-hr/ballast"
)

// The errors of this package. Each matches one ballast kind with
// errors.Is as well as itself, so the HTTP layer maps them like any other.
var (
	// ErrApproved: the latest revision is approved and can no longer
	// change (ballast.ErrConflict); start a new one with NewRevision.
	ErrApproved = fmt.Errorf("jobdesc: the revision is approved; start a new revision to change it: %w", ballast.ErrConflict)
	// ErrInReview: the latest revision is in review and cannot be edited
	// until it is approved or sent back (ballast.ErrConflict).
	ErrInReview = fmt.Errorf("jobdesc: the revision is in review: %w", ballast.ErrConflict)
	// ErrWrongStatus: the revision is not in the status the step needs,
	// e.g. approving a draft, or starting a revision while one is open
	// (ballast.ErrConflict).
	ErrWrongStatus = fmt.Errorf("jobdesc: the revision is not in a status that allows this: %w", ballast.ErrConflict)
	// ErrOwnChange: the principal edited the revision and may not approve
	// it or send it back (ballast.ErrForbidden).
	ErrOwnChange = fmt.Errorf("jobdesc: nobody may approve their own change: %w", ballast.ErrForbidden)
	// ErrNotPublished: the template has no published revision to derive
	// from (ballast.ErrConflict).
	ErrNotPublished = fmt.Errorf("jobdesc: the template is not published: %w", ballast.ErrConflict)
	// ErrUnknownSection: the document's revision has no section with the
	// key (ballast.ErrInvalid).
	ErrUnknownSection = fmt.Errorf("jobdesc: unknown section: %w", ballast.ErrInvalid)
	// ErrResolved: the comment thread is resolved and takes no more replies
	// (ballast.ErrConflict).
	ErrResolved = fmt.Errorf("jobdesc: the comment thread is resolved: %w", ballast.ErrConflict)
)

// staleVersion is the optimistic-locking conflict.
func staleVersion(what string, want, have int64) error {
	return fmt.Errorf("%s is at version %d, not %d: %w", what, have, want, ballast.ErrConflict)
}

// forbidden builds an error matching ballast.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ballast.ErrForbidden)...)
}
