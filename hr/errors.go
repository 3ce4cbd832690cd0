package hr

import (
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
)

// kindError is a sentinel of this package that also matches one of the
// ballast error kinds, so the HTTP layer classifies it without knowing hr.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// The errors of this package. Each also matches a ballast kind.
var (
	// ErrUnknownTenant: the principal's tenant does not exist. Matches
	// ballast.ErrNotFound.
	ErrUnknownTenant error = &kindError{"unknown tenant", ballast.ErrNotFound}
	// ErrCycle: the change would make a department its own ancestor or an
	// employee their own (indirect) manager. Matches ballast.ErrInvalid; the
	// error also carries a *ballast.ValidationError naming the field.
	ErrCycle error = &kindError{"cycle", ballast.ErrInvalid}
)

// RowError is one bad cell (or row) of an imported CSV file.
type RowError struct {
	// Line is the 1-based line number in the file (the header is line 1).
	Line int `json:"line"`
	// Column is the header name of the bad column; empty for the whole row.
	Column string `json:"column,omitempty"`
	// Reason says what is wrong, in lower case.
	Reason string `json:"reason"`
}

// ImportError lists every bad row of a CSV import; nothing was written.
// It matches ballast.ErrInvalid.
type ImportError struct {
	Rows []RowError `json:"rows"`
}

// Error summarises the first few bad rows.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid csv: %d problem(s)", len(e.Rows))
	for i, r := range e.Rows {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		if r.Column != "" {
			fmt.Fprintf(&b, "; line %d, %s: %s", r.Line, r.Column, r.Reason)
		} else {
			fmt.Fprintf(&b, "; line %d: %s", r.Line, r.Reason)
		}
	}
	return b.String()
}

// Is reports whether target is ballast.ErrInvalid.
func (e *ImportError) Is(target error) bool { return target == ballast.ErrInvalid }

func (e *ImportError) add(line int, column, reason string) {
	e.Rows = append(e.Rows, RowError{Line: line, Column: column, Reason: reason})
}

func (e *ImportError) err() error {
	if len(e.Rows) == 0 {
		return nil
	}
	return e
}
