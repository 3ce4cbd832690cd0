package multirater_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestNominate_RefusesEachBadRaterWithATypedErrorAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		st, err := e.svc.Settings(e.as["hr"])
		must(t, err)
		st.MaxPerRater = 1
		_, err = e.svc.UpdateSettings(e.as["hr"], st, st.Version)
		must(t, err)
		r, err := e.svc.CreateRound(e.as["hr"], e.roundParams(e.reviewee, e.peers[3]))
		must(t, err)
		if r.Settings.MaxPerRater != 1 {
			t.Fatalf("the round copies the tenant's settings: %+v", r.Settings)
		}
		// 周杰 (peers[3]) is now a reviewee; 赵敏 rates 周杰 once: her load is full.
		_, err = e.svc.Nominate(e.as["hr"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.peers[3].ID,
			Group: multirater.GroupPeer, RaterIDs: []string{e.peers[0].ID}})
		must(t, err)
		before := raters(t, e, r, e.reviewee)
		nominate := func(ctx context.Context, g multirater.Group, raters ...string) error {
			_, err := e.svc.Nominate(ctx, multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID, Group: g, RaterIDs: raters})
			return err
		}
		for _, tc := range []struct {
			name string
			err  error
			want []error
		}{
			{"herself as a peer", nominate(e.as["reviewee"], multirater.GroupPeer, e.reviewee.ID), []error{multirater.ErrSelfNomination, ballast.ErrInvalid}},
			{"a departed employee", nominate(e.as["reviewee"], multirater.GroupPeer, e.gone.ID), []error{multirater.ErrRaterDeparted}},
			{"another tenant's employee", nominate(e.as["reviewee"], multirater.GroupOther, e.other.ID), []error{multirater.ErrRaterDeparted}},
			{"a rater at the load limit", nominate(e.as["reviewee"], multirater.GroupPeer, e.peers[0].ID), []error{multirater.ErrRaterOverloaded, ballast.ErrConflict}},
			{"her manager again", nominate(e.as["reviewee"], multirater.GroupPeer, e.manager.ID), []error{multirater.ErrAlreadyAssigned}},
			{"one bad among good ones: all of them refused", nominate(e.as["reviewee"], multirater.GroupPeer, e.peers[1].ID, e.reviewee.ID, e.gone.ID),
				[]error{multirater.ErrSelfNomination, multirater.ErrRaterDeparted}},
			{"as manager group", nominate(e.as["reviewee"], multirater.GroupManager, e.peers[1].ID), []error{ballast.ErrInvalid}},
			{"no raters", nominate(e.as["reviewee"], multirater.GroupPeer), []error{ballast.ErrInvalid}},
			{"for someone else", nominate(e.as["peer1"], multirater.GroupPeer, e.peers[2].ID), []error{ballast.ErrForbidden}},
			{"not a reviewee", func() error {
				_, err := e.svc.Nominate(e.as["hr"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.manager.ID, Group: multirater.GroupPeer, RaterIDs: []string{e.peers[1].ID}})
				return err
			}(), []error{multirater.ErrNotReviewee, ballast.ErrNotFound}},
		} {
			for _, want := range tc.want {
				if !errors.Is(tc.err, want) {
					t.Errorf("%s: error = %v, want %v", tc.name, tc.err, want)
				}
			}
		}
		if d := cmp.Diff(before, raters(t, e, r, e.reviewee)); d != "" {
			t.Errorf("refused nominations were written (-before +after):\n%s", d)
		}
		// After the nomination deadline 王丽 may no longer nominate; HR may.
		e.clock.Set(shanghai(hr.NewDate(2026, 12, 5)))
		wantErr(t, "after the deadline", nominate(e.as["reviewee"], multirater.GroupPeer, e.peers[1].ID), multirater.ErrDeadlinePassed)
		must(t, nominate(e.as["hr"], multirater.GroupPeer, e.peers[1].ID))
	})
}

func TestDecideNomination_ByTheRevieweesManagerOrHROnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		r := e.createRound(t)
		ns, err := e.svc.Nominate(e.as["reviewee"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID,
			Group: multirater.GroupPeer, RaterIDs: []string{e.peers[0].ID, e.peers[1].ID, e.peers[2].ID}})
		must(t, err)
		if ns[0].Status != multirater.NominationPending || ns[0].NominatedBy != e.reviewee.ID {
			t.Errorf("nomination = %+v", ns[0])
		}
		// The pending list is scoped to the manager's reviewees.
		pending, err := e.svc.PendingNominations(e.as["manager"], r.ID, "", 0)
		must(t, err)
		if len(pending) != 3 {
			t.Errorf("刘强 sees %d pending, want 3", len(pending))
		}
		pending, err = e.svc.PendingNominations(e.as["head"], r.ID, "", 0)
		must(t, err)
		if len(pending) != 0 {
			t.Errorf("the head sees %d pending of reviewees she does not manage", len(pending))
		}
		_, err = e.svc.PendingNominations(e.as["peer0"], r.ID, "", 0)
		wantErr(t, "an employee lists pending nominations", err, ballast.ErrForbidden)

		_, err = e.svc.DecideNomination(e.as["head"], ns[0].ID, true, "", ns[0].Version)
		wantErr(t, "another department head decides", err, ballast.ErrForbidden)
		_, err = e.svc.DecideNomination(e.as["reviewee"], ns[0].ID, true, "", ns[0].Version)
		wantErr(t, "the reviewee approves her own nomination", err, ballast.ErrForbidden)
		_, err = e.svc.DecideNomination(e.as["manager"], ns[0].ID, false, "  ", ns[0].Version)
		wantErr(t, "a rejection without reason", err, ballast.ErrInvalid)
		_, err = e.svc.DecideNomination(e.as["manager"], ns[0].ID, true, "", ns[0].Version+1)
		wantErr(t, "stale version", err, ballast.ErrConflict)

		got, err := e.svc.DecideNomination(e.as["manager"], ns[0].ID, true, "", ns[0].Version)
		must(t, err)
		if got.Status != multirater.NominationApproved || got.DecidedBy != e.manager.ID {
			t.Errorf("approved = %+v", got)
		}
		_, err = e.svc.DecideNomination(e.as["manager"], ns[0].ID, false, "changed my mind", got.Version)
		wantErr(t, "decide twice", err, multirater.ErrAssignmentState)
		rej, err := e.svc.DecideNomination(e.as["hr"], ns[1].ID, false, "works on another project", ns[1].Version)
		must(t, err)
		if rej.Status != multirater.NominationRejected || rej.Reason == "" {
			t.Errorf("rejected = %+v", rej)
		}
		// A rejected rater may be nominated again.
		_, err = e.svc.Nominate(e.as["reviewee"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID,
			Group: multirater.GroupOther, RaterIDs: []string{e.peers[1].ID}})
		must(t, err)
		// Approved raters see the assignment; pending and rejected ones do not.
		for _, tc := range []struct {
			rater string
			want  int
		}{{"peer0", 1}, {"peer1", 0}, {"peer2", 0}} {
			as, err := e.svc.MyAssignments(e.as[tc.rater], r.ID)
			must(t, err)
			if len(as) != tc.want {
				t.Errorf("%s has %d assignments, want %d", tc.rater, len(as), tc.want)
			}
		}
	})
}
