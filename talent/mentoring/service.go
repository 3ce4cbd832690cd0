package mentoring

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
	// PermManage: start, change and close any mentorship; read everything.
	PermManage = "talent:manage"
	// PermWriteDepartment: start, change and close mentorships of mentees of
	// the departments one heads.
	PermWriteDepartment = "talent:write:department"
	// PermReadDepartment: read those mentorships and their logs.
	PermReadDepartment = "talent:read:department"
	// PermSelf: log meetings of one's own mentorships.
	PermSelf = "talent:self"
	// PermRead: read one's own mentorships and their logs.
	PermRead = "talent:read"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// HR reads the tenant, employees and departments. *hr.Service implements
// it; the Service calls it as a system principal after its own check.
type HR interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
	Employee(ctx context.Context, id string) (hr.Employee, error)
	Departments(ctx context.Context) ([]hr.Department, error)
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

// Config is what New needs. Every field but Clock is required. A nil Clock
// means the system clock.
type Config struct {
	Store  Store
	Tx     ballast.Transactor
	Auth   Authorizer
	HR     HR
	Audit  Auditor
	Outbox Outbox
	Clock  ballast.Clock
}

// Service keeps mentorships. It is safe for concurrent use. Every method
// reads the principal from ctx and checks what it may do; every change
// runs in one transaction with its audit entry.
type Service struct {
	store  Store
	tx     ballast.Transactor
	auth   Authorizer
	hr     HR
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
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil}, {"HR", cfg.HR != nil},
		{"Audit", cfg.Audit != nil}, {"Outbox", cfg.Outbox != nil}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("mentoring: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, hr: cfg.HR, audit: cfg.Audit, outbox: cfg.Outbox,
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

// allowed reports whether p holds perm (system principals hold everything).
func (s *Service) allowed(ctx context.Context, p ballast.Principal, perm string) (bool, error) {
	if p.Kind == ballast.KindSystem {
		return true, nil
	}
	return s.auth.Allowed(ctx, perm)
}

// as returns ctx with a system principal carrying p's subject.
func as(ctx context.Context, p ballast.Principal) context.Context {
	return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: p.Tenant, Subject: p.Subject, Kind: ballast.KindSystem})
}

// today is the tenant's calendar day now.
func (s *Service) today(ctx context.Context, p ballast.Principal) (hr.Date, error) {
	t, err := s.hr.Tenant(as(ctx, p))
	if err != nil {
		return hr.Date{}, err
	}
	loc, err := t.Location()
	if err != nil {
		return hr.Date{}, err
	}
	return hr.DateOf(s.now().In(loc)), nil
}

// headed returns the departments p heads and every department under them,
// sorted.
func (s *Service) headed(ctx context.Context, p ballast.Principal) ([]string, error) {
	ds, err := s.hr.Departments(as(ctx, p))
	if err != nil {
		return nil, err
	}
	children := map[string][]string{}
	var todo []string
	for _, d := range ds {
		children[d.ParentID] = append(children[d.ParentID], d.ID)
		if d.HeadID == p.Subject {
			todo = append(todo, d.ID)
		}
	}
	seen := map[string]bool{}
	for len(todo) > 0 {
		id := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if !seen[id] {
			seen[id] = true
			todo = append(todo, children[id]...)
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// heads reports whether p holds perm and heads the department of mentee
// (or one above it).
func (s *Service) heads(ctx context.Context, p ballast.Principal, perm string, mentee hr.Employee) (bool, error) {
	ok, err := s.allowed(ctx, p, perm)
	if err != nil || !ok {
		return false, err
	}
	hs, err := s.headed(ctx, p)
	if err != nil {
		return false, err
	}
	_, in := slices.BinarySearch(hs, mentee.DepartmentID)
	return in, nil
}

// canManage reports whether p may start, change and close mentorships of
// mentee: HR, or the head of the mentee's department.
func (s *Service) canManage(ctx context.Context, p ballast.Principal, mentee hr.Employee) (bool, error) {
	if ok, err := s.allowed(ctx, p, PermManage); err != nil || ok {
		return ok, err
	}
	return s.heads(ctx, p, PermWriteDepartment, mentee)
}

// canRead reports whether p may read m: HR, a participant with PermRead
// or PermSelf, or the head of the mentee's department.
func (s *Service) canRead(ctx context.Context, p ballast.Principal, m Mentorship) (bool, error) {
	if ok, err := s.allowed(ctx, p, PermManage); err != nil || ok {
		return ok, err
	}
	if p.Subject == m.MentorID || p.Subject == m.MenteeID {
		for _, perm := range []string{PermRead, PermSelf} {
			if ok, err := s.allowed(ctx, p, perm); err != nil || ok {
				return ok, err
			}
		}
	}
	mentee, err := s.hr.Employee(as(ctx, p), m.MenteeID)
	if err != nil {
		return false, err
	}
	for _, perm := range []string{PermReadDepartment, PermWriteDepartment} {
		if ok, err := s.heads(ctx, p, perm, mentee); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// TargetType is the audit TargetType of mentorships.
const TargetType = "mentorship"

// The audit actions the Service appends.
const (
	ActionStart   = "mentoring.start"
	ActionUpdate  = "mentoring.update"
	ActionClose   = "mentoring.close"
	ActionMeeting = "mentoring.meeting"
)

// record appends one audit entry about a mentorship.
func (s *Service) record(ctx context.Context, action, targetID, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: TargetType, TargetID: targetID,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
