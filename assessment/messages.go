package assessment

import (
	"fmt"

	"github.com/ballast-hr/ballast/notify"
)

// The notification kinds the Service queues.
const (
	KindTask       = "assessment.task"
	KindReminder   = "assessment.reminder"
	KindEscalation = "assessment.escalation"
	KindReopened   = "assessment.reopened"
	KindFinalised  = "assessment.finalised"
)

func participantData(c Cycle, p Participant, side Side) map[string]string {
	return map[string]string{"cycle_id": c.ID, "participant_id": p.ID, "employee_id": p.EmployeeID, "phase": string(side)}
}

// taskMessage tells recipient what to do for p in phase side.
func taskMessage(c Cycle, p Participant, side Side, recipient string) notify.Message {
	due := p.selfDue(c)
	what := "your self-evaluation"
	if side == SideManager {
		due, what = c.Deadlines.ManagerReview, "the review of "+p.EmployeeName
	}
	data := participantData(c, p, side)
	data["due_on"] = due.String()
	return notify.Message{Recipients: []string{recipient}, Kind: KindTask,
		Subject: fmt.Sprintf("%s: %s due %s", c.Name, what, due),
		Body:    fmt.Sprintf("%s (%s) is open: please complete %s by %s.", c.Name, c.Period.Label, what, due),
		Data:    data, IdempotencyKey: fmt.Sprintf("%s/%s/%s/%s", KindTask, p.ID, side, recipient)}
}
