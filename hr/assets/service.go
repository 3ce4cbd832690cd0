package assets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// The permissions the Service checks. Hosts grant them through access.
const (
	// PermRead: see the assets one holds oneself.
	PermRead = "assets:read"
	// PermReadDepartment: see the assets held in the departments one heads
	// (and their subdepartments), besides one's own.
	PermReadDepartment = "assets:read:department"
	// PermReadAll: see every asset of the tenant, in stock or issued.
	PermReadAll = "assets:read:all"
	// PermWrite: register, change, issue, take back, write off assets.
	PermWrite = "assets:write"
)

// Authorizer decides whether the principal in ctx may do something in its
// tenant. *access.Enforcer implements it.
type Authorizer interface {
	// Authorize returns nil when allowed, an error matching
	// ballast.ErrForbidden when not.
	Authorize(ctx context.Context, permission string) error
	// Allowed is Authorize as a boolean.
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Auditor appends evidence in the caller's transaction. *audit.Log
// implements it.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
}

// Employees is what the Service needs to know about people: that the
// principal's tenant exists (and its time zone) and that a holder is an
// employee of that tenant. hr.Store (storage.DB.HR()) implements it.
type Employees interface {
	// Tenant returns the tenant, or an error matching ballast.ErrNotFound.
	Tenant(ctx context.Context, id string) (hr.Tenant, error)
	// Employee returns one employee of tenant, or an error matching
	// ballast.ErrNotFound.
	Employee(ctx context.Context, tenant, id string) (hr.Employee, error)
}

// Config is what New needs. Store, Tx, Auth, Audit and Employees are
// required; a nil Clock means the system clock.
type Config struct {
	Store     Store
	Tx        ballast.Transactor
	Auth      Authorizer
	Audit     Auditor
	Employees Employees
	Clock     ballast.Clock
}

// Service is the company-asset register: what the company owns, who holds
// it, and the history of every hand-over. It is safe for concurrent use.
// Every method reads the principal from ctx and checks its permission;
// every change runs in one transaction that also appends to audit.
type Service struct {
	store     Store
	tx        ballast.Transactor
	auth      Authorizer
	audit     Auditor
	employees Employees
	clock     ballast.Clock
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
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("assets: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, audit: cfg.Audit,
		employees: cfg.Employees, clock: ballast.ClockOrSystem(cfg.Clock)}, nil
}

// begin starts a change: it reads the principal, checks perm and that the
// principal's tenant exists (hr.ErrUnknownTenant when it does not).
func (s *Service) begin(ctx context.Context, perm string) (ballast.Principal, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return p, err
	}
	if err := s.auth.Authorize(ctx, perm); err != nil {
		return p, err
	}
	_, err = s.employees.Tenant(ctx, p.Tenant)
	if errors.Is(err, ballast.ErrNotFound) {
		return p, fmt.Errorf("tenant %s: %w", p.Tenant, hr.ErrUnknownTenant)
	}
	return p, err
}

// scope returns what the principal may read: everything with PermReadAll,
// its own and its departments' with PermReadDepartment, its own with
// PermRead; ErrForbidden with none of them.
func (s *Service) scope(ctx context.Context) (ballast.Principal, Scope, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return p, Scope{}, err
	}
	for _, c := range []struct {
		perm  string
		scope Scope
	}{
		{PermReadAll, Scope{All: true}},
		{PermReadDepartment, Scope{Holder: p.Subject, HeadOf: p.Subject}},
	} {
		ok, err := s.auth.Allowed(ctx, c.perm)
		if err != nil {
			return p, Scope{}, err
		}
		if ok {
			return p, c.scope, nil
		}
	}
	if err := s.auth.Authorize(ctx, PermRead); err != nil {
		return p, Scope{}, err
	}
	return p, Scope{Holder: p.Subject}, nil
}

// now returns the clock's time in UTC, truncated to microseconds (what both
// databases keep).
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// today returns the current day in the tenant's time zone.
func (s *Service) today(ctx context.Context, tenant string) (hr.Date, error) {
	t, err := s.employees.Tenant(ctx, tenant)
	if err != nil {
		return hr.Date{}, fmt.Errorf("tenant %s: %w", tenant, err)
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return hr.DateOf(s.clock.Now().In(loc)), nil
}

// record appends one audit entry with the field-level diff of before and after.
func (s *Service) record(ctx context.Context, action, id, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: "asset", TargetID: id,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// checkHolder adds a field error unless id is an employee of tenant who has
// not departed. Errors other than not-found are returned.
func (s *Service) checkHolder(ctx context.Context, v *ballast.ValidationError, tenant, id string) error {
	if err := ballast.CheckID("holder", id); err != nil {
		v.Add("holder", "is not a valid id")
		return nil
	}
	e, err := s.employees.Employee(ctx, tenant, id)
	switch {
	case errors.Is(err, ballast.ErrNotFound):
		v.Add("holder", "is not an employee of the tenant")
	case err != nil:
		return err
	case e.Status == hr.StatusDeparted:
		v.Add("holder", "has departed")
	}
	return nil
}
