package channel

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// digestDays is how far back Reconcile looks for feedback days it has not
// reported yet (a host whose loop stopped for longer loses older digests,
// not feedback: the items stay listed).
const digestDays = 7

// Reconcile brings HR's notifications in line with the channel's state at
// now, for the principal's tenant. It is level-triggered and safe to run
// any number of times on any number of instances:
//   - every question waiting for HR longer than the configured Overdue is
//     notified to HR once per wait (key "question:<id>:overdue:<since>");
//   - every finished day (in the tenant's zone, within the last week) with
//     anonymous feedback activity is notified to HR once, as a count
//     (key "feedback:digest:<day>"): no notification is written at the
//     time of a submission, so none dates it.
//
// The principal must be a system principal (the host's reconcile loop) or
// hold PermManage.
func (s *Service) Reconcile(ctx context.Context, now time.Time) (ReconcileReport, error) {
	var rep ReconcileReport
	fail := func(err error) (ReconcileReport, error) {
		return ReconcileReport{}, fmt.Errorf("channel: reconcile: %w", err)
	}
	pr, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return fail(err)
	}
	if pr.Kind != ballast.KindSystem {
		if err := s.auth.Authorize(ctx, PermManage); err != nil {
			return fail(err)
		}
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		qs, err := s.store.Questions(ctx, pr.Tenant, QuestionQuery{WaitingBefore: now.Add(-s.overdue)})
		if err != nil {
			return err
		}
		for _, q := range qs {
			err := s.outbox.Enqueue(ctx, notify.Message{
				Recipients: s.hrTo,
				Subject:    "A question is waiting for HR",
				Body: fmt.Sprintf("A question has waited for an answer since %s.",
					q.WaitingSince.UTC().Format("2006-01-02 15:04 MST")),
				Kind:           "channel.question.overdue",
				Data:           map[string]string{"announcement_id": q.AnnouncementID, "question_id": q.ID},
				IdempotencyKey: overdueKey(q),
			})
			if err != nil {
				return fmt.Errorf("notify overdue question %s: %w", q.ID, err)
			}
		}
		rep.OverdueQuestions = len(qs)

		t, err := s.dir.Tenant(ctx)
		if err != nil {
			return err
		}
		loc, err := t.Location()
		if err != nil {
			return err
		}
		today := hr.DateOf(now.In(loc))
		from := hr.DateOf(today.In(time.UTC).AddDate(0, 0, -digestDays))
		to := hr.DateOf(today.In(time.UTC).AddDate(0, 0, -1))
		days, err := s.store.FeedbackActivity(ctx, pr.Tenant, from, to)
		if err != nil {
			return err
		}
		for _, d := range days {
			err := s.outbox.Enqueue(ctx, notify.Message{
				Recipients: s.hrTo,
				Subject:    "Anonymous feedback of " + d.Day.String(),
				Body: fmt.Sprintf("%d new anonymous feedback item(s) and %d follow-up(s) on %s.",
					d.NewItems, d.FollowUps, d.Day),
				Kind:           "channel.feedback.digest",
				Data:           map[string]string{"day": d.Day.String()},
				IdempotencyKey: "feedback:digest:" + d.Day.String(),
			})
			if err != nil {
				return fmt.Errorf("notify feedback digest %s: %w", d.Day, err)
			}
		}
		rep.FeedbackDigests = len(days)
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return rep, nil
}
