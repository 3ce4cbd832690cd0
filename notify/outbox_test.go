package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

var t0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// fakeClock is a Clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// recorder is a Notifier that remembers what it was asked to deliver and
// fails while fail returns an error.
type recorder struct {
	mu    sync.Mutex
	got   []notify.Message
	count map[string]int
	fail  func(m notify.Message, attempt int) error
	delay time.Duration
}

func (r *recorder) Notify(ctx context.Context, m notify.Message) error {
	if r.delay > 0 {
		time.Sleep(r.delay)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.count == nil {
		r.count = map[string]int{}
	}
	r.count[m.ID]++
	if r.fail != nil {
		if err := r.fail(m, r.count[m.ID]); err != nil {
			return err
		}
	}
	r.got = append(r.got, m)
	return nil
}

func (r *recorder) delivered() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Message(nil), r.got...)
}

func (r *recorder) calls(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count[id]
}

type fixture struct {
	db     *storage.DB
	clock  *fakeClock
	rec    *recorder
	outbox *notify.Outbox
	tenant string
	ctx    context.Context // carries a user principal of tenant
}

func newFixture(t *testing.T, db *storage.DB, cfg notify.Config) *fixture {
	t.Helper()
	f := &fixture{db: db, clock: &fakeClock{t: t0}, rec: &recorder{}, tenant: ballast.NewID()}
	cfg.Store = db.Notify()
	cfg.Clock = f.clock
	if cfg.Notifier == nil {
		cfg.Notifier = f.rec
	}
	o, err := notify.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.outbox = o
	f.ctx = ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: f.tenant, Subject: ballast.NewID(), Kind: ballast.KindUser})
	return f
}

func message(key string) notify.Message {
	return notify.Message{
		Recipients:     []string{"employee-42", "hr@example.com"},
		Channel:        "email",
		Subject:        "Handover due",
		Body:           "Hand over **3 customers** by Friday.",
		Kind:           "offboarding.reminder",
		Data:           map[string]string{"case": "c-1"},
		IdempotencyKey: key,
	}
}

func (f *fixture) enqueueCommitted(t *testing.T, msgs ...notify.Message) {
	t.Helper()
	err := f.db.InTx(f.ctx, func(ctx context.Context) error {
		for _, m := range msgs {
			if err := f.outbox.Enqueue(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) list(t *testing.T) []notify.Record {
	t.Helper()
	recs, err := f.outbox.List(context.Background(), f.tenant, notify.Filter{Limit: notify.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func (f *fixture) dispatch(t *testing.T, now time.Time) int {
	t.Helper()
	f.clock.Set(now)
	n, err := f.outbox.DispatchOnce(context.Background(), now)
	if err != nil {
		t.Fatalf("DispatchOnce(%v): %v", now, err)
	}
	return n
}

func TestEnqueue_RolledBackIsNeverDelivered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{})
		boom := errors.New("boom")
		err := db.InTx(f.ctx, func(ctx context.Context) error {
			if err := f.outbox.Enqueue(ctx, message("k")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		if n := f.dispatch(t, t0.Add(time.Hour)); n != 0 {
			t.Errorf("DispatchOnce delivered %d, want 0", n)
		}
		if got := f.rec.delivered(); len(got) != 0 {
			t.Errorf("notifier got %d messages from a rolled-back use case", len(got))
		}
		if got := f.list(t); len(got) != 0 {
			t.Errorf("outbox holds %d messages after rollback", len(got))
		}
	})
}

func TestEnqueue_CommittedIsDeliveredWithItsKeyAfterCommit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{})
		f.enqueueCommitted(t, message("offboarding.reminder/c-1/2026-11-27"))
		if n := f.dispatch(t, t0); n != 1 {
			t.Fatalf("DispatchOnce delivered %d, want 1", n)
		}
		recs := f.list(t)
		if len(recs) != 1 {
			t.Fatalf("outbox holds %d messages, want 1", len(recs))
		}
		want := message("offboarding.reminder/c-1/2026-11-27")
		want.ID, want.Tenant, want.CreatedAt = recs[0].ID, f.tenant, t0
		if !ballast.ValidID(want.ID) {
			t.Errorf("Enqueue gave id %q", want.ID)
		}
		if diff := cmp.Diff([]notify.Message{want}, f.rec.delivered()); diff != "" {
			t.Errorf("notifier got (-want +got):\n%s", diff)
		}
		if recs[0].Status != notify.StatusDelivered || !recs[0].DeliveredAt.Equal(t0) || recs[0].Attempts != 1 {
			t.Errorf("record after delivery: %+v", recs[0])
		}
		if n := f.dispatch(t, t0.Add(24*time.Hour)); n != 0 {
			t.Errorf("second DispatchOnce delivered %d, want 0", n)
		}
	})
}

func TestDispatchOnce_ConcurrentDispatchersDeliverEachMessageOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		rec := &recorder{delay: time.Millisecond}
		cfg := notify.Config{Notifier: rec, BatchSize: 7}
		f := newFixture(t, db, cfg)
		// A second instance of the dispatcher on the same database.
		cfg.Store, cfg.Clock = db.Notify(), f.clock
		other, err := notify.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		const n = 60
		var msgs []notify.Message
		for i := range n {
			msgs = append(msgs, message(fmt.Sprintf("k%d", i)))
		}
		f.enqueueCommitted(t, msgs...)
		// A second tenant, enqueued by the system.
		tenant2 := ballast.NewID()
		sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant2, Subject: "reconcile", Kind: ballast.KindSystem})
		if err := db.InTx(sys, func(ctx context.Context) error {
			for i := range n {
				if err := f.outbox.Enqueue(ctx, message(fmt.Sprintf("k%d", i))); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}

		var wg sync.WaitGroup
		totals := make([]int, 4)
		errs := make([]error, 4)
		for i, o := range []*notify.Outbox{f.outbox, other, f.outbox, other} {
			wg.Go(func() {
				for {
					d, err := o.DispatchOnce(context.Background(), t0)
					totals[i] += d
					if err != nil {
						errs[i] = err
						return
					}
					if d == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if sum := totals[0] + totals[1] + totals[2] + totals[3]; sum != 2*n {
			t.Errorf("dispatchers report %v = %d delivered, want %d", totals, sum, 2*n)
		}
		got := rec.delivered()
		if len(got) != 2*n {
			t.Errorf("notifier got %d messages, want %d", len(got), 2*n)
		}
		for _, m := range got {
			if c := rec.calls(m.ID); c != 1 {
				t.Errorf("message %s (%s) delivered %d times", m.ID, m.IdempotencyKey, c)
			}
		}
	})
}

func TestEnqueue_DuplicateIdempotencyKeyIsOneMessage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{})
		first := message("same")
		second := message("same")
		second.Subject = "changed my mind"
		f.enqueueCommitted(t, first, second) // twice in one transaction
		f.enqueueCommitted(t, second)        // and again in another
		recs := f.list(t)
		if len(recs) != 1 || recs[0].Subject != first.Subject {
			t.Fatalf("outbox holds %+v, want the first message only", recs)
		}
		if n := f.dispatch(t, t0); n != 1 {
			t.Errorf("DispatchOnce delivered %d, want 1", n)
		}
		f.enqueueCommitted(t, second) // after delivery, still a no-op
		if n := f.dispatch(t, t0.Add(time.Hour)); n != 0 || len(f.list(t)) != 1 {
			t.Errorf("re-enqueue after delivery: delivered %d, %d messages", n, len(f.list(t)))
		}
	})
}

func TestDispatchOnce_RetriesWithBackoffThenMarksDead(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		rec := &recorder{fail: func(notify.Message, int) error { return errors.New("503 service unavailable") }}
		f := newFixture(t, db, notify.Config{
			Notifier:    rec,
			MaxAttempts: 3,
			Backoff:     func(attempt int) time.Duration { return time.Duration(attempt) * time.Minute },
		})
		f.enqueueCommitted(t, message("k"))
		id := f.list(t)[0].ID
		steps := []struct {
			at           time.Time
			wantCalls    int
			wantStatus   notify.Status
			wantAttempts int
			wantNext     time.Time
		}{
			{t0, 1, notify.StatusPending, 1, t0.Add(time.Minute)},
			{t0.Add(30 * time.Second), 1, notify.StatusPending, 1, t0.Add(time.Minute)}, // not due yet
			{t0.Add(time.Minute), 2, notify.StatusPending, 2, t0.Add(3 * time.Minute)},  // backoff doubles: 2m
			{t0.Add(3 * time.Minute), 3, notify.StatusDead, 3, t0.Add(3 * time.Minute)}, // MaxAttempts reached
			{t0.Add(24 * time.Hour), 3, notify.StatusDead, 3, t0.Add(3 * time.Minute)},  // dead stays dead
		}
		for i, s := range steps {
			if n := f.dispatch(t, s.at); n != 0 {
				t.Errorf("step %d: delivered %d", i, n)
			}
			r := f.list(t)[0]
			got := []any{rec.calls(id), r.Status, r.Attempts, r.NextAttemptAt, r.LastError}
			want := []any{s.wantCalls, s.wantStatus, s.wantAttempts, s.wantNext, "503 service unavailable"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("step %d at +%v: (calls, status, attempts, next, error) (-want +got):\n%s", i, s.at.Sub(t0), diff)
			}
		}
	})
}

func TestDispatchOnce_RecoversAfterTransientFailure(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		rec := &recorder{fail: func(_ notify.Message, attempt int) error {
			if attempt == 1 {
				return errors.New("timeout")
			}
			return nil
		}}
		f := newFixture(t, db, notify.Config{Notifier: rec, Backoff: func(int) time.Duration { return time.Second }})
		f.enqueueCommitted(t, message("k"))
		if n := f.dispatch(t, t0); n != 0 {
			t.Fatalf("first attempt delivered %d", n)
		}
		if n := f.dispatch(t, t0.Add(time.Second)); n != 1 {
			t.Fatalf("retry delivered %d, want 1", n)
		}
		r := f.list(t)[0]
		if r.Status != notify.StatusDelivered || r.Attempts != 2 || r.LastError != "" {
			t.Errorf("record after recovery: status %s, attempts %d, last error %q", r.Status, r.Attempts, r.LastError)
		}
	})
}

func TestDispatchOnce_PermanentErrorAndPanicAreRecorded(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		rec := &recorder{fail: func(m notify.Message, _ int) error {
			switch m.IdempotencyKey {
			case "permanent":
				return notify.Permanent(errors.New("400 bad request"))
			case "panics":
				panic("adapter bug")
			}
			return nil
		}}
		f := newFixture(t, db, notify.Config{Notifier: rec, MaxAttempts: 5})
		f.enqueueCommitted(t, message("permanent"), message("panics"), message("fine"))
		if n := f.dispatch(t, t0); n != 1 {
			t.Errorf("delivered %d, want 1", n)
		}
		got := map[string][2]string{}
		for _, r := range f.list(t) {
			got[r.IdempotencyKey] = [2]string{string(r.Status), r.LastError}
		}
		want := map[string][2]string{
			"permanent": {"dead", "permanent: 400 bad request"},
			"panics":    {"pending", "notify: notifier panicked: adapter bug"},
			"fine":      {"delivered", ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(status, last error) by key (-want +got):\n%s", diff)
		}
	})
}

func TestDispatchOnce_RedeliversAfterLeaseOfCrashedDispatcher(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{Lease: time.Minute})
		f.enqueueCommitted(t, message("k"))
		// A dispatcher claims the message and dies before recording anything.
		claimed, err := db.Notify().Claim(context.Background(), f.tenant, notify.ClaimParams{
			Now: t0, Until: t0.Add(time.Minute), Token: "crashed", Limit: 10,
		})
		if err != nil || len(claimed) != 1 {
			t.Fatalf("Claim = %d, %v", len(claimed), err)
		}
		if n := f.dispatch(t, t0.Add(59*time.Second)); n != 0 {
			t.Errorf("delivered %d while the lease runs, want 0", n)
		}
		if n := f.dispatch(t, t0.Add(time.Minute)); n != 1 {
			t.Errorf("delivered %d after the lease, want 1", n)
		}
		if got := f.list(t)[0]; got.Attempts != 2 || got.Status != notify.StatusDelivered {
			t.Errorf("record: attempts %d, status %s", got.Attempts, got.Status)
		}
	})
}

func TestEnqueue_RejectsBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{})
		otherTenant := ballast.NewID()
		mod := func(fn func(m *notify.Message)) notify.Message {
			m := message("k")
			fn(&m)
			return m
		}
		tests := []struct {
			name       string
			ctx        context.Context
			msg        notify.Message
			wantErr    error
			wantFields []string
		}{
			{"no principal", context.Background(), message("k"), ballast.ErrUnauthenticated, nil},
			{"user names another tenant", f.ctx, mod(func(m *notify.Message) { m.Tenant = otherTenant }), ballast.ErrForbidden, nil},
			{"empty", f.ctx, notify.Message{}, ballast.ErrInvalid, []string{"recipients", "kind", "idempotency_key"}},
			{"bad id and recipient", f.ctx, mod(func(m *notify.Message) { m.ID = "nope"; m.Recipients = []string{"ok", ""} }), ballast.ErrInvalid, []string{"id", "recipients[1]"}},
			{"too long key", f.ctx, mod(func(m *notify.Message) { m.IdempotencyKey = strings.Repeat("k", notify.MaxIdempotencyKeyLen+1) }), ballast.ErrInvalid, []string{"idempotency_key"}},
			{"nul in body and empty data key", f.ctx, mod(func(m *notify.Message) { m.Body = "a\x00b"; m.Data = map[string]string{"": "x"} }), ballast.ErrInvalid, []string{"body", "data"}},
			{"invalid utf-8 subject", f.ctx, mod(func(m *notify.Message) { m.Subject = "\xff" }), ballast.ErrInvalid, []string{"subject"}},
		}
		for _, tt := range tests {
			err := f.outbox.Enqueue(tt.ctx, tt.msg)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s: Enqueue = %v, want %v", tt.name, err, tt.wantErr)
				continue
			}
			if tt.wantFields != nil {
				var v *ballast.ValidationError
				if !errors.As(err, &v) {
					t.Errorf("%s: %v is not a *ValidationError", tt.name, err)
					continue
				}
				var fields []string
				for _, fe := range v.Fields {
					fields = append(fields, fe.Field)
				}
				if diff := cmp.Diff(tt.wantFields, fields); diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
				}
			}
		}
		if got := f.list(t); len(got) != 0 {
			t.Errorf("bad input wrote %d messages", len(got))
		}
		for _, tenant := range []string{otherTenant} {
			if got, _ := f.outbox.List(context.Background(), tenant, notify.Filter{}); len(got) != 0 {
				t.Errorf("bad input wrote %d messages to tenant %s", len(got), tenant)
			}
		}
	})
}

func TestEnqueue_SystemPrincipalMayNameTheTenant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{})
		sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ballast.NewID(), Subject: "reconcile", Kind: ballast.KindSystem})
		m := message("k")
		m.Tenant = f.tenant
		if err := db.InTx(sys, func(ctx context.Context) error { return f.outbox.Enqueue(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		if got := f.list(t); len(got) != 1 || got[0].Tenant != f.tenant {
			t.Errorf("tenant %s holds %+v, want the message", f.tenant, got)
		}
	})
}

func TestList_RejectsBadFilter(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	f := newFixture(t, db, notify.Config{})
	for _, tt := range []struct {
		tenant string
		filter notify.Filter
	}{
		{"", notify.Filter{}},
		{f.tenant, notify.Filter{Status: "lost"}},
		{f.tenant, notify.Filter{Limit: -1}},
		{f.tenant, notify.Filter{Limit: notify.MaxListLimit + 1}},
	} {
		if _, err := f.outbox.List(context.Background(), tt.tenant, tt.filter); !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("List(%q, %+v) = %v, want ErrInvalid", tt.tenant, tt.filter, err)
		}
	}
}

func TestNew_NamesMissingConfig(t *testing.T) {
	t.Parallel()
	_, err := notify.New(notify.Config{})
	if err == nil || !strings.Contains(err.Error(), "Store") || !strings.Contains(err.Error(), "Notifier") {
		t.Errorf("New(empty) = %v, want an error naming Store and Notifier", err)
	}
	db := dbtest.Open(t, "sqlite")
	if _, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.LogNotifier{}, Lease: -time.Second}); err == nil {
		t.Error("New with a negative lease succeeded")
	}
}

func TestDefaultBackoff_GrowsWithJitterAndCaps(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		attempt int
		base    time.Duration
	}{{1, 10 * time.Second}, {2, 20 * time.Second}, {4, 80 * time.Second}, {20, time.Hour}, {1000, time.Hour}} {
		lo, hi := tt.base*8/10, tt.base*12/10
		seen := map[time.Duration]bool{}
		for range 50 {
			d := notify.DefaultBackoff(tt.attempt)
			if d < lo || d > hi {
				t.Errorf("DefaultBackoff(%d) = %v, want within [%v, %v]", tt.attempt, d, lo, hi)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("DefaultBackoff(%d) has no jitter", tt.attempt)
		}
	}
}

func TestDispatchOnce_StopsDeliveringWhenTheLeaseRunsOut(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		var f *fixture
		calls := 0
		f = newFixture(t, db, notify.Config{
			Lease: time.Minute,
			Notifier: notify.Func(func(context.Context, notify.Message) error {
				calls++
				f.clock.Set(t0.Add(time.Minute)) // the first delivery takes the whole lease
				return nil
			}),
		})
		f.enqueueCommitted(t, message("a"), message("b"), message("c"))
		if n := f.dispatch(t, t0); n != 1 || calls != 1 {
			t.Fatalf("first round delivered %d in %d calls, want 1 in 1", n, calls)
		}
		// The rest stayed leased to the first round until the lease ended.
		if n := f.dispatch(t, t0.Add(time.Minute)); n != 2 || calls != 3 {
			t.Errorf("second round delivered %d in %d calls, want 2 in 3", n, calls)
		}
	})
}
