package appeal

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
)

// ReconcileReport says what one Reconcile did.
type ReconcileReport struct {
	// Reminders and Escalations count the appeals alerted.
	Reminders   int `json:"reminders"`
	Escalations int `json:"escalations"`
}

// reconcileBatch is how many due appeals one transaction claims.
const reconcileBatch = 200

// Reconcile brings the principal's tenant in line with the appeals' due
// days at now (in the tenant's time zone): a pending appeal is reminded to
// its answerers (the handler or the HR recipients, and the manager) from
// Settings.RemindDaysBefore days before its DueOn, and escalated once the
// DueOn has passed. It finds the work through an indexed date column
// (Appeal.NextAlertOn), never by loading every appeal.
//
// It is level-triggered and idempotent: run it any number of times, on any
// number of instances. Rows are claimed in batches (FOR UPDATE SKIP LOCKED
// on PostgreSQL); each message carries an idempotency key with the due
// day, so none is queued twice. The host calls it with a system principal
// per tenant (a user needs the ManagePermission of some kind).
func (s *Service) Reconcile(ctx context.Context, now time.Time) (ReconcileReport, error) {
	var rep ReconcileReport
	pr, err := s.manager(ctx)
	if err != nil {
		return rep, fmt.Errorf("appeal: reconcile: %w", err)
	}
	loc, err := s.location(ctx, pr)
	if err != nil {
		return rep, fmt.Errorf("appeal: reconcile: %w", err)
	}
	day := today(now, loc)
	sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: pr.Tenant, Subject: "system:appeal:reconcile", Kind: ballast.KindSystem})
	for {
		n := 0
		err := s.tx.InTx(sys, func(ctx context.Context) error {
			due, err := s.store.DueAppeals(ctx, pr.Tenant, day, reconcileBatch)
			if err != nil {
				return err
			}
			n = len(due)
			if n == 0 {
				return nil
			}
			set, err := s.settings(ctx, pr.Tenant)
			if err != nil {
				return err
			}
			for _, a := range due {
				next := hrZero
				remindOn := addDays(a.DueOn, -set.RemindDaysBefore)
				switch {
				case !a.Status.Pending():
				case day.After(a.DueOn):
					if err := s.escalate(ctx, a, set); err != nil {
						return fmt.Errorf("appeal %s: %w", a.ID, err)
					}
					rep.Escalations++
				case !day.Before(remindOn):
					if err := s.remind(ctx, a, set); err != nil {
						return fmt.Errorf("appeal %s: %w", a.ID, err)
					}
					rep.Reminders++
					next = addDays(a.DueOn, 1)
				default:
					next = remindOn
				}
				if err := s.store.SetAlert(ctx, pr.Tenant, a.ID, next); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("appeal: reconcile: %w", err)
		}
		if n < reconcileBatch {
			return rep, nil
		}
	}
}
