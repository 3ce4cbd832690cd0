package assessment

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// The permissions the Service checks (access's built-in roles grant them:
// HR and tenant admins manage, department heads score, every employee
// evaluates themselves).
const (
	// PermManage: indicators, templates, grade scale, cycles, calibration,
	// finalisation, adjustments, every report.
	PermManage = "assessment:manage"
	// PermScoreDepartment: score the reviews one is the snapshotted
	// manager of, and read their department reports.
	PermScoreDepartment = "assessment:score:department"
	// PermSelf: one's own self-evaluation and result.
	PermSelf = "assessment:self"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Employees is what the Service needs from hr: the tenant's time zone and
// the write-back of finalised ratings into performance history.
// *hr.Service implements it.
type Employees interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
	RecordPerformance(ctx context.Context, entries []hr.PerformanceEntry) error
}

// RaterScores gives the 360 scores of a reviewee in a cycle, 0–100 per
// dimension code. multirater.Service implements it.
type RaterScores interface {
	DimensionScores(ctx context.Context, cycleID, employeeID string) (map[string]float64, error)
}

// BulkRaterScores is an optional capability of a RaterScores: the scores
// of many reviewees at once (employee ID → dimension → score), so that
// Finalise makes one call instead of one per participant.
type BulkRaterScores interface {
	DimensionScoresMany(ctx context.Context, cycleID string, employeeIDs []string) (map[string]map[string]float64, error)
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

// Config is what New needs. Every field but Raters and Clock is required.
// Without Raters, indicators with a 360 dimension take the manager's
// rating instead. A nil Clock means the system clock.
type Config struct {
	Store  Store
	Tx     ballast.Transactor
	Auth   Authorizer
	HR     Employees
	Audit  Auditor
	Outbox Outbox
	Raters RaterScores
	Clock  ballast.Clock
}

// Service runs assessments: the indicator library, templates, the grade
// scale, cycles and their reviews, finalisation, reports and appeal
// adjustments. It is safe for concurrent use. Every method reads the
// principal from ctx and checks what it may do; every change runs in one
// transaction with its audit entries and notifications.
type Service struct {
	store  Store
	tx     ballast.Transactor
	auth   Authorizer
	hr     Employees
	audit  Auditor
	outbox Outbox
	raters RaterScores
	clock  ballast.Clock
}

// New returns a Service, or an error naming each missing part of cfg.
func New(cfg Config) (*Service, error) {
	var v ballast.ValidationError
	for _, x := range []struct {
		name string
		ok   bool
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil}, {"HR", cfg.HR != nil},
		{"Audit", cfg.Audit != nil}, {"Outbox", cfg.Outbox != nil}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("assessment: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, hr: cfg.HR, audit: cfg.Audit,
		outbox: cfg.Outbox, raters: cfg.Raters, clock: ballast.ClockOrSystem(cfg.Clock)}, nil
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

// as returns ctx with a system principal carrying p's subject: how the
// Service calls hr after its own permission check.
func as(ctx context.Context, p ballast.Principal) context.Context {
	return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: p.Tenant, Subject: p.Subject, Kind: ballast.KindSystem})
}

// today is the tenant's calendar day at now.
func (s *Service) today(ctx context.Context, p ballast.Principal, now time.Time) (hr.Date, error) {
	t, err := s.hr.Tenant(as(ctx, p))
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

// daysBetween returns b - a in calendar days.
func daysBetween(a, b hr.Date) int {
	return int(b.In(time.UTC).Sub(a.In(time.UTC)).Hours() / 24)
}

// record appends one audit entry.
func (s *Service) record(ctx context.Context, action, targetType, targetID, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: targetType, TargetID: targetID,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// The audit TargetTypes of this package.
const (
	TargetIndicator   = "assessment_indicator"
	TargetTemplate    = "assessment_template"
	TargetGradeScale  = "assessment_grade_scale"
	TargetCycle       = "assessment_cycle"
	TargetParticipant = "assessment_participant"
)

// The audit actions the Service appends.
const (
	ActionIndicatorCreate  = "assessment.indicator.create"
	ActionIndicatorUpdate  = "assessment.indicator.update"
	ActionIndicatorArchive = "assessment.indicator.archive"
	ActionTemplateSave     = "assessment.template.save"
	ActionTemplatePublish  = "assessment.template.publish"
	ActionGradeScale       = "assessment.grade_scale"
	ActionCycleCreate      = "assessment.cycle.create"
	ActionCycleUpdate      = "assessment.cycle.update"
	ActionCycleState       = "assessment.cycle.state"
	ActionSelfSubmit       = "assessment.self.submit"
	ActionSelfReopen       = "assessment.self.reopen"
	ActionManagerSubmit    = "assessment.manager.submit"
	ActionManagerReassign  = "assessment.manager.reassign"
	ActionActuals          = "assessment.actuals"
	ActionCalibrate        = "assessment.calibrate"
	ActionFinalise         = "assessment.result.finalise"
	ActionAdjust           = "assessment.result.adjust"
)
