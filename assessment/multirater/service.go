package multirater

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// The permissions the Service checks (access's built-in roles grant them:
// HR and tenant admins manage, department heads approve, every employee
// takes part).
const (
	// PermManage: settings, create, open and close rounds, add reviewees,
	// nominate for anyone, decide any nomination, progress and every
	// report of a closed round.
	PermManage = "assessment:manage"
	// PermDepartment: approve or reject the nominations of the reviewees
	// one manages, and read their reports once the round is closed.
	PermDepartment = "assessment:score:department"
	// PermSelf: nominate one's own peers and others, answer one's own
	// assignments, read one's own report once the round is closed.
	PermSelf = "assessment:self"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Directory reads the org chart: tenants (for the time zone), employees
// (status, manager, department) and departments (heads). hr.Store
// implements it (storage.DB.HR()); the Service has already checked
// permissions when it calls it.
type Directory interface {
	Tenant(ctx context.Context, id string) (hr.Tenant, error)
	EmployeesByID(ctx context.Context, tenant string, ids []string) ([]hr.Employee, error)
	Departments(ctx context.Context, tenant string) ([]hr.Department, error)
}

// Auditor appends evidence in the caller's transaction. *audit.Log
// implements it.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
	AppendMany(ctx context.Context, rs []audit.Record) ([]audit.Entry, error)
}

// Outbox queues notifications in the caller's transaction; a repeated
// idempotency key is a no-op. *notify.Outbox implements it.
type Outbox interface {
	EnqueueMany(ctx context.Context, ms []notify.Message) (int, error)
}

// Config is what New needs. Every field but Clock is required; a nil
// Clock means the system clock.
type Config struct {
	Store     Store
	Tx        ballast.Transactor
	Auth      Authorizer
	Directory Directory
	Audit     Auditor
	Outbox    Outbox
	Clock     ballast.Clock
}

// Service runs 360 feedback rounds. It is safe for concurrent use. Every
// method reads the principal from ctx and checks what it may do; every
// change runs in one transaction with its audit entries and
// notifications.
type Service struct {
	store  Store
	tx     ballast.Transactor
	auth   Authorizer
	dir    Directory
	audit  Auditor
	outbox Outbox
	clock  ballast.Clock
}

// New returns a Service, or an error naming each missing part of cfg.
func New(cfg Config) (*Service, error) {
	var v ballast.ValidationError
	for _, x := range []struct {
		name string
		ok   bool
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil},
		{"Directory", cfg.Directory != nil}, {"Audit", cfg.Audit != nil}, {"Outbox", cfg.Outbox != nil}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("multirater: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, dir: cfg.Directory, audit: cfg.Audit,
		outbox: cfg.Outbox, clock: ballast.ClockOrSystem(cfg.Clock)}, nil
}

// now returns the clock's time in UTC, truncated to microseconds.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// principal reads the principal, and checks perm when it is not empty
// (system principals hold every permission).
func (s *Service) principal(ctx context.Context, perm string) (ballast.Principal, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return p, err
	}
	if perm != "" && p.Kind != ballast.KindSystem {
		if err := s.auth.Authorize(ctx, perm); err != nil {
			return p, err
		}
	}
	return p, nil
}

// allowed reports whether p holds perm (system principals do).
func (s *Service) allowed(ctx context.Context, p ballast.Principal, perm string) (bool, error) {
	if p.Kind == ballast.KindSystem {
		return true, nil
	}
	return s.auth.Allowed(ctx, perm)
}

// today is the tenant's calendar day at now.
func (s *Service) today(ctx context.Context, tenant string, now time.Time) (hr.Date, error) {
	t, err := s.dir.Tenant(ctx, tenant)
	if err != nil {
		return hr.Date{}, err
	}
	loc, err := t.Location()
	if err != nil {
		return hr.Date{}, err
	}
	return hr.DateOf(now.In(loc)), nil
}

// addDays returns d moved by n calendar days.
func addDays(d hr.Date, n int) hr.Date { return hr.DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// randomID is a random (version 4) UUID: unlike ballast.NewID it says
// nothing about when it was made, so stored responses cannot be ordered by
// submission time.
func randomID() string { return uuid.NewString() }

// The audit target types and actions the Service appends. A submission is
// audited as an event on the assignment, without any answer: the scores
// and comments of an anonymous rater never reach the audit log with the
// rater's identity.
const (
	TargetRound      = "multirater_round"
	TargetAssignment = "multirater_assignment"
	TargetSettings   = "multirater_settings"

	ActionSettings  = "multirater.settings"
	ActionCreate    = "multirater.round.create"
	ActionReviewees = "multirater.round.reviewees"
	ActionOpen      = "multirater.round.open"
	ActionClose     = "multirater.round.close"
	ActionDeadlines = "multirater.round.deadlines"
	ActionNominate  = "multirater.nominate"
	ActionApprove   = "multirater.nomination.approve"
	ActionReject    = "multirater.nomination.reject"
	ActionSubmit    = "multirater.response.submit"
)

// record appends one audit entry.
func (s *Service) record(ctx context.Context, action, targetType, targetID, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: targetType, TargetID: targetID,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// settings returns the tenant's settings or the defaults.
func (s *Service) settings(ctx context.Context, tenant string) (Settings, error) {
	st, err := s.store.Settings(ctx, tenant)
	if err == nil {
		return st, nil
	}
	if isNotFound(err) {
		return DefaultSettings(), nil
	}
	return Settings{}, err
}

// Settings returns the principal's tenant's settings (DefaultSettings,
// Version 0, until HR saves its own). Any employee may read them.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	p, err := s.principal(ctx, PermSelf)
	if err != nil {
		return Settings{}, fmt.Errorf("multirater: settings: %w", err)
	}
	st, err := s.settings(ctx, p.Tenant)
	if err != nil {
		return Settings{}, fmt.Errorf("multirater: settings: %w", err)
	}
	return st, nil
}

// UpdateSettings replaces the tenant's settings (HR, PermManage). version
// is the Version read (0 for the defaults). Rounds already created keep
// the settings they copied. Bad values are a *ballast.ValidationError; a
// stale version is ballast.ErrConflict.
func (s *Service) UpdateSettings(ctx context.Context, st Settings, version int64) (Settings, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Settings{}, fmt.Errorf("multirater: update settings: %w", err)
	}
	if err := st.validate(); err != nil {
		return Settings{}, fmt.Errorf("multirater: update settings: %w", err)
	}
	var out Settings
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.settings(ctx, p.Tenant)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("settings", version, before.Version)
		}
		out = st.clone()
		out.Version, out.UpdatedAt = version+1, s.now()
		if err := s.store.PutSettings(ctx, p.Tenant, out, version); err != nil {
			return err
		}
		b, a := before, out
		b.UpdatedAt, a.UpdatedAt, b.Version, a.Version = time.Time{}, time.Time{}, 0, 0
		return s.record(ctx, ActionSettings, TargetSettings, p.Tenant, "", b, a)
	})
	if err != nil {
		return Settings{}, fmt.Errorf("multirater: update settings: %w", err)
	}
	return out, nil
}
