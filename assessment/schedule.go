package assessment

import (
	"github.com/ballast-hr/ballast/hr"
)

// A participant's alert days in a phase are its reminder days (the phase
// deadline minus each reminder offset) and its escalation day (the day
// after the deadline). Participant.NextAlertOn is the earliest of them
// still to come; Reconcile handles every participant whose NextAlertOn has
// come and moves it on.

// nextAlert is the first alert day for deadline due on or after day (after
// day when strict), or zero when none is left. Not strict (a phase just
// started), a deadline whose every alert day has passed gets day itself,
// so the next Reconcile escalates it.
func nextAlert(due hr.Date, offsets []int, day hr.Date, strict bool) hr.Date {
	if due.IsZero() {
		return hr.Date{}
	}
	var next hr.Date
	consider := func(d hr.Date) {
		if (d.After(day) || (!strict && d == day)) && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	consider(addDays(due, 1))
	for _, o := range offsets {
		consider(addDays(due, -o))
	}
	if next.IsZero() && !strict {
		return day
	}
	return next
}

// alertOn says what alert a deadline due has on day: an escalation (it has
// passed) or a reminder at offset (the smallest configured offset whose
// reminder day has come), or nothing.
func alertOn(due hr.Date, offsets []int, day hr.Date) (escalate bool, offset int, ok bool) {
	if due.IsZero() {
		return false, 0, false
	}
	if day.After(due) {
		return true, 0, true
	}
	left := daysBetween(day, due)
	best := -1
	for _, o := range offsets {
		if o >= left && (best < 0 || o < best) {
			best = o
		}
	}
	if best < 0 {
		return false, 0, false
	}
	return false, best, true
}

// phaseDue is the deadline a participant works towards in cycle c, and
// whether it has one: the self-evaluation while the cycle is open and the
// employee has not submitted, the manager review while the cycle is in
// manager review and the manager has not submitted.
func phaseDue(c Cycle, p Participant) (due hr.Date, side Side, ok bool) {
	switch {
	case c.State == CycleOpen && p.Status == StatusSelfPending:
		return p.selfDue(c), SideSelf, true
	case c.State == CycleManagerReview && p.Status != StatusManagerSubmitted && p.Status != StatusFinalised:
		return c.Deadlines.ManagerReview, SideManager, true
	}
	return hr.Date{}, "", false
}

// participantAlert is the participant's next alert day on day.
func participantAlert(c Cycle, p Participant, day hr.Date, strict bool) hr.Date {
	due, _, ok := phaseDue(c, p)
	if !ok {
		return hr.Date{}
	}
	return nextAlert(due, c.ReminderDays, day, strict)
}
