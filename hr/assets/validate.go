package assets

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Field limits, in characters.
const (
	maxName  = 200
	maxModel = 200
	maxTag   = 100
	maxNotes = 2000
)

// text adds a field error when s is required and blank, too long, not
// UTF-8 or holds control characters other than newlines and tabs.
func text(v *ballast.ValidationError, field, s string, required bool, max int) {
	switch {
	case strings.TrimSpace(s) == "" && required:
		v.Add(field, "is required")
	case !utf8.ValidString(s):
		v.Add(field, "is not valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' && r != '\r' }):
		v.Add(field, "must not contain control characters")
	}
}

// date adds a field error when d is not a real day (or is zero and required).
func date(v *ballast.ValidationError, field string, d hr.Date, required bool) {
	switch {
	case d.IsZero() && required:
		v.Add(field, "is required")
	case !d.IsZero() && (d.Year < 1900 || d.Year > 9999 || hr.DateOf(d.In(time.UTC)) != d):
		v.Add(field, "is not a real day")
	}
}

// normalize trims p and validates it. current is the asset's condition on
// Update (it may stay ConditionMissing), empty on Register.
func (p Params) normalize(current Condition) (Params, error) {
	p.Name, p.Model, p.Tag, p.Notes = strings.TrimSpace(p.Name), strings.TrimSpace(p.Model), strings.TrimSpace(p.Tag), strings.TrimSpace(p.Notes)
	if p.Condition == "" && current == "" {
		p.Condition = ConditionNew
	}
	var v ballast.ValidationError
	if !p.Kind.Valid() {
		v.Add("kind", "is not a known kind")
	}
	text(&v, "name", p.Name, true, maxName)
	text(&v, "model", p.Model, false, maxModel)
	text(&v, "tag", p.Tag, false, maxTag)
	text(&v, "notes", p.Notes, false, maxNotes)
	switch {
	case !p.Condition.Valid():
		v.Add("condition", "is not a known condition")
	case p.Condition == ConditionMissing && current != ConditionMissing:
		v.Add("condition", "may be set to missing only by marking the asset missing")
	}
	return p, v.Err()
}

// query validates f and turns it into the store's query.
func (f Filter) query(scope Scope) (Query, error) {
	var v ballast.ValidationError
	if f.Holder != "" && !ballast.ValidID(f.Holder) {
		v.Add("holder", "is not a valid id")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "is not a known kind")
	}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "is not a known status")
	}
	text(&v, "query", f.Query, false, maxName)
	if f.Limit < 0 || f.Limit > MaxPageSize {
		v.Add("limit", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
	}
	q := Query{Scope: scope, Holder: f.Holder, Kind: f.Kind, Status: f.Status,
		Query: strings.TrimSpace(f.Query), Limit: f.Limit}
	if q.Limit == 0 {
		q.Limit = DefaultPageSize
	}
	if f.Cursor != "" {
		name, id, ok := decodeCursor(f.Cursor)
		if !ok {
			v.Add("cursor", "is not a cursor of this listing")
		}
		q.AfterName, q.AfterID = name, id
	}
	return q, v.Err()
}

func encodeCursor(name, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name + "\x00" + id))
}

func decodeCursor(c string) (name, id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	name, id, ok = strings.Cut(string(b), "\x00")
	if !ok || !ballast.ValidID(id) {
		return "", "", false
	}
	return name, id, true
}
