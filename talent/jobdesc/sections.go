package jobdesc

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// Limits on what people write, in characters.
const (
	MaxTitleLen        = 200
	MaxKeyLen          = 40
	MaxBodyLen         = 20000
	MaxSections        = 30
	MaxCompetencies    = 50
	MaxCompetencyLen   = 100
	MaxDescriptionLen  = 1000
	MaxNoteLen         = 4000
	MaxCommentLen      = 4000
	MaxApprovers       = 20
	MaxQuoteLen        = 1000
	maxSectionTitleLen = MaxTitleLen
)

// fixedKinds are the kinds of which a revision has at most one, keyed by
// the kind's name.
var fixedKinds = map[SectionKind]bool{SectionDuties: true, SectionCompetencies: true, SectionPromotion: true}

// validKey reports whether k is a free section's key: 1 to MaxKeyLen of
// a–z, 0–9, '-' and '_'.
func validKey(k string) bool {
	if k == "" || len(k) > MaxKeyLen {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// checkText adds a field error when text (already trimmed) is empty while
// required, longer than max characters, or not valid UTF-8.
func checkText(v *ballast.ValidationError, field, text string, required bool, max int) {
	switch {
	case !utf8.ValidString(text):
		v.Add(field, "is not valid UTF-8")
	case text == "" && required:
		v.Add(field, "is required")
	case utf8.RuneCountInString(text) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// normalizeSections trims the texts of ss in place, fills the keys and
// titles of fixed kinds, and adds an error for each bad field under
// prefix ("sections").
func normalizeSections(v *ballast.ValidationError, prefix string, ss []Section) {
	if len(ss) > MaxSections {
		v.Add(prefix, fmt.Sprintf("must have at most %d sections", MaxSections))
		return
	}
	seen := map[string]bool{}
	for i := range ss {
		normalizeSection(v, fmt.Sprintf("%s[%d]", prefix, i), &ss[i])
		if k := ss[i].Key; k != "" {
			if seen[k] {
				v.Add(fmt.Sprintf("%s[%d].key", prefix, i), fmt.Sprintf("%q appears twice", k))
			}
			seen[k] = true
		}
	}
}

// normalizeSection checks one section (see normalizeSections).
func normalizeSection(v *ballast.ValidationError, field string, s *Section) {
	s.Key, s.Title, s.Body = strings.TrimSpace(s.Key), strings.TrimSpace(s.Title), strings.TrimSpace(s.Body)
	switch {
	case fixedKinds[s.Kind]:
		if s.Key == "" {
			s.Key = string(s.Kind)
		} else if s.Key != string(s.Kind) {
			v.Add(field+".key", fmt.Sprintf("must be %q for a %s section", s.Kind, s.Kind))
		}
		if s.Title == "" {
			s.Title = defaultTitles[s.Kind]
		}
	case s.Kind == SectionFree:
		if !validKey(s.Key) || fixedKinds[SectionKind(s.Key)] {
			v.Add(field+".key", fmt.Sprintf("must be 1 to %d characters of a-z, 0-9, '-' and '_', and not a reserved kind name", MaxKeyLen))
		}
	default:
		v.Add(field+".kind", fmt.Sprintf("unknown section kind %q (duties, competencies, promotion_path or free)", s.Kind))
	}
	checkText(v, field+".title", s.Title, true, maxSectionTitleLen)
	checkText(v, field+".body", s.Body, false, MaxBodyLen)
	if s.Kind != SectionCompetencies {
		if len(s.Competencies) > 0 {
			v.Add(field+".competencies", "only a competencies section lists competencies")
		}
		return
	}
	if len(s.Competencies) > MaxCompetencies {
		v.Add(field+".competencies", fmt.Sprintf("must have at most %d competencies", MaxCompetencies))
		return
	}
	names := map[string]bool{}
	for j := range s.Competencies {
		c := &s.Competencies[j]
		cf := fmt.Sprintf("%s.competencies[%d]", field, j)
		c.Name, c.Description = strings.TrimSpace(c.Name), strings.TrimSpace(c.Description)
		checkText(v, cf+".name", c.Name, true, MaxCompetencyLen)
		if k := strings.ToLower(c.Name); c.Name != "" {
			if names[k] {
				v.Add(cf+".name", fmt.Sprintf("%q appears twice", c.Name))
			}
			names[k] = true
		}
		if c.Level < MinLevel || c.Level > MaxLevel {
			v.Add(cf+".level", fmt.Sprintf("must be %d to %d", MinLevel, MaxLevel))
		}
		checkText(v, cf+".description", c.Description, false, MaxDescriptionLen)
	}
}

// defaultTitles are the titles fixed sections get when none is given.
var defaultTitles = map[SectionKind]string{
	SectionDuties:       "Duties",
	SectionCompetencies: "Core competencies",
	SectionPromotion:    "Promotion path",
}

// cloneSections returns a deep copy of ss.
func cloneSections(ss []Section) []Section {
	out := make([]Section, len(ss))
	for i, s := range ss {
		s.Competencies = append([]Competency(nil), s.Competencies...)
		out[i] = s
	}
	return out
}
