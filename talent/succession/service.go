package succession

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// The permissions the Service checks (access's built-in roles grant them).
const (
	// PermManage: everything, company-wide (HR).
	PermManage = "talent:manage"
	// PermWriteDepartment: name and change successors of critical
	// positions, and rate potential, in the departments one heads (and
	// those under them).
	PermWriteDepartment = "talent:write:department"
	// PermReadDepartment: read successors, reports and the 9-box of the
	// departments one heads.
	PermReadDepartment = "talent:read:department"
)

// Authorizer decides whether the principal in ctx holds a permission.
// *access.Enforcer implements it.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
	Allowed(ctx context.Context, permission string) (bool, error)
}

// HR reads employees, positions and departments. *hr.Service implements
// it; the Service calls it as a system principal after its own check.
type HR interface {
	Employee(ctx context.Context, id string) (hr.Employee, error)
	Position(ctx context.Context, id string) (hr.Position, error)
	Departments(ctx context.Context) ([]hr.Department, error)
}

// Auditor appends evidence in the caller's transaction. *audit.Log
// implements it.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
}

// Config is what New needs. Every field but Clock is required. A nil Clock
// means the system clock.
type Config struct {
	Store Store
	Tx    ballast.Transactor
	Auth  Authorizer
	HR    HR
	Audit Auditor
	Clock ballast.Clock
}

// Service plans succession: readiness scales, successors of critical
// positions, potential ratings, and the position, coverage and 9-box
// reports. It is safe for concurrent use. Every method reads the
// principal from ctx and checks what it may do; every change runs in one
// transaction with its audit entry.
type Service struct {
	store Store
	tx    ballast.Transactor
	auth  Authorizer
	hr    HR
	audit Auditor
	clock ballast.Clock
}

// New returns a Service, or an error naming each missing part of cfg.
func New(cfg Config) (*Service, error) {
	var v ballast.ValidationError
	for _, x := range []struct {
		name string
		ok   bool
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil}, {"HR", cfg.HR != nil},
		{"Audit", cfg.Audit != nil}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("succession: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, hr: cfg.HR, audit: cfg.Audit,
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

// subtree returns the departments in roots and every department under
// them, sorted; with headOf set, the departments headOf heads are roots
// too. A root that is no department of the tenant is ErrNotFound.
func (s *Service) subtree(ctx context.Context, p ballast.Principal, roots []string, headOf string) ([]string, error) {
	ds, err := s.hr.Departments(as(ctx, p))
	if err != nil {
		return nil, err
	}
	children := map[string][]string{}
	todo := slices.Clone(roots)
	known := map[string]bool{}
	for _, d := range ds {
		known[d.ID] = true
		children[d.ParentID] = append(children[d.ParentID], d.ID)
		if headOf != "" && d.HeadID == headOf {
			todo = append(todo, d.ID)
		}
	}
	for _, r := range roots {
		if !known[r] {
			return nil, fmt.Errorf("department %s: %w", r, ballast.ErrNotFound)
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

// scope returns nil when p may act (with the department permission perm)
// company-wide, or the departments p may act in: those p heads and those
// under them, when p holds perm. write picks PermWriteDepartment;
// otherwise either department permission reads. An empty non-nil slice
// means nowhere.
func (s *Service) scope(ctx context.Context, p ballast.Principal, write bool) ([]string, error) {
	if ok, err := s.allowed(ctx, p, PermManage); err != nil || ok {
		return nil, err
	}
	perms := []string{PermReadDepartment, PermWriteDepartment}
	if write {
		perms = []string{PermWriteDepartment}
	}
	for _, perm := range perms {
		ok, err := s.allowed(ctx, p, perm)
		if err != nil {
			return nil, err
		}
		if ok {
			return s.subtree(ctx, p, nil, p.Subject)
		}
	}
	return []string{}, nil
}

// inScope reports whether department is in scope (nil: everywhere).
func inScope(scope []string, department string) bool {
	if scope == nil {
		return true
	}
	_, ok := slices.BinarySearch(scope, department)
	return ok
}

// begin reads the principal and its scope; a principal holding none of
// the permissions is refused.
func (s *Service) begin(ctx context.Context, write bool) (ballast.Principal, []string, error) {
	p, err := s.principal(ctx, "")
	if err != nil {
		return p, nil, err
	}
	sc, err := s.scope(ctx, p, write)
	if err != nil {
		return p, nil, err
	}
	if sc != nil && len(sc) == 0 {
		return p, nil, forbidden("succession: %s heads no department and does not hold %s", p.Subject, PermManage)
	}
	return p, sc, nil
}

// TargetType values of the audit entries the Service appends.
const (
	TargetSuccessor = "succession.successor"
	TargetScale     = "succession.scale"
	TargetPotential = "succession.potential"
)

// The audit actions the Service appends.
const (
	ActionSetScale        = "succession.scale.set"
	ActionAddSuccessor    = "succession.successor.add"
	ActionUpdateSuccessor = "succession.successor.update"
	ActionRemoveSuccessor = "succession.successor.remove"
	ActionRatePotential   = "succession.potential.rate"
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
