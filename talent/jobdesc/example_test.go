package jobdesc_test

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

// The collaborators the Service declares are satisfied by the real ones.
var (
	_ jobdesc.Authorizer = (*access.Enforcer)(nil)
	_ jobdesc.Org        = (*hr.Service)(nil)
	_ jobdesc.Auditor    = (*audit.Log)(nil)
	_ jobdesc.Outbox     = (*notify.Outbox)(nil)
	_ jobdesc.Store      = (*storage.DB)(nil).Jobdesc()
)

// Example publishes a job-description template, derives the Sales
// department's version, discusses a competency in a comment, approves the
// version and diffs it against the template, on an in-memory database.
func Example() {
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		panic(err)
	}
	e := newEnv(nopTB{}, db)
	hrCtx, otherHR, head := e.as["hr1"], e.as["hr2"], e.as["head"]

	// HR drafts the template; a colleague approves and publishes it.
	t, err := e.svc.CreateTemplate(hrCtx, jobdesc.CreateParams{Title: "Sales supervisor", Sections: []jobdesc.Section{
		{Kind: jobdesc.SectionDuties, Body: "Lead the key-account team\nOwn the quarterly forecast"},
		{Kind: jobdesc.SectionCompetencies, Competencies: []jobdesc.Competency{{Name: "Client negotiation", Level: 4}}},
		{Kind: jobdesc.SectionPromotion, Body: "Sales supervisor → Sales manager"},
	}})
	if err != nil {
		panic(err)
	}
	t, _ = e.svc.Submit(hrCtx, t.ID, "", t.Version)
	if _, err := e.svc.Approve(hrCtx, t.ID, "", t.Version); err != nil {
		fmt.Println("HR approving its own draft:", err != nil)
	}
	t, _ = e.svc.Approve(otherHR, t.ID, "", t.Version)
	t, _ = e.svc.Publish(otherHR, t.ID, 0, t.Version)
	fmt.Println(t.Title, "revision", t.Published, "published")

	// The head of Sales derives the department's version and edits it.
	v, err := e.svc.Derive(head, jobdesc.DeriveParams{TemplateID: t.ID, DepartmentID: e.sales.ID})
	if err != nil {
		panic(err)
	}
	v, _ = e.svc.EditSection(head, v.ID, "competencies", jobdesc.SectionParams{Competencies: []jobdesc.Competency{
		{Name: "Client negotiation", Level: 5}, {Name: "Technical-trend judgement", Level: 3}}}, v.Version)
	v, _ = e.svc.Submit(head, v.ID, "", v.Version)

	// HR asks about the raised level, the head answers, HR resolves and
	// approves.
	c, err := e.svc.Comment(hrCtx, jobdesc.CommentParams{DocumentID: v.ID, SectionKey: "competencies",
		Body: "Why level 5 for negotiation?"})
	if err != nil {
		panic(err)
	}
	_, _ = e.svc.Reply(head, c.ID, "Our key accounts are the largest in the region.")
	_, _ = e.svc.Resolve(hrCtx, c.ID, c.Version)
	v, _ = e.svc.Approve(hrCtx, v.ID, "", v.Version)
	fmt.Println(v.Title, "for Sales:", v.Status)

	d, _ := e.svc.Diff(head, jobdesc.RevisionRef{DocumentID: t.ID, Number: 1}, jobdesc.RevisionRef{DocumentID: v.ID, Number: 1})
	for _, s := range d.Sections {
		for _, x := range s.Competencies {
			if x.Before != nil {
				fmt.Printf("%s %s: level %d → %d\n", s.Key, x.Name, x.Before.Level, x.After.Level)
			} else {
				fmt.Printf("%s %s: %s at level %d\n", s.Key, x.Name, x.Change, x.After.Level)
			}
		}
	}
	// Output:
	// HR approving its own draft: true
	// Sales supervisor revision 1 published
	// Sales supervisor for Sales: approved
	// competencies Client negotiation: level 4 → 5
	// competencies Technical-trend judgement: added at level 3
}
