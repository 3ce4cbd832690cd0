package customers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// The permissions the Service checks. access's built-in roles grant them:
// employees hold read and write (their own customers), department heads
// read:department, HR read:all, export and transfer, tenant admins all.
const (
	// PermRead: see and list the customers one owns.
	PermRead = "customers:read"
	// PermReadDepartment: see the customers owned in the departments one
	// heads, and every department below them.
	PermReadDepartment = "customers:read:department"
	// PermReadAll: see every customer of the tenant.
	PermReadAll = "customers:read:all"
	// PermReadKey: see key accounts (tier "key") within the rest of one's
	// scope. Every employee holds it; an offboarding revocation stage
	// denies it a week before the last day, and from then on the leaver's
	// key accounts vanish from every list and lookup.
	PermReadKey = "customers:read:key"
	// PermWrite: create customers and edit the ones one owns. Together with
	// PermReadAll it makes a custodian, who may edit, archive and restore
	// any customer.
	PermWrite = "customers:write"
	// PermTransfer: move customers between owners (Transfer, TransferMany)
	// and create customers for another owner.
	PermTransfer = "customers:transfer"
	// PermExport: export customers as CSV (always audited).
	PermExport = "customers:export"
)

// Authorizer decides whether the principal in ctx holds a permission in its
// tenant. *access.Enforcer implements it.
type Authorizer interface {
	// Authorize returns nil when allowed and an error matching
	// ballast.ErrForbidden when not.
	Authorize(ctx context.Context, permission string) error
	// Allowed is Authorize as a boolean.
	Allowed(ctx context.Context, permission string) (bool, error)
}

// AuditLog appends evidence in the caller's transaction and reads it back
// for History. *audit.Log implements it.
type AuditLog interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
	// AppendMany appends a batch (one entry per customer of a bulk
	// transfer) in as few statements as the log allows.
	AppendMany(ctx context.Context, rs []audit.Record) ([]audit.Entry, error)
	Query(ctx context.Context, tenant string, f audit.Filter) ([]audit.Entry, error)
}

// Employees looks up an employee of a tenant (to check owners). hr.Store
// (storage.DB.HR()) implements it.
type Employees interface {
	// Employee returns the employee, or an error matching
	// ballast.ErrNotFound when the tenant has none with that ID.
	Employee(ctx context.Context, tenant, id string) (hr.Employee, error)
}

// Departments lists a tenant's departments (to find the ones a department
// head sees). hr.Store implements it.
type Departments interface {
	Departments(ctx context.Context, tenant string) ([]hr.Department, error)
}

// Tenants finds a tenant's time zone, for the day of a scheduled
// snapshot. hr.Store implements it.
type Tenants interface {
	Tenant(ctx context.Context, id string) (hr.Tenant, error)
}

// Config is what New needs. Store, Tx, Auth, Audit, Employees and
// Departments are required. Tenants is optional (without it scheduled
// snapshots count days in UTC); a nil Clock means the system clock.
type Config struct {
	Store       Store
	Tx          ballast.Transactor
	Auth        Authorizer
	Audit       AuditLog
	Employees   Employees
	Departments Departments
	Tenants     Tenants
	Clock       ballast.Clock
}

// Service is the customer-record use cases. It is safe for concurrent use.
// Every method reads the principal from ctx, checks its permission,
// computes the Scope of customers it may see (applied in the store's
// queries) and, for changes, runs in one transaction that appends a
// field-level diff to audit.
type Service struct {
	store       Store
	tx          ballast.Transactor
	auth        Authorizer
	audit       AuditLog
	employees   Employees
	departments Departments
	tenants     Tenants
	clock       ballast.Clock
}

// New returns a Service, or an error naming each missing part of cfg.
func New(cfg Config) (*Service, error) {
	var v ballast.ValidationError
	if cfg.Store == nil {
		v.Add("Store", "is required")
	}
	if cfg.Tx == nil {
		v.Add("Tx", "is required")
	}
	if cfg.Auth == nil {
		v.Add("Auth", "is required")
	}
	if cfg.Audit == nil {
		v.Add("Audit", "is required")
	}
	if cfg.Employees == nil {
		v.Add("Employees", "is required")
	}
	if cfg.Departments == nil {
		v.Add("Departments", "is required")
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("customers: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, audit: cfg.Audit,
		employees: cfg.Employees, departments: cfg.Departments, tenants: cfg.Tenants,
		clock: ballast.ClockOrSystem(cfg.Clock)}, nil
}

// now returns the clock's time in UTC, truncated to microseconds (what both
// databases keep).
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// actor is the principal of a use case with what it may see and do.
type actor struct {
	ballast.Principal
	scope     Scope
	custodian bool // may edit, archive and restore any customer it sees
}

// begin reads the principal and computes its scope. It refuses a principal
// that holds none of the read permissions.
func (s *Service) begin(ctx context.Context) (actor, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return actor{}, err
	}
	a := actor{Principal: p}
	if p.Kind == ballast.KindSystem {
		a.scope, a.custodian = Scope{All: true}, true
		return a, nil
	}
	key, err := s.auth.Allowed(ctx, PermReadKey)
	if err != nil {
		return a, err
	}
	a.scope.NoKeyAccounts = !key
	all, err := s.auth.Allowed(ctx, PermReadAll)
	if err != nil {
		return a, err
	}
	if all {
		a.scope.All = true
		write, err := s.auth.Allowed(ctx, PermWrite)
		if err != nil {
			return a, err
		}
		a.custodian = write
		return a, nil
	}
	own, err := s.auth.Allowed(ctx, PermRead)
	if err != nil {
		return a, err
	}
	dept, err := s.auth.Allowed(ctx, PermReadDepartment)
	if err != nil {
		return a, err
	}
	if !own && !dept {
		return a, fmt.Errorf("%s may not read customers: %w", p.Subject, ballast.ErrForbidden)
	}
	if own {
		a.scope.Owner = p.Subject
	}
	if dept {
		ds, err := s.headed(ctx, p.Tenant, p.Subject)
		if err != nil {
			return a, err
		}
		a.scope.Departments = ds
	}
	return a, nil
}

// headed returns the departments subject heads and every department below
// them, in tree order.
func (s *Service) headed(ctx context.Context, tenant, subject string) ([]string, error) {
	all, err := s.departments.Departments(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	children := make(map[string][]string, len(all))
	var queue []string
	for _, d := range all {
		children[d.ParentID] = append(children[d.ParentID], d.ID)
		if d.HeadID == subject {
			queue = append(queue, d.ID)
		}
	}
	seen := make(map[string]bool)
	var out []string
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
		queue = append(queue, children[id]...)
	}
	return out, nil
}

// may reports whether the principal holds perm (system principals always do).
func (s *Service) may(ctx context.Context, a actor, perm string) error {
	if a.Kind == ballast.KindSystem {
		return nil
	}
	return s.auth.Authorize(ctx, perm)
}

// canWrite refuses a change of c by a principal who is neither its owner
// nor a custodian.
func (a actor) canWrite(c Customer) error {
	if a.custodian || c.OwnerID == a.Subject {
		return nil
	}
	return fmt.Errorf("%s may not change customer %s owned by %s: %w", a.Subject, c.ID, c.OwnerID, ballast.ErrForbidden)
}

// checkOwner adds a field error when id is not an employee of tenant, or
// one who has departed (and, when active is set, one who is resigning).
func (s *Service) checkOwner(ctx context.Context, v *ballast.ValidationError, field, tenant, id string, active bool) error {
	if id == "" {
		v.Add(field, "is required")
		return nil
	}
	if !ballast.ValidID(id) {
		v.Add(field, "is not a valid id")
		return nil
	}
	e, err := s.employees.Employee(ctx, tenant, id)
	switch {
	case errors.Is(err, ballast.ErrNotFound):
		v.Add(field, "is not an employee of this tenant")
	case err != nil:
		return fmt.Errorf("look up employee %s: %w", id, err)
	case e.Status == hr.StatusDeparted:
		v.Add(field, "has departed")
	case active && e.Status != hr.StatusActive:
		v.Add(field, "is "+string(e.Status)+", not active")
	}
	return nil
}

// record appends one audit entry about a customer.
func (s *Service) record(ctx context.Context, action, id, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: TargetType, TargetID: id,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// TargetType is the audit TargetType of customer records; History reads
// the entries with it.
const TargetType = "customer"

// The audit actions the Service appends.
const (
	ActionCreate   = "customers.create"
	ActionUpdate   = "customers.update"
	ActionTransfer = "customers.transfer"
	ActionArchive  = "customers.archive"
	ActionRestore  = "customers.restore"
	ActionExport   = "customers.export"
	ActionSnapshot = "customers.snapshot"
)
