package channel

import "github.com/ballast-hr/ballast"

// kindError is a sentinel of this package that also matches one of the
// ballast error kinds, so the HTTP layer classifies it without knowing
// channel.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// The errors of this package. Each also matches a ballast kind.
var (
	// ErrNotRecipient: the principal is not among the recipients of the
	// announcement it tried to read, mark read or ask about. Matches
	// ballast.ErrForbidden.
	ErrNotRecipient error = &kindError{"not a recipient of the announcement", ballast.ErrForbidden}
	// ErrNotAsker: the principal tried to continue a question thread that
	// someone else opened, without holding PermManage. Matches
	// ballast.ErrForbidden.
	ErrNotAsker error = &kindError{"not the asker of the question", ballast.ErrForbidden}
	// ErrState: the record's state does not allow the change (editing a
	// published announcement, publishing a withdrawn one, making an
	// unanswered question public). Matches ballast.ErrConflict.
	ErrState error = &kindError{"not allowed in the record's state", ballast.ErrConflict}
	// ErrUnknownCode: no feedback item has this follow-up code. Matches
	// ballast.ErrNotFound; it says nothing about how close the code was.
	ErrUnknownCode error = &kindError{"unknown follow-up code", ballast.ErrNotFound}
)
