package training

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// reconcileBatch is how many sessions one Reconcile transaction claims.
const reconcileBatch = 100

// ReconcileReport says what Reconcile did.
type ReconcileReport struct {
	// Sessions is how many sessions were due; Reminders how many reminders
	// were queued (a repeated one is not counted twice by the outbox, but
	// is here).
	Sessions  int `json:"sessions"`
	Reminders int `json:"reminders"`
}

// Reconcile queues the reminders of upcoming sessions whose reminder day
// (RemindOn) has come: one message per seated participant, kind
// "training.reminder", keyed by session, employee and start, so running it
// again or concurrently sends nothing twice. It then clears the session's
// RemindOn. It needs PermManage (the host runs it as a system principal of
// the tenant, typically every few minutes). A session that already started
// is skipped without reminders.
func (s *Service) Reconcile(ctx context.Context, now time.Time) (ReconcileReport, error) {
	var rep ReconcileReport
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return rep, fmt.Errorf("training: reconcile: %w", err)
	}
	loc, err := s.location(ctx, pr)
	if err != nil {
		return rep, fmt.Errorf("training: reconcile: %w", err)
	}
	day := hr.DateOf(now.In(loc))
	for {
		n := 0
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			due, err := s.store.DueSessions(ctx, pr.Tenant, day, reconcileBatch)
			if err != nil {
				return err
			}
			n = len(due)
			for _, ses := range due {
				if ses.StartsAt.After(now) {
					sent, err := s.remindSession(ctx, pr.Tenant, ses, loc)
					if err != nil {
						return err
					}
					rep.Reminders += sent
				}
				if err := s.store.SetRemindOn(ctx, pr.Tenant, ses.ID, hr.Date{}); err != nil {
					return err
				}
				rep.Sessions++
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("training: reconcile: %w", err)
		}
		if n < reconcileBatch {
			return rep, nil
		}
	}
}

// remindSession queues a reminder to every seated participant of ses.
func (s *Service) remindSession(ctx context.Context, tenant string, ses Session, loc *time.Location) (int, error) {
	es, err := s.store.ListEnrolments(ctx, tenant, EnrolmentQuery{SessionID: ses.ID, Statuses: []EnrolmentStatus{Enrolled}})
	if err != nil || len(es) == 0 {
		return 0, err
	}
	c, err := s.store.Course(ctx, tenant, ses.CourseID)
	if err != nil {
		return 0, err
	}
	start := ses.StartsAt.In(loc)
	for _, e := range es {
		m := notify.Message{Recipients: []string{e.EmployeeID}, Kind: "training.reminder",
			Subject: fmt.Sprintf("Reminder: %s (%s) on %s", c.Title, c.Code, ses.Date),
			Body:    fmt.Sprintf("%s starts %s. %s %s", c.Title, start.Format("2006-01-02 15:04"), ses.Location, ses.Link),
			Data: map[string]string{"session_id": ses.ID, "course_id": c.ID, "enrolment_id": e.ID,
				"starts_at": ses.StartsAt.Format(time.RFC3339)},
			IdempotencyKey: fmt.Sprintf("training.reminder/%s/%s/%s", ses.ID, e.EmployeeID, ses.StartsAt.Format("20060102T1504Z"))}
		if err := s.outbox.Enqueue(ctx, m); err != nil {
			return 0, err
		}
	}
	return len(es), nil
}
