package notify_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

func TestEnqueueMany_WritesNewMessagesOnceAndSkipsDuplicates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{})
		f.enqueueCommitted(t, message("k-0")) // already there before the batch
		var ms []notify.Message
		for i := range 1200 { // more than one multi-row batch
			ms = append(ms, message(fmt.Sprintf("k-%d", i)))
		}
		ms = append(ms, message("k-7")) // a duplicate inside the batch
		var n int
		err := f.db.InTx(f.ctx, func(ctx context.Context) error {
			var err error
			n, err = f.outbox.EnqueueMany(ctx, ms)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 1199 {
			t.Errorf("EnqueueMany = %d new, want 1199", n)
		}
		stored, err := db.Bun().NewSelect().TableExpr("ballast_notify_messages").
			Where("tenant_id = ?", f.tenant).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if stored != 1200 {
			t.Errorf("outbox holds %d messages, want 1200", stored)
		}
		delivered := 0
		for range 50 {
			n := f.dispatch(t, t0)
			if n == 0 {
				break
			}
			delivered += n
		}
		if delivered != 1200 {
			t.Errorf("delivered %d, want 1200", delivered)
		}
	})
}

func TestEnqueueMany_BadMessageWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, notify.Config{})
		bad := message("")
		_, err := f.outbox.EnqueueMany(f.ctx, []notify.Message{message("ok"), bad})
		var v *ballast.ValidationError
		if !errors.As(err, &v) || len(v.Fields) == 0 || v.Fields[0].Field != "messages[1].idempotency_key" {
			t.Fatalf("EnqueueMany = %v, want a validation error naming messages[1].idempotency_key", err)
		}
		if got := len(f.list(t)); got != 0 {
			t.Errorf("outbox holds %d messages after a refused batch", got)
		}
	})
}
