package jobdesc_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

func TestInForce_PrefersTheApprovedDepartmentVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		emp := e.as["emp"]
		_, err := e.svc.InForce(emp, e.position.ID)
		wantErr(t, "nothing in force yet", err, ballast.ErrNotFound)
		d := e.template(t)
		_, err = e.svc.InForce(emp, e.position.ID)
		wantErr(t, "a draft template", err, ballast.ErrNotFound)
		d = e.published(t)
		got, err := e.svc.InForce(emp, e.position.ID)
		must(t, err)
		if got.ID != d.ID || got.Revision.Number != 1 {
			t.Errorf("in force = %s r%d, want the published template %s r1", got.ID, got.Revision.Number, d.ID)
		}
		// A department version in review is not in force yet.
		v, err := e.svc.Derive(e.as["head"], jobdesc.DeriveParams{TemplateID: d.ID, DepartmentID: e.sales.ID})
		must(t, err)
		v, err = e.svc.Submit(e.as["head"], v.ID, "", v.Version)
		must(t, err)
		got, err = e.svc.InForce(emp, e.position.ID)
		must(t, err)
		if got.ID != d.ID {
			t.Errorf("in force while the version is in review = %s, want the template", got.ID)
		}
		v, err = e.svc.Approve(e.as["hr2"], v.ID, "", v.Version)
		must(t, err)
		// A version for another department does not count for the position.
		o, err := e.svc.Derive(e.as["head2"], jobdesc.DeriveParams{TemplateID: d.ID, DepartmentID: e.eng.ID})
		must(t, err)
		o, err = e.svc.Submit(e.as["head2"], o.ID, "", o.Version)
		must(t, err)
		_, err = e.svc.Approve(e.as["hr2"], o.ID, "", o.Version)
		must(t, err)
		got, err = e.svc.InForce(emp, e.position.ID)
		must(t, err)
		if got.ID != v.ID || got.Revision.Status != jobdesc.StatusApproved {
			t.Errorf("in force = %s (%s), want the Sales version %s", got.ID, got.Revision.Status, v.ID)
		}
		// A new draft of the version leaves the approved revision in force.
		v, err = e.svc.NewRevision(e.as["head"], v.ID, v.Version)
		must(t, err)
		got, err = e.svc.InForce(emp, e.position.ID)
		must(t, err)
		if got.Revision.Number != 1 {
			t.Errorf("revision in force = %d, want 1", got.Revision.Number)
		}
		_, err = e.svc.InForce(emp, ballast.NewID())
		wantErr(t, "an unknown position", err, ballast.ErrNotFound)
		_, err = e.svc.InForce(e.as["otherHR"], e.position.ID)
		wantErr(t, "another tenant's position", err, ballast.ErrNotFound)
	})
}

func TestWithdraw_TakesARevisionBackFromReview(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hr1 := e.as["hr1"]
		d := e.template(t, e.boss.ID)
		_, err := e.svc.Withdraw(hr1, d.ID, d.Version)
		wantErr(t, "withdrawing a draft", err, jobdesc.ErrWrongStatus)
		d, err = e.svc.Submit(hr1, d.ID, "", d.Version)
		must(t, err)
		_, err = e.svc.Withdraw(e.as["boss"], d.ID, d.Version)
		wantErr(t, "the approver withdrawing", err, ballast.ErrForbidden)
		d, err = e.svc.Withdraw(hr1, d.ID, d.Version)
		must(t, err)
		if d.Status != jobdesc.StatusDraft || d.Revision.Round != 1 {
			t.Errorf("withdrawn = %s round %d", d.Status, d.Revision.Round)
		}
		_, err = e.svc.Approve(e.as["boss"], d.ID, "", d.Version)
		wantErr(t, "approving a withdrawn revision", err, jobdesc.ErrWrongStatus)
		d, err = e.svc.Submit(hr1, d.ID, "", d.Version)
		must(t, err)
		if n := len(e.messages(t, jobdesc.KindSubmitted)); n != 2 {
			t.Errorf("%d submission notices, want one per round", n)
		}
		if got := e.audits(t, d.ID); len(got) != 4 || got[2] != jobdesc.ActionWithdraw {
			t.Errorf("audit = %v", got)
		}
	})
}
