package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ballast-hr/ballast"
)

// translate turns a driver error into a ballast error kind, wrapped with
// op. Errors that are already ballast kinds, and context errors, pass
// through wrapped. Anything else is wrapped as is: it is an infrastructure
// failure (connection lost, disk full), not a domain error.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("storage: %s: %w", op, err)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("storage: %s: %w", op, ballast.ErrNotFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return fmt.Errorf("storage: %s: %w (duplicate %s)", op, ballast.ErrConflict, pgErr.ConstraintName)
		case "23503": // foreign_key_violation
			return fmt.Errorf("storage: %s: %w (reference %s)", op, ballast.ErrConflict, pgErr.ConstraintName)
		case "23514", "23502": // check_violation, not_null_violation
			return fmt.Errorf("storage: %s: %w (%s)", op, ballast.ErrInvalid, pgErr.ConstraintName)
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return fmt.Errorf("storage: %s: %w (concurrent update, retry)", op, ballast.ErrConflict)
		}
		return fmt.Errorf("storage: %s: postgres error %s", op, pgErr.Code)
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("storage: %s: %w (duplicate)", op, ballast.ErrConflict)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("storage: %s: %w (reference)", op, ballast.ErrConflict)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("storage: %s: %w", op, ballast.ErrInvalid)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("storage: %s: %w (database busy, retry)", op, ballast.ErrConflict)
		}
		return fmt.Errorf("storage: %s: sqlite error %d", op, sqErr.Code())
	}
	return fmt.Errorf("storage: %s: %w", op, err)
}

// Translate is translate for the stores of other packages in this module's
// examples (for example the reference server's own tables): it maps a driver
// error to a ballast error kind.
func Translate(op string, err error) error { return translate(op, err) }

// translateTxErr maps a driver error from BEGIN/COMMIT (a serialization
// failure at commit, say) and leaves errors that fn returned untouched.
func translateTxErr(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	var sqErr *sqlite.Error
	if errors.As(err, &pgErr) || errors.As(err, &sqErr) {
		if errors.Is(err, ballast.ErrNotFound) || errors.Is(err, ballast.ErrConflict) || errors.Is(err, ballast.ErrInvalid) {
			return err
		}
		return translate("transaction", err)
	}
	return err
}
