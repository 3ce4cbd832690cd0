package appeal

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
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
		var batch ReconcileReport
		err := s.tx.InTx(sys, func(ctx context.Context) error {
			batch = ReconcileReport{}
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
			var msgs []notify.Message
			next := map[hr.Date][]string{}
			for _, a := range due {
				d := hrZero
				remindOn := addDays(a.DueOn, -set.RemindDaysBefore)
				switch {
				case !a.Status.Pending():
				case day.After(a.DueOn):
					msgs = append(msgs, escalation(a, set)...)
					batch.Escalations++
				case !day.Before(remindOn):
					msgs = append(msgs, reminder(a, set)...)
					batch.Reminders++
					d = addDays(a.DueOn, 1)
				default:
					d = remindOn
				}
				next[d] = append(next[d], a.ID)
			}
			if err := s.enqueue(ctx, msgs); err != nil {
				return err
			}
			for d, ids := range next {
				if err := s.store.SetAlerts(ctx, pr.Tenant, ids, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("appeal: reconcile: %w", err)
		}
		rep.Reminders += batch.Reminders
		rep.Escalations += batch.Escalations
		if n < reconcileBatch {
			return rep, nil
		}
	}
}
