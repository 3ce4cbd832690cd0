package mentoring

import (
	"context"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Mentoring()); storetest.RunMentoring checks any
// implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict.
type Store interface {
	// InsertMentorship inserts m.
	InsertMentorship(ctx context.Context, tenant string, m Mentorship) error
	// Mentorship returns one mentorship.
	Mentorship(ctx context.Context, tenant, id string) (Mentorship, error)
	// UpdateMentorship writes every field of m but ID, MentorID, MenteeID,
	// Start, CreatedBy and CreatedAt, where the stored version equals
	// expectedVersion (m.Version is already the new one).
	UpdateMentorship(ctx context.Context, tenant string, m Mentorship, expectedVersion int64) error
	// ListMentorships returns the mentorships q selects, ordered by ID.
	ListMentorships(ctx context.Context, tenant string, q Query) ([]Mentorship, error)
	// LockPair serialises, until the transaction in ctx ends, the
	// transactions that change mentorships of one mentor and mentee, so
	// that two overlapping ones cannot both pass the overlap check. Outside
	// a transaction, or where transactions are serial already (SQLite), it
	// does nothing.
	LockPair(ctx context.Context, tenant, mentorID, menteeID string) error

	// InsertMeeting adds a meeting to its mentorship's log.
	InsertMeeting(ctx context.Context, tenant string, m Meeting) error
	// Meetings returns a mentorship's log, ordered by Date, CreatedAt, ID.
	Meetings(ctx context.Context, tenant, mentorshipID string) ([]Meeting, error)

	// Improvements returns, for every not cancelled mentorship overlapping
	// [from, to] (of mentorID when set), its mentee's hr performance score
	// of the last period ending before its Start and of the latest period
	// ending on or after its Start and on or before to, computed in the
	// database; ordered by MentorID, ID.
	Improvements(ctx context.Context, tenant string, from, to hr.Date, mentorID string) ([]Improvement, error)
}

// Query selects mentorships for Store.ListMentorships. Empty fields select
// everything; the conditions combine with AND.
type Query struct {
	MentorID string
	MenteeID string
	// Participant selects mentorships where the employee is mentor or
	// mentee.
	Participant string
	// DepartmentIDs restricts to mentees whose department is one of these
	// (a department head's scope).
	DepartmentIDs []string
	// Statuses restricts to these statuses (empty: every status).
	Statuses []Status
	// After is the ID the page starts after; Limit caps it (0: no cap).
	After string
	Limit int
}
