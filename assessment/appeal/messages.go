package appeal

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/notify"
)

// The notification kinds the Service queues.
const (
	KindFiled      = "appeal.filed"
	KindReply      = "appeal.reply"
	KindDecided    = "appeal.decided"
	KindWithdrawn  = "appeal.withdrawn"
	KindReminder   = "appeal.reminder"
	KindEscalation = "appeal.escalation"
)

// messages builds one message per recipient, each with its own
// idempotency key "<kind>/<parts…>/<recipient>", so a repeat never
// duplicates one. Empty and repeated recipients are skipped.
func messages(kind string, recipients []string, subject, body string, data map[string]string, keyParts ...string) []notify.Message {
	var out []notify.Message
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
		out = append(out, notify.Message{Recipients: []string{r}, Kind: kind, Subject: subject, Body: body, Data: data, IdempotencyKey: key})
	}
	return out
}

// send queues the messages of messages(…) in one statement.
func (s *Service) send(ctx context.Context, kind string, recipients []string, subject, body string, data map[string]string, keyParts ...string) error {
	return s.enqueue(ctx, messages(kind, recipients, subject, body, data, keyParts...))
}

// enqueue queues ms (nothing when empty).
func (s *Service) enqueue(ctx context.Context, ms []notify.Message) error {
	if len(ms) == 0 {
		return nil
	}
	if _, err := s.outbox.EnqueueMany(ctx, ms); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

func data(a Appeal) map[string]string {
	d := map[string]string{"appeal_id": a.ID, "kind": a.Kind, "subject_id": a.SubjectID,
		"employee_id": a.EmployeeID, "status": string(a.Status), "due_on": a.DueOn.String()}
	if a.Item != "" {
		d["item"] = a.Item
	}
	if a.Result != "" {
		d["result"] = string(a.Result)
	}
	return d
}

// what names the contested thing for people.
func what(a Appeal) string {
	if a.Item != "" {
		t := a.ItemTitle
		if t == "" {
			t = a.Item
		}
		return fmt.Sprintf("%s (%s)", a.Title, t)
	}
	return a.Title
}

// answerers are who must answer a: the handler (or, before anyone took it
// under review, the HR recipients) and the manager.
func answerers(a Appeal, set Settings) []string {
	out := []string{a.ManagerID}
	if a.HandlerID != "" {
		return append(out, a.HandlerID)
	}
	return append(out, set.HRRecipients...)
}

// notifyFiled tells the manager and the HR recipients of a new appeal.
func (s *Service) notifyFiled(ctx context.Context, a Appeal, set Settings) error {
	return s.send(ctx, KindFiled, answerers(a, set), "New appeal: "+what(a),
		fmt.Sprintf("An appeal against %s was filed; it is due for a decision on %s.", what(a), a.DueOn), data(a), a.ID)
}

// notifyReply tells the other participants of a reply.
func (s *Service) notifyReply(ctx context.Context, a Appeal, m Message) error {
	var to []string
	for _, r := range []string{a.EmployeeID, a.ManagerID, a.HandlerID} {
		if r != m.AuthorID {
			to = append(to, r)
		}
	}
	d := data(a)
	d["message_id"] = m.ID
	return s.send(ctx, KindReply, to, "New reply on the appeal: "+what(a), m.Body, d, a.ID, m.ID)
}

// notifyClosed tells the employee (and the manager) that a was decided,
// or the manager and the handler that the employee withdrew it.
func (s *Service) notifyClosed(ctx context.Context, a Appeal) error {
	if a.Status == StatusWithdrawn {
		return s.send(ctx, KindWithdrawn, []string{a.ManagerID, a.HandlerID}, "Appeal withdrawn: "+what(a),
			"The employee withdrew the appeal against "+what(a)+".", data(a), a.ID)
	}
	body := fmt.Sprintf("Your appeal against %s was decided: %s. %s", what(a), a.Result, a.CloseReason)
	return s.send(ctx, KindDecided, []string{a.EmployeeID, a.ManagerID}, "Appeal decided: "+what(a), body, data(a), a.ID)
}

// reminder builds the messages telling the answerers that a is due on
// a.DueOn.
func reminder(a Appeal, set Settings) []notify.Message {
	return messages(KindReminder, answerers(a, set), fmt.Sprintf("Appeal due %s: %s", a.DueOn, what(a)),
		fmt.Sprintf("The appeal against %s must be decided by %s.", what(a), a.DueOn), data(a), a.ID, a.DueOn.String())
}

// escalation builds the messages telling the escalation recipients, the
// HR recipients, the handler and the manager that a is past its due day.
func escalation(a Appeal, set Settings) []notify.Message {
	to := append(append(append([]string{}, set.EscalateTo...), set.HRRecipients...), a.HandlerID, a.ManagerID)
	return messages(KindEscalation, to, fmt.Sprintf("Overdue appeal: %s (due %s)", what(a), a.DueOn),
		fmt.Sprintf("The appeal against %s was due for a decision on %s and is still %s.", what(a), a.DueOn, a.Status),
		data(a), a.ID, a.DueOn.String())
}
