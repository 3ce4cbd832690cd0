package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/hr"
)

// RunAppeal runs the conformance suite for appeal.Store. open must return
// a fresh, empty, migrated backend for every call: a transactor, the hr
// store (the suite seeds tenants and employees through it) and the appeal
// store, all joining the transactor's transactions.
func RunAppeal(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, appeal.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w apWorld)
	}{
		{"SettingsRoundTripUnderVersions", testApSettings},
		{"AppealsRoundTripOnePendingPerSubjectAndItem", testApAppeals},
		{"UpdatesFollowTheVersionRule", testApUpdate},
		{"ListFiltersAndPagesByID", testApList},
		{"ThreadIsOrderedByTime", testApMessages},
		{"DueAppealsByIndexedDaySkipClosed", testApDue},
		{"RolledBackWritesLeaveNothing", testApRollback},
		{"TenantBNeverTouchesTenantA", testApIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, apWorld{tx: tx, s: s, a: seedApTenant(t, h, "A"), b: seedApTenant(t, h, "B")})
		})
	}
}

var apT0 = time.Date(2026, 7, 20, 2, 0, 0, 123456000, time.UTC)

type apTenant struct {
	id            string
	emp, emp2, mg hr.Employee
}

type apWorld struct {
	tx   ballast.Transactor
	s    appeal.Store
	a, b apTenant
}

func seedApTenant(t *testing.T, s hr.Store, name string) apTenant {
	t.Helper()
	ctx := context.Background()
	at := apTenant{id: ballast.NewID()}
	apMust(t, s.InsertTenant(ctx, hr.Tenant{ID: at.id, Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
		CreatedAt: apT0, UpdatedAt: apT0, Version: 1}))
	d := hr.Department{ID: ballast.NewID(), Name: "Sales", CreatedAt: apT0, UpdatedAt: apT0, Version: 1}
	apMust(t, s.InsertDepartments(ctx, at.id, []hr.Department{d}))
	emp := func(n string) hr.Employee {
		return hr.Employee{ID: ballast.NewID(), Number: n, Name: n, DepartmentID: d.ID, HireDate: hr.NewDate(2020, 1, 1),
			HireChannel: hr.ChannelCampus, Status: hr.StatusActive, CreatedAt: apT0, UpdatedAt: apT0, Version: 1}
	}
	at.emp, at.emp2, at.mg = emp("E1"), emp("E2"), emp("M1")
	apMust(t, s.InsertEmployees(ctx, at.id, []hr.Employee{at.emp, at.emp2, at.mg}))
	return at
}

func apMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func apIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error = %v, want %v", what, err, want)
	}
}

// apAppeal is an open appeal of emp on subject (and item), due 2026-07-25.
func apAppeal(at apTenant, emp hr.Employee, subject, item string) appeal.Appeal {
	return appeal.Appeal{ID: ballast.NewID(), Kind: "assessment.result", SubjectID: subject, Item: item, ItemTitle: "Revenue",
		Title: "2026 H1", EmployeeID: emp.ID, ManagerID: at.mg.ID, Reason: "the Q2 orders were booked late",
		Status: appeal.StatusOpen, Before: appeal.Outcome{Score: appeal.Score(72.5), Grade: "B"},
		WindowEnds: apT0.Add(72 * time.Hour), DueOn: hr.NewDate(2026, 7, 25), NextAlertOn: hr.NewDate(2026, 7, 24),
		FiledAt: apT0, UpdatedAt: apT0, Version: 1}
}

func testApSettings(t *testing.T, w apWorld) {
	ctx := context.Background()
	_, err := w.s.Settings(ctx, w.a.id)
	apIs(t, "no settings yet", err, ballast.ErrNotFound)
	set := appeal.Settings{ReplyDays: 7, RemindDaysBefore: 2, HRRecipients: []string{"hr@example.com"},
		EscalateTo: []string{}, UpdatedAt: apT0, Version: 1}
	apMust(t, w.s.PutSettings(ctx, w.a.id, set, 0))
	apIs(t, "a second insert", w.s.PutSettings(ctx, w.a.id, set, 0), ballast.ErrConflict)
	got, err := w.s.Settings(ctx, w.a.id)
	apMust(t, err)
	if d := cmp.Diff(set, got); d != "" {
		t.Errorf("settings (-want +got):\n%s", d)
	}
	set2 := set
	set2.ReplyDays, set2.EscalateTo, set2.Version = 3, []string{"ceo"}, 2
	apIs(t, "a stale update", w.s.PutSettings(ctx, w.a.id, set2, 5), ballast.ErrConflict)
	apMust(t, w.s.PutSettings(ctx, w.a.id, set2, 1))
	got, err = w.s.Settings(ctx, w.a.id)
	apMust(t, err)
	if d := cmp.Diff(set2, got); d != "" {
		t.Errorf("updated settings (-want +got):\n%s", d)
	}
}

func testApAppeals(t *testing.T, w apWorld) {
	ctx := context.Background()
	subj := ballast.NewID()
	whole := apAppeal(w.a, w.a.emp, subj, "")
	item := apAppeal(w.a, w.a.emp, subj, "revenue")
	item.Before = appeal.Outcome{Text: "promote"}
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, whole))
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, item))
	for _, want := range []appeal.Appeal{whole, item} {
		got, err := w.s.Appeal(ctx, w.a.id, want.ID)
		apMust(t, err)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("appeal (-want +got):\n%s", d)
		}
	}
	_, err := w.s.Appeal(ctx, w.a.id, ballast.NewID())
	apIs(t, "a missing appeal", err, ballast.ErrNotFound)
	apIs(t, "a second pending appeal on the whole subject", w.s.InsertAppeal(ctx, w.a.id, apAppeal(w.a, w.a.emp, subj, "")), ballast.ErrConflict)
	apIs(t, "a second pending appeal on the item", w.s.InsertAppeal(ctx, w.a.id, apAppeal(w.a, w.a.emp, subj, "revenue")), ballast.ErrConflict)
	other := apAppeal(w.a, w.a.emp, subj, "revenue")
	other.Kind = "talent.review"
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, other)) // another kind is another subject

	// Once the item's appeal is under review it still blocks; decided, it frees the slot.
	rev := item
	rev.Status, rev.HandlerID, rev.Version = appeal.StatusUnderReview, w.a.mg.ID, 2
	apMust(t, w.s.UpdateAppeal(ctx, w.a.id, rev, 1))
	apIs(t, "an appeal while one is under review", w.s.InsertAppeal(ctx, w.a.id, apAppeal(w.a, w.a.emp, subj, "revenue")), ballast.ErrConflict)
	dec := rev
	dec.Status, dec.Result, dec.After = appeal.StatusDecided, appeal.ResultAdjusted, appeal.Outcome{Score: appeal.Score(80), Grade: "B+"}
	dec.ClosedBy, dec.ClosedAt, dec.CloseReason, dec.NextAlertOn, dec.Version = w.a.mg.ID, apT0.Add(time.Hour), "confirmed", hr.Date{}, 3
	apMust(t, w.s.UpdateAppeal(ctx, w.a.id, dec, 2))
	got, err := w.s.Appeal(ctx, w.a.id, item.ID)
	apMust(t, err)
	if d := cmp.Diff(dec, got); d != "" {
		t.Errorf("decided appeal (-want +got):\n%s", d)
	}
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, apAppeal(w.a, w.a.emp, subj, "revenue")))
	unknown := apAppeal(w.a, w.a.emp, ballast.NewID(), "")
	unknown.EmployeeID = ballast.NewID()
	if err := w.s.InsertAppeal(ctx, w.a.id, unknown); err == nil {
		t.Error("an appeal of an unknown employee was stored")
	}
}

func testApUpdate(t *testing.T, w apWorld) {
	ctx := context.Background()
	a := apAppeal(w.a, w.a.emp, ballast.NewID(), "")
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, a))
	a2 := a
	a2.Status, a2.Version = appeal.StatusWithdrawn, 2
	apIs(t, "a stale version", w.s.UpdateAppeal(ctx, w.a.id, a2, 7), ballast.ErrConflict)
	missing := a2
	missing.ID = ballast.NewID()
	apIs(t, "a missing appeal", w.s.UpdateAppeal(ctx, w.a.id, missing, 1), ballast.ErrNotFound)
	apMust(t, w.s.UpdateAppeal(ctx, w.a.id, a2, 1))
	apIs(t, "the same version twice", w.s.UpdateAppeal(ctx, w.a.id, a2, 1), ballast.ErrConflict)
	// SetAlerts leaves the version alone and touches only the named appeals.
	other := apAppeal(w.a, w.a.emp2, ballast.NewID(), "")
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, other))
	apMust(t, w.s.SetAlerts(ctx, w.a.id, nil, hr.Date{}))
	apMust(t, w.s.SetAlerts(ctx, w.a.id, []string{a.ID}, hr.NewDate(2026, 8, 1)))
	got, err := w.s.Appeal(ctx, w.a.id, a.ID)
	apMust(t, err)
	if got.Version != 2 || got.NextAlertOn != hr.NewDate(2026, 8, 1) {
		t.Errorf("after SetAlerts: version %d, next alert %s; want 2, 2026-08-01", got.Version, got.NextAlertOn)
	}
	if o, err := w.s.Appeal(ctx, w.a.id, other.ID); err != nil || o.NextAlertOn != other.NextAlertOn {
		t.Errorf("an appeal not named changed: %+v, %v", o.NextAlertOn, err)
	}
	apMust(t, w.s.SetAlerts(ctx, w.a.id, []string{a.ID, other.ID}, hr.Date{}))
	got, err = w.s.Appeal(ctx, w.a.id, a.ID)
	apMust(t, err)
	if !got.NextAlertOn.IsZero() {
		t.Errorf("after clearing: next alert %s, want none", got.NextAlertOn)
	}
}

func apIDs(as []appeal.Appeal) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func testApList(t *testing.T, w apWorld) {
	ctx := context.Background()
	a1 := apAppeal(w.a, w.a.emp, ballast.NewID(), "")
	a2 := apAppeal(w.a, w.a.emp2, ballast.NewID(), "")
	a2.ManagerID = ""
	a3 := apAppeal(w.a, w.a.emp, ballast.NewID(), "x")
	a3.Kind, a3.Status, a3.HandlerID = "talent.review", appeal.StatusUnderReview, w.a.emp2.ID
	a4 := apAppeal(w.a, w.a.emp2, a1.SubjectID, "y")
	a4.Status = appeal.StatusWithdrawn
	for _, a := range []appeal.Appeal{a1, a2, a3, a4} {
		apMust(t, w.s.InsertAppeal(ctx, w.a.id, a))
	}
	for _, tc := range []struct {
		name string
		q    appeal.Query
		want []appeal.Appeal
	}{
		{"everything in ID order", appeal.Query{}, []appeal.Appeal{a1, a2, a3, a4}},
		{"one kind", appeal.Query{Kinds: []string{"talent.review"}}, []appeal.Appeal{a3}},
		{"several kinds", appeal.Query{Kinds: []string{"talent.review", "assessment.result"}}, []appeal.Appeal{a1, a2, a3, a4}},
		{"one employee", appeal.Query{EmployeeID: w.a.emp2.ID}, []appeal.Appeal{a2, a4}},
		{"one manager", appeal.Query{ManagerID: w.a.mg.ID}, []appeal.Appeal{a1, a3, a4}},
		{"answered as manager or handler", appeal.Query{Answerer: w.a.emp2.ID}, []appeal.Appeal{a3}},
		{"answered by the manager", appeal.Query{Answerer: w.a.mg.ID}, []appeal.Appeal{a1, a3, a4}},
		{"one subject", appeal.Query{SubjectID: a1.SubjectID}, []appeal.Appeal{a1, a4}},
		{"pending", appeal.Query{Statuses: []appeal.Status{appeal.StatusOpen, appeal.StatusUnderReview}}, []appeal.Appeal{a1, a2, a3}},
		{"first page", appeal.Query{Limit: 2}, []appeal.Appeal{a1, a2}},
		{"next page", appeal.Query{After: a2.ID, Limit: 2}, []appeal.Appeal{a3, a4}},
		{"combined", appeal.Query{EmployeeID: w.a.emp.ID, Statuses: []appeal.Status{appeal.StatusOpen}}, []appeal.Appeal{a1}},
		{"nothing", appeal.Query{EmployeeID: w.a.mg.ID}, nil},
	} {
		got, err := w.s.ListAppeals(ctx, w.a.id, tc.q)
		apMust(t, err)
		if d := cmp.Diff(apIDs(tc.want), apIDs(got)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	got, err := w.s.ListAppeals(ctx, w.a.id, appeal.Query{SubjectID: a3.SubjectID})
	apMust(t, err)
	if d := cmp.Diff([]appeal.Appeal{a3}, got); d != "" {
		t.Errorf("listed record (-want +got):\n%s", d)
	}
}

func testApMessages(t *testing.T, w apWorld) {
	ctx := context.Background()
	a := apAppeal(w.a, w.a.emp, ballast.NewID(), "")
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, a))
	m := func(author string, role appeal.Role, at time.Time, body string) appeal.Message {
		return appeal.Message{ID: ballast.NewID(), AppealID: a.ID, AuthorID: author, Role: role, Body: body, CreatedAt: at}
	}
	m3 := m(w.a.emp.ID, appeal.RoleEmployee, apT0.Add(3*time.Minute), "thanks")
	m1 := m(w.a.mg.ID, appeal.RoleManager, apT0.Add(time.Minute), "booked on 3 July")
	m2 := m("hr-1", appeal.RoleHR, apT0.Add(2*time.Minute), "we check")
	for _, x := range []appeal.Message{m3, m1, m2} {
		apMust(t, w.s.InsertMessage(ctx, w.a.id, x))
	}
	got, err := w.s.Messages(ctx, w.a.id, a.ID)
	apMust(t, err)
	if d := cmp.Diff([]appeal.Message{m1, m2, m3}, got); d != "" {
		t.Errorf("thread (-want +got):\n%s", d)
	}
	orphan := m(w.a.emp.ID, appeal.RoleEmployee, apT0, "x")
	orphan.AppealID = ballast.NewID()
	if err := w.s.InsertMessage(ctx, w.a.id, orphan); err == nil {
		t.Error("a reply to a missing appeal was stored")
	}
}

func testApDue(t *testing.T, w apWorld) {
	ctx := context.Background()
	mk := func(next hr.Date, st appeal.Status) appeal.Appeal {
		a := apAppeal(w.a, w.a.emp, ballast.NewID(), "")
		a.NextAlertOn, a.Status = next, st
		apMust(t, w.s.InsertAppeal(ctx, w.a.id, a))
		return a
	}
	early := mk(hr.NewDate(2026, 7, 22), appeal.StatusOpen)
	late := mk(hr.NewDate(2026, 7, 24), appeal.StatusUnderReview)
	mk(hr.NewDate(2026, 7, 25), appeal.StatusOpen)    // not yet due
	mk(hr.Date{}, appeal.StatusOpen)                  // no alert left
	mk(hr.NewDate(2026, 7, 20), appeal.StatusDecided) // closed
	same := mk(hr.NewDate(2026, 7, 22), appeal.StatusOpen)
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		got, err := w.s.DueAppeals(ctx, w.a.id, hr.NewDate(2026, 7, 24), 10)
		if err != nil {
			return err
		}
		if d := cmp.Diff(apIDs([]appeal.Appeal{early, same, late}), apIDs(got)); d != "" {
			t.Errorf("due appeals (-want +got):\n%s", d)
		}
		got, err = w.s.DueAppeals(ctx, w.a.id, hr.NewDate(2026, 7, 24), 2)
		if err != nil {
			return err
		}
		if len(got) != 2 {
			t.Errorf("limit 2 returned %d", len(got))
		}
		return nil
	})
	apMust(t, err)
}

func testApRollback(t *testing.T, w apWorld) {
	ctx := context.Background()
	a := apAppeal(w.a, w.a.emp, ballast.NewID(), "")
	boom := errors.New("boom")
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		if err := w.s.InsertAppeal(ctx, w.a.id, a); err != nil {
			return err
		}
		if err := w.s.InsertMessage(ctx, w.a.id, appeal.Message{ID: ballast.NewID(), AppealID: a.ID, AuthorID: w.a.emp.ID,
			Role: appeal.RoleEmployee, Body: "x", CreatedAt: apT0}); err != nil {
			return err
		}
		if err := w.s.PutSettings(ctx, w.a.id, appeal.DefaultSettings(), 0); err != nil {
			return err
		}
		return boom
	})
	apIs(t, "the rolled-back transaction", err, boom)
	_, err = w.s.Appeal(ctx, w.a.id, a.ID)
	apIs(t, "the rolled-back appeal", err, ballast.ErrNotFound)
	_, err = w.s.Settings(ctx, w.a.id)
	apIs(t, "the rolled-back settings", err, ballast.ErrNotFound)
	ms, err := w.s.Messages(ctx, w.a.id, a.ID)
	apMust(t, err)
	if len(ms) != 0 {
		t.Errorf("%d replies survived the rollback", len(ms))
	}
}

func testApIsolation(t *testing.T, w apWorld) {
	ctx := context.Background()
	a := apAppeal(w.a, w.a.emp, ballast.NewID(), "")
	apMust(t, w.s.InsertAppeal(ctx, w.a.id, a))
	apMust(t, w.s.InsertMessage(ctx, w.a.id, appeal.Message{ID: ballast.NewID(), AppealID: a.ID, AuthorID: w.a.emp.ID,
		Role: appeal.RoleEmployee, Body: "x", CreatedAt: apT0}))
	set := appeal.DefaultSettings()
	set.Version, set.UpdatedAt = 1, apT0
	apMust(t, w.s.PutSettings(ctx, w.a.id, set, 0))
	b := w.b.id
	_, err := w.s.Appeal(ctx, b, a.ID)
	apIs(t, "reading A's appeal as B", err, ballast.ErrNotFound)
	_, err = w.s.Settings(ctx, b)
	apIs(t, "reading settings as B", err, ballast.ErrNotFound)
	a2 := a
	a2.Status, a2.Version = appeal.StatusWithdrawn, 2
	apIs(t, "updating A's appeal as B", w.s.UpdateAppeal(ctx, b, a2, 1), ballast.ErrNotFound)
	set2 := set
	set2.ReplyDays, set2.Version = 9, 2
	apIs(t, "updating settings as B", w.s.PutSettings(ctx, b, set2, 1), ballast.ErrNotFound)
	if err := w.s.InsertMessage(ctx, b, appeal.Message{ID: ballast.NewID(), AppealID: a.ID, AuthorID: w.b.emp.ID,
		Role: appeal.RoleEmployee, Body: "x", CreatedAt: apT0}); err == nil {
		t.Error("B replied to A's appeal")
	}
	// B's employee appealing under A's tenant id is refused by the key.
	if err := w.s.InsertAppeal(ctx, w.a.id, apAppeal(w.b, w.b.emp, ballast.NewID(), "")); err == nil {
		t.Error("an appeal of B's employee was stored in A")
	}
	apMust(t, w.s.SetAlerts(ctx, b, []string{a.ID}, hr.Date{}))
	// B files on the same subject id: no conflict with A's pending appeal.
	apMust(t, w.s.InsertAppeal(ctx, b, apAppeal(w.b, w.b.emp, a.SubjectID, "")))
	for _, q := range []func() (int, error){
		func() (int, error) {
			r, err := w.s.ListAppeals(ctx, b, appeal.Query{EmployeeID: w.a.emp.ID})
			return len(r), err
		},
		func() (int, error) {
			r, err := w.s.ListAppeals(ctx, b, appeal.Query{ManagerID: w.a.mg.ID})
			return len(r), err
		},
		func() (int, error) { r, err := w.s.Messages(ctx, b, a.ID); return len(r), err },
		func() (int, error) {
			r, err := w.s.ListAppeals(ctx, b, appeal.Query{SubjectID: a.SubjectID})
			for _, x := range r {
				if x.ID == a.ID {
					return 1, err
				}
			}
			return 0, err
		},
	} {
		n, err := q()
		apMust(t, err)
		if n != 0 {
			t.Errorf("B saw %d of A's rows", n)
		}
	}
	err = w.tx.InTx(ctx, func(ctx context.Context) error {
		due, err := w.s.DueAppeals(ctx, b, hr.NewDate(2030, 1, 1), 10)
		for _, x := range due {
			if x.ID == a.ID {
				t.Error("B's reconcile claimed A's appeal")
			}
		}
		return err
	})
	apMust(t, err)
	// A's rows are as they were: B's calls changed nothing.
	got, err := w.s.Appeal(ctx, w.a.id, a.ID)
	apMust(t, err)
	if d := cmp.Diff(a, got); d != "" {
		t.Errorf("A's appeal after B's calls (-want +got):\n%s", d)
	}
	gs, err := w.s.Settings(ctx, w.a.id)
	apMust(t, err)
	if gs.ReplyDays != set.ReplyDays {
		t.Errorf("A's settings changed by B: %+v", gs)
	}
}
