package assessment_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast"

	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// H3 review: a participant whose hr manager has departed must still be
// scorable by someone (the snapshotted manager cannot sign in; HR is
// refused because ManagerID is set).
func TestReview_DepartedManagerLeavesReviewScorable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		head, err := e.hr.Employee(e.sys, e.head.ID)
		must(t, err)
		p := head.Params()
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 6, 30)
		_, err = e.hr.UpdateEmployee(e.sys, head.ID, p, head.Version)
		must(t, err)
		c := e.open(t)
		pt := e.participant(t, c, e.zhao)
		t.Logf("zhao's snapshotted manager: %q (departed head %q)", pt.ManagerID, e.head.ID)
		c, err = e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["hr"], pt.ID, []assessment.EntryInput{{IndicatorID: e.revenue.ID, Score: f(70)}})
		if err != nil {
			t.Errorf("nobody can score the review of an employee whose manager left: HR gets %v", err)
		}
	})
}

// OpenCycle snapshots as manager hr's ManagerID when active, else the
// nearest active head up the department tree who is not the participant,
// else nobody (HR scores).
func TestOpenCycle_PicksTheNearestActiveManagerUpTheTree(t *testing.T) {
	depart := func(t *testing.T, e *env, id string) {
		emp, err := e.hr.Employee(e.sys, id)
		must(t, err)
		p := emp.Params()
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 6, 30)
		_, err = e.hr.UpdateEmployee(e.sys, id, p, emp.Version)
		must(t, err)
	}
	// company puts Sales under a Company department headed by 李工.
	company := func(t *testing.T, e *env) {
		co, err := e.hr.CreateDepartment(e.sys, hr.DepartmentParams{Name: "Company", HeadID: e.rdHead.ID})
		must(t, err)
		sales, err := e.hr.Department(e.sys, e.sales.ID)
		must(t, err)
		_, err = e.hr.UpdateDepartment(e.sys, sales.ID, hr.DepartmentParams{Name: "Sales", ParentID: co.ID, HeadID: e.head.ID}, sales.Version)
		must(t, err)
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, e *env)
		who   func(e *env) hr.Employee
		want  func(e *env) string
	}{
		{"hr's manager", nil, func(e *env) hr.Employee { return e.wang }, func(e *env) string { return e.head.ID }},
		{"no manager: the department's head", nil, func(e *env) hr.Employee { return e.chen }, func(e *env) string { return e.rdHead.ID }},
		{"a root department's head: nobody", nil, func(e *env) hr.Employee { return e.head }, func(e *env) string { return "" }},
		{"a department head: the parent department's head", company, func(e *env) hr.Employee { return e.head }, func(e *env) string { return e.rdHead.ID }},
		{"departed manager: the next head up", func(t *testing.T, e *env) { company(t, e); depart(t, e, e.head.ID) },
			func(e *env) hr.Employee { return e.zhao }, func(e *env) string { return e.rdHead.ID }},
		{"departed manager and head, no parent: nobody", func(t *testing.T, e *env) { depart(t, e, e.head.ID) },
			func(e *env) hr.Employee { return e.zhao }, func(e *env) string { return "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				e := newEnv(t, db)
				e.library(t)
				if tc.setup != nil {
					tc.setup(t, e)
				}
				c := e.open(t)
				if got := e.participant(t, c, tc.who(e)).ManagerID; got != tc.want(e) {
					t.Errorf("manager = %q, want %q", got, tc.want(e))
				}
			})
		})
	}
}

// HR reassigns a participant's manager (audited): the new manager scores,
// the old one no longer may; bad input and outsiders are refused and
// change nothing.
func TestReassignManager_MovesTheReviewToAnotherManager(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.participant(t, c, e.zhao)
		departed, err := e.db.HR().ListEmployees(e.sys, e.tenant, hr.EmployeeQuery{Status: hr.StatusDeparted, Limit: 10})
		must(t, err)
		for _, tc := range []struct {
			name, who, manager, reason string
			want                       error
		}{
			{"no reason", "hr", e.rdHead.ID, " ", ballast.ErrInvalid},
			{"the participant", "hr", e.zhao.ID, "x", ballast.ErrInvalid},
			{"a departed employee", "hr", departed[0].ID, "x", ballast.ErrInvalid},
			{"an unknown employee", "hr", ballast.NewID(), "x", ballast.ErrInvalid},
			{"not an id", "hr", "nope", "x", ballast.ErrInvalid},
			{"a manager", "head", e.rdHead.ID, "x", ballast.ErrForbidden},
		} {
			_, err := e.svc.ReassignManager(e.as[tc.who], p.ID, tc.manager, tc.reason)
			wantErr(t, tc.name, err, tc.want)
		}
		if got := e.participant(t, c, e.zhao); got.Version != p.Version || got.ManagerID != e.head.ID {
			t.Fatalf("refused reassignments changed the participant: %+v", got)
		}
		c, err = e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		got, err := e.svc.ReassignManager(e.as["hr"], p.ID, e.rdHead.ID, "刘强 left on 30 June")
		must(t, err)
		if got.ManagerID != e.rdHead.ID {
			t.Errorf("manager = %q, want %q", got.ManagerID, e.rdHead.ID)
		}
		entries := []assessment.EntryInput{{IndicatorID: e.revenue.ID, Score: f(70)}}
		_, err = e.svc.SaveManagerReview(e.as["head"], p.ID, entries)
		wantErr(t, "the former manager scores", err, ballast.ErrNotFound)
		_, err = e.svc.SaveManagerReview(e.as["rdHead"], p.ID, entries)
		must(t, err)
		tasks := e.messages(t, assessment.KindTask)
		if !slices.Contains(tasks, assessment.KindTask+"/"+p.ID+"/manager/"+e.rdHead.ID) {
			t.Errorf("the new manager got no task: %v", tasks)
		}
		recs, err := e.log.Query(e.sys, e.tenant, audit.Filter{TargetType: assessment.TargetParticipant, TargetID: p.ID, Action: assessment.ActionManagerReassign})
		must(t, err)
		if len(recs) != 1 || recs[0].Reason != "刘强 left on 30 June" {
			t.Errorf("audit = %+v, want one reassignment with its reason", recs)
		}
		// Back to HR: the cycle's owner scores.
		_, err = e.svc.ReassignManager(e.as["hr"], p.ID, "", "李工 is on leave")
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["hr"], p.ID, entries)
		must(t, err)
	})
}

// A self-evaluation HR reopens in manager review is reminded to the
// employee (not the manager) until they submit it — also after the
// manager submitted and after HR moved the deadlines — and escalated to
// the manager once it is missed.
func TestReconcile_RemindsTheEmployeeOfAReopenedSelfEvaluationInManagerReview(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		e.clock.Set(shanghai(hr.NewDate(2026, 7, 12)))
		c := e.open(t)
		p := e.participant(t, c, e.wang)
		c, err := e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		due := hr.NewDate(2026, 7, 16)
		_, err = e.svc.ReopenSelfEvaluation(e.as["hr"], p.ID, due, "was on leave")
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["head"], p.ID, []assessment.EntryInput{
			{IndicatorID: e.revenue.ID, Score: f(70)}, {IndicatorID: e.onTime.ID, Score: f(70)},
			{IndicatorID: e.leadership.ID, Score: f(3)}, {IndicatorID: e.teamwork.ID, Score: f(4)}})
		must(t, err)
		_, err = e.svc.SubmitManagerReview(e.as["head"], p.ID)
		must(t, err)
		d := c.Deadlines
		d.ManagerReview = hr.NewDate(2026, 7, 22)
		_, err = e.svc.UpdateDeadlines(e.as["hr"], c.ID, d, c.Version)
		must(t, err)

		key := func(kind, rest string) string { return kind + "/" + p.ID + "/self/" + due.String() + rest }
		for _, st := range []struct {
			day  hr.Date
			kind string
			want string
		}{
			{hr.NewDate(2026, 7, 13), assessment.KindReminder, key(assessment.KindReminder, "/d3/"+e.wang.ID)},
			{hr.NewDate(2026, 7, 15), assessment.KindReminder, key(assessment.KindReminder, "/d1/"+e.wang.ID)},
			{hr.NewDate(2026, 7, 17), assessment.KindEscalation, key(assessment.KindEscalation, "/"+e.head.ID)},
		} {
			_, err := e.svc.Reconcile(e.sys, shanghai(st.day))
			must(t, err)
			if got := e.messages(t, st.kind); !slices.Contains(got, st.want) {
				t.Errorf("on %s: %s not queued; have %v", st.day, st.want, got)
			}
		}
		for _, k := range e.messages(t, assessment.KindReminder) {
			if strings.HasPrefix(k, assessment.KindReminder+"/"+p.ID+"/") && !strings.HasSuffix(k, "/"+e.wang.ID) {
				t.Errorf("a reminder of wang's review went to someone else: %s", k)
			}
		}
	})
}
