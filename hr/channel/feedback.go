package channel

import "github.com/ballast-hr/ballast/hr"

// FeedbackCategory classifies an anonymous feedback item.
type FeedbackCategory string

// The feedback categories.
const (
	CategoryGeneral      FeedbackCategory = "general"
	CategoryManagement   FeedbackCategory = "management"
	CategoryWorkplace    FeedbackCategory = "workplace"
	CategoryCompensation FeedbackCategory = "compensation"
	CategoryIntegrity    FeedbackCategory = "integrity"
	CategoryOther        FeedbackCategory = "other"
)

// FeedbackCategories lists every category, in a stable order.
var FeedbackCategories = []FeedbackCategory{CategoryGeneral, CategoryManagement, CategoryWorkplace,
	CategoryCompensation, CategoryIntegrity, CategoryOther}

// FeedbackStatus is where a feedback item stands.
type FeedbackStatus string

// The feedback statuses.
const (
	FeedbackOpen     FeedbackStatus = "open"
	FeedbackResolved FeedbackStatus = "resolved"
)

// Limits on feedback tags.
const (
	MaxTags   = 20
	MaxTagLen = 50
)

// Feedback is one anonymous feedback item. Nothing in it, or anywhere in
// the database, names or dates its submitter beyond the calendar Day: its
// ID is random (not time-ordered), there is no instant, and the submitter
// is known only by the follow-up code they were shown once.
type Feedback struct {
	// ID is a random UUID (version 4), revealing nothing about order.
	ID       string           `json:"id"`
	Category FeedbackCategory `json:"category"`
	// Body is the submitted text, plain text (render it escaped).
	Body string `json:"body"`
	// Day is the calendar day of submission, in the tenant's time zone.
	Day    hr.Date        `json:"day"`
	Status FeedbackStatus `json:"status"`
	// Tags are HR's labels (not shown on the code path).
	Tags []string `json:"tags,omitempty"`
	// AssigneeID is the HR subject handling the item (not shown on the
	// code path).
	AssigneeID string `json:"assignee_id,omitempty"`
	// Version increases with every change (optimistic locking).
	Version int64 `json:"version"`
	// Messages is the thread after the first text, in order (filled by
	// Feedback, FeedbackByCode and ReplyByCode; empty in listings).
	Messages []FeedbackMessage `json:"messages,omitempty"`
}

// FeedbackMessage is one message of a feedback thread after the initial
// text: HR's replies and the submitter's follow-ups.
type FeedbackMessage struct {
	// ID is a random UUID (version 4).
	ID         string `json:"id"`
	FeedbackID string `json:"feedback_id"`
	// Seq orders the thread: 1, 2, 3…
	Seq int `json:"seq"`
	// FromHR tells HR's replies from the submitter's follow-ups.
	FromHR bool `json:"from_hr"`
	// AuthorID is the HR subject who replied (hidden on the code path);
	// always empty for the submitter.
	AuthorID string `json:"author_id,omitempty"`
	Body     string `json:"body"`
	// Day is the calendar day the message was written, in the tenant's zone.
	Day hr.Date `json:"day"`
}

// FeedbackParams is what SubmitFeedback takes. Category defaults to
// CategoryGeneral; Body is required, 1..MaxMessage characters of plain text.
type FeedbackParams struct {
	Category FeedbackCategory `json:"category,omitempty"`
	Body     string           `json:"body"`
}

// Submission is what SubmitFeedback returns: the item and its follow-up
// code. The code is shown to the submitter once and never stored (only
// its SHA-256 is); with it they read HR's replies and continue the thread.
type Submission struct {
	Feedback Feedback `json:"feedback"`
	Code     string   `json:"code"`
}

// FeedbackFilter selects a page of ListFeedback.
type FeedbackFilter struct {
	Status     FeedbackStatus   `json:"status,omitempty"`
	Category   FeedbackCategory `json:"category,omitempty"`
	Tag        string           `json:"tag,omitempty"`
	AssigneeID string           `json:"assignee_id,omitempty"`
	// Cursor continues a listing (the previous page's NextCursor).
	Cursor string `json:"cursor,omitempty"`
	// Limit is the page size: 0 means DefaultPageSize; at most MaxPageSize.
	Limit int `json:"limit,omitempty"`
}

// FeedbackPage is one page of feedback, newest day first (in random order
// within a day).
type FeedbackPage struct {
	Items      []Feedback `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

// FeedbackQuery is what the store's ListFeedback takes: at most Limit items
// ordered by Day, ID descending, after (AfterDay, AfterID) when AfterID is
// set.
type FeedbackQuery struct {
	Status     FeedbackStatus
	Category   FeedbackCategory
	Tag        string
	AssigneeID string
	AfterDay   hr.Date
	AfterID    string
	Limit      int
}

// DayActivity is the anonymous feedback activity of one day: the input of
// the daily digest HR is notified with.
type DayActivity struct {
	Day hr.Date
	// NewItems counts items submitted that day.
	NewItems int
	// FollowUps counts submitters' follow-up messages written that day.
	FollowUps int
}
