package jobdesc_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

func TestApprovalFlow_TemplateIsReviewedPublishedAndDerived(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hr1, hr2, head := e.as["hr1"], e.as["hr2"], e.as["head"]
		d := e.template(t, e.boss.ID)
		if d.Status != jobdesc.StatusDraft || d.Latest != 1 || d.Revision == nil || len(d.Revision.Sections) != 4 {
			t.Fatalf("created = %+v", d)
		}
		if got := d.Revision.Sections[0]; got.Key != "duties" || got.Title != "Duties" {
			t.Errorf("a duties section gets its key and title: %+v", got)
		}
		// A department head cannot derive from a template not published.
		_, err := e.svc.Derive(head, jobdesc.DeriveParams{TemplateID: d.ID, DepartmentID: e.sales.ID})
		wantErr(t, "deriving from a draft template", err, jobdesc.ErrNotPublished)

		d, err = e.svc.Submit(hr1, d.ID, "first cut", d.Version)
		must(t, err)
		if d.Status != jobdesc.StatusInReview || d.Revision.Round != 1 || d.Revision.SubmittedBy != e.hr1.ID {
			t.Errorf("submitted = %+v / %+v", d, d.Revision)
		}
		// The designated approver (and the owner, who submitted) are told.
		if diff := cmp.Diff([]string{jobdesc.KindSubmitted + "/" + d.ID + "/1/1/" + e.boss.ID}, e.messages(t, jobdesc.KindSubmitted)); diff != "" {
			t.Errorf("submission notices (-want +got):\n%s", diff)
		}
		// The designated approver, a plain employee, approves.
		d, err = e.svc.Approve(e.as["boss"], d.ID, "good", d.Version)
		must(t, err)
		if d.Status != jobdesc.StatusApproved || d.Approved != 1 || d.Revision.DecidedBy != e.boss.ID {
			t.Errorf("approved = %+v / %+v", d, d.Revision)
		}
		if diff := cmp.Diff([]string{jobdesc.KindApproved + "/" + d.ID + "/1/1/" + e.hr1.ID}, e.messages(t, jobdesc.KindApproved)); diff != "" {
			t.Errorf("approval notices (-want +got):\n%s", diff)
		}
		// Only HR publishes.
		_, err = e.svc.Publish(e.as["boss"], d.ID, 0, d.Version)
		wantErr(t, "the approver publishing", err, ballast.ErrForbidden)
		d, err = e.svc.Publish(hr2, d.ID, 0, d.Version)
		must(t, err)
		if d.Published != 1 || d.PublishedAt.IsZero() {
			t.Errorf("published = %+v", d)
		}

		// The head derives a version for Sales/East (below Sales).
		v, err := e.svc.Derive(head, jobdesc.DeriveParams{TemplateID: d.ID, DepartmentID: e.east.ID, Title: "East sales supervisor"})
		must(t, err)
		if v.Kind != jobdesc.KindDepartment || v.SourceID != d.ID || v.SourceRevision != 1 || v.OwnerID != e.head.ID ||
			v.Title != "East sales supervisor" || v.PositionID != e.position.ID {
			t.Errorf("derived = %+v", v)
		}
		if diff := cmp.Diff(d.Revision.Sections, v.Revision.Sections); diff != "" {
			t.Errorf("the derived sections copy the published revision (-want +got):\n%s", diff)
		}
		v, err = e.svc.EditSection(head, v.ID, "duties", jobdesc.SectionParams{Title: "Duties",
			Body: "Lead the key-account team\nOwn the quarterly forecast for East\nCoach new sales staff"}, v.Version)
		must(t, err)
		v, err = e.svc.Submit(head, v.ID, "", v.Version)
		must(t, err)
		// Reviewers of a department version: the template's owner (no
		// approvers designated).
		if diff := cmp.Diff([]string{
			jobdesc.KindSubmitted + "/" + d.ID + "/1/1/" + e.boss.ID,
			jobdesc.KindSubmitted + "/" + v.ID + "/1/1/" + e.hr1.ID,
		}, e.messages(t, jobdesc.KindSubmitted)); diff != "" {
			t.Errorf("submission notices (-want +got):\n%s", diff)
		}
		// The head edited it: it is not theirs to approve, HR approves.
		_, err = e.svc.Approve(head, v.ID, "", v.Version)
		wantErr(t, "the head approving", err, ballast.ErrForbidden)
		v, err = e.svc.Approve(hr2, v.ID, "", v.Version)
		must(t, err)
		if v.Status != jobdesc.StatusApproved || v.Approved != 1 {
			t.Errorf("approved version = %+v", v)
		}
		// Publishing is for templates only.
		_, err = e.svc.Publish(hr2, v.ID, 0, v.Version)
		wantErr(t, "publishing a department version", err, ballast.ErrInvalid)

		// Every step is on the audit chain.
		if diff := cmp.Diff([]string{jobdesc.ActionCreate, jobdesc.ActionSubmit, jobdesc.ActionApprove, jobdesc.ActionPublish},
			e.audits(t, d.ID)); diff != "" {
			t.Errorf("template audit (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{jobdesc.ActionDerive, jobdesc.ActionEdit, jobdesc.ActionSubmit, jobdesc.ActionApprove},
			e.audits(t, v.ID)); diff != "" {
			t.Errorf("version audit (-want +got):\n%s", diff)
		}

		// A second template revision: published, it tells the head whose
		// version derives from revision 1.
		d, err = e.svc.NewRevision(hr1, d.ID, d.Version)
		must(t, err)
		d, err = e.svc.EditSection(hr1, d.ID, "competencies", jobdesc.SectionParams{Competencies: []jobdesc.Competency{
			{Name: "Client negotiation", Level: 5}, {Name: "Team leadership", Level: 3}}}, d.Version)
		must(t, err)
		d, err = e.svc.Submit(hr1, d.ID, "", d.Version)
		must(t, err)
		d, err = e.svc.Approve(hr2, d.ID, "", d.Version)
		must(t, err)
		// Until published, department heads still see revision 1.
		seen, err := e.svc.Document(head, d.ID)
		must(t, err)
		if seen.Revision.Number != 1 {
			t.Errorf("the head sees revision %d before publication, want 1", seen.Revision.Number)
		}
		d, err = e.svc.Publish(hr2, d.ID, 2, d.Version)
		must(t, err)
		if diff := cmp.Diff([]string{jobdesc.KindPublished + "/" + d.ID + "/2/" + e.head.ID}, e.messages(t, jobdesc.KindPublished)); diff != "" {
			t.Errorf("publication notices (-want +got):\n%s", diff)
		}
		seen, err = e.svc.Document(head, d.ID)
		must(t, err)
		if seen.Revision.Number != 2 {
			t.Errorf("the head sees revision %d after publication, want 2", seen.Revision.Number)
		}
		// The head diffs their version against the new template revision.
		diff, err := e.svc.Diff(head, jobdesc.RevisionRef{DocumentID: v.ID, Number: 1}, jobdesc.RevisionRef{DocumentID: d.ID, Number: 2})
		must(t, err)
		var keys []string
		for _, s := range diff.Sections {
			keys = append(keys, s.Key)
		}
		if c := cmp.Diff([]string{"duties", "competencies"}, keys); c != "" || diff.Title == nil {
			t.Errorf("version → template r2 differs in (-want +got):\n%s (title %v)", c, diff.Title)
		}
	})
}

func TestRequestChanges_SendsTheRevisionBackUntilResubmitted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hr1, hr2 := e.as["hr1"], e.as["hr2"]
		d := e.template(t)
		d, err := e.svc.Submit(hr1, d.ID, "", d.Version)
		must(t, err)
		before := e.count(t)
		_, err = e.svc.RequestChanges(hr2, d.ID, "  ", d.Version)
		if diff := cmp.Diff([]string{"note"}, fields(err)); diff != "" {
			t.Errorf("a request without a note: %v", err)
		}
		if after := e.count(t); after != before {
			t.Errorf("a refused request changed counts %v → %v", before, after)
		}
		d, err = e.svc.RequestChanges(hr2, d.ID, "add the East region to the KPIs", d.Version)
		must(t, err)
		if d.Status != jobdesc.StatusChangesRequested || d.Revision.Note != "add the East region to the KPIs" {
			t.Errorf("sent back = %+v / %+v", d, d.Revision)
		}
		if diff := cmp.Diff([]string{jobdesc.KindChangesRequested + "/" + d.ID + "/1/1/" + e.hr1.ID},
			e.messages(t, jobdesc.KindChangesRequested)); diff != "" {
			t.Errorf("changes-requested notices (-want +got):\n%s", diff)
		}
		// Approving a revision sent back is the wrong step.
		_, err = e.svc.Approve(hr2, d.ID, "", d.Version)
		wantErr(t, "approving a revision sent back", err, jobdesc.ErrWrongStatus)
		// An edit puts it back to draft; hr2 edits too, so hr2 may no
		// longer approve it.
		d, err = e.svc.EditSection(hr2, d.ID, "kpi", jobdesc.SectionParams{Title: "KPIs",
			Body: "Revenue growth 15%\nKey-account retention 90%\nEast region coverage"}, d.Version)
		must(t, err)
		if d.Status != jobdesc.StatusDraft || !cmp.Equal(d.Revision.Editors, []string{e.hr1.ID, e.hr2.ID}) {
			t.Errorf("edited = %s, editors %v", d.Status, d.Revision.Editors)
		}
		d, err = e.svc.Submit(hr1, d.ID, "", d.Version)
		must(t, err)
		if d.Revision.Round != 2 {
			t.Errorf("round = %d, want 2", d.Revision.Round)
		}
		_, err = e.svc.Approve(hr2, d.ID, "", d.Version)
		wantErr(t, "approving after editing", err, jobdesc.ErrOwnChange)
		_, err = e.svc.Approve(hr1, d.ID, "", d.Version)
		wantErr(t, "approving one's own revision", err, jobdesc.ErrOwnChange)
		wantErr(t, "ErrOwnChange is forbidden", jobdesc.ErrOwnChange, ballast.ErrForbidden)
		// A designated approver added now may.
		d, err = e.svc.SetApprovers(hr1, d.ID, []string{e.boss.ID}, d.Version)
		must(t, err)
		d, err = e.svc.Approve(e.as["boss"], d.ID, "", d.Version)
		must(t, err)
		if d.Status != jobdesc.StatusApproved {
			t.Errorf("status = %s", d.Status)
		}
		if diff := cmp.Diff([]string{jobdesc.ActionCreate, jobdesc.ActionSubmit, jobdesc.ActionRequestChanges, jobdesc.ActionEdit,
			jobdesc.ActionSubmit, jobdesc.ActionApprovers, jobdesc.ActionApprove}, e.audits(t, d.ID)); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
	})
}

func TestEdit_ApprovedRevisionIsFrozenUntilANewOneStarts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hr1 := e.as["hr1"]
		d := e.template(t)
		d, err := e.svc.Submit(hr1, d.ID, "", d.Version)
		must(t, err)
		edit := jobdesc.EditParams{Title: "Sales supervisor (2027)", Sections: sections()}
		before := e.count(t)
		_, err = e.svc.Edit(hr1, d.ID, edit, d.Version)
		wantErr(t, "editing a revision in review", err, jobdesc.ErrInReview)
		_, err = e.svc.Submit(hr1, d.ID, "", d.Version)
		wantErr(t, "submitting twice", err, jobdesc.ErrInReview)
		d, err = e.svc.Approve(e.as["hr2"], d.ID, "", d.Version)
		must(t, err)
		before = e.count(t)
		for name, call := range map[string]func() error{
			"edit": func() error { _, err := e.svc.Edit(hr1, d.ID, edit, d.Version); return err },
			"edit section": func() error {
				_, err := e.svc.EditSection(hr1, d.ID, "duties", jobdesc.SectionParams{Title: "Duties", Body: "x"}, d.Version)
				return err
			},
			"submit": func() error { _, err := e.svc.Submit(hr1, d.ID, "", d.Version); return err },
		} {
			wantErr(t, name+" of an approved revision", call(), jobdesc.ErrApproved)
		}
		if after := e.count(t); after != before {
			t.Errorf("refused edits changed counts %v → %v", before, after)
		}
		_, err = e.svc.NewRevision(hr1, d.ID, d.Version-1)
		wantErr(t, "a stale new revision", err, ballast.ErrConflict)
		d, err = e.svc.NewRevision(hr1, d.ID, d.Version)
		must(t, err)
		if d.Latest != 2 || d.Status != jobdesc.StatusDraft || d.Approved != 1 || d.Revision.Base != 1 {
			t.Errorf("new revision = %+v", d)
		}
		_, err = e.svc.NewRevision(hr1, d.ID, d.Version)
		wantErr(t, "a new revision while a draft is open", err, jobdesc.ErrWrongStatus)
		d, err = e.svc.Edit(hr1, d.ID, edit, d.Version)
		must(t, err)
		_, err = e.svc.Edit(hr1, d.ID, edit, d.Version-1)
		wantErr(t, "a stale edit", err, ballast.ErrConflict)
		// Both revisions are kept; revision 1 is as approved.
		rs, err := e.svc.Revisions(hr1, d.ID)
		must(t, err)
		if len(rs) != 2 || rs[0].Title != "Sales supervisor" || rs[0].Status != jobdesc.StatusApproved ||
			rs[1].Title != "Sales supervisor (2027)" || rs[1].Status != jobdesc.StatusDraft {
			t.Errorf("revisions = %+v", rs)
		}
	})
}

func TestEdit_RefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hr1 := e.as["hr1"]
		d := e.template(t)
		before := e.count(t)
		with := func(mod func(*jobdesc.EditParams)) jobdesc.EditParams {
			p := jobdesc.EditParams{Title: "Sales supervisor", Sections: sections()}
			mod(&p)
			return p
		}
		for _, tc := range []struct {
			name   string
			p      jobdesc.EditParams
			fields []string
		}{
			{"empty title", with(func(p *jobdesc.EditParams) { p.Title = "  " }), []string{"title"}},
			{"unknown section kind", with(func(p *jobdesc.EditParams) { p.Sections[3].Kind = "salary" }), []string{"sections[3].kind"}},
			{"two duties sections", with(func(p *jobdesc.EditParams) { p.Sections[3] = jobdesc.Section{Kind: jobdesc.SectionDuties} }),
				[]string{"sections[3].key"}},
			{"a fixed section under another key", with(func(p *jobdesc.EditParams) { p.Sections[0].Key = "tasks" }), []string{"sections[0].key"}},
			{"a free section without a key", with(func(p *jobdesc.EditParams) { p.Sections[3].Key = "" }), []string{"sections[3].key"}},
			{"a free section with a reserved key", with(func(p *jobdesc.EditParams) { p.Sections[3].Key = "duties" }),
				[]string{"sections[3].key", "sections[3].key"}},
			{"a free section without a title", with(func(p *jobdesc.EditParams) { p.Sections[3].Title = "" }), []string{"sections[3].title"}},
			{"levels outside 1-5 and a duplicate name", with(func(p *jobdesc.EditParams) {
				p.Sections[1].Competencies = []jobdesc.Competency{{Name: "A", Level: 0}, {Name: "B", Level: 6}, {Name: "a", Level: 3}, {Level: 2}}
			}), []string{"sections[1].competencies[0].level", "sections[1].competencies[1].level", "sections[1].competencies[2].name",
				"sections[1].competencies[3].name"}},
			{"competencies outside a competencies section", with(func(p *jobdesc.EditParams) {
				p.Sections[0].Competencies = []jobdesc.Competency{{Name: "A", Level: 3}}
			}), []string{"sections[0].competencies"}},
			{"unknown position", with(func(p *jobdesc.EditParams) { p.PositionID = ballast.NewID() }), []string{"position_id"}},
			{"several at once", with(func(p *jobdesc.EditParams) { p.Title = ""; p.Sections[2].Kind = "x" }), []string{"sections[2].kind", "sections[2].title", "title"}},
		} {
			_, err := e.svc.Edit(hr1, d.ID, tc.p, d.Version)
			wantErr(t, tc.name, err, ballast.ErrInvalid)
			if diff := cmp.Diff(tc.fields, fields(err)); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tc.name, diff)
			}
		}
		_, err := e.svc.EditSection(hr1, d.ID, "salary", jobdesc.SectionParams{Title: "Salary"}, d.Version)
		wantErr(t, "editing an unknown section", err, jobdesc.ErrUnknownSection)
		_, err = e.svc.EditSection(hr1, d.ID, "duties", jobdesc.SectionParams{Title: ""}, d.Version)
		// A fixed section keeps its default title when none is given.
		must(t, err)
		d, err = e.svc.Document(hr1, d.ID)
		must(t, err)
		before = e.count(t)
		_, err = e.svc.CreateTemplate(hr1, jobdesc.CreateParams{Title: "", Sections: []jobdesc.Section{{Kind: "x"}},
			Approvers: []string{"nobody", ballast.NewID()}})
		if diff := cmp.Diff([]string{"approvers[0]", "sections[0].kind", "sections[0].title", "title"}, fields(err)); diff != "" {
			t.Errorf("create with bad fields (-want +got):\n%s\n%v", diff, err)
		}
		_, err = e.svc.CreateTemplate(hr1, jobdesc.CreateParams{Title: "X", Approvers: []string{ballast.NewID()}})
		if diff := cmp.Diff([]string{"approvers[0]"}, fields(err)); diff != "" {
			t.Errorf("create with an unknown approver (-want +got):\n%s", diff)
		}
		_, err = e.svc.CreateTemplate(e.as["head"], jobdesc.CreateParams{Title: "X"})
		wantErr(t, "a head creating a template", err, ballast.ErrForbidden)
		_, err = e.svc.CreateTemplate(context.Background(), jobdesc.CreateParams{Title: "X"})
		wantErr(t, "no principal", err, ballast.ErrUnauthenticated)
		if after := e.count(t); after != before {
			t.Errorf("refused calls changed counts %v → %v", before, after)
		}
	})
}

func TestEdit_ConcurrentChangesAtOneVersionLetExactlyOneThrough(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.template(t)
		const n = 4
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, err := e.svc.EditSection(e.as["hr1"], d.ID, "kpi", jobdesc.SectionParams{Title: "KPIs",
					Body: fmt.Sprintf("Revenue growth %d%%", 10+i)}, d.Version)
				errs <- err
			}()
		}
		ok := 0
		for range n {
			if err := <-errs; err == nil {
				ok++
			} else if !errors.Is(err, ballast.ErrConflict) {
				t.Errorf("a losing edit: %v, want a conflict", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d edits went through at version %d, want 1", ok, d.Version)
		}
		got, err := e.svc.Document(e.as["hr1"], d.ID)
		must(t, err)
		if got.Version != d.Version+1 {
			t.Errorf("version = %d, want %d", got.Version, d.Version+1)
		}
		if es := e.audits(t, d.ID); len(es) != 2 {
			t.Errorf("audit = %v, want create and one edit", es)
		}
	})
}
