package succession

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Limits on what the Service accepts.
const (
	MaxLevels        = 10
	MaxLabel         = 100
	MaxMonths        = 600
	MaxRank          = 999
	MaxNotes         = 4000
	MaxReason        = 1000
	MaxPlanID        = 100
	MaxPotentialNote = 2000
)

var keyRE = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// Scale returns the tenant's readiness scale (DefaultScale with Version 0
// until HR sets one). Anyone who may read succession may read it.
func (s *Service) Scale(ctx context.Context) (Scale, error) {
	p, _, err := s.begin(ctx, false)
	if err != nil {
		return Scale{}, fmt.Errorf("succession: scale: %w", err)
	}
	sc, err := s.scale(ctx, p.Tenant)
	if err != nil {
		return Scale{}, fmt.Errorf("succession: scale: %w", err)
	}
	return sc, nil
}

// scale is the stored scale, or DefaultScale.
func (s *Service) scale(ctx context.Context, tenant string) (Scale, error) {
	sc, err := s.store.Scale(ctx, tenant)
	if errors.Is(err, ballast.ErrNotFound) {
		return Scale{Levels: DefaultScale()}, nil
	}
	return sc, err
}

// SetScale replaces the tenant's readiness scale (PermManage). levels are
// 1–MaxLevels, ordered by Months (not decreasing), with distinct keys of
// lower-case letters, digits and underscores, and labels. version is the
// current scale's Version (0 while the default is in use). A level that
// successors still have cannot be dropped (ErrReadinessInUse).
func (s *Service) SetScale(ctx context.Context, levels []ReadinessLevel, version int64) (Scale, error) {
	p, err := s.principal(ctx, PermManage)
	if err != nil {
		return Scale{}, fmt.Errorf("succession: set scale: %w", err)
	}
	var v ballast.ValidationError
	switch {
	case len(levels) == 0:
		v.Add("levels", "at least one level is required")
	case len(levels) > MaxLevels:
		v.Add("levels", fmt.Sprintf("at most %d levels", MaxLevels))
	}
	seen := map[string]bool{}
	for i, l := range levels {
		f := fmt.Sprintf("levels[%d]", i)
		if !keyRE.MatchString(l.Key) {
			v.Add(f+".key", "must be 1–40 lower-case letters, digits or underscores")
		} else if seen[l.Key] {
			v.Add(f+".key", "is repeated")
		}
		seen[l.Key] = true
		if n := utf8.RuneCountInString(l.Label); n == 0 || n > MaxLabel {
			v.Add(f+".label", fmt.Sprintf("must be 1–%d characters", MaxLabel))
		}
		if l.Months < 0 || l.Months > MaxMonths {
			v.Add(f+".months", fmt.Sprintf("must be 0–%d", MaxMonths))
		} else if i > 0 && l.Months < levels[i-1].Months {
			v.Add(f+".months", "levels must be ordered by months")
		}
	}
	if err := v.Err(); err != nil {
		return Scale{}, fmt.Errorf("succession: set scale: %w", err)
	}
	var out Scale
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.LockScale(ctx, p.Tenant, true); err != nil {
			return err
		}
		before, err := s.scale(ctx, p.Tenant)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("scale", version, before.Version)
		}
		used, err := s.store.ReadinessInUse(ctx, p.Tenant)
		if err != nil {
			return err
		}
		for _, k := range used {
			if !seen[k] {
				return fmt.Errorf("level %q: %w", k, ErrReadinessInUse)
			}
		}
		out = Scale{Levels: slices.Clone(levels), Version: before.Version + 1, UpdatedAt: s.now()}
		if err := s.store.SaveScale(ctx, p.Tenant, out, before.Version); err != nil {
			return err
		}
		return s.record(ctx, ActionSetScale, TargetScale, p.Tenant, "", before.Levels, out.Levels)
	})
	if err != nil {
		return Scale{}, fmt.Errorf("succession: set scale: %w", err)
	}
	return out, nil
}

// checkSuccessorFields validates what AddSuccessor and UpdateSuccessor
// share.
func checkSuccessorFields(v *ballast.ValidationError, readiness string, rank int, notes, planID, reason string) {
	if readiness == "" {
		v.Add("readiness", "is required")
	}
	if rank < 0 || rank > MaxRank {
		v.Add("rank", fmt.Sprintf("must be 0–%d", MaxRank))
	}
	if utf8.RuneCountInString(notes) > MaxNotes {
		v.Add("notes", fmt.Sprintf("at most %d characters", MaxNotes))
	}
	if len(planID) > MaxPlanID {
		v.Add("plan_id", fmt.Sprintf("at most %d characters", MaxPlanID))
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		v.Add("reason", fmt.Sprintf("at most %d characters", MaxReason))
	}
}

// position reads a critical position p may plan for.
func (s *Service) position(ctx context.Context, p ballast.Principal, scope []string, id string) (hr.Position, error) {
	pos, err := s.hr.Position(as(ctx, p), id)
	if err != nil {
		return hr.Position{}, err
	}
	if !inScope(scope, pos.DepartmentID) {
		return hr.Position{}, forbidden("position %s is outside the departments %s heads", id, p.Subject)
	}
	if !pos.Critical {
		return hr.Position{}, fmt.Errorf("position %s: %w", id, ErrNotCritical)
	}
	return pos, nil
}

// AddSuccessor names an employee successor of a critical position: HR
// anywhere, a department head (PermWriteDepartment) for positions of the
// departments they head. Refused, with nothing changed: a position that
// is not critical (ErrNotCritical), the incumbent (ErrIncumbent), a
// departed employee (ErrDeparted), a readiness outside the tenant's scale
// (ErrUnknownReadiness), an employee already named on the position
// (ErrDuplicate), a second emergency successor (ErrEmergencyTaken). Rank 0
// puts the successor last.
func (s *Service) AddSuccessor(ctx context.Context, params SuccessorParams) (Successor, error) {
	p, scope, err := s.begin(ctx, true)
	if err != nil {
		return Successor{}, fmt.Errorf("succession: add successor: %w", err)
	}
	var v ballast.ValidationError
	for _, f := range []struct{ name, id string }{{"position_id", params.PositionID}, {"employee_id", params.EmployeeID}} {
		var ve *ballast.ValidationError
		if errors.As(ballast.CheckID(f.name, f.id), &ve) {
			v.Fields = append(v.Fields, ve.Fields...)
		}
	}
	checkSuccessorFields(&v, params.Readiness, params.Rank, params.Notes, params.PlanID, params.Reason)
	if err := v.Err(); err != nil {
		return Successor{}, fmt.Errorf("succession: add successor: %w", err)
	}
	var out Successor
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		pos, err := s.position(ctx, p, scope, params.PositionID)
		if err != nil {
			return err
		}
		emp, err := s.hr.Employee(as(ctx, p), params.EmployeeID)
		if err != nil {
			return fmt.Errorf("employee %s: %w", params.EmployeeID, err)
		}
		switch {
		case emp.Status == hr.StatusDeparted:
			return fmt.Errorf("employee %s: %w", emp.ID, ErrDeparted)
		case emp.PositionID == pos.ID:
			return fmt.Errorf("employee %s: %w", emp.ID, ErrIncumbent)
		}
		if err := s.store.LockScale(ctx, p.Tenant, false); err != nil {
			return err
		}
		sc, err := s.scale(ctx, p.Tenant)
		if err != nil {
			return err
		}
		if _, ok := sc.Level(params.Readiness); !ok {
			return fmt.Errorf("readiness %q: %w", params.Readiness, ErrUnknownReadiness)
		}
		others, err := s.store.ListSuccessors(ctx, p.Tenant, Query{PositionID: pos.ID})
		if err != nil {
			return err
		}
		rank := params.Rank
		for _, o := range others {
			if o.EmployeeID == emp.ID {
				return fmt.Errorf("employee %s on position %s: %w", emp.ID, pos.ID, ErrDuplicate)
			}
			if o.Emergency && params.Emergency {
				return fmt.Errorf("position %s: %w", pos.ID, ErrEmergencyTaken)
			}
			if params.Rank == 0 && o.Rank >= rank {
				rank = o.Rank + 1
			}
		}
		if rank == 0 {
			rank = 1
		}
		now := s.now()
		out = Successor{ID: ballast.NewID(), PositionID: pos.ID, EmployeeID: emp.ID, Readiness: params.Readiness, Rank: min(rank, MaxRank),
			Emergency: params.Emergency, Notes: params.Notes, PlanID: params.PlanID, CreatedBy: p.Subject,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.store.InsertSuccessor(ctx, p.Tenant, out); err != nil {
			return err
		}
		if err := s.store.InsertReadinessChange(ctx, p.Tenant, ReadinessChange{ID: ballast.NewID(), SuccessorID: out.ID,
			To: out.Readiness, Reason: params.Reason, ChangedBy: p.Subject, ChangedAt: now}); err != nil {
			return err
		}
		return s.record(ctx, ActionAddSuccessor, TargetSuccessor, out.ID, params.Reason, nil, out)
	})
	if err != nil {
		return Successor{}, fmt.Errorf("succession: add successor: %w", err)
	}
	return out, nil
}

// successor reads a successor and the position's check for p.
func (s *Service) successor(ctx context.Context, p ballast.Principal, scope []string, id string) (Successor, error) {
	if err := ballast.CheckID("id", id); err != nil {
		return Successor{}, err
	}
	su, err := s.store.Successor(ctx, p.Tenant, id)
	if err != nil {
		return Successor{}, err
	}
	if scope != nil {
		pos, err := s.hr.Position(as(ctx, p), su.PositionID)
		if err != nil {
			return Successor{}, err
		}
		if !inScope(scope, pos.DepartmentID) {
			return Successor{}, forbidden("position %s is outside the departments %s heads", pos.ID, p.Subject)
		}
	}
	return su, nil
}

// UpdateSuccessor replaces a successor's readiness, rank, emergency flag,
// notes and plan, where its Version is version (else ErrConflict). A
// readiness change needs a Reason and goes into the readiness history.
// The same people and refusals as AddSuccessor apply.
func (s *Service) UpdateSuccessor(ctx context.Context, id string, u SuccessorUpdate, version int64) (Successor, error) {
	p, scope, err := s.begin(ctx, true)
	if err != nil {
		return Successor{}, fmt.Errorf("succession: update successor %s: %w", id, err)
	}
	var v ballast.ValidationError
	checkSuccessorFields(&v, u.Readiness, u.Rank, u.Notes, u.PlanID, u.Reason)
	if u.Rank == 0 {
		v.Add("rank", fmt.Sprintf("must be 1–%d", MaxRank))
	}
	if err := v.Err(); err != nil {
		return Successor{}, fmt.Errorf("succession: update successor %s: %w", id, err)
	}
	var out Successor
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.successor(ctx, p, scope, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("successor "+id, version, before.Version)
		}
		changed := before.Readiness != u.Readiness
		if changed && u.Reason == "" {
			return ballast.Invalid("reason", "is required when the readiness changes")
		}
		if err := s.store.LockScale(ctx, p.Tenant, false); err != nil {
			return err
		}
		sc, err := s.scale(ctx, p.Tenant)
		if err != nil {
			return err
		}
		if _, ok := sc.Level(u.Readiness); !ok {
			return fmt.Errorf("readiness %q: %w", u.Readiness, ErrUnknownReadiness)
		}
		if u.Emergency && !before.Emergency {
			others, err := s.store.ListSuccessors(ctx, p.Tenant, Query{PositionID: before.PositionID})
			if err != nil {
				return err
			}
			for _, o := range others {
				if o.Emergency && o.ID != id {
					return fmt.Errorf("position %s: %w", before.PositionID, ErrEmergencyTaken)
				}
			}
		}
		out = before
		out.Readiness, out.Rank, out.Emergency, out.Notes, out.PlanID = u.Readiness, u.Rank, u.Emergency, u.Notes, u.PlanID
		out.UpdatedAt, out.Version = s.now(), before.Version+1
		if err := s.store.UpdateSuccessor(ctx, p.Tenant, out, version); err != nil {
			return err
		}
		if changed {
			if err := s.store.InsertReadinessChange(ctx, p.Tenant, ReadinessChange{ID: ballast.NewID(), SuccessorID: id,
				From: before.Readiness, To: out.Readiness, Reason: u.Reason, ChangedBy: p.Subject, ChangedAt: out.UpdatedAt}); err != nil {
				return err
			}
		}
		return s.record(ctx, ActionUpdateSuccessor, TargetSuccessor, id, u.Reason, before, out)
	})
	if err != nil {
		return Successor{}, fmt.Errorf("succession: update successor %s: %w", id, err)
	}
	return out, nil
}

// RemoveSuccessor takes a successor off their position, where its Version
// is version, with a reason (required) kept in the audit entry along with
// the removed record.
func (s *Service) RemoveSuccessor(ctx context.Context, id, reason string, version int64) error {
	p, scope, err := s.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("succession: remove successor %s: %w", id, err)
	}
	if n := utf8.RuneCountInString(reason); n == 0 || n > MaxReason {
		return fmt.Errorf("succession: remove successor %s: %w", id, ballast.Invalid("reason", fmt.Sprintf("must be 1–%d characters", MaxReason)))
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.successor(ctx, p, scope, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("successor "+id, version, before.Version)
		}
		if err := s.store.DeleteSuccessor(ctx, p.Tenant, id, version); err != nil {
			return err
		}
		return s.record(ctx, ActionRemoveSuccessor, TargetSuccessor, id, reason, before, nil)
	})
	if err != nil {
		return fmt.Errorf("succession: remove successor %s: %w", id, err)
	}
	return nil
}

// Successors returns the successors of a position (ordered by rank), for
// HR or the head of its department.
func (s *Service) Successors(ctx context.Context, positionID string) ([]Successor, error) {
	p, scope, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("succession: successors: %w", err)
	}
	if err := ballast.CheckID("position_id", positionID); err != nil {
		return nil, fmt.Errorf("succession: successors: %w", err)
	}
	pos, err := s.hr.Position(as(ctx, p), positionID)
	if err != nil {
		return nil, fmt.Errorf("succession: successors: %w", err)
	}
	if !inScope(scope, pos.DepartmentID) {
		return nil, fmt.Errorf("succession: successors: %w", forbidden("position %s is outside the departments %s heads", pos.ID, p.Subject))
	}
	out, err := s.store.ListSuccessors(ctx, p.Tenant, Query{PositionID: positionID})
	if err != nil {
		return nil, fmt.Errorf("succession: successors: %w", err)
	}
	return out, nil
}

// ReadinessHistory returns a successor's readiness history, oldest first.
func (s *Service) ReadinessHistory(ctx context.Context, successorID string) ([]ReadinessChange, error) {
	p, scope, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("succession: readiness history: %w", err)
	}
	if _, err := s.successor(ctx, p, scope, successorID); err != nil {
		return nil, fmt.Errorf("succession: readiness history: %w", err)
	}
	out, err := s.store.ReadinessHistory(ctx, p.Tenant, successorID)
	if err != nil {
		return nil, fmt.Errorf("succession: readiness history: %w", err)
	}
	return out, nil
}
