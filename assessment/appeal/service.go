package appeal

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// The default permissions of a SubjectKind (access's built-in roles grant
// them: employees appeal their own results, HR manages).
const (
	DefaultFilePermission   = "assessment:self"
	DefaultManagePermission = "assessment:manage"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Tenants reads the principal's tenant (for its time zone). *hr.Service
// implements it.
type Tenants interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
}

// Auditor appends evidence in the caller's transaction. *audit.Log
// implements it.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
}

// Outbox queues notifications in the caller's transaction, many at once;
// a repeated idempotency key is a no-op. *notify.Outbox implements it.
type Outbox interface {
	EnqueueMany(ctx context.Context, ms []notify.Message) (int, error)
}

// Config is what New needs. Every field but Clock is required, and
// Subjects needs at least one kind. A nil Clock means the system clock.
type Config struct {
	Store   Store
	Tx      ballast.Transactor
	Auth    Authorizer
	Tenants Tenants
	Audit   Auditor
	Outbox  Outbox
	// Subjects maps a kind name ("assessment.result", "talent.review") to
	// the Subject that owns appeals of that kind and their permissions.
	Subjects map[string]SubjectKind
	Clock    ballast.Clock
}

// Service runs appeals. It is safe for concurrent use. Every method reads
// the principal from ctx and checks what it may do; every change runs in
// one transaction with its audit entry and notifications.
type Service struct {
	store   Store
	tx      ballast.Transactor
	auth    Authorizer
	tenants Tenants
	audit   Auditor
	outbox  Outbox
	kinds   map[string]SubjectKind
	names   []string // the kind names, sorted
	clock   ballast.Clock
}

// MaxKindLen is the longest kind name New accepts.
const MaxKindLen = 100

// New returns a Service, or an error naming each missing part of cfg.
func New(cfg Config) (*Service, error) {
	var v ballast.ValidationError
	for _, x := range []struct {
		name string
		ok   bool
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil}, {"Tenants", cfg.Tenants != nil},
		{"Audit", cfg.Audit != nil}, {"Outbox", cfg.Outbox != nil}, {"Subjects", len(cfg.Subjects) > 0}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	kinds := make(map[string]SubjectKind, len(cfg.Subjects))
	var names []string
	for name, k := range cfg.Subjects {
		field := fmt.Sprintf("Subjects[%q]", name)
		switch {
		case name == "" || len(name) > MaxKindLen || strings.ContainsAny(name, "/ \t\n"):
			v.Add(field, fmt.Sprintf("kind must be 1 to %d characters without spaces or slashes", MaxKindLen))
		case k.Subject == nil:
			v.Add(field+".Subject", "is required")
		}
		if k.FilePermission == "" {
			k.FilePermission = DefaultFilePermission
		}
		if k.ManagePermission == "" {
			k.ManagePermission = DefaultManagePermission
		}
		kinds[name] = k
		names = append(names, name)
	}
	sort.Strings(names)
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("appeal: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, tenants: cfg.Tenants, audit: cfg.Audit,
		outbox: cfg.Outbox, kinds: kinds, names: names, clock: ballast.ClockOrSystem(cfg.Clock)}, nil
}

// Kinds returns the registered kind names, sorted.
func (s *Service) Kinds() []string { return append([]string(nil), s.names...) }

// now returns the clock's time in UTC, truncated to microseconds.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// kind returns the registered kind name.
func (s *Service) kind(name string) (SubjectKind, error) {
	k, ok := s.kinds[name]
	if !ok {
		return SubjectKind{}, fmt.Errorf("%w %q", ErrUnknownKind, name)
	}
	return k, nil
}

// principal reads the principal from ctx.
func principal(ctx context.Context) (ballast.Principal, error) { return ballast.PrincipalFrom(ctx) }

// allowed reports whether p holds perm (system principals hold everything).
func (s *Service) allowed(ctx context.Context, p ballast.Principal, perm string) (bool, error) {
	if p.Kind == ballast.KindSystem {
		return true, nil
	}
	return s.auth.Allowed(ctx, perm)
}

// authorize checks that p holds perm (system principals hold everything).
func (s *Service) authorize(ctx context.Context, p ballast.Principal, perm string) error {
	if p.Kind == ballast.KindSystem {
		return nil
	}
	return s.auth.Authorize(ctx, perm)
}

// managedKinds returns the kinds whose ManagePermission p holds.
func (s *Service) managedKinds(ctx context.Context, p ballast.Principal) ([]string, error) {
	var out []string
	for _, name := range s.names {
		ok, err := s.allowed(ctx, p, s.kinds[name].ManagePermission)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, name)
		}
	}
	return out, nil
}

// as returns ctx with a system principal carrying p's subject: how the
// Service calls Subjects and Tenants after its own permission check.
func as(ctx context.Context, p ballast.Principal) context.Context {
	return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: p.Tenant, Subject: p.Subject, Kind: ballast.KindSystem})
}

// location returns the tenant's time zone.
func (s *Service) location(ctx context.Context, p ballast.Principal) (*time.Location, error) {
	t, err := s.tenants.Tenant(as(ctx, p))
	if err != nil {
		return nil, err
	}
	return t.Location()
}

// today is the tenant's calendar day at now.
func today(now time.Time, loc *time.Location) hr.Date { return hr.DateOf(now.In(loc)) }

// addDays returns d moved by n calendar days.
func addDays(d hr.Date, n int) hr.Date { return hr.DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// TargetType is the audit TargetType of appeals.
const TargetType = "appeal"

// The audit actions the Service appends.
const (
	ActionFile     = "appeal.file"
	ActionReply    = "appeal.reply"
	ActionReview   = "appeal.review"
	ActionDecide   = "appeal.decide"
	ActionDueOn    = "appeal.due_on"
	ActionWithdraw = "appeal.withdraw"
	ActionSettings = "appeal.settings"
)

// record appends one audit entry about an appeal.
func (s *Service) record(ctx context.Context, action, targetID, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: TargetType, TargetID: targetID,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// hrZero is the zero day: no alert left.
var hrZero hr.Date
