package customers

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// Transfer moves customer id to the employee toOwner. It needs
// PermTransfer (HR, admins); the customer must be visible to the
// principal and still at version; toOwner must be an active employee of the
// tenant (not resigning, not departed) other than the current owner. The
// change and its reason go to audit.
func (s *Service) Transfer(ctx context.Context, id, toOwner string, version int64, reason string) (Customer, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Customer{}, fmt.Errorf("customers: transfer %s: %w", id, err)
	}
	if err := s.may(ctx, a, PermTransfer); err != nil {
		return Customer{}, fmt.Errorf("customers: transfer %s: %w", id, err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(id) {
		v.Add("id", "is not a valid id")
	}
	text(&v, "reason", reason, maxReason, false)
	if err := s.checkOwner(ctx, &v, "to_owner", a.Tenant, toOwner, true); err != nil {
		return Customer{}, fmt.Errorf("customers: transfer %s: %w", id, err)
	}
	if err := v.Err(); err != nil {
		return Customer{}, fmt.Errorf("customers: transfer %s: %w", id, err)
	}
	var after Customer
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Customer(ctx, a.Tenant, a.scope, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("version %d, not %d: %w", before.Version, version, ballast.ErrConflict)
		}
		if before.OwnerID == toOwner {
			return ballast.Invalid("to_owner", "already owns the customer")
		}
		after = before
		after.OwnerID, after.UpdatedAt, after.Version = toOwner, s.now(), before.Version+1
		n, err := s.store.SetOwner(ctx, a.Tenant, []string{id}, before.OwnerID, toOwner, after.UpdatedAt)
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("customer changed meanwhile: %w", ballast.ErrConflict)
		}
		return s.record(ctx, ActionTransfer, id, reason, view(before), view(after))
	})
	if err != nil {
		return Customer{}, fmt.Errorf("customers: transfer %s: %w", id, err)
	}
	return after, nil
}

// TransferManyParams says which customers TransferMany moves.
type TransferManyParams struct {
	// From is the current owner whose customers move (required).
	From string `json:"from"`
	// Assign maps some of From's customers to their new owners.
	Assign map[string]string `json:"assign,omitempty"`
	// To receives every customer of From not named in Assign; empty leaves
	// those with From.
	To string `json:"to,omitempty"`
	// Reason is recorded with every audit entry.
	Reason string `json:"reason,omitempty"`
}

// TransferReport lists the customers TransferMany moved, by new owner.
type TransferReport struct {
	From string `json:"from"`
	// Moved maps each new owner to the customer IDs it received, sorted.
	Moved map[string][]string `json:"moved"`
	// Count is the number of customers moved.
	Count int `json:"count"`
}

// TransferMany moves many of one owner's customers at once, in one
// transaction (joining the caller's, so offboarding can hand customers over
// atomically with its own records): those named in p.Assign to their
// assigned owners, every other customer of p.From (active or archived) to
// p.To when it is set. The principal's scope applies: HR sees all. It needs PermTransfer. Every new owner must be an
// active employee of the tenant other than From, and every assigned
// customer must belong to From; otherwise nothing moves and the error is a
// *ballast.ValidationError naming each bad entry. One audit entry is
// appended per customer; the owner changes are one statement per new
// owner.
func (s *Service) TransferMany(ctx context.Context, p TransferManyParams) (TransferReport, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return TransferReport{}, fmt.Errorf("customers: transfer many: %w", err)
	}
	if err := s.may(ctx, a, PermTransfer); err != nil {
		return TransferReport{}, fmt.Errorf("customers: transfer many: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(p.From) {
		v.Add("from", "is not a valid id")
	}
	text(&v, "reason", p.Reason, maxReason, false)
	if p.To == "" && len(p.Assign) == 0 {
		v.Add("to", "is required when assign is empty")
	}
	checked := map[string]bool{}
	check := func(field, owner string) error {
		if owner == p.From {
			v.Add(field, "is the current owner")
			return nil
		}
		if checked[owner] {
			return nil
		}
		checked[owner] = true
		return s.checkOwner(ctx, &v, field, a.Tenant, owner, true)
	}
	if p.To != "" {
		if err := check("to", p.To); err != nil {
			return TransferReport{}, fmt.Errorf("customers: transfer many: %w", err)
		}
	}
	ids := slices.Sorted(maps.Keys(p.Assign))
	for _, id := range ids {
		if !ballast.ValidID(id) {
			v.Add(fmt.Sprintf("assign[%s]", id), "is not a valid customer id")
			continue
		}
		if err := check(fmt.Sprintf("assign[%s]", id), p.Assign[id]); err != nil {
			return TransferReport{}, fmt.Errorf("customers: transfer many: %w", err)
		}
	}
	if err := v.Err(); err != nil {
		return TransferReport{}, fmt.Errorf("customers: transfer many: %w", err)
	}
	report := TransferReport{From: p.From, Moved: map[string][]string{}}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		owned, err := s.store.ListCustomers(ctx, a.Tenant, Query{Scope: a.scope, Owner: p.From})
		if err != nil {
			return err
		}
		byID := make(map[string]Customer, len(owned))
		for _, c := range owned {
			byID[c.ID] = c
		}
		var bad ballast.ValidationError
		for _, id := range ids {
			if _, ok := byID[id]; !ok {
				bad.Add(fmt.Sprintf("assign[%s]", id), "is not a customer of from")
			}
		}
		if err := bad.Err(); err != nil {
			return err
		}
		moves := map[string][]Customer{}
		for _, c := range owned {
			to := p.Assign[c.ID]
			if to == "" {
				to = p.To
			}
			if to != "" {
				moves[to] = append(moves[to], c)
			}
		}
		now := s.now()
		for _, to := range slices.Sorted(maps.Keys(moves)) {
			cs := moves[to]
			moved := make([]string, len(cs))
			for i, c := range cs {
				moved[i] = c.ID
			}
			n, err := s.store.SetOwner(ctx, a.Tenant, moved, p.From, to, now)
			if err != nil {
				return err
			}
			if n != len(moved) {
				return fmt.Errorf("%d of %d customers changed meanwhile: %w", len(moved)-n, len(moved), ballast.ErrConflict)
			}
			recs := make([]audit.Record, len(cs))
			for i, before := range cs {
				after := before
				after.OwnerID, after.UpdatedAt, after.Version = to, now, before.Version+1
				recs[i] = audit.Record{Action: ActionTransfer, TargetType: TargetType, TargetID: before.ID,
					Reason: p.Reason, Changes: audit.Diff(view(before), view(after))}
			}
			if _, err := s.audit.AppendMany(ctx, recs); err != nil {
				return fmt.Errorf("audit: %w", err)
			}
			slices.Sort(moved)
			report.Moved[to] = moved
			report.Count += len(moved)
		}
		return nil
	})
	if err != nil {
		return TransferReport{}, fmt.Errorf("customers: transfer many: %w", err)
	}
	return report, nil
}
