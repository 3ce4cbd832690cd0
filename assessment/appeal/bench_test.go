package appeal_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
)

// BenchmarkReconcile measures one Reconcile that reminds the manager of
// 2,000 pending appeals (one message each), on each backend:
//
//	go test ./assessment/appeal/ -run '^$' -bench Reconcile -benchtime=1x
func BenchmarkReconcile(b *testing.B) {
	const n = 2000
	for _, backend := range dbtest.Backends() {
		b.Run(backend, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := newEnv(b, dbtest.Open(b, backend))
				for i := range n {
					id := fmt.Sprintf("res-%d", i)
					e.subj.targets[id] = result(e.emp.ID, e.mgr.ID, windowEnds)
					if _, err := e.svc.File(e.sys, appeal.FileParams{Kind: kindResult, SubjectID: id, Reason: "benchmark appeal"}); err != nil {
						b.Fatal(err)
					}
				}
				ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: e.tenant, Subject: "bench", Kind: ballast.KindSystem})
				b.StartTimer()
				rep, err := e.svc.Reconcile(ctx, shanghai(hr.NewDate(2026, 7, 24)))
				if err != nil {
					b.Fatal(err)
				}
				if rep.Reminders != n {
					b.Fatalf("reminders = %d, want %d", rep.Reminders, n)
				}
			}
		})
	}
}
