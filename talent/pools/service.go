package pools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// The permissions the Service checks (access's built-in roles grant them).
const (
	// PermManage: define pools and their rules, screen, confirm, remove
	// and promote members, read everything.
	PermManage = "talent:manage"
	// PermReadDepartment: read the pool members of the departments one
	// heads (and those under them).
	PermReadDepartment = "talent:read:department"
)

// MaxScreenRows bounds the candidates (matches and near-misses) one
// screening returns.
const MaxScreenRows = 5000

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

// Config is what New needs. Every field but Clock is required; a nil Clock
// means the system clock.
type Config struct {
	Store Store
	Tx    ballast.Transactor
	Auth  Authorizer
	HR    HR
	Audit Auditor
	Clock ballast.Clock
}

// Service keeps talent pools: rules, screening, members and their
// history. It is safe for concurrent use. Every method reads the principal
// from ctx and checks what it may do; every change runs in one
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
	}{{"Store", cfg.Store != nil}, {"Tx", cfg.Tx != nil}, {"Auth", cfg.Auth != nil}, {"HR", cfg.HR != nil}, {"Audit", cfg.Audit != nil}} {
		if !x.ok {
			v.Add(x.name, "is required")
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("pools: new service: %w", err)
	}
	return &Service{store: cfg.Store, tx: cfg.Tx, auth: cfg.Auth, hr: cfg.HR, audit: cfg.Audit, clock: ballast.ClockOrSystem(cfg.Clock)}, nil
}

// TargetType is the audit TargetType of pools.
const TargetType = "talent_pool"

// The audit actions the Service appends.
const (
	ActionCreate  = "pools.create"
	ActionUpdate  = "pools.update"
	ActionConfirm = "pools.confirm"
	ActionLeave   = "pools.leave"
	ActionPromote = "pools.promote"
)

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

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

func (s *Service) record(ctx context.Context, action, targetID, reason string, before, after any) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: TargetType, TargetID: targetID,
		Reason: reason, Changes: audit.Diff(before, after)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// PoolParams defines a pool. Rule is validated (Rule.Validate).
type PoolParams struct {
	Name        string
	Description string
	Rule        Rule
	Archived    bool
}

func (pp *PoolParams) check() error {
	pp.Name, pp.Description = strings.TrimSpace(pp.Name), strings.TrimSpace(pp.Description)
	var v ballast.ValidationError
	if pp.Name == "" || len(pp.Name) > 200 {
		v.Add("name", "must be 1 to 200 characters")
	}
	if len(pp.Description) > 4000 {
		v.Add("description", "must be at most 4000 characters")
	}
	if err := pp.Rule.Validate(); err != nil {
		var ve *ballast.ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				v.Add(f.Field, f.Message)
			}
		}
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("pools: %w", err)
	}
	return nil
}

// CreatePool defines a pool with its first rule version. HR only.
func (s *Service) CreatePool(ctx context.Context, pp PoolParams) (Pool, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Pool{}, err
	}
	if err := pp.check(); err != nil {
		return Pool{}, err
	}
	now := s.now()
	pool := Pool{ID: ballast.NewID(), Name: pp.Name, Description: pp.Description, Rule: pp.Rule, RuleVersion: 1,
		Archived: pp.Archived, CreatedBy: p.Subject, CreatedAt: now, UpdatedAt: now, Version: 1}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkDepartments(ctx, p, pp.Rule); err != nil {
			return err
		}
		v := RuleVersion{PoolID: pool.ID, Version: 1, Rule: pp.Rule, CreatedBy: p.Subject, CreatedAt: now}
		if err := s.store.InsertPool(ctx, p.Tenant, pool, v); err != nil {
			return err
		}
		return s.record(ctx, ActionCreate, pool.ID, "", nil, pool)
	})
	if err != nil {
		return Pool{}, fmt.Errorf("pools: create pool: %w", err)
	}
	return pool, nil
}

// checkDepartments refuses a department rule naming a department the
// tenant does not have.
func (s *Service) checkDepartments(ctx context.Context, p ballast.Principal, r Rule) error {
	var v ballast.ValidationError
	var ds []hr.Department
	for _, l := range r.Leaves() {
		if l.Rule.Kind != KindDepartment {
			continue
		}
		if ds == nil {
			var err error
			if ds, err = s.hr.Departments(as(ctx, p)); err != nil {
				return err
			}
		}
		if !slices.ContainsFunc(ds, func(d hr.Department) bool { return d.ID == l.Rule.DepartmentID }) {
			v.Add(field(l.Path, "department_id"), "is not a department of the tenant")
		}
	}
	return v.Err()
}

// UpdatePool changes a pool at the version read; a changed rule becomes a
// new rule version with note. HR only.
func (s *Service) UpdatePool(ctx context.Context, id string, pp PoolParams, note string, version int64) (Pool, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Pool{}, err
	}
	if err := pp.check(); err != nil {
		return Pool{}, err
	}
	var out Pool
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Pool(ctx, p.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("pool %s is at version %d, not %d: %w", id, before.Version, version, ballast.ErrConflict)
		}
		if err := s.checkDepartments(ctx, p, pp.Rule); err != nil {
			return err
		}
		after := before
		after.Name, after.Description, after.Rule, after.Archived = pp.Name, pp.Description, pp.Rule, pp.Archived
		after.UpdatedAt, after.Version = s.now(), before.Version+1
		var rv *RuleVersion
		if string(MarshalRule(before.Rule)) != string(MarshalRule(pp.Rule)) {
			after.RuleVersion++
			rv = &RuleVersion{PoolID: id, Version: after.RuleVersion, Rule: pp.Rule, Note: strings.TrimSpace(note), CreatedBy: p.Subject, CreatedAt: after.UpdatedAt}
		}
		if err := s.store.UpdatePool(ctx, p.Tenant, after, version, rv); err != nil {
			return err
		}
		out = after
		return s.record(ctx, ActionUpdate, id, note, before, after)
	})
	if err != nil {
		return Pool{}, fmt.Errorf("pools: update pool %s: %w", id, err)
	}
	return out, nil
}

// Pool returns one pool. HR, and department heads (who read its members).
func (s *Service) Pool(ctx context.Context, id string) (Pool, error) {
	p, err := s.reader(ctx)
	if err != nil {
		return Pool{}, err
	}
	pool, err := s.store.Pool(ctx, p.Tenant, id)
	if err != nil {
		return Pool{}, fmt.Errorf("pools: pool %s: %w", id, err)
	}
	return pool, nil
}

// Pools lists the tenant's pools. HR and department heads.
func (s *Service) Pools(ctx context.Context) ([]Pool, error) {
	p, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.store.Pools(ctx, p.Tenant)
	if err != nil {
		return nil, fmt.Errorf("pools: list: %w", err)
	}
	return ps, nil
}

// RuleVersions returns a pool's rule versions, oldest first. HR only.
func (s *Service) RuleVersions(ctx context.Context, id string) ([]RuleVersion, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.RuleVersions(ctx, p.Tenant, id)
	if err == nil && len(vs) == 0 {
		err = fmt.Errorf("pool %s: %w", id, ballast.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("pools: rule versions: %w", err)
	}
	return vs, nil
}

// reader checks that the principal is HR or holds PermReadDepartment.
func (s *Service) reader(ctx context.Context) (ballast.Principal, error) {
	p, err := s.principal(ctx, "")
	if err != nil || p.Kind == ballast.KindSystem {
		return p, err
	}
	for _, perm := range []string{PermManage, PermReadDepartment} {
		ok, err := s.auth.Allowed(ctx, perm)
		if err != nil || ok {
			return p, err
		}
	}
	return p, fmt.Errorf("pools: %w", ballast.ErrForbidden)
}

// Screen evaluates the pool's current rule today, in the database, and
// returns the matching employees and the near-misses, each with the
// values of every leaf. HR only.
func (s *Service) Screen(ctx context.Context, poolID string) (Screening, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Screening{}, err
	}
	pool, err := s.store.Pool(ctx, p.Tenant, poolID)
	if err != nil {
		return Screening{}, fmt.Errorf("pools: screen %s: %w", poolID, err)
	}
	day, err := s.today(ctx, p)
	if err != nil {
		return Screening{}, fmt.Errorf("pools: screen %s: %w", poolID, err)
	}
	sc, err := s.screen(ctx, p, pool.Rule, day, poolID, "")
	if err != nil {
		return Screening{}, fmt.Errorf("pools: screen %s: %w", poolID, err)
	}
	sc.PoolID, sc.RuleVersion = poolID, pool.RuleVersion
	return sc, nil
}

// Preview screens a rule that is not saved (the rules editor's "try it"),
// on day (today when zero). HR only.
func (s *Service) Preview(ctx context.Context, rule Rule, day hr.Date) (Screening, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Screening{}, err
	}
	if err := rule.Validate(); err != nil {
		return Screening{}, err
	}
	if day.IsZero() {
		if day, err = s.today(ctx, p); err != nil {
			return Screening{}, fmt.Errorf("pools: preview: %w", err)
		}
	}
	sc, err := s.screen(ctx, p, rule, day, "", "")
	if err != nil {
		return Screening{}, fmt.Errorf("pools: preview: %w", err)
	}
	return sc, nil
}

func (s *Service) screen(ctx context.Context, p ballast.Principal, rule Rule, day hr.Date, poolID, employeeID string) (Screening, error) {
	rows, err := s.store.Screen(ctx, p.Tenant, ScreenQuery{Rule: rule, Day: day, EmployeeID: employeeID, Limit: MaxScreenRows})
	if err != nil {
		return Screening{}, err
	}
	members := map[string]bool{}
	if poolID != "" {
		ms, err := s.store.Members(ctx, p.Tenant, MemberQuery{PoolID: poolID, Status: MemberActive, EmployeeID: employeeID})
		if err != nil {
			return Screening{}, err
		}
		for _, m := range ms {
			members[m.EmployeeID] = true
		}
	}
	leaves := rule.Leaves()
	sc := Screening{Day: day, Matches: []Candidate{}, NearMisses: []Candidate{}}
	for _, c := range rows {
		pass := make([]bool, len(c.Values))
		for i := range c.Values {
			pass[i] = c.Values[i].Pass
			describe(&c.Values[i], leaves[i].Rule)
		}
		c.Member = members[c.EmployeeID]
		if c.Match {
			sc.Matches = append(sc.Matches, c)
			continue
		}
		for _, i := range rule.NearMiss(pass) {
			c.Failed = append(c.Failed, leaves[i].Path)
		}
		sc.NearMisses = append(sc.NearMisses, c)
	}
	return sc, nil
}

// ConfirmParams confirms a candidate into a pool.
type ConfirmParams struct {
	EmployeeID string
	// Note says why; it is required for a near-miss.
	Note string
}

// Confirm makes a screened candidate a member of the pool, keeping what
// the screening showed as evidence. The employee must match the pool's
// rule today, or miss it by one leaf with a Note; a former member joins
// again. HR only.
func (s *Service) Confirm(ctx context.Context, poolID string, cp ConfirmParams) (Member, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Member{}, err
	}
	cp.Note = strings.TrimSpace(cp.Note)
	if err := ballast.CheckID("employee_id", cp.EmployeeID); err != nil {
		return Member{}, fmt.Errorf("pools: confirm: %w", ballast.Invalid("employee_id", "must be an employee id"))
	}
	if len(cp.Note) > 2000 {
		return Member{}, fmt.Errorf("pools: confirm: %w", ballast.Invalid("note", "must be at most 2000 characters"))
	}
	day, err := s.today(ctx, p)
	if err != nil {
		return Member{}, fmt.Errorf("pools: confirm: %w", err)
	}
	var out Member
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		pool, err := s.store.Pool(ctx, p.Tenant, poolID)
		if err != nil {
			return err
		}
		if pool.Archived {
			return ballast.Invalid("pool_id", "the pool is archived")
		}
		emp, err := s.hr.Employee(as(ctx, p), cp.EmployeeID)
		if err != nil {
			return err
		}
		sc, err := s.screen(ctx, p, pool.Rule, day, poolID, cp.EmployeeID)
		if err != nil {
			return err
		}
		var c Candidate
		switch {
		case len(sc.Matches) == 1:
			c = sc.Matches[0]
		case len(sc.NearMisses) == 1 && cp.Note != "":
			c = sc.NearMisses[0]
		case len(sc.NearMisses) == 1:
			return ballast.Invalid("note", "is required to confirm a near-miss (failing "+strings.Join(sc.NearMisses[0].Failed, ", ")+")")
		default:
			return ballast.Invalid("employee_id", "does not match the pool's rule")
		}
		if c.Member {
			return fmt.Errorf("employee %s is a member already: %w", emp.ID, ballast.ErrConflict)
		}
		now := s.now()
		m := Member{PoolID: poolID, EmployeeID: emp.ID, DepartmentID: emp.DepartmentID, Status: MemberActive, Joined: day,
			JoinedBy: p.Subject, Note: cp.Note, RuleVersion: pool.RuleVersion, Evidence: c.Values, UpdatedAt: now, Version: 1}
		before, err := s.store.Member(ctx, p.Tenant, poolID, emp.ID)
		switch {
		case errors.Is(err, ballast.ErrNotFound):
			err = s.store.InsertMember(ctx, p.Tenant, m)
		case err == nil:
			m.Version = before.Version + 1
			err = s.store.UpdateMember(ctx, p.Tenant, m, before.Version)
		}
		if err != nil {
			return err
		}
		if err := s.store.InsertEvent(ctx, p.Tenant, Event{ID: ballast.NewID(), PoolID: poolID, EmployeeID: emp.ID, Kind: EventJoined,
			Day: day, Reason: cp.Note, By: p.Subject, At: now}); err != nil {
			return err
		}
		out = m
		return s.record(ctx, ActionConfirm, poolID+"/"+emp.ID, cp.Note, nil, m)
	})
	if err != nil {
		return Member{}, fmt.Errorf("pools: confirm %s into %s: %w", cp.EmployeeID, poolID, err)
	}
	return out, nil
}

// Leave ends an active membership with a reason. HR only.
func (s *Service) Leave(ctx context.Context, poolID, employeeID, reason string) (Member, error) {
	return s.end(ctx, poolID, employeeID, reason, MemberLeft, EventLeft, ActionLeave)
}

// Promote ends an active membership because the employee was promoted,
// which the pool's promotion rate counts. HR only.
func (s *Service) Promote(ctx context.Context, poolID, employeeID, note string) (Member, error) {
	return s.end(ctx, poolID, employeeID, note, MemberPromoted, EventPromoted, ActionPromote)
}

func (s *Service) end(ctx context.Context, poolID, employeeID, reason string, st MemberStatus, kind EventKind, action string) (Member, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Member{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 2000 {
		return Member{}, fmt.Errorf("pools: %s: %w", kind, ballast.Invalid("reason", "must be 1 to 2000 characters"))
	}
	day, err := s.today(ctx, p)
	if err != nil {
		return Member{}, fmt.Errorf("pools: %s: %w", kind, err)
	}
	var out Member
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Member(ctx, p.Tenant, poolID, employeeID)
		if err != nil {
			return err
		}
		if before.Status != MemberActive {
			return fmt.Errorf("member is %s: %w", before.Status, ballast.ErrConflict)
		}
		m := before
		m.Status, m.Ended, m.EndReason, m.UpdatedAt, m.Version = st, day, reason, s.now(), before.Version+1
		if err := s.store.UpdateMember(ctx, p.Tenant, m, before.Version); err != nil {
			return err
		}
		if err := s.store.InsertEvent(ctx, p.Tenant, Event{ID: ballast.NewID(), PoolID: poolID, EmployeeID: employeeID, Kind: kind,
			Day: day, Reason: reason, By: p.Subject, At: m.UpdatedAt}); err != nil {
			return err
		}
		out = m
		return s.record(ctx, action, poolID+"/"+employeeID, reason, before, m)
	})
	if err != nil {
		return Member{}, fmt.Errorf("pools: %s %s from %s: %w", kind, employeeID, poolID, err)
	}
	return out, nil
}

// Members returns a pool's members of status st (all when empty): every
// member for HR, those of the departments one heads for a department head.
func (s *Service) Members(ctx context.Context, poolID string, st MemberStatus) ([]Member, error) {
	p, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.Pool(ctx, p.Tenant, poolID); err != nil {
		return nil, fmt.Errorf("pools: members of %s: %w", poolID, err)
	}
	q := MemberQuery{PoolID: poolID, Status: st}
	if p.Kind != ballast.KindSystem {
		if ok, err := s.auth.Allowed(ctx, PermManage); err != nil {
			return nil, err
		} else if !ok {
			if q.DepartmentIDs, err = s.headed(ctx, p); err != nil {
				return nil, err
			}
		}
	}
	ms, err := s.store.Members(ctx, p.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("pools: members of %s: %w", poolID, err)
	}
	return ms, nil
}

// History returns a pool's membership events (of employeeID when set),
// oldest first. HR only.
func (s *Service) History(ctx context.Context, poolID, employeeID string) ([]Event, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.Pool(ctx, p.Tenant, poolID); err != nil {
		return nil, fmt.Errorf("pools: history of %s: %w", poolID, err)
	}
	es, err := s.store.Events(ctx, p.Tenant, poolID, employeeID)
	if err != nil {
		return nil, fmt.Errorf("pools: history of %s: %w", poolID, err)
	}
	return es, nil
}

// Report sums up a pool: current members, promotion rate and attrition
// (members whose employee has departed). HR only.
func (s *Service) Report(ctx context.Context, poolID string) (Report, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Report{}, err
	}
	var r Report
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.Pool(ctx, p.Tenant, poolID); err != nil {
			return err
		}
		ms, err := s.store.Members(ctx, p.Tenant, MemberQuery{PoolID: poolID})
		if err != nil {
			return err
		}
		dep, err := s.store.Departed(ctx, p.Tenant, poolID)
		if err != nil {
			return err
		}
		r = Report{PoolID: poolID, Ever: len(ms), Departed: dep, Members: []Member{}}
		for _, m := range ms {
			switch m.Status {
			case MemberActive:
				r.Current++
				r.Members = append(r.Members, m)
			case MemberPromoted:
				r.Promoted++
			case MemberLeft:
				r.Left++
			}
		}
		if r.Ever > 0 {
			r.PromotionRate = float64(r.Promoted) / float64(r.Ever)
			r.AttritionRate = float64(r.Departed) / float64(r.Ever)
		}
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("pools: report of %s: %w", poolID, err)
	}
	return r, nil
}
