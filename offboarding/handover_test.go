package offboarding_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

func TestSignHandover_TransfersOwnershipAtomically(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a, b, x := e.customer(t, "A 机械", e.leaver), e.customer(t, "B 电子", e.leaver), e.customer(t, "C 纺织", e.leaver)
		c := e.resign(t)
		hrCtx := e.as["hr"]
		must(t, e.svc.AssignCustomers(hrCtx, c.ID, map[string]string{a.ID: e.succ1.ID, b.ID: e.succ1.ID, x.ID: e.succ2.ID}))
		must(t, e.svc.MarkHandedOver(e.as["leaver"], c.ID, []string{a.ID, b.ID}, "key contact 张经理, renewal in March"))

		hc, err := e.svc.PrepareHandover(e.as["succ1"], c.ID, e.succ1.ID)
		must(t, err)
		sum := sha256.Sum256([]byte(hc.Canonical))
		if hc.Hash != hex.EncodeToString(sum[:]) || len(hc.Customers) != 2 {
			t.Fatalf("content = %+v", hc)
		}
		want := `{"case":"` + c.ID + `","successor":"` + e.succ1.ID + `","customers":[`
		for i, id := range sortedIDs(a.ID, b.ID) {
			if i > 0 {
				want += ","
			}
			want += `{"id":"` + id + `","version":1,"note":"key contact 张经理, renewal in March"}`
		}
		want += "]}"
		if hc.Canonical != want {
			t.Errorf("canonical =\n%s\nwant\n%s", hc.Canonical, want)
		}

		sign := offboarding.SignParams{CaseID: c.ID, Signer: e.succ1.ID, Hash: hc.Hash, ClientIP: "10.0.0.7", UserAgent: "Mozilla/5.0"}
		_, err = e.svc.SignHandover(e.as["succ2"], sign)
		wantErr(t, "signing as someone else", err, ballast.ErrForbidden)

		// The leaver edits a customer after the content was prepared.
		p := a.Params()
		p.Needs = "changed after preparing"
		_, err = e.customers.Update(e.as["leaver"], a.ID, p, a.Version)
		must(t, err)
		_, err = e.svc.SignHandover(e.as["succ1"], sign)
		wantErr(t, "stale content", err, offboarding.ErrHashMismatch)
		wantErr(t, "stale content", err, ballast.ErrConflict)
		if got := e.ownerOf(t, a.ID); got != e.leaver.ID {
			t.Fatalf("a mismatch moved the customer to %s", got)
		}
		sigs, err := e.svc.Signatures(hrCtx, c.ID)
		must(t, err)
		if len(sigs) != 0 {
			t.Fatalf("a mismatch stored %d signatures", len(sigs))
		}

		hc, err = e.svc.PrepareHandover(e.as["succ1"], c.ID, e.succ1.ID)
		must(t, err)
		sign.Hash = hc.Hash
		sig, err := e.svc.SignHandover(e.as["succ1"], sign)
		must(t, err)
		if sig.Signer != e.succ1.ID || sig.ContentHash != hc.Hash || sig.Content != hc.Canonical || sig.ClientIP != "10.0.0.7" || sig.UserAgent != "Mozilla/5.0" || sig.SignedAt.IsZero() {
			t.Errorf("signature = %+v", sig)
		}
		for id, owner := range map[string]string{a.ID: e.succ1.ID, b.ID: e.succ1.ID, x.ID: e.leaver.ID} {
			if got := e.ownerOf(t, id); got != owner {
				t.Errorf("owner of %s = %s, want %s", id, got, owner)
			}
		}
		es, err := e.log.Query(e.sys, e.tenant, audit.Filter{Action: customers.ActionTransfer, Limit: 100})
		must(t, err)
		if len(es) != 2 || es[0].Actor != e.succ1.ID {
			t.Errorf("transfer entries = %d (actor %v), want 2 by the successor", len(es), es)
		}
		if st := e.steps(t, c.ID)["customers"]; st.Closed() {
			t.Error("the customer step closed with a customer left")
		}
		_, err = e.svc.SignHandover(e.as["succ1"], sign)
		wantErr(t, "signing again", err, ballast.ErrConflict)

		// A customer acquired later is added when the list is viewed.
		late := e.customer(t, "D 新客户", e.leaver)
		items, err := e.svc.CustomerHandover(hrCtx, c.ID)
		must(t, err)
		if len(items) != 4 || !hasItem(items, late.ID) {
			t.Fatalf("items = %+v, want the late customer too", items)
		}
		must(t, e.svc.AssignCustomers(hrCtx, c.ID, map[string]string{late.ID: e.succ2.ID}))
		must(t, e.svc.MarkHandedOver(hrCtx, c.ID, []string{x.ID, late.ID}, ""))
		hc2, err := e.svc.PrepareHandover(e.as["succ2"], c.ID, e.succ2.ID)
		must(t, err)
		_, err = e.svc.SignHandover(e.as["succ2"], offboarding.SignParams{CaseID: c.ID, Signer: e.succ2.ID, Hash: hc2.Hash})
		must(t, err)
		if st := e.steps(t, c.ID)["customers"]; st.Status != offboarding.StepDone {
			t.Errorf("customer step = %s, want done", st.Status)
		}

		// One more acquired after the step was done reopens it: none may be missed.
		e.customer(t, "E 更晚的客户", e.leaver)
		for _, k := range []string{"work", "items"} {
			_, err := e.svc.ForceCloseStep(hrCtx, c.ID, k, "test", e.steps(t, c.ID)[k].Version)
			must(t, err)
		}
		cur, err := e.svc.Case(hrCtx, c.ID)
		must(t, err)
		_, err = e.svc.Complete(hrCtx, c.ID, cur.Version)
		wantErr(t, "completing with a customer left", err, offboarding.ErrStepsOpen)
		_, err = e.svc.CustomerHandover(e.as["leaver"], c.ID)
		must(t, err)
		if st := e.steps(t, c.ID)["customers"]; st.Status != offboarding.StepOpen {
			t.Errorf("customer step = %s after a new customer, want open", st.Status)
		}
	})
}

func TestAssignCustomers_BadEntriesChangeNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.customer(t, "A", e.leaver)
		other := e.customer(t, "not the leaver's", e.succ1)
		c := e.resign(t)
		err := e.svc.AssignCustomers(e.as["hr"], c.ID, map[string]string{a.ID: e.manager.ID, other.ID: e.succ1.ID})
		wantErr(t, "bad assignment", err, ballast.ErrInvalid)
		items, err := e.svc.CustomerHandover(e.as["hr"], c.ID)
		must(t, err)
		if d := cmp.Diff("", items[0].SuccessorID); d != "" {
			t.Errorf("assigned despite the error: %s", d)
		}
		err = e.svc.AssignCustomers(e.as["succ1"], c.ID, map[string]string{a.ID: e.succ1.ID})
		wantErr(t, "a successor assigning", err, ballast.ErrForbidden)
	})
}

func (e *env) ownerOf(t testing.TB, id string) string {
	t.Helper()
	c, err := e.customers.Get(e.sys, id)
	must(t, err)
	return c.OwnerID
}

func hasItem(items []offboarding.HandoverItem, id string) bool {
	for _, it := range items {
		if it.CustomerID == id {
			return true
		}
	}
	return false
}

func sortedIDs(ids ...string) []string { return sorted(ids) }
