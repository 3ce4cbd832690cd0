package mentoring

import (
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Status is where a mentorship stands.
type Status string

// The mentorship statuses.
const (
	Active    Status = "active"
	Completed Status = "completed"
	Cancelled Status = "cancelled"
)

// Mentorship pairs a mentor with a mentee.
type Mentorship struct {
	ID       string `json:"id"`
	MentorID string `json:"mentor_id"`
	MenteeID string `json:"mentee_id"`
	// Goals are what the pair agreed to work on.
	Goals []string `json:"goals"`
	// Start and End are tenant calendar days; End is the planned end.
	Start  hr.Date `json:"start"`
	End    hr.Date `json:"end"`
	Status Status  `json:"status"`
	// ClosedOn, ClosedBy and CloseReason are set when it is completed or
	// cancelled.
	ClosedOn    hr.Date   `json:"closed_on,omitzero"`
	ClosedBy    string    `json:"closed_by,omitempty"`
	CloseReason string    `json:"close_reason,omitempty"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// StartParams is what Start takes.
type StartParams struct {
	// MentorID and MenteeID are two different, not departed employees.
	MentorID string `json:"mentor_id"`
	MenteeID string `json:"mentee_id"`
	// Goals: 1–20, each 1–500 characters.
	Goals []string `json:"goals"`
	// Start is required; End is required and after Start.
	Start hr.Date `json:"start"`
	End   hr.Date `json:"end"`
}

// UpdateParams is what Update takes: the goals and the planned end.
type UpdateParams struct {
	Goals []string `json:"goals"`
	End   hr.Date  `json:"end"`
}

// Meeting is one entry of a mentorship's meetings log.
type Meeting struct {
	ID           string  `json:"id"`
	MentorshipID string  `json:"mentorship_id"`
	Date         hr.Date `json:"date"`
	Notes        string  `json:"notes"`
	NextSteps    string  `json:"next_steps,omitempty"`
	// AuthorID is who logged it (the mentor, the mentee or HR).
	AuthorID  string    `json:"author_id"`
	CreatedAt time.Time `json:"created_at"`
}

// MeetingParams is what LogMeeting takes.
type MeetingParams struct {
	// Date is required: on or after the mentorship's start and not after
	// today (tenant zone).
	Date hr.Date `json:"date"`
	// Notes is required, at most 5000 characters; NextSteps optional, at
	// most 2000.
	Notes     string `json:"notes"`
	NextSteps string `json:"next_steps,omitempty"`
}

// Improvement is one mentee's performance change within a mentorship, as
// the Store computes it.
type Improvement struct {
	MentorshipID string  `json:"mentorship_id"`
	MentorID     string  `json:"mentor_id"`
	MenteeID     string  `json:"mentee_id"`
	Start        hr.Date `json:"start"`
	// Before is the score of the last period ending before Start; After of
	// the latest period ending on or after Start and on or before the
	// report's end. Nil when there is none.
	Before *float64 `json:"before,omitempty"`
	After  *float64 `json:"after,omitempty"`
}

// MentorEffect is one mentor's effectiveness over a period.
type MentorEffect struct {
	MentorID string `json:"mentor_id"`
	// Mentorships counts the mentor's (not cancelled) mentorships
	// overlapping the period; Measured those with both scores.
	Mentorships int `json:"mentorships"`
	Measured    int `json:"measured"`
	// Improvement is the mean of After - Before over the measured ones (0
	// when none).
	Improvement float64 `json:"improvement"`
	// Mentees are the details, one per mentorship.
	Mentees []Improvement `json:"mentees"`
}
