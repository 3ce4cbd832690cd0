package multirater_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// anonWorld is a collecting round on 王丽 where every anonymous rater
// (three peers and three direct reports, shown; two others, below their
// threshold of three) has submitted a comment that is their fingerprint.
type anonWorld struct {
	r            multirater.Round
	fingerprints map[string]string // anonymous rater ID → their comment
	hidden       []string          // fingerprints of the hidden group
}

func newAnonWorld(t *testing.T, e *env) anonWorld {
	t.Helper()
	w := anonWorld{fingerprints: map[string]string{}}
	w.r = e.createRound(t)
	e.nominate(t, w.r, multirater.GroupPeer, e.peers[:3]...)
	e.nominate(t, w.r, multirater.GroupOther, e.others...)
	// 周杰 stays pending: a nomination that exists but answers nothing.
	_, err := e.svc.Nominate(e.as["reviewee"], multirater.NominateParams{RoundID: w.r.ID, RevieweeID: e.reviewee.ID,
		Group: multirater.GroupPeer, RaterIDs: []string{e.peers[3].ID}})
	must(t, err)
	w.r = e.open(t, w.r)
	e.answer(t, w.r, e.reviewee, 5, 5, 5, "self says hi")
	e.answer(t, w.r, e.manager, 3, 3, 3, "manager says hi")
	n := 0
	for _, x := range [][]hr.Employee{e.peers[:3], e.reports, e.others} {
		for _, rater := range x {
			n++
			fp := fmt.Sprintf("fingerprint-%02d", n)
			w.fingerprints[rater.ID] = fp
			if slices.Contains(e.others, rater) {
				w.hidden = append(w.hidden, fp)
			}
			e.answer(t, w.r, rater, 1+n%5, 1+(n+1)%5, 1+(n+2)%5, fp)
		}
	}
	return w
}

// leaks returns what out reveals: an anonymous rater's ID together with
// their fingerprint, or a fingerprint of the hidden group at all.
func (w anonWorld) leaks(out string) []string {
	var bad []string
	for id, fp := range w.fingerprints {
		if strings.Contains(out, id) && strings.Contains(out, fp) {
			bad = append(bad, "rater "+id+" with "+fp)
		}
	}
	for _, fp := range w.hidden {
		if strings.Contains(out, fp) {
			bad = append(bad, "hidden "+fp)
		}
	}
	return bad
}

// calls invokes every exported method of the Service as the principal in
// ctx, with the arguments that principal could plausibly pass, and
// returns each result and error as text. The keys must be exactly the
// Service's method set: a new method fails the test until it is thought
// through here.
func calls(e *env, w anonWorld) map[string]func(ctx context.Context, as []multirater.Assignment) []any {
	r := w.r
	everyAssignment := func(as []multirater.Assignment, fn func(a multirater.Assignment) []any) []any {
		var out []any
		for _, a := range as {
			out = append(out, fn(a)...)
		}
		return out
	}
	two := func(v any, err error) []any { return []any{v, err} }
	return map[string]func(ctx context.Context, as []multirater.Assignment) []any{
		"Settings": func(ctx context.Context, _ []multirater.Assignment) []any { return two(e.svc.Settings(ctx)) },
		"UpdateSettings": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.UpdateSettings(ctx, multirater.Settings{Thresholds: map[multirater.Group]int{"peer": 2, "direct_report": 2, "other": 2}, MaxPerRater: 9, Gap: 10}, 99))
		},
		"CreateRound": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.CreateRound(ctx, multirater.RoundParams{}))
		},
		"AddReviewees": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.AddReviewees(ctx, r.ID, []string{e.reviewee.ID}))
		},
		"Round":  func(ctx context.Context, _ []multirater.Assignment) []any { return two(e.svc.Round(ctx, r.ID)) },
		"Rounds": func(ctx context.Context, _ []multirater.Assignment) []any { return two(e.svc.Rounds(ctx, cycleID)) },
		"Reviewees": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.Reviewees(ctx, r.ID, "", 0))
		},
		"OpenRound": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.OpenRound(ctx, r.ID, 0))
		},
		"CloseRound": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.CloseRound(ctx, r.ID, 0))
		},
		"SetDeadlines": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.SetDeadlines(ctx, r.ID, nominationDue, responseDue, 0))
		},
		"Progress": func(ctx context.Context, _ []multirater.Assignment) []any { return two(e.svc.Progress(ctx, r.ID)) },
		"Nominate": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.Nominate(ctx, multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID,
				Group: multirater.GroupPeer, RaterIDs: ids(e.peers...)}))
		},
		"Nominations": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.Nominations(ctx, r.ID, e.reviewee.ID))
		},
		"PendingNominations": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.PendingNominations(ctx, r.ID, "", 0))
		},
		"DecideNomination": func(ctx context.Context, as []multirater.Assignment) []any {
			return everyAssignment(as, func(a multirater.Assignment) []any {
				return two(e.svc.DecideNomination(ctx, a.ID, false, "probe", a.Version))
			})
		},
		"MyAssignments": func(ctx context.Context, _ []multirater.Assignment) []any { return two(e.svc.MyAssignments(ctx, "")) },
		"Draft": func(ctx context.Context, as []multirater.Assignment) []any {
			return everyAssignment(as, func(a multirater.Assignment) []any { return two(e.svc.Draft(ctx, a.ID)) })
		},
		"SaveDraft": func(ctx context.Context, as []multirater.Assignment) []any {
			return everyAssignment(as, func(a multirater.Assignment) []any {
				return two(e.svc.SaveDraft(ctx, a.ID, multirater.Answers{Scores: map[string]int{"L1": 3}}))
			})
		},
		"Submit": func(ctx context.Context, as []multirater.Assignment) []any {
			return everyAssignment(as, func(a multirater.Assignment) []any {
				return two(e.svc.Submit(ctx, a.ID, multirater.Answers{Scores: map[string]int{"L1": 3, "L2": 3, "C1": 3}}))
			})
		},
		"Report": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.Report(ctx, r.ID, e.reviewee.ID))
		},
		"Results": func(ctx context.Context, _ []multirater.Assignment) []any {
			var out []any
			err := e.svc.Results(ctx, r.ID, func(s multirater.Summary) error { out = append(out, s); return nil })
			return append(out, err)
		},
		"DimensionScores": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.DimensionScores(ctx, cycleID, e.reviewee.ID))
		},
		"DimensionScoresMany": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.DimensionScoresMany(ctx, cycleID, []string{e.reviewee.ID, e.manager.ID}))
		},
		"CycleDimensionScores": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.CycleDimensionScores(ctx, cycleID))
		},
		"Reconcile": func(ctx context.Context, _ []multirater.Assignment) []any {
			return two(e.svc.Reconcile(ctx, e.clock.Now()))
		},
	}
}

// text renders results and errors for the leak check.
func text(t *testing.T, vs []any) string {
	t.Helper()
	var b strings.Builder
	for _, v := range vs {
		if err, ok := v.(error); ok {
			if err != nil {
				b.WriteString(err.Error())
			}
			continue
		}
		j, err := json.Marshal(v)
		must(t, err)
		b.Write(j)
		fmt.Fprintf(&b, "%+v", v)
	}
	return b.String()
}

// TestAnonymity_NoMethodReturnsAnAnonymousRaterWithTheirAnswers proves the
// first anonymity property on every exported method: called by every
// principal (HR, the head, the manager, the reviewee, each rater, a system
// principal), before and after the round closes, with the arguments each
// could pass (every assignment ID they can see, and those of the others),
// no result or error shows an anonymous rater's identity together with
// their answer, nor anything of the group below its threshold. The audit
// log and the stored responses hold no link either.
func TestAnonymity_NoMethodReturnsAnAnonymousRaterWithTheirAnswers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		w := newAnonWorld(t, e)
		cs := calls(e, w)
		var methods []string
		st := reflect.TypeOf(e.svc)
		for i := range st.NumMethod() {
			methods = append(methods, st.Method(i).Name)
		}
		var covered []string
		for name := range cs {
			covered = append(covered, name)
		}
		slices.Sort(covered)
		if d := cmp.Diff(methods, covered); d != "" {
			t.Fatalf("every exported method must be probed for leaks (-methods +probed):\n%s", d)
		}
		// Every assignment of the round, as HR could never list them: the
		// probe tries all IDs with every principal.
		var all []multirater.Assignment
		for _, ctx := range e.as {
			as, err := e.svc.MyAssignments(ctx, w.r.ID)
			must(t, err)
			all = append(all, as...)
		}
		principals := map[string]context.Context{"system": e.sys}
		for k, v := range e.as {
			principals[k] = v
		}
		probe := func(phase string) {
			for who, ctx := range principals {
				for _, name := range covered {
					out := text(t, cs[name](ctx, all))
					if bad := w.leaks(out); len(bad) > 0 {
						t.Errorf("%s: %s as %s leaks %v", phase, name, who, bad)
					}
				}
			}
		}
		probe("collecting")
		r, err := e.svc.Round(e.as["hr"], w.r.ID)
		must(t, err)
		e.close(t, r)
		probe("closed")

		// The probe saw the anonymous comments (so it could have caught a
		// leak): the report shows the shown groups' fingerprints.
		rep, err := e.svc.Report(e.as["hr"], w.r.ID, e.reviewee.ID)
		must(t, err)
		shown := 0
		for _, c := range rep.Comments {
			if strings.HasPrefix(c.Text, "fingerprint-") {
				shown++
				if c.RaterID != "" {
					t.Errorf("anonymous comment %q names %s", c.Text, c.RaterID)
				}
			}
		}
		if shown != 6 {
			t.Errorf("the report shows %d anonymous comments, want the 6 of the shown groups", shown)
		}

		// The audit log records submissions without answers.
		entries, err := e.log.Query(e.sys, e.tenant, audit.Filter{Limit: 1000})
		must(t, err)
		submits := 0
		for _, en := range entries {
			j, err := json.Marshal(en)
			must(t, err)
			if strings.Contains(string(j), "fingerprint-") {
				t.Errorf("audit entry %s holds an answer: %s", en.Action, j)
			}
			if en.Action == multirater.ActionSubmit {
				submits++
				if len(en.Changes) != 0 {
					t.Errorf("submission audited with changes: %+v", en.Changes)
				}
			}
		}
		if submits != 10 {
			t.Errorf("%d submissions audited, want 10", submits)
		}

		// The stored responses: no anonymous rater ID in any column, random
		// (version 4) IDs that say nothing about time.
		ctx := context.Background()
		var rows []struct {
			ID      string `bun:"id"`
			RaterID string `bun:"rater_id"`
			Grp     string `bun:"grp"`
		}
		must(t, db.Bun().NewSelect().TableExpr("ballast_multirater_comments").Column("id", "rater_id", "grp").
			Where("tenant_id = ?", e.tenant).Scan(ctx, &rows))
		for _, row := range rows {
			if row.Grp != "self" && row.Grp != "manager" && row.RaterID != "" {
				t.Errorf("a stored %s comment names its rater", row.Grp)
			}
			if u, err := uuid.Parse(row.ID); err != nil || u.Version() != 4 {
				t.Errorf("comment id %s is not a random UUID", row.ID)
			}
		}
		var responseIDs []string
		must(t, db.Bun().NewSelect().TableExpr("ballast_multirater_scores").ColumnExpr("DISTINCT response_id").
			Where("tenant_id = ?", e.tenant).Scan(ctx, &responseIDs))
		for _, id := range responseIDs {
			if u, err := uuid.Parse(id); err != nil || u.Version() != 4 {
				t.Errorf("response id %s is not a random UUID", id)
			}
		}
		if len(responseIDs) != 10 {
			t.Errorf("%d stored responses, want 10", len(responseIDs))
		}
	})
}

// TestAnonymity_ReportsExistOnlyOnceTheRoundCanNoLongerChange proves the
// second property: a reviewee cannot infer one rater's score by comparing
// reports, because there is never a pair of different reports to
// compare. No report, summary or score exists before the round closes;
// once it is closed every write is refused, a change of the tenant's
// thresholds does not reach the round, and the report (comment order
// included) is the same every time.
func TestAnonymity_ReportsExistOnlyOnceTheRoundCanNoLongerChange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		w := newAnonWorld(t, e)
		for _, who := range []string{"reviewee", "manager", "hr"} {
			_, err := e.svc.Report(e.as[who], w.r.ID, e.reviewee.ID)
			wantErr(t, who+" reads a report while collecting", err, multirater.ErrRoundState)
		}
		err := e.svc.Results(e.as["hr"], w.r.ID, func(multirater.Summary) error { return nil })
		wantErr(t, "results while collecting", err, multirater.ErrRoundState)
		scores, err := e.svc.DimensionScores(e.as["reviewee"], cycleID, e.reviewee.ID)
		must(t, err)
		all, err := e.svc.CycleDimensionScores(e.as["hr"], cycleID)
		must(t, err)
		if len(scores) != 0 || len(all) != 0 {
			t.Errorf("scores before closing: %v %v", scores, all)
		}

		r, err := e.svc.Round(e.as["hr"], w.r.ID)
		must(t, err)
		r = e.close(t, r)
		before, err := e.svc.Report(e.as["reviewee"], r.ID, e.reviewee.ID)
		must(t, err)
		if slices.ContainsFunc(before.Groups, func(g multirater.GroupResult) bool { return g.Group == multirater.GroupOther }) {
			t.Fatalf("the two others are below their threshold of 3 and must not show")
		}

		// Every way to change the round after closing is refused.
		pending, err := e.svc.PendingNominations(e.as["hr"], r.ID, "", 0)
		must(t, err)
		_, err = e.svc.DecideNomination(e.as["manager"], pending[0].ID, true, "", pending[0].Version)
		wantErr(t, "approve after closing", err, multirater.ErrRoundState)
		mgr := e.assignment(t, r, e.reports[0])
		_, err = e.svc.Submit(e.as["report0"], mgr.ID, multirater.Answers{Scores: map[string]int{"L1": 1, "L2": 1, "C1": 1}})
		wantErr(t, "submit again after closing", err, multirater.ErrAssignmentState)
		_, err = e.svc.Nominate(e.as["hr"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID, Group: multirater.GroupOther, RaterIDs: []string{e.head.ID}})
		wantErr(t, "nominate after closing", err, multirater.ErrRoundState)
		_, err = e.svc.OpenRound(e.as["hr"], r.ID, r.Version)
		wantErr(t, "reopen", err, multirater.ErrRoundState)
		_, err = e.svc.SetDeadlines(e.as["hr"], r.ID, nominationDue, hr.NewDate(2027, 1, 31), r.Version)
		wantErr(t, "move the deadline after closing", err, multirater.ErrRoundState)
		_, err = e.svc.AddReviewees(e.as["hr"], r.ID, []string{e.manager.ID})
		wantErr(t, "add a reviewee after closing", err, multirater.ErrRoundState)
		// Lowering the tenant's thresholds to 2 would show the two others;
		// the closed round keeps the thresholds it was created with.
		st, err := e.svc.Settings(e.as["hr"])
		must(t, err)
		st.Thresholds = map[multirater.Group]int{multirater.GroupPeer: 2, multirater.GroupDirectReport: 2, multirater.GroupOther: 2}
		_, err = e.svc.UpdateSettings(e.as["hr"], st, st.Version)
		must(t, err)

		for i := range 3 {
			after, err := e.svc.Report(e.as["reviewee"], r.ID, e.reviewee.ID)
			must(t, err)
			if d := cmp.Diff(before, after); d != "" {
				t.Errorf("read %d: the report of a closed round changed (-first +now):\n%s", i, d)
			}
		}
		_ = ballast.ErrConflict
	})
}

// TestAnonymity_CommentOrderFollowsNeitherRatersNorSubmissions submits
// twenty peer comments in rater-ID order and checks that the report lists
// them in neither submission nor rater-ID order (a chance of 2 in 20! to
// fail by luck), and in the same order on every read.
func TestAnonymity_CommentOrderFollowsNeitherRatersNorSubmissions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		const n = 20
		var crowd []hr.Employee
		for i := range n {
			emp, err := e.hr.HireEmployee(e.sys, hr.EmployeeParams{Number: fmt.Sprintf("P%03d", i), Name: fmt.Sprintf("同事%02d", i),
				DepartmentID: e.manager.DepartmentID, ManagerID: e.manager.ID, HireDate: hr.NewDate(2021, 3, 1), HireChannel: hr.ChannelCampus})
			must(t, err)
			must(t, e.enf.GrantRole(e.sys, emp.ID, "employee", "test"))
			crowd = append(crowd, emp)
		}
		slices.SortFunc(crowd, func(a, b hr.Employee) int { return strings.Compare(a.ID, b.ID) })
		r := e.createRound(t)
		e.nominate(t, r, multirater.GroupPeer, crowd...)
		r = e.open(t, r)
		var order []string
		for i, p := range crowd {
			ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: p.ID, Kind: ballast.KindUser})
			as, err := e.svc.MyAssignments(ctx, r.ID)
			must(t, err)
			text := fmt.Sprintf("comment %02d", i)
			order = append(order, text)
			_, err = e.svc.Submit(ctx, as[0].ID, multirater.Answers{Scores: map[string]int{"L1": 3, "L2": 3, "C1": 3}, Comments: map[string]string{"LEAD": text}})
			must(t, err)
		}
		r = e.close(t, r)
		read := func() []string {
			rep, err := e.svc.Report(e.as["reviewee"], r.ID, e.reviewee.ID)
			must(t, err)
			var got []string
			for _, c := range rep.Comments {
				if c.Group == multirater.GroupPeer {
					got = append(got, c.Text)
				}
			}
			return got
		}
		got := read()
		if len(got) != n {
			t.Fatalf("%d peer comments, want %d", len(got), n)
		}
		reversed := slices.Clone(order)
		slices.Reverse(reversed)
		if slices.Equal(got, order) || slices.Equal(got, reversed) {
			t.Errorf("comments come in submission (= rater-ID) order: %v", got)
		}
		if d := cmp.Diff(got, read()); d != "" {
			t.Errorf("the order changes between reads (-first +second):\n%s", d)
		}
	})
}
