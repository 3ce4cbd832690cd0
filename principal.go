package ballast

import (
	"context"
	"fmt"
)

// Kind tells whether a principal is a person or the system itself (the
// reconcile loop, an import job, a migration).
type Kind string

// The kinds of principal.
const (
	// KindUser is a person who signed in; every decision is checked against
	// their roles and grants.
	KindUser Kind = "user"
	// KindSystem is work the host runs on its own behalf (reconcile, outbox
	// dispatch, demo seeding). Services still record it as the actor in audit.
	KindSystem Kind = "system"
)

// Principal is who is acting, in which tenant. Services read it from the
// context with PrincipalFrom, check permission for Subject in Tenant, and
// pass Tenant to stores explicitly.
type Principal struct {
	// Tenant is the tenant the principal acts in. Required.
	Tenant string
	// Subject identifies the acting user (for KindUser, the employee or
	// account ID the host's authentication established) or names the system
	// job (for KindSystem). Required.
	Subject string
	// Kind is KindUser or KindSystem. The zero value is treated as invalid.
	Kind Kind
}

// Validate reports whether p names a tenant, a subject and a known kind.
func (p Principal) Validate() error {
	var v ValidationError
	if p.Tenant == "" {
		v.Add("tenant", "is required")
	}
	if p.Subject == "" {
		v.Add("subject", "is required")
	}
	if p.Kind != KindUser && p.Kind != KindSystem {
		v.Add("kind", fmt.Sprintf("must be %q or %q", KindUser, KindSystem))
	}
	return v.Err()
}

type principalKey struct{}

// WithPrincipal returns a copy of ctx carrying p. Every service call needs
// one; the host's authentication middleware is the usual place to set it.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal carried by ctx. It returns an error
// matching ErrUnauthenticated when there is none, and a *ValidationError
// when the principal is incomplete: a missing principal never means "allow".
func PrincipalFrom(ctx context.Context) (Principal, error) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	if !ok {
		return Principal{}, fmt.Errorf("ballast: no principal in context: %w", ErrUnauthenticated)
	}
	if err := p.Validate(); err != nil {
		return Principal{}, fmt.Errorf("ballast: principal: %w", err)
	}
	return p, nil
}
