package ballast

import (
	"errors"
	"fmt"
	"strings"
)

// The error kinds. Every package wraps one of these with context, so a
// caller (or the HTTP layer) can classify any error with errors.Is.
var (
	// ErrNotFound: the record does not exist in the principal's tenant (or
	// the principal may not know it exists).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the change collides with the current state: a duplicate
	// unique value, a stale version (optimistic locking), or a transition the
	// record's state machine does not allow.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input is malformed. A *ValidationError matches it and
	// lists every bad field.
	ErrInvalid = errors.New("invalid input")
	// ErrForbidden: the principal is known but may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated: there is no principal, or its account is unknown.
	ErrUnauthenticated = errors.New("unauthenticated")
)

// FieldError is one bad field: its name (a JSON-style path such as
// "contacts[2].email" or, for CSV input, "line 14: email") and what is
// wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every bad field of one input at once. It matches
// ErrInvalid with errors.Is; use errors.As to read the fields.
type ValidationError struct {
	Fields []FieldError `json:"fields"`
}

// Add records one bad field.
func (v *ValidationError) Add(field, message string) {
	v.Fields = append(v.Fields, FieldError{Field: field, Message: message})
}

// Err returns v when it holds at least one field error, and nil otherwise,
// so a validator can end with `return v.Err()`.
func (v *ValidationError) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

// Error lists the fields and their messages.
func (v *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid input: ")
	for i, f := range v.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %s", f.Field, f.Message)
	}
	return b.String()
}

// Is reports whether target is ErrInvalid.
func (v *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns a *ValidationError with one field, for the common case of
// a single bad argument.
func Invalid(field, message string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: message}}}
}
