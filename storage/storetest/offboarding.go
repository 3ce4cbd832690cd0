package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/offboarding"
)

// RunOffboarding runs the conformance suite for offboarding.Store. open
// must return a fresh, empty, migrated backend for every call: a
// transactor, the hr store (the suite seeds tenants and employees through
// it) and the offboarding store, all joining the transactor's
// transactions.
func RunOffboarding(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, offboarding.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w offWorld)
	}{
		{"TemplateRoundTripsUnderVersions", testOffTemplate},
		{"CasesRoundTripOneOpenPerEmployee", testOffCases},
		{"StepsRoundTripAndDueByIndexedDates", testOffSteps},
		{"HandoverItemsAddOnceUpdateInBulk", testOffHandoverItems},
		{"SignaturesRoundsAndItemsRoundTrip", testOffRecords},
		{"RolledBackWritesLeaveNothing", testOffRollback},
		{"TenantBNeverTouchesTenantA", testOffIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, offWorld{tx: tx, s: s, a: seedOffTenant(t, h, "A"), b: seedOffTenant(t, h, "B")})
		})
	}
}

var offT0 = time.Date(2026, 11, 2, 1, 0, 0, 123456000, time.UTC)

type offTenant struct {
	id             string
	leaver, succ   hr.Employee
	leaver2, other hr.Employee
}

type offWorld struct {
	tx   ballast.Transactor
	s    offboarding.Store
	a, b offTenant
}

func seedOffTenant(t *testing.T, s hr.Store, name string) offTenant {
	t.Helper()
	ctx := context.Background()
	ot := offTenant{id: ballast.NewID()}
	offMust(t, s.InsertTenant(ctx, hr.Tenant{ID: ot.id, Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
		CreatedAt: offT0, UpdatedAt: offT0, Version: 1}))
	d := hr.Department{ID: ballast.NewID(), Name: "Sales", CreatedAt: offT0, UpdatedAt: offT0, Version: 1}
	offMust(t, s.InsertDepartments(ctx, ot.id, []hr.Department{d}))
	emp := func(n string) hr.Employee {
		return hr.Employee{ID: ballast.NewID(), Number: n, Name: n, DepartmentID: d.ID, HireDate: hr.NewDate(2020, 1, 1),
			HireChannel: hr.ChannelCampus, Status: hr.StatusActive, CreatedAt: offT0, UpdatedAt: offT0, Version: 1}
	}
	ot.leaver, ot.succ, ot.leaver2, ot.other = emp("L1"), emp("S1"), emp("L2"), emp("O1")
	offMust(t, s.InsertEmployees(ctx, ot.id, []hr.Employee{ot.leaver, ot.succ, ot.leaver2, ot.other}))
	return ot
}

func offMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func offIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error = %v, want %v", what, err, want)
	}
}

func offCase(ot offTenant, emp hr.Employee) offboarding.Case {
	return offboarding.Case{ID: ballast.NewID(), EmployeeID: emp.ID, Kind: offboarding.ExitVoluntary,
		SubmittedOn: hr.NewDate(2026, 11, 2), LastDay: hr.NewDate(2026, 11, 30), Reason: "new job",
		Successors: []string{ot.succ.ID}, ManagerID: ot.other.ID, HRID: ot.other.ID, Status: offboarding.CaseOpen,
		SnapshotID: ballast.NewID(), Plan: access.DefaultRevocationPlan(), ReminderOffsets: []int{2, 1},
		EscalateTo: []offboarding.Role{offboarding.RoleManager, offboarding.RoleHR}, NextStageOn: hr.NewDate(2026, 11, 23),
		OpenedBy: ot.other.ID, OpenedAt: offT0, UpdatedAt: offT0, Version: 1}
}

func offSteps(c offboarding.Case) []offboarding.Step {
	var out []offboarding.Step
	for i, k := range []string{"customers", "work", "exit"} {
		kind, rule := offboarding.StepKind(k), offboarding.ClosingRule("")
		if k == "exit" {
			kind, rule = offboarding.KindCustom, offboarding.CloseBySignature
		}
		out = append(out, offboarding.Step{ID: ballast.NewID(), CaseID: c.ID, Key: k, Kind: kind, Title: k,
			Responsible: []offboarding.Role{offboarding.RoleEmployee}, Assignees: []string{c.EmployeeID},
			DueOffsetDays: -3 + i, DueOn: hr.NewDate(2026, 11, 27+i), ClosingRule: rule, Status: offboarding.StepOpen,
			NextAlertOn: hr.NewDate(2026, 11, 25+i), UpdatedAt: offT0, Version: 1})
	}
	return out
}

func testOffTemplate(t *testing.T, w offWorld) {
	ctx := context.Background()
	_, err := w.s.Template(ctx, w.a.id)
	offIs(t, "no template yet", err, ballast.ErrNotFound)
	tm := offboarding.DefaultTemplate()
	tm.Version, tm.UpdatedAt = 1, offT0
	offMust(t, w.s.PutTemplate(ctx, w.a.id, tm, 0))
	offIs(t, "a second insert", w.s.PutTemplate(ctx, w.a.id, tm, 0), ballast.ErrConflict)
	got, err := w.s.Template(ctx, w.a.id)
	offMust(t, err)
	if d := cmp.Diff(tm, got); d != "" {
		t.Errorf("template (-want +got):\n%s", d)
	}
	tm.GraceDays, tm.Version = 2, 2
	offMust(t, w.s.PutTemplate(ctx, w.a.id, tm, 1))
	offIs(t, "a stale version", w.s.PutTemplate(ctx, w.a.id, tm, 1), ballast.ErrConflict)
}

func testOffCases(t *testing.T, w offWorld) {
	ctx := context.Background()
	c := offCase(w.a, w.a.leaver)
	offMust(t, w.s.InsertCase(ctx, w.a.id, c))
	got, err := w.s.Case(ctx, w.a.id, c.ID)
	offMust(t, err)
	if d := cmp.Diff(c, got); d != "" {
		t.Errorf("case (-want +got):\n%s", d)
	}
	dup := offCase(w.a, w.a.leaver)
	offIs(t, "a second open case", w.s.InsertCase(ctx, w.a.id, dup), ballast.ErrConflict)
	c.Status, c.ClosedBy, c.ClosedAt, c.CloseReason, c.Version = offboarding.CaseWithdrawn, w.a.other.ID, offT0.Add(time.Hour), "stays", 2
	offMust(t, w.s.UpdateCase(ctx, w.a.id, c, 1))
	offIs(t, "a stale version", w.s.UpdateCase(ctx, w.a.id, c, 1), ballast.ErrConflict)
	got, err = w.s.Case(ctx, w.a.id, c.ID)
	offMust(t, err)
	if d := cmp.Diff(c, got); d != "" {
		t.Errorf("updated case (-want +got):\n%s", d)
	}
	offMust(t, w.s.InsertCase(ctx, w.a.id, dup)) // the first is closed now
	open, err := w.s.ListCases(ctx, w.a.id, offboarding.CaseQuery{Status: offboarding.CaseOpen})
	offMust(t, err)
	if len(open) != 1 || open[0].ID != dup.ID {
		t.Errorf("open cases = %v", open)
	}
	all, err := w.s.ListCases(ctx, w.a.id, offboarding.CaseQuery{EmployeeID: w.a.leaver.ID})
	offMust(t, err)
	if len(all) != 2 {
		t.Errorf("cases of the employee = %d, want 2", len(all))
	}
	offMust(t, w.s.SetCaseStage(ctx, w.a.id, dup.ID, hr.Date{}))
	due, err := w.s.DueCases(ctx, w.a.id, hr.NewDate(2026, 12, 31), 10)
	offMust(t, err)
	if len(due) != 0 {
		t.Errorf("due cases = %d after clearing the stage and closing the other", len(due))
	}
	offMust(t, w.s.SetCaseStage(ctx, w.a.id, dup.ID, hr.NewDate(2026, 11, 23)))
	for day, want := range map[hr.Date]int{hr.NewDate(2026, 11, 22): 0, hr.NewDate(2026, 11, 23): 1} {
		due, err := w.s.DueCases(ctx, w.a.id, day, 10)
		offMust(t, err)
		if len(due) != want {
			t.Errorf("due cases on %s = %d, want %d", day, len(due), want)
		}
	}
}

func testOffSteps(t *testing.T, w offWorld) {
	ctx := context.Background()
	c := offCase(w.a, w.a.leaver)
	offMust(t, w.s.InsertCase(ctx, w.a.id, c))
	steps := offSteps(c)
	offMust(t, w.s.InsertSteps(ctx, w.a.id, steps))
	got, err := w.s.Steps(ctx, w.a.id, c.ID)
	offMust(t, err)
	if d := cmp.Diff(steps, got); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	st := steps[1]
	st.Status, st.DoneAt, st.DoneBy, st.Note, st.NextAlertOn, st.Version = offboarding.StepForced, offT0.Add(time.Hour), w.a.other.ID, "on paper", hr.Date{}, 2
	offMust(t, w.s.UpdateStep(ctx, w.a.id, st, 1))
	offIs(t, "a stale step", w.s.UpdateStep(ctx, w.a.id, st, 1), ballast.ErrConflict)
	for _, tc := range []struct {
		day  hr.Date
		want []string
	}{{hr.NewDate(2026, 11, 24), nil}, {hr.NewDate(2026, 11, 25), []string{"customers"}}, {hr.NewDate(2026, 12, 31), []string{"customers", "exit"}}} {
		due, err := w.s.DueSteps(ctx, w.a.id, tc.day, 10)
		offMust(t, err)
		var keys []string
		for _, s := range due {
			keys = append(keys, s.Key)
		}
		if d := cmp.Diff(tc.want, keys); d != "" {
			t.Errorf("due steps on %s (-want +got):\n%s", tc.day, d)
		}
	}
	offMust(t, w.s.SetStepAlert(ctx, w.a.id, steps[0].ID, hr.NewDate(2026, 11, 26)))
	got, err = w.s.Steps(ctx, w.a.id, c.ID)
	offMust(t, err)
	if got[0].NextAlertOn != hr.NewDate(2026, 11, 26) || got[0].Version != 1 {
		t.Errorf("after SetStepAlert: %s v%d", got[0].NextAlertOn, got[0].Version)
	}
}

func testOffHandoverItems(t *testing.T, w offWorld) {
	ctx := context.Background()
	c := offCase(w.a, w.a.leaver)
	offMust(t, w.s.InsertCase(ctx, w.a.id, c))
	ids := []string{ballast.NewID(), ballast.NewID(), ballast.NewID()}
	item := func(id, name string) offboarding.HandoverItem {
		return offboarding.HandoverItem{CaseID: c.ID, CustomerID: id, CustomerName: name, AddedAt: offT0}
	}
	n, err := w.s.AddHandoverItems(ctx, w.a.id, []offboarding.HandoverItem{item(ids[0], "B"), item(ids[1], "A")})
	offMust(t, err)
	if n != 2 {
		t.Errorf("added %d, want 2", n)
	}
	n, err = w.s.AddHandoverItems(ctx, w.a.id, []offboarding.HandoverItem{item(ids[0], "B"), item(ids[2], "C")})
	offMust(t, err)
	if n != 1 {
		t.Errorf("added %d again, want only the new one", n)
	}
	succ, yes, note, at, sig := w.a.succ.ID, true, "met the buyer", offT0.Add(time.Hour), ballast.NewID()
	m, err := w.s.UpdateHandoverItems(ctx, w.a.id, c.ID, ids, offboarding.ItemUpdate{SuccessorID: &succ, HandedOver: &yes,
		Note: &note, HandedAt: &at, HandedBy: &w.a.leaver.ID, OnlyUnsigned: true})
	offMust(t, err)
	if m != 3 {
		t.Errorf("updated %d, want 3", m)
	}
	if m, err = w.s.UpdateHandoverItems(ctx, w.a.id, c.ID, ids[:1], offboarding.ItemUpdate{SignatureID: &sig, OnlyUnsigned: true}); err != nil || m != 1 {
		t.Errorf("signing one = %d, %v", m, err)
	}
	if m, err = w.s.UpdateHandoverItems(ctx, w.a.id, c.ID, ids[:1], offboarding.ItemUpdate{SignatureID: &sig, OnlyUnsigned: true}); err != nil || m != 0 {
		t.Errorf("signing it again = %d, %v; want 0", m, err)
	}
	got, err := w.s.HandoverItems(ctx, w.a.id, c.ID)
	offMust(t, err)
	want := []offboarding.HandoverItem{item(ids[1], "A"), item(ids[0], "B"), item(ids[2], "C")}
	for i := range want {
		want[i].SuccessorID, want[i].HandedOver, want[i].Note, want[i].HandedAt, want[i].HandedBy = succ, true, note, at, w.a.leaver.ID
	}
	want[1].SignatureID = sig
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
}

func testOffRecords(t *testing.T, w offWorld) {
	ctx := context.Background()
	c := offCase(w.a, w.a.leaver)
	offMust(t, w.s.InsertCase(ctx, w.a.id, c))
	sig := offboarding.Signature{ID: ballast.NewID(), CaseID: c.ID, StepID: ballast.NewID(), Signer: w.a.succ.ID,
		ContentHash: "ab", Content: `{"x":1}`, SignedAt: offT0, ClientIP: "10.0.0.1", UserAgent: "UA"}
	offMust(t, w.s.InsertSignature(ctx, w.a.id, sig))
	sigs, err := w.s.Signatures(ctx, w.a.id, c.ID)
	offMust(t, err)
	if d := cmp.Diff([]offboarding.Signature{sig}, sigs); d != "" {
		t.Errorf("signatures (-want +got):\n%s", d)
	}
	r := offboarding.WorkRound{CaseID: c.ID, Round: 1, Report: offboarding.WorkReport{Projects: []offboarding.Project{{Name: "P", Status: "s",
		NextStep: "n", Stakeholders: []string{"x"}}}, PendingTasks: []string{"t"}, DocumentsAt: "d"},
		SubmittedBy: w.a.leaver.ID, SubmittedAt: offT0, Decision: offboarding.DecisionPending}
	offMust(t, w.s.InsertWorkRound(ctx, w.a.id, r))
	offIs(t, "the same round twice", w.s.InsertWorkRound(ctx, w.a.id, r), ballast.ErrConflict)
	r.Decision, r.Comments, r.DecidedBy, r.DecidedAt = offboarding.DecisionReturned, "more", w.a.other.ID, offT0.Add(time.Hour)
	offMust(t, w.s.UpdateWorkRound(ctx, w.a.id, r))
	offIs(t, "deciding a decided round", w.s.UpdateWorkRound(ctx, w.a.id, r), ballast.ErrConflict)
	rounds, err := w.s.WorkRounds(ctx, w.a.id, c.ID)
	offMust(t, err)
	if d := cmp.Diff([]offboarding.WorkRound{r}, rounds); d != "" {
		t.Errorf("rounds (-want +got):\n%s", d)
	}
	it := offboarding.ItemReturn{CaseID: c.ID, AssetID: ballast.NewID(), Name: "Laptop", AssetKind: "laptop", Tag: "T1", Outcome: offboarding.ItemPending}
	n, err := w.s.AddItemReturns(ctx, w.a.id, []offboarding.ItemReturn{it, it})
	if err == nil && n != 1 {
		t.Errorf("added %d items, want 1", n)
	}
	if err != nil { // some engines refuse a duplicate within one statement; add one then
		n, err = w.s.AddItemReturns(ctx, w.a.id, []offboarding.ItemReturn{it})
		offMust(t, err)
	}
	it.Outcome, it.Condition, it.ConfirmedBy, it.ConfirmedAt = offboarding.ItemReturned, "worn", w.a.other.ID, offT0
	offMust(t, w.s.UpdateItemReturn(ctx, w.a.id, it))
	offIs(t, "settling twice", w.s.UpdateItemReturn(ctx, w.a.id, it), ballast.ErrConflict)
	items, err := w.s.ItemReturns(ctx, w.a.id, c.ID)
	offMust(t, err)
	if d := cmp.Diff([]offboarding.ItemReturn{it}, items); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
}

func testOffRollback(t *testing.T, w offWorld) {
	ctx := context.Background()
	c := offCase(w.a, w.a.leaver)
	boom := errors.New("boom")
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		if err := w.s.InsertCase(ctx, w.a.id, c); err != nil {
			return err
		}
		if err := w.s.InsertSteps(ctx, w.a.id, offSteps(c)); err != nil {
			return err
		}
		return boom
	})
	offIs(t, "the rolled-back transaction", err, boom)
	_, err = w.s.Case(ctx, w.a.id, c.ID)
	offIs(t, "the rolled-back case", err, ballast.ErrNotFound)
	steps, err := w.s.Steps(ctx, w.a.id, c.ID)
	offMust(t, err)
	if len(steps) != 0 {
		t.Errorf("%d steps survived the rollback", len(steps))
	}
}

func testOffIsolation(t *testing.T, w offWorld) {
	ctx := context.Background()
	c := offCase(w.a, w.a.leaver)
	offMust(t, w.s.InsertCase(ctx, w.a.id, c))
	steps := offSteps(c)
	offMust(t, w.s.InsertSteps(ctx, w.a.id, steps))
	_, err := w.s.AddHandoverItems(ctx, w.a.id, []offboarding.HandoverItem{{CaseID: c.ID, CustomerID: ballast.NewID(), CustomerName: "A", AddedAt: offT0}})
	offMust(t, err)
	b := w.b.id
	_, err = w.s.Case(ctx, b, c.ID)
	offIs(t, "reading A's case as B", err, ballast.ErrNotFound)
	c2 := c
	c2.Version = 2
	offIs(t, "updating A's case as B", w.s.UpdateCase(ctx, b, c2, 1), ballast.ErrNotFound)
	st := steps[0]
	st.Version = 2
	offIs(t, "updating A's step as B", w.s.UpdateStep(ctx, b, st, 1), ballast.ErrNotFound)
	offMust(t, w.s.SetStepAlert(ctx, b, steps[0].ID, hr.Date{}))
	offMust(t, w.s.SetCaseStage(ctx, b, c.ID, hr.Date{}))
	for _, q := range []func() (int, error){
		func() (int, error) { r, err := w.s.ListCases(ctx, b, offboarding.CaseQuery{}); return len(r), err },
		func() (int, error) { r, err := w.s.Steps(ctx, b, c.ID); return len(r), err },
		func() (int, error) { r, err := w.s.DueSteps(ctx, b, hr.NewDate(2030, 1, 1), 10); return len(r), err },
		func() (int, error) { r, err := w.s.DueCases(ctx, b, hr.NewDate(2030, 1, 1), 10); return len(r), err },
		func() (int, error) { r, err := w.s.HandoverItems(ctx, b, c.ID); return len(r), err },
		func() (int, error) {
			sig := "x"
			return w.s.UpdateHandoverItems(ctx, b, c.ID, []string{ballast.NewID()}, offboarding.ItemUpdate{SignatureID: &sig})
		},
	} {
		n, err := q()
		offMust(t, err)
		if n != 0 {
			t.Errorf("B saw or changed %d of A's rows", n)
		}
	}
	// A's rows are as they were: B's bookkeeping calls changed nothing.
	due, err := w.s.DueSteps(ctx, w.a.id, hr.NewDate(2030, 1, 1), 10)
	offMust(t, err)
	if len(due) != 3 {
		t.Errorf("A's due steps = %d, want 3", len(due))
	}
	if _, err := w.s.Case(ctx, w.a.id, c.ID); err != nil {
		t.Error(err)
	}
}
