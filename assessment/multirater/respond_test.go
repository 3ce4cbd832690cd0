package multirater_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestSubmit_OnlyTheRaterOnlyCompleteOnlyOnceOnlyInTime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		r := e.createRound(t)
		e.nominate(t, r, multirater.GroupPeer, e.peers[0])
		_, err := e.svc.Nominate(e.as["reviewee"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID,
			Group: multirater.GroupPeer, RaterIDs: []string{e.peers[1].ID}})
		must(t, err)
		a := e.assignment(t, r, e.peers[0])
		full := multirater.Answers{Scores: map[string]int{"L1": 4, "L2": 3, "C1": 5}, Comments: map[string]string{"LEAD": "clear goals"}}
		_, err = e.svc.SaveDraft(e.as["peer0"], a.ID, full)
		wantErr(t, "a draft before the round opens", err, multirater.ErrRoundState)
		r = e.open(t, r)

		for _, tc := range []struct {
			name string
			ans  multirater.Answers
			want []string
		}{
			{"outside the scale, unknown question", multirater.Answers{Scores: map[string]int{"L1": 6, "L2": 0, "X9": 3, "C1": 3}},
				[]string{"scores.L1", "scores.L2", "scores.X9"}},
			{"a question missing, a comment where none is taken", multirater.Answers{Scores: map[string]int{"L1": 4, "L2": 4},
				Comments: map[string]string{"COMM": "x", "NOPE": "y"}}, []string{"comments.COMM", "comments.NOPE", "scores.C1"}},
		} {
			_, err := e.svc.Submit(e.as["peer0"], a.ID, tc.ans)
			if d := cmp.Diff(tc.want, fields(t, err)); d != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tc.name, d)
			}
		}
		_, err = e.svc.SaveDraft(e.as["peer0"], a.ID, multirater.Answers{Scores: map[string]int{"L1": 9}})
		wantErr(t, "a draft outside the scale", err, ballast.ErrInvalid)
		partial := multirater.Answers{Scores: map[string]int{"L1": 4}}
		saved, err := e.svc.SaveDraft(e.as["peer0"], a.ID, partial)
		must(t, err)
		if saved.DraftSavedAt.IsZero() || saved.Status != multirater.StatusOpen {
			t.Errorf("saved = %+v", saved)
		}
		d, err := e.svc.Draft(e.as["peer0"], a.ID)
		must(t, err)
		if diff := cmp.Diff(partial, d); diff != "" {
			t.Errorf("draft (-want +got):\n%s", diff)
		}
		_, err = e.svc.Draft(e.as["reviewee"], a.ID)
		wantErr(t, "the reviewee reads a rater's draft", err, ballast.ErrForbidden)
		_, err = e.svc.Draft(e.as["hr"], a.ID)
		wantErr(t, "HR reads a rater's draft", err, ballast.ErrForbidden)
		_, err = e.svc.Submit(e.as["hr"], a.ID, full)
		wantErr(t, "HR submits for a rater", err, ballast.ErrForbidden)

		got, err := e.svc.Submit(e.as["peer0"], a.ID, full)
		must(t, err)
		if got.Status != multirater.StatusSubmitted || got.SubmittedAt.IsZero() {
			t.Errorf("submitted = %+v", got)
		}
		_, err = e.svc.Submit(e.as["peer0"], a.ID, full)
		wantErr(t, "submit twice", err, multirater.ErrAssignmentState)
		_, err = e.svc.Draft(e.as["peer0"], a.ID)
		wantErr(t, "answers cannot be read back once submitted", err, multirater.ErrAssignmentState)

		// The pending nomination of 孙强 is no task of his.
		as, err := e.svc.MyAssignments(e.as["peer1"], r.ID)
		must(t, err)
		if len(as) != 0 {
			t.Errorf("a pending nominee has assignments: %+v", as)
		}

		// After the response deadline nobody submits, until HR moves it.
		self := e.assignment(t, r, e.reviewee)
		e.clock.Set(shanghai(hr.NewDate(2026, 12, 19)))
		_, err = e.svc.Submit(e.as["reviewee"], self.ID, full)
		wantErr(t, "after the deadline", err, multirater.ErrDeadlinePassed)
		r, err = e.svc.SetDeadlines(e.as["hr"], r.ID, nominationDue, hr.NewDate(2026, 12, 22), r.Version)
		must(t, err)
		_, err = e.svc.Submit(e.as["reviewee"], self.ID, full)
		must(t, err)
		r = e.close(t, r)
		mgr := e.assignment(t, r, e.manager)
		_, err = e.svc.Submit(e.as["manager"], mgr.ID, full)
		wantErr(t, "after closing", err, multirater.ErrRoundState)

		p, err := e.svc.Progress(e.as["hr"], r.ID)
		must(t, err)
		want := map[multirater.Status]int{multirater.StatusOpen: 0, multirater.StatusPending: 1, multirater.StatusRejected: 0, multirater.StatusSubmitted: 1}
		if diff := cmp.Diff(want, p.Counts[multirater.GroupPeer]); diff != "" {
			t.Errorf("peer progress (-want +got):\n%s", diff)
		}
		if p.Counts[multirater.GroupDirectReport][multirater.StatusOpen] != 3 || p.Reviewees != 1 {
			t.Errorf("progress = %+v", p)
		}
		_, err = e.svc.Progress(e.as["manager"], r.ID)
		wantErr(t, "a manager reads progress", err, ballast.ErrForbidden)
	})
}
