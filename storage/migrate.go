package storage

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFiles embed.FS

// The tables bun's migrator keeps its bookkeeping in. They are ballast's own
// so that a host's migrations in the same database never collide with ours.
const (
	MigrationsTable      = "ballast_migrations"
	MigrationsLocksTable = "ballast_migration_locks"
)

// MigrationsFS returns the embedded migration files for d, for a host that
// applies migrations with its own tool. Files are named
// NNNN_name.tx.up.sql; every version exists for both dialects.
func MigrationsFS(d Dialect) (fs.FS, error) {
	switch d {
	case Postgres, SQLite:
		return fs.Sub(migrationFiles, "migrations/"+string(d))
	default:
		return nil, fmt.Errorf("storage: migrations for %q: unknown dialect", d)
	}
}

// Migrate applies every embedded migration the database does not have yet,
// each in its own transaction. It is idempotent and safe to run from several
// instances at once (bun's migration lock). Nothing applies migrations
// implicitly: the host (or the server's "migrate" command) calls this.
func (db *DB) Migrate(ctx context.Context) error {
	m, err := db.migrator()
	if err != nil {
		return err
	}
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("storage: migrate init: %w", err)
	}
	unlock, err := db.migrationLock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	return nil
}

// migrationLock keeps two instances from migrating at once. On PostgreSQL
// it is a session-level advisory lock on a dedicated connection, so a
// process that dies mid-way releases it with its connection (bun's lock
// row would stay behind and block every later Migrate). SQLite needs none:
// its single connection and immediate transactions already serialise.
func (db *DB) migrationLock(ctx context.Context) (func(), error) {
	if db.dialect != Postgres {
		return func() {}, nil
	}
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage: migrate lock: %w", err)
	}
	const key = 0x62616c6c617374 // "ballast"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", key); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("storage: migrate lock: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", key)
		_ = conn.Close()
	}, nil
}

// PendingMigrations lists the versions Migrate would apply.
func (db *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	m, err := db.migrator()
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("storage: migrate init: %w", err)
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage: migration status: %w", err)
	}
	var out []string
	for _, mg := range ms.Unapplied() {
		out = append(out, mg.Name+"_"+mg.Comment)
	}
	return out, nil
}

func (db *DB) migrator() (*migrate.Migrator, error) {
	fsys, err := MigrationsFS(db.dialect)
	if err != nil {
		return nil, err
	}
	ms := migrate.NewMigrations()
	if err := ms.Discover(fsys); err != nil {
		return nil, fmt.Errorf("storage: discover migrations: %w", err)
	}
	return migrate.NewMigrator(db.bun, ms,
		migrate.WithTableName(MigrationsTable),
		migrate.WithLocksTableName(MigrationsLocksTable),
		migrate.WithMarkAppliedOnSuccess(true),
	), nil
}
