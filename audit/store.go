package audit

import (
	"context"
	"time"
)

// Store is what a Log needs from a database. storage.DB implements it
// (db.Audit()); storage/storetest.RunAudit checks another implementation.
//
// Every method joins the transaction carried by ctx, when there is one, and
// scopes every query by tenant. Entries are written once and linked once:
// no method changes an entry's content.
type Store interface {
	// Insert writes e. When e.Seq is 0 the entry is pending: it waits,
	// unlinked, for Link. Otherwise it is written as a linked entry.
	Insert(ctx context.Context, e Entry) error
	// LockHead returns the head of tenant's chain (seq 0 and "" for an empty
	// chain, creating the head row if absent) and locks it until the
	// transaction in ctx ends, so that only one linker works on a chain at a
	// time. It must be called inside a transaction.
	LockHead(ctx context.Context, tenant string) (Head, error)
	// SetHead moves tenant's head; the caller holds its lock.
	SetHead(ctx context.Context, tenant string, h Head) error
	// Head returns tenant's head without locking it.
	Head(ctx context.Context, tenant string) (Head, error)
	// Pending returns up to limit pending entries of tenant, oldest first
	// (by At, then ID): the order Link is to give them.
	Pending(ctx context.Context, tenant string, limit int) ([]Entry, error)
	// PendingTenants returns up to limit tenants that have pending entries.
	PendingTenants(ctx context.Context, limit int) ([]string, error)
	// Link sets Seq, PrevHash and Hash of pending entries (matched by tenant
	// and ID) in one statement. It fails with ballast.ErrConflict when an
	// entry is no longer pending or its Seq is taken.
	Link(ctx context.Context, tenant string, entries []Entry) error
	// Entries returns linked entries of tenant matching p.
	Entries(ctx context.Context, tenant string, p EntriesParams) ([]Entry, error)
}

// Head is the last linked entry of a tenant's chain.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// EntriesParams selects linked entries for Store.Entries. Zero fields do
// not filter.
type EntriesParams struct {
	TargetType   string
	TargetID     string
	Actor        string
	Action       string // exact
	ActionPrefix string // Action starts with it
	Since        time.Time
	Until        time.Time // exclusive
	AfterSeq     int64     // Seq > AfterSeq
	BeforeSeq    int64     // Seq < BeforeSeq (0: no bound)
	Ascending    bool      // order by Seq ascending; default newest first
	Limit        int       // at most this many; required (> 0)
}

// BatchInserter is an optional Store capability, found by type assertion:
// InsertMany writes pending entries (Seq 0) with multi-row statements, in
// the transaction carried by ctx. Log.AppendMany uses it.
type BatchInserter interface {
	InsertMany(ctx context.Context, es []Entry) error
}
