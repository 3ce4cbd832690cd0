package offboarding

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
)

func (r WorkReport) validate() error {
	var v ballast.ValidationError
	for i, p := range r.Projects {
		checkText(&v, fmt.Sprintf("projects[%d].name", i), p.Name, 200, true)
		checkText(&v, fmt.Sprintf("projects[%d].status", i), p.Status, 200, true)
		checkText(&v, fmt.Sprintf("projects[%d].next_step", i), p.NextStep, 2000, false)
		for j, x := range p.Stakeholders {
			checkText(&v, fmt.Sprintf("projects[%d].stakeholders[%d]", i, j), x, 200, true)
		}
	}
	for i, t := range r.PendingTasks {
		checkText(&v, fmt.Sprintf("pending_tasks[%d]", i), t, 2000, true)
	}
	checkText(&v, "documents_at", r.DocumentsAt, 2000, true)
	return v.Err()
}

// SubmitWorkReport submits a round of the work report (the leaving
// employee, or HR for them). A round may be submitted while none is
// pending review; version is the work step's version (stale: ErrConflict).
func (s *Service) SubmitWorkReport(ctx context.Context, caseID string, r WorkReport, version int64) (WorkRound, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return WorkRound{}, fmt.Errorf("offboarding: submit work report: %w", err)
	}
	if err := r.validate(); err != nil {
		return WorkRound{}, fmt.Errorf("offboarding: submit work report: %w", err)
	}
	var out WorkRound
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, steps, err := s.load(ctx, pr.Tenant, caseID, 0)
		if err != nil {
			return err
		}
		if err := s.mayHandOver(ctx, pr, c); err != nil {
			return err
		}
		st, err := stepOf(steps, KindWork, "")
		if err != nil {
			return err
		}
		if st.Closed() {
			return ErrStepClosed
		}
		if st.Version != version {
			return staleVersion("work step", version, st.Version)
		}
		rounds, err := s.store.WorkRounds(ctx, pr.Tenant, caseID)
		if err != nil {
			return err
		}
		if n := len(rounds); n > 0 && rounds[n-1].Decision == DecisionPending {
			return fmt.Errorf("round %d awaits review: %w", n, ballast.ErrConflict)
		}
		out = WorkRound{CaseID: caseID, Round: len(rounds) + 1, Report: r, SubmittedBy: pr.Subject, SubmittedAt: s.now(), Decision: DecisionPending}
		if err := s.store.InsertWorkRound(ctx, pr.Tenant, out); err != nil {
			return err
		}
		if err := s.bump(ctx, pr.Tenant, st); err != nil {
			return err
		}
		if err := s.record(ctx, ActionWorkSubmit, caseID, "", nil, out); err != nil {
			return err
		}
		return s.send(ctx, KindAssigned, c.resolve([]Role{RoleManager}), "Work report to review",
			fmt.Sprintf("Round %d of the work report of %s awaits your review.", out.Round, c.EmployeeID),
			map[string]string{"case_id": caseID, "round": fmt.Sprint(out.Round)}, caseID, st.ID, fmt.Sprintf("round%d", out.Round))
	})
	if err != nil {
		return WorkRound{}, fmt.Errorf("offboarding: submit work report of %s: %w", caseID, err)
	}
	return out, nil
}

// bump raises a step's version: the optimistic lock of every change made
// through the step.
func (s *Service) bump(ctx context.Context, tenant string, st *Step) error {
	before := st.Version
	st.Version, st.UpdatedAt = before+1, s.now()
	return s.store.UpdateStep(ctx, tenant, *st, before)
}

// ReviewParams is the manager's decision on the pending round.
type ReviewParams struct {
	CaseID  string `json:"case_id"`
	Approve bool   `json:"approve"`
	// Comments are required when returning the report.
	Comments string `json:"comments,omitempty"`
	// Version is the work step's version (stale: ErrConflict): of two
	// reviewers deciding at once, one wins.
	Version int64 `json:"version"`
}

// ReviewWorkReport approves the pending round (the work step is done) or
// returns it with comments for another round. The case's manager, a
// holder of PermApproveDepartment who is the manager, or HR may review;
// nobody reviews a report they submitted (ErrForbidden).
func (s *Service) ReviewWorkReport(ctx context.Context, p ReviewParams) (WorkRound, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return WorkRound{}, fmt.Errorf("offboarding: review work report: %w", err)
	}
	var v ballast.ValidationError
	checkText(&v, "comments", p.Comments, maxNote, !p.Approve)
	if err := v.Err(); err != nil {
		return WorkRound{}, fmt.Errorf("offboarding: review work report: %w", err)
	}
	manages, err := s.manages(ctx, pr)
	if err != nil {
		return WorkRound{}, fmt.Errorf("offboarding: review work report: %w", err)
	}
	var out WorkRound
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, steps, err := s.load(ctx, pr.Tenant, p.CaseID, 0)
		if err != nil {
			return err
		}
		if !manages && pr.Subject != c.ManagerID {
			return forbidden("%s is neither the manager nor HR", pr.Subject)
		}
		st, err := stepOf(steps, KindWork, "")
		if err != nil {
			return err
		}
		if st.Closed() {
			return ErrStepClosed
		}
		if st.Version != p.Version {
			return staleVersion("work step", p.Version, st.Version)
		}
		rounds, err := s.store.WorkRounds(ctx, pr.Tenant, p.CaseID)
		if err != nil {
			return err
		}
		if len(rounds) == 0 || rounds[len(rounds)-1].Decision != DecisionPending {
			return fmt.Errorf("no work report awaits review: %w", ballast.ErrConflict)
		}
		r := rounds[len(rounds)-1]
		if r.SubmittedBy == pr.Subject || c.EmployeeID == pr.Subject {
			return forbidden("%s may not review their own work report", pr.Subject)
		}
		before := r
		r.Decision, r.Comments, r.DecidedBy, r.DecidedAt = DecisionReturned, p.Comments, pr.Subject, s.now()
		if p.Approve {
			r.Decision = DecisionApproved
		}
		if err := s.store.UpdateWorkRound(ctx, pr.Tenant, r); err != nil {
			return err
		}
		if p.Approve {
			if err := s.finishStep(ctx, pr, st, fmt.Sprintf("round %d approved", r.Round), false); err != nil {
				return err
			}
		} else if err := s.bump(ctx, pr.Tenant, st); err != nil {
			return err
		}
		if err := s.record(ctx, ActionWorkReview, p.CaseID, p.Comments, before, r); err != nil {
			return err
		}
		out = r
		return s.send(ctx, KindReviewed, []string{r.SubmittedBy}, "Work report "+string(r.Decision),
			fmt.Sprintf("Round %d of your work report was %s. %s", r.Round, r.Decision, p.Comments),
			map[string]string{"case_id": p.CaseID, "round": fmt.Sprint(r.Round)}, p.CaseID, fmt.Sprintf("round%d", r.Round))
	})
	if err != nil {
		return WorkRound{}, fmt.Errorf("offboarding: review work report of %s: %w", p.CaseID, err)
	}
	return out, nil
}
