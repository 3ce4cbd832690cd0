package hr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// The permissions the Service checks. Hosts grant them through access.
const (
	// PermTenantSettings: change the tenant's name, time zone and locale.
	PermTenantSettings = "tenant:settings"
	// PermOrgRead: read the department tree and positions.
	PermOrgRead = "org:read"
	// PermOrgWrite: create, change and delete departments and positions.
	PermOrgWrite = "org:write"
	// PermEmployeesRead: read the directory of Employee records.
	PermEmployeesRead = "employees:read"
	// PermEmployeesReadAll: read the referral analytics over every employee.
	PermEmployeesReadAll = "employees:read:all"
	// PermProfileReadSelf: read one's own Profile.
	PermProfileReadSelf = "profile:read:self"
	// PermProfileReadAll: read every employee's Profile.
	PermProfileReadAll = "profile:read:all"
	// PermEmployeesWrite: hire employees and change their records.
	PermEmployeesWrite = "employees:write"
	// PermEmployeesImport: import departments and employees from CSV.
	PermEmployeesImport = "employees:import"
	// PermEmployeesExport: export employees to CSV.
	PermEmployeesExport = "employees:export"
	// PermProfileWriteSelf: change one's own self-service profile fields.
	PermProfileWriteSelf = "profile:write:self"
	// PermProfileWriteHR: change every profile field of any employee.
	PermProfileWriteHR = "profile:write:hr"
)

// Authorizer decides whether the principal in ctx may do something in its
// tenant. *access.Enforcer implements it.
type Authorizer interface {
	// Authorize returns nil when allowed, an error matching
	// ballast.ErrForbidden when not, and one matching
	// ballast.ErrUnauthenticated when ctx has no principal.
	Authorize(ctx context.Context, permission string) error
	// Allowed is Authorize as a boolean, for decisions that change what is
	// shown rather than refuse the call.
	Allowed(ctx context.Context, permission string) (bool, error)
}

// TenantSeeder is an optional capability of an Authorizer: when Config.Auth
// implements it, CreateTenant calls SeedTenant in its transaction, so a new
// tenant gets its built-in roles atomically. *access.Enforcer implements it.
type TenantSeeder interface {
	SeedTenant(ctx context.Context, tenant string) error
}

// Auditor appends evidence in the caller's transaction. *audit.Log
// implements it.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
}

// Config is what New needs. Store, Tx, Auth and Audit are required; a nil
// Clock means the system clock.
type Config struct {
	Store Store
	Tx    ballast.Transactor
	Auth  Authorizer
	Audit Auditor
	Clock ballast.Clock
}

// Service is the hr use cases: tenants, the department tree, positions,
// employees, profiles and CSV import/export. It is safe for concurrent use.
// Every method reads the principal from ctx, checks its permission, and
// (for changes) runs in one transaction that also appends to audit.
type Service struct {
	store Store
	tx    ballast.Transactor
	auth  Authorizer
	audit Auditor
	clock ballast.Clock
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
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("hr: new service: %w", err)
	}
	return &Service{
		store: cfg.Store,
		tx:    cfg.Tx,
		auth:  cfg.Auth,
		audit: cfg.Audit,
		clock: ballast.ClockOrSystem(cfg.Clock),
	}, nil
}

// begin starts a use case: it reads the principal, checks perm (when not
// empty) and loads the principal's tenant (ErrUnknownTenant when absent).
func (s *Service) begin(ctx context.Context, perm string) (ballast.Principal, Tenant, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return p, Tenant{}, err
	}
	if perm != "" {
		if err := s.auth.Authorize(ctx, perm); err != nil {
			return p, Tenant{}, err
		}
	}
	t, err := s.store.Tenant(ctx, p.Tenant)
	if errors.Is(err, ballast.ErrNotFound) {
		return p, Tenant{}, fmt.Errorf("tenant %s: %w", p.Tenant, ErrUnknownTenant)
	}
	if err != nil {
		return p, Tenant{}, err
	}
	return p, t, nil
}

// now returns the clock's time in UTC, truncated to microseconds (what both
// databases keep).
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// record appends one audit entry.
func (s *Service) record(ctx context.Context, action, targetType, targetID string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{
		Action:     action,
		TargetType: targetType,
		TargetID:   targetID,
		Changes:    audit.Diff(before, after),
	})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
