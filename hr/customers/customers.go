package customers

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// Create records a new customer. It needs PermWrite; the owner is the
// acting employee unless p.OwnerID names another, which needs PermTransfer
// too. A system principal must name the owner. Bad input gets a
// *ballast.ValidationError listing every bad field (an owner who is not an
// employee of the tenant, or has departed, among them), and nothing is
// written.
func (s *Service) Create(ctx context.Context, p Params) (Customer, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Customer{}, fmt.Errorf("customers: create: %w", err)
	}
	if err := s.may(ctx, a, PermWrite); err != nil {
		return Customer{}, fmt.Errorf("customers: create: %w", err)
	}
	p = p.normalize()
	if p.OwnerID == "" && a.Kind == ballast.KindUser {
		p.OwnerID = a.Subject
	}
	if p.OwnerID != a.Subject {
		if err := s.may(ctx, a, PermTransfer); err != nil {
			return Customer{}, fmt.Errorf("customers: create for another owner: %w", err)
		}
	}
	var v ballast.ValidationError
	p.validate(&v)
	if err := s.checkOwner(ctx, &v, "owner_id", a.Tenant, p.OwnerID, false); err != nil {
		return Customer{}, fmt.Errorf("customers: create: %w", err)
	}
	if err := v.Err(); err != nil {
		return Customer{}, fmt.Errorf("customers: create: %w", err)
	}
	now := s.now()
	c := apply(Customer{ID: ballast.NewID(), Status: StatusActive, CreatedAt: now, Version: 0}, p, now)
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.InsertCustomers(ctx, a.Tenant, []Customer{c}); err != nil {
			return err
		}
		return s.record(ctx, ActionCreate, c.ID, "", nil, view(c))
	})
	if err != nil {
		return Customer{}, fmt.Errorf("customers: create: %w", err)
	}
	return c, nil
}

// apply returns c with the fields of p, stamped at now and one version on.
func apply(c Customer, p Params, now time.Time) Customer {
	c.Name, c.Industry, c.Region, c.Tier = p.Name, p.Industry, p.Region, p.Tier
	c.AnnualValueCents, c.Currency = p.AnnualValueCents, p.Currency
	c.Contacts, c.Deals, c.Needs, c.FollowUps = p.Contacts, p.Deals, p.Needs, p.FollowUps
	c.OwnerID = p.OwnerID
	c.UpdatedAt = now
	c.Version++
	return c
}

// view is c as audit and snapshot diffs compare it: without the fields
// that change with any edit (version, timestamps).
func view(c Customer) Customer {
	c.Version, c.UpdatedAt, c.ArchivedAt = 0, time.Time{}, time.Time{}
	return c
}

// Update replaces the fields of customer id with p when its version is
// still version. It needs PermWrite, and the principal must own the
// customer or be a custodian (PermReadAll with PermWrite: HR, admins); a
// department head who sees a customer may not edit it. The owner does not
// change here (see Transfer): p.OwnerID must be empty or the current owner.
// An archived customer cannot be edited (ErrConflict; Unarchive first). An
// invisible customer is ErrNotFound; a stale version ErrConflict.
func (s *Service) Update(ctx context.Context, id string, p Params, version int64) (Customer, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Customer{}, fmt.Errorf("customers: update %s: %w", id, err)
	}
	if err := s.may(ctx, a, PermWrite); err != nil {
		return Customer{}, fmt.Errorf("customers: update %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Customer{}, fmt.Errorf("customers: update: %w", err)
	}
	p = p.normalize()
	var v ballast.ValidationError
	p.validate(&v)
	if err := v.Err(); err != nil {
		return Customer{}, fmt.Errorf("customers: update %s: %w", id, err)
	}
	var after Customer
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Customer(ctx, a.Tenant, a.scope, id)
		if err != nil {
			return err
		}
		if err := a.canWrite(before); err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("version %d, not %d: %w", before.Version, version, ballast.ErrConflict)
		}
		if before.Status == StatusArchived {
			return fmt.Errorf("customer is archived: %w", ballast.ErrConflict)
		}
		if p.OwnerID == "" {
			p.OwnerID = before.OwnerID
		}
		if p.OwnerID != before.OwnerID {
			return ballast.Invalid("owner_id", "changes only through a transfer")
		}
		after = apply(before, p, s.now())
		if err := s.store.UpdateCustomer(ctx, a.Tenant, after, version); err != nil {
			return err
		}
		return s.record(ctx, ActionUpdate, id, "", view(before), view(after))
	})
	if err != nil {
		return Customer{}, fmt.Errorf("customers: update %s: %w", id, err)
	}
	return after, nil
}

// Archive soft-deletes customer id: it is kept, with status archived, and
// leaves the default listings. Only a custodian (PermReadAll with
// PermWrite: HR, admins) may archive, not the owner: a departing
// salesperson cannot make customers disappear. Archiving an archived
// customer is ErrConflict; a stale version too.
func (s *Service) Archive(ctx context.Context, id string, version int64, reason string) (Customer, error) {
	return s.setStatus(ctx, "archive", ActionArchive, StatusActive, StatusArchived, id, version, reason)
}

// Unarchive brings an archived customer back to active, with the same
// rules as Archive.
func (s *Service) Unarchive(ctx context.Context, id string, version int64, reason string) (Customer, error) {
	return s.setStatus(ctx, "unarchive", ActionRestore, StatusArchived, StatusActive, id, version, reason)
}

func (s *Service) setStatus(ctx context.Context, op, action string, from, to Status, id string, version int64, reason string) (Customer, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Customer{}, fmt.Errorf("customers: %s %s: %w", op, id, err)
	}
	if err := s.may(ctx, a, PermWrite); err != nil {
		return Customer{}, fmt.Errorf("customers: %s %s: %w", op, id, err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(id) {
		v.Add("id", "is not a valid id")
	}
	text(&v, "reason", reason, maxReason, false)
	if err := v.Err(); err != nil {
		return Customer{}, fmt.Errorf("customers: %s: %w", op, err)
	}
	var after Customer
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Customer(ctx, a.Tenant, a.scope, id)
		if err != nil {
			return err
		}
		if !a.custodian {
			return fmt.Errorf("%s may not %s customers: %w", a.Subject, op, ballast.ErrForbidden)
		}
		if before.Version != version {
			return fmt.Errorf("version %d, not %d: %w", before.Version, version, ballast.ErrConflict)
		}
		if before.Status != from {
			return fmt.Errorf("customer is %s: %w", before.Status, ballast.ErrConflict)
		}
		now := s.now()
		after = before
		after.Status, after.UpdatedAt, after.Version = to, now, before.Version+1
		after.ArchivedAt = time.Time{}
		if to == StatusArchived {
			after.ArchivedAt = now
		}
		if err := s.store.UpdateCustomer(ctx, a.Tenant, after, version); err != nil {
			return err
		}
		return s.record(ctx, action, id, reason, view(before), view(after))
	})
	if err != nil {
		return Customer{}, fmt.Errorf("customers: %s %s: %w", op, id, err)
	}
	return after, nil
}

// Get returns customer id if the principal may see it. A customer the
// principal may not see is ErrNotFound, exactly like one that does not
// exist, so that its existence does not leak.
func (s *Service) Get(ctx context.Context, id string) (Customer, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Customer{}, fmt.Errorf("customers: get %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Customer{}, fmt.Errorf("customers: get: %w", err)
	}
	c, err := s.store.Customer(ctx, a.Tenant, a.scope, id)
	if err != nil {
		return Customer{}, fmt.Errorf("customers: get %s: %w", id, err)
	}
	return c, nil
}

// Page limits.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// List returns one page of the customers the principal may see that match
// f, ordered by name, then ID. The principal's scope and every filter are
// applied in the store's query. A malformed filter (unknown tier or status,
// negative or crossed value bounds, a bad cursor or limit) gets a
// *ballast.ValidationError.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("customers: list: %w", err)
	}
	q, err := f.query(a.scope)
	if err != nil {
		return Page{}, fmt.Errorf("customers: list: %w", err)
	}
	limit := q.Limit
	q.Limit++
	cs, err := s.store.ListCustomers(ctx, a.Tenant, q)
	if err != nil {
		return Page{}, fmt.Errorf("customers: list: %w", err)
	}
	page := Page{Customers: cs}
	if len(cs) > limit {
		page.Customers = cs[:limit]
		last := cs[limit-1]
		page.Next = encodeCursor(last.Name, last.ID)
	}
	if page.Customers == nil {
		page.Customers = []Customer{}
	}
	return page, nil
}

// query validates f and turns it into a store Query within scope.
func (f Filter) query(scope Scope) (Query, error) {
	var v ballast.ValidationError
	q := Query{Scope: scope, Industry: f.Industry, Region: f.Region, Tier: f.Tier,
		MinValue: f.MinValueCents, MaxValue: f.MaxValueCents, Owner: f.Owner, Limit: f.Limit}
	if f.Tier != "" && !slices.Contains(Tiers, f.Tier) {
		v.Add("tier", fmt.Sprintf("must be one of %q", Tiers))
	}
	switch f.Status {
	case "", StatusActive:
		q.Statuses = []Status{StatusActive}
	case StatusArchived:
		q.Statuses = []Status{StatusArchived}
	case StatusAll:
	default:
		v.Add("status", fmt.Sprintf("must be one of %q", []Status{StatusActive, StatusArchived, StatusAll}))
	}
	if f.MinValueCents != nil && *f.MinValueCents < 0 {
		v.Add("min_value_cents", "must not be negative")
	}
	if f.MaxValueCents != nil && *f.MaxValueCents < 0 {
		v.Add("max_value_cents", "must not be negative")
	}
	if f.MinValueCents != nil && f.MaxValueCents != nil && *f.MaxValueCents < *f.MinValueCents {
		v.Add("max_value_cents", "is less than min_value_cents")
	}
	if f.Owner != "" && !ballast.ValidID(f.Owner) {
		v.Add("owner", "is not a valid id")
	}
	switch {
	case f.Limit < 0 || f.Limit > maxLimit:
		v.Add("limit", fmt.Sprintf("must be between 0 and %d", maxLimit))
	case f.Limit == 0:
		q.Limit = defaultLimit
	}
	text(&v, "query", f.Query, maxName, false)
	if f.Cursor != "" {
		name, id, ok := decodeCursor(f.Cursor)
		if !ok {
			v.Add("cursor", "is not a cursor of this listing")
		}
		q.AfterName, q.AfterID = name, id
	}
	if err := v.Err(); err != nil {
		return Query{}, err
	}
	q.Search = Normalize(f.Query)
	q.SearchGrams = QueryGrams(q.Search)
	return q, nil
}

func encodeCursor(name, id string) string {
	b, _ := json.Marshal([2]string{name, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (name, id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", "", false
	}
	var v [2]string
	if json.Unmarshal(b, &v) != nil || !ballast.ValidID(v[1]) {
		return "", "", false
	}
	return v[0], v[1], true
}

// historyLimit is how many entries History returns.
const historyLimit = 1000

// History returns the audit entries about customer id, newest first (at
// most 1000): who created, changed, transferred, archived or restored it,
// when, and every field altered. Anyone who may see the customer may read
// its history (the entries are read on the system's behalf, without
// audit:read); an invisible customer is ErrNotFound.
func (s *Service) History(ctx context.Context, id string) ([]audit.Entry, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("customers: history %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return nil, fmt.Errorf("customers: history: %w", err)
	}
	if _, err := s.store.Customer(ctx, a.Tenant, a.scope, id); err != nil {
		return nil, fmt.Errorf("customers: history %s: %w", id, err)
	}
	sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: a.Tenant, Subject: "customers.history", Kind: ballast.KindSystem})
	es, err := s.audit.Query(sys, a.Tenant, audit.Filter{TargetType: TargetType, TargetID: id, Limit: historyLimit})
	if err != nil {
		return nil, fmt.Errorf("customers: history %s: %w", id, err)
	}
	return es, nil
}
