package channel

import "time"

// MaxMessage is the longest question, answer or feedback text, in
// characters (runes).
const MaxMessage = 5000

// Question is a thread an employee opened under an announcement they
// received. It is private to the asker and HR until HR makes it Public
// (only once answered); recipients then see it without the asker's ID.
type Question struct {
	ID             string `json:"id"`
	AnnouncementID string `json:"announcement_id"`
	// AskerID is the employee who asked; empty when the viewer is neither
	// the asker nor HR (a public Q&A does not name its asker).
	AskerID string `json:"asker_id,omitempty"`
	// Public makes the thread visible to every recipient of the
	// announcement.
	Public bool `json:"public"`
	// AwaitingHR is true while the last message is the asker's.
	AwaitingHR bool `json:"awaiting_hr"`
	// WaitingSince is when the asker's oldest unanswered message was sent;
	// zero when HR has answered the last one.
	WaitingSince time.Time `json:"waiting_since,omitzero"`
	// AnsweredAt is when HR first answered; zero until then.
	AnsweredAt    time.Time `json:"answered_at,omitzero"`
	LastMessageAt time.Time `json:"last_message_at"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int64     `json:"version"`
	// Messages is the thread, oldest first (filled by Question, Questions
	// and Ask; empty in Unanswered).
	Messages []Message `json:"messages,omitempty"`
}

// Message is one message of a question thread.
type Message struct {
	ID         string `json:"id"`
	QuestionID string `json:"question_id"`
	// AuthorID is the subject who wrote it; empty for an asker's message
	// when the viewer may not know the asker.
	AuthorID string `json:"author_id,omitempty"`
	// FromHR tells HR's answers from the asker's messages.
	FromHR    bool      `json:"from_hr"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// QuestionQuery is what the store's Questions takes.
type QuestionQuery struct {
	// AnnouncementID limits the result to one announcement; empty means
	// every announcement.
	AnnouncementID string
	// VisibleTo keeps the questions asked by this employee or made public;
	// empty keeps every question.
	VisibleTo string
	// WaitingBefore keeps questions awaiting HR since before it, ordered
	// by WaitingSince (longest waiting first); zero means no such condition
	// and the order of creation.
	WaitingBefore time.Time
	// Limit caps the result; 0 means no cap.
	Limit int
}

// ReconcileReport says what one Reconcile did.
type ReconcileReport struct {
	// OverdueQuestions counts the questions waiting for HR longer than the
	// configured Overdue (each notified once per wait, however often
	// Reconcile runs).
	OverdueQuestions int `json:"overdue_questions"`
	// FeedbackDigests counts the finished days of the last week with
	// anonymous feedback activity (each notified to HR once, on the first
	// Reconcile after the day ended).
	FeedbackDigests int `json:"feedback_digests"`
}
