package customers_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestSnapshots_DiffShowsWhatChangedAndRestoreRevertsIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		hrc := e.ctx["hr"]
		keep := e.create(t, "保留", e.leaving)
		edit := e.create(t, "修改", e.leaving, func(p *customers.Params) { p.Needs = "原需求" })
		gone := e.create(t, "归档", e.leaving)
		moved := e.create(t, "转走", e.leaving)
		a, err := e.svc.TakeSnapshot(hrc, customers.SnapshotScope{Owner: e.leaving.ID}, "notice period starts")
		must(t, err)
		if a.Customers != 4 || a.Scope != "owner:"+e.leaving.ID {
			t.Fatalf("snapshot = %+v", a)
		}
		p := edit.Params()
		p.Needs, p.AnnualValueCents = "改过的需求", 1
		_, err = e.svc.Update(hrc, edit.ID, p, edit.Version)
		must(t, err)
		_, err = e.svc.Archive(hrc, gone.ID, gone.Version, "删")
		must(t, err)
		_, err = e.svc.Transfer(hrc, moved.ID, e.sales1.ID, moved.Version, "")
		must(t, err)
		added := e.create(t, "新增", e.leaving)
		b, err := e.svc.TakeSnapshot(hrc, customers.SnapshotScope{Owner: e.leaving.ID}, "last day")
		must(t, err)

		d, err := e.svc.Diff(hrc, a.ID, b.ID)
		must(t, err)
		ref := func(c customers.Customer) customers.CustomerRef {
			return customers.CustomerRef{ID: c.ID, Name: c.Name, OwnerID: c.OwnerID}
		}
		if diff := cmp.Diff([]customers.CustomerRef{ref(added)}, d.Added); diff != "" {
			t.Errorf("Added (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]customers.CustomerRef{ref(gone)}, d.Archived); diff != "" {
			t.Errorf("Archived (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]customers.CustomerRef{ref(moved)}, d.Removed); diff != "" {
			t.Errorf("Removed (-want +got):\n%s", diff)
		}
		changed := map[string]string{}
		for _, c := range d.Changed {
			var s string
			for _, ch := range c.Changes {
				s += ch.Path + ":" + ch.Before + "→" + ch.After + ";"
			}
			changed[c.Name] = s
		}
		want := map[string]string{"修改": "AnnualValueCents:1000000→1;Needs:原需求→改过的需求;", "归档": "Status:active→archived;"}
		if diff := cmp.Diff(want, changed); diff != "" {
			t.Errorf("Changed (-want +got):\n%s", diff)
		}
		_ = keep

		// Compared with the current records, the transferred customer shows
		// its new owner instead of vanishing.
		cur, err := e.svc.DiffWithCurrent(hrc, a.ID)
		must(t, err)
		if len(cur.Removed) != 0 || len(cur.Changed) != 3 || len(cur.Added) != 1 {
			t.Errorf("DiffWithCurrent = %+v", cur)
		}
		// Only custodians restore; then everything but the owner is back.
		_, err = e.svc.Restore(e.ctx["salesperson"], a.ID, nil, "x")
		wantErr(t, "salesperson restores", err, ballast.ErrForbidden)
		_, err = e.svc.Restore(hrc, a.ID, []string{ballast.NewID()}, "x")
		wantErr(t, "unknown customer", err, ballast.ErrInvalid)
		rep, err := e.svc.Restore(hrc, a.ID, nil, "撤销离职前的修改")
		must(t, err)
		if len(rep.Restored) != 2 || len(rep.Unchanged) != 2 || len(rep.Recreated) != 0 {
			t.Errorf("Restore = %+v", rep)
		}
		after, err := e.svc.DiffWithCurrent(hrc, a.ID)
		must(t, err)
		if len(after.Changed) != 1 || after.Changed[0].ID != moved.ID {
			t.Errorf("after restore, DiffWithCurrent = %+v", after)
		}
		back, err := e.svc.Get(hrc, gone.ID)
		must(t, err)
		if back.Status != customers.StatusActive || !back.ArchivedAt.IsZero() {
			t.Errorf("restored archived customer = %+v", back)
		}

		// Visibility of snapshots: the owner's snapshots are the owner's.
		_, err = e.svc.Diff(e.ctx["another salesperson"], a.ID, b.ID)
		wantErr(t, "another salesperson diffs", err, ballast.ErrNotFound)
		page, err := e.svc.Snapshots(hrc, customers.SnapshotFilter{Owner: e.leaving.ID})
		must(t, err)
		if len(page.Snapshots) != 2 || page.Snapshots[0].ID != b.ID {
			t.Errorf("Snapshots = %+v", page)
		}
		_, err = e.svc.Snapshots(e.ctx["salesperson"], customers.SnapshotFilter{Tenant: true})
		wantErr(t, "salesperson lists tenant snapshots", err, ballast.ErrForbidden)
	})
}

func TestSnapshotDue_TakesOnePerTenantDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.create(t, "甲", e.sales1)
		e.create(t, "乙", e.sales2)
		// 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai.
		now := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
		s1, took, err := e.svc.SnapshotDue(e.sys, now)
		must(t, err)
		if !took || s1.Day != "2026-03-02" || s1.Customers != 2 || s1.Scope != customers.ScopeTenant {
			t.Errorf("first SnapshotDue = %+v, %v", s1, took)
		}
		s2, took, err := e.svc.SnapshotDue(e.sys, now.Add(10*time.Hour))
		must(t, err)
		if took || s2.ID != s1.ID {
			t.Errorf("second SnapshotDue the same day = %+v, %v", s2, took)
		}
		_, took, err = e.svc.SnapshotDue(e.sys, now.Add(24*time.Hour))
		must(t, err)
		if !took {
			t.Error("next day took no snapshot")
		}
		_, _, err = e.svc.SnapshotDue(e.ctx["salesperson"], now)
		wantErr(t, "salesperson", err, ballast.ErrForbidden)
		_, _, err = e.svc.SnapshotDue(context.Background(), now)
		wantErr(t, "no principal", err, ballast.ErrUnauthenticated)
	})
}
