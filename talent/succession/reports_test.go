package succession_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/succession"
)

// setStatus changes an employee's hr status.
func (e *env) setStatus(t testing.TB, emp hr.Employee, st hr.Status) hr.Employee {
	t.Helper()
	cur, err := e.hr.Employee(e.sys, emp.ID)
	must(t, err)
	p := cur.Params()
	p.Status, p.LastWorkingDay = st, hr.NewDate(2026, 10, 31)
	out, err := e.hr.UpdateEmployee(e.sys, emp.ID, p, cur.Version)
	must(t, err)
	return out
}

func TestPositionReport_ShowsIncumbentsAndSuccessorsWithLatestScore(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		_, err := e.svc.SetScale(e.as["hr"], []succession.ReadinessLevel{{Key: "ready_now", Label: "Ready now", Months: 0},
			{Key: "ready_6_months", Label: "Within half a year", Months: 6}, {Key: "later", Label: "Later", Months: 30}}, 0)
		must(t, err)
		e.perf(t, e.zhang, 70, 95, 90) // 2023, 2024, 2025: the latest is 90
		e.perf(t, e.head, 88)
		z, err := e.svc.AddSuccessor(e.as["hr"], succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.zhang.ID,
			Readiness: "ready_6_months", Rank: 1, PlanID: "plan-1"})
		must(t, err)
		w, err := e.svc.AddSuccessor(e.as["hr"], succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.wang.ID,
			Readiness: "ready_now", Rank: 2, Emergency: true})
		must(t, err)
		e.head = e.setStatus(t, e.head, hr.StatusResigning)

		got, err := e.svc.PositionReport(e.as["head"], e.director.ID)
		must(t, err)
		score := 90.0
		want := succession.PositionReport{PositionID: e.director.ID, Title: "Sales director", DepartmentID: e.sales.ID,
			Incumbents: []succession.Incumbent{{EmployeeID: e.head.ID, Name: "刘强", Resigning: true}},
			Successors: []succession.SuccessorLine{
				{Successor: z, Name: "Zhang San", PositionTitle: "Sales supervisor", Score: &score, Period: "2025",
					ReadinessLabel: "Within half a year", Months: 6},
				{Successor: w, Name: "王丽", ReadinessLabel: "Ready now"},
			}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("position report (-want +got):\n%s", d)
		}
		if s := got.Successors[0].Summary(); s != "Zhang San, Sales supervisor, score 90, ready in about 6 months" {
			t.Errorf("summary = %q", s)
		}
		if s := got.Successors[1].Summary(); s != "王丽, ready now" {
			t.Errorf("summary = %q", s)
		}
		if !got.Incumbents[0].FlightRisk() {
			t.Error("a resigning incumbent is not a flight risk")
		}
		for _, tc := range []struct {
			as, pos string
			want    error
		}{
			{"hr", e.supervisor.ID, succession.ErrNotCritical},
			{"head", e.rdLead.ID, ballast.ErrForbidden},
			{"zhang", e.director.ID, ballast.ErrForbidden},
			{"otherHR", e.director.ID, ballast.ErrNotFound},
			{"hr", "nope", ballast.ErrInvalid},
		} {
			_, err := e.svc.PositionReport(e.as[tc.as], tc.pos)
			wantErr(t, tc.as+" reads a position report", err, tc.want)
		}
	})
}

func TestCoverage_CountsReadyNowGapsSharedSuccessorsAndFlightRisks(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		keyAcc, err := e.hr.CreatePosition(e.sys, hr.PositionParams{Title: "Key accounts lead", DepartmentID: e.east.ID, Critical: true})
		must(t, err)
		e.add(t, e.director, e.wang, succession.ReadyNow, true)
		e.add(t, e.director, e.zhang, succession.Ready1To2Years, false)
		e.add(t, e.rdLead, e.zhang, succession.Ready3To5Years, false)
		e.head = e.setStatus(t, e.head, hr.StatusResigning)

		director := succession.PositionRef{PositionID: e.director.ID, Title: "Sales director", DepartmentID: e.sales.ID}
		rdLead := succession.PositionRef{PositionID: e.rdLead.ID, Title: "R&D lead", DepartmentID: e.rnd.ID}
		key := succession.PositionRef{PositionID: keyAcc.ID, Title: "Key accounts lead", DepartmentID: e.east.ID}
		headRisk := succession.FlightRisk{PositionRef: director, Incumbent: succession.Incumbent{EmployeeID: e.head.ID, Name: "刘强", Resigning: true}}
		chenRisk := succession.FlightRisk{PositionRef: rdLead, Incumbent: succession.Incumbent{EmployeeID: e.chen.ID, Name: "陈晨", KeyPerson: true}}
		for _, tc := range []struct {
			name string
			as   string
			want succession.Coverage
		}{
			{"HRSeesTheCompany", "hr", succession.Coverage{CriticalPositions: 3, ReadyNow: 1, ReadyNowShare: 1.0 / 3,
				WithoutSuccessor: []succession.PositionRef{key},
				Shared:           []succession.SharedSuccessor{{EmployeeID: e.zhang.ID, Name: "Zhang San", Positions: 2}},
				FlightRisks:      []succession.FlightRisk{chenRisk, headRisk}}},
			{"AHeadSeesTheDepartmentsTheyHead", "head", succession.Coverage{CriticalPositions: 2, ReadyNow: 1, ReadyNowShare: 0.5,
				WithoutSuccessor: []succession.PositionRef{key}, Shared: []succession.SharedSuccessor{},
				FlightRisks: []succession.FlightRisk{headRisk}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.svc.Coverage(e.as[tc.as])
				must(t, err)
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("coverage (-want +got):\n%s", d)
				}
			})
		}
		// A departed successor covers nothing.
		e.setStatus(t, e.wang, hr.StatusDeparted)
		got, err := e.svc.Coverage(e.as["hr"])
		must(t, err)
		if got.ReadyNow != 0 || got.ReadyNowShare != 0 {
			t.Errorf("ready now after the ready-now successor left = %d (%v), want 0", got.ReadyNow, got.ReadyNowShare)
		}
		for as, want := range map[string]error{"zhang": ballast.ErrForbidden, "chen": ballast.ErrForbidden, "nobody": ballast.ErrUnauthenticated} {
			_, err := e.svc.Coverage(e.as[as])
			wantErr(t, as+" reads coverage", err, want)
		}
		other, err := e.svc.Coverage(e.as["otherHR"])
		must(t, err)
		if other.CriticalPositions != 0 || len(other.FlightRisks) != 0 {
			t.Errorf("another tenant's coverage = %+v, want empty", other)
		}
	})
}
