package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// RunAudit runs the conformance suite for audit.Store. open must return a
// fresh, empty, migrated backend for every call: a transactor and the store
// that joins its transactions.
func RunAudit(t *testing.T, open func(t *testing.T) (ballast.Transactor, audit.Store)) {
	t.Helper()
	modes := []struct {
		name    string
		linking audit.Linking
	}{{"LinkLater", audit.LinkLater}, {"LinkOnAppend", audit.LinkOnAppend}}
	t.Run("StoreRefusesDuplicatesAndRelinking", func(t *testing.T) {
		t.Parallel()
		testAuditStoreConflicts(t, open)
	})
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			newLog := func(t *testing.T) (*audit.Log, ballast.Transactor, audit.Store) {
				t.Helper()
				tx, store := open(t)
				clock := &stepClock{now: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)}
				log, err := audit.New(audit.Config{Store: store, Tx: tx, Clock: clock, Linking: m.linking})
				if err != nil {
					t.Fatal(err)
				}
				return log, tx, store
			}
			t.Run("AppendLinksEntriesIntoAChain", func(t *testing.T) { t.Parallel(); testAuditAppendLinks(t, newLog, m.linking) })
			t.Run("ConcurrentAppendsNeverForkTheChain", func(t *testing.T) { t.Parallel(); testAuditConcurrent(t, newLog) })
			t.Run("TenantsNeverSeeEachOther", func(t *testing.T) { t.Parallel(); testAuditTenantIsolation(t, newLog) })
			t.Run("RolledBackAppendLeavesNothing", func(t *testing.T) { t.Parallel(); testAuditRollback(t, newLog) })
			t.Run("QueryFilters", func(t *testing.T) { t.Parallel(); testAuditQuery(t, newLog) })
		})
	}
}

type newAuditLog func(t *testing.T) (*audit.Log, ballast.Transactor, audit.Store)

// stepClock advances one millisecond (plus a sub-microsecond remainder,
// which entries must drop) on every reading.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

func systemCtx(tenant string) context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: "audit-test", Kind: ballast.KindSystem})
}

func userCtx(tenant, subject string) context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: subject, Kind: ballast.KindUser})
}

// all returns every entry of tenant, oldest first.
func all(t *testing.T, log *audit.Log, tenant string) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	var before int64
	for {
		page, err := log.Query(systemCtx(tenant), tenant, audit.Filter{Before: before, Limit: 1000})
		if err != nil {
			t.Fatalf("Query: %v", err)
		}
		out = append(out, page...)
		if len(page) < 1000 {
			slices.Reverse(out)
			return out
		}
		before = page[len(page)-1].Seq
	}
}

// checkChain asserts that entries are a complete, correctly linked chain
// 1..n and that Verify agrees.
func checkChain(t *testing.T, log *audit.Log, tenant string, entries []audit.Entry, n int) {
	t.Helper()
	if len(entries) != n {
		t.Fatalf("chain of %s has %d entries, want %d", tenant, len(entries), n)
	}
	prev := ""
	ids := map[string]bool{}
	for i, e := range entries {
		if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != audit.HashEntry(e) || e.Tenant != tenant || ids[e.ID] {
			t.Fatalf("entry %d is not linked: %+v (prev %q)", i+1, e, prev)
		}
		ids[e.ID] = true
		prev = e.Hash
	}
	rep, err := log.Verify(systemCtx(tenant), tenant)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := audit.VerifyReport{Tenant: tenant, Entries: int64(n), Head: audit.Head{Seq: int64(n), Hash: prev}}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("Verify report (-want +got):\n%s", diff)
	}
}

func testAuditAppendLinks(t *testing.T, newLog newAuditLog, linking audit.Linking) {
	log, _, _ := newLog(t)
	tenant := ballast.NewID()
	ctx := userCtx(tenant, "hr-1")
	target := ballast.NewID()
	recs := []audit.Record{
		{Action: "hr.employee.create", TargetType: "employee", TargetID: target, Changes: []audit.Change{{Path: "Name", After: "Li Na"}}},
		{Action: "hr.employee.update", TargetType: "employee", TargetID: target, Reason: "promotion",
			Changes: []audit.Change{{Path: "Level", Before: "3", After: "4"}, {Path: "Title", Before: "Rep", After: "Senior rep"}}},
		{Action: "access.role.grant", TargetType: "subject", TargetID: "u-9", Actor: "admin-on-behalf"},
	}
	var appended []audit.Entry
	for _, r := range recs {
		e, err := log.Append(ctx, r)
		if err != nil {
			t.Fatalf("Append(%s): %v", r.Action, err)
		}
		if linking == audit.LinkLater && (e.Seq != 0 || e.Hash != "") {
			t.Errorf("LinkLater Append returned a linked entry: %+v", e)
		}
		if linking == audit.LinkOnAppend && (e.Seq != int64(len(appended)+1) || e.Hash != audit.HashEntry(e)) {
			t.Errorf("LinkOnAppend Append returned an unlinked entry: %+v", e)
		}
		appended = append(appended, e)
	}
	got := all(t, log, tenant)
	checkChain(t, log, tenant, got, len(recs))
	for i, e := range got {
		want := appended[i]
		want.Seq, want.PrevHash, want.Hash = e.Seq, e.PrevHash, e.Hash
		if diff := cmp.Diff(want, e); diff != "" {
			t.Errorf("entry %d as stored (-appended +stored):\n%s", i+1, diff)
		}
	}
	if got[0].Actor != "hr-1" || got[0].ActorKind != "user" || got[2].Actor != "admin-on-behalf" {
		t.Errorf("actors = %q/%q, %q", got[0].Actor, got[0].ActorKind, got[2].Actor)
	}
	if got[0].At.Nanosecond()%1000 != 0 || got[0].At.Location() != time.UTC {
		t.Errorf("At = %v, want UTC microseconds", got[0].At)
	}
}

func testAuditConcurrent(t *testing.T, newLog newAuditLog) {
	log, tx, _ := newLog(t)
	tenant := ballast.NewID()
	ctx := userCtx(tenant, "writer")
	const workers, each = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, workers+2)
	stop := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := tx.InTx(ctx, func(ctx context.Context) error {
					_, err := log.Append(ctx, audit.Record{Action: "test.append", TargetType: "worker", TargetID: fmt.Sprintf("%d-%d", w, i)})
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	// Two sequencers running all along, as the background loops of two
	// host instances would.
	var seqWG sync.WaitGroup
	for range 2 {
		seqWG.Add(1)
		go func() {
			defer seqWG.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := log.SequenceAll(context.Background()); err != nil {
					errs <- fmt.Errorf("SequenceAll: %w", err)
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	wg.Wait()
	close(stop)
	seqWG.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkChain(t, log, tenant, all(t, log, tenant), workers*each)
}

func testAuditTenantIsolation(t *testing.T, newLog newAuditLog) {
	log, _, store := newLog(t)
	a, b := ballast.NewID(), ballast.NewID()
	target := ballast.NewID()
	for range 3 {
		if _, err := log.Append(userCtx(a, "ua"), audit.Record{Action: "hr.employee.update", TargetType: "employee", TargetID: target}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := log.Append(userCtx(b, "ub"), audit.Record{Action: "hr.employee.update", TargetType: "employee", TargetID: target}); err != nil {
		t.Fatal(err)
	}
	// Before sequencing: B's pending entries are B's only.
	pending, err := store.Pending(context.Background(), b, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range pending {
		if e.Tenant != b {
			t.Errorf("Pending(B) returned an entry of %s", e.Tenant)
		}
	}
	gotB, err := log.Query(systemCtx(b), b, audit.Filter{TargetType: "employee", TargetID: target})
	if err != nil {
		t.Fatal(err)
	}
	if len(gotB) != 1 || gotB[0].Tenant != b || gotB[0].Actor != "ub" {
		t.Fatalf("Query(B) = %+v, want B's one entry", gotB)
	}
	checkChain(t, log, b, gotB, 1)
	checkChain(t, log, a, all(t, log, a), 3)
	if _, err := log.Query(systemCtx(b), a, audit.Filter{}); !errors.Is(err, ballast.ErrForbidden) {
		t.Errorf("Query of A's log by B's principal: err = %v, want ErrForbidden", err)
	}
	if _, err := log.Verify(systemCtx(b), a); !errors.Is(err, ballast.ErrForbidden) {
		t.Errorf("Verify of A's log by B's principal: err = %v, want ErrForbidden", err)
	}
	rows, err := store.Entries(context.Background(), b, audit.EntriesParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Tenant != b {
		t.Errorf("Entries(B) = %+v", rows)
	}
	hb, err := store.Head(context.Background(), b)
	if err != nil || hb.Seq != 1 {
		t.Errorf("Head(B) = %+v, %v; want seq 1", hb, err)
	}
}

func testAuditRollback(t *testing.T, newLog newAuditLog) {
	log, tx, store := newLog(t)
	tenant := ballast.NewID()
	ctx := userCtx(tenant, "u")
	boom := errors.New("boom")
	rec := audit.Record{Action: "hr.employee.update", TargetType: "employee"}
	err := tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := log.Append(ctx, rec); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	// A nested use case that fails rolls back its own entry only.
	err = tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := log.Append(ctx, audit.Record{Action: "kept", TargetType: "employee"}); err != nil {
			return err
		}
		if err := tx.InTx(ctx, func(ctx context.Context) error {
			if _, err := log.Append(ctx, rec); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			return fmt.Errorf("nested InTx = %v, want boom", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tenants, err := store.PendingTenants(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := log.SequenceAll(context.Background()); err != nil || n > 1 {
		t.Fatalf("SequenceAll = %d, %v (pending tenants %v); want at most the kept entry", n, err, tenants)
	}
	got := all(t, log, tenant)
	checkChain(t, log, tenant, got, 1)
	if got[0].Action != "kept" {
		t.Errorf("surviving entry = %s, want kept", got[0].Action)
	}
}

func testAuditQuery(t *testing.T, newLog newAuditLog) {
	log, _, _ := newLog(t)
	tenant := ballast.NewID()
	emp1, emp2 := ballast.NewID(), ballast.NewID()
	recs := []struct {
		actor string
		rec   audit.Record
	}{
		{"hr-1", audit.Record{Action: "hr.employee.create", TargetType: "employee", TargetID: emp1}},
		{"hr-1", audit.Record{Action: "hr.employee.update", TargetType: "employee", TargetID: emp1}},
		{"hr-2", audit.Record{Action: "hr.employee.update", TargetType: "employee", TargetID: emp2}},
		{"admin", audit.Record{Action: "access.role.grant", TargetType: "subject", TargetID: "hr-2"}},
		{"hr-2", audit.Record{Action: "hr.employeeX.odd", TargetType: "employee", TargetID: emp2}},
	}
	var at []time.Time
	for _, r := range recs {
		e, err := log.Append(userCtx(tenant, r.actor), r.rec)
		if err != nil {
			t.Fatal(err)
		}
		at = append(at, e.At)
	}
	tests := []struct {
		name    string
		f       audit.Filter
		wantSeq []int64
	}{
		{"everything newest first", audit.Filter{}, []int64{5, 4, 3, 2, 1}},
		{"one target", audit.Filter{TargetType: "employee", TargetID: emp1}, []int64{2, 1}},
		{"one target type", audit.Filter{TargetType: "subject"}, []int64{4}},
		{"actor", audit.Filter{Actor: "hr-2"}, []int64{5, 3}},
		{"exact action", audit.Filter{Action: "hr.employee.update"}, []int64{3, 2}},
		{"action prefix", audit.Filter{Action: "hr.employee."}, []int64{3, 2, 1}},
		{"since is inclusive", audit.Filter{Since: at[3]}, []int64{5, 4}},
		{"until is exclusive", audit.Filter{Until: at[1]}, []int64{1}},
		{"time range", audit.Filter{Since: at[1], Until: at[3]}, []int64{3, 2}},
		{"limit", audit.Filter{Limit: 2}, []int64{5, 4}},
		{"cursor", audit.Filter{Before: 4, Limit: 2}, []int64{3, 2}},
		{"cursor past the end", audit.Filter{Before: 1}, nil},
		{"no match", audit.Filter{Actor: "nobody"}, nil},
	}
	for _, tt := range tests {
		got, err := log.Query(systemCtx(tenant), tenant, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var seqs []int64
		for _, e := range got {
			seqs = append(seqs, e.Seq)
		}
		if diff := cmp.Diff(tt.wantSeq, seqs); diff != "" {
			t.Errorf("%s: seqs (-want +got):\n%s", tt.name, diff)
		}
	}
}

func testAuditStoreConflicts(t *testing.T, open func(t *testing.T) (ballast.Transactor, audit.Store)) {
	tx, store := open(t)
	ctx := context.Background()
	tenant := ballast.NewID()
	e := audit.Entry{ID: ballast.NewID(), Tenant: tenant, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
		Actor: "u", ActorKind: "user", Action: "a", TargetType: "t"}
	if err := store.Insert(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := store.Insert(ctx, e); !errors.Is(err, ballast.ErrConflict) {
		t.Errorf("second Insert of one ID = %v, want ErrConflict", err)
	}
	linked := e
	linked.Seq, linked.Hash = 1, audit.HashEntry(audit.Entry{})
	err := tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := store.LockHead(ctx, tenant); err != nil {
			return err
		}
		return store.Link(ctx, tenant, []audit.Entry{linked})
	})
	if err != nil {
		t.Fatalf("Link: %v", err)
	}
	err = tx.InTx(ctx, func(ctx context.Context) error { return store.Link(ctx, tenant, []audit.Entry{linked}) })
	if !errors.Is(err, ballast.ErrConflict) {
		t.Errorf("Link of a linked entry = %v, want ErrConflict", err)
	}
	// The unique (tenant, seq) index: a second entry cannot take seq 1.
	other := e
	other.ID, other.Seq, other.Hash = ballast.NewID(), 1, "x"
	if err := store.Insert(ctx, other); !errors.Is(err, ballast.ErrConflict) {
		t.Errorf("Insert at a taken seq = %v, want ErrConflict", err)
	}
	// The same seq in another tenant is fine.
	other.Tenant = ballast.NewID()
	if err := store.Insert(ctx, other); err != nil {
		t.Errorf("Insert at seq 1 of another tenant: %v", err)
	}
}
