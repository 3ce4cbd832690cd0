package assessment_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestCycle_TransitionsOnlyInOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c, err := e.svc.CreateCycle(e.as["hr"], e.cycleParams())
		must(t, err)
		steps := []struct {
			name string
			fn   func(id string, v int64) (assessment.Cycle, error)
		}{
			{"open", func(id string, v int64) (assessment.Cycle, error) { return e.svc.OpenCycle(e.as["hr"], id, v) }},
			{"manager review", func(id string, v int64) (assessment.Cycle, error) { return e.svc.StartManagerReview(e.as["hr"], id, v) }},
			{"calibration", func(id string, v int64) (assessment.Cycle, error) { return e.svc.StartCalibration(e.as["hr"], id, v) }},
			{"finalise", func(id string, v int64) (assessment.Cycle, error) {
				_, err := e.svc.FinaliseWith(e.as["hr"], id, v, unscoredToo)
				if err != nil {
					return assessment.Cycle{}, err
				}
				return e.svc.Cycle(e.as["hr"], id)
			}},
			{"close", func(id string, v int64) (assessment.Cycle, error) { return e.svc.CloseCycle(e.as["hr"], id, v) }},
		}
		for i, st := range steps {
			for j, other := range steps {
				if j == i {
					continue
				}
				_, err := other.fn(c.ID, c.Version)
				wantErr(t, "from "+string(c.State)+" to "+other.name, err, assessment.ErrWrongState)
			}
			got, err := e.svc.Cycle(e.as["hr"], c.ID)
			must(t, err)
			if got.Version != c.Version || got.State != c.State {
				t.Fatalf("refused transitions changed the cycle: %s v%d", got.State, got.Version)
			}
			_, err = st.fn(c.ID, c.Version+1)
			wantErr(t, st.name+" with a stale version", err, ballast.ErrConflict)
			_, err = st.fn(c.ID, c.Version)
			must(t, err)
			if c, err = e.svc.Cycle(e.as["hr"], c.ID); err != nil {
				t.Fatal(err)
			}
		}
		if c.State != assessment.CycleClosed {
			t.Errorf("final state %s, want closed", c.State)
		}
		_, err = e.svc.OpenCycle(e.as["head"], c.ID, c.Version)
		wantErr(t, "a department head opens a cycle", err, ballast.ErrForbidden)
	})
}

func TestCreateCycle_RefusesBadInput(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		for _, tc := range []struct {
			name string
			edit func(p *assessment.CycleParams)
			want []string
		}{
			{"deadlines out of order", func(p *assessment.CycleParams) { p.Deadlines.ManagerReview = hr.NewDate(2026, 7, 1) },
				[]string{"deadlines.manager_review"}},
			{"no selection", func(p *assessment.CycleParams) { p.Selection = assessment.Selection{} }, []string{"selection"}},
			{"unknown kind and bad label", func(p *assessment.CycleParams) { p.Kind, p.Period.Label = "annual", "2026 H1" },
				[]string{"kind", "period.label"}},
			{"period ends before it starts", func(p *assessment.CycleParams) { p.Period.End = hr.NewDate(2025, 1, 1) },
				[]string{"period.end"}},
			{"template without a published version", func(p *assessment.CycleParams) { p.TemplateID = ballast.NewID() },
				[]string{"template_id"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := e.cycleParams()
				tc.edit(&p)
				_, err := e.svc.CreateCycle(e.as["hr"], p)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		cs, err := e.svc.Cycles(e.as["hr"], assessment.CycleQuery{})
		must(t, err)
		if len(cs) != 0 {
			t.Errorf("%d cycles after refused creations", len(cs))
		}
		p := e.cycleParams()
		p.Selection = assessment.Selection{EmployeeIDs: []string{e.other.ID}}
		c, err := e.svc.CreateCycle(e.as["hr"], p)
		must(t, err)
		_, err = e.svc.OpenCycle(e.as["hr"], c.ID, c.Version)
		if diff := cmp.Diff([]string{"selection"}, fields(t, err)); diff != "" {
			t.Errorf("a selection of another tenant's employee (-want +got):\n%s", diff)
		}
	})
}

func TestOpenCycle_SelectsByDepartmentLevelOrListAndQueuesTasks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		for _, tc := range []struct {
			name string
			sel  assessment.Selection
			want []string
		}{
			{"department", assessment.Selection{DepartmentIDs: []string{e.rnd.ID}}, []string{e.rdHead.ID, e.chen.ID, e.hrP.ID}},
			{"position level", assessment.Selection{PositionLevels: []int{5}}, []string{e.wang.ID}},
			{"list and level", assessment.Selection{PositionLevels: []int{5}, EmployeeIDs: []string{e.chen.ID}}, []string{e.wang.ID, e.chen.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := e.cycleParams()
				p.Selection = tc.sel
				c, err := e.svc.CreateCycle(e.as["hr"], p)
				must(t, err)
				c, err = e.svc.OpenCycle(e.as["hr"], c.ID, c.Version)
				must(t, err)
				ps, err := e.svc.Participants(e.as["hr"], assessment.ParticipantQuery{CycleID: c.ID})
				must(t, err)
				got := map[string]bool{}
				for _, p := range ps {
					got[p.EmployeeID] = true
				}
				want := map[string]bool{}
				for _, id := range tc.want {
					want[id] = true
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("participants (-want +got):\n%s", diff)
				}
			})
		}
		tasks := e.messages(t, assessment.KindTask)
		if len(tasks) != 6 {
			t.Errorf("task messages = %d, want one per participant (6): %v", len(tasks), tasks)
		}
		mine, err := e.svc.MyTasks(e.as["wang"])
		must(t, err)
		if len(mine) != 2 || mine[0].Kind != assessment.SideSelf || mine[0].DueOn != selfDue {
			t.Errorf("王丽's tasks = %+v, want two self-evaluations due %s", mine, selfDue)
		}
	})
}

func TestSelfEvaluation_HiddenFromTheManagerUntilSubmitted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		_, err := e.svc.SaveSelfEvaluation(e.as["wang"], wang.ID, []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(5),
			Evidence: []assessment.Evidence{{Kind: assessment.EvidenceFile, Name: "east-team.pdf", Size: 1024,
				SHA256: strings.Repeat("ab", 32)}, {Kind: assessment.EvidenceLink, URL: "https://wiki.example.com/east"}}}})
		must(t, err)
		r, err := e.svc.Review(e.as["head"], wang.ID)
		must(t, err)
		if r.Self != nil {
			t.Errorf("the manager sees a draft self-evaluation: %+v", r.Self)
		}
		own, err := e.svc.Review(e.as["wang"], wang.ID)
		must(t, err)
		if len(own.Self) != 1 || len(own.Self[0].Evidence) != 2 || own.Manager != nil {
			t.Errorf("own review = self %+v manager %+v, want the draft with 2 evidence items and no manager entries", own.Self, own.Manager)
		}
		_, err = e.svc.SubmitSelfEvaluation(e.as["wang"], wang.ID)
		if diff := cmp.Diff([]string{"entries.on_time", "entries.revenue_growth", "entries.teamwork"}, fields(t, err)); diff != "" {
			t.Errorf("submit with unscored indicators (-want +got):\n%s", diff)
		}
		_, err = e.svc.Review(e.as["zhao"], wang.ID)
		wantErr(t, "a colleague reads the review", err, ballast.ErrNotFound)
		_, err = e.svc.Review(e.as["rdHead"], wang.ID)
		wantErr(t, "another department's head reads the review", err, ballast.ErrNotFound)
		e.selfEvaluate(t, "wang", wang)
		r, err = e.svc.Review(e.as["head"], wang.ID)
		must(t, err)
		if len(r.Self) != 4 {
			t.Errorf("after submission the manager sees %d self entries, want 4", len(r.Self))
		}
		_, err = e.svc.SaveSelfEvaluation(e.as["wang"], wang.ID, []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(1)}})
		wantErr(t, "edit after submission", err, assessment.ErrAlreadySubmitted)
	})
}

func TestSelfEvaluation_RefusesBadScoresAndEvidence(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		for _, tc := range []struct {
			name string
			in   []assessment.EntryInput
			want []string
		}{
			{"a rating outside the 1–5 scale", []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(6)}}, []string{"entries[0].score"}},
			{"a quantitative score above 100", []assessment.EntryInput{{IndicatorID: e.revenue.ID, Score: f(120)}}, []string{"entries[0].score"}},
			{"an indicator outside the template", []assessment.EntryInput{{IndicatorID: ballast.NewID(), Score: f(3)}}, []string{"entries[0].indicator_id"}},
			{"an actual on the self side", []assessment.EntryInput{{IndicatorID: e.revenue.ID, Actual: f(12)}}, []string{"entries[0].actual"}},
			{"evidence with a bad hash and a bad link", []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(3),
				Evidence: []assessment.Evidence{{Kind: assessment.EvidenceFile, Name: "x.pdf", SHA256: "abc"},
					{Kind: assessment.EvidenceLink, URL: "javascript:alert(1)"}}}},
				[]string{"entries[0].evidence[0].sha256", "entries[0].evidence[1].url"}},
			{"the same indicator twice", []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(3)}, {IndicatorID: e.leadership.ID, Score: f(4)}},
				[]string{"entries[1].indicator_id"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.SaveSelfEvaluation(e.as["wang"], wang.ID, tc.in)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		r, err := e.svc.Review(e.as["wang"], wang.ID)
		must(t, err)
		if len(r.Self) != 0 {
			t.Errorf("refused saves left %d entries", len(r.Self))
		}
		_, err = e.svc.SaveSelfEvaluation(e.as["head"], wang.ID, []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(3)}})
		wantErr(t, "the manager writes the self-evaluation", err, ballast.ErrForbidden)
	})
}

func TestSelfEvaluation_RefusedAfterTheDeadlineUnlessReopened(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang := e.participant(t, c, e.wang)
		e.clock.Set(shanghai(selfDue))
		_, err := e.svc.SaveSelfEvaluation(e.as["wang"], wang.ID, []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(4)}})
		must(t, err) // the deadline day itself is allowed
		e.clock.Set(shanghai(hr.NewDate(2026, 7, 11)))
		_, err = e.svc.SaveSelfEvaluation(e.as["wang"], wang.ID, []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(5)}})
		wantErr(t, "save after the deadline", err, assessment.ErrDeadlinePassed)
		_, err = e.svc.SubmitSelfEvaluation(e.as["wang"], wang.ID)
		wantErr(t, "submit after the deadline", err, assessment.ErrDeadlinePassed)

		_, err = e.svc.ReopenSelfEvaluation(e.as["hr"], wang.ID, hr.NewDate(2026, 7, 9), "")
		if diff := cmp.Diff([]string{"due", "reason"}, fields(t, err)); diff != "" {
			t.Errorf("reopen with a past date and no reason (-want +got):\n%s", diff)
		}
		_, err = e.svc.ReopenSelfEvaluation(e.as["head"], wang.ID, hr.NewDate(2026, 7, 14), "sick leave")
		wantErr(t, "a manager reopens", err, ballast.ErrForbidden)
		p, err := e.svc.ReopenSelfEvaluation(e.as["hr"], wang.ID, hr.NewDate(2026, 7, 14), "sick leave 7–11 July")
		must(t, err)
		if p.SelfDue != hr.NewDate(2026, 7, 14) {
			t.Errorf("reopened deadline = %s", p.SelfDue)
		}
		e.selfEvaluate(t, "wang", wang)
		zhao := e.participant(t, c, e.zhao)
		_, err = e.svc.SaveSelfEvaluation(e.as["zhao"], zhao.ID, []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(5)}})
		wantErr(t, "a colleague's deadline stays", err, assessment.ErrDeadlinePassed)
		if got := e.messages(t, assessment.KindReopened); len(got) != 1 {
			t.Errorf("reopen messages = %v, want one", got)
		}
	})
}

func TestManagerReview_OnlyTheSnapshottedManagerNeverOnesOwn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		wang, head := e.participant(t, c, e.wang), e.participant(t, c, e.head)
		in := []assessment.EntryInput{{IndicatorID: e.leadership.ID, Score: f(4)}}
		_, err := e.svc.SaveManagerReview(e.as["head"], wang.ID, in)
		wantErr(t, "score while the cycle is open", err, assessment.ErrWrongState)
		c, err = e.svc.StartManagerReview(e.as["hr"], c.ID, c.Version)
		must(t, err)
		_, err = e.svc.SaveManagerReview(e.as["head"], head.ID, in)
		wantErr(t, "the head scores his own review", err, assessment.ErrOwnReview)
		_, err = e.svc.SaveManagerReview(e.as["hr"], e.participant(t, c, e.hrP).ID, in)
		wantErr(t, "HR scores her own review", err, assessment.ErrOwnReview)
		_, err = e.svc.SaveManagerReview(e.as["rdHead"], wang.ID, in)
		wantErr(t, "another department's head", err, ballast.ErrNotFound)
		_, err = e.svc.SaveManagerReview(e.as["hr"], wang.ID, in)
		wantErr(t, "HR scores a review that has a manager", err, ballast.ErrForbidden)
		_, err = e.svc.SaveManagerReview(e.as["head"], wang.ID, []assessment.EntryInput{{IndicatorID: e.teamwork.ID, Score: f(0)}})
		if diff := cmp.Diff([]string{"entries[0].score"}, fields(t, err)); diff != "" {
			t.Errorf("a rating below the scale (-want +got):\n%s", diff)
		}
		_, err = e.svc.SaveManagerReview(e.as["hr"], head.ID, in)
		must(t, err) // nobody manages the head of Sales: HR scores him
		_, err = e.svc.SaveManagerReview(e.as["head"], wang.ID, in)
		must(t, err)
		_, err = e.svc.SubmitManagerReview(e.as["head"], wang.ID)
		if diff := cmp.Diff([]string{"entries.on_time", "entries.revenue_growth", "entries.teamwork"}, fields(t, err)); diff != "" {
			t.Errorf("submit an incomplete review (-want +got):\n%s", diff)
		}
	})
}

func TestImportActualsCSV_AllOrNothingNamingEveryBadRow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		bad := "\ufeffemployee_number,indicator_code,actual\n" +
			e.wang.Number + ",revenue_growth,16\n" +
			"E999,revenue_growth,10\n" +
			e.zhao.Number + ",leadership,4\n" +
			e.zhao.Number + ",on_time,ninety\n" +
			e.wang.Number + ",revenue_growth,17\n" +
			e.head.Number + ",on_time,90\n"
		_, err := e.svc.ImportActualsCSV(e.as["head"], c.ID, strings.NewReader(bad))
		want := []string{"line 3: employee_number", "line 4: indicator_code", "line 5: actual", "line 6", "line 7: employee_number"}
		if diff := cmp.Diff(want, fields(t, err)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		r, err := e.svc.Review(e.as["hr"], e.participant(t, c, e.wang).ID)
		must(t, err)
		if len(r.Manager) != 0 {
			t.Errorf("a refused import wrote %d entries", len(r.Manager))
		}
		_, err = e.svc.ImportActualsCSV(e.as["head"], c.ID, strings.NewReader("number,code\n"))
		if diff := cmp.Diff([]string{"line 1"}, fields(t, err)); diff != "" {
			t.Errorf("bad header (-want +got):\n%s", diff)
		}
		_, err = e.svc.ImportActualsCSV(e.as["head"], c.ID, strings.NewReader("employee_number,indicator_code,actual\n"+e.chen.Number+",on_time,90\n"))
		if diff := cmp.Diff([]string{"line 2: employee_number"}, fields(t, err)); diff != "" {
			t.Errorf("a manager imports for another department (-want +got):\n%s", diff)
		}
		rep, err := e.svc.ImportActualsCSV(e.as["head"], c.ID, strings.NewReader("employee_number,indicator_code,actual\n"+
			e.wang.Number+",revenue_growth,16\n"+e.zhao.Number+",on_time,97.5\n"))
		must(t, err)
		if rep.Rows != 2 {
			t.Errorf("imported %d rows, want 2", rep.Rows)
		}
		r, err = e.svc.Review(e.as["hr"], e.participant(t, c, e.wang).ID)
		must(t, err)
		if len(r.Manager) != 1 || r.Manager[0].Actual == nil || *r.Manager[0].Actual != 16 {
			t.Errorf("wang's manager entries = %+v, want the imported actual 16", r.Manager)
		}
	})
}
