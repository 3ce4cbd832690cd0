package hr

import (
	"context"
	"time"
)

// Store is what the hr Service needs from a database. storage implements it
// (storage.DB.HR()); storetest.RunHR checks any implementation.
//
// Rules every implementation follows:
//   - every method takes the tenant explicitly and never reads, updates or
//     deletes another tenant's rows (a row of another tenant is "not found");
//   - every method joins the transaction carried by ctx, if any;
//   - errors are ballast kinds: a missing row is ballast.ErrNotFound, a
//     duplicate key (employee number, sibling department name) and a stale
//     version are ballast.ErrConflict;
//   - Update methods write the record as given (its Version is already the
//     new one) only where the stored version equals expectedVersion, and
//     return ErrConflict when it does not, ErrNotFound when the row is absent.
type Store interface {
	TenantStore
	DepartmentStore
	PositionStore
	EmployeeStore
	ProfileStore
}

// TenantStore keeps tenants.
type TenantStore interface {
	// InsertTenant inserts t; an existing ID is ErrConflict.
	InsertTenant(ctx context.Context, t Tenant) error
	// Tenant returns the tenant id, or ErrNotFound.
	Tenant(ctx context.Context, id string) (Tenant, error)
	// UpdateTenant writes t's name, zone, locale, UpdatedAt and Version.
	UpdateTenant(ctx context.Context, t Tenant, expectedVersion int64) error
}

// DepartmentStore keeps the department tree.
type DepartmentStore interface {
	// InsertDepartments inserts ds in bulk (parents may come after their
	// children in ds; references are checked at commit).
	InsertDepartments(ctx context.Context, tenant string, ds []Department) error
	// Department returns one department, or ErrNotFound.
	Department(ctx context.Context, tenant, id string) (Department, error)
	// Departments returns every department of the tenant, ordered by name, id.
	Departments(ctx context.Context, tenant string) ([]Department, error)
	// UpdateDepartment writes d's name, parent, head, UpdatedAt and Version.
	UpdateDepartment(ctx context.Context, tenant string, d Department, expectedVersion int64) error
	// DeleteDepartment deletes an empty department (no children, positions
	// or employees; else ErrConflict).
	DeleteDepartment(ctx context.Context, tenant, id string, expectedVersion int64) error
	// DepartmentAncestors returns id followed by its parent, grandparent…
	// up to the root (one query, terminating even on corrupt cyclic data).
	DepartmentAncestors(ctx context.Context, tenant, id string) ([]string, error)
	// Headcounts maps department IDs to the number of employees placed
	// directly in them who have not departed. Departments without such
	// employees are absent.
	Headcounts(ctx context.Context, tenant string) (map[string]int, error)
}

// PositionStore keeps positions.
type PositionStore interface {
	// InsertPosition inserts p; a missing department is ErrConflict.
	InsertPosition(ctx context.Context, tenant string, p Position) error
	// Position returns one position, or ErrNotFound.
	Position(ctx context.Context, tenant, id string) (Position, error)
	// Positions lists the positions of one department, or of the whole
	// tenant when departmentID is empty, ordered by title, id.
	Positions(ctx context.Context, tenant, departmentID string) ([]Position, error)
	// UpdatePosition writes every field of p but its ID and CreatedAt.
	UpdatePosition(ctx context.Context, tenant string, p Position, expectedVersion int64) error
	// DeletePosition deletes a position no employee holds (else ErrConflict).
	DeletePosition(ctx context.Context, tenant, id string, expectedVersion int64) error
}

// EmployeeStore keeps employees.
type EmployeeStore interface {
	// InsertEmployees inserts es in bulk, in multi-row statements (managers
	// and referrers may come after the employees naming them; references are
	// checked at commit). A duplicate number is ErrConflict.
	InsertEmployees(ctx context.Context, tenant string, es []Employee) error
	// Employee returns one employee, or ErrNotFound.
	Employee(ctx context.Context, tenant, id string) (Employee, error)
	// EmployeesByID returns the employees among ids that exist, in no
	// particular order.
	EmployeesByID(ctx context.Context, tenant string, ids []string) ([]Employee, error)
	// EmployeesByNumber returns the employees among numbers that exist, in
	// no particular order.
	EmployeesByNumber(ctx context.Context, tenant string, numbers []string) ([]Employee, error)
	// UpdateEmployee writes every field of e but its ID and CreatedAt; a
	// number taken by another employee is ErrConflict.
	UpdateEmployee(ctx context.Context, tenant string, e Employee, expectedVersion int64) error
	// ListEmployees returns one page of the directory (keyset pagination).
	ListEmployees(ctx context.Context, tenant string, q EmployeeQuery) ([]Employee, error)
	// ManagerChain returns id followed by its manager, the manager's
	// manager… up to the top (one query, terminating even on cyclic data).
	ManagerChain(ctx context.Context, tenant, id string) ([]string, error)
	// Referrals returns the employees whose referrer is referrerID, ordered
	// by name, id.
	Referrals(ctx context.Context, tenant, referrerID string) ([]Employee, error)
}

// ProfileStore keeps employee profiles.
type ProfileStore interface {
	// Profile returns the stored profile, or ErrNotFound if none was written.
	Profile(ctx context.Context, tenant, employeeID string) (Profile, error)
	// PutProfile inserts p when expectedVersion is 0 (ErrConflict if one
	// exists) and otherwise updates it under the usual version rule.
	//
	// Profile reads, and PutProfile replaces, the Performance section too;
	// it is kept apart from the rest (ballast_performance_records), one row
	// per employee and period, so that rankings over periods run in SQL.
	PutProfile(ctx context.Context, tenant string, p Profile, expectedVersion int64) error
	// RecordPerformance upserts entries (by employee and period) in bulk, in
	// multi-row statements, and increases the Version of every touched
	// profile, creating an empty profile (Version 1, UpdatedAt at) for an
	// employee without one. Employees are known to exist.
	RecordPerformance(ctx context.Context, tenant string, entries []PerformanceEntry, at time.Time) error
}
