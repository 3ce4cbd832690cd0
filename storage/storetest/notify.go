package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
)

// RunNotify checks a notify.Store. open must return a fresh, empty,
// migrated backend on every call, with the transactor its store joins.
func RunNotify(t *testing.T, open func(t *testing.T) (ballast.Transactor, notify.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, tx ballast.Transactor, s notify.Store)
	}{
		{"InsertThenListRoundTrips", notifyInsertRoundTrips},
		{"InsertDuplicateKeyKeepsFirst", notifyDuplicateKeyKeepsFirst},
		{"InsertRolledBackLeavesNothing", notifyInsertRolledBack},
		{"DueTenantsListsOnlyDueWork", notifyDueTenants},
		{"ClaimLeasesOldestFirstOnce", notifyClaimLeases},
		{"CompleteRecordsOutcomeUnderToken", notifyComplete},
		{"ListFiltersNewestFirst", notifyListFilters},
		{"TenantIsolation", notifyTenantIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, s := open(t)
			tc.fn(t, tx, s)
		})
	}
}

// notifyT0 is the suite's "now": microsecond precision, UTC, as stores keep it.
var notifyT0 = time.Date(2026, 11, 25, 9, 30, 0, 123456000, time.UTC)

func notifyRecord(tenant, key string, at time.Time, recipients ...string) notify.Record {
	if len(recipients) == 0 {
		recipients = []string{"subject-1"}
	}
	return notify.Record{
		Message: notify.Message{
			ID:             ballast.NewID(),
			Tenant:         tenant,
			Recipients:     recipients,
			Channel:        "email",
			Subject:        "Reminder: " + key,
			Body:           "Please hand over your customers by **Friday**. 请在周五前完成交接。",
			Kind:           "offboarding.reminder",
			Data:           map[string]string{"case": "c-1", "due": "2026-11-27"},
			IdempotencyKey: key,
			CreatedAt:      at,
		},
		Status:        notify.StatusPending,
		NextAttemptAt: at,
		UpdatedAt:     at,
	}
}

func mustInsert(t *testing.T, s notify.Store, tenant string, rec notify.Record) notify.Record {
	t.Helper()
	got, inserted, err := s.Insert(context.Background(), tenant, rec)
	if err != nil {
		t.Fatalf("Insert(%s): %v", rec.IdempotencyKey, err)
	}
	if !inserted {
		t.Fatalf("Insert(%s): not inserted", rec.IdempotencyKey)
	}
	return got
}

func mustList(t *testing.T, s notify.Store, tenant string, f notify.Filter) []notify.Record {
	t.Helper()
	got, err := s.List(context.Background(), tenant, f)
	if err != nil {
		t.Fatalf("List(%+v): %v", f, err)
	}
	return got
}

func ids(recs []notify.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func notifyInsertRoundTrips(t *testing.T, _ ballast.Transactor, s notify.Store) {
	tenant := ballast.NewID()
	rec := notifyRecord(tenant, "k1", notifyT0, "subject-1", "hr@example.com")
	got := mustInsert(t, s, tenant, rec)
	if diff := cmp.Diff(rec, got); diff != "" {
		t.Errorf("Insert returned (-want +got):\n%s", diff)
	}
	list := mustList(t, s, tenant, notify.Filter{})
	if diff := cmp.Diff([]notify.Record{rec}, list); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
}

func notifyDuplicateKeyKeepsFirst(t *testing.T, _ ballast.Transactor, s notify.Store) {
	tenant, other := ballast.NewID(), ballast.NewID()
	first := mustInsert(t, s, tenant, notifyRecord(tenant, "same", notifyT0))
	dup := notifyRecord(tenant, "same", notifyT0.Add(time.Minute))
	dup.Subject = "a different subject"
	got, inserted, err := s.Insert(context.Background(), tenant, dup)
	if err != nil || inserted {
		t.Fatalf("Insert(duplicate) = inserted %v, %v; want not inserted, nil", inserted, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Insert(duplicate) should return the first message (-want +got):\n%s", diff)
	}
	if n := len(mustList(t, s, tenant, notify.Filter{})); n != 1 {
		t.Errorf("tenant holds %d messages after a duplicate, want 1", n)
	}
	// The key is unique per tenant only.
	mustInsert(t, s, other, notifyRecord(other, "same", notifyT0))
}

func notifyInsertRolledBack(t *testing.T, tx ballast.Transactor, s notify.Store) {
	tenant := ballast.NewID()
	boom := errors.New("boom")
	err := tx.InTx(context.Background(), func(ctx context.Context) error {
		if _, _, err := s.Insert(ctx, tenant, notifyRecord(tenant, "k", notifyT0)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	if got := mustList(t, s, tenant, notify.Filter{}); len(got) != 0 {
		t.Errorf("rolled-back insert left %d messages", len(got))
	}
	due, err := s.DueTenants(context.Background(), notifyT0.Add(time.Hour), 10)
	if err != nil || len(due) != 0 {
		t.Errorf("DueTenants after rollback = %v, %v; want none", due, err)
	}
}

func notifyDueTenants(t *testing.T, _ ballast.Transactor, s notify.Store) {
	ctx := context.Background()
	a, b, c := ballast.NewID(), ballast.NewID(), ballast.NewID()
	mustInsert(t, s, a, notifyRecord(a, "a", notifyT0.Add(-time.Minute)))
	mustInsert(t, s, b, notifyRecord(b, "b", notifyT0.Add(-time.Hour)))
	mustInsert(t, s, c, notifyRecord(c, "c", notifyT0.Add(time.Hour))) // not yet due
	got, err := s.DueTenants(ctx, notifyT0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{b, a}, got); diff != "" {
		t.Errorf("DueTenants (-want +got), longest waiting first:\n%s", diff)
	}
	got, err = s.DueTenants(ctx, notifyT0, 1)
	if err != nil || len(got) != 1 || got[0] != b {
		t.Errorf("DueTenants(limit 1) = %v, %v; want [%s]", got, err, b)
	}
	// A leased tenant's messages are not due until the lease ends.
	if _, err := s.Claim(ctx, b, notify.ClaimParams{Now: notifyT0, Until: notifyT0.Add(time.Minute), Token: "t", Limit: 10}); err != nil {
		t.Fatal(err)
	}
	got, err = s.DueTenants(ctx, notifyT0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{a}, got); diff != "" {
		t.Errorf("DueTenants with b leased (-want +got):\n%s", diff)
	}
}

func notifyClaimLeases(t *testing.T, _ ballast.Transactor, s notify.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	var want []string
	for i := 0; i < 5; i++ {
		r := mustInsert(t, s, tenant, notifyRecord(tenant, fmt.Sprintf("k%d", i), notifyT0.Add(-time.Duration(5-i)*time.Minute)))
		want = append(want, r.ID)
	}
	mustInsert(t, s, tenant, notifyRecord(tenant, "future", notifyT0.Add(time.Hour)))
	until := notifyT0.Add(2 * time.Minute)
	first, err := s.Claim(ctx, tenant, notify.ClaimParams{Now: notifyT0, Until: until, Token: "one", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	sortByDue(first)
	if diff := cmp.Diff(want[:3], ids(first)); diff != "" {
		t.Errorf("first claim should take the 3 oldest due (-want +got):\n%s", diff)
	}
	for _, r := range first {
		if r.Attempts != 1 || !r.ClaimedUntil.Equal(until) || r.Status != notify.StatusPending {
			t.Errorf("claimed %s: attempts %d, claimed until %v, status %s", r.ID, r.Attempts, r.ClaimedUntil, r.Status)
		}
	}
	second, err := s.Claim(ctx, tenant, notify.ClaimParams{Now: notifyT0, Until: until, Token: "two", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	sortByDue(second)
	if diff := cmp.Diff(want[3:], ids(second)); diff != "" {
		t.Errorf("second claim should take only the unleased due rest (-want +got):\n%s", diff)
	}
	none, err := s.Claim(ctx, tenant, notify.ClaimParams{Now: notifyT0, Until: until, Token: "three", Limit: 10})
	if err != nil || len(none) != 0 {
		t.Errorf("third claim = %v, %v; want nothing", ids(none), err)
	}
	// Once the lease has run out, the messages are due again.
	again, err := s.Claim(ctx, tenant, notify.ClaimParams{Now: until, Until: until.Add(time.Minute), Token: "four", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	sortByDue(again)
	if diff := cmp.Diff(want, ids(again)); diff != "" {
		t.Errorf("claim after the lease (-want +got):\n%s", diff)
	}
	for _, r := range again {
		if r.Attempts != 2 {
			t.Errorf("reclaimed %s: attempts %d, want 2", r.ID, r.Attempts)
		}
	}
}

func sortByDue(recs []notify.Record) {
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].NextAttemptAt.Before(recs[j].NextAttemptAt) })
}

func notifyComplete(t *testing.T, _ ballast.Transactor, s notify.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	for _, k := range []string{"ok", "retry", "dead"} {
		mustInsert(t, s, tenant, notifyRecord(tenant, k, notifyT0))
	}
	claimed, err := s.Claim(ctx, tenant, notify.ClaimParams{Now: notifyT0, Until: notifyT0.Add(time.Minute), Token: "tok", Limit: 10})
	if err != nil || len(claimed) != 3 {
		t.Fatalf("Claim = %d, %v; want 3", len(claimed), err)
	}
	byKey := map[string]notify.Record{}
	for _, r := range claimed {
		byKey[r.IdempotencyKey] = r
	}
	at := notifyT0.Add(10 * time.Second)
	next := notifyT0.Add(time.Hour)
	complete := func(p notify.CompleteParams) int {
		t.Helper()
		n, err := s.Complete(ctx, tenant, p)
		if err != nil {
			t.Fatalf("Complete(%+v): %v", p, err)
		}
		return n
	}
	if n := complete(notify.CompleteParams{IDs: []string{byKey["ok"].ID}, Token: "wrong", Status: notify.StatusDelivered, At: at}); n != 0 {
		t.Errorf("Complete with a wrong token updated %d, want 0", n)
	}
	for _, p := range []notify.CompleteParams{
		{IDs: []string{byKey["ok"].ID, ballast.NewID()}, Token: "tok", Status: notify.StatusDelivered, At: at},
		{IDs: []string{byKey["retry"].ID}, Token: "tok", Status: notify.StatusPending, NextAttemptAt: next, LastError: "503", At: at},
		{IDs: []string{byKey["dead"].ID}, Token: "tok", Status: notify.StatusDead, LastError: "410 gone", At: at},
	} {
		if n := complete(p); n != 1 {
			t.Errorf("Complete(%+v) updated %d, want 1", p, n)
		}
	}
	if n := complete(notify.CompleteParams{IDs: []string{byKey["ok"].ID}, Token: "tok", Status: notify.StatusDelivered, At: at}); n != 0 {
		t.Errorf("Complete twice updated %d, want 0", n)
	}
	got := map[string]notify.Record{}
	for _, r := range mustList(t, s, tenant, notify.Filter{}) {
		got[r.IdempotencyKey] = r
	}
	want := map[string]notify.Record{}
	for k, r := range byKey {
		r.ClaimedUntil = time.Time{}
		r.UpdatedAt = at
		want[k] = r
	}
	ok := want["ok"]
	ok.Status, ok.DeliveredAt = notify.StatusDelivered, at
	want["ok"] = ok
	retry := want["retry"]
	retry.NextAttemptAt, retry.LastError = next, "503"
	want["retry"] = retry
	dead := want["dead"]
	dead.Status, dead.LastError = notify.StatusDead, "410 gone"
	want["dead"] = dead
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records after Complete (-want +got):\n%s", diff)
	}
	// Delivered and dead messages are never due again; the retry is, later.
	due, err := s.Claim(ctx, tenant, notify.ClaimParams{Now: next, Until: next.Add(time.Minute), Token: "later", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{byKey["retry"].ID}, ids(due)); diff != "" {
		t.Errorf("claim after Complete (-want +got):\n%s", diff)
	}
}

func notifyListFilters(t *testing.T, _ ballast.Transactor, s notify.Store) {
	ctx := context.Background()
	tenant := ballast.NewID()
	var all []notify.Record
	for i := 0; i < 4; i++ {
		r := notifyRecord(tenant, fmt.Sprintf("k%d", i), notifyT0.Add(time.Duration(i)*time.Minute), "subject-1")
		if i%2 == 1 {
			r.Kind = "access.revoked"
			r.Recipients = []string{"subject-2", "it@example.com"}
		}
		all = append(all, mustInsert(t, s, tenant, r))
	}
	claimed, err := s.Claim(ctx, tenant, notify.ClaimParams{Now: all[0].CreatedAt, Until: notifyT0.Add(time.Hour), Token: "t", Limit: 1})
	if err != nil || len(claimed) != 1 {
		t.Fatalf("Claim = %d, %v", len(claimed), err)
	}
	if n, err := s.Complete(ctx, tenant, notify.CompleteParams{IDs: []string{all[0].ID}, Token: "t", Status: notify.StatusDelivered, At: notifyT0}); err != nil || n != 1 {
		t.Fatalf("Complete = %d, %v", n, err)
	}
	for _, tt := range []struct {
		name   string
		filter notify.Filter
		want   []string
	}{
		{"all newest first", notify.Filter{}, []string{all[3].ID, all[2].ID, all[1].ID, all[0].ID}},
		{"limit", notify.Filter{Limit: 2}, []string{all[3].ID, all[2].ID}},
		{"status", notify.Filter{Status: notify.StatusDelivered}, []string{all[0].ID}},
		{"kind", notify.Filter{Kind: "access.revoked"}, []string{all[3].ID, all[1].ID}},
		{"recipient", notify.Filter{Recipient: "it@example.com"}, []string{all[3].ID, all[1].ID}},
		{"recipient is matched whole", notify.Filter{Recipient: "subject"}, []string{}},
		{"all filters", notify.Filter{Status: notify.StatusPending, Kind: "offboarding.reminder", Recipient: "subject-1"}, []string{all[2].ID}},
	} {
		got := ids(mustList(t, s, tenant, tt.filter))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func notifyTenantIsolation(t *testing.T, _ ballast.Transactor, s notify.Store) {
	ctx := context.Background()
	a, b := ballast.NewID(), ballast.NewID()
	recA := mustInsert(t, s, a, notifyRecord(a, "shared-key", notifyT0))
	// B using the same key is B's own message, not a duplicate of A's.
	recB, inserted, err := s.Insert(ctx, b, notifyRecord(b, "shared-key", notifyT0))
	if err != nil || !inserted || recB.ID == recA.ID {
		t.Fatalf("Insert for B with A's key = %+v, %v, %v", recB, inserted, err)
	}
	if got := ids(mustList(t, s, b, notify.Filter{})); !cmp.Equal([]string{recB.ID}, got) {
		t.Errorf("List(B) = %v, want only B's message", got)
	}
	claimed, err := s.Claim(ctx, b, notify.ClaimParams{Now: notifyT0, Until: notifyT0.Add(time.Minute), Token: "b", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(claimed); !cmp.Equal([]string{recB.ID}, got) {
		t.Errorf("Claim(B) = %v, want only B's message", got)
	}
	// B cannot complete A's message, even with a token A's claim used.
	claimedA, err := s.Claim(ctx, a, notify.ClaimParams{Now: notifyT0, Until: notifyT0.Add(time.Minute), Token: "b", Limit: 10})
	if err != nil || len(claimedA) != 1 {
		t.Fatalf("Claim(A) = %d, %v", len(claimedA), err)
	}
	n, err := s.Complete(ctx, b, notify.CompleteParams{IDs: []string{recA.ID}, Token: "b", Status: notify.StatusDead, LastError: "x", At: notifyT0})
	if err != nil || n != 0 {
		t.Errorf("Complete(B, A's message) = %d, %v; want 0, nil", n, err)
	}
	got := mustList(t, s, a, notify.Filter{})
	if len(got) != 1 || got[0].Status != notify.StatusPending {
		t.Errorf("A's message after B's attempt: %+v", got)
	}
}
