package offboarding

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
)

// ReconcileReport says what one Reconcile did.
type ReconcileReport struct {
	// Reminders and Escalations count the steps alerted (each message is
	// queued once per recipient; a repeat is a no-op in the outbox).
	Reminders   int `json:"reminders"`
	Escalations int `json:"escalations"`
	// Stages counts the revocation stages applied.
	Stages int `json:"stages"`
	// Customers counts the customers added to handover lists (acquired by
	// a leaver since the list was last filled).
	Customers int `json:"customers"`
}

// reconcileBatch is how many due rows one transaction claims.
const reconcileBatch = 200

// Reconcile brings the principal's tenant in line with the dates at now
// (in the tenant's time zone): it queues the reminders of the steps whose
// reminder day has come (the smallest configured offset that applies, once
// per step, due date and offset), escalates to the escalation roles the
// steps whose deadline has passed, and applies the before-last-day
// revocation stages whose day has come. It finds the work through indexed
// date columns (Step.NextAlertOn, Case.NextStageOn), never by loading
// every case.
//
// It is level-triggered and idempotent: run it any number of times, on any
// number of instances. Rows are claimed in batches (FOR UPDATE SKIP LOCKED
// on PostgreSQL); every message carries an idempotency key with the due
// date, so none is queued twice, and stages apply idempotently. The host
// calls it with a system principal per tenant (a user needs PermManage).
func (s *Service) Reconcile(ctx context.Context, now time.Time) (ReconcileReport, error) {
	var rep ReconcileReport
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return rep, fmt.Errorf("offboarding: reconcile: %w", err)
	}
	loc, err := s.location(ctx, pr)
	if err != nil {
		return rep, fmt.Errorf("offboarding: reconcile: %w", err)
	}
	day := today(now, loc)
	for {
		n := 0
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			steps, err := s.store.DueSteps(ctx, pr.Tenant, day, reconcileBatch)
			if err != nil {
				return err
			}
			n = len(steps)
			cases := map[string]Case{}
			for _, st := range steps {
				c, ok := cases[st.CaseID]
				if !ok {
					if c, err = s.store.Case(ctx, pr.Tenant, st.CaseID); err != nil {
						return err
					}
					cases[st.CaseID] = c
				}
				if c.Status == CaseOpen {
					escalate, offset, ok := alertOn(st, c.ReminderOffsets, day)
					switch {
					case ok && escalate:
						if err := s.escalate(ctx, c, st); err != nil {
							return err
						}
						rep.Escalations++
					case ok:
						if err := s.remind(ctx, c, st, offset, day); err != nil {
							return err
						}
						rep.Reminders++
					}
				}
				next := hr.Date{}
				if c.Status == CaseOpen {
					next = nextAlert(st, c.ReminderOffsets, day, true)
				}
				if err := s.store.SetStepAlert(ctx, pr.Tenant, st.ID, next); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("offboarding: reconcile steps: %w", err)
		}
		if n < reconcileBatch {
			break
		}
	}
	if err := s.listLateCustomers(ctx, pr, &rep); err != nil {
		return rep, fmt.Errorf("offboarding: reconcile customers: %w", err)
	}
	for {
		n := 0
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			cases, err := s.store.DueCases(ctx, pr.Tenant, day, reconcileBatch)
			if err != nil {
				return err
			}
			n = len(cases)
			for _, c := range cases {
				sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: pr.Tenant, Subject: systemSubject(c.ID), Kind: ballast.KindSystem})
				for _, st := range c.Plan.Stages {
					if st.Trigger.Kind != access.TriggerBeforeLastDay || stageDay(st, c.LastDay).After(day) {
						continue
					}
					eff, err := s.access.ApplyStage(sys, c.ID, c.EmployeeID, st, stageReason(c, st))
					if err != nil {
						return fmt.Errorf("case %s stage %s: %w", c.ID, st.Key, err)
					}
					if !eff.AlreadyApplied {
						rep.Stages++
					}
				}
				if err := s.store.SetCaseStage(ctx, pr.Tenant, c.ID, nextStage(c.Plan, c.LastDay, day, false)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("offboarding: reconcile stages: %w", err)
		}
		if n < reconcileBatch {
			break
		}
	}
	return rep, nil
}

// listLateCustomers adds to each open case's handover list the customers
// its employee acquired since, reopening customer steps that were done.
func (s *Service) listLateCustomers(ctx context.Context, pr ballast.Principal, rep *ReconcileReport) error {
	for {
		n := 0
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			items, err := s.store.UnlistedCustomers(ctx, pr.Tenant, reconcileBatch)
			if err != nil {
				return err
			}
			n = len(items)
			now := s.now()
			byCase := map[string]int{}
			for i := range items {
				items[i].AddedAt = now
			}
			added, err := s.store.AddHandoverItems(ctx, pr.Tenant, items)
			if err != nil {
				return err
			}
			rep.Customers += added
			for _, it := range items {
				byCase[it.CaseID]++
			}
			for id, k := range byCase {
				c, err := s.store.Case(ctx, pr.Tenant, id)
				if err != nil {
					return err
				}
				if err := s.reopenCustomers(ctx, ballast.Principal{Tenant: pr.Tenant, Subject: systemSubject(id), Kind: ballast.KindSystem}, c, k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || n < reconcileBatch {
			return err
		}
	}
}
