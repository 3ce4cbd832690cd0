package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestAuditStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunAudit(t, func(t *testing.T) (ballast.Transactor, audit.Store) {
				db := dbtest.Open(t, backend)
				return db, db.Audit()
			})
		})
	}
}

// TestAuditVerify_FindsTheFirstTamperedEntry tampers with stored rows in
// SQL, as someone with database access would, and checks that Verify names
// the exact position and problem.
func TestAuditVerify_FindsTheFirstTamperedEntry(t *testing.T) {
	t.Parallel()
	const n = 10
	tests := []struct {
		name        string
		tamper      func(ctx context.Context, db *storage.DB, tenant string, entries []audit.Entry) error
		wantSeq     int64
		wantProblem audit.Problem
		wantEntry   func(entries []audit.Entry) string // "" when the position is empty
	}{
		{
			name: "untouched chain verifies",
		},
		{
			name: "field updated",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, _ []audit.Entry) error {
				return exec(ctx, db, "UPDATE ballast_audit_entries SET reason = 'nothing happened' WHERE tenant_id = ? AND seq = 5", tenant)
			},
			wantSeq: 5, wantProblem: audit.ProblemAltered, wantEntry: idAt(5),
		},
		{
			name: "diff rewritten",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, _ []audit.Entry) error {
				return exec(ctx, db, `UPDATE ballast_audit_entries SET changes = '[{"path":"Level","before":"3","after":"9"}]' WHERE tenant_id = ? AND seq = 3`, tenant)
			},
			wantSeq: 3, wantProblem: audit.ProblemAltered, wantEntry: idAt(3),
		},
		{
			name: "time moved",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, es []audit.Entry) error {
				return exec(ctx, db, "UPDATE ballast_audit_entries SET at = ? WHERE tenant_id = ? AND seq = 2", es[1].At.AddDate(0, 0, -1), tenant)
			},
			wantSeq: 2, wantProblem: audit.ProblemAltered, wantEntry: idAt(2),
		},
		{
			name: "row deleted",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, _ []audit.Entry) error {
				return exec(ctx, db, "DELETE FROM ballast_audit_entries WHERE tenant_id = ? AND seq = 5", tenant)
			},
			wantSeq: 5, wantProblem: audit.ProblemMissing, wantEntry: none,
		},
		{
			name: "last row deleted",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, _ []audit.Entry) error {
				return exec(ctx, db, "DELETE FROM ballast_audit_entries WHERE tenant_id = ? AND seq = ?", tenant, n)
			},
			wantSeq: n, wantProblem: audit.ProblemMissing, wantEntry: none,
		},
		{
			name: "row moved to another tenant",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, _ []audit.Entry) error {
				return exec(ctx, db, "UPDATE ballast_audit_entries SET tenant_id = ? WHERE tenant_id = ? AND seq = 7", ballast.NewID(), tenant)
			},
			wantSeq: 7, wantProblem: audit.ProblemMissing, wantEntry: none,
		},
		{
			name: "entry forged past the head",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, es []audit.Entry) error {
				e := es[n-1]
				e.ID, e.Seq, e.PrevHash, e.Reason = forgedID, n+1, e.Hash, "forged"
				e.Hash = audit.HashEntry(e)
				return exec(ctx, db, `INSERT INTO ballast_audit_entries (tenant_id, id, seq, at, actor, actor_kind, action, target_type, target_id, reason, changes, prev_hash, hash)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tenant, e.ID, e.Seq, e.At, e.Actor, e.ActorKind, e.Action, e.TargetType, e.TargetID, e.Reason,
					`[{"path":"Level","before":"3","after":"8"}]`, e.PrevHash, e.Hash)
			},
			wantSeq: n + 1, wantProblem: audit.ProblemBeyondHead, wantEntry: func([]audit.Entry) string { return forgedID },
		},
		{
			name: "entry forged far past the head",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, es []audit.Entry) error {
				e := es[0]
				return exec(ctx, db, `INSERT INTO ballast_audit_entries (tenant_id, id, seq, at, actor, actor_kind, action, target_type, target_id, reason, changes, prev_hash, hash)
					VALUES (?, ?, 5000, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)`, tenant, forgedID, e.At, e.Actor, e.ActorKind, e.Action, e.TargetType, e.TargetID, e.Reason, e.Hash, e.Hash)
			},
			wantSeq: 5000, wantProblem: audit.ProblemBeyondHead, wantEntry: func([]audit.Entry) string { return forgedID },
		},
		{
			name: "every row deleted",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, _ []audit.Entry) error {
				return exec(ctx, db, "DELETE FROM ballast_audit_entries WHERE tenant_id = ?", tenant)
			},
			wantSeq: 1, wantProblem: audit.ProblemMissing, wantEntry: none,
		},
		{
			name: "head moved back",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, es []audit.Entry) error {
				return exec(ctx, db, "UPDATE ballast_audit_heads SET seq = 8, hash = ? WHERE tenant_id = ?", es[7].Hash, tenant)
			},
			wantSeq: 9, wantProblem: audit.ProblemBeyondHead, wantEntry: idAt(9),
		},
		{
			name: "two entries swapped",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, _ []audit.Entry) error {
				return errors.Join(
					exec(ctx, db, "UPDATE ballast_audit_entries SET seq = -1 WHERE tenant_id = ? AND seq = 5", tenant),
					exec(ctx, db, "UPDATE ballast_audit_entries SET seq = 5 WHERE tenant_id = ? AND seq = 6", tenant),
					exec(ctx, db, "UPDATE ballast_audit_entries SET seq = 6 WHERE tenant_id = ? AND seq = -1", tenant))
			},
			wantSeq: 5, wantProblem: audit.ProblemReordered, wantEntry: idAt(6),
		},
		{
			name: "entry rewritten with a fresh hash",
			tamper: func(ctx context.Context, db *storage.DB, tenant string, es []audit.Entry) error {
				e := es[3]
				e.Reason = "rewritten"
				return exec(ctx, db, "UPDATE ballast_audit_entries SET reason = ?, hash = ? WHERE tenant_id = ? AND seq = 4", e.Reason, audit.HashEntry(e), tenant)
			},
			wantSeq: 5, wantProblem: audit.ProblemReordered, wantEntry: idAt(5),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				ctx := context.Background()
				log, err := audit.New(audit.Config{Store: db.Audit()})
				if err != nil {
					t.Fatal(err)
				}
				tenant := ballast.NewID()
				sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "verifier", Kind: ballast.KindSystem})
				for i := range n {
					if _, err := log.Append(sys, audit.Record{
						Action: "hr.employee.update", TargetType: "employee", TargetID: ballast.NewID(), Reason: "review",
						Changes: []audit.Change{{Path: "Level", Before: "3", After: string(rune('4' + i%5))}},
					}); err != nil {
						t.Fatal(err)
					}
				}
				entries, err := log.Query(sys, tenant, audit.Filter{})
				if err != nil || len(entries) != n {
					t.Fatalf("Query = %d entries, %v", len(entries), err)
				}
				for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
					entries[i], entries[j] = entries[j], entries[i]
				}
				if tt.tamper != nil {
					if err := tt.tamper(ctx, db, tenant, entries); err != nil {
						t.Fatalf("tamper: %v", err)
					}
				}
				rep, err := log.Verify(sys, tenant)
				if tt.wantSeq == 0 {
					if err != nil || rep.Entries != n || rep.Head.Hash != entries[n-1].Hash {
						t.Fatalf("Verify = %+v, %v; want %d entries ending in %s", rep, err, n, entries[n-1].Hash)
					}
					return
				}
				var ce *audit.ChainError
				if !errors.Is(err, audit.ErrTampered) || !errors.As(err, &ce) {
					t.Fatalf("Verify = %+v, %v; want a *ChainError", rep, err)
				}
				want := audit.ChainError{Tenant: tenant, Seq: tt.wantSeq, EntryID: tt.wantEntry(entries), Problem: tt.wantProblem}
				if *ce != want {
					t.Errorf("Verify error = %+v, want %+v", *ce, want)
				}
			})
		})
	}
}

const forgedID = "01900000-0000-7000-8000-00000000f00d"

func idAt(seq int) func([]audit.Entry) string {
	return func(es []audit.Entry) string { return es[seq-1].ID }
}

func none([]audit.Entry) string { return "" }

func exec(ctx context.Context, db *storage.DB, query string, args ...any) error {
	_, err := db.Bun().ExecContext(ctx, query, args...)
	return err
}
