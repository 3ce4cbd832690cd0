package channel

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// line checks a one-line text field: required, at most max characters,
// valid UTF-8, no control characters.
func line(v *ballast.ValidationError, field, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case !utf8.ValidString(s):
		v.Add(field, "is not valid utf-8")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("is longer than %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		v.Add(field, "contains control characters")
	}
}

// document checks a multi-line text field: required, at most max
// characters, valid UTF-8, no control characters but tab and line breaks.
func document(v *ballast.ValidationError, field, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case !utf8.ValidString(s):
		v.Add(field, "is not valid utf-8")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("is longer than %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f
	}):
		v.Add(field, "contains control characters")
	}
}

// checkID validates a required id argument.
func checkID(field, id string) error { return ballast.CheckID(field, id) }

// pageLimit validates a page size and applies the default.
func pageLimit(v *ballast.ValidationError, limit int) int {
	if limit < 0 || limit > MaxPageSize {
		v.Add("limit", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
		return DefaultPageSize
	}
	if limit == 0 {
		return DefaultPageSize
	}
	return limit
}

// encodeCursor and decodeCursor carry a listing's position: a sort key
// (an instant or a day) and an ID.
// trimPage cuts a store result fetched with limit+1 rows to limit and, when
// there was more, returns the cursor of the page's last row (key gives its
// sort key and ID). The page is never nil, so it encodes as [].
func trimPage[T any](rows []T, limit int, key func(T) (string, string)) ([]T, string) {
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = encodeCursor(key(rows[limit-1]))
	}
	if rows == nil {
		rows = []T{}
	}
	return rows, next
}

func encodeCursor(key, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "\x00" + id))
}

func decodeCursor(v *ballast.ValidationError, c string) (key, id string) {
	if c == "" {
		return "", ""
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		var ok bool
		key, id, ok = strings.Cut(string(b), "\x00")
		if ok && ballast.ValidID(id) {
			return key, id
		}
	}
	v.Add("cursor", "is not a cursor of this listing")
	return "", ""
}

func timeCursor(v *ballast.ValidationError, c string) (time.Time, string) {
	key, id := decodeCursor(v, c)
	if id == "" {
		return time.Time{}, ""
	}
	t, err := time.Parse(time.RFC3339Nano, key)
	if err != nil {
		v.Add("cursor", "is not a cursor of this listing")
		return time.Time{}, ""
	}
	return t, id
}

// uniqueIDs validates a list of IDs: 1..MaxAudienceIDs well-formed,
// distinct IDs. It returns, per entry, whether it is worth looking up.
func uniqueIDs(v *ballast.ValidationError, field string, ids []string) []bool {
	if len(ids) == 0 {
		v.Add(field, "is required")
		return nil
	}
	if len(ids) > MaxAudienceIDs {
		v.Add(field, fmt.Sprintf("has more than %d entries", MaxAudienceIDs))
		return nil
	}
	lookup := make([]bool, len(ids))
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		switch {
		case !ballast.ValidID(id):
			v.Add(fmt.Sprintf("%s[%d]", field, i), "is not a valid id")
		case seen[id]:
			v.Add(fmt.Sprintf("%s[%d]", field, i), "is listed twice")
		default:
			lookup[i] = true
		}
		seen[id] = true
	}
	return lookup
}
