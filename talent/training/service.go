package training

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// The permissions the Service checks (access's built-in roles grant them).
const (
	// PermManage: courses, sessions, required skills, attendance, scores,
	// enrolling anyone, every report.
	PermManage = "talent:manage"
	// PermWriteDepartment: enrol and cancel employees of the departments
	// one heads.
	PermWriteDepartment = "talent:write:department"
	// PermReadDepartment: read enrolments, certificates and gaps of
	// employees of the departments one heads.
	PermReadDepartment = "talent:read:department"
	// PermSelf: enrol oneself and cancel one's own enrolments.
	PermSelf = "talent:self"
	// PermRead: read the catalogue and sessions, one's own enrolments,
	// certificates and gaps.
	PermRead = "talent:read"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// HR reads the tenant, employees, departments, positions and profiles.
// *hr.Service implements it; the Service calls it as a system principal
// after its own permission check.
type HR interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
	Employee(ctx context.Context, id string) (hr.Employee, error)
	Departments(ctx context.Context) ([]hr.Department, error)
	Position(ctx context.Context, id string) (hr.Position, error)
	Profile(ctx context.Context, employeeID string) (hr.Profile, error)
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

// DefaultRemindDaysBefore is how many days before a session Reconcile
// reminds its participants when Config.RemindDaysBefore is 0.
const DefaultRemindDaysBefore = 2

// Config is what New needs. Every field but RemindDaysBefore and Clock is
// required. A nil Clock means the system clock.
type Config struct {
	Store  Store
	Tx     ballast.Transactor
	Auth   Authorizer
	HR     HR
	Audit  Auditor
	Outbox Outbox
	// RemindDaysBefore is how many days before a session's date its
	// participants are reminded (0: DefaultRemindDaysBefore; negative: never).
	RemindDaysBefore int
	Clock            ballast.Clock
}

// Service runs training. It is safe for concurrent use. Every method reads
// the principal from ctx and checks what it may do; every change runs in
// one transaction with its audit entries and notifications.
type Service struct {
	store  Store
	tx     ballast.Transactor
	auth   Authorizer
	hr     HR
	audit  Auditor
	outbox Outbox
	remind int
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
		return nil, fmt.Errorf("training: new service: %w", err)
	}
	remind := cfg.RemindDaysBefore
	if remind == 0 {
		remind = DefaultRemindDaysBefore
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, hr: cfg.HR, audit: cfg.Audit, outbox: cfg.Outbox,
		remind: remind, clock: ballast.ClockOrSystem(cfg.Clock)}, nil
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

// allowed reports whether p holds perm (system principals hold everything).
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

// location returns the tenant's time zone.
func (s *Service) location(ctx context.Context, p ballast.Principal) (*time.Location, error) {
	t, err := s.hr.Tenant(as(ctx, p))
	if err != nil {
		return nil, err
	}
	return t.Location()
}

// headed returns the departments p heads and every department under them.
func (s *Service) headed(ctx context.Context, p ballast.Principal) ([]string, error) {
	ds, err := s.hr.Departments(as(ctx, p))
	if err != nil {
		return nil, err
	}
	return headedBy(ds, p.Subject), nil
}

// headedBy returns the IDs of the departments headed by employeeID and of
// every department under them, sorted: the scope of a department head.
func headedBy(ds []hr.Department, employeeID string) []string {
	children := map[string][]string{}
	var roots []string
	for _, d := range ds {
		children[d.ParentID] = append(children[d.ParentID], d.ID)
		if employeeID != "" && d.HeadID == employeeID {
			roots = append(roots, d.ID)
		}
	}
	seen := map[string]bool{}
	for len(roots) > 0 {
		id := roots[len(roots)-1]
		roots = roots[:len(roots)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		roots = append(roots, children[id]...)
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// access is what p may do about one employee's training.
type access struct{ read, write bool }

// accessTo decides what p may do about employee emp: HR everything, the
// employee their own (read; write with PermSelf), a department head the
// employees of the departments they head.
func (s *Service) accessTo(ctx context.Context, p ballast.Principal, emp hr.Employee) (access, error) {
	if ok, err := s.allowed(ctx, p, PermManage); err != nil || ok {
		return access{ok, ok}, err
	}
	var a access
	if emp.ID == p.Subject {
		var err error
		if a.read, err = s.allowed(ctx, p, PermRead); err != nil {
			return a, err
		}
		if a.write, err = s.allowed(ctx, p, PermSelf); err != nil {
			return a, err
		}
		if a.read || a.write {
			return a, nil
		}
	}
	rd, err := s.allowed(ctx, p, PermReadDepartment)
	if err != nil {
		return a, err
	}
	wr, err := s.allowed(ctx, p, PermWriteDepartment)
	if err != nil {
		return a, err
	}
	if !rd && !wr {
		return a, nil
	}
	heads, err := s.headed(ctx, p)
	if err != nil {
		return a, err
	}
	if _, in := slices.BinarySearch(heads, emp.DepartmentID); in {
		a.read = a.read || rd || wr
		a.write = a.write || wr
	}
	return a, nil
}

// The audit TargetTypes of courses, sessions, enrolments and
// position requirements.
const (
	TargetCourse    = "training_course"
	TargetSession   = "training_session"
	TargetEnrolment = "training_enrolment"
	TargetPosition  = "training_position_skills"
)

// The audit actions the Service appends.
const (
	ActionCourseCreate   = "training.course.create"
	ActionCourseUpdate   = "training.course.update"
	ActionSessionCreate  = "training.session.create"
	ActionSessionUpdate  = "training.session.update"
	ActionSessionCancel  = "training.session.cancel"
	ActionEnrol          = "training.enrol"
	ActionCancel         = "training.enrolment.cancel"
	ActionPromote        = "training.enrolment.promote"
	ActionAttendance     = "training.attendance"
	ActionScore          = "training.score"
	ActionCertificate    = "training.certificate"
	ActionRequiredSkills = "training.required_skills"
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
