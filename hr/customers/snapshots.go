package customers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// SnapshotTargetType is the audit TargetType of snapshots.
const SnapshotTargetType = "customer_snapshot"

// snapshotPage is how many customers a snapshot reads and writes per
// statement.
const snapshotPage = 1000

// TakeSnapshot copies every customer of scope (active and archived, every
// field) into a new snapshot and returns its header. A tenant-wide snapshot
// needs PermReadAll; an owner's snapshot needs the principal to see that
// owner's customers (the owner themself, the head of the owner's
// department, or PermReadAll). Taking one is recorded in audit.
func (s *Service) TakeSnapshot(ctx context.Context, scope SnapshotScope, reason string) (Snapshot, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Snapshot{}, fmt.Errorf("customers: take snapshot: %w", err)
	}
	var v ballast.ValidationError
	if scope.Owner != "" && !ballast.ValidID(scope.Owner) {
		v.Add("owner", "is not a valid id")
	}
	text(&v, "reason", reason, maxReason, false)
	if err := v.Err(); err != nil {
		return Snapshot{}, fmt.Errorf("customers: take snapshot: %w", err)
	}
	if err := s.seesScope(ctx, a, scope.Owner); err != nil {
		return Snapshot{}, fmt.Errorf("customers: take snapshot: %w", err)
	}
	var snap Snapshot
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		snap, err = s.take(ctx, a, scope, "", reason)
		return err
	})
	if err != nil {
		return Snapshot{}, fmt.Errorf("customers: take snapshot: %w", err)
	}
	return snap, nil
}

// take writes a snapshot of scope in the transaction carried by ctx.
func (s *Service) take(ctx context.Context, a actor, scope SnapshotScope, day, reason string) (Snapshot, error) {
	q := Query{Scope: Scope{All: true}, Owner: scope.Owner}
	n, err := s.store.CountCustomers(ctx, a.Tenant, q)
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{ID: ballast.NewID(), Scope: scope.key(), OwnerID: scope.Owner, Day: day, Reason: reason,
		TakenBy: a.Subject, TakenAt: s.now(), Customers: n}
	if err := s.store.InsertSnapshot(ctx, a.Tenant, snap); err != nil {
		return Snapshot{}, err
	}
	q.Limit = snapshotPage
	for {
		cs, err := s.store.ListCustomers(ctx, a.Tenant, q)
		if err != nil {
			return Snapshot{}, err
		}
		items := make([]SnapshotItem, len(cs))
		for i, c := range cs {
			data, err := json.Marshal(c)
			if err != nil {
				return Snapshot{}, fmt.Errorf("encode customer %s: %w", c.ID, err)
			}
			items[i] = SnapshotItem{CustomerID: c.ID, Data: data}
		}
		if err := s.store.InsertSnapshotItems(ctx, a.Tenant, snap.ID, items); err != nil {
			return Snapshot{}, err
		}
		if len(cs) < q.Limit {
			break
		}
		q.AfterName, q.AfterID = cs[len(cs)-1].Name, cs[len(cs)-1].ID
	}
	_, err = s.audit.Append(ctx, audit.Record{Action: ActionSnapshot, TargetType: SnapshotTargetType, TargetID: snap.ID,
		Reason: reason, Changes: []audit.Change{{Path: "Scope", After: snap.Scope}, {Path: "Customers", After: fmt.Sprint(n)}}})
	if err != nil {
		return Snapshot{}, fmt.Errorf("audit: %w", err)
	}
	return snap, nil
}

// seesScope refuses a principal who may not see the customers of owner
// (or, when owner is empty, of the whole tenant).
func (s *Service) seesScope(ctx context.Context, a actor, owner string) error {
	switch {
	case a.scope.All:
		return nil
	case owner == "":
		return fmt.Errorf("%s may not see every customer: %w", a.Subject, ballast.ErrForbidden)
	case owner == a.scope.Owner:
		return nil
	case len(a.scope.Departments) > 0:
		e, err := s.employees.Employee(ctx, a.Tenant, owner)
		if err != nil && !errors.Is(err, ballast.ErrNotFound) {
			return err
		}
		if err == nil && slices.Contains(a.scope.Departments, e.DepartmentID) {
			return nil
		}
	}
	return fmt.Errorf("%s may not see the customers of %s: %w", a.Subject, owner, ballast.ErrForbidden)
}

// snapshot loads a snapshot header the principal may see; one it may not
// is ErrNotFound.
func (s *Service) snapshot(ctx context.Context, a actor, id string) (Snapshot, error) {
	if err := ballast.CheckID("snapshot", id); err != nil {
		return Snapshot{}, err
	}
	snap, err := s.store.Snapshot(ctx, a.Tenant, id)
	if err != nil {
		return Snapshot{}, err
	}
	if err := s.seesScope(ctx, a, snap.OwnerID); errors.Is(err, ballast.ErrForbidden) {
		return Snapshot{}, fmt.Errorf("snapshot %s: %w", id, ballast.ErrNotFound)
	} else if err != nil {
		return Snapshot{}, err
	}
	return snap, nil
}

// Snapshots lists the snapshot headers the principal may see that f
// selects, newest first. Without PermReadAll a principal sees the
// snapshots of the owners whose customers it sees, and only those: f.Owner
// defaults to the principal, and naming another owner it does not see, or
// asking for tenant-wide snapshots, is ErrForbidden.
func (s *Service) Snapshots(ctx context.Context, f SnapshotFilter) (SnapshotPage, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return SnapshotPage{}, fmt.Errorf("customers: snapshots: %w", err)
	}
	var v ballast.ValidationError
	q := SnapshotQuery{Since: f.Since, Until: f.Until, Limit: f.Limit}
	if f.Owner != "" && !ballast.ValidID(f.Owner) {
		v.Add("owner", "is not a valid id")
	}
	if f.Owner != "" && f.Tenant {
		v.Add("tenant", "cannot be combined with owner")
	}
	switch {
	case f.Limit < 0 || f.Limit > maxLimit:
		v.Add("limit", fmt.Sprintf("must be between 0 and %d", maxLimit))
	case f.Limit == 0:
		q.Limit = defaultLimit
	}
	if f.Cursor != "" {
		at, id, ok := decodeCursor(f.Cursor)
		t, err := time.Parse(time.RFC3339Nano, at)
		if !ok || err != nil {
			v.Add("cursor", "is not a cursor of this listing")
		}
		q.BeforeTakenAt, q.BeforeID = t, id
	}
	if err := v.Err(); err != nil {
		return SnapshotPage{}, fmt.Errorf("customers: snapshots: %w", err)
	}
	switch {
	case f.Tenant:
		q.Scope = ScopeTenant
		err = s.seesScope(ctx, a, "")
	case f.Owner != "":
		q.Scope = SnapshotScope{Owner: f.Owner}.key()
		err = s.seesScope(ctx, a, f.Owner)
	case !a.scope.All:
		q.Scope = SnapshotScope{Owner: a.Subject}.key()
	}
	if err != nil {
		return SnapshotPage{}, fmt.Errorf("customers: snapshots: %w", err)
	}
	limit := q.Limit
	q.Limit++
	ss, err := s.store.ListSnapshots(ctx, a.Tenant, q)
	if err != nil {
		return SnapshotPage{}, fmt.Errorf("customers: snapshots: %w", err)
	}
	page := SnapshotPage{Snapshots: ss}
	if len(ss) > limit {
		page.Snapshots = ss[:limit]
		last := ss[limit-1]
		page.Next = encodeCursor(last.TakenAt.Format(time.RFC3339Nano), last.ID)
	}
	if page.Snapshots == nil {
		page.Snapshots = []Snapshot{}
	}
	return page, nil
}

// Snapshot returns one snapshot header the principal may see (see
// Snapshots); any other is ErrNotFound.
func (s *Service) Snapshot(ctx context.Context, id string) (Snapshot, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Snapshot{}, fmt.Errorf("customers: snapshot %s: %w", id, err)
	}
	snap, err := s.snapshot(ctx, a, id)
	if err != nil {
		return Snapshot{}, fmt.Errorf("customers: snapshot %s: %w", id, err)
	}
	return snap, nil
}

// SnapshotDue takes the tenant-wide daily snapshot of the principal's
// tenant if none was taken yet for the tenant's current calendar day at now
// (in the tenant's time zone, from Config.Tenants; UTC without it). It
// returns the day's snapshot and whether this call took it. It is safe to
// call any number of times from any number of instances: one (tenant, day)
// gets one snapshot. The host runs it on a timer with a system principal
// per tenant; a user principal needs PermReadAll.
func (s *Service) SnapshotDue(ctx context.Context, now time.Time) (Snapshot, bool, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("customers: snapshot due: %w", err)
	}
	if !a.scope.All {
		return Snapshot{}, false, fmt.Errorf("customers: snapshot due: %s may not see every customer: %w", a.Subject, ballast.ErrForbidden)
	}
	loc := time.UTC
	if s.tenants != nil {
		t, err := s.tenants.Tenant(ctx, a.Tenant)
		if err != nil {
			return Snapshot{}, false, fmt.Errorf("customers: snapshot due: tenant %s: %w", a.Tenant, err)
		}
		if l, err := time.LoadLocation(t.TimeZone); err == nil {
			loc = l
		}
	}
	day := now.In(loc).Format("2006-01-02")
	existing, err := s.store.SnapshotOnDay(ctx, a.Tenant, ScopeTenant, day)
	if err == nil {
		return existing, false, nil
	}
	if !errors.Is(err, ballast.ErrNotFound) {
		return Snapshot{}, false, fmt.Errorf("customers: snapshot due: %w", err)
	}
	var snap Snapshot
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		snap, err = s.take(ctx, a, SnapshotScope{}, day, "daily snapshot "+day)
		return err
	})
	if errors.Is(err, ballast.ErrConflict) {
		// Another instance took it first.
		existing, err := s.store.SnapshotOnDay(ctx, a.Tenant, ScopeTenant, day)
		if err != nil {
			return Snapshot{}, false, fmt.Errorf("customers: snapshot due: %w", err)
		}
		return existing, false, nil
	}
	if err != nil {
		return Snapshot{}, false, fmt.Errorf("customers: snapshot due: %w", err)
	}
	return snap, true, nil
}
