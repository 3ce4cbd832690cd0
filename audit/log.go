package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// Linking says when an appended entry joins its tenant's hash chain.
type Linking int

const (
	// LinkLater (the default) writes each entry unlinked in the caller's
	// transaction, without any lock, and leaves linking to Sequence, which
	// links committed entries in a batch under the tenant's chain lock.
	// Writers of one tenant never wait for each other. Query, Verify and
	// Export sequence first, so they always see every committed entry; the
	// host runs Run (or calls SequenceAll) to keep the chain current.
	LinkLater Linking = iota
	// LinkOnAppend links each entry as it is appended: Append locks the
	// tenant's chain head and holds the lock until the caller's transaction
	// ends, so the returned Entry carries its Seq and Hash at once. Every
	// audited write of a tenant is then serialised; see the package
	// documentation for the measured cost.
	LinkOnAppend
)

// Authorizer decides whether the principal in ctx holds a permission in its
// tenant; access.Enforcer implements it. It returns nil when allowed and an
// error matching ballast.ErrForbidden when not.
type Authorizer interface {
	Authorize(ctx context.Context, permission string) error
}

// PermissionRead is the permission Query, Verify and Export check.
const PermissionRead = "audit:read"

// Config configures a Log.
type Config struct {
	// Store keeps the entries. Required.
	Store Store
	// Tx runs the linking transactions. Optional when Store implements
	// ballast.Transactor itself (storage's does).
	Tx ballast.Transactor
	// Clock stamps entries; nil means the system clock.
	Clock ballast.Clock
	// Authorizer checks PermissionRead for Query, Verify and Export. When
	// nil, only KindSystem principals may read the log. Append is never
	// permission-checked: the services that call it have checked theirs.
	Authorizer Authorizer
	// Linking chooses when entries are linked; the zero value is LinkLater.
	Linking Linking
}

// Log is a tenant-scoped, append-only, hash-chained evidence log. It is safe
// for concurrent use.
type Log struct {
	store   Store
	tx      ballast.Transactor
	clock   ballast.Clock
	authz   Authorizer
	linking Linking
}

// New returns a Log built from cfg, or an error naming what is missing.
func New(cfg Config) (*Log, error) {
	if cfg.Store == nil {
		return nil, errors.New("audit: config: Store is required")
	}
	tx := cfg.Tx
	if tx == nil {
		t, ok := cfg.Store.(ballast.Transactor)
		if !ok {
			return nil, errors.New("audit: config: Tx is required (the Store is not a ballast.Transactor)")
		}
		tx = t
	}
	if cfg.Linking != LinkLater && cfg.Linking != LinkOnAppend {
		return nil, fmt.Errorf("audit: config: unknown Linking %d", cfg.Linking)
	}
	return &Log{store: cfg.Store, tx: tx, clock: ballast.ClockOrSystem(cfg.Clock), authz: cfg.Authorizer, linking: cfg.Linking}, nil
}

// Limits on the size of a Record's fields.
const (
	maxShort   = 200  // Action, TargetType, TargetID, Actor
	maxReason  = 4000 // Reason
	maxChanges = 1000 // len(Changes)
)

// Append adds r to the log of the principal's tenant, in the transaction
// carried by ctx (when there is one): if that transaction rolls back, the
// entry is gone too. The actor is the principal's subject unless r.Actor is
// set; its kind is the principal's.
//
// With LinkLater the returned Entry has Seq 0 and no hashes yet: Sequence
// links it after commit. With LinkOnAppend it is linked at once.
//
// A missing principal is an error matching ballast.ErrUnauthenticated; a
// Record without Action or TargetType, with over-long fields or with text
// that is not UTF-8 gets a *ballast.ValidationError. Nothing is written then.
func (l *Log) Append(ctx context.Context, r Record) (Entry, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: append: %w", err)
	}
	if err := r.validate(); err != nil {
		return Entry{}, fmt.Errorf("audit: append: %w", err)
	}
	e := l.entry(p, r)
	if l.linking == LinkLater {
		if err := l.store.Insert(ctx, e); err != nil {
			return Entry{}, fmt.Errorf("audit: append %s: %w", e.Action, err)
		}
		return e, nil
	}
	err = l.tx.InTx(ctx, func(ctx context.Context) error {
		head, err := l.store.LockHead(ctx, e.Tenant)
		if err != nil {
			return err
		}
		e = link(e, head)
		if err := l.store.Insert(ctx, e); err != nil {
			return err
		}
		return l.store.SetHead(ctx, e.Tenant, Head{Seq: e.Seq, Hash: e.Hash})
	})
	if err != nil {
		return Entry{}, fmt.Errorf("audit: append %s: %w", e.Action, err)
	}
	return e, nil
}

// entry is the unlinked entry recording r for principal p.
func (l *Log) entry(p ballast.Principal, r Record) Entry {
	e := Entry{
		ID:         ballast.NewID(),
		Tenant:     p.Tenant,
		At:         canonicalTime(l.clock.Now()),
		Actor:      p.Subject,
		ActorKind:  string(p.Kind),
		Action:     r.Action,
		TargetType: r.TargetType,
		TargetID:   r.TargetID,
		Reason:     r.Reason,
		Changes:    cleanChanges(r.Changes),
	}
	if r.Actor != "" {
		e.Actor = r.Actor
	}
	return e
}

// AppendMany appends rs as Append would, for use cases that change many
// records at once (a handover transferring 10,000 customers). Every record
// is validated first — a *ballast.ValidationError naming "records[i].field"
// for each bad one, nothing written. With LinkLater (the default) and a
// Store that is a BatchInserter, the entries are written with multi-row
// inserts in the caller's transaction instead of one round trip each; the
// sequencer links them later in the order they are returned. With
// LinkOnAppend they are appended one by one under the chain-head lock.
func (l *Log) AppendMany(ctx context.Context, rs []Record) ([]Entry, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: append many: %w", err)
	}
	var v ballast.ValidationError
	for i, r := range rs {
		var rv *ballast.ValidationError
		if err := r.validate(); errors.As(err, &rv) {
			for _, f := range rv.Fields {
				v.Add(fmt.Sprintf("records[%d].%s", i, f.Field), f.Message)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("audit: append many: %w", err)
	}
	bi, batch := l.store.(BatchInserter)
	if !batch || l.linking != LinkLater {
		out := make([]Entry, 0, len(rs))
		for _, r := range rs {
			e, err := l.Append(ctx, r)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	}
	es := make([]Entry, len(rs))
	for i, r := range rs {
		es[i] = l.entry(p, r)
	}
	if err := bi.InsertMany(ctx, es); err != nil {
		return nil, fmt.Errorf("audit: append many: %w", err)
	}
	return es, nil
}

func (r Record) validate() error {
	var v ballast.ValidationError
	text := func(field, s string, max int, required bool) {
		switch {
		case s == "" && required:
			v.Add(field, "is required")
		case len(s) > max:
			v.Add(field, fmt.Sprintf("is longer than %d bytes", max))
		case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
			v.Add(field, "is not valid text")
		}
	}
	text("action", r.Action, maxShort, true)
	text("target_type", r.TargetType, maxShort, true)
	text("target_id", r.TargetID, maxShort, false)
	text("actor", r.Actor, maxShort, false)
	text("reason", r.Reason, maxReason, false)
	if len(r.Changes) > maxChanges {
		v.Add("changes", fmt.Sprintf("has more than %d entries", maxChanges))
	}
	return v.Err()
}

// cleanChanges makes every change storable as it is hashed: valid UTF-8.
func cleanChanges(cs []Change) []Change {
	if len(cs) == 0 {
		return nil
	}
	out := make([]Change, len(cs))
	for i, c := range cs {
		out[i] = Change{
			Path:   strings.ToValidUTF8(c.Path, "\uFFFD"),
			Before: strings.ToValidUTF8(c.Before, "\uFFFD"),
			After:  strings.ToValidUTF8(c.After, "\uFFFD"),
		}
	}
	return out
}

// sequenceBatch is how many pending entries Sequence links per statement.
const sequenceBatch = 1000

// Sequence links tenant's pending entries (those appended with LinkLater
// and committed) to the end of its chain, oldest first, in one transaction
// under the chain lock; it returns how many it linked. It is idempotent and
// safe to run concurrently from any number of instances. It needs no
// principal: it changes no entry's content, only its position.
func (l *Log) Sequence(ctx context.Context, tenant string) (int, error) {
	if tenant == "" {
		return 0, fmt.Errorf("audit: sequence: %w", ballast.Invalid("tenant", "is required"))
	}
	probe, err := l.store.Pending(ctx, tenant, 1)
	if err != nil {
		return 0, fmt.Errorf("audit: sequence %s: %w", tenant, err)
	}
	if len(probe) == 0 {
		return 0, nil
	}
	total := 0
	err = l.tx.InTx(ctx, func(ctx context.Context) error {
		total = 0
		head, err := l.store.LockHead(ctx, tenant)
		if err != nil {
			return err
		}
		for {
			batch, err := l.store.Pending(ctx, tenant, sequenceBatch)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			for i := range batch {
				batch[i] = link(batch[i], head)
				head = Head{Seq: batch[i].Seq, Hash: batch[i].Hash}
			}
			if err := l.store.Link(ctx, tenant, batch); err != nil {
				return err
			}
			total += len(batch)
			if len(batch) < sequenceBatch {
				break
			}
		}
		return l.store.SetHead(ctx, tenant, head)
	})
	if err != nil {
		return 0, fmt.Errorf("audit: sequence %s: %w", tenant, err)
	}
	return total, nil
}

// SequenceAll runs Sequence for every tenant with pending entries and
// returns how many entries it linked in all.
func (l *Log) SequenceAll(ctx context.Context) (int, error) {
	const page = 500
	total := 0
	for {
		tenants, err := l.store.PendingTenants(ctx, page)
		if err != nil {
			return total, fmt.Errorf("audit: sequence all: %w", err)
		}
		for _, t := range tenants {
			n, err := l.Sequence(ctx, t)
			total += n
			if err != nil {
				return total, err
			}
		}
		if len(tenants) < page {
			return total, nil
		}
	}
}

// Run calls SequenceAll every interval until ctx is done, then returns. The
// host starts it (go log.Run(ctx, time.Second, logErr)) on one or more
// instances; onErr, when not nil, receives each failed round's error and
// the loop carries on.
func (l *Log) Run(ctx context.Context, every time.Duration, onErr func(error)) {
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := l.SequenceAll(ctx); err != nil && onErr != nil && ctx.Err() == nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
