package jobdesc

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

// The permissions the Service checks (access's built-in roles grant them:
// HR and tenant admins manage, department heads read and write their
// departments' versions).
const (
	// PermManage: create, edit and publish templates; read, edit, approve
	// and comment on every document; designate approvers.
	PermManage = "talent:manage"
	// PermReadDepartment: read published templates, and the department
	// versions of departments one heads (or that lie below them).
	PermReadDepartment = "talent:read:department"
	// PermWriteDepartment: derive, edit and submit those department
	// versions, and comment on them.
	PermWriteDepartment = "talent:write:department"
	// PermRead: read the description in force for a position (InForce);
	// every employee holds it.
	PermRead = "talent:read"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Org reads the organisation: departments (with their heads) to scope
// department heads, positions and employees to check references and to
// find the description in force for a position.
// *hr.Service implements it; the Service calls it as a system principal
// after its own permission check.
type Org interface {
	Departments(ctx context.Context) ([]hr.Department, error)
	Position(ctx context.Context, id string) (hr.Position, error)
	Employee(ctx context.Context, id string) (hr.Employee, error)
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

// Config is what New needs. Every field but Clock is required. A nil
// Clock means the system clock.
type Config struct {
	Store  Store
	Tx     ballast.Transactor
	Auth   Authorizer
	Org    Org
	Audit  Auditor
	Outbox Outbox
	Clock  ballast.Clock
}

// Service keeps job descriptions: templates, department versions, their
// revisions, comments and approvals. It is safe for concurrent use. Every
// method reads the principal from ctx and checks what it may do; every
// change runs in one transaction with its audit entries and
// notifications.
type Service struct {
	store  Store
	tx     ballast.Transactor
	auth   Authorizer
	org    Org
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
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil}, {"Org", cfg.Org != nil},
		{"Audit", cfg.Audit != nil}, {"Outbox", cfg.Outbox != nil}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("jobdesc: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, org: cfg.Org, audit: cfg.Audit,
		outbox: cfg.Outbox, clock: ballast.ClockOrSystem(cfg.Clock)}, nil
}

// now returns the clock's time in UTC, truncated to microseconds.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// as returns ctx with a system principal carrying p's subject: how the
// Service calls Org after its own permission check.
func as(ctx context.Context, p ballast.Principal) context.Context {
	return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: p.Tenant, Subject: p.Subject, Kind: ballast.KindSystem})
}

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

// actor is what the Service knows of the principal for one call: whether
// it manages (HR), and the departments it heads with everything below
// them (for department heads holding perm).
type actor struct {
	ballast.Principal
	manages bool
	heads   map[string]bool
}

// actor reads the principal and its reach. deptPerm is the department
// permission that makes headed departments count (PermReadDepartment or
// PermWriteDepartment); empty skips the lookup.
func (s *Service) actor(ctx context.Context, deptPerm string) (actor, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return actor{}, err
	}
	a := actor{Principal: p}
	if a.manages, err = s.allowed(ctx, p, PermManage); err != nil {
		return actor{}, err
	}
	if a.manages || deptPerm == "" {
		return a, nil
	}
	ok, err := s.allowed(ctx, p, deptPerm)
	if err != nil || !ok {
		return a, err
	}
	ds, err := s.org.Departments(as(ctx, p))
	if err != nil {
		return actor{}, fmt.Errorf("departments: %w", err)
	}
	a.heads = headed(ds, p.Subject)
	return a, nil
}

// headed returns the departments subject heads and every department below
// them.
func headed(ds []hr.Department, subject string) map[string]bool {
	children := map[string][]string{}
	out := map[string]bool{}
	var todo []string
	for _, d := range ds {
		if d.ParentID != "" {
			children[d.ParentID] = append(children[d.ParentID], d.ID)
		}
		if d.HeadID == subject {
			todo = append(todo, d.ID)
		}
	}
	for len(todo) > 0 {
		id := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if out[id] {
			continue
		}
		out[id] = true
		todo = append(todo, children[id]...)
	}
	return out
}

// isApprover reports whether the principal is a designated approver of d.
func (a actor) isApprover(d Document) bool { return slices.Contains(d.Approvers, a.Subject) }

// mayWrite reports whether a may edit d: HR any document, a department
// head (with PermWriteDepartment) the versions of departments it heads.
func (a actor) mayWrite(d Document) bool {
	return a.manages || (d.Kind == KindDepartment && a.heads[d.DepartmentID])
}

// mayRead reports whether a may read d: whoever may write it, its
// designated approvers, and (for a template's published revision) every
// department head.
func (a actor) mayRead(d Document) bool {
	return a.mayWrite(d) || a.isApprover(d) || (d.Kind == KindTemplate && d.Published > 0 && a.heads != nil)
}

// mayReadRevision reports whether a may read revision n of d: department
// heads who are not approvers see only the published revision of a
// template.
func (a actor) mayReadRevision(d Document, n int) bool {
	if a.mayWrite(d) || a.isApprover(d) {
		return true
	}
	return d.Kind == KindTemplate && d.Published > 0 && n == d.Published && a.heads != nil
}

// TargetType is the audit TargetType of job descriptions.
const TargetType = "jobdesc"

// The audit actions the Service appends.
const (
	ActionCreate         = "jobdesc.create"
	ActionDerive         = "jobdesc.derive"
	ActionEdit           = "jobdesc.edit"
	ActionApprovers      = "jobdesc.approvers"
	ActionNewRevision    = "jobdesc.revision"
	ActionSubmit         = "jobdesc.submit"
	ActionWithdraw       = "jobdesc.withdraw"
	ActionApprove        = "jobdesc.approve"
	ActionRequestChanges = "jobdesc.request_changes"
	ActionPublish        = "jobdesc.publish"
	ActionResolve        = "jobdesc.comment.resolve"
)

// record appends one audit entry about a document.
func (s *Service) record(ctx context.Context, action, documentID, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: TargetType, TargetID: documentID,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
