package jobdesc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

func TestComment_AnchorsOnSectionsAndRefusesWhatIsNotThere(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.template(t, e.boss.ID)
		hr2 := e.as["hr2"]
		// duties body: "Lead the key-account team\nOwn the quarterly forecast\nCoach new sales staff"
		for _, tc := range []struct {
			name   string
			p      jobdesc.CommentParams
			want   *jobdesc.Anchor
			err    error
			fields []string
		}{
			{name: "whole section", p: jobdesc.CommentParams{SectionKey: "kpi", Body: "15% is too low"}},
			{name: "a range with its quote", p: jobdesc.CommentParams{SectionKey: "duties", Body: "which accounts?",
				Anchor: &jobdesc.Anchor{Start: 9, End: 20, Quote: "key-account"}},
				want: &jobdesc.Anchor{Start: 9, End: 20, Quote: "key-account"}},
			{name: "a quote alone is placed", p: jobdesc.CommentParams{SectionKey: "duties", Body: "monthly?",
				Anchor: &jobdesc.Anchor{Quote: "quarterly forecast"}},
				want: &jobdesc.Anchor{Start: 34, End: 52, Quote: "quarterly forecast"}},
			{name: "a missing section", p: jobdesc.CommentParams{SectionKey: "salary", Body: "x"}, err: jobdesc.ErrUnknownSection},
			{name: "a range past the text", p: jobdesc.CommentParams{SectionKey: "duties", Body: "x",
				Anchor: &jobdesc.Anchor{Start: 10, End: 500}}, fields: []string{"anchor"}},
			{name: "an empty range", p: jobdesc.CommentParams{SectionKey: "duties", Body: "x",
				Anchor: &jobdesc.Anchor{Start: 4, End: 4}}, fields: []string{"anchor"}},
			{name: "a quote that does not match its range", p: jobdesc.CommentParams{SectionKey: "duties", Body: "x",
				Anchor: &jobdesc.Anchor{Start: 0, End: 4, Quote: "Own"}}, fields: []string{"anchor.quote"}},
			{name: "a quote not in the section", p: jobdesc.CommentParams{SectionKey: "duties", Body: "x",
				Anchor: &jobdesc.Anchor{Quote: "salary"}}, fields: []string{"anchor.quote"}},
			{name: "an empty body and no section", p: jobdesc.CommentParams{Body: " "}, fields: []string{"body", "section_key"}},
			{name: "an unknown revision", p: jobdesc.CommentParams{Revision: 7, SectionKey: "duties", Body: "x"}, err: ballast.ErrNotFound},
		} {
			before := e.count(t)
			tc.p.DocumentID = d.ID
			c, err := e.svc.Comment(hr2, tc.p)
			switch {
			case tc.err != nil:
				wantErr(t, tc.name, err, tc.err)
			case tc.fields != nil:
				if diff := cmp.Diff(tc.fields, fields(err)); diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s (%v)", tc.name, diff, err)
				}
			default:
				if err != nil {
					t.Errorf("%s: %v", tc.name, err)
					continue
				}
				if diff := cmp.Diff(tc.want, c.Anchor); diff != "" || c.Revision != 1 || c.AuthorID != e.hr2.ID {
					t.Errorf("%s: comment %+v, anchor (-want +got):\n%s", tc.name, c, diff)
				}
				continue
			}
			if after := e.count(t); after != before {
				t.Errorf("%s: a refused comment changed counts %v → %v", tc.name, before, after)
			}
		}
		// Who may comment: editors and approvers, not other heads or employees.
		p := jobdesc.CommentParams{DocumentID: d.ID, SectionKey: "duties", Body: "ok"}
		_, err := e.svc.Comment(e.as["boss"], p)
		must(t, err)
		_, err = e.svc.Comment(e.as["emp"], p)
		wantErr(t, "an employee commenting on a draft template", err, ballast.ErrNotFound)
		_, err = e.svc.Comment(e.as["otherHR"], p)
		wantErr(t, "HR of another tenant", err, ballast.ErrNotFound)
	})
}

func TestComment_RepliesResolutionAndNotices(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.template(t, e.boss.ID)
		hr1, hr2, boss := e.as["hr1"], e.as["hr2"], e.as["boss"]
		root, err := e.svc.Comment(boss, jobdesc.CommentParams{DocumentID: d.ID, SectionKey: "competencies", Body: "why level 4?"})
		must(t, err)
		reply, err := e.svc.Reply(hr1, root.ID, "key accounts need it")
		must(t, err)
		if reply.ParentID != root.ID || reply.SectionKey != "competencies" || reply.Revision != 1 {
			t.Errorf("reply = %+v", reply)
		}
		// A reply to a reply joins the thread.
		r2, err := e.svc.Reply(hr2, reply.ID, "agreed")
		must(t, err)
		if r2.ParentID != root.ID {
			t.Errorf("a reply to a reply has parent %s, want %s", r2.ParentID, root.ID)
		}
		// Notices: the owner (hr1) of the new thread; the boss and hr1 of
		// hr2's reply; the boss of hr1's reply.
		want := []string{
			jobdesc.KindComment + "/" + r2.ID + "/" + e.boss.ID,
			jobdesc.KindComment + "/" + r2.ID + "/" + e.hr1.ID,
			jobdesc.KindComment + "/" + reply.ID + "/" + e.boss.ID,
			jobdesc.KindComment + "/" + root.ID + "/" + e.hr1.ID,
		}
		got := e.messages(t, jobdesc.KindComment)
		if diff := cmp.Diff(sorted(want), got); diff != "" {
			t.Errorf("comment notices (-want +got):\n%s", diff)
		}
		other, err := e.svc.Comment(hr2, jobdesc.CommentParams{DocumentID: d.ID, SectionKey: "kpi", Body: "add retention"})
		must(t, err)

		_, err = e.svc.Resolve(hr1, reply.ID, reply.Version)
		wantErr(t, "resolving a reply", err, ballast.ErrInvalid)
		_, err = e.svc.Resolve(hr1, root.ID, root.Version+1)
		wantErr(t, "a stale resolution", err, ballast.ErrConflict)
		_, err = e.svc.Resolve(e.as["emp"], root.ID, root.Version)
		wantErr(t, "an employee resolving", err, ballast.ErrNotFound)
		res, err := e.svc.Resolve(hr1, root.ID, root.Version)
		must(t, err)
		if !res.Resolved || res.ResolvedBy != e.hr1.ID || res.Version != 2 {
			t.Errorf("resolved = %+v", res)
		}
		_, err = e.svc.Resolve(hr1, root.ID, res.Version)
		wantErr(t, "resolving twice", err, jobdesc.ErrResolved)
		_, err = e.svc.Reply(boss, reply.ID, "one more")
		wantErr(t, "replying to a resolved thread", err, jobdesc.ErrResolved)
		if diff := cmp.Diff([]string{jobdesc.KindResolved + "/" + root.ID + "/" + e.boss.ID}, e.messages(t, jobdesc.KindResolved)); diff != "" {
			t.Errorf("resolution notices (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{jobdesc.ActionCreate, jobdesc.ActionResolve}, e.audits(t, d.ID)); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
		open, err := e.svc.Comments(hr1, d.ID, jobdesc.CommentQuery{Unresolved: true})
		must(t, err)
		if len(open) != 1 || open[0].ID != other.ID {
			t.Errorf("unresolved = %+v, want only %s", open, other.ID)
		}
		all, err := e.svc.Comments(boss, d.ID, jobdesc.CommentQuery{})
		must(t, err)
		if len(all) != 4 {
			t.Errorf("%d comments, want 4", len(all))
		}
		// The thread's author may resolve their own thread.
		_, err = e.svc.Resolve(hr2, other.ID, other.Version)
		must(t, err)
	})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
