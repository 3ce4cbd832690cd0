package multirater

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Group is the relation of a rater to the reviewee.
type Group string

// The rater groups. Self and manager are named groups: their answers are
// shown with who gave them. Peer, direct report and other are anonymous:
// shown only as a group, and only when the group reaches its threshold.
const (
	GroupSelf         Group = "self"
	GroupManager      Group = "manager"
	GroupPeer         Group = "peer"
	GroupDirectReport Group = "direct_report"
	GroupOther        Group = "other"
)

// Groups lists every rater group in report order.
var Groups = []Group{GroupSelf, GroupManager, GroupPeer, GroupDirectReport, GroupOther}

// Anonymous reports whether g is shown only as a group, never with its
// raters' identities.
func (g Group) Anonymous() bool {
	return g == GroupPeer || g == GroupDirectReport || g == GroupOther
}

// Nominable reports whether raters of g are nominated (and approved)
// rather than assigned from the org chart.
func (g Group) Nominable() bool { return g == GroupPeer || g == GroupOther }

// State is where a round is in its life.
type State string

// The round states: nominating (reviewees and HR nominate peers and
// others, managers approve), collecting (raters answer), closed (reports
// are available; nothing changes any more).
const (
	StateNominating State = "nominating"
	StateCollecting State = "collecting"
	StateClosed     State = "closed"
)

// Anchor describes one point of a rating scale, e.g. 5 = "role model".
type Anchor struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// Scale is the rating scale of a questionnaire: integers Min…Max (Min ≥ 0,
// Max ≤ 10, at least two points), with optional anchors for its points.
type Scale struct {
	Min     int      `json:"min"`
	Max     int      `json:"max"`
	Anchors []Anchor `json:"anchors,omitempty"`
}

// Normalise maps a mean on the scale to 0–100.
func (s Scale) Normalise(mean float64) float64 {
	if s.Max <= s.Min {
		return 0
	}
	return (mean - float64(s.Min)) / float64(s.Max-s.Min) * 100
}

// Question is one rated statement. Codes are unique within the whole
// questionnaire.
type Question struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Dimension is a competency rated through its questions, e.g. "LEAD"
// (leadership). With Comment set, raters may add a free-text comment on
// it.
type Dimension struct {
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	Questions []Question `json:"questions"`
	Comment   bool       `json:"comment,omitempty"`
}

// Questionnaire is what every rater of a round answers.
type Questionnaire struct {
	Scale      Scale       `json:"scale"`
	Dimensions []Dimension `json:"dimensions"`
}

// dimensionOf maps each question code to its dimension code.
func (q Questionnaire) dimensionOf() map[string]string {
	out := map[string]string{}
	for _, d := range q.Dimensions {
		for _, x := range d.Questions {
			out[x.Code] = d.Code
		}
	}
	return out
}

// dimension returns the dimension with code.
func (q Questionnaire) dimension(code string) (Dimension, bool) {
	for _, d := range q.Dimensions {
		if d.Code == code {
			return d, true
		}
	}
	return Dimension{}, false
}

// Limits of a questionnaire and of free text.
const (
	maxDimensions = 30
	maxQuestions  = 100
	maxCode       = 32
	maxName       = 200
	maxText       = 1000
	maxComment    = 4000
	maxReason     = 2000
	maxReviewees  = 50_000
)

func (q Questionnaire) validate(v *ballast.ValidationError, field string) {
	s := q.Scale
	if s.Min < 0 || s.Max > 10 || s.Max-s.Min < 1 {
		v.Add(field+".scale", "must be integers between 0 and 10 with at least two points")
	}
	seenAnchor := map[int]bool{}
	for i, a := range s.Anchors {
		f := fmt.Sprintf("%s.scale.anchors[%d]", field, i)
		if a.Value < s.Min || a.Value > s.Max {
			v.Add(f+".value", "is outside the scale")
		} else if seenAnchor[a.Value] {
			v.Add(f+".value", "is anchored twice")
		}
		seenAnchor[a.Value] = true
		checkText(v, f+".label", a.Label, maxName, true)
	}
	if len(q.Dimensions) == 0 {
		v.Add(field+".dimensions", "needs at least one dimension")
	}
	if len(q.Dimensions) > maxDimensions {
		v.Add(field+".dimensions", fmt.Sprintf("has more than %d dimensions", maxDimensions))
	}
	dims, questions, n := map[string]bool{}, map[string]bool{}, 0
	for i, d := range q.Dimensions {
		f := fmt.Sprintf("%s.dimensions[%d]", field, i)
		checkCode(v, f+".code", d.Code)
		if dims[d.Code] {
			v.Add(f+".code", "is used twice")
		}
		dims[d.Code] = true
		checkText(v, f+".name", d.Name, maxName, true)
		if len(d.Questions) == 0 {
			v.Add(f+".questions", "needs at least one question")
		}
		for j, x := range d.Questions {
			n++
			qf := fmt.Sprintf("%s.questions[%d]", f, j)
			checkCode(v, qf+".code", x.Code)
			if questions[x.Code] {
				v.Add(qf+".code", "is used twice in the questionnaire")
			}
			questions[x.Code] = true
			checkText(v, qf+".text", x.Text, maxText, true)
		}
	}
	if n > maxQuestions {
		v.Add(field+".dimensions", fmt.Sprintf("has more than %d questions", maxQuestions))
	}
}

// checkCode requires a short code of letters, digits, '_', '-' and '.'.
func checkCode(v *ballast.ValidationError, field, code string) {
	if code == "" {
		v.Add(field, "is required")
		return
	}
	if len(code) > maxCode || strings.IndexFunc(code, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	}) >= 0 {
		v.Add(field, fmt.Sprintf("must be at most %d letters, digits, '_', '-' or '.'", maxCode))
	}
}

// checkText requires valid UTF-8 of at most max characters (and, when
// required, not blank).
func checkText(v *ballast.ValidationError, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case !utf8.ValidString(s):
		v.Add(field, "is not valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("is longer than %d characters", max))
	}
}

// checkDate requires a real calendar day.
func checkDate(v *ballast.ValidationError, field string, d hr.Date) {
	if d.IsZero() {
		v.Add(field, "is required")
		return
	}
	if _, err := hr.ParseDate(d.String()); err != nil || hr.DateOf(d.In(time.UTC)) != d {
		v.Add(field, "is not a real date")
	}
}

// Round is one 360 feedback round of a review cycle: a questionnaire, the
// reviewees, deadlines and a state. The settings in force when it was
// created (thresholds, load limit, gap, reminder days) stay with it, so a
// later change of the tenant's settings never changes a round's reports.
type Round struct {
	ID string `json:"id"`
	// CycleID is the review cycle the round belongs to (assessment's
	// cycle ID; this package does not check it).
	CycleID       string        `json:"cycle_id"`
	Name          string        `json:"name"`
	Questionnaire Questionnaire `json:"questionnaire"`
	// NominationDue is the last day reviewees nominate raters; ResponseDue
	// the last day raters submit. Calendar days in the tenant's zone,
	// inclusive.
	NominationDue hr.Date `json:"nomination_due"`
	ResponseDue   hr.Date `json:"response_due"`
	State         State   `json:"state"`
	// Settings are the tenant's settings copied when the round was created.
	Settings Settings `json:"settings"`
	// Reviewees counts the round's reviewees.
	Reviewees int `json:"reviewees"`
	// NextAlertOn is the next day Reconcile has reminders to send; zero
	// when none are left.
	NextAlertOn hr.Date   `json:"next_alert_on"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	OpenedAt    time.Time `json:"opened_at"`
	ClosedAt    time.Time `json:"closed_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int64     `json:"version"`
}

// RoundParams creates a round.
type RoundParams struct {
	CycleID       string        `json:"cycle_id"`
	Name          string        `json:"name"`
	Questionnaire Questionnaire `json:"questionnaire"`
	NominationDue hr.Date       `json:"nomination_due"`
	ResponseDue   hr.Date       `json:"response_due"`
	// Reviewees are employees of the tenant (not departed); more can be
	// added with AddReviewees while the round is nominating.
	Reviewees []string `json:"reviewees"`
}

func (p RoundParams) validate() error {
	var v ballast.ValidationError
	if !ballast.ValidID(p.CycleID) {
		v.Add("cycle_id", "is not a valid id")
	}
	checkText(&v, "name", p.Name, maxName, true)
	p.Questionnaire.validate(&v, "questionnaire")
	checkDeadlines(&v, p.NominationDue, p.ResponseDue)
	checkIDs(&v, "reviewees", p.Reviewees)
	return v.Err()
}

func checkDeadlines(v *ballast.ValidationError, nomination, response hr.Date) {
	checkDate(v, "nomination_due", nomination)
	checkDate(v, "response_due", response)
	if !nomination.IsZero() && !response.IsZero() && response.Before(nomination) {
		v.Add("response_due", "is before the nomination deadline")
	}
}

// checkIDs requires distinct valid IDs, at most maxReviewees.
func checkIDs(v *ballast.ValidationError, field string, ids []string) {
	if len(ids) > maxReviewees {
		v.Add(field, fmt.Sprintf("has more than %d entries", maxReviewees))
		return
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !ballast.ValidID(id):
			v.Add(f, "is not a valid id")
		case seen[id]:
			v.Add(f, "is listed twice")
		}
		seen[id] = true
	}
}

// Reviewee is an employee reviewed in a round, with the manager resolved
// when they were added (hr's ManagerID, else their department's head).
type Reviewee struct {
	RoundID    string `json:"round_id"`
	EmployeeID string `json:"employee_id"`
	// ManagerID approves the reviewee's nominations and rates them in the
	// manager group; empty when the reviewee has none (HR approves).
	ManagerID string    `json:"manager_id,omitempty"`
	AddedAt   time.Time `json:"added_at"`
}
