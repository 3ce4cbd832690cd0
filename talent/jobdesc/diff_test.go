package jobdesc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

func TestLineDiff_KeepsCommonLinesAndMarksTheRest(t *testing.T) {
	t.Parallel()
	L := func(op jobdesc.LineOp, text string) jobdesc.Line { return jobdesc.Line{Op: op, Text: text} }
	for _, tc := range []struct {
		name string
		a, b string
		want []jobdesc.Line
	}{
		{"equal", "a\nb", "a\nb", []jobdesc.Line{L("=", "a"), L("=", "b")}},
		{"from empty", "", "a\nb", []jobdesc.Line{L("+", "a"), L("+", "b")}},
		{"to empty", "a", "", []jobdesc.Line{L("-", "a")}},
		{"a line changed in the middle", "a\nb\nc", "a\nB\nc", []jobdesc.Line{L("=", "a"), L("-", "b"), L("+", "B"), L("=", "c")}},
		{"a line added and one removed", "a\nb\nc\nd", "a\nc\nd\ne",
			[]jobdesc.Line{L("=", "a"), L("-", "b"), L("=", "c"), L("=", "d"), L("+", "e")}},
		{"lines moved", "x\ny\nz", "z\nx\ny", []jobdesc.Line{L("+", "z"), L("=", "x"), L("=", "y"), L("-", "z")}},
		{"CRLF is a newline", "a\r\nb", "a\nb", []jobdesc.Line{L("=", "a"), L("=", "b")}},
	} {
		if diff := cmp.Diff(tc.want, jobdesc.LineDiff(tc.a, tc.b)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestCompare_ReportsSectionsAddedRemovedAndChanged(t *testing.T) {
	t.Parallel()
	base := jobdesc.Revision{DocumentID: "d", Number: 1, Title: "Sales supervisor", Sections: []jobdesc.Section{
		{Key: "duties", Kind: jobdesc.SectionDuties, Title: "Duties", Body: "Lead the team\nOwn the forecast"},
		{Key: "competencies", Kind: jobdesc.SectionCompetencies, Title: "Core competencies", Competencies: []jobdesc.Competency{
			{Name: "Negotiation", Level: 4}, {Name: "Leadership", Level: 3}, {Name: "Excel", Level: 2}}},
		{Key: "kpi", Kind: jobdesc.SectionFree, Title: "KPIs", Body: "Revenue +15%"},
	}}
	next := jobdesc.Revision{DocumentID: "d", Number: 2, Title: "Senior sales supervisor", Sections: []jobdesc.Section{
		{Key: "promotion_path", Kind: jobdesc.SectionPromotion, Title: "Promotion path", Body: "→ Sales manager"},
		{Key: "duties", Kind: jobdesc.SectionDuties, Title: "Duties", Body: "Lead the team\nOwn the forecast"},
		{Key: "competencies", Kind: jobdesc.SectionCompetencies, Title: "Competencies", Competencies: []jobdesc.Competency{
			{Name: "negotiation", Level: 5}, {Name: "Leadership", Level: 3}, {Name: "Strategy", Level: 3}}},
	}}
	d := jobdesc.Compare(base, next)
	if d.Title == nil || d.Title.Before != "Sales supervisor" || d.Title.After != "Senior sales supervisor" || d.PositionID != nil {
		t.Errorf("title %+v, position %+v", d.Title, d.PositionID)
	}
	type row struct {
		Key    string
		Change jobdesc.Change
	}
	var got []row
	for _, s := range d.Sections {
		got = append(got, row{s.Key, s.Change})
	}
	want := []row{{"promotion_path", jobdesc.Added}, {"competencies", jobdesc.Changed}, {"kpi", jobdesc.Removed}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"duties"}, d.Unchanged); diff != "" {
		t.Errorf("unchanged (-want +got):\n%s", diff)
	}
	comp := d.Sections[1]
	if comp.Title == nil || comp.Title.After != "Competencies" || comp.Lines != nil {
		t.Errorf("competencies title %+v, lines %+v", comp.Title, comp.Lines)
	}
	var cs []string
	for _, c := range comp.Competencies {
		cs = append(cs, c.Name+":"+string(c.Change))
	}
	if diff := cmp.Diff([]string{"negotiation:changed", "Strategy:added", "Excel:removed"}, cs); diff != "" {
		t.Errorf("competencies (-want +got):\n%s", diff)
	}
	if c := comp.Competencies[0]; c.Before.Level != 4 || c.After.Level != 5 {
		t.Errorf("negotiation level %d → %d, want 4 → 5", c.Before.Level, c.After.Level)
	}
	if d.Sections[0].After == nil || d.Sections[0].After.Body != "→ Sales manager" || d.Sections[2].Before.Body != "Revenue +15%" {
		t.Errorf("added/removed sections carry their texts: %+v", d.Sections)
	}
	if !jobdesc.Compare(base, base).Empty() {
		t.Error("a revision differs from itself")
	}
}

func TestDiff_BetweenKeptRevisionsOfADocument(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hr1 := e.as["hr1"]
		d := e.published(t)
		d, err := e.svc.NewRevision(hr1, d.ID, d.Version)
		must(t, err)
		secs := sections()
		secs[0].Body = "Lead the key-account team\nOwn the monthly forecast\nCoach new sales staff"
		secs = append(secs[:3], jobdesc.Section{Key: "travel", Kind: jobdesc.SectionFree, Title: "Travel", Body: "30% of the time"})
		d, err = e.svc.Edit(hr1, d.ID, jobdesc.EditParams{Title: "Sales supervisor", PositionID: e.position.ID, Sections: secs}, d.Version)
		must(t, err)
		got, err := e.svc.Diff(hr1, jobdesc.RevisionRef{DocumentID: d.ID, Number: 1}, jobdesc.RevisionRef{DocumentID: d.ID, Number: 2})
		must(t, err)
		var keys []string
		for _, s := range got.Sections {
			keys = append(keys, s.Key+":"+string(s.Change))
		}
		if diff := cmp.Diff([]string{"duties:changed", "travel:added", "kpi:removed"}, keys); diff != "" {
			t.Errorf("sections (-want +got):\n%s", diff)
		}
		want := []jobdesc.Line{{Op: "=", Text: "Lead the key-account team"}, {Op: "-", Text: "Own the quarterly forecast"},
			{Op: "+", Text: "Own the monthly forecast"}, {Op: "=", Text: "Coach new sales staff"}}
		if diff := cmp.Diff(want, got.Sections[0].Lines); diff != "" {
			t.Errorf("duties lines (-want +got):\n%s", diff)
		}
		// The draft revision 2 is not for department heads' eyes.
		_, err = e.svc.Diff(e.as["head"], jobdesc.RevisionRef{DocumentID: d.ID, Number: 1}, jobdesc.RevisionRef{DocumentID: d.ID, Number: 2})
		wantErr(t, "a head diffing a draft template revision", err, ballast.ErrNotFound)
		_, err = e.svc.Diff(hr1, jobdesc.RevisionRef{DocumentID: d.ID}, jobdesc.RevisionRef{DocumentID: d.ID, Number: 9})
		wantErr(t, "no from number", err, ballast.ErrInvalid)
		_, err = e.svc.Diff(hr1, jobdesc.RevisionRef{DocumentID: d.ID, Number: 1}, jobdesc.RevisionRef{DocumentID: d.ID, Number: 9})
		wantErr(t, "an unknown revision", err, ballast.ErrNotFound)
	})
}
