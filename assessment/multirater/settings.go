package multirater

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
)

// Settings are a tenant's 360 rules. A round copies them when it is
// created.
type Settings struct {
	// Thresholds is, per anonymous group (peer, direct_report, other), the
	// fewest submitted responses for the group to be shown at all; 2…50.
	// Self and manager are named groups and always shown.
	Thresholds map[Group]int `json:"thresholds"`
	// MaxPerRater is how many reviews one rater may be asked to write in
	// one round (self-reviews do not count; assignments from the org
	// chart do, so a manager of many may not be nominated as a peer);
	// 1…100.
	MaxPerRater int `json:"max_per_rater"`
	// Gap is how far (in points of 0–100) the self-rating of a dimension
	// must be above the others' to be a blind spot, or below to be a
	// hidden strength; 1…100.
	Gap float64 `json:"gap"`
	// ReminderDays are the days before a deadline (0 = on the day) on
	// which Reconcile reminds raters with open assignments and managers
	// with pending nominations; each 0…60, at most 5.
	ReminderDays []int     `json:"reminder_days"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Version is 0 for the defaults never saved, then increases with every
	// update (optimistic locking).
	Version int64 `json:"version"`
}

// DefaultSettings are the settings of a tenant that never set its own:
// thresholds of 3 for peers, direct reports and others, at most 8 reviews
// per rater, a gap of 15 points, reminders 3 days and 1 day before a
// deadline.
func DefaultSettings() Settings {
	return Settings{
		Thresholds:   map[Group]int{GroupPeer: 3, GroupDirectReport: 3, GroupOther: 3},
		MaxPerRater:  8,
		Gap:          15,
		ReminderDays: []int{3, 1},
	}
}

// threshold is the fewest responses for g to be shown (1 for named
// groups).
func (s Settings) threshold(g Group) int {
	if !g.Anonymous() {
		return 1
	}
	if n := s.Thresholds[g]; n >= minThreshold {
		return n
	}
	return minThreshold
}

// minThreshold is the lowest anonymity threshold a tenant may set: with
// one, a single rater's answers would be shown.
const minThreshold = 2

func (s Settings) validate() error {
	var v ballast.ValidationError
	for _, g := range slices.Sorted(maps.Keys(s.Thresholds)) {
		f := "thresholds." + string(g)
		switch n := s.Thresholds[g]; {
		case !g.Anonymous():
			v.Add(f, "is not an anonymous group (self and manager are named)")
		case n < minThreshold || n > 50:
			v.Add(f, fmt.Sprintf("must be between %d and 50", minThreshold))
		}
	}
	for _, g := range []Group{GroupPeer, GroupDirectReport, GroupOther} {
		if _, ok := s.Thresholds[g]; !ok {
			v.Add("thresholds."+string(g), "is required")
		}
	}
	if s.MaxPerRater < 1 || s.MaxPerRater > 100 {
		v.Add("max_per_rater", "must be between 1 and 100")
	}
	if !(s.Gap >= 1 && s.Gap <= 100) {
		v.Add("gap", "must be between 1 and 100")
	}
	if len(s.ReminderDays) > 5 {
		v.Add("reminder_days", "has more than 5 entries")
	}
	seen := map[int]bool{}
	for i, d := range s.ReminderDays {
		f := fmt.Sprintf("reminder_days[%d]", i)
		switch {
		case d < 0 || d > 60:
			v.Add(f, "must be between 0 and 60")
		case seen[d]:
			v.Add(f, "is listed twice")
		}
		seen[d] = true
	}
	return v.Err()
}

// clone returns a deep copy of s.
func (s Settings) clone() Settings {
	s.Thresholds = maps.Clone(s.Thresholds)
	s.ReminderDays = slices.Clone(s.ReminderDays)
	return s
}
