package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/pools"
)

// RunPools runs the conformance suite for pools.Store. open must return a
// fresh, empty, migrated backend for every call: a transactor, the hr
// store (the suite seeds tenants, employees, profiles and performance
// records through it) and the pools store, all joining the transactor's
// transactions.
func RunPools(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, pools.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w plWorld)
	}{
		{"PoolsRoundTripWithRuleVersions", testPlRoundTrip},
		{"MembersAndEventsRoundTripAndFilter", testPlMembers},
		{"ScreenRanksWithinTheTenantAndReturnsMatchesAndNearMisses", testPlScreen},
		{"RolledBackWritesLeaveNothing", testPlRollback},
		{"TenantBNeverTouchesTenantA", testPlIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			w := plWorld{tx: tx, h: h, s: s, a: seedTrTenant(t, h, "A"), b: seedTrTenant(t, h, "B")}
			tc.fn(t, w)
		})
	}
}

type plWorld struct {
	tx   ballast.Transactor
	h    hr.Store
	s    pools.Store
	a, b trTenant
}

var plDay = hr.NewDate(2026, 9, 7)

func plPool(name string, r pools.Rule) pools.Pool {
	return pools.Pool{ID: ballast.NewID(), Name: name, Rule: r, RuleVersion: 1, CreatedBy: "hr", CreatedAt: trT0, UpdatedAt: trT0, Version: 1}
}

func plVersion(p pools.Pool) pools.RuleVersion {
	return pools.RuleVersion{PoolID: p.ID, Version: p.RuleVersion, Rule: p.Rule, CreatedBy: "hr", CreatedAt: p.UpdatedAt}
}

var plTop = pools.Rule{Kind: pools.KindPerformanceTopPercent, Percent: 50, Periods: 2}

func testPlRoundTrip(t *testing.T, w plWorld) {
	ctx := context.Background()
	p := plPool("Managers", pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{plTop, {Kind: pools.KindNotResigning}}})
	trMust(t, w.s.InsertPool(ctx, w.a.id, p, plVersion(p)))
	trIs(t, "duplicate pool", w.s.InsertPool(ctx, w.a.id, p, plVersion(p)), ballast.ErrConflict)
	got, err := w.s.Pool(ctx, w.a.id, p.ID)
	trMust(t, err)
	if d := cmp.Diff(p, got); d != "" {
		t.Errorf("pool round trip (-want +got):\n%s", d)
	}
	p2 := got
	p2.Rule, p2.RuleVersion, p2.Version, p2.UpdatedAt = plTop, 2, 2, trT0.Add(time.Hour)
	v2 := plVersion(p2)
	v2.Note = "simpler"
	trMust(t, w.s.UpdatePool(ctx, w.a.id, p2, 1, &v2))
	trIs(t, "stale update", w.s.UpdatePool(ctx, w.a.id, p2, 1, nil), ballast.ErrConflict)
	vs, err := w.s.RuleVersions(ctx, w.a.id, p.ID)
	trMust(t, err)
	if len(vs) != 2 || vs[0].Version != 1 || vs[1].Note != "simpler" || vs[1].Rule.Kind != pools.KindPerformanceTopPercent {
		t.Errorf("rule versions = %+v", vs)
	}
	ps, err := w.s.Pools(ctx, w.a.id)
	trMust(t, err)
	if len(ps) != 1 || ps[0].Version != 2 {
		t.Errorf("pools = %+v", ps)
	}
	_, err = w.s.Pool(ctx, w.a.id, ballast.NewID())
	trIs(t, "missing pool", err, ballast.ErrNotFound)
}

func plMember(p pools.Pool, e hr.Employee) pools.Member {
	return pools.Member{PoolID: p.ID, EmployeeID: e.ID, Status: pools.MemberActive, Joined: plDay, JoinedBy: "hr", RuleVersion: 1,
		Evidence:  []pools.Value{{Path: "", Kind: pools.KindNotResigning, Pass: true, Detail: "active", Text: "status active"}},
		UpdatedAt: trT0, Version: 1}
}

func testPlMembers(t *testing.T, w plWorld) {
	ctx := context.Background()
	p := plPool("Managers", plTop)
	trMust(t, w.s.InsertPool(ctx, w.a.id, p, plVersion(p)))
	m1, m2 := plMember(p, w.a.emp), plMember(p, w.a.rd)
	trMust(t, w.s.InsertMember(ctx, w.a.id, m1))
	trMust(t, w.s.InsertMember(ctx, w.a.id, m2))
	trIs(t, "duplicate member", w.s.InsertMember(ctx, w.a.id, m1), ballast.ErrConflict)
	got, err := w.s.Member(ctx, w.a.id, p.ID, w.a.emp.ID)
	trMust(t, err)
	m1.DepartmentID = w.a.sales
	if d := cmp.Diff(m1, got); d != "" {
		t.Errorf("member round trip (-want +got):\n%s", d)
	}
	m1.Status, m1.Ended, m1.EndReason, m1.Version = pools.MemberPromoted, plDay, "promoted to supervisor", 2
	trMust(t, w.s.UpdateMember(ctx, w.a.id, m1, 1))
	trIs(t, "stale member", w.s.UpdateMember(ctx, w.a.id, m1, 1), ballast.ErrConflict)
	for _, tc := range []struct {
		name string
		q    pools.MemberQuery
		want []string
	}{
		{"all", pools.MemberQuery{PoolID: p.ID}, []string{w.a.emp.ID, w.a.rd.ID}},
		{"active", pools.MemberQuery{PoolID: p.ID, Status: pools.MemberActive}, []string{w.a.rd.ID}},
		{"department", pools.MemberQuery{PoolID: p.ID, DepartmentIDs: []string{w.a.sales}}, []string{w.a.emp.ID}},
		{"no department", pools.MemberQuery{PoolID: p.ID, DepartmentIDs: []string{}}, nil},
		{"employee", pools.MemberQuery{EmployeeID: w.a.rd.ID}, []string{w.a.rd.ID}},
	} {
		ms, err := w.s.Members(ctx, w.a.id, tc.q)
		trMust(t, err)
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.EmployeeID)
		}
		slices.Sort(tc.want)
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: members = %v, want %v", tc.name, ids, tc.want)
		}
	}
	e1 := pools.Event{ID: ballast.NewID(), PoolID: p.ID, EmployeeID: w.a.emp.ID, Kind: pools.EventJoined, Day: plDay, By: "hr", At: trT0}
	e2 := pools.Event{ID: ballast.NewID(), PoolID: p.ID, EmployeeID: w.a.emp.ID, Kind: pools.EventPromoted, Day: plDay, Reason: "promoted", By: "hr", At: trT0.Add(time.Minute)}
	trMust(t, w.s.InsertEvent(ctx, w.a.id, e2))
	trMust(t, w.s.InsertEvent(ctx, w.a.id, e1))
	es, err := w.s.Events(ctx, w.a.id, p.ID, w.a.emp.ID)
	trMust(t, err)
	if d := cmp.Diff([]pools.Event{e1, e2}, es); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	n, err := w.s.Departed(ctx, w.a.id, p.ID)
	trMust(t, err)
	if n != 0 {
		t.Errorf("departed = %d, want 0", n)
	}
}

// plSeedScores records one score per period for each employee of tt:
// 2026H1 and 2025H2, plus a 2026H2 record after the screening day that
// must not count.
func plSeedScores(t *testing.T, w plWorld, tenant string, scores map[string][2]float64) {
	t.Helper()
	var es []hr.PerformanceEntry
	for id, s := range scores {
		es = append(es,
			hr.PerformanceEntry{EmployeeID: id, PerformanceRecord: hr.PerformanceRecord{Period: "2025H2", PeriodEnd: hr.NewDate(2025, 12, 31), Score: s[0], Grade: "A"}},
			hr.PerformanceEntry{EmployeeID: id, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", PeriodEnd: hr.NewDate(2026, 6, 30), Score: s[1], Grade: "B"}},
			hr.PerformanceEntry{EmployeeID: id, PerformanceRecord: hr.PerformanceRecord{Period: "2026H2", PeriodEnd: hr.NewDate(2026, 12, 31), Score: 100 - s[1], Grade: "C"}})
	}
	trMust(t, w.h.RecordPerformance(context.Background(), tenant, es, trT0))
}

func plIDs(cs []pools.Candidate, match bool) []string {
	var out []string
	for _, c := range cs {
		if c.Match == match {
			out = append(out, c.EmployeeID)
		}
	}
	slices.Sort(out)
	return out
}

func testPlScreen(t *testing.T, w plWorld) {
	ctx := context.Background()
	// emp averages 90, emp2 70, rd 50: top 50% of 3 is rank 1 only.
	plSeedScores(t, w, w.a.id, map[string][2]float64{w.a.emp.ID: {80, 100}, w.a.emp2.ID: {60, 80}, w.a.rd.ID: {40, 60}})
	pr, err := w.h.Profile(ctx, w.a.id, w.a.emp2.ID)
	trMust(t, err)
	pr.Management, pr.Version = []hr.ManagementExperience{{TeamSize: 3, Start: hr.NewDate(2024, 1, 1)}}, pr.Version+1
	trMust(t, w.h.PutProfile(ctx, w.a.id, pr, pr.Version-1))
	rule := pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{plTop, {Kind: pools.KindManagementExperience, MinCount: 1}}}
	// No one matches both; emp (no management) and emp2 (rank 2) miss by one.
	cs, err := w.s.Screen(ctx, w.a.id, pools.ScreenQuery{Rule: rule, Day: plDay, Limit: 100})
	trMust(t, err)
	if got := plIDs(cs, true); len(got) != 0 {
		t.Errorf("matches = %v, want none", got)
	}
	want := []string{w.a.emp.ID, w.a.emp2.ID}
	slices.Sort(want)
	if got := plIDs(cs, false); !slices.Equal(got, want) {
		t.Errorf("near-misses = %v, want %v", got, want)
	}
	for _, c := range cs {
		if c.EmployeeID == w.a.emp.ID {
			v := c.Values[0]
			if !v.Pass || v.Rank != 1 || v.Of != 3 || c.Values[1].Pass || c.Values[1].Number != 0 {
				t.Errorf("emp values = %+v", c.Values)
			}
		}
		if c.EmployeeID == w.a.emp2.ID && (c.Values[0].Rank != 2 || c.Values[0].Pass || !c.Values[1].Pass || c.Values[1].Number != 1) {
			t.Errorf("emp2 values = %+v", c.Values)
		}
	}
	// An OR of the two matches both; restricted to one employee, only that one.
	or := pools.Rule{Kind: pools.KindOr, Rules: rule.Rules}
	cs, err = w.s.Screen(ctx, w.a.id, pools.ScreenQuery{Rule: or, Day: plDay, Limit: 100})
	trMust(t, err)
	if got := plIDs(cs, true); !slices.Equal(got, want) {
		t.Errorf("or matches = %v, want %v", got, want)
	}
	cs, err = w.s.Screen(ctx, w.a.id, pools.ScreenQuery{Rule: or, Day: plDay, Limit: 100, EmployeeID: w.a.emp2.ID})
	trMust(t, err)
	if len(cs) != 1 || cs[0].EmployeeID != w.a.emp2.ID {
		t.Errorf("one employee's screening = %+v", cs)
	}
	_, err = w.s.Screen(ctx, w.a.id, pools.ScreenQuery{Rule: pools.Rule{Kind: "salary"}, Day: plDay})
	trIs(t, "invalid rule", err, ballast.ErrInvalid)
}

func testPlRollback(t *testing.T, w plWorld) {
	ctx := context.Background()
	p := plPool("Managers", plTop)
	boom := errors.New("boom")
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		trMust(t, w.s.InsertPool(ctx, w.a.id, p, plVersion(p)))
		trMust(t, w.s.InsertMember(ctx, w.a.id, plMember(p, w.a.emp)))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v", err)
	}
	_, err = w.s.Pool(ctx, w.a.id, p.ID)
	trIs(t, "rolled back pool", err, ballast.ErrNotFound)
	vs, err := w.s.RuleVersions(ctx, w.a.id, p.ID)
	trMust(t, err)
	if len(vs) != 0 {
		t.Errorf("rolled back versions = %v", vs)
	}
}

func testPlIsolation(t *testing.T, w plWorld) {
	ctx := context.Background()
	p := plPool("Managers", plTop)
	trMust(t, w.s.InsertPool(ctx, w.a.id, p, plVersion(p)))
	trMust(t, w.s.InsertMember(ctx, w.a.id, plMember(p, w.a.emp)))
	// Tenant B's employees score higher; they must neither appear in nor
	// push down tenant A's ranking.
	plSeedScores(t, w, w.a.id, map[string][2]float64{w.a.emp.ID: {80, 80}, w.a.emp2.ID: {60, 60}})
	plSeedScores(t, w, w.b.id, map[string][2]float64{w.b.emp.ID: {99, 99}, w.b.emp2.ID: {98, 98}, w.b.rd.ID: {97, 97}})
	cs, err := w.s.Screen(ctx, w.a.id, pools.ScreenQuery{Rule: plTop, Day: plDay, Limit: 100})
	trMust(t, err)
	if got := plIDs(cs, true); !slices.Equal(got, []string{w.a.emp.ID}) || cs[0].Values[0].Of != 2 {
		t.Errorf("A's screening = %+v", cs)
	}
	_, err = w.s.Pool(ctx, w.b.id, p.ID)
	trIs(t, "B reads A's pool", err, ballast.ErrNotFound)
	_, err = w.s.Member(ctx, w.b.id, p.ID, w.a.emp.ID)
	trIs(t, "B reads A's member", err, ballast.ErrNotFound)
	p2 := p
	p2.Version = 2
	trIs(t, "B updates A's pool", w.s.UpdatePool(ctx, w.b.id, p2, 1, nil), ballast.ErrNotFound)
	for _, q := range []pools.MemberQuery{{PoolID: p.ID}, {EmployeeID: w.a.emp.ID}, {}} {
		ms, err := w.s.Members(ctx, w.b.id, q)
		trMust(t, err)
		if len(ms) != 0 {
			t.Errorf("B's members %+v = %v", q, ms)
		}
	}
	if ps, err := w.s.Pools(ctx, w.b.id); err != nil || len(ps) != 0 {
		t.Errorf("B's pools = %v, %v", ps, err)
	}
	if vs, err := w.s.RuleVersions(ctx, w.b.id, p.ID); err != nil || len(vs) != 0 {
		t.Errorf("B's rule versions = %v, %v", vs, err)
	}
}
