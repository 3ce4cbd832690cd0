package notify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
)

var discard = notify.Func(func(context.Context, notify.Message) error { return nil })

// BenchmarkEnqueue measures one use case transaction that enqueues one
// message.
func BenchmarkEnqueue(b *testing.B) {
	for _, backend := range dbtest.Backends() {
		b.Run(backend, func(b *testing.B) {
			db := dbtest.Open(b, backend)
			o, err := notify.New(notify.Config{Store: db.Notify(), Notifier: discard})
			if err != nil {
				b.Fatal(err)
			}
			ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ballast.NewID(), Subject: "bench", Kind: ballast.KindUser})
			i := 0
			for b.Loop() {
				i++
				err := db.InTx(ctx, func(ctx context.Context) error {
					return o.Enqueue(ctx, message(fmt.Sprintf("k%d", i)))
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDispatch1000 measures DispatchOnce draining 1,000 due messages
// (10 tenants × 100) to a notifier that accepts at once.
func BenchmarkDispatch1000(b *testing.B) {
	const tenants, perTenant = 10, 100
	for _, backend := range dbtest.Backends() {
		b.Run(backend, func(b *testing.B) {
			db := dbtest.Open(b, backend)
			o, err := notify.New(notify.Config{Store: db.Notify(), Notifier: discard})
			if err != nil {
				b.Fatal(err)
			}
			round := 0
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				round++
				for tn := range tenants {
					ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: ballast.NewID(), Subject: "bench", Kind: ballast.KindSystem})
					err := db.InTx(ctx, func(ctx context.Context) error {
						for i := range perTenant {
							if err := o.Enqueue(ctx, message(fmt.Sprintf("r%d-t%d-k%d", round, tn, i))); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				start := time.Now()
				b.StartTimer()
				total := 0
				for {
					n, err := o.DispatchOnce(context.Background(), time.Now())
					if err != nil {
						b.Fatal(err)
					}
					if n == 0 {
						break
					}
					total += n
				}
				b.StopTimer()
				elapsed += time.Since(start)
				if total != tenants*perTenant {
					b.Fatalf("delivered %d, want %d", total, tenants*perTenant)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(tenants*perTenant*b.N)/elapsed.Seconds(), "msgs/s")
		})
	}
}
