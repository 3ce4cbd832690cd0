package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/ballast-hr/ballast"
)

// Config builds an Outbox. Store and Notifier are required; every other
// zero value is a sensible default.
type Config struct {
	// Store keeps the outbox (storage.DB.Notify()). Required.
	Store Store
	// Notifier delivers messages (LogNotifier, a Webhook, a Func, or a
	// host's fan-out by Channel). Required.
	Notifier Notifier
	// Clock tells the time for CreatedAt, leases and retries; nil means the
	// system clock.
	Clock ballast.Clock
	// MaxAttempts is how many deliveries are tried before a message is
	// marked dead; 0 means DefaultMaxAttempts.
	MaxAttempts int
	// Backoff returns how long to wait after the attempt-th failed attempt
	// (1-based) before the next one; nil means DefaultBackoff (exponential
	// with jitter). A negative result counts as zero.
	Backoff func(attempt int) time.Duration
	// Lease is how long a dispatcher holds the messages it claimed before
	// another may claim them again (default 2 minutes). It must comfortably
	// exceed the time to deliver one batch; a dispatcher stops delivering a
	// batch once its lease has run out.
	Lease time.Duration
	// BatchSize caps the messages one claim takes from one tenant (default
	// 100).
	BatchSize int
	// MaxTenants caps the tenants one DispatchOnce serves (default 100).
	MaxTenants int
	// DeliveryTimeout bounds one Notify call (default 30 seconds).
	DeliveryTimeout time.Duration
	// PollInterval is how often the loop started by Start looks for due
	// messages when nobody calls Wake (default 5 seconds).
	PollInterval time.Duration
	// Logger receives dispatch problems (a failed claim, a lost lease) from
	// the loop started by Start; nil means slog.Default().
	Logger *slog.Logger
}

// Defaults for Config.
const (
	DefaultMaxAttempts     = 8
	DefaultLease           = 2 * time.Minute
	DefaultBatchSize       = 100
	DefaultMaxTenants      = 100
	DefaultDeliveryTimeout = 30 * time.Second
	DefaultPollInterval    = 5 * time.Second
)

// AfterCommitter is an optional capability of a Store: run fn once the
// transaction carried by ctx has committed (at once without one). When the
// Store has it, Enqueue wakes the dispatcher after commit, so a message is
// delivered promptly instead of at the next poll. storage's store has it.
type AfterCommitter interface {
	AfterCommit(ctx context.Context, fn func())
}

// Outbox is the transactional outbox: Enqueue writes a message in the
// caller's transaction, and the dispatcher (DispatchOnce, or the loop of
// Start) delivers it through the Notifier after commit, retrying with
// backoff. It is safe for concurrent use, and any number of Outboxes on
// any number of instances may dispatch from one database.
type Outbox struct {
	store       Store
	notifier    Notifier
	clock       ballast.Clock
	maxAttempts int
	backoff     func(int) time.Duration
	lease       time.Duration
	batch       int
	maxTenants  int
	timeout     time.Duration
	interval    time.Duration
	logger      *slog.Logger

	wake chan struct{}

	mu      sync.Mutex
	running *loop // nil when no loop is running
}

// New checks cfg and returns an Outbox. It starts nothing: call Start for
// the background loop, or DispatchOnce from a loop of your own.
func New(cfg Config) (*Outbox, error) {
	var missing []string
	if cfg.Store == nil {
		missing = append(missing, "Store")
	}
	if cfg.Notifier == nil {
		missing = append(missing, "Notifier")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("notify: new: config needs %v", missing)
	}
	if cfg.MaxAttempts < 0 || cfg.Lease < 0 || cfg.BatchSize < 0 || cfg.MaxTenants < 0 ||
		cfg.DeliveryTimeout < 0 || cfg.PollInterval < 0 {
		return nil, fmt.Errorf("notify: new: config has a negative limit or duration")
	}
	o := &Outbox{
		store:       cfg.Store,
		notifier:    cfg.Notifier,
		clock:       ballast.ClockOrSystem(cfg.Clock),
		maxAttempts: orDefault(cfg.MaxAttempts, DefaultMaxAttempts),
		backoff:     cfg.Backoff,
		lease:       orDefault(cfg.Lease, DefaultLease),
		batch:       orDefault(cfg.BatchSize, DefaultBatchSize),
		maxTenants:  orDefault(cfg.MaxTenants, DefaultMaxTenants),
		timeout:     orDefault(cfg.DeliveryTimeout, DefaultDeliveryTimeout),
		interval:    orDefault(cfg.PollInterval, DefaultPollInterval),
		logger:      cfg.Logger,
		wake:        make(chan struct{}, 1),
	}
	if o.backoff == nil {
		o.backoff = DefaultBackoff
	}
	if o.logger == nil {
		o.logger = slog.Default()
	}
	return o, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Enqueue writes m to the outbox in the transaction carried by ctx, so the
// message is delivered if and only if the caller's use case commits. Call
// it inside DB.InTx; without a transaction on ctx it commits at once.
//
// The tenant is the principal's; a system principal may set m.Tenant to
// enqueue for another tenant, a user principal may not (ErrForbidden).
// Enqueue does not check permissions: it is part of a use case that has.
// Enqueue fills m.ID (when empty), m.Tenant and m.CreatedAt. A bad message
// gets a *ballast.ValidationError and writes nothing. A message whose
// IdempotencyKey the tenant already used is a no-op returning nil: the
// first message stays as it was.
func (o *Outbox) Enqueue(ctx context.Context, m Message) error {
	tenant, err := o.enqueueTenant(ctx, m)
	if err != nil {
		return fmt.Errorf("notify: enqueue: %w", err)
	}
	if err := m.validate(); err != nil {
		return fmt.Errorf("notify: enqueue: %w", err)
	}
	rec := o.pending(tenant, m)
	_, inserted, err := o.store.Insert(ctx, tenant, rec)
	if err != nil {
		return fmt.Errorf("notify: enqueue %s: %w", m.Kind, err)
	}
	if inserted {
		o.wakeAfterCommit(ctx)
	}
	return nil
}

// EnqueueMany is Enqueue for many messages of one tenant at once (an
// announcement to every employee, the reminders of one reconcile pass):
// every message is validated first — a *ballast.ValidationError naming
// "messages[i].field" for each bad one, nothing written — and then written
// in the caller's transaction with as few statements as the store allows
// (stores implementing BatchInserter take multi-row inserts). Duplicate
// idempotency keys are skipped as in Enqueue. It returns how many messages
// were new.
func (o *Outbox) EnqueueMany(ctx context.Context, ms []Message) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	var v ballast.ValidationError
	recs := make([]Record, 0, len(ms))
	tenant := ""
	for i, m := range ms {
		t, err := o.enqueueTenant(ctx, m)
		if err != nil {
			return 0, fmt.Errorf("notify: enqueue many: message %d: %w", i, err)
		}
		if tenant == "" {
			tenant = t
		} else if t != tenant {
			v.Add(fmt.Sprintf("messages[%d].tenant", i), "must be the same tenant as messages[0]")
		}
		var mv *ballast.ValidationError
		if err := m.validate(); errors.As(err, &mv) {
			for _, f := range mv.Fields {
				v.Add(fmt.Sprintf("messages[%d].%s", i, f.Field), f.Message)
			}
		} else if err != nil {
			return 0, fmt.Errorf("notify: enqueue many: %w", err)
		}
		recs = append(recs, o.pending(t, m))
	}
	if err := v.Err(); err != nil {
		return 0, fmt.Errorf("notify: enqueue many: %w", err)
	}
	n := 0
	if bi, ok := o.store.(BatchInserter); ok {
		var err error
		if n, err = bi.InsertMany(ctx, tenant, recs); err != nil {
			return 0, fmt.Errorf("notify: enqueue many: %w", err)
		}
	} else {
		for _, rec := range recs {
			_, inserted, err := o.store.Insert(ctx, tenant, rec)
			if err != nil {
				return 0, fmt.Errorf("notify: enqueue many: %w", err)
			}
			if inserted {
				n++
			}
		}
	}
	if n > 0 {
		o.wakeAfterCommit(ctx)
	}
	return n, nil
}

// enqueueTenant is the tenant a message goes to: the principal's, or, for a
// system principal only, the message's own.
func (o *Outbox) enqueueTenant(ctx context.Context, m Message) (string, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return "", err
	}
	if m.Tenant != "" && m.Tenant != p.Tenant {
		if p.Kind != ballast.KindSystem {
			return "", fmt.Errorf("enqueue for tenant %q as a user of another tenant: %w", m.Tenant, ballast.ErrForbidden)
		}
		return m.Tenant, nil
	}
	return p.Tenant, nil
}

// pending is the outbox record of a new message.
func (o *Outbox) pending(tenant string, m Message) Record {
	now := o.now()
	m.Tenant = tenant
	if m.ID == "" {
		m.ID = ballast.NewID()
	}
	m.CreatedAt = now
	m.Recipients = slices.Clone(m.Recipients)
	if len(m.Data) == 0 {
		m.Data = nil
	} else {
		m.Data = maps.Clone(m.Data)
	}
	return Record{Message: m, Status: StatusPending, NextAttemptAt: now, UpdatedAt: now}
}

func (o *Outbox) wakeAfterCommit(ctx context.Context) {
	if ac, ok := o.store.(AfterCommitter); ok {
		ac.AfterCommit(ctx, o.Wake)
	}
}

// List returns the tenant's messages matching f, newest first, for a UI or
// an API. It checks no permission: the caller must have (an HTTP handler
// requiring, say, "notify:read"). A bad filter gets a *ballast.ValidationError.
func (o *Outbox) List(ctx context.Context, tenant string, f Filter) ([]Record, error) {
	var v ballast.ValidationError
	if tenant == "" {
		v.Add("tenant", "is required")
	}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", fmt.Sprintf("must be %q, %q or %q", StatusPending, StatusDelivered, StatusDead))
	}
	if f.Limit < 0 || f.Limit > MaxListLimit {
		v.Add("limit", fmt.Sprintf("must be between 0 and %d", MaxListLimit))
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("notify: list: %w", err)
	}
	if f.Limit == 0 {
		f.Limit = DefaultListLimit
	}
	recs, err := o.store.List(ctx, tenant, f)
	if err != nil {
		return nil, fmt.Errorf("notify: list: %w", err)
	}
	return recs, nil
}

// Wake nudges the loop started by Start to look for due messages now
// instead of at the next poll. It never blocks, and does nothing when no
// loop runs. Enqueue calls it after commit when the Store can tell; a host
// enlisting its own transaction (storage.WithTx) gets the same through
// storage.RunAfterCommit.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *Outbox) now() time.Time {
	return o.clock.Now().UTC().Truncate(time.Microsecond)
}

// errStopped is returned by Stop when no loop runs.
var errStopped = errors.New("notify: outbox loop is not running")
