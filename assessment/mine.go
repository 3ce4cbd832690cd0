package assessment

import (
	"context"
	"fmt"
)

// MyReviews lists every review the signed-in employee is the participant
// of, in any state and cycle, ordered by ID (PermSelf): how an employee
// finds their finalised results and appeals them. A calibration shows only
// once its cycle is finalised, as in Review.
func (s *Service) MyReviews(ctx context.Context) ([]Participant, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return nil, fmt.Errorf("assessment: my reviews: %w", err)
	}
	out, err := s.store.ListParticipants(ctx, pr.Tenant, ParticipantQuery{EmployeeID: pr.Subject})
	if err != nil {
		return nil, fmt.Errorf("assessment: my reviews: %w", err)
	}
	for i := range out {
		if out[i].Status != StatusFinalised {
			out[i].Calibration = nil
		}
	}
	return out, nil
}
