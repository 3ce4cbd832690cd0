package demo_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/examples/server/internal/app"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// seedApp seeds the demo through the server's wiring (the assessment
// services with the appeal adapter) at seedTime.
func seedApp(t *testing.T, db *storage.DB) (*app.App, map[string]demo.Login) {
	t.Helper()
	a, err := app.New(db, app.Options{Clock: fixedClock{seedTime}, PasswordIterations: auth.MinIterations,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	logins, err := a.SeedDemoIfEmpty(ctx)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	byLogin := map[string]demo.Login{}
	for _, l := range logins {
		byLogin[l.Login] = l
	}
	return a, byLogin
}

func userCtx(l demo.Login) context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: demo.TenantID, Subject: l.EmployeeID, Kind: ballast.KindUser})
}

func TestSeed_MidYearReviewIsFinalisedWithAnOpenAppeal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Parallel()
		a, logins := seedApp(t, db)
		hrCtx := userCtx(logins["hr"])
		cs, err := a.Assessment.Cycles(hrCtx, assessment.CycleQuery{})
		if err != nil || len(cs) != 2 {
			t.Fatalf("cycles = %+v, %v; want mid-year and year-end", cs, err)
		}
		mid, year := cs[0], cs[1]
		if mid.State != assessment.CycleFinalised || mid.Period.Label != "2026H1" || mid.Kind != assessment.MidYear ||
			mid.Participants != 17 || mid.Deadlines.AppealUntil.String() != "2026-12-02" || mid.Deadlines.SelfEvaluation.String() != "2026-07-10" {
			t.Errorf("mid-year cycle = %+v", mid)
		}
		if year.State != assessment.CycleOpen || year.Period.Label != "2026" || year.Participants != 16 {
			t.Errorf("year-end cycle = %+v (张磊, resigning, is not in it)", year)
		}

		// The ratings are in performance history: 王丽 on top, 张磊 sliding.
		ps, err := a.Assessment.Participants(hrCtx, assessment.ParticipantQuery{CycleID: mid.ID})
		if err != nil {
			t.Fatal(err)
		}
		byEmp := map[string]assessment.Participant{}
		for _, p := range ps {
			if p.Status != assessment.StatusFinalised || p.Result == nil {
				t.Fatalf("participant %s = %s", p.EmployeeName, p.Status)
			}
			byEmp[p.EmployeeID] = p
		}
		wang, zhang, zhao := byEmp[logins["wangli"].EmployeeID], byEmp[logins["zhanglei"].EmployeeID], byEmp[logins["zhaomin"].EmployeeID]
		if wang.Result.Score < 88 || wang.Result.Grade != "S" && wang.Result.Grade != "A" {
			t.Errorf("王丽's mid-year result = %+v", wang.Result)
		}
		if zhang.Result.Score >= 70 || len(zhang.Result.Missing) > 0 {
			t.Errorf("张磊's mid-year result = %+v, want below 70 and complete", zhang.Result)
		}
		prof, err := a.HR.Profile(hrCtx, wang.EmployeeID)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(prof.Performance, func(r hr.PerformanceRecord) bool { return r.Period == "2026H1" })
		if len(prof.Performance) != 6 || i < 0 || prof.Performance[i].CycleID != mid.ID || prof.Performance[i].Score != wang.Result.Score {
			t.Errorf("王丽's history = %+v", prof.Performance)
		}
		calibrated := 0
		for _, p := range ps {
			if p.Calibration != nil {
				calibrated++
				if p.Result.Score != 82 || p.Result.Grade != "A" {
					t.Errorf("calibrated result = %+v", p.Result)
				}
			}
		}
		if calibrated != 1 {
			t.Errorf("%d calibrated, want 1", calibrated)
		}

		// 赵敏's appeal on one indicator is open, with her manager's reply;
		// 王丽 has it to answer and HR to decide.
		mine, err := a.Appeals.Mine(userCtx(logins["zhaomin"]), appeal.Filter{})
		if err != nil || len(mine.Appeals) != 1 {
			t.Fatalf("赵敏's appeals = %+v, %v", mine, err)
		}
		ap := mine.Appeals[0]
		if ap.Status != appeal.StatusOpen || ap.SubjectID != zhao.ID || ap.Item != "orders_closed_independently" || ap.ManagerID != wang.EmployeeID || ap.Before.Score == nil {
			t.Errorf("appeal = %+v", ap)
		}
		th, err := a.Appeals.Thread(hrCtx, ap.ID)
		if err != nil || len(th) != 1 || th[0].Role != appeal.RoleManager {
			t.Errorf("thread = %+v, %v", th, err)
		}
		if page, err := a.Appeals.ToAnswer(userCtx(logins["wangli"]), appeal.Filter{}); err != nil || len(page.Appeals) != 1 {
			t.Errorf("王丽's appeals to answer = %+v, %v", page, err)
		}
		if page, err := a.Appeals.All(hrCtx, appeal.Filter{Status: appeal.StatusOpen}); err != nil || len(page.Appeals) != 1 {
			t.Errorf("HR's open appeals = %+v, %v", page, err)
		}
	})
}

func TestSeed_EveryDemoLoginHasReviewWorkToDo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Parallel()
		a, logins := seedApp(t, db)
		hrCtx := userCtx(logins["hr"])
		cs, err := a.Assessment.Cycles(hrCtx, assessment.CycleQuery{State: assessment.CycleOpen})
		if err != nil || len(cs) != 1 {
			t.Fatalf("open cycles = %+v, %v", cs, err)
		}
		year := cs[0]
		prog, err := a.Assessment.Progress(hrCtx, year.ID)
		if err != nil {
			t.Fatal(err)
		}
		if by := prog.Overall.ByStatus; prog.Overall.Total != 16 || by[assessment.StatusSelfSubmitted] == 0 || by[assessment.StatusSelfPending] < 3 {
			t.Errorf("year-end progress = %+v", prog.Overall)
		}

		// Self-evaluations to write: 赵敏 (a draft), 王丽 and 刘强 (not started).
		for _, login := range []string{"zhaomin", "wangli", "liuqiang"} {
			tasks, err := a.Assessment.MyTasks(userCtx(logins[login]))
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(tasks, func(tk assessment.Task) bool {
				return tk.Kind == assessment.SideSelf && tk.CycleID == year.ID && tk.Status == assessment.StatusSelfPending
			})
			if i < 0 {
				t.Errorf("%s's tasks = %+v, want the year-end self-evaluation", login, tasks)
			}
		}

		// The 360 round collects answers; 刘强 has a nomination to approve,
		// 赵敏 and 王丽 reviews to write.
		rounds, err := a.Multirater.Rounds(hrCtx, year.ID)
		if err != nil || len(rounds) != 1 || rounds[0].State != multirater.StateCollecting || rounds[0].Reviewees != 2 {
			t.Fatalf("rounds = %+v, %v", rounds, err)
		}
		rd := rounds[0]
		pending, err := a.Multirater.PendingNominations(userCtx(logins["liuqiang"]), rd.ID, "", 0)
		if err != nil || len(pending) != 1 {
			t.Errorf("刘强's pending nominations = %+v, %v", pending, err)
		}
		for _, login := range []string{"zhaomin", "wangli"} {
			as, err := a.Multirater.MyAssignments(userCtx(logins[login]), rd.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(as, func(x multirater.Assignment) bool { return x.Status == multirater.StatusOpen }) {
				t.Errorf("%s's 360 assignments = %+v, want one open", login, as)
			}
		}
		prg, err := a.Multirater.Progress(hrCtx, rd.ID)
		if err != nil || prg.Counts[multirater.GroupDirectReport][multirater.StatusSubmitted] < 3 {
			t.Errorf("360 progress = %+v, %v", prg, err)
		}
	})
}

func TestSeed_ReviewsAreDeterministic(t *testing.T) {
	t.Parallel()
	type row struct {
		Number, Cycle string
		Status        assessment.ParticipantStatus
		Score         float64
		Grade         string
		Items         []float64
	}
	var runs [2][]row
	for i := range runs {
		a, logins := seedApp(t, dbtest.Open(t, "sqlite"))
		hrCtx := userCtx(logins["hr"])
		cs, err := a.Assessment.Cycles(hrCtx, assessment.CycleQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			ps, err := a.Assessment.Participants(hrCtx, assessment.ParticipantQuery{CycleID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				r := row{Number: p.EmployeeNumber, Cycle: c.Period.Label, Status: p.Status}
				if p.Result != nil {
					r.Score, r.Grade = p.Result.Score, p.Result.Grade
					for _, it := range p.Result.Items {
						r.Items = append(r.Items, it.Score)
					}
				}
				runs[i] = append(runs[i], r)
			}
		}
		slices.SortFunc(runs[i], func(a, b row) int { return strings.Compare(a.Cycle+a.Number, b.Cycle+b.Number) })
	}
	if len(runs[0]) != 17+16 {
		t.Errorf("%d participants, want 33", len(runs[0]))
	}
	if diff := cmp.Diff(runs[0], runs[1]); diff != "" {
		t.Errorf("two seeds' reviews differ (-first +second):\n%s", diff)
	}
}
