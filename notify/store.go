package notify

import (
	"context"
	"time"
)

// Store keeps the outbox. storage.DB.Notify() implements it on PostgreSQL
// and SQLite; storage/storetest.RunNotify checks any implementation.
//
// Every method takes the tenant explicitly and touches only that tenant's
// rows, except DueTenants, which is how a dispatcher serving every tenant
// finds where there is work. Every method joins the transaction carried by
// ctx, if any. Errors are ballast kinds (ErrNotFound, ErrConflict, …) or
// infrastructure failures.
type Store interface {
	// Insert writes rec (Status pending) unless the tenant already holds a
	// message with rec.IdempotencyKey. It returns the stored record (the
	// existing one on a duplicate key) and whether rec was inserted.
	Insert(ctx context.Context, tenant string, rec Record) (Record, bool, error)
	// DueTenants lists up to limit tenants that have messages due at now
	// (pending, NextAttemptAt <= now, not leased past now), those waiting
	// longest first.
	DueTenants(ctx context.Context, now time.Time, limit int) ([]string, error)
	// Claim leases up to p.Limit of the tenant's due messages to the
	// caller: it sets their ClaimedUntil to p.Until and their claim token
	// to p.Token, counts one attempt each, and returns them, oldest due
	// first. It must be atomic with respect to other Claims: two callers
	// never receive the same message while its lease runs (PostgreSQL:
	// FOR UPDATE SKIP LOCKED in one statement).
	Claim(ctx context.Context, tenant string, p ClaimParams) ([]Record, error)
	// Complete records one outcome for the messages p.IDs claimed with
	// p.Token, releases their lease, and returns how many it updated, in one
	// statement. A message it skips is no longer pending under that token:
	// its lease ran out and another dispatcher claimed it.
	Complete(ctx context.Context, tenant string, p CompleteParams) (int, error)
	// List returns the tenant's messages matching f, newest first.
	List(ctx context.Context, tenant string, f Filter) ([]Record, error)
}

// ClaimParams is what Store.Claim needs.
type ClaimParams struct {
	// Now is the time messages must be due by.
	Now time.Time
	// Until is when the lease ends; after it another dispatcher may claim
	// the message again.
	Until time.Time
	// Token identifies this claim; Complete must present it.
	Token string
	// Limit caps how many messages are claimed.
	Limit int
}

// CompleteParams is the outcome of a delivery attempt on one or more
// messages.
type CompleteParams struct {
	// IDs are the messages.
	IDs []string
	// Token is the claim token the messages were claimed with.
	Token string
	// Status is StatusDelivered, StatusDead, or StatusPending for a retry.
	Status Status
	// NextAttemptAt is when retried messages are due again.
	NextAttemptAt time.Time
	// LastError is the failure, empty on delivery.
	LastError string
	// At is when the attempt ended: DeliveredAt on delivery, UpdatedAt
	// always.
	At time.Time
}

// Filter narrows List. The zero value lists the newest messages.
type Filter struct {
	// Status, when set, keeps messages in that status.
	Status Status
	// Kind, when set, keeps messages of that kind.
	Kind string
	// Recipient, when set, keeps messages addressed to it.
	Recipient string
	// Limit caps the result: 0 means DefaultListLimit, more than
	// MaxListLimit is an error.
	Limit int
}

// Limits of List.
const (
	DefaultListLimit = 50
	MaxListLimit     = 500
)

// BatchInserter is an optional Store capability, found by type assertion:
// InsertMany writes recs (all of tenant, all pending) with multi-row
// statements, skipping those whose idempotency key the tenant already holds
// (and duplicates within recs after the first), and returns how many rows
// it inserted. Outbox.EnqueueMany uses it when present.
type BatchInserter interface {
	InsertMany(ctx context.Context, tenant string, recs []Record) (int, error)
}
