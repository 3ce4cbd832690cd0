package assets_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestNew_NamesEveryMissingPart(t *testing.T) {
	t.Parallel()
	_, err := assets.New(assets.Config{})
	if d := cmp.Diff([]string{"Store", "Tx", "Auth", "Audit", "Employees"}, fields(err)); d != "" {
		t.Errorf("New fields (-want +got):\n%s", d)
	}
}

func TestLifecycle_IssueReturnMissingRetireKeepsHistoryAndAudit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a, err := e.svc.Register(e.admin, assets.Params{Kind: assets.KindLaptop, Name: " ThinkPad X1 #12 ", Tag: "IT-0012", Model: "X1 Carbon"})
		must(t, err)
		if a.Status != assets.StatusInStock || a.Condition != assets.ConditionNew || a.Name != "ThinkPad X1 #12" || a.Version != 1 {
			t.Errorf("Register = %+v, want in stock, new, trimmed name, version 1", a)
		}
		a, err = e.svc.Issue(e.admin, a.ID, assets.IssueParams{Holder: e.rep.ID, On: hr.NewDate(2026, 3, 1), DueBack: hr.NewDate(2026, 12, 31)})
		must(t, err)
		if a.Status != assets.StatusIssued || a.Holder != e.rep.ID || a.IssuedOn != hr.NewDate(2026, 3, 1) {
			t.Errorf("Issue = %+v", a)
		}
		held, err := e.svc.HeldBy(e.admin, e.rep.ID)
		must(t, err)
		if d := cmp.Diff([]assets.Asset{a}, held); d != "" {
			t.Errorf("HeldBy (-want +got):\n%s", d)
		}
		a, err = e.svc.Return(e.admin, a.ID, assets.ReturnParams{On: hr.NewDate(2026, 3, 1), Condition: assets.ConditionWorn, Note: "键盘磨损"})
		must(t, err)
		want := assets.Asset{ID: a.ID, Kind: assets.KindLaptop, Name: "ThinkPad X1 #12", Model: "X1 Carbon", Tag: "IT-0012",
			ReturnedOn: hr.NewDate(2026, 3, 1), Condition: assets.ConditionWorn, Status: assets.StatusInStock,
			CreatedAt: t0, UpdatedAt: t0, Version: 3}
		if d := cmp.Diff(want, a); d != "" {
			t.Errorf("Return (-want +got):\n%s", d)
		}
		// Issued again, then lost: the second issuance is closed with the cost note.
		a = e.issue(t, a, e.tech.ID, hr.NewDate(2026, 3, 2))
		a, err = e.svc.MarkMissing(e.admin, a.ID, "¥8000, deducted from final pay")
		must(t, err)
		if a.Status != assets.StatusLost || a.Condition != assets.ConditionMissing || a.Holder != "" {
			t.Errorf("MarkMissing = %+v", a)
		}
		a, err = e.svc.Retire(e.admin, a.ID, "written off")
		must(t, err)
		if a.Status != assets.StatusRetired || a.Version != 6 {
			t.Errorf("Retire = %+v", a)
		}
		his, err := e.svc.History(e.admin, a.ID)
		must(t, err)
		type row struct {
			Holder       string
			Out, In      assets.Condition
			Issued, Back hr.Date
			Note, Cost   string
		}
		var got []row
		for _, i := range his {
			got = append(got, row{i.Holder, i.ConditionOut, i.ConditionIn, i.IssuedOn, i.ReturnedOn, i.Note, i.CostNote})
		}
		wantRows := []row{
			{e.rep.ID, assets.ConditionNew, assets.ConditionWorn, hr.NewDate(2026, 3, 1), hr.NewDate(2026, 3, 1), "键盘磨损", ""},
			// 2026-03-02 01:00 UTC is 09:00 of 2026-03-02 in Shanghai.
			{e.tech.ID, assets.ConditionWorn, assets.ConditionMissing, hr.NewDate(2026, 3, 2), hr.NewDate(2026, 3, 2), "", "¥8000, deducted from final pay"},
		}
		if d := cmp.Diff(wantRows, got); d != "" {
			t.Errorf("History (-want +got):\n%s", d)
		}
		var actions []string
		for _, en := range e.entries(t) {
			actions = append(actions, en.Action)
			if en.TargetType != "asset" || en.TargetID != a.ID || len(en.Changes) == 0 {
				t.Errorf("audit entry %s: target %s/%s, %d changes", en.Action, en.TargetType, en.TargetID, len(en.Changes))
			}
		}
		wantActions := []string{"assets.register", "assets.issue", "assets.return", "assets.issue", "assets.missing", "assets.retire"}
		if d := cmp.Diff(wantActions, actions); d != "" {
			t.Errorf("audit actions (-want +got):\n%s", d)
		}
	})
}

func TestUpdate_ChangesDescriptionByVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.register(t, "Phone", "P-1")
		p := a.Params()
		p.Kind, p.Name, p.Notes, p.Condition = assets.KindPhone, "iPhone 15", "公司号码 138…", assets.ConditionGood
		up, err := e.svc.Update(e.admin, a.ID, a.Version, p)
		must(t, err)
		if up.Name != "iPhone 15" || up.Kind != assets.KindPhone || up.Condition != assets.ConditionGood || up.Version != 2 {
			t.Errorf("Update = %+v", up)
		}
		_, err = e.svc.Update(e.admin, a.ID, a.Version, p)
		wantErr(t, "Update with a stale version", err, ballast.ErrConflict)
		// Keeping the own tag is fine.
		_, err = e.svc.Update(e.admin, a.ID, up.Version, up.Params())
		must(t, err)
		es := e.entries(t)
		last := es[len(es)-2]
		paths := map[string]bool{}
		for _, c := range last.Changes {
			paths[c.Path] = true
		}
		for _, f := range []string{"Kind", "Name", "Notes", "Condition", "Version"} {
			if !paths[f] {
				t.Errorf("update audit diff %v lacks %s", last.Changes, f)
			}
		}
	})
}

// TestBadInput_ClearErrorAndNothingWritten runs every refused call and
// checks that the register, the history and the audit log did not change.
func TestBadInput_ClearErrorAndNothingWritten(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		stock := e.register(t, "Stock laptop", "IT-1")
		out := e.issue(t, e.register(t, "Issued laptop", "IT-2"), e.rep.ID, hr.NewDate(2026, 3, 1))
		retired, err := e.svc.Retire(e.admin, e.register(t, "Old laptop", "IT-3").ID, "")
		must(t, err)
		// Another tenant's employee, and a departed one of this tenant.
		other := e.newTenant(t, "Other Co")
		otherSys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: other, Subject: "platform", Kind: ballast.KindSystem})
		od, err := e.hr.CreateDepartment(otherSys, hr.DepartmentParams{Name: "X"})
		must(t, err)
		stranger, err := e.hr.HireEmployee(otherSys, hr.EmployeeParams{Number: "X1", Name: "Stranger", DepartmentID: od.ID,
			HireDate: hr.NewDate(2023, 1, 1), HireChannel: hr.ChannelCampus})
		must(t, err)
		gone := e.hire(t, "E9", "Gone", e.tech.DepartmentID)
		gp := gone.Params()
		gp.Status, gp.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 2, 1)
		_, err = e.hr.UpdateEmployee(e.sys, gone.ID, gp, gone.Version)
		must(t, err)

		snapshot := func() any {
			page, err := e.svc.List(e.admin, assets.Filter{Limit: 100})
			must(t, err)
			var his [][]assets.Issuance
			for _, a := range page.Assets {
				h, err := e.svc.History(e.admin, a.ID)
				must(t, err)
				his = append(his, h)
			}
			return []any{page, his, len(e.entries(t))}
		}
		before := snapshot()
		for _, tc := range []struct {
			name   string
			call   func() error
			kind   error
			fields []string
		}{
			{"unknown kind and condition, no name", func() error {
				_, err := e.svc.Register(e.admin, assets.Params{Kind: "car", Condition: "shiny"})
				return err
			}, ballast.ErrInvalid, []string{"kind", "name", "condition"}},
			{"register as missing", func() error {
				_, err := e.svc.Register(e.admin, assets.Params{Kind: assets.KindKeys, Name: "Keys", Condition: assets.ConditionMissing})
				return err
			}, ballast.ErrInvalid, []string{"condition"}},
			{"duplicate tag on register", func() error {
				_, err := e.svc.Register(e.admin, assets.Params{Kind: assets.KindLaptop, Name: "Twin", Tag: "IT-1"})
				return err
			}, assets.ErrDuplicateTag, nil},
			{"duplicate tag on update", func() error {
				p := out.Params()
				p.Tag = "IT-1"
				_, err := e.svc.Update(e.admin, out.ID, out.Version, p)
				return err
			}, assets.ErrDuplicateTag, nil},
			{"holder from another tenant", func() error {
				_, err := e.svc.Issue(e.admin, stock.ID, assets.IssueParams{Holder: stranger.ID, On: hr.NewDate(2026, 3, 1)})
				return err
			}, ballast.ErrInvalid, []string{"holder"}},
			{"departed holder", func() error {
				_, err := e.svc.Issue(e.admin, stock.ID, assets.IssueParams{Holder: gone.ID, On: hr.NewDate(2026, 3, 1)})
				return err
			}, ballast.ErrInvalid, []string{"holder"}},
			{"no holder, no date, due before issue", func() error {
				_, err := e.svc.Issue(e.admin, stock.ID, assets.IssueParams{DueBack: hr.NewDate(2026, 2, 30)})
				return err
			}, ballast.ErrInvalid, []string{"holder", "on", "due_back"}},
			{"issuing an issued asset", func() error {
				_, err := e.svc.Issue(e.admin, out.ID, assets.IssueParams{Holder: e.tech.ID, On: hr.NewDate(2026, 3, 2)})
				return err
			}, assets.ErrAlreadyIssued, nil},
			{"issuing a retired asset", func() error {
				_, err := e.svc.Issue(e.admin, retired.ID, assets.IssueParams{Holder: e.tech.ID, On: hr.NewDate(2026, 3, 2)})
				return err
			}, assets.ErrUnavailable, nil},
			{"return dated before the issue", func() error {
				_, err := e.svc.Return(e.admin, out.ID, assets.ReturnParams{On: hr.NewDate(2026, 2, 28), Condition: assets.ConditionGood})
				return err
			}, ballast.ErrInvalid, []string{"on"}},
			{"return without condition, or as missing", func() error {
				_, err := e.svc.Return(e.admin, out.ID, assets.ReturnParams{On: hr.NewDate(2026, 3, 5), Condition: assets.ConditionMissing})
				return err
			}, ballast.ErrInvalid, []string{"condition"}},
			{"return of an asset in stock", func() error {
				_, err := e.svc.Return(e.admin, stock.ID, assets.ReturnParams{On: hr.NewDate(2026, 3, 5), Condition: assets.ConditionGood})
				return err
			}, assets.ErrNotIssued, nil},
			{"retiring an issued asset", func() error {
				_, err := e.svc.Retire(e.admin, out.ID, "")
				return err
			}, assets.ErrAlreadyIssued, nil},
			{"marking a retired asset missing", func() error {
				_, err := e.svc.MarkMissing(e.admin, retired.ID, "")
				return err
			}, assets.ErrUnavailable, nil},
			{"unknown asset", func() error {
				_, err := e.svc.Issue(e.admin, ballast.NewID(), assets.IssueParams{Holder: e.tech.ID, On: hr.NewDate(2026, 3, 2)})
				return err
			}, ballast.ErrNotFound, nil},
			{"malformed id", func() error {
				_, err := e.svc.Get(e.admin, "../etc")
				return err
			}, ballast.ErrInvalid, []string{"id"}},
			{"bad filter", func() error {
				_, err := e.svc.List(e.admin, assets.Filter{Kind: "car", Status: "gone", Cursor: "!!", Limit: -1})
				return err
			}, ballast.ErrInvalid, []string{"kind", "status", "limit", "cursor"}},
			{"write without assets:write", func() error {
				_, err := e.svc.Register(e.repCtx, assets.Params{Kind: assets.KindKeys, Name: "My keys"})
				return err
			}, ballast.ErrForbidden, nil},
			{"no principal", func() error {
				_, err := e.svc.List(context.Background(), assets.Filter{})
				return err
			}, ballast.ErrUnauthenticated, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.call()
				wantErr(t, tc.name, err, tc.kind)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
				if d := cmp.Diff(before, snapshot()); d != "" {
					t.Errorf("refused call changed state (-before +after):\n%s", d)
				}
			})
		}
	})
}

func TestVisibility_OwnDepartmentAllInTheStoreQuery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		headPhone := e.issue(t, e.register(t, "a head phone", "V-1"), e.head.ID, hr.NewDate(2026, 3, 1))
		repLaptop := e.issue(t, e.register(t, "b rep laptop", "V-2"), e.rep.ID, hr.NewDate(2026, 3, 1))
		techBadge := e.issue(t, e.register(t, "c tech badge", "V-3"), e.tech.ID, hr.NewDate(2026, 3, 1))
		e.register(t, "d spare", "V-4")
		nobody := e.user(t, e.tenant, ballast.NewID(), "")

		names := func(ctx context.Context) []string {
			t.Helper()
			page, err := e.svc.List(ctx, assets.Filter{})
			must(t, err)
			out := []string{}
			for _, a := range page.Assets {
				out = append(out, a.Name)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			want []string
		}{
			{"employee sees what they hold", e.repCtx, []string{"b rep laptop"}},
			{"department head sees own and the department tree", e.headCtx, []string{"a head phone", "b rep laptop"}},
			{"hr sees everything", e.admin, []string{"a head phone", "b rep laptop", "c tech badge", "d spare"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if d := cmp.Diff(tc.want, names(tc.ctx)); d != "" {
					t.Errorf("List (-want +got):\n%s", d)
				}
			})
		}
		_, err := e.svc.List(nobody, assets.Filter{})
		wantErr(t, "List without any assets permission", err, ballast.ErrForbidden)
		_, err = e.svc.Get(e.repCtx, techBadge.ID)
		wantErr(t, "employee Get of another's asset", err, ballast.ErrNotFound)
		_, err = e.svc.History(e.headCtx, techBadge.ID)
		wantErr(t, "head History of another department's asset", err, ballast.ErrNotFound)
		got, err := e.svc.Get(e.headCtx, repLaptop.ID)
		must(t, err)
		if got.ID != repLaptop.ID {
			t.Errorf("head Get = %s", got.ID)
		}
		// The history shows an employee only their own hand-overs.
		back, err := e.svc.Return(e.admin, techBadge.ID, assets.ReturnParams{On: hr.NewDate(2026, 3, 2), Condition: assets.ConditionGood, Note: "赵敏's note"})
		must(t, err)
		e.issue(t, back, e.rep.ID, hr.NewDate(2026, 3, 3))
		his, err := e.svc.History(e.repCtx, techBadge.ID)
		must(t, err)
		if len(his) != 1 || his[0].Holder != e.rep.ID {
			t.Errorf("employee History = %+v, want only their own hand-over", his)
		}
		his, err = e.svc.History(e.admin, techBadge.ID)
		must(t, err)
		if len(his) != 2 {
			t.Errorf("hr History has %d rows, want 2", len(his))
		}
		held, err := e.svc.HeldBy(e.repCtx, e.tech.ID)
		must(t, err)
		if len(held) != 0 {
			t.Errorf("employee HeldBy of a colleague = %v, want nothing", held)
		}
		held, err = e.svc.HeldBy(e.headCtx, e.head.ID)
		must(t, err)
		if len(held) != 1 || held[0].ID != headPhone.ID {
			t.Errorf("head HeldBy self = %v", held)
		}
	})
}

func TestList_PagesByCursor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		for _, n := range []string{"e", "a", "d", "c", "b"} {
			e.register(t, n, "")
		}
		var got []string
		f := assets.Filter{Limit: 2}
		for range 5 {
			page, err := e.svc.List(e.admin, f)
			must(t, err)
			for _, a := range page.Assets {
				got = append(got, a.Name)
			}
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		if d := cmp.Diff([]string{"a", "b", "c", "d", "e"}, got); d != "" {
			t.Errorf("pages (-want +got):\n%s", d)
		}
	})
}

func TestRegister_UnknownTenantIsNotFoundAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		ghost := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ballast.NewID(), Subject: "platform", Kind: ballast.KindSystem})
		_, err := e.svc.Register(ghost, assets.Params{Kind: assets.KindKeys, Name: "Keys"})
		wantErr(t, "Register in an unknown tenant", err, hr.ErrUnknownTenant)
		wantErr(t, "Register in an unknown tenant", err, ballast.ErrNotFound)
	})
}
