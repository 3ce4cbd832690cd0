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

// phase is one deadline a participant works towards, and whose it is.
type phase struct {
	due  hr.Date
	side Side
}

// reopenedSelf says whether HR reopened p's self-evaluation (a deadline of
// its own) and the employee has not submitted it yet.
func reopenedSelf(p Participant) bool {
	return !p.SelfDue.IsZero() && p.SelfSubmittedAt.IsZero() &&
		(p.Status == StatusSelfPending || p.Status == StatusManagerSubmitted)
}

// phaseDues are the deadlines a participant works towards in cycle c: the
// self-evaluation while the cycle is open and the employee has not
// submitted; in manager review the manager review until the manager
// submits, and also the self-evaluation HR reopened until the employee
// submits it (so the employee, not the manager, is reminded of it).
func phaseDues(c Cycle, p Participant) []phase {
	switch c.State {
	case CycleOpen:
		if p.Status == StatusSelfPending {
			return []phase{{p.selfDue(c), SideSelf}}
		}
	case CycleManagerReview:
		var out []phase
		if reopenedSelf(p) {
			out = append(out, phase{p.SelfDue, SideSelf})
		}
		if p.Status != StatusManagerSubmitted && p.Status != StatusFinalised {
			out = append(out, phase{c.Deadlines.ManagerReview, SideManager})
		}
		return out
	}
	return nil
}

// participantAlert is the participant's next alert day on day: the
// earliest over its phases.
func participantAlert(c Cycle, p Participant, day hr.Date, strict bool) hr.Date {
	var next hr.Date
	for _, ph := range phaseDues(c, p) {
		if d := nextAlert(ph.due, c.ReminderDays, day, strict); !d.IsZero() && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	return next
}
