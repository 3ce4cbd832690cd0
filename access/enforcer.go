package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// Tx runs use cases in transactions and defers work until they commit.
// storage.DB implements it.
type Tx interface {
	// InTx runs fn in a transaction carried by the context (a savepoint
	// when ctx already carries one).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// AfterCommit runs fn once the transaction carried by ctx has
	// committed, never after a rollback, and at once when ctx carries none.
	AfterCommit(ctx context.Context, fn func())
}

// Auditor appends evidence in the caller's transaction. *audit.Log
// implements it.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) (audit.Entry, error)
}

// Config is what New needs. Store, Tx and Audit are required.
type Config struct {
	// Store persists rules and policy versions (storage.DB.Access()).
	Store Store
	// Tx runs each management use case in one transaction (storage.DB).
	Tx Tx
	// Audit records every change of access with its actor and reason.
	Audit Auditor
	// Clock stamps decisions; nil means the system clock.
	Clock ballast.Clock
	// ReloadTimeout bounds the reload of a tenant's policy after a commit
	// (default 30s).
	ReloadTimeout time.Duration
}

// Enforcer decides who may do what, and manages roles, grants and disabled
// accounts. Each tenant's policy is loaded from the Store into its own
// Casbin model and compiled into an index, so a decision is a few map
// lookups; a change is written in the use case's transaction and the
// tenant's policy is reloaded only after that transaction commits.
//
// An Enforcer is safe for concurrent use. In a deployment of several
// instances, run Watch (or call Sync periodically) on each so they pick up
// changes made elsewhere.
type Enforcer struct {
	store   Store
	tx      Tx
	audit   Auditor
	clock   ballast.Clock
	timeout time.Duration
	base    model.Model

	mu      sync.RWMutex
	tenants map[string]*snapshot
}

// New returns an Enforcer. It loads nothing: tenants are loaded on their
// first decision, by LoadTenants, or by Sync.
func New(cfg Config) (*Enforcer, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("access: new: Config.Store is required")
	case cfg.Tx == nil:
		return nil, errors.New("access: new: Config.Tx is required")
	case cfg.Audit == nil:
		return nil, errors.New("access: new: Config.Audit is required")
	}
	base, err := NewModel()
	if err != nil {
		return nil, err
	}
	if cfg.ReloadTimeout <= 0 {
		cfg.ReloadTimeout = 30 * time.Second
	}
	return &Enforcer{
		store:   cfg.Store,
		tx:      cfg.Tx,
		audit:   cfg.Audit,
		clock:   ballast.ClockOrSystem(cfg.Clock),
		timeout: cfg.ReloadTimeout,
		base:    base,
		tenants: make(map[string]*snapshot),
	}, nil
}

// Authorize returns nil when the principal in ctx holds permission in its
// tenant, an error matching ballast.ErrForbidden when it does not (or its
// account is disabled), and one matching ballast.ErrUnauthenticated when ctx
// carries no principal. System principals are always allowed. A malformed
// permission is an error matching ballast.ErrInvalid.
func (e *Enforcer) Authorize(ctx context.Context, permission string) error {
	ok, err := e.Allowed(ctx, permission)
	if err != nil {
		return err
	}
	if !ok {
		p, _ := ballast.PrincipalFrom(ctx)
		return fmt.Errorf("access: %s may not %s: %w", p.Subject, permission, ballast.ErrForbidden)
	}
	return nil
}

// Allowed reports whether the principal in ctx holds permission in its
// tenant; see Authorize for the errors.
func (e *Enforcer) Allowed(ctx context.Context, permission string) (bool, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return false, fmt.Errorf("access: authorize: %w", err)
	}
	if !ValidPermission(permission) {
		return false, fmt.Errorf("access: authorize: %w", ballast.Invalid("permission", `must look like "resource:action" or "resource:action:scope"`))
	}
	if p.Kind == ballast.KindSystem {
		return true, nil
	}
	if strings.HasPrefix(p.Subject, rolePrefix) {
		return false, nil // a role is not a principal
	}
	s, err := e.snapshot(ctx, p.Tenant)
	if err != nil {
		return false, err
	}
	return s.decide(p.Subject, permission), nil
}

// Check reports whether subject holds permission in tenant, from memory
// only, for a host that has no principal in a context (a gateway, a
// background job of its own). It never does I/O: a tenant that is not
// loaded yet (see LoadTenants), or whose last reload failed, is denied
// everything.
func (e *Enforcer) Check(tenant, subject, permission string) bool {
	if strings.HasPrefix(subject, rolePrefix) {
		return false // a role is not a subject
	}
	e.mu.RLock()
	s := e.tenants[tenant]
	e.mu.RUnlock()
	return s != nil && s.decide(subject, permission)
}

// Explain returns the decision for subject and permission in tenant with
// the rules behind it: which role (and inheritance path) granted it, which
// deny rule or disabled account refused it. A user may explain decisions
// about themselves; explaining someone else's needs "access:manage" or
// "offboarding:manage". tenant must be the principal's own.
func (e *Enforcer) Explain(ctx context.Context, tenant, subject, permission string) (Decision, error) {
	var v ballast.ValidationError
	checkTenant("tenant", tenant, &v)
	checkSubject("subject", subject, &v)
	checkPermission("permission", permission, &v)
	if err := v.Err(); err != nil {
		return Decision{}, fmt.Errorf("access: explain: %w", err)
	}
	if err := e.authorizeRead(ctx, tenant, subject); err != nil {
		return Decision{}, fmt.Errorf("access: explain: %w", err)
	}
	s, err := e.snapshot(ctx, tenant)
	if err != nil {
		return Decision{}, err
	}
	d := s.explain(subject, permission)
	d.At = e.clock.Now()
	return d, nil
}

// authorizeRead lets a principal read its own access, and anyone holding
// access:manage — or offboarding:manage, since whoever runs an offboarding
// case already applies and previews its revocation stages and must see
// what the leaver can still do — read anyone's, within the principal's
// tenant.
func (e *Enforcer) authorizeRead(ctx context.Context, tenant, subject string) error {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	if p.Tenant != tenant {
		return fmt.Errorf("tenant %s is not the principal's: %w", tenant, ballast.ErrForbidden)
	}
	if p.Kind == ballast.KindSystem || p.Subject == subject {
		return nil
	}
	if ok, err := e.Allowed(ctx, PermOffboarding); err != nil || ok {
		return err
	}
	return e.Authorize(ctx, "access:manage")
}

// snapshot returns the tenant's compiled policy, loading it on first use.
// Outside a transaction the loaded policy is kept. Inside one it is read
// through that transaction (on SQLite the transaction holds the only
// connection) and used for this decision only, and the tenant is loaded
// for keeps after commit, so uncommitted rules never reach the cache.
func (e *Enforcer) snapshot(ctx context.Context, tenant string) (*snapshot, error) {
	e.mu.RLock()
	s := e.tenants[tenant]
	e.mu.RUnlock()
	if s != nil {
		return s, nil
	}
	inTx := true
	e.tx.AfterCommit(ctx, func() { inTx = false }) // runs at once without a transaction
	s, err := e.load(ctx, tenant)
	if err != nil {
		return nil, err
	}
	if inTx {
		e.tx.AfterCommit(ctx, func() { e.reload(tenant) })
		return s, nil
	}
	return e.install(s), nil
}

// load reads a tenant's policy through the store into a fresh Casbin
// enforcer (LoadFilteredPolicyCtx) and compiles it. The version is read
// first, so the rules are at least as new as it.
func (e *Enforcer) load(ctx context.Context, tenant string) (*snapshot, error) {
	ce, version, err := e.loadCasbin(ctx, tenant)
	if err != nil {
		return nil, err
	}
	return compile(tenant, version, ce.GetModel())
}

func (e *Enforcer) loadCasbin(ctx context.Context, tenant string) (*casbin.Enforcer, int64, error) {
	vs, err := e.store.PolicyVersions(ctx, []string{tenant})
	if err != nil {
		return nil, 0, fmt.Errorf("access: load %s: %w", tenant, err)
	}
	ce, err := casbin.NewEnforcer(e.base.Copy())
	if err != nil {
		return nil, 0, fmt.Errorf("access: load %s: %w", tenant, err)
	}
	ce.SetAdapter(e.store)
	if err := ce.LoadFilteredPolicyCtx(ctx, Filter{Tenant: tenant}); err != nil {
		return nil, 0, fmt.Errorf("access: load %s: %w", tenant, err)
	}
	return ce, vs[tenant], nil
}

// install keeps s unless a newer version of the tenant is already in
// memory (two reloads may finish out of order), and returns what is kept.
func (e *Enforcer) install(s *snapshot) *snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	if cur := e.tenants[s.tenant]; cur != nil && cur.version > s.version {
		return cur
	}
	e.tenants[s.tenant] = s
	return s
}

// reload runs after a commit, detached from the use case's context (whose
// transaction is over). When it fails the tenant is dropped from memory, so
// it is denied everything (Check) or loaded afresh (Authorize) rather than
// decided on a stale policy.
func (e *Enforcer) reload(tenant string) {
	ctx, cancel := context.WithTimeout(context.Background(), e.timeout)
	defer cancel()
	s, err := e.load(ctx, tenant)
	if err != nil {
		e.mu.Lock()
		delete(e.tenants, tenant)
		e.mu.Unlock()
		return
	}
	e.install(s)
}

// LoadTenants loads (or reloads) the named tenants' policies, for a host
// that wants Check to answer from the start. Call it outside a transaction.
func (e *Enforcer) LoadTenants(ctx context.Context, tenants ...string) error {
	var errs []error
	for _, t := range tenants {
		s, err := e.load(ctx, t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.install(s)
	}
	return errors.Join(errs...)
}
