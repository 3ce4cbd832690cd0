package assets

import "github.com/ballast-hr/ballast"

// kindError is a sentinel of this package that also matches one of the
// ballast error kinds, so the HTTP layer classifies it without knowing
// assets.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// The errors of this package. Each also matches a ballast kind; bad fields
// (unknown kind or condition, a holder who is not an employee of the tenant
// or has departed, a return before the issue date) are a
// *ballast.ValidationError instead.
var (
	// ErrDuplicateTag: another asset of the tenant has this tag. Matches
	// ballast.ErrConflict.
	ErrDuplicateTag error = &kindError{"duplicate asset tag", ballast.ErrConflict}
	// ErrAlreadyIssued: the asset is issued; it must be returned first.
	// Matches ballast.ErrConflict.
	ErrAlreadyIssued error = &kindError{"asset already issued", ballast.ErrConflict}
	// ErrNotIssued: Return of an asset nobody holds. Matches
	// ballast.ErrConflict.
	ErrNotIssued error = &kindError{"asset not issued", ballast.ErrConflict}
	// ErrUnavailable: the asset is lost or retired and cannot be issued (or
	// retired twice). Matches ballast.ErrConflict.
	ErrUnavailable error = &kindError{"asset lost or retired", ballast.ErrConflict}
)
