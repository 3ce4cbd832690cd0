package storage_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func versions(t *testing.T, d storage.Dialect) []string {
	t.Helper()
	fsys, err := storage.MigrationsFS(d)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".up.sql") {
			t.Errorf("%s/%s: migrations are forward-only .up.sql files", d, name)
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func TestMigrations_SameVersionsOnEveryDialect(t *testing.T) {
	t.Parallel()
	pg, lite := versions(t, storage.Postgres), versions(t, storage.SQLite)
	if len(pg) == 0 {
		t.Fatal("no migrations embedded")
	}
	if diff := cmp.Diff(pg, lite); diff != "" {
		t.Errorf("postgres and sqlite migrations differ (-postgres +sqlite):\n%s", diff)
	}
}

func TestMigrate_IsIdempotent(t *testing.T) {
	t.Parallel()
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.OpenUnmigrated(t, b)
			pending, err := db.PendingMigrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) == 0 {
				t.Fatal("fresh database reports nothing pending")
			}
			for i := 0; i < 2; i++ {
				if err := db.Migrate(ctx); err != nil {
					t.Fatalf("migrate #%d: %v", i+1, err)
				}
			}
			pending, err = db.PendingMigrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) != 0 {
				t.Errorf("pending after migrate: %v", pending)
			}
		})
	}
}

func TestOpen_RejectsUnknownDSN(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{"", "mysql://x", "sqlite:"} {
		_, err := storage.Open(context.Background(), dsn)
		if !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want ErrInvalid", dsn, err)
		}
	}
}

func countTenants(t *testing.T, ctx context.Context, db *storage.DB) int {
	t.Helper()
	n, err := db.Conn(ctx).NewSelect().TableExpr("ballast_tenants").Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func insertTenant(ctx context.Context, db *storage.DB, name string) error {
	_, err := db.Conn(ctx).ExecContext(ctx,
		"INSERT INTO ballast_tenants (tenant_id, name, created_at, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
		ballast.NewID(), name)
	return err
}

func TestInTx_RollsBackOnErrorAndKeepsSavepointsApart(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := insertTenant(ctx, db, "kept"); err != nil {
				return err
			}
			// A failing nested use case rolls back to its savepoint only.
			nested := db.InTx(ctx, func(ctx context.Context) error {
				if err := insertTenant(ctx, db, "dropped"); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(nested, boom) {
				t.Errorf("nested InTx = %v, want boom", nested)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := countTenants(t, ctx, db); got != 1 {
			t.Errorf("after savepoint rollback: %d tenants, want 1", got)
		}
		err = db.InTx(ctx, func(ctx context.Context) error {
			if err := insertTenant(ctx, db, "lost"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("InTx = %v, want boom", err)
		}
		if got := countTenants(t, ctx, db); got != 1 {
			t.Errorf("after rollback: %d tenants, want 1", got)
		}
	})
}

func TestWithTx_EnlistsHostTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		tx, err := db.Bun().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		hctx := storage.WithTx(ctx, tx)
		if err := db.InTx(hctx, func(ctx context.Context) error { return insertTenant(ctx, db, "host") }); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if got := countTenants(t, ctx, db); got != 0 {
			t.Errorf("host rolled back but %d tenants remain", got)
		}
	})
}

func TestAfterCommit_RunsOnlyAfterOutermostCommit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var ran []string
		err := db.InTx(ctx, func(ctx context.Context) error {
			db.AfterCommit(ctx, func() { ran = append(ran, "outer") })
			_ = db.InTx(ctx, func(ctx context.Context) error {
				db.AfterCommit(ctx, func() { ran = append(ran, "rolled-back savepoint") })
				return errors.New("boom")
			})
			if err := db.InTx(ctx, func(ctx context.Context) error {
				db.AfterCommit(ctx, func() { ran = append(ran, "released savepoint") })
				return nil
			}); err != nil {
				return err
			}
			if len(ran) != 0 {
				t.Errorf("hooks ran before commit: %v", ran)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"outer", "released savepoint"}, ran); diff != "" {
			t.Errorf("hooks (-want +got):\n%s", diff)
		}
		ran = nil
		_ = db.InTx(ctx, func(ctx context.Context) error {
			db.AfterCommit(ctx, func() { ran = append(ran, "rolled back") })
			return errors.New("boom")
		})
		if len(ran) != 0 {
			t.Errorf("hooks ran after rollback: %v", ran)
		}
	})
}

type ctxMarker struct{}

func TestInTx_NestedCallKeepsCallerContextValues(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(ctx context.Context) error {
			ctx = context.WithValue(ctx, ctxMarker{}, "added inside the outer transaction")
			return db.InTx(ctx, func(ctx context.Context) error {
				if ctx.Value(ctxMarker{}) == nil {
					t.Error("savepoint lost a context value the caller added")
				}
				if _, ok := storage.TxFrom(ctx); !ok {
					t.Error("savepoint context carries no transaction")
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
