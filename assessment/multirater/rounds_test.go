package multirater_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// raters maps group → sorted rater IDs of the nominations of reviewee.
func raters(t *testing.T, e *env, r multirater.Round, reviewee hr.Employee) map[multirater.Group][]string {
	t.Helper()
	ns, err := e.svc.Nominations(e.as["hr"], r.ID, reviewee.ID)
	must(t, err)
	out := map[multirater.Group][]string{}
	for _, n := range ns {
		out[n.Group] = append(out[n.Group], n.RaterID)
	}
	for g := range out {
		out[g] = ids(func() []hr.Employee {
			var es []hr.Employee
			for _, id := range out[g] {
				es = append(es, hr.Employee{ID: id})
			}
			return es
		}()...)
	}
	return out
}

func TestCreateRound_AssignsSelfManagerAndDirectReportsFromTheOrgChart(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		other := e.others[0]
		r, err := e.svc.CreateRound(e.as["hr"], e.roundParams(e.reviewee, e.manager, e.head, other))
		must(t, err)
		if r.State != multirater.StateNominating || r.Reviewees != 4 || r.Settings.MaxPerRater != 8 {
			t.Errorf("round = %+v", r)
		}
		for _, tc := range []struct {
			name     string
			reviewee hr.Employee
			want     map[multirater.Group][]string
		}{
			{"hr manager and direct reports", e.reviewee, map[multirater.Group][]string{
				multirater.GroupManager: {e.manager.ID}, multirater.GroupDirectReport: ids(e.reports...)}},
			{"manager: the head manages, the team reports, the departed is left out", e.manager, map[multirater.Group][]string{
				multirater.GroupManager: {e.head.ID}, multirater.GroupDirectReport: ids(append([]hr.Employee{e.reviewee}, e.peers...)...)}},
			{"the head has no manager", e.head, map[multirater.Group][]string{
				multirater.GroupDirectReport: ids(e.manager)}},
			{"no hr manager: the department head", other, map[multirater.Group][]string{
				multirater.GroupManager: {e.head.ID}}},
		} {
			if d := cmp.Diff(tc.want, raters(t, e, r, tc.reviewee)); d != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, d)
			}
		}
		// Everyone has their self-review.
		as, err := e.svc.MyAssignments(e.as["reviewee"], r.ID)
		must(t, err)
		var groups []multirater.Group
		for _, a := range as {
			groups = append(groups, a.Group)
		}
		if len(as) != 2 {
			t.Errorf("王丽 rates herself and her manager 刘强 as direct report: %v", groups)
		}
		if got := e.messages(t, multirater.KindNominate); len(got) != 4 {
			t.Errorf("nomination requests: %v, want one per reviewee", got)
		}
		entries, err := e.log.Query(e.sys, e.tenant, audit.Filter{TargetType: multirater.TargetRound, TargetID: r.ID})
		must(t, err)
		if len(entries) != 5 {
			t.Errorf("audit: %d entries, want create + 4 reviewees", len(entries))
		}
	})
}

func TestCreateRound_RefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		for _, tc := range []struct {
			name string
			mod  func(*multirater.RoundParams)
			want []string
		}{
			{"empty", func(p *multirater.RoundParams) { *p = multirater.RoundParams{} },
				[]string{"cycle_id", "name", "nomination_due", "questionnaire.dimensions", "questionnaire.scale", "response_due"}},
			{"scale of one point, anchor outside", func(p *multirater.RoundParams) {
				p.Questionnaire.Scale = multirater.Scale{Min: 3, Max: 3, Anchors: []multirater.Anchor{{Value: 9, Label: "x"}}}
			}, []string{"questionnaire.scale", "questionnaire.scale.anchors[0].value"}},
			{"codes twice, question without text", func(p *multirater.RoundParams) {
				p.Questionnaire.Dimensions[1].Code = "LEAD"
				p.Questionnaire.Dimensions[1].Questions[0] = multirater.Question{Code: "L1"}
			}, []string{"questionnaire.dimensions[1].code", "questionnaire.dimensions[1].questions[0].code", "questionnaire.dimensions[1].questions[0].text"}},
			{"bad code, dimension without questions", func(p *multirater.RoundParams) {
				p.Questionnaire.Dimensions[0].Code = "a b"
				p.Questionnaire.Dimensions[1].Questions = nil
			}, []string{"questionnaire.dimensions[0].code", "questionnaire.dimensions[1].questions"}},
			{"responses due before nominations", func(p *multirater.RoundParams) { p.ResponseDue = hr.NewDate(2026, 12, 2) }, []string{"response_due"}},
			{"not a date", func(p *multirater.RoundParams) { p.NominationDue = hr.Date{Year: 2026, Month: 2, Day: 30} }, []string{"nomination_due"}},
			{"reviewee twice or not an id", func(p *multirater.RoundParams) { p.Reviewees = append(p.Reviewees, p.Reviewees[0], "x") },
				[]string{"reviewees[1]", "reviewees[2]"}},
			{"departed or unknown or another tenant's reviewee", func(p *multirater.RoundParams) {
				p.Reviewees = append(p.Reviewees, e.gone.ID, ballast.NewID(), e.other.ID)
			}, []string{"reviewees[1]", "reviewees[2]", "reviewees[3]"}},
		} {
			p := e.roundParams(e.reviewee)
			tc.mod(&p)
			_, err := e.svc.CreateRound(e.as["hr"], p)
			if d := cmp.Diff(tc.want, fields(t, err)); d != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tc.name, d)
			}
		}
		_, err := e.svc.CreateRound(e.as["reviewee"], e.roundParams(e.reviewee))
		wantErr(t, "an employee creates a round", err, ballast.ErrForbidden)
		_, err = e.svc.CreateRound(context.Background(), e.roundParams(e.reviewee))
		wantErr(t, "no principal", err, ballast.ErrUnauthenticated)
		rs, err := e.svc.Rounds(e.as["hr"], "")
		must(t, err)
		if len(rs) != 0 {
			t.Errorf("refused rounds were written: %d", len(rs))
		}
		if got := e.messages(t, multirater.KindNominate); len(got) != 0 {
			t.Errorf("refused rounds sent messages: %v", got)
		}
	})
}

func TestRoundStates_MoveForwardOnlyUnderTheirVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		r := e.createRound(t)
		_, err := e.svc.CloseRound(e.as["hr"], r.ID, r.Version)
		wantErr(t, "close while nominating", err, multirater.ErrRoundState)
		_, err = e.svc.OpenRound(e.as["hr"], r.ID, r.Version+1)
		wantErr(t, "stale version", err, ballast.ErrConflict)
		_, err = e.svc.OpenRound(e.as["manager"], r.ID, r.Version)
		wantErr(t, "a manager opens", err, ballast.ErrForbidden)
		r = e.open(t, r)
		if r.State != multirater.StateCollecting || r.OpenedAt.IsZero() {
			t.Errorf("opened round = %+v", r)
		}
		if got := e.messages(t, multirater.KindOpened); len(got) != 5 {
			t.Errorf("opened: %d messages, want one each to 王丽 (self), 刘强 (manager) and her 3 reports", len(got))
		}
		_, err = e.svc.OpenRound(e.as["hr"], r.ID, r.Version)
		wantErr(t, "open twice", err, multirater.ErrRoundState)
		r = e.close(t, r)
		_, err = e.svc.AddReviewees(e.as["hr"], r.ID, []string{e.manager.ID})
		wantErr(t, "add reviewees after closing", err, multirater.ErrRoundState)
		_, err = e.svc.SetDeadlines(e.as["hr"], r.ID, nominationDue, responseDue, r.Version)
		wantErr(t, "move deadlines after closing", err, multirater.ErrRoundState)
	})
}
