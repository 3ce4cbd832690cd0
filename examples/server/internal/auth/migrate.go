package auth

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun/migrate"

	"github.com/ballast-hr/ballast/storage"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFiles embed.FS

// The tables bun's migrator keeps the server's own bookkeeping in, apart
// from the library's (storage.MigrationsTable) so the two never collide.
const (
	MigrationsTable      = "ballast_server_migrations"
	MigrationsLocksTable = "ballast_server_migration_locks"
)

// Migrate applies the server's own migrations (users and tokens) that db
// does not have yet. It is idempotent. Run it after db.Migrate.
func Migrate(ctx context.Context, db *storage.DB) error {
	fsys, err := fs.Sub(migrationFiles, "migrations/"+string(db.Dialect()))
	if err != nil {
		return fmt.Errorf("auth: migrations: %w", err)
	}
	ms := migrate.NewMigrations()
	if err := ms.Discover(fsys); err != nil {
		return fmt.Errorf("auth: discover migrations: %w", err)
	}
	m := migrate.NewMigrator(db.Bun(), ms,
		migrate.WithTableName(MigrationsTable),
		migrate.WithLocksTableName(MigrationsLocksTable),
		migrate.WithMarkAppliedOnSuccess(true),
	)
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("auth: migrate init: %w", err)
	}
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("auth: migrate: %w", err)
	}
	return nil
}
