package training

import (
	"context"
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Training()); storetest.RunTraining checks any implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict. Update methods write the record
// as given (its Version already the new one) only where the stored version
// equals expectedVersion.
type Store interface {
	// InsertCourse inserts c; a second course with the same Code is
	// ErrConflict.
	InsertCourse(ctx context.Context, tenant string, c Course) error
	// Course returns one course.
	Course(ctx context.Context, tenant, id string) (Course, error)
	// UpdateCourse writes every field of c but ID and CreatedAt.
	UpdateCourse(ctx context.Context, tenant string, c Course, expectedVersion int64) error
	// ListCourses returns courses ordered by Code, after q.After (a code),
	// at most q.Limit when positive.
	ListCourses(ctx context.Context, tenant string, q CourseQuery) ([]Course, error)
	// CoursesBuilding returns the courses that build any of the skills
	// (names compared without regard to case), ordered by Code.
	CoursesBuilding(ctx context.Context, tenant string, skills []string) ([]Course, error)

	// InsertSession inserts s (its counts are ignored).
	InsertSession(ctx context.Context, tenant string, s Session) error
	// Session returns one session with its Enrolled and Waitlisted counts.
	// With lock inside a transaction on PostgreSQL the row is locked FOR
	// UPDATE, so enrolments into one session take turns.
	Session(ctx context.Context, tenant, id string, lock bool) (Session, error)
	// UpdateSession writes every field of s but ID, CourseID and CreatedAt.
	UpdateSession(ctx context.Context, tenant string, s Session, expectedVersion int64) error
	// ListSessions returns the sessions q selects with their counts,
	// ordered by StartsAt, ID.
	ListSessions(ctx context.Context, tenant string, q SessionQuery) ([]Session, error)
	// DueSessions locks and returns up to limit scheduled sessions whose
	// RemindOn is on or before day, ordered by RemindOn, ID. Inside a
	// transaction on PostgreSQL they are claimed FOR UPDATE SKIP LOCKED.
	DueSessions(ctx context.Context, tenant string, day hr.Date, limit int) ([]Session, error)
	// SetRemindOn sets a session's RemindOn (zero: none) without touching
	// its version.
	SetRemindOn(ctx context.Context, tenant, sessionID string, day hr.Date) error

	// InsertEnrolment inserts e. A second live (enrolled or waitlisted)
	// enrolment of the employee in the session is ErrConflict.
	InsertEnrolment(ctx context.Context, tenant string, e Enrolment) error
	// Enrolment returns one enrolment.
	Enrolment(ctx context.Context, tenant, id string) (Enrolment, error)
	// UpdateEnrolment writes every field of e but ID, SessionID, CourseID,
	// EmployeeID, EnrolledBy and EnrolledAt.
	UpdateEnrolment(ctx context.Context, tenant string, e Enrolment, expectedVersion int64) error
	// ListEnrolments returns the enrolments q selects, ordered by
	// EnrolledAt, ID (the waitlist's order).
	ListEnrolments(ctx context.Context, tenant string, q EnrolmentQuery) ([]Enrolment, error)
	// CancelSessionEnrolments cancels every live enrolment of a session in
	// one statement (bumping their versions) and returns how many.
	CancelSessionEnrolments(ctx context.Context, tenant, sessionID, by, reason string, at time.Time) (int, error)
	// Outcomes returns, for every attended (and seated) enrolment of a
	// course, what the effect report compares: the skill levels snapshotted
	// when enrolling, the employee's hr profile skills now, and the hr
	// performance score of the last period ending before the session's
	// first day and of the first period ending on or after its last day;
	// computed in the database, ordered by enrolment.
	Outcomes(ctx context.Context, tenant, courseID string) ([]Outcome, error)
	// Certificates returns the certificates of an employee, newest first.
	Certificates(ctx context.Context, tenant, employeeID string) ([]Certificate, error)

	// RequiredSkills returns the skills a position requires (empty when none
	// were set), ordered by name.
	RequiredSkills(ctx context.Context, tenant, positionID string) ([]SkillLevel, error)
	// PutRequiredSkills replaces the skills a position requires.
	PutRequiredSkills(ctx context.Context, tenant, positionID string, skills []SkillLevel, at time.Time) error
}

// Outcome is one attended enrolment's measures for Store.Outcomes.
type Outcome struct {
	EnrolmentID string
	EmployeeID  string
	Certified   bool
	// SkillsBefore is the enrolment's snapshot; SkillsNow the profile's
	// skills today (empty without a profile).
	SkillsBefore []SkillLevel
	SkillsNow    []hr.Skill
	// Before and After are the performance scores around the session; nil
	// when there is no such period.
	Before, After *float64
}

// CourseQuery selects courses for Store.ListCourses.
type CourseQuery struct {
	// After is the code the page starts after; Limit caps it (0: no cap).
	After string
	Limit int
}

// SessionQuery selects sessions for Store.ListSessions. Empty fields
// select everything; the conditions combine with AND.
type SessionQuery struct {
	CourseID string
	// From and To bound the sessions' Date (inclusive; zero: open).
	From, To hr.Date
	// Statuses restricts to these statuses (empty: every status).
	Statuses []SessionStatus
	// Limit caps the list (0: no cap).
	Limit int
}

// EnrolmentQuery selects enrolments for Store.ListEnrolments. Empty fields
// select everything; the conditions combine with AND.
type EnrolmentQuery struct {
	SessionID  string
	CourseID   string
	EmployeeID string
	// DepartmentIDs restricts to employees whose department is one of
	// these (a department head's scope).
	DepartmentIDs []string
	// Statuses restricts to these statuses (empty: every status).
	Statuses []EnrolmentStatus
	// Attended restricts to attended enrolments when true.
	Attended bool
	// Limit caps the list (0: no cap).
	Limit int
}
