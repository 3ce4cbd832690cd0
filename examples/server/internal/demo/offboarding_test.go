package demo_test

import (
	"testing"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

func TestSeed_ZhangLeisOffboardingIsUnderWay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Parallel()
		s := seedDemo(t, db)
		hrCtx := s.as("hr")
		zhang, zhao := s.logins["zhanglei"].EmployeeID, s.logins["zhaomin"].EmployeeID
		cs, err := s.offboard.Cases(hrCtx, offboarding.CaseFilter{Status: offboarding.CaseOpen})
		if err != nil || len(cs) != 1 || cs[0].EmployeeID != zhang {
			t.Fatalf("open cases = %+v, %v; want 张磊's", cs, err)
		}
		c := cs[0]
		e, err := s.hr.Employee(hrCtx, zhang)
		if err != nil || e.Status != hr.StatusResigning || e.LastWorkingDay != c.LastDay || c.LastDay != hr.NewDate(2026, 12, 16) {
			t.Errorf("张磊 = %s, last day %s; case last day %s (%v)", e.Status, e.LastWorkingDay, c.LastDay, err)
		}
		if c.SnapshotID == "" || len(c.Successors) != 2 || c.Successors[0] != zhao || c.ManagerID != s.logins["wangli"].EmployeeID {
			t.Errorf("case = %+v", c)
		}

		items, err := s.offboard.CustomerHandover(hrCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var assigned, handed, signed int
		for _, it := range items {
			if it.SuccessorID != "" {
				assigned++
			}
			if it.HandedOver {
				handed++
			}
			if it.SignatureID != "" {
				signed++
			}
		}
		if len(items) != 15 || assigned != 15 || handed != 10 || signed != 7 {
			t.Errorf("handover: %d items, %d assigned, %d handed over, %d signed; want 15, 15, 10, 7", len(items), assigned, handed, signed)
		}
		// 赵敏 has three customers to sign for, in the UI.
		hc, err := s.offboard.PrepareHandover(s.as("zhaomin"), c.ID, zhao)
		if err != nil || len(hc.Customers) != 3 {
			t.Errorf("赵敏's content = %+v, %v; want 3 customers", hc, err)
		}

		rounds, err := s.offboard.WorkRounds(hrCtx, c.ID)
		if err != nil || len(rounds) != 1 || rounds[0].Decision != offboarding.DecisionReturned || rounds[0].Comments == "" {
			t.Errorf("work rounds = %+v, %v; want one returned with comments", rounds, err)
		}
		stages, err := s.access.AppliedStages(hrCtx, c.ID)
		if err != nil || len(stages) != 1 || stages[0].StageKey != "export" {
			t.Errorf("stages applied = %+v, %v; want the first", stages, err)
		}

		rep, err := s.offboard.Report(hrCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Integrity.Clean || len(rep.Integrity.Changed) != 1 || len(rep.Items) < 4 || len(rep.Signatures) != 1 {
			t.Errorf("report: integrity %+v, %d items, %d signatures", rep.Integrity, len(rep.Items), len(rep.Signatures))
		}
	})
}
