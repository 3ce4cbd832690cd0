package appeal_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestFile_RefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		good := appeal.FileParams{Kind: kindResult, SubjectID: "res-emp", Reason: "the Q2 orders were booked late"}
		with := func(mod func(*appeal.FileParams)) appeal.FileParams { p := good; mod(&p); return p }
		for _, tc := range []struct {
			name   string
			ctx    context.Context
			p      appeal.FileParams
			kind   error
			fields []string
		}{
			{"no principal", context.Background(), good, ballast.ErrUnauthenticated, nil},
			{"every bad field at once", e.as["emp"], appeal.FileParams{Item: strings.Repeat("x", 201)}, ballast.ErrInvalid,
				[]string{"item", "kind", "reason", "subject_id"}},
			{"a blank reason", e.as["emp"], with(func(p *appeal.FileParams) { p.Reason = "   \n " }), ballast.ErrInvalid, []string{"reason"}},
			{"a reason too short", e.as["emp"], with(func(p *appeal.FileParams) { p.Reason = "unfair" }), ballast.ErrInvalid, []string{"reason"}},
			{"a reason too long", e.as["emp"], with(func(p *appeal.FileParams) { p.Reason = strings.Repeat("长", appeal.MaxReasonLen+1) }), ballast.ErrInvalid, []string{"reason"}},
			{"an unknown kind", e.as["emp"], with(func(p *appeal.FileParams) { p.Kind = "talent.review" }), appeal.ErrUnknownKind, nil},
			{"an unknown subject", e.as["emp"], with(func(p *appeal.FileParams) { p.SubjectID = "res-none" }), ballast.ErrNotFound, nil},
			{"an item the subject does not have", e.as["emp"], with(func(p *appeal.FileParams) { p.Item = "teamwork" }), ballast.ErrInvalid, []string{"item"}},
			{"someone else's result", e.as["emp2"], good, ballast.ErrForbidden, nil},
			{"the manager for the employee", e.as["mgr"], good, ballast.ErrForbidden, nil},
			{"HR for the employee", e.as["hr"], good, ballast.ErrForbidden, nil},
			{"another tenant", e.as["otherHR"], good, ballast.ErrNotFound, nil},
			{"after the window", e.as["emp"], with(func(p *appeal.FileParams) { p.SubjectID = "res-expired" }), appeal.ErrNotAppealable, nil},
			{"a subject without a window", e.as["emp"], with(func(p *appeal.FileParams) { p.SubjectID = "res-nowindow" }), appeal.ErrNotAppealable, nil},
			{"a subject without an owner", e.sys, with(func(p *appeal.FileParams) { p.SubjectID = "res-noowner" }), appeal.ErrNotAppealable, nil},
			{"a closed cycle", e.as["emp"], with(func(p *appeal.FileParams) { p.SubjectID = "res-closed" }), appeal.ErrNotAppealable, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.File(tc.ctx, tc.p)
				wantErr(t, tc.name, err, tc.kind)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		page, err := e.svc.All(e.as["hr"], appeal.Filter{})
		must(t, err)
		if len(page.Appeals) != 0 {
			t.Errorf("%d appeals stored by refused filings", len(page.Appeals))
		}
		if n := len(e.audits(t, appeal.ActionFile)); n != 0 {
			t.Errorf("%d audit entries for refused filings", n)
		}
		if got := e.messages(t, appeal.KindFiled); len(got) != 0 {
			t.Errorf("notifications for refused filings: %v", got)
		}
	})
}

func TestFile_WindowEndIsExclusive(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.clock.Set(windowEnds.Add(-1))
		e.file(t, "emp", "res-emp", "")
		e.clock.Set(windowEnds)
		_, err := e.svc.File(e.as["emp"], appeal.FileParams{Kind: kindResult, SubjectID: "res-emp", Item: "revenue",
			Reason: "the Q2 orders were booked late"})
		wantErr(t, "filing at the window's end", err, appeal.ErrNotAppealable)
	})
}

func TestFile_RecordsTheContestedOutcomeDueDayAndNotifies(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		set, err := e.svc.SetSettings(e.as["hr"], appeal.Settings{ReplyDays: 7, RemindDaysBefore: 2, HRRecipients: []string{"hr@example.com"}}, 0)
		must(t, err)
		e.clock.Set(shanghai(filedOn).Add(20 * 3600e9)) // 05:00 on 21 July in Shanghai
		a := e.file(t, "emp", "res-emp", "revenue")
		want := appeal.Appeal{ID: a.ID, Kind: kindResult, SubjectID: "res-emp", Item: "revenue", ItemTitle: "Team revenue growth",
			Title: "2026 mid-year review", EmployeeID: e.emp.ID, ManagerID: e.mgr.ID,
			Reason: "the Q2 orders were booked in July by mistake", Status: appeal.StatusOpen,
			Before: appeal.Outcome{Score: appeal.Score(60)}, WindowEnds: windowEnds,
			DueOn: hr.NewDate(2026, 7, 28), NextAlertOn: hr.NewDate(2026, 7, 26),
			FiledAt: e.clock.Now(), UpdatedAt: e.clock.Now(), Version: 1}
		if d := cmp.Diff(want, a); d != "" {
			t.Errorf("filed appeal (-want +got):\n%s", d)
		}
		got, err := e.svc.Appeal(e.as["emp"], a.ID)
		must(t, err)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("stored appeal (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"appeal.filed/" + a.ID + "/" + e.mgr.ID, "appeal.filed/" + a.ID + "/hr@example.com"},
			e.messages(t, appeal.KindFiled)); d != "" {
			t.Errorf("filed notifications (-want +got):\n%s", d)
		}
		es := e.audits(t, appeal.ActionFile)
		if len(es) != 1 || es[0].TargetID != a.ID || es[0].Actor != e.emp.ID || es[0].Reason != a.Reason {
			t.Errorf("file audit = %+v", es)
		}
		_ = set
	})
}

func TestFile_OnePendingAppealPerSubjectAndItem(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		whole := e.file(t, "emp", "res-emp", "")
		_, err := e.svc.File(e.as["emp"], appeal.FileParams{Kind: kindResult, SubjectID: "res-emp", Reason: "once more, with feeling"})
		wantErr(t, "a second appeal on the whole result", err, appeal.ErrAlreadyAppealed)
		wantErr(t, "a second appeal on the whole result", err, ballast.ErrConflict)
		e.file(t, "emp", "res-emp", "revenue") // another item is another appeal
		_, err = e.svc.File(e.as["emp"], appeal.FileParams{Kind: kindResult, SubjectID: "res-emp", Item: "revenue", Reason: "once more, with feeling"})
		wantErr(t, "a second appeal on the item", err, appeal.ErrAlreadyAppealed)
		_, err = e.svc.Withdraw(e.as["emp"], whole.ID, "settled with my manager", whole.Version)
		must(t, err)
		e.file(t, "emp", "res-emp", "") // withdrawn frees the slot
	})
}

func TestFile_SystemFilesOnTheOwnersBehalf(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a, err := e.svc.File(e.sys, appeal.FileParams{Kind: kindResult, SubjectID: "res-emp2", Reason: "seeded by the demo"})
		must(t, err)
		if a.EmployeeID != e.emp2.ID {
			t.Errorf("employee = %s, want the subject's owner %s", a.EmployeeID, e.emp2.ID)
		}
		page, err := e.svc.Mine(e.as["emp2"], appeal.Filter{})
		must(t, err)
		if len(page.Appeals) != 1 {
			t.Errorf("the owner sees %d appeals, want 1", len(page.Appeals))
		}
	})
}

func TestFile_AnOwnerUnknownToHRIsNotADuplicate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		_, err := e.svc.File(e.sys, appeal.FileParams{Kind: kindResult, SubjectID: "res-ghost", Reason: "seeded by a broken adapter"})
		wantErr(t, "an unknown owner", err, ballast.ErrConflict)
		if errors.Is(err, appeal.ErrAlreadyAppealed) {
			t.Errorf("an unknown owner reads as a duplicate: %v", err)
		}
	})
}
