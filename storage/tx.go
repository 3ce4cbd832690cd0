package storage

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"
)

type txKey struct{}

// WithTx returns a context that makes every ballast store join tx. A host
// that already runs its own bun transaction uses it to make ballast's writes
// part of that transaction; the host commits or rolls back.
func WithTx(ctx context.Context, tx bun.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// TxFrom returns the transaction carried by ctx, if any.
func TxFrom(ctx context.Context) (bun.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(bun.Tx)
	return tx, ok
}

// InTx runs fn in a transaction carried by the context handed to fn. If ctx
// already carries one, fn runs in a savepoint inside it. fn's error (or a
// panic) rolls everything fn wrote back; InTx returns fn's error unchanged,
// so errors.Is on it works as on fn's. It implements ballast.Transactor.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	run := func(ctx context.Context, tx bun.Tx) error {
		return fn(WithTx(ctx, tx))
	}
	if tx, ok := TxFrom(ctx); ok {
		return translateTxErr(tx.RunInTx(ctx, nil, run))
	}
	return translateTxErr(db.bun.RunInTx(ctx, &sql.TxOptions{}, run))
}

// Conn returns what a query should run on: the transaction carried by ctx,
// or the database itself. Every store method starts here.
func (db *DB) Conn(ctx context.Context) bun.IDB {
	if tx, ok := TxFrom(ctx); ok {
		return tx
	}
	return db.bun
}
