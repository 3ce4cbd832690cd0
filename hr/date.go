package hr

import (
	"fmt"
	"time"
)

// Date is a calendar day without a time or a zone: a hire date, a last
// working day. It is read in the tenant's time zone (Tenant.TimeZone) when
// compared with an instant. The zero Date means "not set".
//
// Date marshals to and from JSON and text as "2006-01-02" ("" when zero).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is how a Date is written in text, CSV and the database.
const dateLayout = "2006-01-02"

// NewDate returns the Date y-m-d. It does not normalise: pass a real day.
func NewDate(y int, m time.Month, d int) Date { return Date{Year: y, Month: m, Day: d} }

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses "2006-01-02". An empty string gives the zero Date and no
// error; anything else malformed gives an error.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("hr: date %q is not YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "2006-01-02", or "" when d is zero.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// valid reports whether d is zero or a real calendar day.
func (d Date) valid() bool {
	if d.IsZero() {
		return true
	}
	if d.Year < 1900 || d.Year > 9999 {
		return false
	}
	return DateOf(d.In(time.UTC)) == d
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o; it
// suits slices.SortFunc.
func (d Date) Compare(o Date) int { return d.compare(o) }

func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText writes d as "2006-01-02" (empty when zero).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02" (empty means zero).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
