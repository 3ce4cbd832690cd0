package multirater

import (
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
)

// Status is where one rater's assignment for one reviewee is.
type Status string

// The assignment statuses. Self, manager and direct-report assignments
// start open; nominated peers and others start pending until the
// reviewee's manager (or HR) approves (open) or rejects them.
const (
	StatusPending   Status = "pending"
	StatusRejected  Status = "rejected"
	StatusOpen      Status = "open"
	StatusSubmitted Status = "submitted"
)

// Statuses lists every assignment status.
var Statuses = []Status{StatusPending, StatusRejected, StatusOpen, StatusSubmitted}

// Assignment asks one rater to review one reviewee in a round. Only the
// rater (MyAssignments) and the store see assignments; reviewees and
// managers see Nominations, HR sees Progress counts.
type Assignment struct {
	ID         string `json:"id"`
	RoundID    string `json:"round_id"`
	RevieweeID string `json:"reviewee_id"`
	RaterID    string `json:"rater_id"`
	Group      Group  `json:"group"`
	Status     Status `json:"status"`
	// NominatedBy is who nominated the rater (empty for assignments from
	// the org chart).
	NominatedBy string `json:"nominated_by,omitempty"`
	// DecidedBy, DecidedAt and Reason record the approval or rejection of
	// a nomination.
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at"`
	Reason    string    `json:"reason,omitempty"`
	// DraftSavedAt is when the rater last saved a draft.
	DraftSavedAt time.Time `json:"draft_saved_at"`
	SubmittedAt  time.Time `json:"submitted_at"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version"`
}

// Nomination is an assignment as the reviewee and their manager see it:
// who was asked, in which group, and whether it was approved. It never
// says whether the rater has answered.
type Nomination struct {
	ID          string          `json:"id"`
	RoundID     string          `json:"round_id"`
	RevieweeID  string          `json:"reviewee_id"`
	RaterID     string          `json:"rater_id"`
	Group       Group           `json:"group"`
	Status      NominationState `json:"status"`
	NominatedBy string          `json:"nominated_by,omitempty"`
	DecidedBy   string          `json:"decided_by,omitempty"`
	Reason      string          `json:"reason,omitempty"`
	Version     int64           `json:"version"`
}

// NominationState is pending, approved or rejected.
type NominationState string

// The nomination states.
const (
	NominationPending  NominationState = "pending"
	NominationApproved NominationState = "approved"
	NominationRejected NominationState = "rejected"
)

func nominationOf(a Assignment) Nomination {
	st := NominationApproved
	switch a.Status {
	case StatusPending:
		st = NominationPending
	case StatusRejected:
		st = NominationRejected
	}
	return Nomination{ID: a.ID, RoundID: a.RoundID, RevieweeID: a.RevieweeID, RaterID: a.RaterID, Group: a.Group,
		Status: st, NominatedBy: a.NominatedBy, DecidedBy: a.DecidedBy, Reason: a.Reason, Version: a.Version}
}

// NominateParams nominates raters of one group for one reviewee.
type NominateParams struct {
	RoundID    string `json:"round_id"`
	RevieweeID string `json:"reviewee_id"`
	// Group is GroupPeer or GroupOther.
	Group    Group    `json:"group"`
	RaterIDs []string `json:"rater_ids"`
}

func (p NominateParams) validate() error {
	var v ballast.ValidationError
	if !ballast.ValidID(p.RoundID) {
		v.Add("round_id", "is not a valid id")
	}
	if !ballast.ValidID(p.RevieweeID) {
		v.Add("reviewee_id", "is not a valid id")
	}
	if !p.Group.Nominable() {
		v.Add("group", fmt.Sprintf("must be %q or %q", GroupPeer, GroupOther))
	}
	if len(p.RaterIDs) == 0 {
		v.Add("rater_ids", "needs at least one rater")
	}
	if len(p.RaterIDs) > 50 {
		v.Add("rater_ids", "has more than 50 raters")
	}
	checkIDs(&v, "rater_ids", p.RaterIDs)
	return v.Err()
}

// Answers are one rater's answers: a score per question code and an
// optional comment per dimension code (only on dimensions that take
// comments). A draft may be partial; a submission answers every question.
type Answers struct {
	Scores   map[string]int    `json:"scores"`
	Comments map[string]string `json:"comments,omitempty"`
}

// validate checks a against q; complete requires every question.
func (a Answers) validate(q Questionnaire, complete bool) error {
	var v ballast.ValidationError
	dims := q.dimensionOf()
	for _, code := range sortedKeys(a.Scores) {
		f := "scores." + code
		if _, ok := dims[code]; !ok {
			v.Add(f, "is not a question of the questionnaire")
			continue
		}
		if s := a.Scores[code]; s < q.Scale.Min || s > q.Scale.Max {
			v.Add(f, fmt.Sprintf("must be between %d and %d", q.Scale.Min, q.Scale.Max))
		}
	}
	if complete {
		for _, d := range q.Dimensions {
			for _, x := range d.Questions {
				if _, ok := a.Scores[x.Code]; !ok {
					v.Add("scores."+x.Code, "is required")
				}
			}
		}
	}
	for _, code := range sortedKeys(a.Comments) {
		f := "comments." + code
		d, ok := q.dimension(code)
		switch {
		case !ok:
			v.Add(f, "is not a dimension of the questionnaire")
		case !d.Comment:
			v.Add(f, "the dimension takes no comment")
		default:
			checkText(&v, f, a.Comments[code], maxComment, false)
		}
	}
	return v.Err()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Response is a submitted set of answers as stored for aggregation:
// detached from the assignment it came from. Its ID is random (not
// time-ordered), it carries no submission time, and RaterID is set only
// for the named groups (self, manager) — for anonymous groups nothing in
// the stored response leads back to the rater.
type Response struct {
	ID         string
	RoundID    string
	RevieweeID string
	Group      Group
	// RaterID is empty for anonymous groups.
	RaterID string
	// Scores are per question, with the question's dimension.
	Scores []Score
	// Comments carry their own random IDs, unlinked from the response's.
	Comments []Comment
}

// Score is one answered question of a stored response.
type Score struct {
	Question  string `json:"question"`
	Dimension string `json:"dimension"`
	Value     int    `json:"value"`
}

// Comment is a free-text comment on a dimension as a report shows it:
// RaterID only for the named groups (self, manager); anonymous comments
// come in a shuffled order that follows neither raters nor submission
// order.
type Comment struct {
	ID        string `json:"-"`
	Dimension string `json:"dimension"`
	Group     Group  `json:"group"`
	Text      string `json:"text"`
	RaterID   string `json:"rater_id,omitempty"`
}

// Progress is HR's view of a round: counts, never identities.
type Progress struct {
	RoundID   string `json:"round_id"`
	State     State  `json:"state"`
	Reviewees int    `json:"reviewees"`
	// Counts is, per group, how many assignments are in each status.
	Counts map[Group]map[Status]int `json:"counts"`
}

// GroupCount is one cell of Progress as the store counts it.
type GroupCount struct {
	Group  Group
	Status Status
	N      int
}
