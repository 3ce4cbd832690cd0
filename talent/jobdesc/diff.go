package jobdesc

import (
	"context"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
)

// RevisionRef names one revision of one document.
type RevisionRef struct {
	DocumentID string `json:"document_id"`
	Number     int    `json:"number"`
}

// Change says how a section or competency differs between two revisions.
type Change string

// The changes a Diff reports.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// Diff is the structured difference between two revisions, From → To:
// the title and position when they differ, and every section added,
// removed or changed (sections are matched by Key; unchanged ones are
// listed in Unchanged).
type Diff struct {
	From       RevisionRef `json:"from"`
	To         RevisionRef `json:"to"`
	Title      *TextChange `json:"title,omitempty"`
	PositionID *TextChange `json:"position_id,omitempty"`
	// Sections lists the differing sections in To's order, then those
	// removed in From's order.
	Sections []SectionDiff `json:"sections"`
	// Unchanged are the keys of the sections equal in both.
	Unchanged []string `json:"unchanged"`
}

// Empty reports whether the two revisions have the same content.
func (d Diff) Empty() bool { return d.Title == nil && d.PositionID == nil && len(d.Sections) == 0 }

// TextChange is a value before and after.
type TextChange struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

// SectionDiff is one section that differs.
type SectionDiff struct {
	Key    string      `json:"key"`
	Kind   SectionKind `json:"kind"`
	Change Change      `json:"change"`
	// Before and After are the section's texts in From and To (nil where
	// it is absent).
	Before *Section `json:"before,omitempty"`
	After  *Section `json:"after,omitempty"`
	// Title is set when a changed section's title differs.
	Title *TextChange `json:"title,omitempty"`
	// Lines is the line diff of the body of a changed section (nil when
	// the bodies are equal): every line of both, in order, marked kept,
	// removed or added.
	Lines []Line `json:"lines,omitempty"`
	// Competencies lists the competencies added, removed or changed
	// (level or description), matched by name without regard to case.
	Competencies []CompetencyDiff `json:"competencies,omitempty"`
}

// LineOp marks a line of a line diff.
type LineOp string

// The marks of a line diff.
const (
	LineKept    LineOp = "="
	LineRemoved LineOp = "-"
	LineAdded   LineOp = "+"
)

// Line is one line of a line diff.
type Line struct {
	Op   LineOp `json:"op"`
	Text string `json:"text"`
}

// CompetencyDiff is one competency that differs.
type CompetencyDiff struct {
	Name   string      `json:"name"`
	Change Change      `json:"change"`
	Before *Competency `json:"before,omitempty"`
	After  *Competency `json:"after,omitempty"`
}

// Diff compares two revisions the principal may read: two revisions of
// one document, or of two (a department version against the template
// revision it derives from).
//
// Errors: ballast.ErrNotFound for a document or revision the principal
// cannot see; a *ballast.ValidationError for a missing revision number.
func (s *Service) Diff(ctx context.Context, from, to RevisionRef) (Diff, error) {
	d, err := func() (Diff, error) {
		var v ballast.ValidationError
		if from.Number <= 0 {
			v.Add("from.number", "must be a revision number")
		}
		if to.Number <= 0 {
			v.Add("to.number", "must be a revision number")
		}
		if err := v.Err(); err != nil {
			return Diff{}, err
		}
		a, err := s.Revision(ctx, from.DocumentID, from.Number)
		if err != nil {
			return Diff{}, err
		}
		b, err := s.Revision(ctx, to.DocumentID, to.Number)
		if err != nil {
			return Diff{}, err
		}
		return Compare(a, b), nil
	}()
	if err != nil {
		return Diff{}, fmt.Errorf("jobdesc: diff: %w", err)
	}
	return d, nil
}

// Compare returns the Diff from a to b. It reads nothing and checks
// nothing: hosts can use it on revisions they hold.
func Compare(a, b Revision) Diff {
	d := Diff{From: RevisionRef{a.DocumentID, a.Number}, To: RevisionRef{b.DocumentID, b.Number},
		Sections: []SectionDiff{}, Unchanged: []string{}}
	if a.Title != b.Title {
		d.Title = &TextChange{a.Title, b.Title}
	}
	if a.PositionID != b.PositionID {
		d.PositionID = &TextChange{a.PositionID, b.PositionID}
	}
	for _, sb := range b.Sections {
		sa, ok := a.Section(sb.Key)
		if !ok {
			after := sb
			d.Sections = append(d.Sections, SectionDiff{Key: sb.Key, Kind: sb.Kind, Change: Added, After: &after})
			continue
		}
		if sd, same := compareSection(sa, sb); !same {
			d.Sections = append(d.Sections, sd)
		} else {
			d.Unchanged = append(d.Unchanged, sb.Key)
		}
	}
	for _, sa := range a.Sections {
		if _, ok := b.Section(sa.Key); !ok {
			before := sa
			d.Sections = append(d.Sections, SectionDiff{Key: sa.Key, Kind: sa.Kind, Change: Removed, Before: &before})
		}
	}
	return d
}

// compareSection compares two sections with the same key.
func compareSection(a, b Section) (SectionDiff, bool) {
	sd := SectionDiff{Key: b.Key, Kind: b.Kind, Change: Changed, Before: &a, After: &b}
	same := a.Kind == b.Kind
	if a.Title != b.Title {
		sd.Title, same = &TextChange{a.Title, b.Title}, false
	}
	if a.Body != b.Body {
		sd.Lines, same = LineDiff(a.Body, b.Body), false
	}
	byName := func(cs []Competency) (map[string]Competency, []string) {
		m := map[string]Competency{}
		var order []string
		for _, c := range cs {
			k := strings.ToLower(c.Name)
			m[k] = c
			order = append(order, k)
		}
		return m, order
	}
	ma, oa := byName(a.Competencies)
	mb, ob := byName(b.Competencies)
	for _, k := range ob {
		cb := mb[k]
		ca, ok := ma[k]
		switch {
		case !ok:
			sd.Competencies = append(sd.Competencies, CompetencyDiff{Name: cb.Name, Change: Added, After: &cb})
		case ca != cb:
			sd.Competencies = append(sd.Competencies, CompetencyDiff{Name: cb.Name, Change: Changed, Before: &ca, After: &cb})
		}
	}
	for _, k := range oa {
		if _, ok := mb[k]; !ok {
			ca := ma[k]
			sd.Competencies = append(sd.Competencies, CompetencyDiff{Name: ca.Name, Change: Removed, Before: &ca})
		}
	}
	if len(sd.Competencies) > 0 {
		same = false
	}
	return sd, same
}

// maxDiffCells bounds the work of LineDiff's table; beyond it the middle
// of the texts is reported as removed and added as a whole.
const maxDiffCells = 4_000_000

// LineDiff returns the line diff of a and b: a longest common subsequence
// of their lines kept, the rest removed (from a) or added (from b), in
// order. Texts whose differing middles exceed maxDiffCells line pairs
// report that middle as wholly removed, then added.
func LineDiff(a, b string) []Line {
	la, lb := splitLines(a), splitLines(b)
	var out []Line
	// Common prefix and suffix need no table.
	p := 0
	for p < len(la) && p < len(lb) && la[p] == lb[p] {
		p++
	}
	q := 0
	for q < len(la)-p && q < len(lb)-p && la[len(la)-1-q] == lb[len(lb)-1-q] {
		q++
	}
	for _, l := range la[:p] {
		out = append(out, Line{LineKept, l})
	}
	ma, mb := la[p:len(la)-q], lb[p:len(lb)-q]
	if len(ma)*len(mb) > maxDiffCells {
		for _, l := range ma {
			out = append(out, Line{LineRemoved, l})
		}
		for _, l := range mb {
			out = append(out, Line{LineAdded, l})
		}
	} else {
		out = append(out, lcs(ma, mb)...)
	}
	for _, l := range la[len(la)-q:] {
		out = append(out, Line{LineKept, l})
	}
	return out
}

// splitLines splits s into lines (none for an empty s).
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// lcs diffs a and b through the table of longest common suffixes.
func lcs(a, b []string) []Line {
	n, m := len(a), len(b)
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var out []Line
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, Line{LineKept, a[i]})
			i, j = i+1, j+1
		case t[i+1][j] >= t[i][j+1]:
			out = append(out, Line{LineRemoved, a[i]})
			i++
		default:
			out = append(out, Line{LineAdded, b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Line{LineRemoved, a[i]})
	}
	for ; j < m; j++ {
		out = append(out, Line{LineAdded, b[j]})
	}
	return out
}
