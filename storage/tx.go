package storage

import (
	"context"
	"database/sql"
	"sync"

	"github.com/uptrace/bun"
)

// txState is what a context carries for a transaction: the bun transaction
// and the functions to run once it commits.
type txState struct {
	tx     bun.Tx
	parent *txState // nil for the outermost transaction
	mu     sync.Mutex
	hooks  []func()
	hosted bool // enlisted by the host with WithTx: the host commits
}

func (s *txState) add(fn func()) {
	s.mu.Lock()
	s.hooks = append(s.hooks, fn)
	s.mu.Unlock()
}

func (s *txState) take() []func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hooks
	s.hooks = nil
	return h
}

type txKey struct{}

// WithTx returns a context that makes every ballast store join tx. A host
// that already runs its own bun transaction uses it to make ballast's writes
// part of that transaction; the host commits or rolls back, and after a
// commit calls RunAfterCommit with the same context so that in-memory state
// (the access enforcer's policy, the outbox dispatcher) catches up.
func WithTx(ctx context.Context, tx bun.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, &txState{tx: tx, hosted: true})
}

// RunAfterCommit runs the after-commit functions registered in a context
// made by WithTx. Call it once the host's transaction has committed; after a
// rollback, do not call it.
func RunAfterCommit(ctx context.Context) {
	if s, ok := ctx.Value(txKey{}).(*txState); ok && s.hosted {
		for _, fn := range s.take() {
			fn()
		}
	}
}

// TxFrom returns the transaction carried by ctx, if any.
func TxFrom(ctx context.Context) (bun.Tx, bool) {
	s, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		return bun.Tx{}, false
	}
	return s.tx, true
}

// InTx runs fn in a transaction carried by the context handed to fn. If ctx
// already carries one, fn runs in a savepoint inside it. fn's error (or a
// panic) rolls everything fn wrote back; InTx returns fn's error unchanged,
// so errors.Is on it works as on fn's. It implements ballast.Transactor.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	parent, nested := ctx.Value(txKey{}).(*txState)
	var state *txState
	// bun hands a savepoint's function the context its outer transaction
	// began with, dropping values the caller added since (the principal,
	// say); so fn always gets the caller's own ctx.
	callerCtx := ctx
	run := func(_ context.Context, tx bun.Tx) error {
		state = &txState{tx: tx, parent: parent}
		return fn(context.WithValue(callerCtx, txKey{}, state))
	}
	if nested {
		err := parent.tx.RunInTx(ctx, nil, run)
		if err == nil && state != nil {
			// The savepoint was released: its hooks now belong to the
			// enclosing transaction. On rollback they are dropped.
			for _, h := range state.take() {
				parent.add(h)
			}
		}
		return translateTxErr(err)
	}
	err := db.bun.RunInTx(ctx, &sql.TxOptions{}, run)
	if err == nil && state != nil {
		for _, h := range state.take() {
			h()
		}
	}
	return translateTxErr(err)
}

// AfterCommit registers fn to run once the transaction carried by ctx has
// committed: after the outermost InTx returns successfully. If the
// transaction (or the savepoint fn was registered in) rolls back, fn never
// runs. Without a transaction in ctx, fn runs at once. Services use it to
// update in-memory state only when the database change is durable.
func (db *DB) AfterCommit(ctx context.Context, fn func()) {
	if s, ok := ctx.Value(txKey{}).(*txState); ok {
		s.add(fn)
		return
	}
	fn()
}

// Conn returns what a query should run on: the transaction carried by ctx,
// or the database itself. Every store method starts here.
func (db *DB) Conn(ctx context.Context) bun.IDB {
	if s, ok := ctx.Value(txKey{}).(*txState); ok {
		return s.tx
	}
	return db.bun
}
