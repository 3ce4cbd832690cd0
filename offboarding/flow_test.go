package offboarding_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

var report = offboarding.WorkReport{
	Projects: []offboarding.Project{{Name: "华东机械 renewal", Status: "quote sent", NextStep: "call 张经理 on Monday",
		Stakeholders: []string{"张经理", "采购部"}}},
	PendingTasks: []string{"send the March invoice"},
	DocumentsAt:  "shared drive /sales/wangli",
}

func TestWorkReport_RoundsUntilApproved(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		ver := func() int64 { return e.steps(t, c.ID)["work"].Version }
		_, err := e.svc.SubmitWorkReport(e.as["leaver"], c.ID, offboarding.WorkReport{}, ver())
		wantErr(t, "an empty report", err, ballast.ErrInvalid)
		_, err = e.svc.SubmitWorkReport(e.as["leaver"], c.ID, report, ver())
		must(t, err)
		_, err = e.svc.ReviewWorkReport(e.as["manager"], offboarding.ReviewParams{CaseID: c.ID, Version: ver()})
		wantErr(t, "returning without comments", err, ballast.ErrInvalid)
		_, err = e.svc.ReviewWorkReport(e.as["manager"], offboarding.ReviewParams{CaseID: c.ID, Comments: "list the stakeholders of every project", Version: ver()})
		must(t, err)
		_, err = e.svc.SubmitWorkReport(e.as["leaver"], c.ID, report, ver())
		must(t, err)
		_, err = e.svc.ReviewWorkReport(e.as["leaver"], offboarding.ReviewParams{CaseID: c.ID, Approve: true, Version: ver()})
		wantErr(t, "approving one's own report", err, ballast.ErrForbidden)
		_, err = e.svc.ReviewWorkReport(e.as["succ1"], offboarding.ReviewParams{CaseID: c.ID, Approve: true, Version: ver()})
		wantErr(t, "a colleague approving", err, ballast.ErrForbidden)
		r, err := e.svc.ReviewWorkReport(e.as["manager"], offboarding.ReviewParams{CaseID: c.ID, Approve: true, Version: ver()})
		must(t, err)
		if r.Round != 2 || r.Decision != offboarding.DecisionApproved {
			t.Errorf("round = %+v", r)
		}
		rounds, err := e.svc.WorkRounds(e.as["hr"], c.ID)
		must(t, err)
		var got []string
		for _, r := range rounds {
			got = append(got, string(r.Decision)+": "+r.Comments)
		}
		if d := cmp.Diff([]string{"returned: list the stakeholders of every project", "approved: "}, got); d != "" {
			t.Errorf("rounds (-want +got):\n%s", d)
		}
		if d := cmp.Diff(report, rounds[1].Report); d != "" {
			t.Errorf("report (-want +got):\n%s", d)
		}
		if st := e.steps(t, c.ID)["work"]; st.Status != offboarding.StepDone || st.DoneBy != e.manager.ID {
			t.Errorf("work step = %+v", st)
		}
	})
}

func TestReviewWorkReport_TwoApproversAtOnceOneWins(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		_, err := e.svc.SubmitWorkReport(e.as["leaver"], c.ID, report, e.steps(t, c.ID)["work"].Version)
		must(t, err)
		v := e.steps(t, c.ID)["work"].Version
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []string{"manager", "hr"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.ReviewWorkReport(e.as[who], offboarding.ReviewParams{CaseID: c.ID, Approve: true, Version: v})
			}()
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errorsIs(err, ballast.ErrConflict):
				conflicts++
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Fatalf("wins = %d, conflicts = %d; errors %v", ok, conflicts, errs)
		}
		es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: offboarding.ActionWorkReview, Limit: 10})
		must(t, err)
		if len(es) != 1 {
			t.Errorf("review entries = %d, want 1", len(es))
		}
		if n := len(e.messages(t, offboarding.KindReviewed)); n != 1 {
			t.Errorf("review notifications = %d, want 1", n)
		}
	})
}

func TestItemReturn_ConfirmedOrMissing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		issue := func(name string, kind assets.Kind) assets.Asset {
			a, err := e.assets.Register(e.sys, assets.Params{Kind: kind, Name: name, Tag: name, Condition: assets.ConditionGood})
			must(t, err)
			a, err = e.assets.Issue(e.sys, a.ID, assets.IssueParams{Holder: e.leaver.ID, On: hr.NewDate(2024, 1, 2)})
			must(t, err)
			return a
		}
		laptop, badge := issue("ThinkPad X1 #12", assets.KindLaptop), issue("Badge 3F", assets.KindAccessBadge)
		c := e.resign(t)
		items, err := e.svc.ItemReturns(e.as["hr"], c.ID)
		must(t, err)
		if len(items) != 2 {
			t.Fatalf("items = %+v", items)
		}
		_, err = e.svc.ConfirmReturn(e.as["leaver"], c.ID, laptop.ID, assets.ReturnParams{On: lastDay, Condition: assets.ConditionWorn})
		wantErr(t, "the leaver confirming", err, ballast.ErrForbidden)
		it, err := e.svc.ConfirmReturn(e.as["admin"], c.ID, laptop.ID, assets.ReturnParams{On: lastDay, Condition: assets.ConditionWorn, Note: "scratched lid"})
		must(t, err)
		if it.Outcome != offboarding.ItemReturned || it.Condition != "worn" || it.ConfirmedBy != e.admin.ID {
			t.Errorf("returned item = %+v", it)
		}
		if st := e.steps(t, c.ID)["items"]; st.Closed() {
			t.Error("items step closed with an item pending")
		}
		it, err = e.svc.RecordMissing(e.as["admin"], c.ID, badge.ID, "¥50, deducted from the final pay")
		must(t, err)
		if it.Outcome != offboarding.ItemMissing || it.CostNote != "¥50, deducted from the final pay" {
			t.Errorf("missing item = %+v", it)
		}
		if st := e.steps(t, c.ID)["items"]; st.Status != offboarding.StepDone {
			t.Errorf("items step = %s, want done", st.Status)
		}
		_, err = e.svc.RecordMissing(e.as["admin"], c.ID, badge.ID, "again")
		wantErr(t, "settling twice", err, ballast.ErrConflict)
	})
}

func TestReport_IntegrityCheckNamesWhoAlteredWhat(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a, b, x := e.customer(t, "A 机械", e.leaver), e.customer(t, "B 电子", e.leaver), e.customer(t, "C 纺织", e.leaver)
		c := e.resign(t)
		// During the notice period the leaver strips a contact and archives a customer.
		e.clock.Set(shanghai(submitted).Add(3 * time.Hour))
		p := a.Params()
		p.Contacts = nil
		_, err := e.customers.Update(e.as["leaver"], a.ID, p, a.Version)
		must(t, err)
		_, err = e.customers.Archive(e.sys, b.ID, b.Version, "customer lost")
		must(t, err)
		hrCtx := e.as["hr"]
		must(t, e.svc.AssignCustomers(hrCtx, c.ID, map[string]string{a.ID: e.succ1.ID, b.ID: e.succ1.ID, x.ID: e.succ1.ID}))
		must(t, e.svc.MarkHandedOver(hrCtx, c.ID, []string{a.ID, b.ID, x.ID}, ""))
		hc, err := e.svc.PrepareHandover(e.as["succ1"], c.ID, e.succ1.ID)
		must(t, err)
		sig, err := e.svc.SignHandover(e.as["succ1"], offboarding.SignParams{CaseID: c.ID, Signer: e.succ1.ID, Hash: hc.Hash})
		must(t, err)

		_, err = e.svc.Report(e.as["succ1"], c.ID)
		wantErr(t, "a successor reading the report", err, ballast.ErrNotFound)
		r, err := e.svc.Report(hrCtx, c.ID)
		must(t, err)
		in := r.Integrity
		if in.Clean || len(in.Removed) != 0 {
			t.Fatalf("integrity = %+v", in)
		}
		if d := cmp.Diff([]customers.CustomerRef{{ID: b.ID, Name: b.Name, OwnerID: e.succ1.ID}}, in.Archived); d != "" {
			t.Errorf("archived (-want +got):\n%s", d)
		}
		changed := map[string]offboarding.IntegrityChange{}
		for _, ch := range in.Changed {
			changed[ch.ID] = ch
		}
		if _, ok := changed[x.ID]; ok {
			t.Error("a customer only handed over is reported as altered")
		}
		ca := changed[a.ID]
		if len(ca.Changes) == 0 || len(ca.Edits) != 1 || ca.Edits[0].Actor != e.leaver.ID || ca.Edits[0].Action != customers.ActionUpdate {
			t.Errorf("altered customer = %+v", ca)
		}
		for _, ch := range ca.Changes {
			if ch.Path == "OwnerID" {
				t.Error("the handover transfer is reported as an alteration")
			}
		}
		if len(r.Signatures) != 1 || r.Signatures[0].ID != sig.ID || len(r.Customers) != 3 || r.Customers[0].SignatureID != sig.ID {
			t.Errorf("report customers/signatures = %+v / %+v", r.Customers, r.Signatures)
		}
		if len(r.Revocations) != 1 || r.Revocations[0].StageKey != "export" || r.Revocations[0].AppliedBy != e.hrP.ID || r.Revocations[0].AppliedAt.IsZero() {
			t.Errorf("revocations = %+v", r.Revocations)
		}
		steps := map[string]offboarding.StepDates{}
		for _, s := range r.Steps {
			steps[s.Key] = s
		}
		if s := steps["customers"]; s.DueOn.String() != "2026-11-27" || s.DoneOn != submitted || s.Late {
			t.Errorf("customer step dates = %+v", s)
		}
	})
}
