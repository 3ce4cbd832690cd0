package appeal

import (
	"context"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Appeals()); storetest.RunAppeal checks any implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict. Update methods write the record
// as given (its Version already the new one) only where the stored version
// equals expectedVersion.
type Store interface {
	// Settings returns the tenant's settings, or ErrNotFound when it has
	// none of its own.
	Settings(ctx context.Context, tenant string) (Settings, error)
	// PutSettings inserts s when expectedVersion is 0 (ErrConflict if the
	// tenant has settings) and otherwise updates them under the version rule.
	PutSettings(ctx context.Context, tenant string, s Settings, expectedVersion int64) error

	// InsertAppeal inserts a. A second pending appeal (open or under
	// review) on the same kind, subject and item is ErrConflict.
	InsertAppeal(ctx context.Context, tenant string, a Appeal) error
	// Appeal returns one appeal.
	Appeal(ctx context.Context, tenant, id string) (Appeal, error)
	// UpdateAppeal writes every field of a but its identity (ID, Kind,
	// SubjectID, Item, EmployeeID, FiledAt).
	UpdateAppeal(ctx context.Context, tenant string, a Appeal, expectedVersion int64) error
	// ListAppeals returns the appeals q selects, ordered by ID (keyset after
	// q.After, at most q.Limit when it is positive).
	ListAppeals(ctx context.Context, tenant string, q Query) ([]Appeal, error)

	// InsertMessage adds a reply to its appeal's thread.
	InsertMessage(ctx context.Context, tenant string, m Message) error
	// Messages returns an appeal's thread, oldest first (CreatedAt, ID).
	Messages(ctx context.Context, tenant, appealID string) ([]Message, error)

	// DueAppeals locks and returns up to limit pending appeals whose
	// NextAlertOn is on or before day, ordered by NextAlertOn, ID. Inside a
	// transaction on PostgreSQL the rows are claimed FOR UPDATE SKIP
	// LOCKED, so concurrent reconcilers share them.
	DueAppeals(ctx context.Context, tenant string, day hr.Date, limit int) ([]Appeal, error)
	// SetAlerts sets the NextAlertOn of the named appeals (zero: none) in
	// one statement, without touching their versions, so Reconcile's
	// bookkeeping never collides with people's changes.
	SetAlerts(ctx context.Context, tenant string, appealIDs []string, next hr.Date) error
}

// Query selects appeals for Store.ListAppeals. Empty fields select
// everything; the conditions combine with AND.
type Query struct {
	// Kinds restricts to these kinds (empty: every kind).
	Kinds []string
	// SubjectID, EmployeeID and ManagerID select one subject, the appeals
	// an employee filed, the appeals a manager answers.
	SubjectID  string
	EmployeeID string
	ManagerID  string
	// Answerer selects the appeals this subject answers: as the manager
	// or as the HR handler.
	Answerer string
	// Statuses restricts to these statuses (empty: every status).
	Statuses []Status
	// After is the ID the page starts after; Limit caps it (0: no cap).
	After string
	Limit int
}
