package channel

import (
	"context"
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the channel Service needs from a database. storage
// implements it (storage.DB.Channel()); storetest.RunChannel checks any
// implementation.
//
// Rules every implementation follows:
//   - every method takes the tenant explicitly and never reads, updates or
//     deletes another tenant's rows (a row of another tenant is "not found");
//   - every method joins the transaction carried by ctx, if any;
//   - errors are ballast kinds: a missing row is ballast.ErrNotFound, a
//     duplicate key and a stale version are ballast.ErrConflict;
//   - Update methods write the record as given (its Version is already the
//     new one) only where the stored version equals expectedVersion.
type Store interface {
	AnnouncementStore
	QuestionStore
	FeedbackStore
}

// AnnouncementStore keeps announcements and their recipients.
type AnnouncementStore interface {
	// InsertAnnouncement inserts a.
	InsertAnnouncement(ctx context.Context, tenant string, a Announcement) error
	// Announcement returns one announcement, or ErrNotFound.
	Announcement(ctx context.Context, tenant, id string) (Announcement, error)
	// UpdateAnnouncement writes every field of a but its ID, AuthorID and
	// CreatedAt.
	UpdateAnnouncement(ctx context.Context, tenant string, a Announcement, expectedVersion int64) error
	// ListAnnouncements returns one page (see AnnouncementQuery).
	ListAnnouncements(ctx context.Context, tenant string, q AnnouncementQuery) ([]Announcement, error)
	// InsertRecipients resolves audience against the tenant's employees
	// who have not departed (departments with their whole subtrees) and
	// inserts one unread recipient row per employee for announcementID, in
	// one INSERT … SELECT. It returns the recipients' IDs, sorted.
	InsertRecipients(ctx context.Context, tenant, announcementID string, audience Audience) ([]string, error)
	// Receipt returns employeeID's receipt of announcementID, or
	// ErrNotFound when they are not a recipient.
	Receipt(ctx context.Context, tenant, announcementID, employeeID string) (Receipt, error)
	// MarkRead sets the receipt's ReadAt to at unless it is already set,
	// and returns the receipt as stored; ErrNotFound for a non-recipient.
	MarkRead(ctx context.Context, tenant, announcementID, employeeID string, at time.Time) (Receipt, error)
	// Receipts returns every receipt of announcementID with the
	// recipient's name and department, unread first, then by name, ID.
	Receipts(ctx context.Context, tenant, announcementID string) ([]Receipt, error)
	// Inbox returns one page of an employee's announcements (see InboxQuery).
	Inbox(ctx context.Context, tenant string, q InboxQuery) ([]InboxItem, error)
}

// QuestionStore keeps question threads.
type QuestionStore interface {
	// InsertQuestion inserts q and its first message m.
	InsertQuestion(ctx context.Context, tenant string, q Question, m Message) error
	// Question returns one question without its messages, or ErrNotFound.
	Question(ctx context.Context, tenant, id string) (Question, error)
	// Questions returns the questions matching q without their messages:
	// oldest first, or longest waiting first with q.WaitingBefore.
	Questions(ctx context.Context, tenant string, q QuestionQuery) ([]Question, error)
	// UpdateQuestion writes q's Public, AwaitingHR, WaitingSince,
	// AnsweredAt, LastMessageAt, UpdatedAt and Version.
	UpdateQuestion(ctx context.Context, tenant string, q Question, expectedVersion int64) error
	// InsertMessage adds m to its question's thread.
	InsertMessage(ctx context.Context, tenant string, m Message) error
	// Messages returns the messages of the questions ids, oldest first (by
	// CreatedAt, ID) in one query.
	Messages(ctx context.Context, tenant string, questionIDs []string) ([]Message, error)
}

// FeedbackStore keeps anonymous feedback. It must store nothing about the
// submitter and no instant: days only, random IDs, and (on SQLite) tables
// without a rowid, so that nothing orders two items of one day.
type FeedbackStore interface {
	// InsertFeedback inserts f with the SHA-256 (hex) of its follow-up
	// code; a code hash the tenant already holds is ErrConflict.
	InsertFeedback(ctx context.Context, tenant string, f Feedback, codeHash string) error
	// Feedback returns one item without its messages, or ErrNotFound.
	Feedback(ctx context.Context, tenant, id string) (Feedback, error)
	// FeedbackByCodeHash returns the item whose code hash is codeHash and
	// the stored hash (for a constant-time comparison), or ErrNotFound.
	FeedbackByCodeHash(ctx context.Context, tenant, codeHash string) (Feedback, string, error)
	// UpdateFeedback writes f's Status, Tags, AssigneeID and Version.
	UpdateFeedback(ctx context.Context, tenant string, f Feedback, expectedVersion int64) error
	// ListFeedback returns one page (see FeedbackQuery).
	ListFeedback(ctx context.Context, tenant string, q FeedbackQuery) ([]Feedback, error)
	// InsertFeedbackMessage adds m to its item's thread; a taken Seq is
	// ErrConflict.
	InsertFeedbackMessage(ctx context.Context, tenant string, m FeedbackMessage) error
	// FeedbackMessages returns the thread of feedbackID ordered by Seq.
	FeedbackMessages(ctx context.Context, tenant, feedbackID string) ([]FeedbackMessage, error)
	// FeedbackActivity counts, per day from from to to (inclusive), the
	// items submitted and the submitters' follow-ups; days without
	// activity are absent. Ordered by day.
	FeedbackActivity(ctx context.Context, tenant string, from, to hr.Date) ([]DayActivity, error)
}
