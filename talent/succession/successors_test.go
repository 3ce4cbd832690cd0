package succession_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/talent/succession"
)

func TestAddSuccessor_RefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.add(t, e.director, e.wang, succession.Ready1To2Years, true)
		ok := func(mod func(*succession.SuccessorParams)) succession.SuccessorParams {
			p := succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.zhang.ID, Readiness: succession.ReadyNow}
			mod(&p)
			return p
		}
		for _, tc := range []struct {
			name   string
			as     string
			params succession.SuccessorParams
			want   error
			fields []string
		}{
			{"PositionNotCritical", "hr", ok(func(p *succession.SuccessorParams) { p.PositionID = e.supervisor.ID }), succession.ErrNotCritical, nil},
			{"TheIncumbent", "hr", ok(func(p *succession.SuccessorParams) { p.EmployeeID = e.head.ID }), succession.ErrIncumbent, nil},
			{"DepartedEmployee", "hr", ok(func(p *succession.SuccessorParams) { p.EmployeeID = e.departed.ID }), succession.ErrDeparted, nil},
			{"ReadinessOffTheScale", "hr", ok(func(p *succession.SuccessorParams) { p.Readiness = "someday" }), succession.ErrUnknownReadiness, nil},
			{"SameEmployeeTwice", "hr", ok(func(p *succession.SuccessorParams) { p.EmployeeID = e.wang.ID }), succession.ErrDuplicate, nil},
			{"SecondEmergency", "hr", ok(func(p *succession.SuccessorParams) { p.Emergency = true }), succession.ErrEmergencyTaken, nil},
			{"MissingFields", "hr", succession.SuccessorParams{}, ballast.ErrInvalid, []string{"employee_id", "position_id", "readiness"}},
			{"MalformedIDsAndRank", "hr", ok(func(p *succession.SuccessorParams) { p.PositionID, p.EmployeeID, p.Rank = "x", "y", 1000 }),
				ballast.ErrInvalid, []string{"employee_id", "position_id", "rank"}},
			{"UnknownEmployee", "hr", ok(func(p *succession.SuccessorParams) { p.EmployeeID = ballast.NewID() }), ballast.ErrNotFound, nil},
			{"PositionOfAnotherTenant", "otherHR", ok(func(*succession.SuccessorParams) {}), ballast.ErrNotFound, nil},
			{"HeadOutsideTheirDepartments", "head", ok(func(p *succession.SuccessorParams) { p.PositionID = e.rdLead.ID }), ballast.ErrForbidden, nil},
			{"HeadOfNothing", "chen", ok(func(*succession.SuccessorParams) {}), ballast.ErrForbidden, nil},
			{"Employee", "zhang", ok(func(*succession.SuccessorParams) {}), ballast.ErrForbidden, nil},
			{"NoPrincipal", "nobody", ok(func(*succession.SuccessorParams) {}), ballast.ErrUnauthenticated, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.AddSuccessor(e.as[tc.as], tc.params)
				wantErr(t, "add", err, tc.want)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		got, err := e.svc.Successors(e.as["hr"], e.director.ID)
		must(t, err)
		if len(got) != 1 || got[0].EmployeeID != e.wang.ID {
			t.Errorf("successors after refusals = %+v, want only 王丽", got)
		}
		if n := len(e.audits(t, succession.ActionAddSuccessor)); n != 1 {
			t.Errorf("%d add entries in the audit, want 1", n)
		}
	})
}

func TestSuccessor_LifecycleKeepsReadinessHistoryAndAudit(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		// The department head proposes a successor for a position of the
		// department they head; ranks follow the order of naming.
		w, err := e.svc.AddSuccessor(e.as["head"], succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.wang.ID,
			Readiness: succession.Ready3To5Years, Notes: "strong with key accounts", PlanID: "plan-7", Reason: "talent review 2026"})
		must(t, err)
		z := e.add(t, e.director, e.zhang, succession.Ready1To2Years, true)
		if w.Rank != 1 || z.Rank != 2 || w.CreatedBy != e.head.ID || w.Version != 1 {
			t.Fatalf("ranks %d, %d, created by %s, version %d; want 1, 2, the head, 1", w.Rank, z.Rank, w.CreatedBy, w.Version)
		}
		e.clock.Set(e.clock.Now().Add(time.Hour))
		_, err = e.svc.UpdateSuccessor(e.as["hr"], w.ID, succession.SuccessorUpdate{Readiness: succession.ReadyNow, Rank: 1}, w.Version)
		if d := cmp.Diff([]string{"reason"}, fields(t, err)); d != "" {
			t.Errorf("readiness change without a reason: fields (-want +got):\n%s", d)
		}
		_, err = e.svc.UpdateSuccessor(e.as["hr"], w.ID, succession.SuccessorUpdate{Readiness: succession.ReadyNow, Rank: 1, Emergency: true,
			Reason: "x"}, w.Version)
		wantErr(t, "a second emergency successor by update", err, succession.ErrEmergencyTaken)
		_, err = e.svc.UpdateSuccessor(e.as["hr"], w.ID, succession.SuccessorUpdate{Readiness: "soon", Rank: 1, Reason: "x"}, w.Version)
		wantErr(t, "readiness off the scale by update", err, succession.ErrUnknownReadiness)
		_, err = e.svc.UpdateSuccessor(e.as["hr"], w.ID, succession.SuccessorUpdate{Readiness: succession.ReadyNow, Rank: 1, Reason: "x"}, 7)
		wantErr(t, "a stale version", err, ballast.ErrConflict)
		w2, err := e.svc.UpdateSuccessor(e.as["hr"], w.ID, succession.SuccessorUpdate{Readiness: succession.ReadyNow, Rank: 1,
			Notes: w.Notes, PlanID: w.PlanID, Reason: "led the key-account programme"}, w.Version)
		must(t, err)
		if w2.Version != 2 || w2.Readiness != succession.ReadyNow || !w2.UpdatedAt.Equal(e.clock.Now()) {
			t.Errorf("updated successor = %+v", w2)
		}
		// A change of rank alone adds nothing to the readiness history.
		w3, err := e.svc.UpdateSuccessor(e.as["hr"], w.ID, succession.SuccessorUpdate{Readiness: succession.ReadyNow, Rank: 3,
			Notes: w.Notes, PlanID: w.PlanID}, w2.Version)
		must(t, err)
		hist, err := e.svc.ReadinessHistory(e.as["head"], w.ID)
		must(t, err)
		var got [][3]string
		for _, h := range hist {
			got = append(got, [3]string{h.From, h.To, h.Reason})
		}
		want := [][3]string{{"", succession.Ready3To5Years, "talent review 2026"}, {succession.Ready3To5Years, succession.ReadyNow, "led the key-account programme"}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("readiness history (-want +got):\n%s", d)
		}
		list, err := e.svc.Successors(e.as["head"], e.director.ID)
		must(t, err)
		if len(list) != 2 || list[0].ID != z.ID || list[1].ID != w.ID {
			t.Errorf("successors by rank = %+v, want 张三 (2) then 王丽 (3)", list)
		}
		wantErr(t, "remove without a reason", e.svc.RemoveSuccessor(e.as["hr"], w.ID, "", w3.Version), ballast.ErrInvalid)
		wantErr(t, "remove by an employee", e.svc.RemoveSuccessor(e.as["zhang"], w.ID, "moved", w3.Version), ballast.ErrForbidden)
		wantErr(t, "remove at a stale version", e.svc.RemoveSuccessor(e.as["hr"], w.ID, "moved", 1), ballast.ErrConflict)
		must(t, e.svc.RemoveSuccessor(e.as["hr"], w.ID, "moved to another region", w3.Version))
		_, err = e.svc.ReadinessHistory(e.as["hr"], w.ID)
		wantErr(t, "history of a removed successor", err, ballast.ErrNotFound)
		for action, n := range map[string]int{succession.ActionAddSuccessor: 2, succession.ActionUpdateSuccessor: 2, succession.ActionRemoveSuccessor: 1} {
			if got := len(e.audits(t, action)); got != n {
				t.Errorf("%d %s entries in the audit, want %d", got, action, n)
			}
		}
		if r := e.audits(t, succession.ActionRemoveSuccessor)[0]; r.Reason != "moved to another region" || r.TargetID != w.ID {
			t.Errorf("remove audit entry = %+v", r)
		}
	})
}

func TestSuccessors_DepartmentHeadsReadOnlyTheirDepartments(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		r := e.add(t, e.rdLead, e.wang, succession.ReadyNow, false)
		for _, tc := range []struct {
			as   string
			pos  string
			want error
		}{
			{"hr", e.rdLead.ID, nil},
			{"head", e.director.ID, nil},
			{"head", e.rdLead.ID, ballast.ErrForbidden},
			{"zhang", e.director.ID, ballast.ErrForbidden},
			{"otherHR", e.rdLead.ID, ballast.ErrNotFound},
		} {
			_, err := e.svc.Successors(e.as[tc.as], tc.pos)
			if tc.want == nil {
				must(t, err)
			} else {
				wantErr(t, tc.as+" reads successors", err, tc.want)
			}
		}
		_, err := e.svc.UpdateSuccessor(e.as["head"], r.ID, succession.SuccessorUpdate{Readiness: succession.ReadyNow, Rank: 1}, r.Version)
		wantErr(t, "a head updates a successor outside their departments", err, ballast.ErrForbidden)
		_, err = e.svc.ReadinessHistory(e.as["otherHR"], r.ID)
		wantErr(t, "another tenant reads the history", err, ballast.ErrNotFound)
	})
}

func TestAddSuccessor_ConcurrentEmergencyNamingsLetOneThrough(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, emp := range []string{e.wang.ID, e.zhang.ID} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.AddSuccessor(e.as["hr"], succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: emp,
					Readiness: succession.ReadyNow, Emergency: true})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				wantErr(t, "the losing emergency naming", err, ballast.ErrConflict)
			}
		}
		list, err := e.svc.Successors(e.as["hr"], e.director.ID)
		must(t, err)
		if ok != 1 || len(list) != 1 {
			t.Errorf("%d namings succeeded, %d stored; want 1 and 1", ok, len(list))
		}
	})
}

func TestSetScale_ValidatesAndKeepsLevelsInUse(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		sc, err := e.svc.Scale(e.as["head"])
		must(t, err)
		if d := cmp.Diff(succession.Scale{Levels: succession.DefaultScale()}, sc); d != "" {
			t.Errorf("default scale (-want +got):\n%s", d)
		}
		e.add(t, e.director, e.wang, succession.Ready1To2Years, false)
		for _, tc := range []struct {
			name   string
			as     string
			levels []succession.ReadinessLevel
			want   error
			fields []string
		}{
			{"Empty", "hr", nil, ballast.ErrInvalid, []string{"levels"}},
			{"BadLevels", "hr", []succession.ReadinessLevel{{Key: "Now!", Label: "", Months: -1}, {Key: "later", Label: "L", Months: 12},
				{Key: "later", Label: "L2", Months: 6}}, ballast.ErrInvalid,
				[]string{"levels[0].key", "levels[0].label", "levels[0].months", "levels[2].key", "levels[2].months"}},
			{"DropsALevelInUse", "hr", []succession.ReadinessLevel{{Key: "ready_now", Label: "Now", Months: 0}}, succession.ErrReadinessInUse, nil},
			{"DepartmentHead", "head", succession.DefaultScale(), ballast.ErrForbidden, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.SetScale(e.as[tc.as], tc.levels, 0)
				wantErr(t, "set scale", err, tc.want)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		levels := []succession.ReadinessLevel{{Key: "ready_now", Label: "随时可接任", Months: 0}, {Key: "ready_6_months", Label: "半年内", Months: 6},
			{Key: succession.Ready1To2Years, Label: "1–2 年", Months: 18}}
		sc, err = e.svc.SetScale(e.as["hr"], levels, 0)
		must(t, err)
		_, err = e.svc.SetScale(e.as["hr"], levels, 0)
		wantErr(t, "a stale scale version", err, ballast.ErrConflict)
		got, err := e.svc.Scale(e.as["hr"])
		must(t, err)
		if d := cmp.Diff(sc, got); d != "" || got.Version != 1 {
			t.Errorf("stored scale (-want +got):\n%s", d)
		}
		_, err = e.svc.AddSuccessor(e.as["hr"], succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.zhang.ID, Readiness: succession.Ready3To5Years})
		wantErr(t, "a level dropped from the scale", err, succession.ErrUnknownReadiness)
		_, err = e.svc.AddSuccessor(e.as["hr"], succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.zhang.ID, Readiness: "ready_6_months"})
		must(t, err)
		if n := len(e.audits(t, succession.ActionSetScale)); n != 1 {
			t.Errorf("%d scale entries in the audit, want 1", n)
		}
		_, err = e.svc.Scale(context.Background())
		wantErr(t, "scale without a principal", err, ballast.ErrUnauthenticated)
	})
}
