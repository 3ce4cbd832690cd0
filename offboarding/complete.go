package offboarding

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Complete ends a case whose steps are all closed (PermManage): every
// revocation stage not applied yet applies (the account is disabled and
// every grant removed, per the plan), the access step is done, the
// employee becomes "departed", and HR and the employee are told. Open
// steps give ErrStepsOpen (HR may force-close them); a closed case, so a
// second Complete, gives ErrCaseClosed; a stale version ErrConflict.
func (s *Service) Complete(ctx context.Context, caseID string, version int64) (Case, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: complete: %w", err)
	}
	var out Case
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, steps, err := s.load(ctx, pr.Tenant, caseID, version)
		if err != nil {
			return err
		}
		if _, _, err := s.syncHandover(ctx, pr, c); err != nil {
			return err
		}
		steps, err = s.store.Steps(ctx, pr.Tenant, caseID) // syncing may reopen the customer step
		if err != nil {
			return err
		}
		var open []string
		for _, st := range steps {
			if !st.Closed() && st.Kind != KindAccess {
				open = append(open, st.Key)
			}
		}
		if len(open) > 0 {
			return fmt.Errorf("%v: %w", open, ErrStepsOpen)
		}
		actx, err := s.accessCtx(ctx, pr, c.ID)
		if err != nil {
			return err
		}
		for _, st := range c.Plan.Stages {
			if _, err := s.access.ApplyStage(actx, c.ID, c.EmployeeID, st, stageReason(c, st)); err != nil {
				return fmt.Errorf("apply stage %s: %w", st.Key, err)
			}
		}
		for i := range steps {
			if steps[i].Kind == KindAccess && !steps[i].Closed() {
				if err := s.finishStep(ctx, pr, &steps[i], "the last revocation stage applied", false); err != nil {
					return err
				}
			}
		}
		if err := s.setEmployee(ctx, pr, c.EmployeeID, hr.StatusDeparted, c.LastDay); err != nil {
			return err
		}
		before := c
		c.Status, c.ClosedBy, c.ClosedAt, c.NextStageOn = CaseCompleted, pr.Subject, s.now(), hr.Date{}
		if err := s.saveCase(ctx, pr.Tenant, &c, before.Version); err != nil {
			return err
		}
		if err := s.record(ctx, ActionComplete, c.ID, "", caseView(before), caseView(c)); err != nil {
			return err
		}
		out = c
		return s.send(ctx, KindCompleted, c.resolve([]Role{RoleHR, RoleManager}), "Offboarding completed",
			fmt.Sprintf("The offboarding of %s is complete.", c.EmployeeID), map[string]string{"case_id": c.ID}, c.ID)
	})
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: complete %s: %w", caseID, err)
	}
	return out, nil
}

// saveCase writes c as the next version after expected.
func (s *Service) saveCase(ctx context.Context, tenant string, c *Case, expected int64) error {
	c.Version, c.UpdatedAt = expected+1, s.now()
	return s.store.UpdateCase(ctx, tenant, *c, expected)
}

// setEmployee changes the employee's status and last working day.
func (s *Service) setEmployee(ctx context.Context, pr ballast.Principal, id string, status hr.Status, last hr.Date) error {
	sys := as(ctx, pr)
	emp, err := s.hr.Employee(sys, id)
	if err != nil {
		return err
	}
	ep := emp.Params()
	ep.Status, ep.LastWorkingDay = status, last
	if status == hr.StatusActive {
		ep.LastWorkingDay = hr.Date{}
	}
	_, err = s.hr.UpdateEmployee(sys, id, ep, emp.Version)
	return err
}

// Withdraw cancels an open case (PermManage) with a reason: the
// permissions removed so far are restored exactly from the stored
// evidence (access.RestoreCase), the employee is active again without a
// last day, and the participants are told. Customers already signed for
// stay with their successors. A closed case is ErrCaseClosed.
func (s *Service) Withdraw(ctx context.Context, caseID, reason string, version int64) (Case, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: withdraw: %w", err)
	}
	var v ballast.ValidationError
	checkText(&v, "reason", reason, maxReason, true)
	if err := v.Err(); err != nil {
		return Case{}, fmt.Errorf("offboarding: withdraw: %w", err)
	}
	var out Case
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, _, err := s.load(ctx, pr.Tenant, caseID, version)
		if err != nil {
			return err
		}
		actx, err := s.accessCtx(ctx, pr, c.ID)
		if err != nil {
			return err
		}
		if _, err := s.access.RestoreCase(actx, c.ID, "offboarding case "+c.ID+" withdrawn: "+reason); err != nil {
			return err
		}
		if err := s.setEmployee(ctx, pr, c.EmployeeID, hr.StatusActive, hr.Date{}); err != nil {
			return err
		}
		before := c
		c.Status, c.ClosedBy, c.ClosedAt, c.CloseReason, c.NextStageOn = CaseWithdrawn, pr.Subject, s.now(), reason, hr.Date{}
		if err := s.saveCase(ctx, pr.Tenant, &c, before.Version); err != nil {
			return err
		}
		steps, err := s.store.Steps(ctx, pr.Tenant, c.ID)
		if err != nil {
			return err
		}
		for _, st := range steps {
			if !st.NextAlertOn.IsZero() {
				if err := s.store.SetStepAlert(ctx, pr.Tenant, st.ID, hr.Date{}); err != nil {
					return err
				}
			}
		}
		if err := s.record(ctx, ActionWithdraw, c.ID, reason, caseView(before), caseView(c)); err != nil {
			return err
		}
		out = c
		return s.send(ctx, KindWithdrawn, c.resolve([]Role{RoleHR, RoleManager, RoleEmployee, RoleSuccessor}), "Resignation withdrawn",
			fmt.Sprintf("The resignation of %s was withdrawn: %s", c.EmployeeID, reason), map[string]string{"case_id": c.ID}, c.ID)
	})
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: withdraw %s: %w", caseID, err)
	}
	return out, nil
}

// ChangeLastDay moves the last working day of an open case (PermManage):
// the employee's record, every open step's deadline and the dates of the
// revocation stages follow; reminders go out for the new deadlines (their
// idempotency keys carry the due date), none for the old.
func (s *Service) ChangeLastDay(ctx context.Context, caseID string, lastDay hr.Date, reason string, version int64) (Case, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: change last day: %w", err)
	}
	var v ballast.ValidationError
	checkDate(&v, "last_day", lastDay)
	checkText(&v, "reason", reason, maxReason, false)
	if err := v.Err(); err != nil {
		return Case{}, fmt.Errorf("offboarding: change last day: %w", err)
	}
	var out Case
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, steps, err := s.load(ctx, pr.Tenant, caseID, version)
		if err != nil {
			return err
		}
		if lastDay.Before(c.SubmittedOn) {
			return ballast.Invalid("last_day", "is before the day the resignation was submitted")
		}
		loc, err := s.location(ctx, pr)
		if err != nil {
			return err
		}
		day := today(s.now(), loc)
		if err := s.setEmployee(ctx, pr, c.EmployeeID, hr.StatusResigning, lastDay); err != nil {
			return err
		}
		before := c
		c.LastDay = lastDay
		// Every date-triggered stage is due again from its new day; one
		// whose day has passed applies at the next Reconcile (a stage
		// applied already stays applied).
		c.NextStageOn = nextStage(c.Plan, lastDay, hr.Date{}, c.Kind == ExitInvoluntary)
		if err := s.saveCase(ctx, pr.Tenant, &c, before.Version); err != nil {
			return err
		}
		for i := range steps {
			st := &steps[i]
			if st.Closed() {
				continue
			}
			prev := st.Version
			st.DueOn = addDays(lastDay, st.DueOffsetDays)
			st.NextAlertOn = nextAlert(*st, c.ReminderOffsets, day, false)
			st.Version, st.UpdatedAt = prev+1, s.now()
			if err := s.store.UpdateStep(ctx, pr.Tenant, *st, prev); err != nil {
				return err
			}
		}
		if err := s.record(ctx, ActionLastDay, c.ID, reason, caseView(before), caseView(c)); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: change last day of %s: %w", caseID, err)
	}
	return out, nil
}
