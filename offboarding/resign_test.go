package offboarding_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

func TestResign_OpensCaseFromTemplateInOneTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		cust := e.customer(t, "华东机械", e.leaver)
		e.customer(t, "别人的客户", e.succ1)
		c := e.resign(t)

		emp := e.employee(t, e.leaver.ID)
		if emp.Status != hr.StatusResigning || emp.LastWorkingDay != lastDay {
			t.Errorf("employee = %s %s, want resigning %s", emp.Status, emp.LastWorkingDay, lastDay)
		}
		if c.Status != offboarding.CaseOpen || c.ManagerID != e.manager.ID || c.HRID != e.hrP.ID || c.SnapshotID == "" {
			t.Errorf("case = %+v", c)
		}
		got := map[string]string{}
		for k, s := range e.steps(t, c.ID) {
			got[k] = s.DueOn.String() + " " + string(s.Status)
		}
		want := map[string]string{"customers": "2026-11-27 open", "work": "2026-11-27 open", "items": "2026-11-30 open", "access": "2026-11-30 open"}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("steps (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"export"}, e.stageKeys(t, c.ID)); d != "" {
			t.Errorf("stages applied (-want +got):\n%s", d)
		}
		if ok := e.enf.Check(e.tenant, e.leaver.ID, "customers:export"); ok {
			t.Error("the leaver may still export customers")
		}
		items, err := e.svc.CustomerHandover(e.as["hr"], c.ID)
		must(t, err)
		if len(items) != 1 || items[0].CustomerID != cust.ID {
			t.Errorf("handover items = %+v, want only %s", items, cust.Name)
		}
		// Every participant hears of every step once.
		keys := e.messages(t, offboarding.KindAssigned)
		steps := e.steps(t, c.ID)
		var want2 []string
		for _, k := range []struct {
			step string
			to   []string
		}{
			{"customers", []string{e.leaver.ID, e.succ1.ID, e.succ2.ID}},
			{"work", []string{e.leaver.ID, e.manager.ID}},
			{"items", []string{e.leaver.ID, "role:admin"}},
			{"access", []string{e.hrP.ID}},
		} {
			for _, r := range k.to {
				want2 = append(want2, offboarding.KindAssigned+"/"+c.ID+"/"+steps[k.step].ID+"/"+r)
			}
		}
		if d := cmp.Diff(sorted(want2), keys); d != "" {
			t.Errorf("notifications (-want +got):\n%s", d)
		}
	})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestResign_BadInputIsTypedAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		tests := []struct {
			name   string
			mod    func(*offboarding.ResignParams)
			fields []string
		}{
			{"last day before submission", func(p *offboarding.ResignParams) { p.LastDay = hr.NewDate(2026, 11, 1) }, []string{"last_day"}},
			{"successor is the leaver", func(p *offboarding.ResignParams) { p.Successors = []string{e.leaver.ID} }, []string{"successors[0]"}},
			{"successor departed", func(p *offboarding.ResignParams) { p.Successors = []string{e.gone.ID} }, []string{"successors[0]"}},
			{"successor of another tenant", func(p *offboarding.ResignParams) { p.Successors = []string{e.succ1.ID, e.other.ID} }, []string{"successors[1]"}},
			{"no successor, unknown kind", func(p *offboarding.ResignParams) { p.Successors = nil; p.Kind = "fired" }, []string{"kind", "successors"}},
		}
		for _, tt := range tests {
			p := e.resignParams()
			tt.mod(&p)
			_, err := e.svc.Resign(e.as["hr"], p)
			wantErr(t, tt.name, err, ballast.ErrInvalid)
			if err != nil {
				if d := cmp.Diff(tt.fields, fields(t, err)); d != "" {
					t.Errorf("%s: fields (-want +got):\n%s", tt.name, d)
				}
			}
		}
		cases, err := e.svc.Cases(e.as["hr"], offboarding.CaseFilter{})
		must(t, err)
		if len(cases) != 0 || e.employee(t, e.leaver.ID).Status != hr.StatusActive {
			t.Fatalf("bad input wrote: %d cases, employee %s", len(cases), e.employee(t, e.leaver.ID).Status)
		}
		if keys := e.messages(t, ""); len(keys) != 0 {
			t.Errorf("bad input queued %v", keys)
		}

		e.resign(t)
		_, err = e.svc.Resign(e.as["hr"], e.resignParams())
		wantErr(t, "a second case", err, offboarding.ErrCaseOpen)
		wantErr(t, "a second case", err, ballast.ErrConflict)

		_, err = e.svc.Resign(e.as["succ1"], offboarding.ResignParams{EmployeeID: e.succ2.ID, Kind: offboarding.ExitVoluntary,
			SubmittedOn: submitted, LastDay: lastDay, Successors: []string{e.succ1.ID}})
		wantErr(t, "resigning for someone else", err, ballast.ErrForbidden)
	})
}

func TestResign_InvoluntaryRevokesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		p := e.resignParams()
		p.Kind = offboarding.ExitInvoluntary
		c, err := e.svc.Resign(e.as["hr"], p)
		must(t, err)
		if d := cmp.Diff([]string{"export", "key-accounts", "final"}, e.stageKeys(t, c.ID)); d != "" {
			t.Errorf("stages (-want +got):\n%s", d)
		}
		if e.enf.Check(e.tenant, e.leaver.ID, "customers:read") {
			t.Error("the leaver's account still works")
		}
		if st := e.steps(t, c.ID)["access"]; st.Status != offboarding.StepDone {
			t.Errorf("access step = %s, want done", st.Status)
		}
		if !c.NextStageOn.IsZero() {
			t.Errorf("NextStageOn = %s, want none", c.NextStageOn)
		}
	})
}

func TestResign_SelfServiceVoluntary(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c, err := e.svc.Resign(e.as["leaver"], e.resignParams())
		must(t, err)
		if c.HRID != "" {
			t.Errorf("HRID = %q, want none", c.HRID)
		}
		effs, err := e.enf.AppliedStages(e.sys, c.ID)
		must(t, err)
		if len(effs) != 1 || effs[0].AppliedBy != "system:offboarding:"+c.ID {
			t.Errorf("applied = %+v, want export by the system for the case", effs)
		}
	})
}

func TestResign_OpensACaseForAnEmployeeAlreadyMarkedResigning(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		p := e.leaver.Params()
		p.Status, p.LastWorkingDay = hr.StatusResigning, hr.NewDate(2026, 12, 15)
		_, err := e.hr.UpdateEmployee(e.sys, e.leaver.ID, p, e.leaver.Version)
		must(t, err)
		c := e.resign(t)
		if emp := e.employee(t, e.leaver.ID); emp.LastWorkingDay != c.LastDay {
			t.Errorf("last day = %s, want the case's %s", emp.LastWorkingDay, c.LastDay)
		}
	})
}

func TestRevocationPreview_AppliedAndPending(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		ps, err := e.svc.RevocationPreview(e.as["hr"], c.ID)
		must(t, err)
		var got []string
		for _, p := range ps {
			got = append(got, fmt.Sprintf("%s applied=%v on=%s removes=%d adds=%d disables=%v",
				p.Stage.Key, p.Applied, p.On, len(p.Effect.Removed), len(p.Effect.Added), p.Effect.Disabled))
		}
		want := []string{
			"export applied=true on= removes=0 adds=4 disables=false",
			"key-accounts applied=false on=2026-11-23 removes=0 adds=3 disables=false",
			"final applied=false on= removes=1 adds=0 disables=true",
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("preview (-want +got):\n%s", d)
		}
		_, err = e.svc.RevocationPreview(e.as["leaver"], c.ID)
		wantErr(t, "the leaver previewing", err, ballast.ErrForbidden)
	})
}
