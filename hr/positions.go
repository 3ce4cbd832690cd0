package hr

import (
	"context"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
)

func (s *Service) checkPosition(ctx context.Context, tenant string, p PositionParams) error {
	var v ballast.ValidationError
	text(&v, "title", p.Title, true, maxName)
	text(&v, "grade", p.Grade, false, maxGrade)
	if p.Level < 0 || p.Level > maxLevel {
		v.Add("level", fmt.Sprintf("must be between 0 and %d", maxLevel))
	}
	if requiredRef(&v, "department_id", p.DepartmentID) {
		if _, err := s.store.Department(ctx, tenant, p.DepartmentID); err != nil {
			if err := missing(&v, "department_id", err); err != nil {
				return err
			}
		}
	}
	return v.Err()
}

func (p PositionParams) normalised() PositionParams {
	p.Title = strings.TrimSpace(p.Title)
	p.Grade = strings.TrimSpace(p.Grade)
	return p
}

// CreatePosition adds a position to a department (PermOrgWrite).
func (s *Service) CreatePosition(ctx context.Context, p PositionParams) (Position, error) {
	p = p.normalised()
	var out Position
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermOrgWrite)
		if err != nil {
			return err
		}
		if err := s.checkPosition(ctx, pr.Tenant, p); err != nil {
			return err
		}
		now := s.now()
		out = Position{ID: ballast.NewID(), Title: p.Title, DepartmentID: p.DepartmentID, Level: p.Level,
			Grade: p.Grade, Critical: p.Critical, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.store.InsertPosition(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, "hr.position.create", "position", out.ID, nil, out)
	})
	if err != nil {
		return Position{}, fmt.Errorf("hr: create position: %w", err)
	}
	return out, nil
}

// UpdatePosition replaces a position's fields (PermOrgWrite); version is
// the version read (stale: ErrConflict).
func (s *Service) UpdatePosition(ctx context.Context, id string, p PositionParams, version int64) (Position, error) {
	p = p.normalised()
	var out Position
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermOrgWrite)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.store.Position(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion(version, before.Version)
		}
		if err := s.checkPosition(ctx, pr.Tenant, p); err != nil {
			return err
		}
		out = before
		out.Title, out.DepartmentID, out.Level, out.Grade, out.Critical = p.Title, p.DepartmentID, p.Level, p.Grade, p.Critical
		out.UpdatedAt, out.Version = s.now(), before.Version+1
		if err := s.store.UpdatePosition(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, "hr.position.update", "position", id, before, out)
	})
	if err != nil {
		return Position{}, fmt.Errorf("hr: update position %s: %w", id, err)
	}
	return out, nil
}

// DeletePosition deletes a position no employee holds (PermOrgWrite); a
// held one gives ErrConflict.
func (s *Service) DeletePosition(ctx context.Context, id string, version int64) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermOrgWrite)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.store.Position(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion(version, before.Version)
		}
		if err := s.store.DeletePosition(ctx, pr.Tenant, id, version); err != nil {
			return err
		}
		return s.record(ctx, "hr.position.delete", "position", id, before, nil)
	})
	if err != nil {
		return fmt.Errorf("hr: delete position %s: %w", id, err)
	}
	return nil
}

// Position returns one position (PermOrgRead).
func (s *Service) Position(ctx context.Context, id string) (Position, error) {
	pr, _, err := s.begin(ctx, PermOrgRead)
	if err == nil {
		err = ballast.CheckID("id", id)
	}
	if err != nil {
		return Position{}, fmt.Errorf("hr: position %s: %w", id, err)
	}
	p, err := s.store.Position(ctx, pr.Tenant, id)
	if err != nil {
		return Position{}, fmt.Errorf("hr: position %s: %w", id, err)
	}
	return p, nil
}

// Positions lists the positions of a department, or of the whole tenant
// when departmentID is empty, ordered by title (PermOrgRead).
func (s *Service) Positions(ctx context.Context, departmentID string) ([]Position, error) {
	pr, _, err := s.begin(ctx, PermOrgRead)
	if err == nil && departmentID != "" {
		err = ballast.CheckID("department_id", departmentID)
	}
	if err != nil {
		return nil, fmt.Errorf("hr: positions: %w", err)
	}
	ps, err := s.store.Positions(ctx, pr.Tenant, departmentID)
	if err != nil {
		return nil, fmt.Errorf("hr: positions: %w", err)
	}
	return ps, nil
}
