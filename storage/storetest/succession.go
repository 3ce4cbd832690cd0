package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/succession"
)

// RunSuccession runs the conformance suite for succession.Store. open
// must return a fresh, empty, migrated backend for every call: a
// transactor, the hr store (the suite seeds tenants, departments,
// positions, employees and performance records through it) and the
// succession store, all joining the transactor's transactions.
func RunSuccession(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, succession.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w scWorld)
	}{
		{"ScaleRoundTripsUnderVersions", testScScale},
		{"SuccessorsRoundTripUnderVersionsAndUniqueness", testScSuccessors},
		{"ReadinessHistoryIsOrderedAndGoesWithItsSuccessor", testScHistory},
		{"PositionReportReadsIncumbentsTitlesAndLatestScores", testScPositionReport},
		{"CoverageAggregatesInScope", testScCoverage},
		{"PotentialAndNineBoxAverageTheLastPeriods", testScNineBox},
		{"LockScaleSerialisesAScaleChangeAndReadinessWrites", testScLockScale},
		{"RolledBackWritesLeaveNothing", testScRollback},
		{"TenantBNeverTouchesTenantA", testScIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, scWorld{tx: tx, h: h, s: s, a: seedScTenant(t, h, "A"), b: seedScTenant(t, h, "B")})
		})
	}
}

var scT0 = time.Date(2026, 9, 1, 2, 0, 0, 123456000, time.UTC)

// scTenant has Sales (with the critical director position held by head,
// and the non-critical supervisor held by sup) and R&D (the critical lead
// held by lead, a key person); emp works in Sales, gone has departed.
type scTenant struct {
	id                           string
	sales, rnd                   string
	director, supervisor, rdLead hr.Position
	head, sup, emp, lead, gone   hr.Employee
}

type scWorld struct {
	tx   ballast.Transactor
	h    hr.Store
	s    succession.Store
	a, b scTenant
}

func seedScTenant(t *testing.T, s hr.Store, name string) scTenant {
	t.Helper()
	ctx := context.Background()
	tt := scTenant{id: ballast.NewID()}
	scMust(t, s.InsertTenant(ctx, hr.Tenant{ID: tt.id, Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
		CreatedAt: scT0, UpdatedAt: scT0, Version: 1}))
	sales := hr.Department{ID: ballast.NewID(), Name: "Sales", CreatedAt: scT0, UpdatedAt: scT0, Version: 1}
	rnd := hr.Department{ID: ballast.NewID(), Name: "R&D", CreatedAt: scT0, UpdatedAt: scT0, Version: 1}
	scMust(t, s.InsertDepartments(ctx, tt.id, []hr.Department{sales, rnd}))
	tt.sales, tt.rnd = sales.ID, rnd.ID
	pos := func(title, dept string, critical bool) hr.Position {
		p := hr.Position{ID: ballast.NewID(), Title: title, DepartmentID: dept, Level: 5, Critical: critical,
			CreatedAt: scT0, UpdatedAt: scT0, Version: 1}
		scMust(t, s.InsertPosition(ctx, tt.id, p))
		return p
	}
	tt.director, tt.supervisor, tt.rdLead = pos("Sales director", sales.ID, true), pos("Sales supervisor", sales.ID, false), pos("R&D lead", rnd.ID, true)
	emp := func(n, dept, position string) hr.Employee {
		return hr.Employee{ID: ballast.NewID(), Number: n, Name: n, DepartmentID: dept, PositionID: position, HireDate: hr.NewDate(2020, 1, 1),
			HireChannel: hr.ChannelCampus, Status: hr.StatusActive, CreatedAt: scT0, UpdatedAt: scT0, Version: 1}
	}
	tt.head, tt.sup, tt.emp = emp("Head", sales.ID, tt.director.ID), emp("Sup", sales.ID, tt.supervisor.ID), emp("Emp", sales.ID, "")
	tt.lead, tt.gone = emp("Lead", rnd.ID, tt.rdLead.ID), emp("Gone", sales.ID, "")
	tt.head.Status, tt.head.LastWorkingDay = hr.StatusResigning, hr.NewDate(2026, 10, 31)
	tt.lead.KeyPerson = true
	tt.gone.Status, tt.gone.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 6, 30)
	scMust(t, s.InsertEmployees(ctx, tt.id, []hr.Employee{tt.head, tt.sup, tt.emp, tt.lead, tt.gone}))
	return tt
}

func scMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func scIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error = %v, want %v", what, err, want)
	}
}

func scSuccessor(pos hr.Position, emp hr.Employee, readiness string, rank int, emergency bool) succession.Successor {
	return succession.Successor{ID: ballast.NewID(), PositionID: pos.ID, EmployeeID: emp.ID, Readiness: readiness, Rank: rank,
		Emergency: emergency, Notes: "note", PlanID: "plan", CreatedBy: "hr", CreatedAt: scT0, UpdatedAt: scT0, Version: 1}
}

func testScScale(t *testing.T, w scWorld) {
	ctx := context.Background()
	_, err := w.s.Scale(ctx, w.a.id)
	scIs(t, "a scale never saved", err, ballast.ErrNotFound)
	sc := succession.Scale{Levels: succession.DefaultScale(), Version: 1, UpdatedAt: scT0}
	scMust(t, w.s.SaveScale(ctx, w.a.id, sc, 0))
	scIs(t, "a second first save", w.s.SaveScale(ctx, w.a.id, sc, 0), ballast.ErrConflict)
	got, err := w.s.Scale(ctx, w.a.id)
	scMust(t, err)
	if d := cmp.Diff(sc, got); d != "" {
		t.Errorf("scale (-want +got):\n%s", d)
	}
	sc2 := succession.Scale{Levels: sc.Levels[:1], Version: 2, UpdatedAt: scT0.Add(time.Hour)}
	scIs(t, "a stale save", w.s.SaveScale(ctx, w.a.id, sc2, 7), ballast.ErrConflict)
	scMust(t, w.s.SaveScale(ctx, w.a.id, sc2, 1))
	got, err = w.s.Scale(ctx, w.a.id)
	scMust(t, err)
	if d := cmp.Diff(sc2, got); d != "" {
		t.Errorf("saved scale (-want +got):\n%s", d)
	}
}

func testScSuccessors(t *testing.T, w scWorld) {
	ctx := context.Background()
	a := w.a
	x := scSuccessor(a.director, a.sup, succession.Ready1To2Years, 2, true)
	y := scSuccessor(a.director, a.emp, succession.ReadyNow, 1, false)
	z := scSuccessor(a.rdLead, a.emp, succession.Ready3To5Years, 1, false)
	for _, s := range []succession.Successor{x, y, z} {
		scMust(t, w.s.InsertSuccessor(ctx, a.id, s))
	}
	got, err := w.s.Successor(ctx, a.id, x.ID)
	scMust(t, err)
	if d := cmp.Diff(x, got); d != "" {
		t.Errorf("successor (-want +got):\n%s", d)
	}
	dup := scSuccessor(a.director, a.sup, succession.ReadyNow, 3, false)
	scIs(t, "the same employee twice on a position", w.s.InsertSuccessor(ctx, a.id, dup), ballast.ErrConflict)
	em := scSuccessor(a.director, a.lead, succession.ReadyNow, 3, true)
	scIs(t, "a second emergency successor", w.s.InsertSuccessor(ctx, a.id, em), ballast.ErrConflict)
	unknown := scSuccessor(a.director, hr.Employee{ID: ballast.NewID()}, succession.ReadyNow, 3, false)
	if err := w.s.InsertSuccessor(ctx, a.id, unknown); err == nil {
		t.Error("a successor who is no employee was stored")
	}

	x2 := x
	x2.Readiness, x2.Rank, x2.Emergency, x2.Notes, x2.PlanID = succession.ReadyNow, 3, false, "", "plan-2"
	x2.UpdatedAt, x2.Version = scT0.Add(time.Hour), 2
	scIs(t, "a stale update", w.s.UpdateSuccessor(ctx, a.id, x2, 5), ballast.ErrConflict)
	scIs(t, "an update of nothing", w.s.UpdateSuccessor(ctx, a.id, succession.Successor{ID: ballast.NewID(), Rank: 1, Version: 2}, 1), ballast.ErrNotFound)
	scMust(t, w.s.UpdateSuccessor(ctx, a.id, x2, 1))
	got, err = w.s.Successor(ctx, a.id, x.ID)
	scMust(t, err)
	if d := cmp.Diff(x2, got); d != "" {
		t.Errorf("updated successor (-want +got):\n%s", d)
	}
	// Once x is no longer the emergency successor, another may be.
	scMust(t, w.s.InsertSuccessor(ctx, a.id, em))

	ids := func(q succession.Query) []string {
		t.Helper()
		ss, err := w.s.ListSuccessors(ctx, a.id, q)
		scMust(t, err)
		out := []string{}
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	// Ordered by position, rank, ID: y has rank 1, x and em rank 3.
	dirOrder := []string{y.ID}
	if x.ID < em.ID {
		dirOrder = append(dirOrder, x.ID, em.ID)
	} else {
		dirOrder = append(dirOrder, em.ID, x.ID)
	}
	all := append(append([]string{}, dirOrder...), z.ID)
	if a.rdLead.ID < a.director.ID {
		all = append([]string{z.ID}, dirOrder...)
	}
	for _, tc := range []struct {
		name string
		q    succession.Query
		want []string
	}{
		{"All", succession.Query{}, all},
		{"Position", succession.Query{PositionID: a.director.ID}, dirOrder},
		{"Employee", succession.Query{EmployeeID: a.emp.ID}, scOrder(a, y, z)},
		{"Department", succession.Query{DepartmentIDs: []string{a.rnd}}, []string{z.ID}},
	} {
		if d := cmp.Diff(tc.want, ids(tc.q)); d != "" {
			t.Errorf("%s: successors (-want +got):\n%s", tc.name, d)
		}
	}
	used, err := w.s.ReadinessInUse(ctx, a.id)
	scMust(t, err)
	if d := cmp.Diff([]string{succession.Ready3To5Years, succession.ReadyNow}, used); d != "" {
		t.Errorf("readiness in use (-want +got):\n%s", d)
	}
	scIs(t, "a stale delete", w.s.DeleteSuccessor(ctx, a.id, y.ID, 4), ballast.ErrConflict)
	scMust(t, w.s.DeleteSuccessor(ctx, a.id, y.ID, 1))
	_, err = w.s.Successor(ctx, a.id, y.ID)
	scIs(t, "a deleted successor", err, ballast.ErrNotFound)
	scIs(t, "a second delete", w.s.DeleteSuccessor(ctx, a.id, y.ID, 1), ballast.ErrNotFound)
}

// scOrder returns the IDs of a's successors ss ordered by position ID,
// rank, ID (the list order), for successors of distinct positions.
func scOrder(a scTenant, ss ...succession.Successor) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.ID)
	}
	if len(ss) == 2 && ss[1].PositionID < ss[0].PositionID {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

func testScHistory(t *testing.T, w scWorld) {
	ctx := context.Background()
	a := w.a
	s := scSuccessor(a.director, a.sup, succession.Ready3To5Years, 1, false)
	scMust(t, w.s.InsertSuccessor(ctx, a.id, s))
	want := []succession.ReadinessChange{
		{ID: ballast.NewID(), SuccessorID: s.ID, To: succession.Ready3To5Years, Reason: "named", ChangedBy: "hr", ChangedAt: scT0},
		{ID: ballast.NewID(), SuccessorID: s.ID, From: succession.Ready3To5Years, To: succession.Ready1To2Years, Reason: "course done",
			ChangedBy: "head", ChangedAt: scT0.Add(48 * time.Hour)},
	}
	// Inserted out of order; read oldest first.
	scMust(t, w.s.InsertReadinessChange(ctx, a.id, want[1]))
	scMust(t, w.s.InsertReadinessChange(ctx, a.id, want[0]))
	got, err := w.s.ReadinessHistory(ctx, a.id, s.ID)
	scMust(t, err)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("history (-want +got):\n%s", d)
	}
	orphan := succession.ReadinessChange{ID: ballast.NewID(), SuccessorID: ballast.NewID(), To: "x", ChangedBy: "hr", ChangedAt: scT0}
	if err := w.s.InsertReadinessChange(ctx, a.id, orphan); err == nil {
		t.Error("a history entry of no successor was stored")
	}
	scMust(t, w.s.DeleteSuccessor(ctx, a.id, s.ID, 1))
	got, err = w.s.ReadinessHistory(ctx, a.id, s.ID)
	scMust(t, err)
	if len(got) != 0 {
		t.Errorf("history of a deleted successor = %+v, want none", got)
	}
}

func scPerf(t *testing.T, w scWorld, tenant string, emp hr.Employee, scores ...float64) {
	t.Helper()
	var es []hr.PerformanceEntry
	for i, s := range scores {
		p := fmt.Sprint(2022 + i)
		end, _ := hr.PeriodEnd(p)
		es = append(es, hr.PerformanceEntry{EmployeeID: emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: p, PeriodEnd: end, Score: s}})
	}
	scMust(t, w.h.RecordPerformance(context.Background(), tenant, es, scT0))
}

func testScPositionReport(t *testing.T, w scWorld) {
	ctx := context.Background()
	a := w.a
	scPerf(t, w, a.id, a.sup, 70, 92, 88)
	s1 := scSuccessor(a.director, a.sup, succession.Ready1To2Years, 1, true)
	s2 := scSuccessor(a.director, a.emp, succession.ReadyNow, 2, false)
	scMust(t, w.s.InsertSuccessor(ctx, a.id, s2))
	scMust(t, w.s.InsertSuccessor(ctx, a.id, s1))
	got, err := w.s.PositionReport(ctx, a.id, a.director.ID)
	scMust(t, err)
	score := 88.0
	want := succession.PositionReport{PositionID: a.director.ID, Title: "Sales director", DepartmentID: a.sales,
		Incumbents: []succession.Incumbent{{EmployeeID: a.head.ID, Name: "Head", Resigning: true}},
		Successors: []succession.SuccessorLine{
			{Successor: s1, Name: "Sup", PositionTitle: "Sales supervisor", Score: &score, Period: "2024"},
			{Successor: s2, Name: "Emp"},
		}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("position report (-want +got):\n%s", d)
	}
	_, err = w.s.PositionReport(ctx, a.id, a.supervisor.ID)
	scIs(t, "the report of a position that is not critical", err, ballast.ErrNotFound)
}

func testScCoverage(t *testing.T, w scWorld) {
	ctx := context.Background()
	a := w.a
	scMust(t, w.s.InsertSuccessor(ctx, a.id, scSuccessor(a.director, a.emp, succession.ReadyNow, 1, false)))
	scMust(t, w.s.InsertSuccessor(ctx, a.id, scSuccessor(a.director, a.sup, "soon", 2, false)))
	scMust(t, w.s.InsertSuccessor(ctx, a.id, scSuccessor(a.rdLead, a.emp, "soon", 1, false)))
	director := succession.PositionRef{PositionID: a.director.ID, Title: "Sales director", DepartmentID: a.sales}
	rdLead := succession.PositionRef{PositionID: a.rdLead.ID, Title: "R&D lead", DepartmentID: a.rnd}
	headRisk := succession.FlightRisk{PositionRef: director, Incumbent: succession.Incumbent{EmployeeID: a.head.ID, Name: "Head", Resigning: true}}
	leadRisk := succession.FlightRisk{PositionRef: rdLead, Incumbent: succession.Incumbent{EmployeeID: a.lead.ID, Name: "Lead", KeyPerson: true}}
	none := func() succession.Coverage {
		return succession.Coverage{WithoutSuccessor: []succession.PositionRef{}, Shared: []succession.SharedSuccessor{}, FlightRisks: []succession.FlightRisk{}}
	}
	all := none()
	all.CriticalPositions, all.ReadyNow = 2, 1
	all.Shared = []succession.SharedSuccessor{{EmployeeID: a.emp.ID, Name: "Emp", Positions: 2}}
	all.FlightRisks = []succession.FlightRisk{leadRisk, headRisk}
	rnd := none()
	rnd.CriticalPositions, rnd.FlightRisks = 1, []succession.FlightRisk{leadRisk}
	soon := all
	soon.ReadyNow = 2
	for _, tc := range []struct {
		name     string
		depts    []string
		readyNow string
		want     succession.Coverage
	}{
		{"Company", nil, succession.ReadyNow, all},
		{"ADepartment", []string{a.rnd}, succession.ReadyNow, rnd},
		{"NoDepartment", []string{}, succession.ReadyNow, none()},
		{"AnotherReadyNowKey", nil, "soon", soon},
	} {
		got, err := w.s.Coverage(ctx, a.id, tc.depts, tc.readyNow)
		scMust(t, err)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s: coverage (-want +got):\n%s", tc.name, d)
		}
	}
	// With its only successor gone, the R&D lead has none.
	rd, err := w.s.ListSuccessors(ctx, a.id, succession.Query{PositionID: a.rdLead.ID})
	scMust(t, err)
	scMust(t, w.s.DeleteSuccessor(ctx, a.id, rd[0].ID, 1))
	got, err := w.s.Coverage(ctx, a.id, nil, succession.ReadyNow)
	scMust(t, err)
	if d := cmp.Diff([]succession.PositionRef{rdLead}, got.WithoutSuccessor); d != "" || len(got.Shared) != 0 {
		t.Errorf("without successor (-want +got):\n%s; shared %+v", d, got.Shared)
	}
}

func testScNineBox(t *testing.T, w scWorld) {
	ctx := context.Background()
	a := w.a
	_, err := w.s.Potential(ctx, a.id, a.sup.ID)
	scIs(t, "an unrated employee", err, ballast.ErrNotFound)
	r := succession.PotentialRating{EmployeeID: a.sup.ID, Rating: succession.PotentialHigh, Note: "n", RatedBy: "hr", RatedAt: scT0, Version: 1}
	scMust(t, w.s.SavePotential(ctx, a.id, r, 0))
	scIs(t, "a second first rating", w.s.SavePotential(ctx, a.id, r, 0), ballast.ErrConflict)
	r2 := r
	r2.Rating, r2.RatedAt, r2.Version = succession.PotentialMedium, scT0.Add(time.Hour), 2
	scIs(t, "a stale rating", w.s.SavePotential(ctx, a.id, r2, 3), ballast.ErrConflict)
	scMust(t, w.s.SavePotential(ctx, a.id, r2, 1))
	got, err := w.s.Potential(ctx, a.id, a.sup.ID)
	scMust(t, err)
	if d := cmp.Diff(r2, got); d != "" {
		t.Errorf("rating (-want +got):\n%s", d)
	}
	scPerf(t, w, a.id, a.sup, 60, 80, 90)
	scPerf(t, w, a.id, a.gone, 99)
	scPerf(t, w, a.id, a.lead, 50)
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		periods int
		want    []succession.BoxEntry
	}{
		{1, []succession.BoxEntry{{EmployeeID: a.emp.ID, Name: "Emp", DepartmentID: a.sales},
			{EmployeeID: a.head.ID, Name: "Head", DepartmentID: a.sales},
			{EmployeeID: a.sup.ID, Name: "Sup", DepartmentID: a.sales, Performance: f(90), Potential: succession.PotentialMedium, RatedAt: r2.RatedAt}}},
		{2, []succession.BoxEntry{{EmployeeID: a.emp.ID, Name: "Emp", DepartmentID: a.sales},
			{EmployeeID: a.head.ID, Name: "Head", DepartmentID: a.sales},
			{EmployeeID: a.sup.ID, Name: "Sup", DepartmentID: a.sales, Performance: f(85), Potential: succession.PotentialMedium, RatedAt: r2.RatedAt}}},
	} {
		got, err := w.s.NineBox(ctx, a.id, []string{a.sales}, tc.periods)
		scMust(t, err)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("9-box over %d periods (-want +got):\n%s", tc.periods, d)
		}
	}
	got2, err := w.s.NineBox(ctx, a.id, []string{}, 1)
	scMust(t, err)
	if len(got2) != 0 {
		t.Errorf("9-box of no department = %+v", got2)
	}
	if err := w.s.SavePotential(ctx, a.id, succession.PotentialRating{EmployeeID: a.sup.ID, Rating: "stellar", RatedBy: "hr", RatedAt: scT0, Version: 3}, 2); err == nil {
		t.Error("an unknown rating was stored")
	}
}

func testScRollback(t *testing.T, w scWorld) {
	ctx := context.Background()
	a := w.a
	s := scSuccessor(a.director, a.sup, succession.ReadyNow, 1, false)
	boom := errors.New("boom")
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		scMust(t, w.s.InsertSuccessor(ctx, a.id, s))
		scMust(t, w.s.InsertReadinessChange(ctx, a.id, succession.ReadinessChange{ID: ballast.NewID(), SuccessorID: s.ID, To: "ready_now",
			ChangedBy: "hr", ChangedAt: scT0}))
		scMust(t, w.s.SaveScale(ctx, a.id, succession.Scale{Levels: succession.DefaultScale(), Version: 1, UpdatedAt: scT0}, 0))
		scMust(t, w.s.SavePotential(ctx, a.id, succession.PotentialRating{EmployeeID: a.sup.ID, Rating: succession.PotentialLow,
			RatedBy: "hr", RatedAt: scT0, Version: 1}, 0))
		return boom
	})
	scIs(t, "the transaction", err, boom)
	_, err = w.s.Successor(ctx, a.id, s.ID)
	scIs(t, "a rolled-back successor", err, ballast.ErrNotFound)
	_, err = w.s.Scale(ctx, a.id)
	scIs(t, "a rolled-back scale", err, ballast.ErrNotFound)
	_, err = w.s.Potential(ctx, a.id, a.sup.ID)
	scIs(t, "a rolled-back rating", err, ballast.ErrNotFound)
	h, err := w.s.ReadinessHistory(ctx, a.id, s.ID)
	scMust(t, err)
	if len(h) != 0 {
		t.Errorf("rolled-back history = %+v", h)
	}
}

func testScIsolation(t *testing.T, w scWorld) {
	ctx := context.Background()
	a, b := w.a, w.b
	s := scSuccessor(a.director, a.sup, succession.ReadyNow, 1, true)
	scMust(t, w.s.InsertSuccessor(ctx, a.id, s))
	scMust(t, w.s.InsertReadinessChange(ctx, a.id, succession.ReadinessChange{ID: ballast.NewID(), SuccessorID: s.ID, To: "ready_now",
		ChangedBy: "hr", ChangedAt: scT0}))
	scMust(t, w.s.SaveScale(ctx, a.id, succession.Scale{Levels: succession.DefaultScale(), Version: 1, UpdatedAt: scT0}, 0))
	scMust(t, w.s.SavePotential(ctx, a.id, succession.PotentialRating{EmployeeID: a.sup.ID, Rating: succession.PotentialHigh,
		RatedBy: "hr", RatedAt: scT0, Version: 1}, 0))
	scPerf(t, w, a.id, a.sup, 90)

	// B reading or writing A's rows finds nothing and changes nothing.
	_, err := w.s.Successor(ctx, b.id, s.ID)
	scIs(t, "B reads A's successor", err, ballast.ErrNotFound)
	s2 := s
	s2.Readiness, s2.Version = "hacked", 2
	scIs(t, "B updates A's successor", w.s.UpdateSuccessor(ctx, b.id, s2, 1), ballast.ErrNotFound)
	scIs(t, "B deletes A's successor", w.s.DeleteSuccessor(ctx, b.id, s.ID, 1), ballast.ErrNotFound)
	_, err = w.s.Scale(ctx, b.id)
	scIs(t, "B reads a scale", err, ballast.ErrNotFound)
	_, err = w.s.Potential(ctx, b.id, a.sup.ID)
	scIs(t, "B reads A's rating", err, ballast.ErrNotFound)
	_, err = w.s.PositionReport(ctx, b.id, a.director.ID)
	scIs(t, "B reads A's position report", err, ballast.ErrNotFound)
	if err := w.s.InsertSuccessor(ctx, b.id, scSuccessor(a.director, a.sup, succession.ReadyNow, 1, false)); err == nil {
		t.Error("B stored a successor of A's position and employee")
	}
	for what, n := range map[string]func() (int, error){
		"list":    func() (int, error) { x, err := w.s.ListSuccessors(ctx, b.id, succession.Query{}); return len(x), err },
		"in use":  func() (int, error) { x, err := w.s.ReadinessInUse(ctx, b.id); return len(x), err },
		"history": func() (int, error) { x, err := w.s.ReadinessHistory(ctx, b.id, s.ID); return len(x), err },
		"9-box":   func() (int, error) { x, err := w.s.NineBox(ctx, b.id, []string{a.sales}, 1); return len(x), err },
		"coverage": func() (int, error) {
			c, err := w.s.Coverage(ctx, b.id, []string{a.sales}, "ready_now")
			return c.CriticalPositions, err
		},
	} {
		got, err := n()
		scMust(t, err)
		if got != 0 {
			t.Errorf("B's %s sees %d of A's rows", what, got)
		}
	}
	// B's own data does not leak into A's reports.
	scMust(t, w.s.InsertSuccessor(ctx, b.id, scSuccessor(b.director, b.sup, succession.ReadyNow, 1, true)))
	c, err := w.s.Coverage(ctx, a.id, nil, succession.ReadyNow)
	scMust(t, err)
	if c.CriticalPositions != 2 || c.ReadyNow != 1 {
		t.Errorf("A's coverage = %+v", c)
	}
	got, err := w.s.Successor(ctx, a.id, s.ID)
	scMust(t, err)
	if d := cmp.Diff(s, got); d != "" {
		t.Errorf("A's successor after B's attempts (-want +got):\n%s", d)
	}
}

func testScLockScale(t *testing.T, w scWorld) {
	ctx := context.Background()
	scMust(t, w.s.LockScale(ctx, w.a.id, true)) // outside a transaction: nothing to hold
	// Whichever comes first, exclusive or shared, the other transaction
	// starts its work only after the first has committed.
	for _, firstExclusive := range []bool{true, false} {
		var order []string
		var mu sync.Mutex
		note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
		locked := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- w.tx.InTx(ctx, func(ctx context.Context) error {
				err := w.s.LockScale(ctx, w.a.id, firstExclusive)
				close(locked)
				if err != nil {
					return err
				}
				time.Sleep(50 * time.Millisecond)
				note("first")
				return nil
			})
		}()
		<-locked
		scMust(t, w.tx.InTx(ctx, func(ctx context.Context) error {
			if err := w.s.LockScale(ctx, w.a.id, !firstExclusive); err != nil {
				return err
			}
			note("second")
			return nil
		}))
		scMust(t, <-done)
		if d := cmp.Diff([]string{"first", "second"}, order); d != "" {
			t.Errorf("first exclusive %v: order (-want +got):\n%s", firstExclusive, d)
		}
	}
}
