package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

func TestStart_DeliversSoonAfterCommitAndStops(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		got := make(chan notify.Message, 10)
		f := newFixture(t, db, notify.Config{
			Notifier:     notify.Func(func(_ context.Context, m notify.Message) error { got <- m; return nil }),
			PollInterval: time.Hour, // only a wake can deliver within the test
		})
		ctx := context.Background()
		if err := f.outbox.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.outbox.Start(ctx); !errors.Is(err, ballast.ErrConflict) {
			t.Errorf("second Start = %v, want ErrConflict", err)
		}
		// Let the first (empty) round pass, so only the after-commit wake
		// can explain a delivery.
		time.Sleep(50 * time.Millisecond)
		f.enqueueCommitted(t, message("k"))
		select {
		case m := <-got:
			if m.IdempotencyKey != "k" {
				t.Errorf("delivered %+v", m)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("message not delivered after commit")
		}
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := f.outbox.Stop(stopCtx); err != nil {
			t.Fatalf("Stop = %v", err)
		}
		if err := f.outbox.Stop(stopCtx); err == nil {
			t.Error("second Stop succeeded")
		}
		// Stopped: a committed message waits for the next Start.
		f.enqueueCommitted(t, message("later"))
		select {
		case m := <-got:
			t.Errorf("delivered %q while stopped", m.IdempotencyKey)
		case <-time.After(100 * time.Millisecond):
		}
		if err := f.outbox.Start(ctx); err != nil {
			t.Fatalf("restart: %v", err)
		}
		defer func() { _ = f.outbox.Stop(stopCtx) }()
		select {
		case m := <-got:
			if m.IdempotencyKey != "later" {
				t.Errorf("delivered %+v", m)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("message not delivered after restart")
		}
	})
}

func TestStart_EndsWhenContextIsDone(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	f := newFixture(t, db, notify.Config{PollInterval: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	if err := f.outbox.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Once the loop has ended, Start works again.
		err := f.outbox.Start(context.Background())
		if err == nil {
			_ = f.outbox.Stop(context.Background())
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("loop still running after its context ended: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
