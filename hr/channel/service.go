package channel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// The permissions the Service checks. The built-in roles of access hold
// them: every employee has PermRead, PermPost and PermFeedbackSubmit; HR
// has PermManage and PermFeedbackRead.
const (
	// PermRead: list and read the announcements addressed to oneself, mark
	// them read, read one's own questions and the published Q&A.
	PermRead = "channel:read"
	// PermPost: ask HR a question under an announcement one received, and
	// continue one's own question threads.
	PermPost = "channel:post"
	// PermManage: write, publish and withdraw announcements, read receipt
	// reports, answer questions, publish Q&A; act on anonymous feedback
	// (tag, assign, reply, resolve, reopen).
	PermManage = "channel:manage"
	// PermFeedbackSubmit: submit anonymous feedback. It is the only thing
	// checked about the submitter, whose identity is then dropped.
	PermFeedbackSubmit = "feedback:submit"
	// PermFeedbackRead: list and read anonymous feedback.
	PermFeedbackRead = "feedback:read"
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

// Outbox queues notifications in the caller's transaction. *notify.Outbox
// implements it; a message whose IdempotencyKey was used before is a no-op.
type Outbox interface {
	Enqueue(ctx context.Context, m notify.Message) error
	// EnqueueMany queues a batch (one per announcement recipient) in as
	// few statements as the outbox allows, returning how many were new.
	EnqueueMany(ctx context.Context, ms []notify.Message) (int, error)
}

// Directory looks up the tenant, departments and employees of the
// principal's tenant. *hr.Service implements it. The Service calls it with
// the caller's context, so the caller needs what hr requires (any
// principal for Tenant; org:read for Department and employees:read for
// Employee, which every built-in role holds).
type Directory interface {
	// Tenant returns the principal's tenant (its time zone dates feedback).
	Tenant(ctx context.Context) (hr.Tenant, error)
	// Department returns one department, or an error matching
	// ballast.ErrNotFound.
	Department(ctx context.Context, id string) (hr.Department, error)
	// Employee returns one employee, or an error matching
	// ballast.ErrNotFound.
	Employee(ctx context.Context, id string) (hr.Employee, error)
}

// DefaultHRRecipient is the notify recipient that stands for "HR" when
// Config.HRRecipients is empty: the host's Notifier (or directory) routes
// it to the HR team's mailbox, group robot or webhook channel.
const DefaultHRRecipient = "hr"

// DefaultOverdue is how long a question may wait for HR before Unanswered
// and Reconcile report it.
const DefaultOverdue = 3 * 24 * time.Hour

// Config is what New needs. Store, Tx, Auth, Audit, Outbox and Directory
// are required; a nil Clock means the system clock, empty HRRecipients
// means DefaultHRRecipient, a zero Overdue means DefaultOverdue.
type Config struct {
	// Store keeps announcements, questions and feedback (storage.DB.Channel()).
	Store Store
	// Tx runs each use case in one transaction (storage.DB).
	Tx ballast.Transactor
	// Auth checks permissions (*access.Enforcer).
	Auth Authorizer
	// Audit records the changes HR makes (*audit.Log). Anonymous
	// submissions are never audited.
	Audit Auditor
	// Outbox queues notifications (*notify.Outbox).
	Outbox Outbox
	// Directory validates departments and employees (*hr.Service).
	Directory Directory
	// Clock tells the time; nil means the system clock.
	Clock ballast.Clock
	// HRRecipients are the notify recipients of messages meant for HR
	// (overdue questions, new questions, the daily feedback digest).
	HRRecipients []string
	// Overdue is how long a question may wait for an HR answer before it
	// is reported (DefaultOverdue when zero).
	Overdue time.Duration
}

// Service is the HR↔employee channel: announcements with read receipts,
// question threads under them, and anonymous feedback. It is safe for
// concurrent use. Every method reads the principal from ctx and checks its
// permission; every change runs in one transaction.
type Service struct {
	store   Store
	tx      ballast.Transactor
	auth    Authorizer
	audit   Auditor
	outbox  Outbox
	dir     Directory
	clock   ballast.Clock
	hrTo    []string
	overdue time.Duration
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
	if cfg.Outbox == nil {
		v.Add("Outbox", "is required")
	}
	if cfg.Directory == nil {
		v.Add("Directory", "is required")
	}
	if cfg.Overdue < 0 {
		v.Add("Overdue", "must not be negative")
	}
	for i, r := range cfg.HRRecipients {
		if r == "" {
			v.Add(fmt.Sprintf("HRRecipients[%d]", i), "is empty")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("channel: new service: %w", err)
	}
	s := &Service{
		store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, audit: cfg.Audit, outbox: cfg.Outbox,
		dir: cfg.Directory, clock: ballast.ClockOrSystem(cfg.Clock),
		hrTo: append([]string(nil), cfg.HRRecipients...), overdue: cfg.Overdue,
	}
	if len(s.hrTo) == 0 {
		s.hrTo = []string{DefaultHRRecipient}
	}
	if s.overdue == 0 {
		s.overdue = DefaultOverdue
	}
	return s, nil
}

// begin reads the principal and checks perm (when not empty).
func (s *Service) begin(ctx context.Context, perm string) (ballast.Principal, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return p, err
	}
	if perm != "" {
		if err := s.auth.Authorize(ctx, perm); err != nil {
			return p, err
		}
	}
	return p, nil
}

// allowed reports whether the principal holds perm; a refusal is false, any
// other failure an error.
func (s *Service) allowed(ctx context.Context, perm string) (bool, error) {
	ok, err := s.auth.Allowed(ctx, perm)
	if err != nil && !errors.Is(err, ballast.ErrForbidden) {
		return false, err
	}
	return ok && err == nil, nil
}

// now returns the clock's time in UTC, truncated to microseconds.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// record appends one audit entry with the field-level diff of before and
// after.
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
