package pools

import (
	"context"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Pools()); storetest.RunPools checks any implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict.
type Store interface {
	// InsertPool inserts p and its rule as version p.RuleVersion.
	InsertPool(ctx context.Context, tenant string, p Pool, v RuleVersion) error
	// Pool returns one pool.
	Pool(ctx context.Context, tenant, id string) (Pool, error)
	// UpdatePool writes p's Name, Description, Rule, RuleVersion,
	// Archived, UpdatedAt and Version where the stored version equals
	// expectedVersion; a non-nil v is inserted as a new rule version.
	UpdatePool(ctx context.Context, tenant string, p Pool, expectedVersion int64, v *RuleVersion) error
	// Pools returns the tenant's pools ordered by Name, ID.
	Pools(ctx context.Context, tenant string) ([]Pool, error)
	// RuleVersions returns a pool's rule versions, oldest first.
	RuleVersions(ctx context.Context, tenant, poolID string) ([]RuleVersion, error)

	// Screen evaluates the validated q.Rule over the tenant's employees
	// who have not departed, on q.Day, in the database, and returns only
	// the rows that match or miss by exactly one leaf, matches first then
	// by employee name and id, at most q.Limit rows. Each row's Values
	// follow q.Rule.Leaves() with Path, Kind, Pass and the numbers set;
	// Text, Failed and Member are left for the caller.
	Screen(ctx context.Context, tenant string, q ScreenQuery) ([]Candidate, error)

	// InsertMember inserts a member.
	InsertMember(ctx context.Context, tenant string, m Member) error
	// Member returns one member.
	Member(ctx context.Context, tenant, poolID, employeeID string) (Member, error)
	// UpdateMember writes Status, Ended, EndReason, Note, Joined,
	// JoinedBy, RuleVersion, Evidence, UpdatedAt and Version where the
	// stored version equals expectedVersion.
	UpdateMember(ctx context.Context, tenant string, m Member, expectedVersion int64) error
	// Members returns the members q selects, ordered by EmployeeID.
	Members(ctx context.Context, tenant string, q MemberQuery) ([]Member, error)
	// InsertEvent appends to a pool's membership history.
	InsertEvent(ctx context.Context, tenant string, e Event) error
	// Events returns a pool's history (of employeeID when set), ordered by
	// At, ID.
	Events(ctx context.Context, tenant, poolID, employeeID string) ([]Event, error)
	// Departed counts the pool's members (in any status) whose employee's
	// status is departed.
	Departed(ctx context.Context, tenant, poolID string) (int, error)
}

// ScreenQuery is what Store.Screen evaluates.
type ScreenQuery struct {
	Rule Rule
	Day  hr.Date
	// EmployeeID restricts the screening to one employee when set.
	EmployeeID string
	Limit      int
}

// MemberQuery selects members. Empty fields select everything.
type MemberQuery struct {
	PoolID string
	// EmployeeID selects one employee's memberships (across pools).
	EmployeeID string
	Status     MemberStatus
	// DepartmentIDs restricts to members whose employee's current
	// department is one of these; a non-nil empty slice selects nothing.
	DepartmentIDs []string
}
