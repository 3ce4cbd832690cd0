// Package jobdesc keeps job descriptions: templates published by HR and
// the department versions department heads derive from them, each made
// of sections (duties, core competencies with the level expected, the
// promotion path, and free sections), with inline comments and an
// approval flow per revision.
//
// A document's content lives in numbered revisions, every one kept. The
// latest revision is edited while it is a draft (Edit, EditSection),
// submitted (Submit), then approved (Approve) or sent back
// (RequestChanges) by HR or a designated approver, never by someone who
// edited it (ErrOwnChange); Withdraw takes a submission back. An approved
// revision never changes: editing it is ErrApproved until NewRevision
// starts the next draft from it, while the approved one stays in force. HR
// publishes an approved template revision (Publish); a department head
// derives a department version from it (Derive) and takes it through the
// same flow. Comment anchors a comment on a section (and optionally a
// range or quote of its text); Reply answers it and Resolve closes the
// thread. Diff (or Compare) gives the sections added, removed and changed
// between any two revisions, with a line diff of their texts and the
// competencies whose expected level changed. InForce returns the
// description in force for an hr position (the approved department
// version, else the published template), for every employee to read and
// for the other talent packages to take required competencies from.
//
// Every change takes the document's Version (optimistic locking) and runs
// in one transaction with its audit entry (create, edit, submit, approve,
// request changes, publish, comment resolution) and its notifications to
// reviewers and authors through the outbox, deduplicated by key.
//
//	svc, err := jobdesc.New(jobdesc.Config{
//		Store: db.Jobdesc(), Tx: db, Auth: enforcer, Org: hrSvc,
//		Audit: auditLog, Outbox: outbox, Clock: clock,
//	})
//	t, err := svc.CreateTemplate(hrCtx, jobdesc.CreateParams{
//		Title: "Sales supervisor",
//		Sections: []jobdesc.Section{
//			{Kind: jobdesc.SectionDuties, Body: "Lead the key-account team\nOwn the quarterly forecast"},
//			{Kind: jobdesc.SectionCompetencies, Competencies: []jobdesc.Competency{{Name: "Negotiation", Level: 4}}},
//		},
//	})
//	t, err = svc.Submit(hrCtx, t.ID, "", t.Version)
//	t, err = svc.Approve(otherHRCtx, t.ID, "", t.Version)
//	t, err = svc.Publish(otherHRCtx, t.ID, 0, t.Version)
//	d, err := svc.Derive(headCtx, jobdesc.DeriveParams{TemplateID: t.ID, DepartmentID: sales})
package jobdesc
