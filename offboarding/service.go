package offboarding

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/notify"
)

// The permissions the Service checks (access's built-in roles grant them:
// HR and tenant admins manage, department heads approve).
const (
	// PermManage: open, run, force-close, complete and withdraw cases, edit
	// the template, read every case.
	PermManage = "offboarding:manage"
	// PermApproveDepartment: review the work reports of one's reports.
	PermApproveDepartment = "offboarding:approve:department"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Revoker applies a case's staged revocation plan. *access.Enforcer
// implements it.
type Revoker interface {
	TenantRevocationPlan(ctx context.Context) (access.RevocationPlan, error)
	PreviewStage(ctx context.Context, subject string, st access.Stage) (access.StageEffect, error)
	ApplyStage(ctx context.Context, caseID, subject string, st access.Stage, reason string) (access.StageEffect, error)
	AppliedStages(ctx context.Context, caseID string) ([]access.StageEffect, error)
	RestoreCase(ctx context.Context, caseID, reason string) ([]access.StageEffect, error)
}

// Employees reads and changes employee records. *hr.Service implements it.
type Employees interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
	Employee(ctx context.Context, id string) (hr.Employee, error)
	UpdateEmployee(ctx context.Context, id string, p hr.EmployeeParams, version int64) (hr.Employee, error)
}

// Customers is what the customer handover and the integrity check use.
// *customers.Service implements it.
type Customers interface {
	List(ctx context.Context, f customers.Filter) (customers.Page, error)
	TakeSnapshot(ctx context.Context, scope customers.SnapshotScope, reason string) (customers.Snapshot, error)
	TransferMany(ctx context.Context, p customers.TransferManyParams) (customers.TransferReport, error)
	DiffWithCurrent(ctx context.Context, id string) (customers.SnapshotDiff, error)
	History(ctx context.Context, id string) ([]audit.Entry, error)
}

// Assets is what the item-return step uses. *assets.Service implements it.
type Assets interface {
	HeldBy(ctx context.Context, employeeID string) ([]assets.Asset, error)
	Return(ctx context.Context, id string, p assets.ReturnParams) (assets.Asset, error)
	MarkMissing(ctx context.Context, id, costNote string) (assets.Asset, error)
}

// Auditor appends evidence in the caller's transaction. *audit.Log
// implements it.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
}

// Outbox queues notifications in the caller's transaction; a repeated
// idempotency key is a no-op. *notify.Outbox implements it.
type Outbox interface {
	Enqueue(ctx context.Context, m notify.Message) error
}

// Config is what New needs. Every field but Assets and Clock is required;
// without Assets the item-return step lists nothing. A nil Clock means
// the system clock.
type Config struct {
	Store     Store
	Tx        ballast.Transactor
	Auth      Authorizer
	Access    Revoker
	HR        Employees
	Customers Customers
	Assets    Assets
	Audit     Auditor
	Outbox    Outbox
	Clock     ballast.Clock
}

// Service runs offboarding cases. It is safe for concurrent use. Every
// method reads the principal from ctx and checks what it may do; every
// change runs in one transaction with its audit entries and notifications.
//
// After its own check, the Service calls hr, customers and access on the
// principal's behalf as a system principal carrying the principal's
// subject, so that a successor who signs for customers moves them without
// holding customers:transfer, and the evidence names the successor.
type Service struct {
	store     Store
	tx        ballast.Transactor
	auth      Authorizer
	access    Revoker
	hr        Employees
	customers Customers
	assets    Assets
	audit     Auditor
	outbox    Outbox
	clock     ballast.Clock
}

// New returns a Service, or an error naming each missing part of cfg.
func New(cfg Config) (*Service, error) {
	var v ballast.ValidationError
	for _, x := range []struct {
		name string
		ok   bool
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil}, {"Access", cfg.Access != nil},
		{"HR", cfg.HR != nil}, {"Customers", cfg.Customers != nil}, {"Audit", cfg.Audit != nil}, {"Outbox", cfg.Outbox != nil}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("offboarding: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, access: cfg.Access, hr: cfg.HR,
		customers: cfg.Customers, assets: cfg.Assets, audit: cfg.Audit, outbox: cfg.Outbox,
		clock: ballast.ClockOrSystem(cfg.Clock)}, nil
}

// now returns the clock's time in UTC, truncated to microseconds.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// principal reads the principal, and checks perm when it is not empty.
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

// manages reports whether p holds PermManage (system principals do).
func (s *Service) manages(ctx context.Context, p ballast.Principal) (bool, error) {
	if p.Kind == ballast.KindSystem {
		return true, nil
	}
	return s.auth.Allowed(ctx, PermManage)
}

// as returns ctx with a system principal carrying p's subject: how the
// Service calls its collaborators after its own permission check.
func as(ctx context.Context, p ballast.Principal) context.Context {
	return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: p.Tenant, Subject: p.Subject, Kind: ballast.KindSystem})
}

// systemSubject is the operator recorded for work the Service does on its
// own for a case (Reconcile).
func systemSubject(caseID string) string { return "system:offboarding:" + caseID }

// location returns the tenant's time zone.
func (s *Service) location(ctx context.Context, p ballast.Principal) (*time.Location, error) {
	t, err := s.hr.Tenant(as(ctx, p))
	if err != nil {
		return nil, err
	}
	return t.Location()
}

// today is the tenant's calendar day at now.
func today(now time.Time, loc *time.Location) hr.Date { return hr.DateOf(now.In(loc)) }

// addDays returns d moved by n calendar days.
func addDays(d hr.Date, n int) hr.Date { return hr.DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// daysBetween returns b - a in calendar days.
func daysBetween(a, b hr.Date) int {
	return int(b.In(time.UTC).Sub(a.In(time.UTC)).Hours() / 24)
}

// record appends one audit entry about a case.
func (s *Service) record(ctx context.Context, action, targetID, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: TargetType, TargetID: targetID,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// TargetType is the audit TargetType of offboarding cases.
const TargetType = "offboarding_case"

// The audit actions the Service appends.
const (
	ActionTemplate      = "offboarding.template"
	ActionResign        = "offboarding.resign"
	ActionLastDay       = "offboarding.last_day"
	ActionAssign        = "offboarding.customers.assign"
	ActionHandedOver    = "offboarding.customers.handed_over"
	ActionSign          = "offboarding.customers.sign"
	ActionWorkSubmit    = "offboarding.work.submit"
	ActionWorkReview    = "offboarding.work.review"
	ActionItemReturned  = "offboarding.items.returned"
	ActionItemMissing   = "offboarding.items.missing"
	ActionStepDone      = "offboarding.step.done"
	ActionStepForced    = "offboarding.step.forced"
	ActionComplete      = "offboarding.complete"
	ActionWithdraw      = "offboarding.withdraw"
	ActionStageApplied  = "offboarding.stage"
	ActionReminderQueue = "offboarding.reminder"
)
