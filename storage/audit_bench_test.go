package storage_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// benchDB opens a fresh, migrated database for a benchmark: PostgreSQL
// (skipped unless BALLAST_TEST_POSTGRES is set) or a SQLite file in a
// temporary directory (a file, not memory, so that commits do real I/O).
func benchDB(b *testing.B, backend string) *storage.DB {
	b.Helper()
	if backend == "postgres" {
		return dbtest.Open(b, "postgres")
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkAuditAppend measures appends to ONE tenant's chain, each in its
// own transaction, from parallel writers. With LinkLater a sequencer runs
// alongside, as the host's background loop would, and the timing includes
// linking whatever is still pending at the end. "work=2" runs two more
// statements after the append in the same transaction, as a real use case
// does: with LinkOnAppend the chain lock is held through them.
func BenchmarkAuditAppend(b *testing.B) {
	for _, backend := range []string{"postgres", "sqlite"} {
		for _, mode := range []struct {
			name    string
			linking audit.Linking
		}{{"LinkOnAppend", audit.LinkOnAppend}, {"LinkLater", audit.LinkLater}} {
			for _, work := range []int{0, 2} {
				b.Run(fmt.Sprintf("%s/%s/work=%d", backend, mode.name, work), func(b *testing.B) {
					benchAppend(b, backend, mode.linking, work)
				})
			}
		}
	}
}

func benchAppend(b *testing.B, backend string, linking audit.Linking, work int) {
	db := benchDB(b, backend)
	log, err := audit.New(audit.Config{Store: db.Audit(), Linking: linking})
	if err != nil {
		b.Fatal(err)
	}
	tenant := ballast.NewID()
	ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: "bench", Kind: ballast.KindSystem})
	rec := audit.Record{Action: "hr.employee.update", TargetType: "employee", TargetID: ballast.NewID(), Reason: "benchmark",
		Changes: []audit.Change{{Path: "Level", Before: "3", After: "4"}, {Path: "Title", Before: "Sales rep", After: "Senior sales rep"}}}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	if linking == audit.LinkLater {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := log.SequenceAll(context.Background()); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	b.SetParallelism(4) // 8 writers on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			err := db.InTx(ctx, func(ctx context.Context) error {
				if _, err := log.Append(ctx, rec); err != nil {
					return err
				}
				for range work {
					var one int
					if err := db.Conn(ctx).NewRaw("SELECT 1").Scan(ctx, &one); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	close(stop)
	wg.Wait()
	if _, err := log.Sequence(ctx, tenant); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "entries/s")
	rep, err := log.Verify(ctx, tenant)
	if err != nil || rep.Entries != int64(b.N) {
		b.Fatalf("Verify = %+v, %v; want %d entries", rep, err, b.N)
	}
}

// BenchmarkAuditVerify measures Verify over a chain of 100,000 entries,
// built in setup (not timed) by bulk inserts of correctly linked rows.
func BenchmarkAuditVerify(b *testing.B) {
	const n = 100_000
	for _, backend := range []string{"postgres", "sqlite"} {
		b.Run(backend, func(b *testing.B) {
			db := benchDB(b, backend)
			tenant := ballast.NewID()
			bulkChain(b, db, tenant, n)
			log, err := audit.New(audit.Config{Store: db.Audit()})
			if err != nil {
				b.Fatal(err)
			}
			ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tenant, Subject: "bench", Kind: ballast.KindSystem})
			b.ResetTimer()
			for b.Loop() {
				rep, err := log.Verify(ctx, tenant)
				if err != nil || rep.Entries != n {
					b.Fatalf("Verify = %+v, %v", rep, err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// bulkChain writes n linked entries of tenant with multi-row INSERTs, and
// their head.
func bulkChain(b *testing.B, db *storage.DB, tenant string, n int) {
	b.Helper()
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := audit.Head{}
	const batch = 1000
	err := db.InTx(ctx, func(ctx context.Context) error {
		for start := 0; start < n; start += batch {
			var sql strings.Builder
			sql.WriteString("INSERT INTO ballast_audit_entries (tenant_id, id, seq, at, actor, actor_kind, action, target_type, target_id, reason, changes, prev_hash, hash) VALUES ")
			args := make([]any, 0, 13*batch)
			for i := start; i < min(start+batch, n); i++ {
				e := audit.Entry{
					ID: ballast.NewID(), Tenant: tenant, Seq: prev.Seq + 1, At: at.Add(time.Duration(i) * time.Millisecond),
					Actor: "hr-1", ActorKind: "user", Action: "hr.employee.update", TargetType: "employee", TargetID: fmt.Sprint(i % 500),
					Reason: "review", Changes: []audit.Change{{Path: "Level", Before: "3", After: "4"}}, PrevHash: prev.Hash,
				}
				e.Hash = audit.HashEntry(e)
				if i > start {
					sql.WriteString(", ")
				}
				sql.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, e.Tenant, e.ID, e.Seq, e.At, e.Actor, e.ActorKind, e.Action, e.TargetType, e.TargetID, e.Reason,
					`[{"path":"Level","before":"3","after":"4"}]`, e.PrevHash, e.Hash)
				prev = audit.Head{Seq: e.Seq, Hash: e.Hash}
			}
			if _, err := db.Conn(ctx).NewRaw(sql.String(), args...).Exec(ctx); err != nil {
				return err
			}
		}
		_, err := db.Conn(ctx).NewRaw("INSERT INTO ballast_audit_heads (tenant_id, seq, hash) VALUES (?, ?, ?)", tenant, prev.Seq, prev.Hash).Exec(ctx)
		return err
	})
	if err != nil {
		b.Fatalf("bulk chain: %v", err)
	}
}
