package customers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// state is a set of customers to compare: decoded records and their JSON.
type state struct {
	byID map[string]Customer
	raw  map[string][]byte
}

func (s *Service) snapshotState(ctx context.Context, tenant, id string) (state, error) {
	items, err := s.store.SnapshotItems(ctx, tenant, id)
	if err != nil {
		return state{}, err
	}
	st := state{byID: make(map[string]Customer, len(items)), raw: make(map[string][]byte, len(items))}
	for _, it := range items {
		var c Customer
		if err := json.Unmarshal(it.Data, &c); err != nil {
			return state{}, fmt.Errorf("decode snapshot %s customer %s: %w", id, it.CustomerID, err)
		}
		st.byID[it.CustomerID], st.raw[it.CustomerID] = c, it.Data
	}
	return st, nil
}

// currentState loads the current customers of a snapshot's scope.
func (s *Service) currentState(ctx context.Context, tenant string, snap Snapshot) (state, error) {
	q := Query{Scope: Scope{All: true}, Owner: snap.OwnerID, Limit: snapshotPage}
	st := state{byID: map[string]Customer{}, raw: map[string][]byte{}}
	for {
		cs, err := s.store.ListCustomers(ctx, tenant, q)
		if err != nil {
			return state{}, err
		}
		for _, c := range cs {
			raw, err := json.Marshal(c)
			if err != nil {
				return state{}, fmt.Errorf("encode customer %s: %w", c.ID, err)
			}
			st.byID[c.ID], st.raw[c.ID] = c, raw
		}
		if len(cs) < q.Limit {
			return st, nil
		}
		q.AfterName, q.AfterID = cs[len(cs)-1].Name, cs[len(cs)-1].ID
	}
}

func ref(c Customer) CustomerRef { return CustomerRef{ID: c.ID, Name: c.Name, OwnerID: c.OwnerID} }

// compare lists what changed from before to after.
func compare(before, after state) SnapshotDiff {
	d := SnapshotDiff{Added: []CustomerRef{}, Archived: []CustomerRef{}, Removed: []CustomerRef{}, Changed: []CustomerChange{}}
	for _, id := range slices.Sorted(maps.Keys(before.byID)) {
		b := before.byID[id]
		a, ok := after.byID[id]
		if !ok {
			d.Removed = append(d.Removed, ref(b))
			continue
		}
		if rb, ra := before.raw[id], after.raw[id]; rb != nil && ra != nil && bytes.Equal(rb, ra) {
			continue
		}
		if b.Status == StatusActive && a.Status == StatusArchived {
			d.Archived = append(d.Archived, ref(a))
		}
		if cs := audit.Diff(view(b), view(a)); len(cs) > 0 {
			d.Changed = append(d.Changed, CustomerChange{CustomerRef: ref(a), Changes: cs})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(after.byID)) {
		if _, ok := before.byID[id]; !ok {
			d.Added = append(d.Added, ref(after.byID[id]))
		}
	}
	return d
}

// Diff lists what changed from snapshot a to snapshot b: customers added,
// archived, removed from the scope, and every field altered. Both must be
// snapshots the principal may see (else ErrNotFound).
func (s *Service) Diff(ctx context.Context, a, b string) (SnapshotDiff, error) {
	act, err := s.begin(ctx)
	if err != nil {
		return SnapshotDiff{}, fmt.Errorf("customers: diff: %w", err)
	}
	var d SnapshotDiff
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var before, after state
		for _, x := range []struct {
			id string
			st *state
		}{{a, &before}, {b, &after}} {
			if _, err := s.snapshot(ctx, act, x.id); err != nil {
				return err
			}
			if *x.st, err = s.snapshotState(ctx, act.Tenant, x.id); err != nil {
				return err
			}
		}
		d = compare(before, after)
		d.From, d.To = a, b
		return nil
	})
	if err != nil {
		return SnapshotDiff{}, fmt.Errorf("customers: diff %s %s: %w", a, b, err)
	}
	return d, nil
}

// DiffWithCurrent lists what changed from snapshot id to the current
// records of its scope. A customer that has left an owner's scope but
// still exists (it was transferred) is listed in Changed with its new
// owner; Removed then lists only customers missing from the database.
func (s *Service) DiffWithCurrent(ctx context.Context, id string) (SnapshotDiff, error) {
	act, err := s.begin(ctx)
	if err != nil {
		return SnapshotDiff{}, fmt.Errorf("customers: diff with current: %w", err)
	}
	var d SnapshotDiff
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		snap, err := s.snapshot(ctx, act, id)
		if err != nil {
			return err
		}
		before, err := s.snapshotState(ctx, act.Tenant, id)
		if err != nil {
			return err
		}
		after, err := s.currentState(ctx, act.Tenant, snap)
		if err != nil {
			return err
		}
		if snap.OwnerID != "" {
			var gone []string
			for id := range before.byID {
				if _, ok := after.byID[id]; !ok {
					gone = append(gone, id)
				}
			}
			moved, err := s.store.CustomersByID(ctx, act.Tenant, Scope{All: true}, gone)
			if err != nil {
				return err
			}
			for _, c := range moved {
				after.byID[c.ID] = c
			}
			d = compare(before, after)
			// Customers that were transferred away are not "added".
			d.Added = slices.DeleteFunc(d.Added, func(r CustomerRef) bool { return r.OwnerID != snap.OwnerID })
		} else {
			d = compare(before, after)
		}
		d.From = id
		return nil
	})
	if err != nil {
		return SnapshotDiff{}, fmt.Errorf("customers: diff %s with current: %w", id, err)
	}
	return d, nil
}

// Restore brings customers back to their state in snapshot id: the listed
// customerIDs, or every customer of the snapshot when the list is empty.
// Archived customers are brought back, altered fields reverted, and a
// customer missing from the database is inserted again; each restored
// customer gets an audit entry with the reason and its field diff. The
// owner is not changed (owners move only through Transfer). Only a
// custodian (PermReadAll with PermWrite) may restore; an ID not in the
// snapshot is a *ballast.ValidationError and nothing is restored.
func (s *Service) Restore(ctx context.Context, id string, customerIDs []string, reason string) (RestoreReport, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return RestoreReport{}, fmt.Errorf("customers: restore: %w", err)
	}
	if err := s.may(ctx, a, PermWrite); err != nil {
		return RestoreReport{}, fmt.Errorf("customers: restore: %w", err)
	}
	if !a.custodian {
		return RestoreReport{}, fmt.Errorf("customers: restore: %s may not restore customers: %w", a.Subject, ballast.ErrForbidden)
	}
	var v ballast.ValidationError
	text(&v, "reason", reason, maxReason, false)
	if err := v.Err(); err != nil {
		return RestoreReport{}, fmt.Errorf("customers: restore: %w", err)
	}
	report := RestoreReport{SnapshotID: id, Restored: []CustomerRef{}, Recreated: []CustomerRef{}, Unchanged: []CustomerRef{}}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.snapshot(ctx, a, id); err != nil {
			return err
		}
		snap, err := s.snapshotState(ctx, a.Tenant, id)
		if err != nil {
			return err
		}
		ids := customerIDs
		if len(ids) == 0 {
			ids = slices.Sorted(maps.Keys(snap.byID))
		}
		var v ballast.ValidationError
		for i, cid := range ids {
			if _, ok := snap.byID[cid]; !ok {
				v.Add(fmt.Sprintf("customer_ids[%d]", i), "is not in the snapshot")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		current, err := s.store.CustomersByID(ctx, a.Tenant, Scope{All: true}, ids)
		if err != nil {
			return err
		}
		cur := make(map[string]Customer, len(current))
		for _, c := range current {
			cur[c.ID] = c
		}
		why := fmt.Sprintf("restore from snapshot %s", id)
		if reason != "" {
			why += ": " + reason
		}
		now := s.now()
		for _, cid := range slices.Compact(slices.Sorted(slices.Values(ids))) {
			old := snap.byID[cid]
			before, ok := cur[cid]
			if !ok {
				after := old
				after.UpdatedAt, after.Version = now, old.Version+1
				if err := s.store.InsertCustomers(ctx, a.Tenant, []Customer{after}); err != nil {
					return err
				}
				if err := s.record(ctx, ActionRestore, cid, why, nil, view(after)); err != nil {
					return err
				}
				report.Recreated = append(report.Recreated, ref(after))
				continue
			}
			after := old
			after.ID, after.CreatedAt, after.OwnerID = before.ID, before.CreatedAt, before.OwnerID
			if len(audit.Diff(view(before), view(after))) == 0 {
				report.Unchanged = append(report.Unchanged, ref(before))
				continue
			}
			after.UpdatedAt, after.Version = now, before.Version+1
			if after.Status == StatusActive {
				after.ArchivedAt = time.Time{}
			} else if after.ArchivedAt.IsZero() {
				after.ArchivedAt = now
			}
			if err := s.store.UpdateCustomer(ctx, a.Tenant, after, before.Version); err != nil {
				return err
			}
			if err := s.record(ctx, ActionRestore, cid, why, view(before), view(after)); err != nil {
				return err
			}
			report.Restored = append(report.Restored, ref(after))
		}
		return nil
	})
	if err != nil {
		return RestoreReport{}, fmt.Errorf("customers: restore %s: %w", id, err)
	}
	return report, nil
}
