package insight

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
)

// The permissions the Service checks. Hosts grant them through access.
const (
	// PermRead opens the analysis of the whole tenant.
	PermRead = "analytics:read"
	// PermReadDepartment opens the analysis of the departments the subject
	// heads (Principal.Subject is the head's employee ID) and of every
	// department below them.
	PermReadDepartment = "analytics:read:department"
)

// Authorizer decides whether the principal in ctx holds a permission in its
// tenant. *access.Enforcer implements it.
type Authorizer interface {
	// Allowed reports whether the principal holds permission; it returns
	// an error matching ballast.ErrUnauthenticated without a principal.
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Config is what New needs. Store and Auth are required; a nil Clock means
// the system clock; zero Thresholds take their defaults.
type Config struct {
	Store      Store
	Auth       Authorizer
	Clock      ballast.Clock
	Thresholds Thresholds
}

// Options tunes one analysis. The zero value is the usual view: departed
// employees left out, each department on its own.
type Options struct {
	// IncludeDeparted counts departed employees as members, referrers and
	// owners. By default they are left out: a departed person can no longer
	// take anyone along. Referral chains still pass through them, so who
	// referred a departed referrer still gets the indirect credit.
	IncludeDeparted bool `json:"include_departed,omitempty"`
	// IncludeSubdepartments makes a department's team its whole subtree
	// rather than the employees placed directly in it.
	IncludeSubdepartments bool `json:"include_subdepartments,omitempty"`
}

// Service is the key-person risk analysis: referral trees, dependency
// clusters and customer concentration, read-only. It is safe for concurrent
// use. Every method reads the principal from ctx and checks PermRead (the
// whole tenant) or PermReadDepartment (the departments the subject heads).
type Service struct {
	store      Store
	auth       Authorizer
	clock      ballast.Clock
	thresholds Thresholds
}

// New returns a Service, or an error naming each missing or bad part of
// cfg (a *ballast.ValidationError).
func New(cfg Config) (*Service, error) {
	var v ballast.ValidationError
	if cfg.Store == nil {
		v.Add("Store", "is required")
	}
	if cfg.Auth == nil {
		v.Add("Auth", "is required")
	}
	cfg.Thresholds.validate(&v)
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("insight: new service: %w", err)
	}
	return &Service{
		store:      cfg.Store,
		auth:       cfg.Auth,
		clock:      ballast.ClockOrSystem(cfg.Clock),
		thresholds: cfg.Thresholds.withDefaults(),
	}, nil
}

// Thresholds returns the thresholds in force, defaults filled in.
func (s *Service) Thresholds() Thresholds { return s.thresholds }

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }
