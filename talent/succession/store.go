package succession

import (
	"context"
	"time"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Succession()); storetest.RunSuccession checks any
// implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict. The reports read hr's tables
// (positions, employees, performance records) in the same database.
type Store interface {
	// Scale returns the tenant's stored scale, ErrNotFound when it has
	// none (the Service then uses DefaultScale).
	Scale(ctx context.Context, tenant string) (Scale, error)
	// SaveScale stores s where the stored version equals expectedVersion
	// (0: none stored yet); s.Version is already the new one.
	SaveScale(ctx context.Context, tenant string, s Scale, expectedVersion int64) error
	// LockScale serialises, until the transaction in ctx ends, a change of
	// the tenant's scale (exclusive) against writes of successors' readiness
	// (shared), so that a level cannot be dropped while a successor takes
	// it. Outside a transaction, or where transactions are serial already
	// (SQLite), it does nothing.
	LockScale(ctx context.Context, tenant string, exclusive bool) error
	// ReadinessInUse returns the distinct readiness keys successors have,
	// sorted.
	ReadinessInUse(ctx context.Context, tenant string) ([]string, error)

	// InsertSuccessor inserts s; a second successor of the same employee
	// on the position, or a second emergency successor, is ErrConflict.
	InsertSuccessor(ctx context.Context, tenant string, s Successor) error
	// Successor returns one successor.
	Successor(ctx context.Context, tenant, id string) (Successor, error)
	// UpdateSuccessor writes Readiness, Rank, Emergency, Notes, PlanID,
	// UpdatedAt and Version where the stored version equals
	// expectedVersion.
	UpdateSuccessor(ctx context.Context, tenant string, s Successor, expectedVersion int64) error
	// DeleteSuccessor deletes a successor and its readiness history where
	// the stored version equals expectedVersion.
	DeleteSuccessor(ctx context.Context, tenant, id string, expectedVersion int64) error
	// ListSuccessors returns the successors q selects, ordered by
	// PositionID, Rank, ID.
	ListSuccessors(ctx context.Context, tenant string, q Query) ([]Successor, error)
	// InsertReadinessChange appends to a successor's readiness history.
	InsertReadinessChange(ctx context.Context, tenant string, c ReadinessChange) error
	// ReadinessHistory returns a successor's history, oldest first.
	ReadinessHistory(ctx context.Context, tenant, successorID string) ([]ReadinessChange, error)

	// PositionReport returns a critical position's report (ErrNotFound
	// for a missing or non-critical position): incumbents (employees
	// holding it who have not departed) and successors with name,
	// current position title and latest performance score, ordered by
	// Rank, Name, ID. ReadinessLabel and Months are left empty.
	PositionReport(ctx context.Context, tenant, positionID string) (PositionReport, error)
	// Coverage computes the coverage of the critical positions in the
	// departments listed (all when nil) with aggregations in the
	// database; readyNow is the readiness key counted as ready now.
	Coverage(ctx context.Context, tenant string, departmentIDs []string, readyNow string) (Coverage, error)

	// Potential returns an employee's potential rating, ErrNotFound when
	// never rated.
	Potential(ctx context.Context, tenant, employeeID string) (PotentialRating, error)
	// SavePotential stores r where the stored version equals
	// expectedVersion (0: never rated); r.Version is already the new one.
	SavePotential(ctx context.Context, tenant string, r PotentialRating, expectedVersion int64) error
	// NineBox returns, for every employee of the departments listed who
	// has not departed, their performance (the average of the scores of
	// their last periods periods by period end; nil without any) and
	// their potential rating ("" when unrated), ordered by name, ID.
	NineBox(ctx context.Context, tenant string, departmentIDs []string, periods int) ([]BoxEntry, error)
}

// Query selects successors for Store.ListSuccessors. Empty fields select
// everything; the conditions combine with AND.
type Query struct {
	PositionID string
	EmployeeID string
	// DepartmentIDs restricts to positions of these departments.
	DepartmentIDs []string
}

// BoxEntry is an employee placed on the 9-box.
type BoxEntry struct {
	EmployeeID   string    `json:"employee_id"`
	Name         string    `json:"name"`
	DepartmentID string    `json:"department_id"`
	Performance  *float64  `json:"performance,omitempty"`
	Potential    Potential `json:"potential,omitempty"`
	// RatedAt is when the potential was rated (zero when unrated).
	RatedAt time.Time `json:"rated_at,omitzero"`
}
