package appeal_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func ids(p appeal.Page) []string {
	out := []string{}
	for _, a := range p.Appeals {
		out = append(out, a.ID)
	}
	return out
}

func TestLists_EachSeesTheirOwnScopeInPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a1 := e.file(t, "emp", "res-emp", "")
		a2 := e.file(t, "emp2", "res-emp2", "")
		a3 := e.file(t, "emp", "res-emp", "revenue")
		a4 := e.file(t, "hr", "res-hr", "") // no manager
		_, err := e.svc.Withdraw(e.as["emp"], a3.ID, "", a3.Version)
		must(t, err)
		_, err = e.svc.StartReview(e.as["hr"], a2.ID, a2.Version)
		must(t, err)
		for _, tc := range []struct {
			name string
			list func() (appeal.Page, error)
			want []string
		}{
			{"mine", func() (appeal.Page, error) { return e.svc.Mine(e.as["emp"], appeal.Filter{}) }, []string{a1.ID, a3.ID}},
			{"mine ignores another employee", func() (appeal.Page, error) {
				return e.svc.Mine(e.as["emp"], appeal.Filter{EmployeeID: e.emp2.ID})
			}, []string{a1.ID, a3.ID}},
			{"mine, open", func() (appeal.Page, error) { return e.svc.Mine(e.as["emp"], appeal.Filter{Status: appeal.StatusOpen}) }, []string{a1.ID}},
			{"mine of a stranger", func() (appeal.Page, error) { return e.svc.Mine(e.as["stranger"], appeal.Filter{}) }, []string{}},
			{"to answer: the manager's pending", func() (appeal.Page, error) { return e.svc.ToAnswer(e.as["mgr"], appeal.Filter{}) }, []string{a1.ID, a2.ID}},
			{"to answer: withdrawn ones on request", func() (appeal.Page, error) {
				return e.svc.ToAnswer(e.as["mgr"], appeal.Filter{Status: appeal.StatusWithdrawn})
			}, []string{a3.ID}},
			{"to answer: one report", func() (appeal.Page, error) {
				return e.svc.ToAnswer(e.as["mgr"], appeal.Filter{EmployeeID: e.emp2.ID})
			}, []string{a2.ID}},
			{"to answer: not a manager", func() (appeal.Page, error) { return e.svc.ToAnswer(e.as["emp"], appeal.Filter{}) }, []string{}},
			{"to answer: HR handles one", func() (appeal.Page, error) { return e.svc.ToAnswer(e.as["hr"], appeal.Filter{}) }, []string{a2.ID}},
			{"all for HR", func() (appeal.Page, error) { return e.svc.All(e.as["hr"], appeal.Filter{}) }, []string{a1.ID, a2.ID, a3.ID, a4.ID}},
			{"all of one employee", func() (appeal.Page, error) { return e.svc.All(e.as["hr"], appeal.Filter{EmployeeID: e.emp.ID}) }, []string{a1.ID, a3.ID}},
			{"all of one subject", func() (appeal.Page, error) {
				return e.svc.All(e.as["hr"], appeal.Filter{Kind: kindResult, SubjectID: "res-emp"})
			}, []string{a1.ID, a3.ID}},
			{"all open", func() (appeal.Page, error) { return e.svc.All(e.as["hr"], appeal.Filter{Status: appeal.StatusOpen}) }, []string{a1.ID, a4.ID}},
			{"all for HR of another tenant", func() (appeal.Page, error) { return e.svc.All(e.as["otherHR"], appeal.Filter{}) }, []string{}},
		} {
			got, err := tc.list()
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if d := cmp.Diff(tc.want, ids(got)); d != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, d)
			}
			if got.Next != "" {
				t.Errorf("%s: next = %q on the only page", tc.name, got.Next)
			}
		}
		// Keyset pages of two.
		var seen []string
		f := appeal.Filter{Limit: 2}
		for range 5 {
			p, err := e.svc.All(e.as["hr"], f)
			must(t, err)
			seen = append(seen, ids(p)...)
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		if d := cmp.Diff([]string{a1.ID, a2.ID, a3.ID, a4.ID}, seen); d != "" {
			t.Errorf("paged (-want +got):\n%s", d)
		}
		for _, tc := range []struct {
			name string
			err  error
			kind error
		}{
			{"an employee listing all", func() error { _, err := e.svc.All(e.as["emp"], appeal.Filter{}); return err }(), ballast.ErrForbidden},
			{"a manager listing all", func() error { _, err := e.svc.All(e.as["mgr"], appeal.Filter{}); return err }(), ballast.ErrForbidden},
			{"a bad limit", func() error { _, err := e.svc.All(e.as["hr"], appeal.Filter{Limit: appeal.MaxLimit + 1}); return err }(), ballast.ErrInvalid},
			{"a bad status", func() error { _, err := e.svc.Mine(e.as["emp"], appeal.Filter{Status: "lost"}); return err }(), ballast.ErrInvalid},
			{"an unknown kind", func() error { _, err := e.svc.ToAnswer(e.as["mgr"], appeal.Filter{Kind: "x"}); return err }(), ballast.ErrInvalid},
		} {
			wantErr(t, tc.name, tc.err, tc.kind)
		}
	})
}

func TestSettings_DefaultsVersionsAndValidation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		got, err := e.svc.Settings(e.as["hr"])
		must(t, err)
		if d := cmp.Diff(appeal.DefaultSettings(), got); d != "" {
			t.Errorf("defaults (-want +got):\n%s", d)
		}
		_, err = e.svc.Settings(e.as["emp"])
		wantErr(t, "an employee reading settings", err, ballast.ErrForbidden)
		_, err = e.svc.SetSettings(e.as["mgr"], appeal.DefaultSettings(), 0)
		wantErr(t, "a manager changing settings", err, ballast.ErrForbidden)
		_, err = e.svc.SetSettings(e.as["hr"], appeal.Settings{ReplyDays: 0, RemindDaysBefore: -1, HRRecipients: []string{""}}, 0)
		wantErr(t, "bad settings", err, ballast.ErrInvalid)
		if d := cmp.Diff([]string{"hr_recipients[0]", "remind_days_before", "reply_days"}, fields(t, err)); d != "" {
			t.Errorf("fields (-want +got):\n%s", d)
		}
		_, err = e.svc.SetSettings(e.as["hr"], appeal.Settings{ReplyDays: 3, RemindDaysBefore: 4}, 0)
		wantErr(t, "reminding before the appeal is filed", err, ballast.ErrInvalid)
		set, err := e.svc.SetSettings(e.as["hr"], appeal.Settings{ReplyDays: 10, RemindDaysBefore: 3, EscalateTo: []string{"hr-head"}}, 0)
		must(t, err)
		if set.Version != 1 || set.HRRecipients == nil {
			t.Errorf("stored settings = %+v", set)
		}
		_, err = e.svc.SetSettings(e.as["hr"], appeal.Settings{ReplyDays: 4}, 0)
		wantErr(t, "a stale version", err, ballast.ErrConflict)
		got, err = e.svc.Settings(e.as["hr"])
		must(t, err)
		if d := cmp.Diff(set, got); d != "" {
			t.Errorf("read back (-want +got):\n%s", d)
		}
		if es := e.audits(t, appeal.ActionSettings); len(es) != 1 {
			t.Errorf("%d settings audit entries, want 1", len(es))
		}
		a := e.file(t, "emp", "res-emp", "")
		if a.DueOn.String() != "2026-07-30" || a.NextAlertOn.String() != "2026-07-27" {
			t.Errorf("due %s, next alert %s; want 2026-07-30 and 2026-07-27", a.DueOn, a.NextAlertOn)
		}
	})
}
