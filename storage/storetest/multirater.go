package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
)

// RunMultirater runs the conformance suite for multirater.Store. open must
// return a fresh, empty, migrated backend for every call: a transactor,
// the hr store (the suite seeds tenants and employees through it) and the
// multirater store, all joining the transactor's transactions.
func RunMultirater(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, multirater.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w mrWorld)
	}{
		{"SettingsRoundTripUnderVersions", testMRSettings},
		{"RoundsRoundTripAndDueByAlertDay", testMRRounds},
		{"ASharedRoundLockHoldsOffItsUpdate", testMRLock},
		{"RevieweesAndAssignmentsRoundTrip", testMRAssignments},
		{"DraftsPutAndClear", testMRDrafts},
		{"ResponsesAggregateInTheDatabase", testMRResponses},
		{"RemindersListDistinctRecipientsByKeyset", testMRRecipients},
		{"RolledBackWritesLeaveNothing", testMRRollback},
		{"TenantBNeverTouchesTenantA", testMRIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, mrWorld{tx: tx, s: s, a: seedMRTenant(t, h, "A"), b: seedMRTenant(t, h, "B")})
		})
	}
}

var mrT0 = time.Date(2026, 12, 1, 1, 0, 0, 123456000, time.UTC)

// mrTenant is one tenant: a manager boss with reports x, y and z, and a
// departed employee gone whose manager is also boss.
type mrTenant struct {
	id                  string
	boss, x, y, z, gone hr.Employee
}

type mrWorld struct {
	tx   ballast.Transactor
	s    multirater.Store
	a, b mrTenant
}

func seedMRTenant(t *testing.T, s hr.Store, name string) mrTenant {
	t.Helper()
	ctx := context.Background()
	mt := mrTenant{id: ballast.NewID()}
	offMust(t, s.InsertTenant(ctx, hr.Tenant{ID: mt.id, Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
		CreatedAt: mrT0, UpdatedAt: mrT0, Version: 1}))
	d := hr.Department{ID: ballast.NewID(), Name: "R&D", CreatedAt: mrT0, UpdatedAt: mrT0, Version: 1}
	offMust(t, s.InsertDepartments(ctx, mt.id, []hr.Department{d}))
	emp := func(n, manager string) hr.Employee {
		return hr.Employee{ID: ballast.NewID(), Number: n, Name: n, DepartmentID: d.ID, ManagerID: manager,
			HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus, Status: hr.StatusActive,
			CreatedAt: mrT0, UpdatedAt: mrT0, Version: 1}
	}
	mt.boss = emp("B1", "")
	mt.x, mt.y, mt.z = emp("X1", mt.boss.ID), emp("Y1", mt.boss.ID), emp("Z1", mt.boss.ID)
	mt.gone = emp("G1", mt.boss.ID)
	mt.gone.Status, mt.gone.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 6, 30)
	offMust(t, s.InsertEmployees(ctx, mt.id, []hr.Employee{mt.boss, mt.x, mt.y, mt.z, mt.gone}))
	return mt
}

func mrRound(cycle string) multirater.Round {
	return multirater.Round{ID: ballast.NewID(), CycleID: cycle, Name: "2026 360",
		Questionnaire: multirater.Questionnaire{Scale: multirater.Scale{Min: 1, Max: 5, Anchors: []multirater.Anchor{{Value: 5, Label: "role model"}}},
			Dimensions: []multirater.Dimension{
				{Code: "LEAD", Name: "Leadership", Comment: true, Questions: []multirater.Question{{Code: "L1", Text: "sets direction"}, {Code: "L2", Text: "develops people"}}},
				{Code: "COMM", Name: "Communication", Questions: []multirater.Question{{Code: "C1", Text: "listens"}}},
			}},
		NominationDue: hr.NewDate(2026, 12, 4), ResponseDue: hr.NewDate(2026, 12, 18), State: multirater.StateNominating,
		Settings: multirater.DefaultSettings(), NextAlertOn: hr.NewDate(2026, 12, 1), CreatedBy: "hr",
		CreatedAt: mrT0, UpdatedAt: mrT0, Version: 1}
}

func mrAssign(r multirater.Round, reviewee, rater hr.Employee, g multirater.Group, st multirater.Status) multirater.Assignment {
	return multirater.Assignment{ID: ballast.NewID(), RoundID: r.ID, RevieweeID: reviewee.ID, RaterID: rater.ID, Group: g,
		Status: st, CreatedAt: mrT0, UpdatedAt: mrT0, Version: 1}
}

// mrSetup inserts a round with reviewees boss (no manager) and x (manager
// boss) in tenant mt.
func mrSetup(t *testing.T, w mrWorld, mt mrTenant) multirater.Round {
	t.Helper()
	ctx := context.Background()
	r := mrRound(ballast.NewID())
	offMust(t, w.s.InsertRound(ctx, mt.id, r))
	offMust(t, w.s.InsertReviewees(ctx, mt.id, []multirater.Reviewee{
		{RoundID: r.ID, EmployeeID: mt.boss.ID, AddedAt: mrT0},
		{RoundID: r.ID, EmployeeID: mt.x.ID, ManagerID: mt.boss.ID, AddedAt: mrT0},
	}))
	r.Reviewees = 2
	return r
}

func testMRSettings(t *testing.T, w mrWorld) {
	ctx := context.Background()
	_, err := w.s.Settings(ctx, w.a.id)
	offIs(t, "no settings yet", err, ballast.ErrNotFound)
	st := multirater.DefaultSettings()
	st.MaxPerRater, st.Version, st.UpdatedAt = 5, 1, mrT0
	offMust(t, w.s.PutSettings(ctx, w.a.id, st, 0))
	offIs(t, "a second insert", w.s.PutSettings(ctx, w.a.id, st, 0), ballast.ErrConflict)
	got, err := w.s.Settings(ctx, w.a.id)
	offMust(t, err)
	if d := cmp.Diff(st, got); d != "" {
		t.Errorf("settings (-want +got):\n%s", d)
	}
	st2 := st
	st2.Thresholds = map[multirater.Group]int{multirater.GroupPeer: 4, multirater.GroupDirectReport: 5, multirater.GroupOther: 6}
	st2.Version = 2
	offIs(t, "stale version", w.s.PutSettings(ctx, w.a.id, st2, 7), ballast.ErrConflict)
	offMust(t, w.s.PutSettings(ctx, w.a.id, st2, 1))
	got, err = w.s.Settings(ctx, w.a.id)
	offMust(t, err)
	if d := cmp.Diff(st2, got); d != "" {
		t.Errorf("updated settings (-want +got):\n%s", d)
	}
	offIs(t, "update of a tenant without settings", w.s.PutSettings(ctx, w.b.id, st2, 1), ballast.ErrNotFound)
}

func testMRRounds(t *testing.T, w mrWorld) {
	ctx := context.Background()
	cycle := ballast.NewID()
	r1, r2 := mrRound(cycle), mrRound(cycle)
	r2.NextAlertOn = hr.NewDate(2026, 12, 10)
	other := mrRound(ballast.NewID())
	other.NextAlertOn = hr.Date{}
	for _, r := range []multirater.Round{r1, r2, other} {
		offMust(t, w.s.InsertRound(ctx, w.a.id, r))
	}
	offIs(t, "duplicate id", w.s.InsertRound(ctx, w.a.id, r1), ballast.ErrConflict)
	got, err := w.s.Round(ctx, w.a.id, r1.ID)
	offMust(t, err)
	if d := cmp.Diff(r1, got); d != "" {
		t.Errorf("round (-want +got):\n%s", d)
	}
	_, err = w.s.Round(ctx, w.a.id, ballast.NewID())
	offIs(t, "unknown round", err, ballast.ErrNotFound)
	for _, mode := range []multirater.Lock{multirater.LockShare, multirater.LockUpdate} {
		offMust(t, w.tx.InTx(ctx, func(ctx context.Context) error {
			got, err := w.s.LockRound(ctx, w.a.id, r1.ID, mode)
			if err != nil {
				return err
			}
			if d := cmp.Diff(r1, got); d != "" {
				t.Errorf("locked round (-want +got):\n%s", d)
			}
			_, err = w.s.LockRound(ctx, w.a.id, ballast.NewID(), mode)
			offIs(t, "lock of an unknown round", err, ballast.ErrNotFound)
			return nil
		}))
	}
	list, err := w.s.Rounds(ctx, w.a.id, cycle)
	offMust(t, err)
	if d := cmp.Diff([]string{r1.ID, r2.ID}, mrRoundIDs(list)); d != "" {
		t.Errorf("rounds of the cycle (-want +got):\n%s", d)
	}
	all, err := w.s.Rounds(ctx, w.a.id, "")
	offMust(t, err)
	if len(all) != 3 {
		t.Errorf("every round: %d, want 3", len(all))
	}

	up := r1
	up.State, up.OpenedAt, up.UpdatedAt, up.Version = multirater.StateCollecting, mrT0.Add(time.Hour), mrT0.Add(time.Hour), 2
	up.ResponseDue = hr.NewDate(2026, 12, 20)
	offIs(t, "stale version", w.s.UpdateRound(ctx, w.a.id, up, 5), ballast.ErrConflict)
	offMust(t, w.s.UpdateRound(ctx, w.a.id, up, 1))
	got, err = w.s.Round(ctx, w.a.id, r1.ID)
	offMust(t, err)
	if d := cmp.Diff(up, got); d != "" {
		t.Errorf("updated round (-want +got):\n%s", d)
	}

	due, err := w.s.DueRounds(ctx, w.a.id, hr.NewDate(2026, 12, 5), 10)
	offMust(t, err)
	if d := cmp.Diff([]string{r1.ID}, mrRoundIDs(due)); d != "" {
		t.Errorf("due on 5 Dec (-want +got):\n%s", d)
	}
	offMust(t, w.s.SetRoundAlert(ctx, w.a.id, r1.ID, hr.Date{}))
	due, err = w.s.DueRounds(ctx, w.a.id, hr.NewDate(2026, 12, 31), 10)
	offMust(t, err)
	if d := cmp.Diff([]string{r2.ID}, mrRoundIDs(due)); d != "" {
		t.Errorf("due on 31 Dec after clearing r1 (-want +got):\n%s", d)
	}
	closed := r2
	closed.State, closed.ClosedAt, closed.Version = multirater.StateClosed, mrT0.Add(2*time.Hour), 2
	offMust(t, w.s.UpdateRound(ctx, w.a.id, closed, 1))
	due, err = w.s.DueRounds(ctx, w.a.id, hr.NewDate(2026, 12, 31), 10)
	offMust(t, err)
	if len(due) != 0 {
		t.Errorf("closed rounds are never due: %v", mrRoundIDs(due))
	}
}

func mrRoundIDs(rs []multirater.Round) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	slices.Sort(out)
	return out
}

func mrAssignmentIDs(as []multirater.Assignment) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	slices.Sort(out)
	return out
}

func sortedIDs(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func testMRAssignments(t *testing.T, w mrWorld) {
	ctx := context.Background()
	mt := w.a
	r := mrSetup(t, w, mt)
	got, err := w.s.Round(ctx, mt.id, r.ID)
	offMust(t, err)
	if got.Reviewees != 2 {
		t.Errorf("Reviewees = %d, want 2", got.Reviewees)
	}
	offIs(t, "a reviewee twice", w.s.InsertReviewees(ctx, mt.id, []multirater.Reviewee{{RoundID: r.ID, EmployeeID: mt.x.ID, AddedAt: mrT0}}), ballast.ErrConflict)
	rv, err := w.s.Reviewee(ctx, mt.id, r.ID, mt.x.ID)
	offMust(t, err)
	if d := cmp.Diff(multirater.Reviewee{RoundID: r.ID, EmployeeID: mt.x.ID, ManagerID: mt.boss.ID, AddedAt: mrT0}, rv); d != "" {
		t.Errorf("reviewee (-want +got):\n%s", d)
	}
	_, err = w.s.Reviewee(ctx, mt.id, r.ID, mt.y.ID)
	offIs(t, "not a reviewee", err, ballast.ErrNotFound)
	page, err := w.s.Reviewees(ctx, mt.id, r.ID, "", 1)
	offMust(t, err)
	first := min(mt.boss.ID, mt.x.ID)
	if len(page) != 1 || page[0].EmployeeID != first {
		t.Errorf("first page = %v, want %s", page, first)
	}
	page, err = w.s.Reviewees(ctx, mt.id, r.ID, first, 10)
	offMust(t, err)
	if len(page) != 1 || page[0].EmployeeID != max(mt.boss.ID, mt.x.ID) {
		t.Errorf("second page = %v", page)
	}

	reports, err := w.s.DirectReports(ctx, mt.id, []string{mt.boss.ID, mt.x.ID})
	offMust(t, err)
	if d := cmp.Diff(map[string][]string{mt.boss.ID: sortedIDs(mt.x.ID, mt.y.ID, mt.z.ID)}, reports); d != "" {
		t.Errorf("direct reports, departed left out (-want +got):\n%s", d)
	}

	self := mrAssign(r, mt.x, mt.x, multirater.GroupSelf, multirater.StatusOpen)
	mgr := mrAssign(r, mt.x, mt.boss, multirater.GroupManager, multirater.StatusOpen)
	peer := mrAssign(r, mt.x, mt.y, multirater.GroupPeer, multirater.StatusPending)
	peer.NominatedBy = mt.x.ID
	rejected := mrAssign(r, mt.x, mt.z, multirater.GroupPeer, multirater.StatusRejected)
	rejected.DecidedBy, rejected.DecidedAt, rejected.Reason = mt.boss.ID, mrT0, "works elsewhere"
	report := mrAssign(r, mt.boss, mt.y, multirater.GroupDirectReport, multirater.StatusSubmitted)
	report.SubmittedAt = mrT0.Add(time.Minute)
	offMust(t, w.s.InsertAssignments(ctx, mt.id, []multirater.Assignment{self, mgr, peer, rejected, report}))
	offIs(t, "a live assignment twice", w.s.InsertAssignments(ctx, mt.id, []multirater.Assignment{mrAssign(r, mt.x, mt.y, multirater.GroupOther, multirater.StatusPending)}), ballast.ErrConflict)
	again := mrAssign(r, mt.x, mt.z, multirater.GroupOther, multirater.StatusPending)
	offMust(t, w.s.InsertAssignments(ctx, mt.id, []multirater.Assignment{again}))
	offIs(t, "an assignment to a non-reviewee", w.s.InsertAssignments(ctx, mt.id, []multirater.Assignment{mrAssign(r, mt.z, mt.y, multirater.GroupPeer, multirater.StatusPending)}), ballast.ErrConflict)

	a, err := w.s.Assignment(ctx, mt.id, rejected.ID)
	offMust(t, err)
	if d := cmp.Diff(rejected, a); d != "" {
		t.Errorf("assignment (-want +got):\n%s", d)
	}
	for _, tc := range []struct {
		name string
		q    multirater.AssignmentQuery
		want []string
	}{
		{"by round", multirater.AssignmentQuery{RoundID: r.ID}, sortedIDs(self.ID, mgr.ID, peer.ID, rejected.ID, report.ID, again.ID)},
		{"by reviewee", multirater.AssignmentQuery{RoundID: r.ID, RevieweeID: mt.boss.ID}, []string{report.ID}},
		{"by rater", multirater.AssignmentQuery{RaterID: mt.y.ID}, sortedIDs(peer.ID, report.ID)},
		{"pending of the reviewees boss manages", multirater.AssignmentQuery{RoundID: r.ID, ManagerID: mt.boss.ID, Status: multirater.StatusPending}, sortedIDs(peer.ID, again.ID)},
		{"nothing managed by y", multirater.AssignmentQuery{ManagerID: mt.y.ID}, []string{}},
		{"limit", multirater.AssignmentQuery{RoundID: r.ID, Limit: 2}, sortedIDs(self.ID, mgr.ID, peer.ID, rejected.ID, report.ID, again.ID)[:2]},
		{"after", multirater.AssignmentQuery{RoundID: r.ID, After: sortedIDs(self.ID, mgr.ID, peer.ID, rejected.ID, report.ID, again.ID)[4]}, sortedIDs(self.ID, mgr.ID, peer.ID, rejected.ID, report.ID, again.ID)[5:]},
	} {
		got, err := w.s.Assignments(ctx, mt.id, tc.q)
		offMust(t, err)
		if d := cmp.Diff(tc.want, mrAssignmentIDs(got)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}

	up := peer
	up.Status, up.DecidedBy, up.DecidedAt, up.Reason, up.UpdatedAt, up.Version = multirater.StatusOpen, mt.boss.ID, mrT0.Add(time.Hour), "ok", mrT0.Add(time.Hour), 2
	offIs(t, "stale", w.s.UpdateAssignment(ctx, mt.id, up, 3), ballast.ErrConflict)
	offMust(t, w.s.UpdateAssignment(ctx, mt.id, up, 1))
	a, err = w.s.Assignment(ctx, mt.id, peer.ID)
	offMust(t, err)
	if d := cmp.Diff(up, a); d != "" {
		t.Errorf("updated assignment (-want +got):\n%s", d)
	}

	loads, err := w.s.RaterLoads(ctx, mt.id, r.ID, []string{mt.x.ID, mt.y.ID, mt.z.ID, mt.boss.ID})
	offMust(t, err)
	if d := cmp.Diff(map[string]int{mt.y.ID: 2, mt.z.ID: 1, mt.boss.ID: 1}, loads); d != "" {
		t.Errorf("loads without self and rejected (-want +got):\n%s", d)
	}
	counts, err := w.s.CountAssignments(ctx, mt.id, r.ID)
	offMust(t, err)
	want := []multirater.GroupCount{
		{Group: multirater.GroupDirectReport, Status: multirater.StatusSubmitted, N: 1},
		{Group: multirater.GroupManager, Status: multirater.StatusOpen, N: 1},
		{Group: multirater.GroupOther, Status: multirater.StatusPending, N: 1},
		{Group: multirater.GroupPeer, Status: multirater.StatusOpen, N: 1},
		{Group: multirater.GroupPeer, Status: multirater.StatusRejected, N: 1},
		{Group: multirater.GroupSelf, Status: multirater.StatusOpen, N: 1},
	}
	if d := cmp.Diff(want, counts); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
}

func testMRRollback(t *testing.T, w mrWorld) {
	ctx := context.Background()
	mt := w.a
	boom := errors.New("boom")
	r := mrRound(ballast.NewID())
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		offMust(t, w.s.InsertRound(ctx, mt.id, r))
		offMust(t, w.s.InsertReviewees(ctx, mt.id, []multirater.Reviewee{{RoundID: r.ID, EmployeeID: mt.x.ID, AddedAt: mrT0}}))
		offMust(t, w.s.InsertAssignments(ctx, mt.id, []multirater.Assignment{mrAssign(r, mt.x, mt.y, multirater.GroupPeer, multirater.StatusOpen)}))
		offMust(t, w.s.InsertResponse(ctx, mt.id, mrResponse(r, mt.x.ID, multirater.GroupPeer, 1, 2, 3, "c")))
		offMust(t, w.s.PutSettings(ctx, mt.id, multirater.Settings{Version: 1, UpdatedAt: mrT0}, 0))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	_, err = w.s.Round(ctx, mt.id, r.ID)
	offIs(t, "rolled-back round", err, ballast.ErrNotFound)
	_, err = w.s.Settings(ctx, mt.id)
	offIs(t, "rolled-back settings", err, ballast.ErrNotFound)
	as, err := w.s.Assignments(ctx, mt.id, multirater.AssignmentQuery{RaterID: mt.y.ID})
	offMust(t, err)
	n := 0
	offMust(t, w.s.ScoreTotals(ctx, mt.id, r.ID, "", func(multirater.ScoreTotal) error { n++; return nil }))
	if len(as) != 0 || n != 0 {
		t.Errorf("rolled back: %d assignments, %d score totals remain", len(as), n)
	}
}

func testMRIsolation(t *testing.T, w mrWorld) {
	ctx := context.Background()
	a, b := w.a, w.b
	offMust(t, w.s.PutSettings(ctx, a.id, multirater.Settings{Version: 1, UpdatedAt: mrT0}, 0))
	r := mrSetup(t, w, a)
	asg := mrAssign(r, a.x, a.y, multirater.GroupPeer, multirater.StatusPending)
	offMust(t, w.s.InsertAssignments(ctx, a.id, []multirater.Assignment{asg}))
	offMust(t, w.s.PutDraft(ctx, a.id, asg.ID, multirater.Answers{Scores: map[string]int{"L1": 3}}))
	offMust(t, w.s.InsertResponse(ctx, a.id, mrResponse(r, a.x.ID, multirater.GroupPeer, 1, 2, 3, "secret")))

	_, err := w.s.Settings(ctx, b.id)
	offIs(t, "B reads A's settings", err, ballast.ErrNotFound)
	offIs(t, "B updates A's settings", w.s.PutSettings(ctx, b.id, multirater.Settings{Version: 2}, 1), ballast.ErrNotFound)
	_, err = w.s.Round(ctx, b.id, r.ID)
	offIs(t, "B reads A's round", err, ballast.ErrNotFound)
	_, err = w.s.LockRound(ctx, b.id, r.ID, multirater.LockUpdate)
	offIs(t, "B locks A's round", err, ballast.ErrNotFound)
	up := r
	up.Version = 2
	offIs(t, "B updates A's round", w.s.UpdateRound(ctx, b.id, up, 1), ballast.ErrNotFound)
	offMust(t, w.s.SetRoundAlert(ctx, b.id, r.ID, hr.Date{}))
	for name, fn := range map[string]func() (int, error){
		"rounds": func() (int, error) { x, err := w.s.Rounds(ctx, b.id, ""); return len(x), err },
		"due rounds": func() (int, error) {
			x, err := w.s.DueRounds(ctx, b.id, hr.NewDate(2030, 1, 1), 10)
			return len(x), err
		},
		"reviewees": func() (int, error) { x, err := w.s.Reviewees(ctx, b.id, r.ID, "", 10); return len(x), err },
		"direct reports": func() (int, error) {
			x, err := w.s.DirectReports(ctx, b.id, []string{a.boss.ID})
			return len(x), err
		},
		"assignments": func() (int, error) {
			x, err := w.s.Assignments(ctx, b.id, multirater.AssignmentQuery{RoundID: r.ID})
			return len(x), err
		},
		"loads": func() (int, error) {
			x, err := w.s.RaterLoads(ctx, b.id, r.ID, []string{a.y.ID})
			return len(x), err
		},
		"counts": func() (int, error) { x, err := w.s.CountAssignments(ctx, b.id, r.ID); return len(x), err },
		"totals": func() (int, error) {
			n := 0
			err := w.s.ScoreTotals(ctx, b.id, r.ID, "", func(multirater.ScoreTotal) error { n++; return nil })
			return n, err
		},
		"comments": func() (int, error) {
			x, err := w.s.Comments(ctx, b.id, r.ID, a.x.ID, []multirater.Group{multirater.GroupPeer})
			return len(x), err
		},
		"open raters": func() (int, error) {
			x, err := w.s.OpenRaters(ctx, b.id, r.ID, "", 10)
			return len(x), err
		},
		"approvers": func() (int, error) {
			x, err := w.s.PendingApprovers(ctx, b.id, r.ID, "", 10)
			return len(x), err
		},
	} {
		n, err := fn()
		offMust(t, err)
		if n != 0 {
			t.Errorf("B's %s show %d of A's rows", name, n)
		}
	}
	_, err = w.s.Reviewee(ctx, b.id, r.ID, a.x.ID)
	offIs(t, "B reads A's reviewee", err, ballast.ErrNotFound)
	_, err = w.s.Assignment(ctx, b.id, asg.ID)
	offIs(t, "B reads A's assignment", err, ballast.ErrNotFound)
	up2 := asg
	up2.Status, up2.Version = multirater.StatusOpen, 2
	offIs(t, "B updates A's assignment", w.s.UpdateAssignment(ctx, b.id, up2, 1), ballast.ErrNotFound)
	_, err = w.s.Draft(ctx, b.id, asg.ID)
	offIs(t, "B reads A's draft", err, ballast.ErrNotFound)
	offIs(t, "B writes A's draft", w.s.PutDraft(ctx, b.id, asg.ID, multirater.Answers{}), ballast.ErrNotFound)

	// A's rows are untouched.
	got, err := w.s.Round(ctx, a.id, r.ID)
	offMust(t, err)
	if got.Version != 1 || got.NextAlertOn != r.NextAlertOn {
		t.Errorf("A's round changed through B: %+v", got)
	}
	d, err := w.s.Draft(ctx, a.id, asg.ID)
	offMust(t, err)
	if d.Scores["L1"] != 3 {
		t.Errorf("A's draft changed through B: %+v", d)
	}
	ga, err := w.s.Assignment(ctx, a.id, asg.ID)
	offMust(t, err)
	if ga.Status != multirater.StatusPending || ga.Version != 1 {
		t.Errorf("A's assignment changed through B: %+v", ga)
	}
}

// testMRLock: while one transaction holds a round share-locked (a
// submission in flight), an update of the round (closing it) waits for it
// to end, so no answer lands in a round after it was closed.
func testMRLock(t *testing.T, w mrWorld) {
	ctx := context.Background()
	r := mrRound(ballast.NewID())
	offMust(t, w.s.InsertRound(ctx, w.a.id, r))
	locked, release := make(chan struct{}), make(chan struct{})
	var lockEnded time.Time
	done := make(chan error, 1)
	go func() {
		done <- w.tx.InTx(ctx, func(ctx context.Context) error {
			if _, err := w.s.LockRound(ctx, w.a.id, r.ID, multirater.LockShare); err != nil {
				close(locked)
				return err
			}
			close(locked)
			<-release
			lockEnded = time.Now()
			return nil
		})
	}()
	<-locked
	go func() { time.Sleep(200 * time.Millisecond); close(release) }()
	up := r
	up.State, up.Version = multirater.StateClosed, 2
	offMust(t, w.tx.InTx(ctx, func(ctx context.Context) error { return w.s.UpdateRound(ctx, w.a.id, up, 1) }))
	updated := time.Now()
	offMust(t, <-done)
	if updated.Before(lockEnded) {
		t.Errorf("the round was updated while a transaction held it share-locked")
	}
}
