package appeal_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestDecide_AdjustedAppliesTheSubjectAndAuditsOldAndNew(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.file(t, "emp", "res-emp", "revenue")
		a, err := e.svc.StartReview(e.as["hr"], a.ID, a.Version)
		must(t, err)
		if a.Status != appeal.StatusUnderReview || a.HandlerID != e.hrP.ID || a.Version != 2 {
			t.Errorf("under review = %+v", a)
		}
		e.clock.Set(e.clock.Now().Add(3600e9))
		d, err := e.svc.Decide(e.as["hr"], appeal.DecideParams{AppealID: a.ID, Result: appeal.ResultAdjusted,
			After: appeal.Outcome{Score: appeal.Score(75)}, Reason: "contracts signed in June", Version: a.Version})
		must(t, err)
		want := a
		want.Status, want.Result, want.After = appeal.StatusDecided, appeal.ResultAdjusted, appeal.Outcome{Score: appeal.Score(75)}
		want.ClosedBy, want.ClosedAt, want.CloseReason = e.hrP.ID, e.clock.Now(), "contracts signed in June"
		want.NextAlertOn, want.UpdatedAt, want.Version = hr.Date{}, e.clock.Now(), 3
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("decided (-want +got):\n%s", diff)
		}
		got, err := e.svc.Appeal(e.as["emp"], a.ID)
		must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("stored (-want +got):\n%s", diff)
		}
		wantCall := []adjustCall{{Principal: ballast.Principal{Tenant: e.tenant, Subject: e.hrP.ID, Kind: ballast.KindSystem},
			SubjectID: "res-emp", A: appeal.Adjustment{AppealID: a.ID, Item: "revenue", Before: appeal.Outcome{Score: appeal.Score(60)},
				After: appeal.Outcome{Score: appeal.Score(75)}, Reason: "contracts signed in June", DecidedBy: e.hrP.ID}}}
		if diff := cmp.Diff(wantCall, e.subj.calls); diff != "" {
			t.Errorf("Subject.Adjust calls (-want +got):\n%s", diff)
		}
		es := e.audits(t, appeal.ActionDecide)
		if len(es) != 1 {
			t.Fatalf("%d decide audit entries, want 1", len(es))
		}
		wantChanges := []audit.Change{
			{Path: "Status", Before: "under_review", After: "decided"},
			{Path: "Result", Before: "", After: "adjusted"},
			{Path: "Outcome.Score", Before: "60", After: "75"},
		}
		if diff := cmp.Diff(wantChanges, es[0].Changes); diff != "" {
			t.Errorf("decide audit changes (-want +got):\n%s", diff)
		}
		if es[0].Actor != e.hrP.ID || es[0].Reason != "contracts signed in June" || es[0].TargetID != a.ID {
			t.Errorf("decide audit = %+v", es[0])
		}
		if n := len(e.audits(t, "fake.adjust")); n != 1 {
			t.Errorf("the subject recorded %d adjustments, want 1", n)
		}
		if diff := cmp.Diff([]string{"appeal.decided/" + a.ID + "/" + e.mgr.ID, "appeal.decided/" + a.ID + "/" + e.emp.ID},
			e.messages(t, appeal.KindDecided)); diff != "" {
			t.Errorf("decision notifications (-want +got):\n%s", diff)
		}
	})
}

func TestDecide_UpheldFromOpenLeavesTheSubjectAlone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.file(t, "emp", "res-emp", "")
		d, err := e.svc.Decide(e.as["hr"], appeal.DecideParams{AppealID: a.ID, Result: appeal.ResultUpheld,
			Reason: "the score follows the booked orders", Version: a.Version})
		must(t, err)
		if d.Status != appeal.StatusDecided || d.Result != appeal.ResultUpheld || d.HandlerID != e.hrP.ID || !d.After.IsZero() {
			t.Errorf("upheld = %+v", d)
		}
		if len(e.subj.calls) != 0 || len(e.audits(t, "fake.adjust")) != 0 {
			t.Errorf("an upheld appeal adjusted the subject: %+v", e.subj.calls)
		}
		es := e.audits(t, appeal.ActionDecide)
		wantChanges := []audit.Change{{Path: "Status", Before: "open", After: "decided"}, {Path: "Result", After: "upheld"}}
		if len(es) != 1 {
			t.Fatalf("%d decide audit entries", len(es))
		}
		if diff := cmp.Diff(wantChanges, es[0].Changes); diff != "" {
			t.Errorf("decide audit changes (-want +got):\n%s", diff)
		}
	})
}

func TestDecide_RefusesAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.file(t, "emp", "res-emp", "revenue")
		own := e.file(t, "hr", "res-hr", "")
		adjusted := func(mod func(*appeal.DecideParams)) appeal.DecideParams {
			p := appeal.DecideParams{AppealID: a.ID, Result: appeal.ResultAdjusted, After: appeal.Outcome{Score: appeal.Score(70)},
				Reason: "confirmed", Version: a.Version}
			mod(&p)
			return p
		}
		boom := errors.New("subject store down")
		for _, tc := range []struct {
			name    string
			ctx     context.Context
			p       appeal.DecideParams
			failAdj error
			kind    error
			fields  []string
		}{
			{"no principal", context.Background(), adjusted(func(*appeal.DecideParams) {}), nil, ballast.ErrUnauthenticated, nil},
			{"every bad field at once", e.as["hr"], appeal.DecideParams{AppealID: a.ID, Result: "maybe"}, nil, ballast.ErrInvalid,
				[]string{"reason", "result", "version"}},
			{"adjusted without a new outcome", e.as["hr"], adjusted(func(p *appeal.DecideParams) { p.After = appeal.Outcome{} }), nil, ballast.ErrInvalid, []string{"after"}},
			{"upheld with a new outcome", e.as["hr"], adjusted(func(p *appeal.DecideParams) { p.Result = appeal.ResultUpheld }), nil, ballast.ErrInvalid, []string{"after"}},
			{"a score that is not a number and a long grade", e.as["hr"], adjusted(func(p *appeal.DecideParams) {
				p.After = appeal.Outcome{Score: appeal.Score(math.NaN()), Grade: strings.Repeat("A", appeal.MaxGradeLen+1)}
			}), nil, ballast.ErrInvalid, []string{"after.grade", "after.score"}},
			{"a score the subject refuses", e.as["hr"], adjusted(func(p *appeal.DecideParams) { p.After.Score = appeal.Score(150) }), nil, ballast.ErrInvalid, []string{"after.score"}},
			{"the subject fails after writing", e.as["hr"], adjusted(func(*appeal.DecideParams) {}), boom, boom, nil},
			{"the employee", e.as["emp"], adjusted(func(*appeal.DecideParams) {}), nil, ballast.ErrForbidden, nil},
			{"the manager", e.as["mgr"], adjusted(func(*appeal.DecideParams) {}), nil, ballast.ErrForbidden, nil},
			{"HR on their own appeal", e.as["hr"], adjusted(func(p *appeal.DecideParams) { p.AppealID, p.Version = own.ID, own.Version }), nil, ballast.ErrForbidden, nil},
			{"HR of another tenant", e.as["otherHR"], adjusted(func(*appeal.DecideParams) {}), nil, ballast.ErrNotFound, nil},
			{"a stale version", e.as["hr"], adjusted(func(p *appeal.DecideParams) { p.Version = 9 }), nil, ballast.ErrConflict, nil},
			{"a missing appeal", e.as["hr"], adjusted(func(p *appeal.DecideParams) { p.AppealID = ballast.NewID() }), nil, ballast.ErrNotFound, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e.subj.failAdj = tc.failAdj
				defer func() { e.subj.failAdj = nil }()
				_, err := e.svc.Decide(tc.ctx, tc.p)
				wantErr(t, tc.name, err, tc.kind)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		got, err := e.svc.Appeal(e.as["hr"], a.ID)
		must(t, err)
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("the appeal changed (-want +got):\n%s", diff)
		}
		if n := len(e.audits(t, "fake.adjust")); n != 0 {
			t.Errorf("%d subject adjustments survived refused decisions", n)
		}
		if n := len(e.audits(t, appeal.ActionDecide)); n != 0 {
			t.Errorf("%d decide audit entries for refused decisions", n)
		}
		if keys := e.messages(t, appeal.KindDecided); len(keys) != 0 {
			t.Errorf("decision notifications for refused decisions: %v", keys)
		}
		// Decided once, it is closed.
		p := adjusted(func(*appeal.DecideParams) {})
		_, err = e.svc.Decide(e.as["hr"], p)
		must(t, err)
		_, err = e.svc.Decide(e.as["hr"], p)
		wantErr(t, "deciding twice", err, appeal.ErrClosed)
		p.Version++
		_, err = e.svc.Decide(e.as["hr"], p)
		wantErr(t, "deciding twice at the new version", err, appeal.ErrClosed)
		_, err = e.svc.Withdraw(e.as["emp"], a.ID, "", p.Version)
		wantErr(t, "withdrawing a decided appeal", err, appeal.ErrClosed)
	})
}

func TestStartReview_OnlyHROnlyOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.file(t, "emp", "res-emp", "")
		for _, who := range []string{"emp", "mgr"} {
			_, err := e.svc.StartReview(e.as[who], a.ID, a.Version)
			wantErr(t, who+" taking it under review", err, ballast.ErrForbidden)
		}
		_, err := e.svc.StartReview(e.as["hr"], a.ID, 7)
		wantErr(t, "a stale version", err, ballast.ErrConflict)
		r, err := e.svc.StartReview(e.as["hr"], a.ID, a.Version)
		must(t, err)
		_, err = e.svc.StartReview(e.as["hr"], a.ID, r.Version)
		wantErr(t, "reviewing twice", err, ballast.ErrConflict)
		if es := e.audits(t, appeal.ActionReview); len(es) != 1 {
			t.Errorf("%d review audit entries, want 1", len(es))
		}
	})
}

func TestWithdraw_OnlyTheEmployeeWhilePending(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.file(t, "emp", "res-emp", "")
		for _, who := range []string{"mgr", "hr", "emp2", "otherHR"} {
			_, err := e.svc.Withdraw(e.as[who], a.ID, "", a.Version)
			wantErr(t, who+" withdrawing", err, ballast.ErrNotFound)
		}
		_, err := e.svc.Withdraw(e.as["emp"], a.ID, "", a.Version+1)
		wantErr(t, "a stale version", err, ballast.ErrConflict)
		w, err := e.svc.Withdraw(e.as["emp"], a.ID, "settled with my manager", a.Version)
		must(t, err)
		if w.Status != appeal.StatusWithdrawn || w.ClosedBy != e.emp.ID || w.CloseReason != "settled with my manager" ||
			!w.NextAlertOn.IsZero() || w.Version != 2 {
			t.Errorf("withdrawn = %+v", w)
		}
		_, err = e.svc.Withdraw(e.as["emp"], a.ID, "", w.Version)
		wantErr(t, "withdrawing twice", err, appeal.ErrClosed)
		if keys := e.messages(t, appeal.KindWithdrawn); len(keys) != 1 {
			t.Errorf("withdrawal notifications = %v, want the manager's", keys)
		}
		if es := e.audits(t, appeal.ActionWithdraw); len(es) != 1 || es[0].Reason != "settled with my manager" {
			t.Errorf("withdraw audit = %+v", es)
		}
	})
}
