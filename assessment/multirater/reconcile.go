package multirater

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// The notification kinds the Service queues.
const (
	// KindNominate asks a reviewee to nominate peers and others.
	KindNominate = "multirater.nominate"
	// KindOpened tells a rater the round is open for answers.
	KindOpened = "multirater.opened"
	// KindReminder reminds a rater of open assignments before the response
	// deadline.
	KindReminder = "multirater.reminder"
	// KindApproval reminds a manager of nominations waiting for a decision.
	KindApproval = "multirater.approval"
)

// pageSize is how many raters or approvers one query returns.
const pageSize = 1000

// deadline is the date the round's reminders count down to: the
// nomination deadline while nominating, the response deadline while
// collecting; zero when closed.
func deadline(r Round) hr.Date {
	switch r.State {
	case StateNominating:
		return r.NominationDue
	case StateCollecting:
		return r.ResponseDue
	}
	return hr.Date{}
}

// nextAlert is the first day on or after day on which Reconcile has a
// reminder of r to send: day itself when a reminder day has come (or
// passed) and the deadline has not; zero when there is none left.
func nextAlert(r Round, day hr.Date) hr.Date {
	due := deadline(r)
	if due.IsZero() || day.After(due) || len(r.Settings.ReminderDays) == 0 {
		return hr.Date{}
	}
	var next hr.Date
	for _, d := range r.Settings.ReminderDays {
		at := addDays(due, -d)
		if !at.After(day) {
			return day
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}

// laterAlert is the first reminder day of r strictly after day (zero when
// none).
func laterAlert(r Round, day hr.Date) hr.Date {
	due := deadline(r)
	var next hr.Date
	if due.IsZero() {
		return next
	}
	for _, d := range r.Settings.ReminderDays {
		if at := addDays(due, -d); at.After(day) && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	return next
}

// reminderOffset is the reminder that applies on day: the smallest
// configured offset whose day has come, while the deadline has not passed.
func reminderOffset(r Round, day hr.Date) (int, bool) {
	due := deadline(r)
	if due.IsZero() || day.After(due) {
		return 0, false
	}
	days := slices.Clone(r.Settings.ReminderDays)
	slices.Sort(days)
	for _, d := range days {
		if !addDays(due, -d).After(day) {
			return d, true
		}
	}
	return 0, false
}

// ReconcileReport says what one Reconcile did.
type ReconcileReport struct {
	// Rounds counts the rounds whose reminder day had come.
	Rounds int `json:"rounds"`
	// Reminders counts the reminders newly queued to raters, Approvals
	// those to managers with pending nominations (a repeat is a no-op in
	// the outbox and not counted).
	Reminders int `json:"reminders"`
	Approvals int `json:"approvals"`
}

// reconcileBatch is how many due rounds one transaction claims.
const reconcileBatch = 20

// Reconcile brings the principal's tenant in line with the dates at now
// (in the tenant's time zone): for every round whose reminder day has come
// (Round.NextAlertOn, an indexed column) it reminds, once per round,
// deadline and reminder offset, each rater with open assignments
// (collecting rounds) and each manager with nominations waiting for a
// decision (nominating and collecting rounds).
//
// It is level-triggered and idempotent: run it any number of times, on any
// number of instances. Rounds are claimed in batches (FOR UPDATE SKIP
// LOCKED on PostgreSQL) and every message carries an idempotency key with
// the deadline and offset, so none is queued twice; a moved deadline
// starts its own reminders. The host calls it with a system principal per
// tenant (a user needs PermManage).
func (s *Service) Reconcile(ctx context.Context, now time.Time) (ReconcileReport, error) {
	var rep ReconcileReport
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return rep, fmt.Errorf("multirater: reconcile: %w", err)
	}
	day, err := s.today(ctx, pr.Tenant, now)
	if err != nil {
		return rep, fmt.Errorf("multirater: reconcile: %w", err)
	}
	for {
		n := 0
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			rounds, err := s.store.DueRounds(ctx, pr.Tenant, day, reconcileBatch)
			if err != nil {
				return err
			}
			n = len(rounds)
			for _, r := range rounds {
				rep.Rounds++
				if d, ok := reminderOffset(r, day); ok {
					if err := s.remind(ctx, pr.Tenant, r, d, day, &rep); err != nil {
						return fmt.Errorf("round %s: %w", r.ID, err)
					}
				}
				if err := s.store.SetRoundAlert(ctx, pr.Tenant, r.ID, laterAlert(r, day)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("multirater: reconcile: %w", err)
		}
		if n < reconcileBatch {
			return rep, nil
		}
	}
}

// remind queues the reminders of round r at offset d.
func (s *Service) remind(ctx context.Context, tenant string, r Round, d int, day hr.Date, rep *ReconcileReport) error {
	due := deadline(r)
	left := fmt.Sprintf("due in %d days", d)
	switch d {
	case 0:
		left = "due today"
	case 1:
		left = "due in 1 day"
	}
	key := fmt.Sprintf("%s/%s/d%d", r.ID, due, d)
	data := map[string]string{"round_id": r.ID, "cycle_id": r.CycleID, "due_on": due.String(), "days_left": fmt.Sprint(d)}
	if r.State == StateCollecting {
		n, err := s.eachPage(ctx, func(after string) ([]string, error) {
			return s.store.OpenRaters(ctx, tenant, r.ID, after, pageSize)
		}, func(to string) notify.Message {
			return notify.Message{Recipients: []string{to}, Kind: KindReminder, Data: data,
				Subject:        fmt.Sprintf("360 feedback %q %s", r.Name, left),
				Body:           fmt.Sprintf("You have 360 feedback to give in %q, %s (%s).", r.Name, left, due),
				IdempotencyKey: KindReminder + "/" + key + "/" + to}
		})
		if err != nil {
			return err
		}
		rep.Reminders += n
	}
	n, err := s.eachPage(ctx, func(after string) ([]string, error) {
		return s.store.PendingApprovers(ctx, tenant, r.ID, after, pageSize)
	}, func(to string) notify.Message {
		return notify.Message{Recipients: []string{to}, Kind: KindApproval, Data: data,
			Subject:        fmt.Sprintf("360 nominations to approve in %q", r.Name),
			Body:           fmt.Sprintf("Nominations of raters in %q wait for your decision (%s, %s).", r.Name, left, due),
			IdempotencyKey: KindApproval + "/" + key + "/" + to}
	})
	rep.Approvals += n
	return err
}

// eachPage queues one message per recipient listed by page (keyset, empty
// recipients skipped) and returns how many were new.
func (s *Service) eachPage(ctx context.Context, page func(after string) ([]string, error), msg func(to string) notify.Message) (int, error) {
	total, after := 0, ""
	for {
		ids, err := page(after)
		if err != nil {
			return total, err
		}
		ms := make([]notify.Message, 0, len(ids))
		for _, id := range ids {
			if id != "" {
				ms = append(ms, msg(id))
			}
		}
		n, err := s.outbox.EnqueueMany(ctx, ms)
		if err != nil {
			return total, err
		}
		total += n
		if len(ids) < pageSize {
			return total, nil
		}
		after = ids[len(ids)-1]
	}
}

// notifyNominate asks each reviewee to nominate raters.
func (s *Service) notifyNominate(ctx context.Context, r Round, reviewees []string) error {
	data := map[string]string{"round_id": r.ID, "cycle_id": r.CycleID, "due_on": r.NominationDue.String()}
	for start := 0; start < len(reviewees); start += pageSize {
		chunk := reviewees[start:min(start+pageSize, len(reviewees))]
		ms := make([]notify.Message, len(chunk))
		for i, id := range chunk {
			ms[i] = notify.Message{Recipients: []string{id}, Kind: KindNominate, Data: data,
				Subject:        fmt.Sprintf("Nominate your 360 raters for %q", r.Name),
				Body:           fmt.Sprintf("Nominate the peers who should give you feedback in %q by %s.", r.Name, r.NominationDue),
				IdempotencyKey: KindNominate + "/" + r.ID + "/" + id}
		}
		if _, err := s.outbox.EnqueueMany(ctx, ms); err != nil {
			return err
		}
	}
	return nil
}

// notifyOpened tells each rater with open assignments that the round is
// open.
func (s *Service) notifyOpened(ctx context.Context, tenant string, r Round) error {
	data := map[string]string{"round_id": r.ID, "cycle_id": r.CycleID, "due_on": r.ResponseDue.String()}
	_, err := s.eachPage(ctx, func(after string) ([]string, error) {
		return s.store.OpenRaters(ctx, tenant, r.ID, after, pageSize)
	}, func(to string) notify.Message {
		return notify.Message{Recipients: []string{to}, Kind: KindOpened, Data: data,
			Subject:        fmt.Sprintf("360 feedback %q is open", r.Name),
			Body:           fmt.Sprintf("Please give your 360 feedback in %q by %s.", r.Name, r.ResponseDue),
			IdempotencyKey: KindOpened + "/" + r.ID + "/" + to}
	})
	return err
}
