package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver

	"github.com/ballast-hr/ballast"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is an open ballast database. It implements ballast.Transactor and hands
// out the stores of every domain package. It is safe for concurrent use.
type DB struct {
	bun     *bun.DB
	dialect Dialect
}

// Options tunes Open. The zero value is sensible.
type Options struct {
	// MaxOpenConns caps PostgreSQL connections (default 20). SQLite always
	// uses exactly one connection: SQLite allows one writer at a time, and a
	// single connection makes ":memory:" databases and immediate
	// transactions behave predictably.
	MaxOpenConns int
	// BusyTimeout is how long SQLite waits for a lock (default 5s).
	BusyTimeout time.Duration
}

// Open connects to the database named by dsn:
//
//	postgres://user@host:5432/db?sslmode=disable   PostgreSQL through pgx
//	sqlite:/path/to/ballast.db                     a SQLite file (created if absent)
//	sqlite::memory:                                a private in-memory SQLite database
//
// SQLite runs with foreign keys on, WAL journal, a busy timeout and
// immediate transactions. Open pings the database but does not migrate it;
// call Migrate.
func Open(ctx context.Context, dsn string, opts ...Options) (*DB, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.MaxOpenConns <= 0 {
		o.MaxOpenConns = 20
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqldb, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("storage: open postgres: %w", err)
		}
		sqldb.SetMaxOpenConns(o.MaxOpenConns)
		sqldb.SetMaxIdleConns(o.MaxOpenConns)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		sqldb.SetConnMaxLifetime(time.Hour)
		return finishOpen(ctx, bun.NewDB(sqldb, pgdialect.New()), Postgres)
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("storage: open: %w", ballast.Invalid("dsn", "sqlite: needs a path or :memory:"))
		}
		sqldb, err := sql.Open("sqlite", sqliteDSN(path, o.BusyTimeout))
		if err != nil {
			return nil, fmt.Errorf("storage: open sqlite: %w", err)
		}
		sqldb.SetMaxOpenConns(1)
		sqldb.SetMaxIdleConns(1)
		sqldb.SetConnMaxLifetime(0)
		sqldb.SetConnMaxIdleTime(0)
		return finishOpen(ctx, bun.NewDB(sqldb, sqlitedialect.New()), SQLite)
	default:
		return nil, fmt.Errorf("storage: open: %w", ballast.Invalid("dsn", `must start with "postgres://" or "sqlite:"`))
	}
}

func sqliteDSN(path string, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	if path != ":memory:" {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	q.Set("_txlock", "immediate")
	if path == ":memory:" {
		return "file::memory:?" + q.Encode()
	}
	return "file:" + path + "?" + q.Encode()
}

func finishOpen(ctx context.Context, db *bun.DB, d Dialect) (*DB, error) {
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("storage: connect %s: %w", d, err)
	}
	return &DB{bun: db, dialect: d}, nil
}

// Close closes the database's connections.
func (db *DB) Close() error { return db.bun.Close() }

// Dialect reports which engine the DB runs on.
func (db *DB) Dialect() Dialect { return db.dialect }

// Bun returns the underlying *bun.DB, for a host that wants to run its own
// queries beside ballast's (in the same transaction, through Conn).
func (db *DB) Bun() *bun.DB { return db.bun }
