package jobdesc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

func TestDerive_IsScopedToTheDepartmentsOneHeads(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		tpl := e.published(t)
		draft := e.template(t)
		head, head2 := e.as["head"], e.as["head2"]
		before := e.count(t)
		for _, tc := range []struct {
			name string
			who  string
			p    jobdesc.DeriveParams
			err  error
		}{
			{"a department the head does not head", "head", jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: e.eng.ID}, ballast.ErrForbidden},
			{"an employee", "emp", jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: e.sales.ID}, ballast.ErrForbidden},
			{"an unpublished template", "head", jobdesc.DeriveParams{TemplateID: draft.ID, DepartmentID: e.sales.ID}, jobdesc.ErrNotPublished},
			{"an unknown template", "head", jobdesc.DeriveParams{TemplateID: ballast.NewID(), DepartmentID: e.sales.ID}, ballast.ErrNotFound},
			{"an unknown department (HR)", "hr1", jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: ballast.NewID()}, ballast.ErrInvalid},
			{"a malformed template ID", "head", jobdesc.DeriveParams{TemplateID: "x", DepartmentID: e.sales.ID}, ballast.ErrInvalid},
			{"another tenant's template", "otherHR", jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: e.sales.ID}, ballast.ErrInvalid},
		} {
			_, err := e.svc.Derive(e.as[tc.who], tc.p)
			wantErr(t, tc.name, err, tc.err)
		}
		if after := e.count(t); after != before {
			t.Errorf("refused derivations changed counts %v → %v", before, after)
		}
		sales, err := e.svc.Derive(head, jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: e.sales.ID})
		must(t, err)
		_, err = e.svc.Derive(head2, jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: e.eng.ID, Approvers: []string{e.boss.ID}})
		wantErr(t, "a head naming approvers", err, ballast.ErrForbidden)
		eng, err := e.svc.Derive(head2, jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: e.eng.ID})
		must(t, err)
		_, err = e.svc.SetApprovers(head2, eng.ID, []string{e.boss.ID}, eng.Version)
		wantErr(t, "a head designating approvers", err, ballast.ErrForbidden)
		eng, err = e.svc.SetApprovers(e.as["hr1"], eng.ID, []string{e.boss.ID}, eng.Version)
		must(t, err)
		hrv, err := e.svc.Derive(e.as["hr1"], jobdesc.DeriveParams{TemplateID: tpl.ID, DepartmentID: e.east.ID})
		must(t, err)

		// Reading and editing another head's version.
		_, err = e.svc.Document(head2, sales.ID)
		wantErr(t, "head2 reading Sales' version", err, ballast.ErrNotFound)
		_, err = e.svc.EditSection(head2, sales.ID, "duties", jobdesc.SectionParams{Body: "x"}, sales.Version)
		wantErr(t, "head2 editing Sales' version", err, ballast.ErrNotFound)
		_, err = e.svc.Document(e.as["otherHR"], sales.ID)
		wantErr(t, "another tenant's HR", err, ballast.ErrNotFound)
		// The head of Sales edits the version HR made for Sales/East.
		_, err = e.svc.EditSection(head, hrv.ID, "duties", jobdesc.SectionParams{Body: "Cover East"}, hrv.Version)
		must(t, err)
		// A designated approver reads the version but may not edit it.
		_, err = e.svc.Document(e.as["boss"], eng.ID)
		must(t, err)
		_, err = e.svc.EditSection(e.as["boss"], eng.ID, "duties", jobdesc.SectionParams{Body: "x"}, eng.Version)
		wantErr(t, "an approver editing", err, ballast.ErrForbidden)
		// Department heads see only the published revision of a template.
		_, err = e.svc.Revision(head, tpl.ID, 1)
		must(t, err)
		_, err = e.svc.Document(head, draft.ID)
		wantErr(t, "a head reading a draft template", err, ballast.ErrNotFound)

		ids := func(who string, q jobdesc.Query) []string {
			p, err := e.svc.List(e.as[who], q)
			must(t, err)
			out := []string{}
			for _, d := range p.Documents {
				out = append(out, d.ID)
			}
			return out
		}
		for _, tc := range []struct {
			who  string
			q    jobdesc.Query
			want []string
		}{
			{"hr1", jobdesc.Query{}, []string{tpl.ID, draft.ID, sales.ID, eng.ID, hrv.ID}},
			{"head", jobdesc.Query{}, []string{tpl.ID, sales.ID, hrv.ID}},
			{"head2", jobdesc.Query{}, []string{tpl.ID, eng.ID}},
			{"head", jobdesc.Query{Kind: jobdesc.KindDepartment}, []string{sales.ID, hrv.ID}},
			{"boss", jobdesc.Query{}, []string{eng.ID}},
			{"emp", jobdesc.Query{}, []string{}},
			{"otherHR", jobdesc.Query{}, []string{}},
			{"hr1", jobdesc.Query{SourceID: tpl.ID, Limit: 2}, []string{sales.ID, eng.ID}},
		} {
			if diff := cmp.Diff(tc.want, ids(tc.who, tc.q)); diff != "" {
				t.Errorf("%s lists %+v (-want +got):\n%s", tc.who, tc.q, diff)
			}
		}
		p, err := e.svc.List(e.as["hr1"], jobdesc.Query{SourceID: tpl.ID, Limit: 2})
		must(t, err)
		if p.Next != eng.ID {
			t.Errorf("next = %q, want %q", p.Next, eng.ID)
		}
		p, err = e.svc.List(e.as["hr1"], jobdesc.Query{SourceID: tpl.ID, After: p.Next})
		must(t, err)
		if len(p.Documents) != 1 || p.Documents[0].ID != hrv.ID || p.Next != "" {
			t.Errorf("second page = %+v", p)
		}
	})
}
