package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

// RunJobdesc runs the conformance suite for jobdesc.Store. open must
// return a fresh, empty, migrated backend for every call: a transactor,
// the hr store (the suite seeds tenants through it) and the jobdesc store,
// all joining the transactor's transactions.
func RunJobdesc(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, jobdesc.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w jdWorld)
	}{
		{"DocumentsRoundTripUnderVersions", testJdDocuments},
		{"RevisionsAreNumberedKeptAndFrozenOnceApproved", testJdRevisions},
		{"ListFiltersScopesAndPagesByID", testJdList},
		{"CommentsByRevisionSectionThreadAndResolution", testJdComments},
		{"RolledBackWritesLeaveNothing", testJdRollback},
		{"TenantBNeverTouchesTenantA", testJdIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, jdWorld{tx: tx, s: s, a: seedJdTenant(t, h, "A"), b: seedJdTenant(t, h, "B")})
		})
	}
}

var jdT0 = time.Date(2026, 3, 2, 2, 0, 0, 123456000, time.UTC)

type jdWorld struct {
	tx   ballast.Transactor
	s    jobdesc.Store
	a, b string // tenant IDs
}

func seedJdTenant(t *testing.T, s hr.Store, name string) string {
	t.Helper()
	id := ballast.NewID()
	jdMust(t, s.InsertTenant(context.Background(), hr.Tenant{ID: id, Name: name, TimeZone: "Asia/Shanghai",
		Locale: hr.LocaleZhCN, CreatedAt: jdT0, UpdatedAt: jdT0, Version: 1}))
	return id
}

func jdMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func jdIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error = %v, want %v", what, err, want)
	}
}

// jdEq compares records, treating nil and empty slices alike.
func jdEq(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// jdDoc is a template in draft with one revision.
func jdDoc(title string) jobdesc.Document {
	return jobdesc.Document{ID: ballast.NewID(), Kind: jobdesc.KindTemplate, Title: title, OwnerID: ballast.NewID(),
		Approvers: []string{}, Latest: 1, Status: jobdesc.StatusDraft, CreatedAt: jdT0, UpdatedAt: jdT0, Version: 1}
}

// jdDept is a department version of source, in department dept.
func jdDept(source jobdesc.Document, dept string, approvers ...string) jobdesc.Document {
	d := jdDoc(source.Title + " (dept)")
	d.Kind, d.DepartmentID, d.SourceID, d.SourceRevision, d.Approvers = jobdesc.KindDepartment, dept, source.ID, 1, approvers
	return d
}

func jdRev(d jobdesc.Document, n int) jobdesc.Revision {
	return jobdesc.Revision{DocumentID: d.ID, Number: n, Base: n - 1, Title: d.Title, PositionID: ballast.NewID(),
		Sections: []jobdesc.Section{
			{Key: "duties", Kind: jobdesc.SectionDuties, Title: "Duties", Body: "Lead the team\nOwn the forecast"},
			{Key: "competencies", Kind: jobdesc.SectionCompetencies, Title: "Core competencies",
				Competencies: []jobdesc.Competency{{Name: "Negotiation", Level: 4, Description: "key accounts"}}},
			{Key: "kpi", Kind: jobdesc.SectionFree, Title: "KPIs", Body: "Revenue growth 15%"},
		},
		Status: jobdesc.StatusDraft, Editors: []string{d.OwnerID}, CreatedBy: d.OwnerID, CreatedAt: jdT0, UpdatedAt: jdT0}
}

// jdInsert stores d with revisions 1..n.
func jdInsert(t *testing.T, w jdWorld, tenant string, d jobdesc.Document, n int) []jobdesc.Revision {
	t.Helper()
	ctx := context.Background()
	jdMust(t, w.s.InsertDocument(ctx, tenant, d))
	var out []jobdesc.Revision
	for i := 1; i <= n; i++ {
		r := jdRev(d, i)
		jdMust(t, w.s.InsertRevision(ctx, tenant, r))
		out = append(out, r)
	}
	return out
}

func testJdDocuments(t *testing.T, w jdWorld) {
	ctx := context.Background()
	_, err := w.s.Document(ctx, w.a, ballast.NewID())
	jdIs(t, "an unknown document", err, ballast.ErrNotFound)
	d := jdDoc("Sales supervisor")
	d.PositionID, d.Approvers = ballast.NewID(), []string{ballast.NewID(), ballast.NewID()}
	jdMust(t, w.s.InsertDocument(ctx, w.a, d))
	jdIs(t, "a second insert", w.s.InsertDocument(ctx, w.a, d), ballast.ErrConflict)
	got, err := w.s.Document(ctx, w.a, d.ID)
	jdMust(t, err)
	jdEq(t, "document", d, got)

	d2 := d
	d2.Title, d2.PositionID, d2.Approvers = "Senior sales supervisor", "", []string{d.Approvers[1]}
	d2.Latest, d2.Status, d2.Approved, d2.Published, d2.PublishedAt = 3, jobdesc.StatusInReview, 2, 2, jdT0.Add(time.Hour)
	d2.UpdatedAt, d2.Version = jdT0.Add(time.Hour), 2
	// Identity fields are not written by an update.
	d2.OwnerID, d2.Kind = ballast.NewID(), jobdesc.KindDepartment
	jdIs(t, "a stale update", w.s.UpdateDocument(ctx, w.a, d2, 7), ballast.ErrConflict)
	jdMust(t, w.s.UpdateDocument(ctx, w.a, d2, 1))
	got, err = w.s.Document(ctx, w.a, d.ID)
	jdMust(t, err)
	want := d2
	want.OwnerID, want.Kind = d.OwnerID, d.Kind
	jdEq(t, "updated document", want, got)
	jdIs(t, "updating an unknown document", w.s.UpdateDocument(ctx, w.a, jdDoc("x"), 1), ballast.ErrNotFound)
}

func testJdRevisions(t *testing.T, w jdWorld) {
	ctx := context.Background()
	d := jdDoc("Sales supervisor")
	revs := jdInsert(t, w, w.a, d, 2)
	jdIs(t, "a duplicate revision number", w.s.InsertRevision(ctx, w.a, jdRev(d, 2)), ballast.ErrConflict)
	orphan := jdRev(jdDoc("nowhere"), 1)
	if err := w.s.InsertRevision(ctx, w.a, orphan); err == nil {
		t.Error("a revision of an unknown document was stored")
	}
	got, err := w.s.Revision(ctx, w.a, d.ID, 2)
	jdMust(t, err)
	jdEq(t, "revision 2", revs[1], got)
	_, err = w.s.Revision(ctx, w.a, d.ID, 3)
	jdIs(t, "an unknown revision", err, ballast.ErrNotFound)

	r := revs[0]
	r.Title, r.Sections = "Changed", r.Sections[:1]
	r.Status, r.Editors, r.Round = jobdesc.StatusApproved, []string{d.OwnerID, "x"}, 2
	r.SubmittedBy, r.SubmittedAt, r.DecidedBy, r.DecidedAt, r.Note = "x", jdT0.Add(time.Minute), "y", jdT0.Add(time.Hour), "fine"
	r.UpdatedAt = jdT0.Add(time.Hour)
	jdMust(t, w.s.UpdateRevision(ctx, w.a, r))
	all, err := w.s.Revisions(ctx, w.a, d.ID)
	jdMust(t, err)
	jdEq(t, "revisions in order", []jobdesc.Revision{r, revs[1]}, all)

	// An approved revision never changes again.
	r2 := r
	r2.Title, r2.Status = "Sneaky", jobdesc.StatusDraft
	err = w.s.UpdateRevision(ctx, w.a, r2)
	jdIs(t, "updating an approved revision", err, ballast.ErrConflict)
	got, err = w.s.Revision(ctx, w.a, d.ID, 1)
	jdMust(t, err)
	jdEq(t, "the approved revision after the refused update", r, got)
	jdIs(t, "updating an unknown revision", w.s.UpdateRevision(ctx, w.a, jdRev(d, 9)), ballast.ErrNotFound)
}

func testJdList(t *testing.T, w jdWorld) {
	ctx := context.Background()
	dept1, dept2, approver := ballast.NewID(), ballast.NewID(), ballast.NewID()
	draft := jdDoc("Draft template")
	pub := jdDoc("Published template")
	pub.Published, pub.Approved, pub.Status, pub.PublishedAt = 1, 1, jobdesc.StatusApproved, jdT0
	pub.PositionID = ballast.NewID()
	v1 := jdDept(pub, dept1)
	v2 := jdDept(pub, dept2, approver)
	v2.Status = jobdesc.StatusInReview
	other := jdDept(draft, dept2)
	for _, d := range []jobdesc.Document{draft, pub, v1, v2, other} {
		jdInsert(t, w, w.a, d, 1)
	}
	ids := func(ds []jobdesc.Document) []string {
		out := []string{}
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    jobdesc.Query
		want []jobdesc.Document
	}{
		{"everything by ID", jobdesc.Query{}, []jobdesc.Document{draft, pub, v1, v2, other}},
		{"templates", jobdesc.Query{Kind: jobdesc.KindTemplate}, []jobdesc.Document{draft, pub}},
		{"one department", jobdesc.Query{DepartmentID: dept2}, []jobdesc.Document{v2, other}},
		{"derived from a template", jobdesc.Query{SourceID: pub.ID}, []jobdesc.Document{v1, v2}},
		{"a position", jobdesc.Query{PositionID: pub.PositionID}, []jobdesc.Document{pub}},
		{"a status", jobdesc.Query{Status: jobdesc.StatusInReview}, []jobdesc.Document{v2}},
		{"published templates", jobdesc.Query{PublishedOnly: true}, []jobdesc.Document{pub}},
		{"reach: headed departments", jobdesc.Query{Reach: &jobdesc.Reach{DepartmentIDs: []string{dept1}}}, []jobdesc.Document{v1}},
		{"reach: published templates and a department", jobdesc.Query{Reach: &jobdesc.Reach{DepartmentIDs: []string{dept2},
			PublishedTemplates: true}}, []jobdesc.Document{pub, v2, other}},
		{"reach: approver", jobdesc.Query{Reach: &jobdesc.Reach{Approver: approver}}, []jobdesc.Document{v2}},
		{"reach: nothing", jobdesc.Query{Reach: &jobdesc.Reach{Approver: ballast.NewID()}}, nil},
		{"reach with a filter", jobdesc.Query{Kind: jobdesc.KindDepartment, Reach: &jobdesc.Reach{PublishedTemplates: true,
			Approver: approver}}, []jobdesc.Document{v2}},
		{"a page", jobdesc.Query{After: pub.ID, Limit: 2}, []jobdesc.Document{v1, v2}},
	} {
		got, err := w.s.ListDocuments(ctx, w.a, tc.q)
		jdMust(t, err)
		if d := cmp.Diff(ids(tc.want), ids(got)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func testJdComments(t *testing.T, w jdWorld) {
	ctx := context.Background()
	d := jdDoc("Sales supervisor")
	jdInsert(t, w, w.a, d, 2)
	author, replier := ballast.NewID(), ballast.NewID()
	at := func(m int) time.Time { return jdT0.Add(time.Duration(m) * time.Minute) }
	c := func(rev int, key, parent string, m int, anchor *jobdesc.Anchor) jobdesc.Comment {
		return jobdesc.Comment{ID: ballast.NewID(), DocumentID: d.ID, Revision: rev, SectionKey: key, Anchor: anchor,
			ParentID: parent, AuthorID: author, Body: "why level 4?", CreatedAt: at(m), UpdatedAt: at(m), Version: 1}
	}
	root1 := c(1, "competencies", "", 1, &jobdesc.Anchor{Start: 0, End: 4, Quote: "Lead"})
	reply1 := c(1, "competencies", root1.ID, 2, root1.Anchor)
	reply1.AuthorID = replier
	root2 := c(2, "duties", "", 3, nil)
	reply2 := c(2, "duties", root2.ID, 4, nil)
	for _, x := range []jobdesc.Comment{root1, reply1, root2, reply2} {
		jdMust(t, w.s.InsertComment(ctx, w.a, x))
	}
	jdIs(t, "a duplicate comment", w.s.InsertComment(ctx, w.a, root1), ballast.ErrConflict)
	if err := w.s.InsertComment(ctx, w.a, c(9, "duties", "", 5, nil)); err == nil {
		t.Error("a comment on an unknown revision was stored")
	}
	got, err := w.s.Comment(ctx, w.a, root1.ID)
	jdMust(t, err)
	jdEq(t, "comment", root1, got)

	resolved := root1
	resolved.Resolved, resolved.ResolvedBy, resolved.ResolvedAt = true, replier, at(10)
	resolved.UpdatedAt, resolved.Version = at(10), 2
	jdIs(t, "a stale resolution", w.s.UpdateComment(ctx, w.a, resolved, 5), ballast.ErrConflict)
	jdMust(t, w.s.UpdateComment(ctx, w.a, resolved, 1))
	for _, tc := range []struct {
		name string
		q    jobdesc.CommentQuery
		want []jobdesc.Comment
	}{
		{"all, oldest first", jobdesc.CommentQuery{}, []jobdesc.Comment{resolved, reply1, root2, reply2}},
		{"one revision", jobdesc.CommentQuery{Revision: 2}, []jobdesc.Comment{root2, reply2}},
		{"one section", jobdesc.CommentQuery{SectionKey: "competencies"}, []jobdesc.Comment{resolved, reply1}},
		{"one thread", jobdesc.CommentQuery{ThreadID: root1.ID}, []jobdesc.Comment{resolved, reply1}},
		{"unresolved threads", jobdesc.CommentQuery{Unresolved: true}, []jobdesc.Comment{root2, reply2}},
	} {
		got, err := w.s.Comments(ctx, w.a, d.ID, tc.q)
		jdMust(t, err)
		jdEq(t, tc.name, tc.want, got)
	}
}

func testJdRollback(t *testing.T, w jdWorld) {
	ctx := context.Background()
	d := jdDoc("Sales supervisor")
	boom := errors.New("boom")
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		if err := w.s.InsertDocument(ctx, w.a, d); err != nil {
			return err
		}
		if err := w.s.InsertRevision(ctx, w.a, jdRev(d, 1)); err != nil {
			return err
		}
		if err := w.s.InsertComment(ctx, w.a, jobdesc.Comment{ID: ballast.NewID(), DocumentID: d.ID, Revision: 1,
			SectionKey: "duties", AuthorID: d.OwnerID, Body: "x", CreatedAt: jdT0, UpdatedAt: jdT0, Version: 1}); err != nil {
			return err
		}
		return boom
	})
	jdIs(t, "the rolled-back transaction", err, boom)
	_, err = w.s.Document(ctx, w.a, d.ID)
	jdIs(t, "the rolled-back document", err, ballast.ErrNotFound)
	rs, err := w.s.Revisions(ctx, w.a, d.ID)
	jdMust(t, err)
	cs, err := w.s.Comments(ctx, w.a, d.ID, jobdesc.CommentQuery{})
	jdMust(t, err)
	if len(rs)+len(cs) != 0 {
		t.Errorf("%d revisions and %d comments survived the rollback", len(rs), len(cs))
	}
}

func testJdIsolation(t *testing.T, w jdWorld) {
	ctx := context.Background()
	d := jdDoc("Sales supervisor")
	d.Published, d.DepartmentID = 1, ""
	d.Approvers = []string{ballast.NewID()}
	revs := jdInsert(t, w, w.a, d, 1)
	v := jdDept(d, ballast.NewID(), d.Approvers...)
	jdInsert(t, w, w.a, v, 1)
	cm := jobdesc.Comment{ID: ballast.NewID(), DocumentID: d.ID, Revision: 1, SectionKey: "duties", AuthorID: d.OwnerID,
		Body: "x", CreatedAt: jdT0, UpdatedAt: jdT0, Version: 1}
	jdMust(t, w.s.InsertComment(ctx, w.a, cm))
	b := w.b

	_, err := w.s.Document(ctx, b, d.ID)
	jdIs(t, "reading A's document as B", err, ballast.ErrNotFound)
	_, err = w.s.Revision(ctx, b, d.ID, 1)
	jdIs(t, "reading A's revision as B", err, ballast.ErrNotFound)
	_, err = w.s.Comment(ctx, b, cm.ID)
	jdIs(t, "reading A's comment as B", err, ballast.ErrNotFound)
	d2 := d
	d2.Title, d2.Version = "Hijacked", 2
	jdIs(t, "updating A's document as B", w.s.UpdateDocument(ctx, b, d2, 1), ballast.ErrNotFound)
	r2 := revs[0]
	r2.Title = "Hijacked"
	jdIs(t, "updating A's revision as B", w.s.UpdateRevision(ctx, b, r2), ballast.ErrNotFound)
	c2 := cm
	c2.Resolved, c2.Version = true, 2
	jdIs(t, "resolving A's comment as B", w.s.UpdateComment(ctx, b, c2, 1), ballast.ErrNotFound)
	if err := w.s.InsertRevision(ctx, b, jdRev(d, 2)); err == nil {
		t.Error("B added a revision to A's document")
	}
	if err := w.s.InsertComment(ctx, b, jobdesc.Comment{ID: ballast.NewID(), DocumentID: d.ID, Revision: 1,
		SectionKey: "duties", AuthorID: "x", Body: "x", CreatedAt: jdT0, UpdatedAt: jdT0, Version: 1}); err == nil {
		t.Error("B commented on A's document")
	}
	// B may store a document with the same ID: keys start with the tenant.
	jdInsert(t, w, b, jdDoc("B's own"), 1)
	for name, q := range map[string]func() (int, error){
		"documents": func() (int, error) {
			r, err := w.s.ListDocuments(ctx, b, jobdesc.Query{Reach: &jobdesc.Reach{PublishedTemplates: true,
				DepartmentIDs: []string{v.DepartmentID}, Approver: d.Approvers[0]}})
			return len(r), err
		},
		"derived": func() (int, error) {
			r, err := w.s.ListDocuments(ctx, b, jobdesc.Query{SourceID: d.ID})
			return len(r), err
		},
		"revisions": func() (int, error) { r, err := w.s.Revisions(ctx, b, d.ID); return len(r), err },
		"comments": func() (int, error) {
			r, err := w.s.Comments(ctx, b, d.ID, jobdesc.CommentQuery{})
			return len(r), err
		},
	} {
		n, err := q()
		jdMust(t, err)
		if n != 0 {
			t.Errorf("B saw %d of A's %s", n, name)
		}
	}
	got, err := w.s.Document(ctx, w.a, d.ID)
	jdMust(t, err)
	jdEq(t, "A's document after B's calls", d, got)
	gr, err := w.s.Revision(ctx, w.a, d.ID, 1)
	jdMust(t, err)
	jdEq(t, "A's revision after B's calls", revs[0], gr)
	gc, err := w.s.Comment(ctx, w.a, cm.ID)
	jdMust(t, err)
	jdEq(t, "A's comment after B's calls", cm, gc)
}
