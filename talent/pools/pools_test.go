package pools_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/pools"
)

// managers is "top 60% of the tenant over the last 2 periods AND at least
// one management experience".
var managers = pools.Rule{Kind: pools.KindAnd, Rules: []pools.Rule{
	{Kind: pools.KindPerformanceTopPercent, Percent: 60, Periods: 2},
	{Kind: pools.KindManagementExperience, MinCount: 1}}}

// candidates gives 王丽 (East), 赵敏 (Sales) and 陈晨 (R&D) the best
// scores and a management experience, 孙伟 low scores and one too, and
// 周杰 good scores without any: 孙伟 and 周杰 miss by one rule.
func candidates(t testing.TB, e *env) (zhao, chen, sun, zhou hr.Employee) {
	t.Helper()
	mg := &[]hr.ManagementExperience{{TeamSize: 5, Start: hr.NewDate(2024, 1, 1)}}
	zhao, chen = e.hire(t, "赵敏", e.sales.ID), e.hire(t, "陈晨", e.rnd.ID)
	sun, zhou = e.hire(t, "孙伟", e.rnd.ID), e.hire(t, "周杰", e.rnd.ID)
	for i, x := range []hr.Employee{e.emp, zhao, chen, zhou} {
		e.scores(t, x.ID, []string{"A"}, 0, 0, 0, 0, 95-float64(i), 95-float64(i))
	}
	for _, x := range []hr.Employee{e.head, e.hrP, sun} {
		e.scores(t, x.ID, []string{"C"}, 0, 0, 0, 0, 50, 50)
	}
	for _, x := range []hr.Employee{e.emp, zhao, chen, sun} {
		e.profile(t, x.ID, hr.ProfileUpdate{Management: mg})
	}
	return zhao, chen, sun, zhou
}

func TestPools_ConfirmLeavePromoteAndReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		zhao, chen, sun, zhou := candidates(t, e)
		hrc := e.as["hr"]

		_, err := e.svc.CreatePool(e.as["emp"], pools.PoolParams{Name: "Managers", Rule: managers})
		wantErr(t, "employee creates a pool", err, ballast.ErrForbidden)
		_, err = e.svc.CreatePool(e.as["nobody"], pools.PoolParams{Name: "Managers", Rule: managers})
		wantErr(t, "no principal", err, ballast.ErrUnauthenticated)

		pool, err := e.svc.CreatePool(hrc, pools.PoolParams{Name: "Managers", Rule: pools.Rule{Kind: pools.KindNotResigning}})
		must(t, err)
		pool, err = e.svc.UpdatePool(hrc, pool.ID, pools.PoolParams{Name: "Middle managers", Rule: managers}, "performance and experience", pool.Version)
		must(t, err)
		_, err = e.svc.UpdatePool(hrc, pool.ID, pools.PoolParams{Name: "Stale", Rule: managers}, "", 1)
		wantErr(t, "stale update", err, ballast.ErrConflict)
		vs, err := e.svc.RuleVersions(hrc, pool.ID)
		must(t, err)
		if pool.RuleVersion != 2 || len(vs) != 2 || vs[0].Rule.Kind != pools.KindNotResigning || vs[1].Note != "performance and experience" {
			t.Errorf("pool version %d, versions %+v", pool.RuleVersion, vs)
		}

		sc, err := e.svc.Screen(hrc, pool.ID)
		must(t, err)
		var names []string
		for _, c := range slices.Concat(sc.Matches, sc.NearMisses) {
			if c.Match {
				names = append(names, c.Name+" match")
			} else {
				names = append(names, c.Name+" near "+c.Failed[0])
			}
		}
		// 7 ranked (head and HR at 50 too): top 60% is rank ≤ 4.2.
		if want := []string{"王丽 match", "赵敏 match", "陈晨 match", "周杰 near rules[1]", "孙伟 near rules[0]"}; !slices.Equal(names, want) {
			t.Errorf("screening = %v, want %v", names, want)
		}

		m, err := e.svc.Confirm(hrc, pool.ID, pools.ConfirmParams{EmployeeID: e.emp.ID, Note: "strong year"})
		must(t, err)
		if m.Status != pools.MemberActive || m.Joined != today || m.RuleVersion != 2 || len(m.Evidence) != 2 || m.Evidence[0].Text != "rank 1 of 7, top 15%" {
			t.Errorf("member = %+v", m)
		}
		_, err = e.svc.Confirm(hrc, pool.ID, pools.ConfirmParams{EmployeeID: e.emp.ID})
		wantErr(t, "confirm twice", err, ballast.ErrConflict)
		_, err = e.svc.Confirm(hrc, pool.ID, pools.ConfirmParams{EmployeeID: zhou.ID})
		if got := fields(t, err); !slices.Equal(got, []string{"note"}) {
			t.Errorf("near-miss without a note: %v", err)
		}
		_, err = e.svc.Confirm(hrc, pool.ID, pools.ConfirmParams{EmployeeID: e.hrP.ID, Note: "please"})
		if got := fields(t, err); !slices.Equal(got, []string{"employee_id"}) {
			t.Errorf("non-candidate: %v", err)
		}
		_, err = e.svc.Confirm(e.as["head"], pool.ID, pools.ConfirmParams{EmployeeID: zhao.ID})
		wantErr(t, "head confirms", err, ballast.ErrForbidden)
		for _, x := range []hr.Employee{zhao, chen, zhou} {
			_, err = e.svc.Confirm(hrc, pool.ID, pools.ConfirmParams{EmployeeID: x.ID, Note: "leads the key accounts"})
			must(t, err)
		}
		sc, err = e.svc.Screen(hrc, pool.ID)
		must(t, err)
		if !sc.Matches[0].Member || sc.NearMisses[1].Member || sc.NearMisses[1].EmployeeID != sun.ID {
			t.Errorf("screening after confirmation = %+v", sc)
		}

		// The head of Sales sees the members of Sales and East only.
		ms, err := e.svc.Members(e.as["head"], pool.ID, "")
		must(t, err)
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.EmployeeID)
		}
		want := []string{e.emp.ID, zhao.ID}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("head's members = %v, want %v", ids, want)
		}
		_, err = e.svc.Members(e.as["emp"], pool.ID, "")
		wantErr(t, "employee reads members", err, ballast.ErrForbidden)
		_, err = e.svc.Pool(e.as["otherHR"], pool.ID)
		wantErr(t, "other tenant", err, ballast.ErrNotFound)

		_, err = e.svc.Promote(hrc, pool.ID, e.emp.ID, "promoted to sales supervisor")
		must(t, err)
		_, err = e.svc.Leave(hrc, pool.ID, zhao.ID, "")
		if got := fields(t, err); !slices.Equal(got, []string{"reason"}) {
			t.Errorf("leave without a reason: %v", err)
		}
		_, err = e.svc.Leave(hrc, pool.ID, zhao.ID, "moved to a specialist track")
		must(t, err)
		_, err = e.svc.Leave(hrc, pool.ID, zhao.ID, "again")
		wantErr(t, "leave twice", err, ballast.ErrConflict)
		_, err = e.svc.Leave(hrc, pool.ID, sun.ID, "never joined")
		wantErr(t, "leave of a non-member", err, ballast.ErrNotFound)
		// 陈晨 departs the company while a member.
		p := chen.Params()
		p.Status, p.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 9, 1)
		_, err = e.hr.UpdateEmployee(e.sys, chen.ID, p, chen.Version)
		must(t, err)

		r, err := e.svc.Report(hrc, pool.ID)
		must(t, err)
		if r.Ever != 4 || r.Current != 2 || r.Promoted != 1 || r.Left != 1 || r.Departed != 1 || r.PromotionRate != 0.25 || r.AttritionRate != 0.25 {
			t.Errorf("report = %+v", r)
		}
		_, err = e.svc.Report(e.as["head"], pool.ID)
		wantErr(t, "head reads the report", err, ballast.ErrForbidden)

		hist, err := e.svc.History(hrc, pool.ID, "")
		must(t, err)
		var kinds []string
		for _, ev := range hist {
			kinds = append(kinds, string(ev.Kind))
		}
		if want := []string{"joined", "joined", "joined", "joined", "promoted", "left"}; !slices.Equal(kinds, want) {
			t.Errorf("history = %v, want %v", kinds, want)
		}
		// A former member joins again.
		_, err = e.svc.Confirm(hrc, pool.ID, pools.ConfirmParams{EmployeeID: zhao.ID, Note: "back on the management track"})
		must(t, err)
		hist, err = e.svc.History(hrc, pool.ID, zhao.ID)
		must(t, err)
		if len(hist) != 3 || hist[2].Kind != pools.EventJoined {
			t.Errorf("zhao's history = %+v", hist)
		}
		for action, n := range map[string]int{pools.ActionCreate: 1, pools.ActionUpdate: 1, pools.ActionConfirm: 5, pools.ActionPromote: 1, pools.ActionLeave: 1} {
			es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: action})
			must(t, err)
			if len(es) != n {
				t.Errorf("%d %s audit entries, want %d", len(es), action, n)
			}
		}
	})
}

func TestConfirm_FailureLeavesNoMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		candidates(t, e)
		pool, err := e.svc.CreatePool(e.as["hr"], pools.PoolParams{Name: "Managers", Rule: managers, Archived: true})
		must(t, err)
		_, err = e.svc.Confirm(e.as["hr"], pool.ID, pools.ConfirmParams{EmployeeID: e.emp.ID})
		if !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("confirm into an archived pool: %v", err)
		}
		ms, err := e.svc.Members(e.as["hr"], pool.ID, "")
		must(t, err)
		hist, err := e.svc.History(e.as["hr"], pool.ID, "")
		must(t, err)
		if len(ms) != 0 || len(hist) != 0 {
			t.Errorf("members %v, history %v", ms, hist)
		}
	})
}
