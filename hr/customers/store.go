package customers

import (
	"context"
	"time"
)

// Scope is which customers a principal may see. The service computes it
// from the principal's permissions and every Store read applies it in its
// query, so an invisible customer is never loaded. The zero Scope sees
// nothing.
type Scope struct {
	// All sees every customer of the tenant (customers:read:all, or a
	// system principal). It overrides the fields below.
	All bool `json:"all,omitempty"`
	// Owner sees the customers owned by this employee (customers:read).
	Owner string `json:"owner,omitempty"`
	// Departments sees the customers whose owner is placed in one of these
	// departments (customers:read:department: the departments the subject
	// heads and every department below them).
	Departments []string `json:"departments,omitempty"`
	// NoKeyAccounts hides key accounts (tier "key") wherever the rest of
	// the scope reaches, All included: the principal lacks
	// customers:read:key.
	NoKeyAccounts bool `json:"no_key_accounts,omitempty"`
}

// Query is what Store.ListCustomers and Store.CountCustomers take: a scope,
// filters, a keyset cursor and a limit. Every condition is applied in the
// store's query.
type Query struct {
	Scope    Scope
	Industry string
	Region   string
	Tier     Tier
	MinValue *int64
	MaxValue *int64
	Owner    string
	// Statuses lists the statuses to include; empty means all.
	Statuses []Status
	// Search is the normalised search text (see Normalize); a customer
	// matches when its SearchText contains it. SearchGrams are the grams of
	// Search (see QueryGrams), every one of which the customer's gram set
	// must hold: the index-backed pre-filter.
	Search      string
	SearchGrams []string
	// AfterName and AfterID are the keyset cursor: only customers after
	// (name, id) in that order.
	AfterName string
	AfterID   string
	// Limit caps the rows returned; 0 means no limit.
	Limit int
}

// Store keeps customers and their snapshots. storage.DB.Customers()
// implements it; storetest.RunCustomers is its conformance suite. Every
// method takes the tenant explicitly and touches only that tenant's rows.
type Store interface {
	// InsertCustomers inserts cs in multi-row statements, with their
	// search grams (Grams of SearchText). A taken ID is ErrConflict; an
	// owner who is not an employee of the tenant is ErrConflict.
	InsertCustomers(ctx context.Context, tenant string, cs []Customer) error
	// UpdateCustomer writes every field of c but ID and CreatedAt, and
	// replaces its search grams, when the stored version is
	// expectedVersion: else ErrConflict (stale) or ErrNotFound.
	UpdateCustomer(ctx context.Context, tenant string, c Customer, expectedVersion int64) error
	// SetOwner moves those of the customers ids still owned by from to the
	// employee to, in one statement, setting
	// updated_at to at and adding one to each version. It returns how many
	// rows it changed.
	SetOwner(ctx context.Context, tenant string, ids []string, from, to string, at time.Time) (int, error)
	// Customer returns the customer id if scope sees it, else ErrNotFound.
	Customer(ctx context.Context, tenant string, scope Scope, id string) (Customer, error)
	// CustomersByID returns those of ids that exist and scope sees, in no
	// particular order.
	CustomersByID(ctx context.Context, tenant string, scope Scope, ids []string) ([]Customer, error)
	// ListCustomers returns the customers matching q, ordered by name, id.
	ListCustomers(ctx context.Context, tenant string, q Query) ([]Customer, error)
	// CountCustomers counts the customers matching q (ignoring its cursor
	// and limit).
	CountCustomers(ctx context.Context, tenant string, q Query) (int, error)

	SnapshotStore
}

// SnapshotStore keeps snapshots of customer records.
type SnapshotStore interface {
	// InsertSnapshot inserts the snapshot header; a second snapshot of the
	// same scope and Day (when Day is set) is ErrConflict.
	InsertSnapshot(ctx context.Context, tenant string, s Snapshot) error
	// InsertSnapshotItems adds items to a snapshot in multi-row statements.
	InsertSnapshotItems(ctx context.Context, tenant, snapshotID string, items []SnapshotItem) error
	// Snapshot returns one snapshot header, or ErrNotFound.
	Snapshot(ctx context.Context, tenant, id string) (Snapshot, error)
	// SnapshotOnDay returns the snapshot of scope taken for day (see
	// Snapshot.Day), or ErrNotFound.
	SnapshotOnDay(ctx context.Context, tenant, scope, day string) (Snapshot, error)
	// ListSnapshots returns snapshot headers matching q, newest first.
	ListSnapshots(ctx context.Context, tenant string, q SnapshotQuery) ([]Snapshot, error)
	// SnapshotItems returns the items of a snapshot, ordered by customer ID.
	SnapshotItems(ctx context.Context, tenant, snapshotID string) ([]SnapshotItem, error)
}

// SnapshotItem is one customer as a snapshot keeps it: the JSON encoding
// of its Customer record.
type SnapshotItem struct {
	CustomerID string
	Data       []byte
}

// SnapshotQuery selects snapshot headers.
type SnapshotQuery struct {
	// Scope selects one scope ("tenant" or "owner:<id>"); empty means any.
	Scope string
	// Since and Until bound TakenAt: Since <= TakenAt < Until.
	Since time.Time
	Until time.Time
	// BeforeTakenAt and BeforeID are the keyset cursor: only snapshots
	// older than (taken_at, id).
	BeforeTakenAt time.Time
	BeforeID      string
	Limit         int
}
