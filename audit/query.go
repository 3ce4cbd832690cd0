package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// Filter selects entries for Query and Export. Zero fields do not filter.
type Filter struct {
	// TargetType and TargetID select the entries about one record (or,
	// with TargetID empty, one kind of record).
	TargetType string
	TargetID   string
	// Actor selects the entries of one acting subject.
	Actor string
	// Action selects one action exactly, or, ending in ".", every action
	// under that prefix ("hr.employee." matches "hr.employee.update").
	Action string
	// Since and Until bound the entries' time: Since <= At < Until.
	Since time.Time
	Until time.Time
	// Before is a cursor: only entries with Seq < Before (0: from the
	// newest). Pass the last Seq of one page to get the next.
	Before int64
	// Limit caps the page (default 100, at most 1000).
	Limit int
}

// Query limits.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

func (f Filter) params() (EntriesParams, error) {
	var v ballast.ValidationError
	if f.Limit < 0 {
		v.Add("limit", "must not be negative")
	}
	if f.Before < 0 {
		v.Add("before", "must not be negative")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		v.Add("until", "must be after since")
	}
	if f.TargetID != "" && f.TargetType == "" {
		v.Add("target_type", "is required with target_id")
	}
	if err := v.Err(); err != nil {
		return EntriesParams{}, err
	}
	p := EntriesParams{
		TargetType: f.TargetType,
		TargetID:   f.TargetID,
		Actor:      f.Actor,
		BeforeSeq:  f.Before,
		Limit:      min(f.Limit, maxLimit),
	}
	if p.Limit == 0 {
		p.Limit = defaultLimit
	}
	if strings.HasSuffix(f.Action, ".") {
		p.ActionPrefix = f.Action
	} else {
		p.Action = f.Action
	}
	if !f.Since.IsZero() {
		p.Since = canonicalTime(f.Since)
	}
	if !f.Until.IsZero() {
		p.Until = canonicalTime(f.Until)
	}
	return p, nil
}

// Query returns tenant's entries matching f, newest first (by Seq). Pending
// entries are sequenced first, so every committed entry is found; called
// inside a transaction that appended entries, it links those too and holds
// the tenant's chain lock until that transaction ends.
//
// The principal in ctx must belong to tenant and hold PermissionRead (see
// Config.Authorizer); otherwise the error matches ballast.ErrForbidden. A
// malformed filter gets a *ballast.ValidationError.
func (l *Log) Query(ctx context.Context, tenant string, f Filter) ([]Entry, error) {
	if err := l.authorize(ctx, tenant); err != nil {
		return nil, fmt.Errorf("audit: query: %w", err)
	}
	p, err := f.params()
	if err != nil {
		return nil, fmt.Errorf("audit: query: %w", err)
	}
	if _, err := l.Sequence(ctx, tenant); err != nil {
		return nil, fmt.Errorf("audit: query: %w", err)
	}
	out, err := l.store.Entries(ctx, tenant, p)
	if err != nil {
		return nil, fmt.Errorf("audit: query %s: %w", tenant, err)
	}
	return out, nil
}

// authorize lets the principal in ctx read tenant's log: it must belong to
// tenant, and hold PermissionRead (Authorizer set) or be KindSystem
// (Authorizer nil).
func (l *Log) authorize(ctx context.Context, tenant string) error {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	if tenant == "" {
		return ballast.Invalid("tenant", "is required")
	}
	if p.Tenant != tenant {
		return fmt.Errorf("read the audit log of another tenant: %w", ballast.ErrForbidden)
	}
	if l.authz != nil {
		return l.authz.Authorize(ctx, PermissionRead)
	}
	if p.Kind != ballast.KindSystem {
		return fmt.Errorf("read the audit log (no authorizer configured, only system principals may): %w", ballast.ErrForbidden)
	}
	return nil
}
