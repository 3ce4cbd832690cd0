package multirater

import (
	"context"
	"fmt"
	"slices"

	"github.com/ballast-hr/ballast"
)

// MyAssignments lists the principal's reviews to write (PermSelf): open
// and submitted assignments in a round ("" for every round), ordered by
// ID. Pending and rejected nominations are not the rater's business.
func (s *Service) MyAssignments(ctx context.Context, roundID string) ([]Assignment, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return nil, fmt.Errorf("multirater: my assignments: %w", err)
	}
	if roundID != "" {
		if err := ballast.CheckID("round_id", roundID); err != nil {
			return nil, fmt.Errorf("multirater: my assignments: %w", err)
		}
	}
	as, err := s.store.Assignments(ctx, pr.Tenant, AssignmentQuery{RoundID: roundID, RaterID: pr.Subject})
	if err != nil {
		return nil, fmt.Errorf("multirater: my assignments: %w", err)
	}
	return slices.DeleteFunc(as, func(a Assignment) bool {
		return a.Status != StatusOpen && a.Status != StatusSubmitted
	}), nil
}

// mine loads an assignment of the principal (PermSelf) and its round,
// share-locked (a round being closed waits for the answers in flight).
func (s *Service) mine(ctx context.Context, id string) (ballast.Principal, Assignment, Round, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return pr, Assignment{}, Round{}, err
	}
	if err := ballast.CheckID("assignment_id", id); err != nil {
		return pr, Assignment{}, Round{}, err
	}
	a, err := s.store.Assignment(ctx, pr.Tenant, id)
	if err != nil {
		return pr, Assignment{}, Round{}, err
	}
	if a.RaterID != pr.Subject {
		return pr, Assignment{}, Round{}, forbidden("%s is not the rater of assignment %s", pr.Subject, id)
	}
	r, err := s.store.LockRound(ctx, pr.Tenant, a.RoundID, LockShare)
	return pr, a, r, err
}

// Draft returns the answers the rater saved on their open assignment
// (only the rater, PermSelf). Once submitted, answers are no longer tied
// to the assignment and cannot be read back: a submitted assignment is
// ErrAssignmentState.
func (s *Service) Draft(ctx context.Context, assignmentID string) (Answers, error) {
	pr, a, _, err := s.mine(ctx, assignmentID)
	if err != nil {
		return Answers{}, fmt.Errorf("multirater: draft: %w", err)
	}
	if a.Status != StatusOpen {
		return Answers{}, fmt.Errorf("multirater: draft: assignment %s is %s: %w", a.ID, a.Status, ErrAssignmentState)
	}
	d, err := s.store.Draft(ctx, pr.Tenant, a.ID)
	if err != nil {
		return Answers{}, fmt.Errorf("multirater: draft: %w", err)
	}
	return d, nil
}

// answerable checks that an assignment takes answers on day.
func (s *Service) answerable(ctx context.Context, tenant string, a Assignment, r Round) error {
	if a.Status != StatusOpen {
		return fmt.Errorf("assignment %s is %s: %w", a.ID, a.Status, ErrAssignmentState)
	}
	if r.State != StateCollecting {
		return fmt.Errorf("round %s is %s: %w", r.ID, r.State, ErrRoundState)
	}
	day, err := s.today(ctx, tenant, s.now())
	if err != nil {
		return err
	}
	if day.After(r.ResponseDue) {
		return fmt.Errorf("responses closed on %s: %w", r.ResponseDue, ErrDeadlinePassed)
	}
	return nil
}

// SaveDraft saves partial answers on the rater's open assignment (only the
// rater, PermSelf) while the round is collecting and its response deadline
// has not passed. Scores outside the scale, unknown questions and comments
// on dimensions that take none are a *ballast.ValidationError. Drafts are
// not audited.
func (s *Service) SaveDraft(ctx context.Context, assignmentID string, ans Answers) (Assignment, error) {
	var out Assignment
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, a, r, err := s.mine(ctx, assignmentID)
		if err != nil {
			return err
		}
		if err := s.answerable(ctx, pr.Tenant, a, r); err != nil {
			return err
		}
		if err := ans.validate(r.Questionnaire, false); err != nil {
			return err
		}
		if err := s.store.PutDraft(ctx, pr.Tenant, a.ID, ans); err != nil {
			return err
		}
		now, version := s.now(), a.Version
		a.DraftSavedAt, a.UpdatedAt, a.Version = now, now, a.Version+1
		if err := s.store.UpdateAssignment(ctx, pr.Tenant, a, version); err != nil {
			return err
		}
		out = a
		return nil
	})
	if err != nil {
		return Assignment{}, fmt.Errorf("multirater: save draft: %w", err)
	}
	return out, nil
}

// Submit submits the rater's answers (only the rater, PermSelf): every
// question scored within the scale (a *ballast.ValidationError names each
// bad or missing one), while the round is collecting (ErrRoundState) and
// not after the response deadline (ErrDeadlinePassed). Submitting twice is
// ErrAssignmentState.
//
// The answers are stored as a Response detached from the assignment: a
// random ID, no time, and no rater for the anonymous groups. The draft is
// deleted and the assignment only remembers that it was submitted. The
// audit log records the submission event without any answer.
func (s *Service) Submit(ctx context.Context, assignmentID string, ans Answers) (Assignment, error) {
	var out Assignment
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, a, r, err := s.mine(ctx, assignmentID)
		if err != nil {
			return err
		}
		if err := s.answerable(ctx, pr.Tenant, a, r); err != nil {
			return err
		}
		if err := ans.validate(r.Questionnaire, true); err != nil {
			return err
		}
		resp := Response{ID: randomID(), RoundID: r.ID, RevieweeID: a.RevieweeID, Group: a.Group}
		if !a.Group.Anonymous() {
			resp.RaterID = a.RaterID
		}
		for _, d := range r.Questionnaire.Dimensions {
			for _, q := range d.Questions {
				resp.Scores = append(resp.Scores, Score{Question: q.Code, Dimension: d.Code, Value: ans.Scores[q.Code]})
			}
			if c := ans.Comments[d.Code]; d.Comment && c != "" {
				resp.Comments = append(resp.Comments, Comment{ID: randomID(), Dimension: d.Code, Group: a.Group, Text: c, RaterID: resp.RaterID})
			}
		}
		if err := s.store.InsertResponse(ctx, pr.Tenant, resp); err != nil {
			return err
		}
		if err := s.store.PutDraft(ctx, pr.Tenant, a.ID, Answers{}); err != nil {
			return err
		}
		now, version := s.now(), a.Version
		a.Status, a.SubmittedAt, a.UpdatedAt, a.Version = StatusSubmitted, now, now, a.Version+1
		if err := s.store.UpdateAssignment(ctx, pr.Tenant, a, version); err != nil {
			return err
		}
		out = a
		return s.record(ctx, ActionSubmit, TargetAssignment, a.ID, "", nil, nil)
	})
	if err != nil {
		return Assignment{}, fmt.Errorf("multirater: submit: %w", err)
	}
	return out, nil
}
