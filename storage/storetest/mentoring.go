package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/mentoring"
)

// RunMentoring runs the conformance suite for mentoring.Store. open must
// return a fresh, empty, migrated backend for every call: a transactor,
// the hr store (the suite seeds tenants, employees and performance records
// through it) and the mentoring store, all joining the transactor's
// transactions.
func RunMentoring(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, mentoring.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w mnWorld)
	}{
		{"MentorshipsRoundTripUnderVersions", testMnRoundTrip},
		{"ListFiltersByPairParticipantDepartmentAndStatus", testMnList},
		{"MeetingsAreOrderedByDate", testMnMeetings},
		{"ImprovementsReadPerformanceAroundTheStart", testMnImprovements},
		{"LockPairSerialisesTransactionsOfAPair", testMnLockPair},
		{"RolledBackWritesLeaveNothing", testMnRollback},
		{"TenantBNeverTouchesTenantA", testMnIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, mnWorld{tx: tx, h: h, s: s, a: seedTrTenant(t, h, "A"), b: seedTrTenant(t, h, "B")})
		})
	}
}

type mnWorld struct {
	tx   ballast.Transactor
	h    hr.Store
	s    mentoring.Store
	a, b trTenant
}

func mnMentorship(mentor, mentee hr.Employee, start, end hr.Date) mentoring.Mentorship {
	return mentoring.Mentorship{ID: ballast.NewID(), MentorID: mentor.ID, MenteeID: mentee.ID, Goals: []string{"Lead key accounts"},
		Start: start, End: end, Status: mentoring.Active, CreatedBy: "hr", CreatedAt: trT0, UpdatedAt: trT0, Version: 1}
}

func testMnRoundTrip(t *testing.T, w mnWorld) {
	ctx := context.Background()
	m := mnMentorship(w.a.rd, w.a.emp, hr.NewDate(2026, 3, 1), hr.NewDate(2026, 12, 31))
	trMust(t, w.s.InsertMentorship(ctx, w.a.id, m))
	got, err := w.s.Mentorship(ctx, w.a.id, m.ID)
	trMust(t, err)
	if d := cmp.Diff(m, got); d != "" {
		t.Errorf("mentorship (-want +got):\n%s", d)
	}
	m2 := m
	m2.Goals, m2.Status, m2.ClosedOn, m2.ClosedBy, m2.CloseReason = []string{"a", "b"}, mentoring.Completed, hr.NewDate(2026, 11, 1), "hr", "done"
	m2.UpdatedAt, m2.Version = trT0.Add(time.Hour), 2
	trIs(t, "a stale update", w.s.UpdateMentorship(ctx, w.a.id, m2, 4), ballast.ErrConflict)
	trMust(t, w.s.UpdateMentorship(ctx, w.a.id, m2, 1))
	got, err = w.s.Mentorship(ctx, w.a.id, m.ID)
	trMust(t, err)
	if d := cmp.Diff(m2, got); d != "" {
		t.Errorf("updated mentorship (-want +got):\n%s", d)
	}
	self := mnMentorship(w.a.emp, w.a.emp, hr.NewDate(2026, 3, 1), hr.NewDate(2026, 12, 31))
	if err := w.s.InsertMentorship(ctx, w.a.id, self); err == nil {
		t.Error("a mentorship of an employee with themselves was stored")
	}
}

func testMnList(t *testing.T, w mnWorld) {
	ctx := context.Background()
	d1, d2 := hr.NewDate(2026, 3, 1), hr.NewDate(2026, 12, 31)
	m1 := mnMentorship(w.a.rd, w.a.emp, d1, d2)
	m2 := mnMentorship(w.a.emp, w.a.rd, d1, d2)
	m3 := mnMentorship(w.a.rd, w.a.emp2, d1, d2)
	m3.Status = mentoring.Cancelled
	for _, m := range []mentoring.Mentorship{m1, m2, m3} {
		trMust(t, w.s.InsertMentorship(ctx, w.a.id, m))
	}
	for _, tc := range []struct {
		name string
		q    mentoring.Query
		want []string
	}{
		{"all", mentoring.Query{}, []string{m1.ID, m2.ID, m3.ID}},
		{"the pair", mentoring.Query{MentorID: w.a.rd.ID, MenteeID: w.a.emp.ID}, []string{m1.ID}},
		{"participant", mentoring.Query{Participant: w.a.emp.ID}, []string{m1.ID, m2.ID}},
		{"sales mentees", mentoring.Query{DepartmentIDs: []string{w.a.sales}}, []string{m1.ID, m3.ID}},
		{"active", mentoring.Query{Statuses: []mentoring.Status{mentoring.Active}}, []string{m1.ID, m2.ID}},
		{"page", mentoring.Query{After: m1.ID, Limit: 1}, []string{m2.ID}},
	} {
		list, err := w.s.ListMentorships(ctx, w.a.id, tc.q)
		trMust(t, err)
		ids := []string{}
		for _, x := range list {
			ids = append(ids, x.ID)
		}
		if d := cmp.Diff(tc.want, ids); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func testMnMeetings(t *testing.T, w mnWorld) {
	ctx := context.Background()
	m := mnMentorship(w.a.rd, w.a.emp, hr.NewDate(2026, 3, 1), hr.NewDate(2026, 12, 31))
	trMust(t, w.s.InsertMentorship(ctx, w.a.id, m))
	late := mentoring.Meeting{ID: ballast.NewID(), MentorshipID: m.ID, Date: hr.NewDate(2026, 4, 2), Notes: "pipeline",
		NextSteps: "pitch", AuthorID: w.a.emp.ID, CreatedAt: trT0}
	early := mentoring.Meeting{ID: ballast.NewID(), MentorshipID: m.ID, Date: hr.NewDate(2026, 3, 5), Notes: "kick-off",
		AuthorID: w.a.rd.ID, CreatedAt: trT0.Add(time.Hour)}
	trMust(t, w.s.InsertMeeting(ctx, w.a.id, late))
	trMust(t, w.s.InsertMeeting(ctx, w.a.id, early))
	got, err := w.s.Meetings(ctx, w.a.id, m.ID)
	trMust(t, err)
	if d := cmp.Diff([]mentoring.Meeting{early, late}, got); d != "" {
		t.Errorf("meetings (-want +got):\n%s", d)
	}
	if err := w.s.InsertMeeting(ctx, w.a.id, mentoring.Meeting{ID: ballast.NewID(), MentorshipID: ballast.NewID(),
		Date: hr.NewDate(2026, 3, 5), Notes: "x", AuthorID: "x", CreatedAt: trT0}); err == nil {
		t.Error("a meeting of no mentorship was stored")
	}
}

func mnScores(t *testing.T, w mnWorld, tenant string, emp hr.Employee, scores map[string]float64) {
	t.Helper()
	var es []hr.PerformanceEntry
	for period, s := range scores {
		end, _ := hr.PeriodEnd(period)
		es = append(es, hr.PerformanceEntry{EmployeeID: emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: period, PeriodEnd: end, Score: s}})
	}
	trMust(t, w.h.RecordPerformance(context.Background(), tenant, es, trT0))
}

func mnF(x float64) *float64 { return &x }

func testMnImprovements(t *testing.T, w mnWorld) {
	ctx := context.Background()
	mnScores(t, w, w.a.id, w.a.emp, map[string]float64{"2025H1": 60, "2025H2": 70, "2026H1": 78, "2026H2": 85, "2027H1": 99})
	mnScores(t, w, w.a.id, w.a.emp2, map[string]float64{"2026H1": 80})
	start := hr.NewDate(2026, 1, 1)
	m1 := mnMentorship(w.a.rd, w.a.emp, start, hr.NewDate(2026, 12, 31))
	m2 := mnMentorship(w.a.rd, w.a.emp2, start, hr.NewDate(2026, 12, 31))
	m3 := mnMentorship(w.a.emp2, w.a.emp, start, hr.NewDate(2026, 12, 31))
	m3.Status = mentoring.Cancelled
	m4 := mnMentorship(w.a.emp, w.a.emp2, hr.NewDate(2028, 1, 1), hr.NewDate(2028, 12, 31))
	for _, m := range []mentoring.Mentorship{m1, m2, m3, m4} {
		trMust(t, w.s.InsertMentorship(ctx, w.a.id, m))
	}
	got, err := w.s.Improvements(ctx, w.a.id, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31), "")
	trMust(t, err)
	want := []mentoring.Improvement{
		{MentorshipID: m1.ID, MentorID: w.a.rd.ID, MenteeID: w.a.emp.ID, Start: start, Before: mnF(70), After: mnF(85)},
		{MentorshipID: m2.ID, MentorID: w.a.rd.ID, MenteeID: w.a.emp2.ID, Start: start, After: mnF(80)},
	}
	if m2.ID < m1.ID {
		want[0], want[1] = want[1], want[0]
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("improvements over 2026 (-want +got):\n%s", d)
	}
	got, err = w.s.Improvements(ctx, w.a.id, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 6, 30), w.a.rd.ID)
	trMust(t, err)
	for _, im := range got {
		if im.MenteeID == w.a.emp.ID && (im.After == nil || *im.After != 78) {
			t.Errorf("first half: after = %v, want 78", im.After)
		}
	}
	got, err = w.s.Improvements(ctx, w.a.id, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31), w.a.emp.ID)
	trMust(t, err)
	if len(got) != 0 {
		t.Errorf("a mentor with no mentorship in 2026 has %v", got)
	}
}

func testMnLockPair(t *testing.T, w mnWorld) {
	ctx := context.Background()
	trMust(t, w.s.LockPair(ctx, w.a.id, w.a.rd.ID, w.a.emp.ID)) // outside a transaction: nothing to hold
	// Two transactions on one pair take turns: the second starts its work
	// only after the first has committed.
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	locked := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- w.tx.InTx(ctx, func(ctx context.Context) error {
			if err := w.s.LockPair(ctx, w.a.id, w.a.rd.ID, w.a.emp.ID); err != nil {
				close(locked)
				return err
			}
			close(locked)
			time.Sleep(50 * time.Millisecond)
			note("first")
			return nil
		})
	}()
	<-locked
	trMust(t, w.tx.InTx(ctx, func(ctx context.Context) error {
		if err := w.s.LockPair(ctx, w.a.id, w.a.rd.ID, w.a.emp.ID); err != nil {
			return err
		}
		note("second")
		return nil
	}))
	trMust(t, <-done)
	if d := cmp.Diff([]string{"first", "second"}, order); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
	// Another pair is not held up.
	trMust(t, w.tx.InTx(ctx, func(ctx context.Context) error { return w.s.LockPair(ctx, w.a.id, w.a.emp.ID, w.a.rd.ID) }))
}

func testMnRollback(t *testing.T, w mnWorld) {
	ctx := context.Background()
	boom := errors.New("boom")
	m := mnMentorship(w.a.rd, w.a.emp, hr.NewDate(2026, 3, 1), hr.NewDate(2026, 12, 31))
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		if err := w.s.InsertMentorship(ctx, w.a.id, m); err != nil {
			return err
		}
		if err := w.s.InsertMeeting(ctx, w.a.id, mentoring.Meeting{ID: ballast.NewID(), MentorshipID: m.ID,
			Date: hr.NewDate(2026, 3, 5), Notes: "x", AuthorID: "x", CreatedAt: trT0}); err != nil {
			return err
		}
		return boom
	})
	trIs(t, "the rolled-back transaction", err, boom)
	_, err = w.s.Mentorship(ctx, w.a.id, m.ID)
	trIs(t, "the rolled-back mentorship", err, ballast.ErrNotFound)
	ms, err := w.s.Meetings(ctx, w.a.id, m.ID)
	trMust(t, err)
	if len(ms) != 0 {
		t.Errorf("%d meetings survived the rollback", len(ms))
	}
}

func testMnIsolation(t *testing.T, w mnWorld) {
	ctx := context.Background()
	mnScores(t, w, w.a.id, w.a.emp, map[string]float64{"2025H2": 70, "2026H2": 85})
	m := mnMentorship(w.a.rd, w.a.emp, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31))
	trMust(t, w.s.InsertMentorship(ctx, w.a.id, m))
	trMust(t, w.s.InsertMeeting(ctx, w.a.id, mentoring.Meeting{ID: ballast.NewID(), MentorshipID: m.ID,
		Date: hr.NewDate(2026, 3, 5), Notes: "x", AuthorID: "x", CreatedAt: trT0}))
	b := w.b.id
	_, err := w.s.Mentorship(ctx, b, m.ID)
	trIs(t, "reading A's mentorship as B", err, ballast.ErrNotFound)
	m2 := m
	m2.Status, m2.Version = mentoring.Cancelled, 2
	trIs(t, "updating A's mentorship as B", w.s.UpdateMentorship(ctx, b, m2, 1), ballast.ErrNotFound)
	if err := w.s.InsertMeeting(ctx, b, mentoring.Meeting{ID: ballast.NewID(), MentorshipID: m.ID,
		Date: hr.NewDate(2026, 3, 6), Notes: "x", AuthorID: "x", CreatedAt: trT0}); err == nil {
		t.Error("B logged a meeting of A's mentorship")
	}
	if err := w.s.InsertMentorship(ctx, b, mnMentorship(w.a.rd, w.a.emp, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31))); err == nil {
		t.Error("B stored a mentorship of A's employees")
	}
	for name, q := range map[string]func() (int, error){
		"list":     func() (int, error) { r, err := w.s.ListMentorships(ctx, b, mentoring.Query{}); return len(r), err },
		"meetings": func() (int, error) { r, err := w.s.Meetings(ctx, b, m.ID); return len(r), err },
		"improvements": func() (int, error) {
			r, err := w.s.Improvements(ctx, b, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31), "")
			return len(r), err
		},
	} {
		n, err := q()
		trMust(t, err)
		if n != 0 {
			t.Errorf("B sees %d of A's %s", n, name)
		}
	}
	// B's own mentorship of its employees reads none of A's scores.
	mb := mnMentorship(w.b.rd, w.b.emp, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31))
	trMust(t, w.s.InsertMentorship(ctx, b, mb))
	got, err := w.s.Improvements(ctx, b, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31), "")
	trMust(t, err)
	if len(got) != 1 || got[0].Before != nil || got[0].After != nil {
		t.Errorf("B's improvements = %+v, want one without scores", got)
	}
}
