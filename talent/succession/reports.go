package succession

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
)

// PositionReport returns the succession picture of a critical position:
// its incumbents (with their flight risk) and successors with their name,
// current position, latest hr performance score and readiness label from
// the tenant's scale. HR, or the head of the position's department.
func (s *Service) PositionReport(ctx context.Context, positionID string) (PositionReport, error) {
	p, scope, err := s.begin(ctx, false)
	if err != nil {
		return PositionReport{}, fmt.Errorf("succession: position report: %w", err)
	}
	if err := ballast.CheckID("position_id", positionID); err != nil {
		return PositionReport{}, fmt.Errorf("succession: position report: %w", err)
	}
	if _, err := s.position(ctx, p, scope, positionID); err != nil {
		return PositionReport{}, fmt.Errorf("succession: position report: %w", err)
	}
	r, err := s.store.PositionReport(ctx, p.Tenant, positionID)
	if err != nil {
		return PositionReport{}, fmt.Errorf("succession: position report: %w", err)
	}
	sc, err := s.scale(ctx, p.Tenant)
	if err != nil {
		return PositionReport{}, fmt.Errorf("succession: position report: %w", err)
	}
	for i, l := range r.Successors {
		if lv, ok := sc.Level(l.Readiness); ok {
			r.Successors[i].ReadinessLabel, r.Successors[i].Months = lv.Label, lv.Months
		} else {
			r.Successors[i].ReadinessLabel = l.Readiness
		}
	}
	return r, nil
}

// Coverage reports how well the critical positions are covered: the share
// with a ready-now successor (the first level of the tenant's scale), the
// positions with none, employees named on several positions, and the
// incumbents who are a flight risk (resigning, or hr key persons). HR sees
// the company; a department head the departments they head. It is
// computed by aggregations in the database.
func (s *Service) Coverage(ctx context.Context) (Coverage, error) {
	p, scope, err := s.begin(ctx, false)
	if err != nil {
		return Coverage{}, fmt.Errorf("succession: coverage: %w", err)
	}
	sc, err := s.scale(ctx, p.Tenant)
	if err != nil {
		return Coverage{}, fmt.Errorf("succession: coverage: %w", err)
	}
	c, err := s.store.Coverage(ctx, p.Tenant, scope, sc.ReadyNowKey())
	if err != nil {
		return Coverage{}, fmt.Errorf("succession: coverage: %w", err)
	}
	if c.CriticalPositions > 0 {
		c.ReadyNowShare = float64(c.ReadyNow) / float64(c.CriticalPositions)
	}
	return c, nil
}
