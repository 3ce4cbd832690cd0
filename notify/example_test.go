package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// Enqueue a message in a use case's transaction, then deliver it after
// commit. A message enqueued in a transaction that rolls back is never
// delivered.
func Example() {
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite::memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}

	outbox, err := notify.New(notify.Config{
		Store: db.Notify(),
		Notifier: notify.Func(func(ctx context.Context, m notify.Message) error {
			fmt.Printf("deliver %s to %v (key %s)\n", m.Subject, m.Recipients, m.IdempotencyKey)
			return nil
		}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	tenant := ballast.NewID()
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "hr-1", Kind: ballast.KindUser})
	for _, commit := range []bool{true, false} {
		err := db.InTx(ctx, func(ctx context.Context) error {
			// … the use case's own writes go here, in the same transaction …
			err := outbox.Enqueue(ctx, notify.Message{
				Recipients:     []string{"employee-42"},
				Kind:           "offboarding.reminder",
				Subject:        fmt.Sprintf("Handover due (committed: %v)", commit),
				IdempotencyKey: fmt.Sprintf("offboarding.reminder/case-7/%v", commit),
			})
			if err != nil || commit {
				return err
			}
			return fmt.Errorf("the use case failed after enqueueing")
		})
		if err != nil {
			fmt.Println("rolled back:", err)
		}
	}

	n, err := outbox.DispatchOnce(ctx, time.Now())
	fmt.Println("delivered:", n, err)
	// Output:
	// rolled back: the use case failed after enqueueing
	// deliver Handover due (committed: true) to [employee-42] (key offboarding.reminder/case-7/true)
	// delivered: 1 <nil>
}

// LogNotifier writes each message to a structured logger: the reference
// server's default notifier.
func ExampleLogNotifier() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output stable
			}
			return a
		},
	}))
	n := notify.LogNotifier{Logger: logger}
	_ = n.Notify(context.Background(), notify.Message{
		ID:             "0193a1b2-0000-7000-8000-000000000001",
		Tenant:         "acme",
		Recipients:     []string{"employee-42"},
		Kind:           "offboarding.reminder",
		Subject:        "Handover due",
		IdempotencyKey: "offboarding.reminder/case-7",
	})
	// Output:
	// level=INFO msg=notify id=0193a1b2-0000-7000-8000-000000000001 tenant=acme kind=offboarding.reminder recipients=[employee-42] idempotency_key=offboarding.reminder/case-7 subject="Handover due"
}
