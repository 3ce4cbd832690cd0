package hr

import (
	"errors"
	"fmt"
	"math"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// Field limits, in characters.
const (
	maxName   = 200
	maxNumber = 64
	maxGrade  = 32
	maxPhone  = 32
	maxEmail  = 254
	maxNotes  = 2000
	maxLevel  = 99
)

// text checks a text field: required (when asked), at most max characters,
// valid UTF-8, no control characters.
func text(v *ballast.ValidationError, field, s string, required bool, max int) {
	switch {
	case s == "" && required:
		v.Add(field, "is required")
	case !utf8.ValidString(s):
		v.Add(field, "is not valid utf-8")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("is longer than %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		v.Add(field, "contains control characters")
	}
}

// ref checks an optional reference: empty, or a well-formed ID. It reports
// whether the reference is set and well-formed (worth looking up).
func ref(v *ballast.ValidationError, field, id string) bool {
	if id == "" {
		return false
	}
	if !ballast.ValidID(id) {
		v.Add(field, "is not a valid id")
		return false
	}
	return true
}

// requiredRef checks a required reference and reports whether it is worth
// looking up.
func requiredRef(v *ballast.ValidationError, field, id string) bool {
	if id == "" {
		v.Add(field, "is required")
		return false
	}
	return ref(v, field, id)
}

// date checks a date field.
func date(v *ballast.ValidationError, field string, d Date, required bool) {
	switch {
	case d.IsZero() && required:
		v.Add(field, "is required")
	case !d.valid():
		v.Add(field, "is not a real date")
	}
}

// period checks that end, when set, does not precede start.
func period(v *ballast.ValidationError, field string, start, end Date) {
	if !end.IsZero() && !start.IsZero() && end.Before(start) {
		v.Add(field, "is before the start")
	}
}

func email(v *ballast.ValidationError, field, s string) {
	if s == "" {
		return
	}
	if len(s) > maxEmail {
		v.Add(field, fmt.Sprintf("is longer than %d characters", maxEmail))
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		v.Add(field, "is not an email address")
	}
}

func phone(v *ballast.ValidationError, field, s string) {
	if s == "" {
		return
	}
	if len(s) > maxPhone {
		v.Add(field, fmt.Sprintf("is longer than %d characters", maxPhone))
		return
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-() ", r) {
			v.Add(field, "may hold only digits, spaces and + - ( )")
			return
		}
	}
}

func score(v *ballast.ValidationError, field string, f float64) {
	if math.IsNaN(f) || f < 0 || f > 100 {
		v.Add(field, "must be between 0 and 100")
	}
}

// missing adds "does not exist" for field when err is ErrNotFound and
// returns nil; any other error is returned (the lookup itself failed).
func missing(v *ballast.ValidationError, field string, err error) error {
	if errors.Is(err, ballast.ErrNotFound) {
		v.Add(field, "does not exist")
		return nil
	}
	return err
}

// cycle wraps a validation error naming the field that would close a loop
// so that it matches both ErrCycle and ballast.ErrInvalid.
func cycle(op string, v *ballast.ValidationError) error {
	return fmt.Errorf("hr: %s: %w: %w", op, ErrCycle, v)
}

func validStatus(s Status) bool       { return slices.Contains(Statuses, s) }
func validChannel(c HireChannel) bool { return slices.Contains(HireChannels, c) }
func validDirection(d string) bool    { return slices.Contains(directions, d) }

var directions = []string{DirectionManagement, DirectionTechnical, DirectionSales, DirectionOther}
