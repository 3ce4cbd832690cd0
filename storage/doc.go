// Package storage is ballast's one implementation of every domain store, on
// PostgreSQL (production) and SQLite (the embedded default, pure Go through
// modernc.org/sqlite, no cgo), built on bun.
//
// Open a database, apply the embedded migrations explicitly, then hand the
// stores and the transactor to the domain services:
//
//	db, err := storage.Open(ctx, "sqlite:ballast.db") // or "postgres://…"
//	if err != nil { … }
//	defer db.Close()
//	if err := db.Migrate(ctx); err != nil { … }
//	hrSvc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, …})
//
// Every use case runs in one transaction: DB.InTx puts it on the context,
// every store method joins it, and a nested InTx is a savepoint. A host that
// already runs its own bun transaction enlists it with WithTx.
//
// Store errors are translated: no rows becomes ballast.ErrNotFound; unique
// and foreign-key violations, serialization failures and deadlocks become
// ballast.ErrConflict. Nothing above this package sees a driver error.
package storage
