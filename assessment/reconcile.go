package assessment

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// reconcileBatch is how many due participants one transaction claims.
const reconcileBatch = 500

// Reconcile brings the principal's tenant in line with the dates at now
// (in the tenant's time zone). For every participant whose NextAlertOn
// has come it queues the reminder of the phase they are in — the
// self-evaluation to the employee while the cycle is open, the review to
// the manager (HR, the cycle's owner, when there is none) in manager
// review, and a self-evaluation HR reopened to the employee until they
// submit it, in either phase — on each reminder day before the deadline (the smallest offset
// of Cycle.ReminderDays that applies), and after the deadline escalates:
// a missed self-evaluation to the manager, a missed manager review to the
// cycle's owner. It finds the work through the indexed NextAlertOn column,
// never by loading every participant.
//
// For cycles in calibration it reminds their owner (HR) before the
// calibration deadline and once after it.
//
// It is level-triggered and idempotent: run it any number of times, on any
// number of instances. Rows are claimed in batches (FOR UPDATE SKIP LOCKED
// on PostgreSQL); every message carries an idempotency key with the phase,
// the deadline and the offset, so none is queued twice. The host calls it
// with a system principal per tenant (a user needs PermManage).
func (s *Service) Reconcile(ctx context.Context, now time.Time) (ReconcileReport, error) {
	var rep ReconcileReport
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return rep, fmt.Errorf("assessment: reconcile: %w", err)
	}
	day, err := s.today(ctx, pr, now)
	if err != nil {
		return rep, fmt.Errorf("assessment: reconcile: %w", err)
	}
	cycles := map[string]Cycle{}
	for {
		n := 0
		var batch ReconcileReport
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			batch = ReconcileReport{}
			ps, err := s.store.DueParticipants(ctx, pr.Tenant, day, reconcileBatch)
			if err != nil {
				return err
			}
			n = len(ps)
			var msgs []notify.Message
			next := map[hr.Date][]string{}
			for _, p := range ps {
				c, ok := cycles[p.CycleID]
				if !ok {
					if c, err = s.store.Cycle(ctx, pr.Tenant, p.CycleID); err != nil {
						return err
					}
					c.Plan = nil
					cycles[p.CycleID] = c
				}
				for _, ph := range phaseDues(c, p) {
					due, side := ph.due, ph.side
					if escalate, offset, ok := alertOn(due, c.ReminderDays, day); ok {
						if escalate {
							msgs = append(msgs, s.escalation(c, p, side, due))
							batch.Escalations++
						} else {
							msgs = append(msgs, s.reminder(c, p, side, due, offset, day))
							batch.Reminders++
						}
					}
				}
				d := participantAlert(c, p, day, true)
				next[d] = append(next[d], p.ID)
			}
			if _, err := s.outbox.EnqueueMany(ctx, msgs); err != nil {
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
			return rep, fmt.Errorf("assessment: reconcile: %w", err)
		}
		rep.Reminders += batch.Reminders
		rep.Escalations += batch.Escalations
		if n < reconcileBatch {
			break
		}
	}
	if err := s.remindCalibration(ctx, pr.Tenant, day, &rep); err != nil {
		return rep, fmt.Errorf("assessment: reconcile calibration: %w", err)
	}
	return rep, nil
}

// remindCalibration reminds the owners of the cycles in calibration
// before the calibration deadline and once after it. Few cycles are ever
// in calibration, so it reads them all; the idempotency keys make every
// message unique.
func (s *Service) remindCalibration(ctx context.Context, tenant string, day hr.Date, rep *ReconcileReport) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		cs, err := s.store.ListCycles(ctx, tenant, CycleQuery{State: CycleCalibration})
		if err != nil {
			return err
		}
		for _, c := range cs {
			due := c.Deadlines.Calibration
			escalate, offset, ok := alertOn(due, c.ReminderDays, day)
			if !ok {
				continue
			}
			data := map[string]string{"cycle_id": c.ID, "phase": "calibration", "due_on": due.String()}
			m := notify.Message{Recipients: []string{c.OwnerID}, Kind: KindReminder, Data: data,
				Subject:        fmt.Sprintf("%s: calibration due %s", c.Name, due),
				Body:           fmt.Sprintf("%s (%s) is in calibration until %s; finalise it to publish the results.", c.Name, c.Period.Label, due),
				IdempotencyKey: fmt.Sprintf("%s/%s/calibration/%s/d%d/%s", KindReminder, c.ID, due, offset, c.OwnerID)}
			if escalate {
				m.Kind, m.Subject = KindEscalation, fmt.Sprintf("Overdue: calibration of %s (due %s)", c.Name, due)
				m.Body = fmt.Sprintf("%s (%s) was to be calibrated and finalised by %s.", c.Name, c.Period.Label, due)
				m.IdempotencyKey = fmt.Sprintf("%s/%s/calibration/%s/%s", KindEscalation, c.ID, due, c.OwnerID)
			}
			n, err := s.outbox.EnqueueMany(ctx, []notify.Message{m})
			if err != nil {
				return err
			}
			switch {
			case n == 0: // sent by an earlier run
			case escalate:
				rep.Escalations++
			default:
				rep.Reminders++
			}
		}
		return nil
	})
}

// reminder tells whoever has to act in phase side that due is near.
func (s *Service) reminder(c Cycle, p Participant, side Side, due hr.Date, offset int, day hr.Date) notify.Message {
	to, what := p.EmployeeID, "your self-evaluation"
	if side == SideManager {
		to, what = s.managerOf(c, p), "the review of "+p.EmployeeName
	}
	left := daysBetween(day, due)
	when := fmt.Sprintf("due in %d days", left)
	switch left {
	case 0:
		when = "due today"
	case 1:
		when = "due in 1 day"
	}
	data := participantData(c, p, side)
	data["due_on"], data["days_left"] = due.String(), fmt.Sprint(left)
	return notify.Message{Recipients: []string{to}, Kind: KindReminder,
		Subject: fmt.Sprintf("%s: %s %s", c.Name, what, when),
		Body:    fmt.Sprintf("%s (%s): %s is %s (%s).", c.Name, c.Period.Label, what, when, due),
		Data:    data, IdempotencyKey: fmt.Sprintf("%s/%s/%s/%s/d%d/%s", KindReminder, p.ID, side, due, offset, to)}
}

// escalation tells the next level up that phase side missed due.
func (s *Service) escalation(c Cycle, p Participant, side Side, due hr.Date) notify.Message {
	to, what := s.managerOf(c, p), "the self-evaluation of "+p.EmployeeName
	if side == SideManager {
		to, what = c.OwnerID, "the manager review of "+p.EmployeeName
	}
	data := participantData(c, p, side)
	data["due_on"] = due.String()
	return notify.Message{Recipients: []string{to}, Kind: KindEscalation,
		Subject: fmt.Sprintf("Overdue: %s (due %s)", what, due),
		Body:    fmt.Sprintf("%s (%s): %s was due on %s and is still open.", c.Name, c.Period.Label, what, due),
		Data:    data, IdempotencyKey: fmt.Sprintf("%s/%s/%s/%s/%s", KindEscalation, p.ID, side, due, to)}
}
