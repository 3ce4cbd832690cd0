// Package dbtest opens fresh, migrated ballast databases for tests: an
// in-memory SQLite database always, and a PostgreSQL schema of its own when
// BALLAST_TEST_POSTGRES names a server. Every test gets an empty database,
// so tests can run in parallel.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/ballast-hr/ballast/storage"
)

// EnvPostgres names the environment variable holding a PostgreSQL DSN. When
// set, every suite also runs on PostgreSQL, each test in a fresh schema.
const EnvPostgres = "BALLAST_TEST_POSTGRES"

// Backends lists the backends the tests run on: "sqlite", and "postgres"
// when EnvPostgres is set.
func Backends() []string {
	if os.Getenv(EnvPostgres) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest once per backend with a fresh, migrated DB.
func Each(t *testing.T, fn func(t *testing.T, db *storage.DB)) {
	t.Helper()
	for _, b := range Backends() {
		t.Run(b, func(t *testing.T) {
			fn(t, Open(t, b))
		})
	}
}

// Open returns a fresh, migrated, empty database on backend ("sqlite" or
// "postgres"), closed (and, on PostgreSQL, its schema dropped) when tb ends.
func Open(tb testing.TB, backend string) *storage.DB {
	tb.Helper()
	db, err := open(tb, backend)
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", backend, err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("dbtest: migrate %s: %v", backend, err)
	}
	return db
}

// OpenUnmigrated is Open without Migrate, for tests of migrations.
func OpenUnmigrated(tb testing.TB, backend string) *storage.DB {
	tb.Helper()
	db, err := open(tb, backend)
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", backend, err)
	}
	return db
}

func open(tb testing.TB, backend string) (*storage.DB, error) {
	ctx := context.Background()
	switch backend {
	case "sqlite":
		db, err := storage.Open(ctx, "sqlite::memory:")
		if err != nil {
			return nil, err
		}
		tb.Cleanup(func() { _ = db.Close() })
		return db, nil
	case "postgres":
		base := os.Getenv(EnvPostgres)
		if base == "" {
			tb.Skip("dbtest: " + EnvPostgres + " not set")
		}
		admin, err := adminDB(base)
		if err != nil {
			return nil, err
		}
		schema := "bt_" + randomHex(8)
		if _, err := admin.Bun().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			return nil, fmt.Errorf("create schema: %w", err)
		}
		dsn, err := withSearchPath(base, schema)
		if err != nil {
			return nil, err
		}
		db, err := storage.Open(ctx, dsn, storage.Options{MaxOpenConns: 4})
		if err != nil {
			return nil, err
		}
		tb.Cleanup(func() {
			_ = db.Close()
			_, _ = admin.Bun().ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		})
		return db, nil
	default:
		return nil, fmt.Errorf("unknown backend %q", backend)
	}
}

var (
	adminOnce sync.Once
	admin     *storage.DB
	adminErr  error
)

func adminDB(dsn string) (*storage.DB, error) {
	adminOnce.Do(func() {
		admin, adminErr = storage.Open(context.Background(), dsn, storage.Options{MaxOpenConns: 2})
	})
	return admin, adminErr
}

func withSearchPath(dsn, schema string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
