// Package app wires the ballast packages into the reference server: one
// storage.DB, the audit log, the access enforcer, the hr service and its
// sub-packages (customers, assets, channel, insight), offboarding, the
// review cycles with their 360 rounds and appeals (assessment), the
// notification outbox, the server's own authentication, the JSON API and
// the web UI. It is the only place that knows all of them.
//
//	a, err := app.Open(ctx, "sqlite:ballast.db")
//	if err != nil { … }
//	defer a.Close()
//	if err := a.Migrate(ctx); err != nil { … }
//	logins, err := a.SeedDemoIfEmpty(ctx)
//	if err := a.Start(ctx); err != nil { … } // outbox, audit sequencer, access sync
//	defer a.Stop(context.Background())
//	http.ListenAndServe(addr, a.Handler())
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/examples/server/internal/api"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/examples/server/internal/web"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

// Options tunes Open. The zero value is what the server runs with.
type Options struct {
	// Clock is every service's clock; nil means the system clock.
	Clock ballast.Clock
	// Logger receives the server's logs and the log notifier's messages;
	// nil means slog.Default().
	Logger *slog.Logger
	// PasswordIterations is the PBKDF2 iteration count for new demo
	// passwords (0: auth.DefaultIterations). Tests lower it to
	// auth.MinIterations.
	PasswordIterations int
	// SyncEvery is how often Start's loop reloads access policies changed by
	// other instances (default 5s).
	SyncEvery time.Duration
	// ReconcileEvery is how often Start's loop runs the time-driven work of
	// every tenant (Reconcile): the daily customer snapshot when it is due,
	// the channel's overdue questions and feedback digest, offboarding
	// reminders and stages, and the reminders and escalations of review
	// cycles, 360 rounds and appeals (default 1h; the first run is at
	// Start).
	ReconcileEvery time.Duration
	// Getenv reads the notification settings (see NotifierFromEnv); nil
	// means none are set and notifications go to the log. The server passes
	// os.Getenv.
	Getenv func(string) string
	// PublicTenant is the tenant whose anonymous-feedback follow-up codes
	// the web UI checks for visitors without a session (the demo company in
	// the reference server); empty means visitors must sign in first.
	PublicTenant string
}

// App is the wired reference server. Its fields are the services, for the
// web UI, the demo seed and tests; they are set by Open and never change.
type App struct {
	DB     *storage.DB
	Clock  ballast.Clock
	Logger *slog.Logger
	Audit  *audit.Log
	Access *access.Enforcer
	HR     *hr.Service
	Outbox *notify.Outbox
	Auth   *auth.Service
	API    *api.Handler
	// Customers keeps customer records as company assets (hr/customers).
	Customers *customers.Service
	// Assets is the register of company assets issued to employees
	// (hr/assets).
	Assets *assets.Service
	// Channel is the HR↔employee channel: announcements, questions and
	// anonymous feedback (hr/channel).
	Channel *channel.Service
	// Insight is the key-person risk analysis (hr/insight).
	Insight *insight.Service
	// Offboarding runs resignations as cases of handover steps with
	// deadlines, signatures and the staged revocation of access.
	Offboarding *offboarding.Service
	// Assessment runs performance reviews: indicators, templates, the
	// grade scale, cycles, self-evaluation, manager scoring, calibration,
	// finalisation and reports (assessment).
	Assessment *assessment.Service
	// Multirater runs 360 feedback rounds of review cycles
	// (assessment/multirater); Assessment reads their dimension scores.
	Multirater *multirater.Service
	// Appeals takes employees' appeals on their assessment results
	// (assessment/appeal, subject kind KindAssessmentResult).
	Appeals *appeal.Service

	handler        http.Handler
	syncEvery      time.Duration
	reconcileEvery time.Duration

	mu      sync.Mutex
	loopCtx context.Context    // of the background loops
	cancel  context.CancelFunc // of loopCtx; nil when stopped
	loops   sync.WaitGroup
}

// Open connects to dsn (see storage.Open) and builds every service on it.
// It does not migrate (call Migrate) and starts nothing (call Start).
func Open(ctx context.Context, dsn string, opts ...Options) (*App, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	a, err := New(db, o)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

// New builds every service on an open db, as Open does. Close closes db.
func New(db *storage.DB, o Options) (*App, error) {
	if db == nil {
		return nil, errors.New("app: new: db is required")
	}
	a := &App{DB: db, Clock: ballast.ClockOrSystem(o.Clock), Logger: o.Logger, syncEvery: o.SyncEvery, reconcileEvery: o.ReconcileEvery}
	if a.Logger == nil {
		a.Logger = slog.Default()
	}
	if a.syncEvery <= 0 {
		a.syncEvery = 5 * time.Second
	}
	if a.reconcileEvery <= 0 {
		a.reconcileEvery = time.Hour
	}
	// audit checks "audit:read" through access, and access appends to
	// audit: the log gets an authorizer that forwards to the enforcer once
	// it exists.
	authz := &lateAuthorizer{}
	var err error
	if a.Audit, err = audit.New(audit.Config{Store: db.Audit(), Tx: db, Clock: a.Clock, Authorizer: authz}); err != nil {
		return nil, err
	}
	if a.Access, err = access.New(access.Config{Store: db.Access(), Tx: db, Audit: a.Audit, Clock: a.Clock}); err != nil {
		return nil, err
	}
	authz.set(a.Access)
	if a.HR, err = hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: a.Access, Audit: a.Audit, Clock: a.Clock}); err != nil {
		return nil, err
	}
	notifier, err := NotifierFromEnv(o.Getenv, db, a.Clock, a.Logger)
	if err != nil {
		return nil, err
	}
	if a.Outbox, err = notify.New(notify.Config{Store: db.Notify(), Notifier: notifier, Clock: a.Clock, Logger: a.Logger}); err != nil {
		return nil, err
	}
	if err := a.domain(db); err != nil {
		return nil, err
	}
	if err := a.assessmentServices(db); err != nil {
		return nil, err
	}
	if a.Auth, err = auth.New(db, a.Clock, auth.Options{Iterations: o.PasswordIterations}); err != nil {
		return nil, err
	}
	if a.API, err = api.New(api.Config{HR: a.HR, Access: a.Access, Audit: a.Audit, Auth: a.Auth,
		Customers: a.Customers, Assets: a.Assets, Channel: a.Channel, Insight: a.Insight, Offboarding: a.Offboarding,
		Assessment: a.Assessment, Multirater: a.Multirater, Appeals: a.Appeals,
		Logger: a.Logger}); err != nil {
		return nil, err
	}
	ui, err := web.New(web.Config{HR: a.HR, Access: a.Access, Auth: a.Auth, Logger: a.Logger, Clock: a.Clock,
		Customers: a.Customers, Assets: a.Assets, Channel: a.Channel, Insight: a.Insight, Offboarding: a.Offboarding,
		Assessment: a.Assessment, Multirater: a.Multirater, Appeals: a.Appeals,
		PublicTenant: o.PublicTenant})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", a.API)
	mux.HandleFunc("GET /openapi.json", a.API.ServeOpenAPI)
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.Handle("/", ui)
	a.handler = logRequests(a.Logger, mux)
	return a, nil
}

// Handler serves the JSON API under /api/, its OpenAPI document at
// /openapi.json, /healthz, and the web UI everywhere else, logging one line
// per request.
func (a *App) Handler() http.Handler { return a.handler }

// Migrate applies the library's migrations and the server's own (users and
// tokens), then brings every tenant's built-in role definitions up to date
// (a new release may grant a role a new permission, such as
// customers:read:key). It is idempotent.
func (a *App) Migrate(ctx context.Context) error {
	if err := a.DB.Migrate(ctx); err != nil {
		return err
	}
	if err := auth.Migrate(ctx, a.DB); err != nil {
		return err
	}
	var tenants []string
	if err := a.DB.Bun().NewSelect().TableExpr("ballast_tenants").Column("tenant_id").Scan(ctx, &tenants); err != nil {
		return fmt.Errorf("app: list tenants: %w", err)
	}
	for _, t := range tenants {
		if err := a.Access.SeedTenant(ctx, t); err != nil {
			return fmt.Errorf("app: refresh roles of tenant %s: %w", t, err)
		}
	}
	return nil
}

// healthz answers 200 when the database answers a ping within two seconds,
// else 503.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.DB.Bun().PingContext(ctx); err != nil {
		a.Logger.ErrorContext(ctx, "healthz: database ping failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"unavailable"}` + "\n"))
		return
	}
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// Start runs the background work until Stop or until ctx is done: the
// outbox dispatcher, the audit sequencer (links appended entries into each
// tenant's chain every second), the access sync (reloads policies
// changed by other instances) and the reconcile loop (Reconcile at once,
// then every ReconcileEvery). Starting a started App is an error.
func (a *App) Start(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cancel != nil {
		return fmt.Errorf("app: start: already running: %w", ballast.ErrConflict)
	}
	ctx, cancel := context.WithCancel(ctx)
	if err := a.Outbox.Start(ctx); err != nil {
		cancel()
		return err
	}
	a.loopCtx, a.cancel = ctx, cancel
	a.loops.Add(3)
	go func() {
		defer a.loops.Done()
		a.reconcileLoop(ctx)
	}()
	go func() {
		defer a.loops.Done()
		a.Audit.Run(ctx, time.Second, func(err error) { a.Logger.Error("audit sequencer", "err", err) })
	}()
	go func() {
		defer a.loops.Done()
		t := time.NewTicker(a.syncEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := a.Access.Sync(ctx); err != nil && ctx.Err() == nil {
					a.Logger.Error("access sync", "err", err)
				}
			}
		}
	}()
	return nil
}

// Stop ends the background work started by Start and waits for it (until
// ctx is done). Stopping a stopped App does nothing.
func (a *App) Stop(ctx context.Context) error {
	a.mu.Lock()
	cancel, loopCtx := a.cancel, a.loopCtx
	a.cancel = nil
	a.mu.Unlock()
	if cancel == nil {
		return nil
	}
	err := a.Outbox.Stop(ctx)
	if err != nil && loopCtx.Err() != nil {
		err = nil // the dispatcher ended with Start's context already
	}
	cancel()
	done := make(chan struct{})
	go func() { a.loops.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return errors.Join(err, fmt.Errorf("app: stop: %w", ctx.Err()))
	}
	return err
}

// Close stops the background work and closes the database.
func (a *App) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(a.Stop(ctx), a.DB.Close())
}

// lateAuthorizer forwards to an Authorizer set after construction, and
// denies until then.
type lateAuthorizer struct {
	mu sync.RWMutex
	a  audit.Authorizer
}

func (l *lateAuthorizer) set(a audit.Authorizer) {
	l.mu.Lock()
	l.a = a
	l.mu.Unlock()
}

func (l *lateAuthorizer) Authorize(ctx context.Context, permission string) error {
	l.mu.RLock()
	a := l.a
	l.mu.RUnlock()
	if a == nil {
		return fmt.Errorf("app: access not ready: %w", ballast.ErrForbidden)
	}
	return a.Authorize(ctx, permission)
}
