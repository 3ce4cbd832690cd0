package offboarding

import (
	"slices"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
)

// The alert dates of a step are its reminder days (DueOn minus each
// reminder offset) and its escalation day (the day after DueOn). A step's
// NextAlertOn is the earliest of them still to come; Reconcile handles
// every step whose NextAlertOn has come and moves it on.

// alertDays returns the step's alert days, ascending.
func alertDays(s Step, offsets []int) []hr.Date {
	days := []hr.Date{addDays(s.DueOn, 1)}
	for _, o := range offsets {
		days = append(days, addDays(s.DueOn, -o))
	}
	slices.SortFunc(days, compareDates)
	return days
}

func compareDates(a, b hr.Date) int {
	switch {
	case a.Before(b):
		return -1
	case a.After(b):
		return 1
	}
	return 0
}

// nextAlert is the first alert day of s on or after day (after day when
// strict), or zero when the step is closed or has none left. Not strict
// (a step just opened or moved), a step whose every alert day has passed
// gets day itself, so the next Reconcile escalates it.
func nextAlert(s Step, offsets []int, day hr.Date, strict bool) hr.Date {
	if s.Closed() || s.Kind == KindAccess {
		return hr.Date{}
	}
	for _, d := range alertDays(s, offsets) {
		if d.After(day) || (!strict && d == day) {
			return d
		}
	}
	if !strict {
		return day
	}
	return hr.Date{}
}

// alertOn says what alert step s has on day: an escalation (its deadline
// has passed) or a reminder at offset (the smallest configured offset
// whose reminder day has come), or nothing.
func alertOn(s Step, offsets []int, day hr.Date) (escalate bool, offset int, ok bool) {
	if s.Closed() || s.Kind == KindAccess {
		return false, 0, false
	}
	if day.After(s.DueOn) {
		return true, 0, true
	}
	left := daysBetween(day, s.DueOn)
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

// stageDay is the day a before-last-day stage applies.
func stageDay(st access.Stage, lastDay hr.Date) hr.Date {
	return addDays(lastDay, -st.Trigger.Days)
}

// stageDue reports whether st applies by day: on resignation always, before
// the last day once its day has come, on completion only when completing.
func stageDue(st access.Stage, lastDay, day hr.Date, completing bool) bool {
	switch st.Trigger.Kind {
	case access.TriggerOnResignation:
		return true
	case access.TriggerBeforeLastDay:
		return completing || !stageDay(st, lastDay).After(day)
	default:
		return completing
	}
}

// nextStage is the earliest day after day on which a before-last-day stage
// of plan applies, or zero.
func nextStage(plan access.RevocationPlan, lastDay, day hr.Date, all bool) hr.Date {
	var next hr.Date
	if all {
		return next
	}
	for _, st := range plan.Stages {
		if st.Trigger.Kind != access.TriggerBeforeLastDay {
			continue
		}
		d := stageDay(st, lastDay)
		if d.After(day) && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	return next
}
