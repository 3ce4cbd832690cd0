package offboarding

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// The notification kinds the Service queues.
const (
	KindAssigned   = "offboarding.assigned"
	KindReminder   = "offboarding.reminder"
	KindEscalation = "offboarding.escalation"
	KindSigned     = "offboarding.signed"
	KindReviewed   = "offboarding.work.reviewed"
	KindCompleted  = "offboarding.completed"
	KindWithdrawn  = "offboarding.withdrawn"
)

// send queues one message per recipient, each with its own idempotency key
// "<kind>/<parts…>/<recipient>", so a repeat never duplicates one.
func (s *Service) send(ctx context.Context, kind string, recipients []string, subject, body string, data map[string]string, keyParts ...string) error {
	seen := map[string]bool{}
	for _, r := range recipients {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		key := kind
		for _, p := range keyParts {
			key += "/" + p
		}
		key += "/" + r
		m := notify.Message{Recipients: []string{r}, Kind: kind, Subject: subject, Body: body, Data: data, IdempotencyKey: key}
		if err := s.outbox.Enqueue(ctx, m); err != nil {
			return fmt.Errorf("notify %s: %w", r, err)
		}
	}
	return nil
}

func stepData(c Case, st Step) map[string]string {
	return map[string]string{"case_id": c.ID, "employee_id": c.EmployeeID, "step_id": st.ID,
		"step_key": st.Key, "due_on": st.DueOn.String(), "last_day": c.LastDay.String()}
}

// notifyOpened tells every assignee of every step what to do by when.
func (s *Service) notifyOpened(ctx context.Context, c Case, steps []Step) error {
	for _, st := range steps {
		if st.Closed() {
			continue
		}
		subject := fmt.Sprintf("%s due %s", st.Title, st.DueOn)
		body := fmt.Sprintf("Offboarding of %s (last day %s): %q is due on %s.", c.EmployeeID, c.LastDay, st.Title, st.DueOn)
		if err := s.send(ctx, KindAssigned, st.Assignees, subject, body, stepData(c, st), c.ID, st.ID); err != nil {
			return err
		}
	}
	return nil
}

// remind queues the reminder of step st at offset for its due date.
func (s *Service) remind(ctx context.Context, c Case, st Step, offset int, day hr.Date) error {
	left := daysBetween(day, st.DueOn)
	when := fmt.Sprintf("due in %d days", left)
	switch left {
	case 0:
		when = "due today"
	case 1:
		when = "due in 1 day"
	}
	data := stepData(c, st)
	data["days_left"] = fmt.Sprint(left)
	subject := fmt.Sprintf("%s %s", st.Title, when)
	body := fmt.Sprintf("Offboarding of %s: %q is %s (%s).", c.EmployeeID, st.Title, when, st.DueOn)
	return s.send(ctx, KindReminder, st.Assignees, subject, body, data, c.ID, st.ID, st.DueOn.String(), fmt.Sprintf("d%d", offset))
}

// escalate tells the escalation roles that st missed its deadline.
func (s *Service) escalate(ctx context.Context, c Case, st Step) error {
	subject := fmt.Sprintf("Overdue: %s (due %s)", st.Title, st.DueOn)
	body := fmt.Sprintf("Offboarding of %s: %q was due on %s and is still open.", c.EmployeeID, st.Title, st.DueOn)
	return s.send(ctx, KindEscalation, c.resolve(c.EscalateTo), subject, body, stepData(c, st), c.ID, st.ID, st.DueOn.String())
}
