package training

import (
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Kind is how a course is delivered.
type Kind string

// The course kinds.
const (
	Online    Kind = "online"
	Classroom Kind = "classroom"
)

// SkillLevel is a skill (named as in hr profiles, compared without regard
// to case) at a level from 1 (aware) to 5 (expert): a skill a course
// builds and the level it aims for, or a skill a position requires.
type SkillLevel struct {
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// Course is an entry of the tenant's catalogue.
type Course struct {
	ID string `json:"id"`
	// Code is unique within the tenant ("NEG-101").
	Code  string `json:"code"`
	Title string `json:"title"`
	Kind  Kind   `json:"kind"`
	// Hours is the course's length in hours.
	Hours float64 `json:"hours"`
	// Skills are the skills the course builds, each with the level it aims
	// for.
	Skills []SkillLevel `json:"skills"`
	// IndicatorCode is the assessment indicator the course relates to
	// (optional, free text: assessment's indicator codes).
	IndicatorCode string `json:"indicator_code,omitempty"`
	// PassMark is the exam score (0–100) at or above which an attended
	// enrolment earns a certificate.
	PassMark  float64   `json:"pass_mark"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// CourseParams is what CreateCourse and UpdateCourse take. On update it
// replaces every field.
type CourseParams struct {
	// Code is required: 1–32 characters without spaces, unique in the tenant.
	Code string `json:"code"`
	// Title is required, at most 200 characters.
	Title string `json:"title"`
	// Kind is Online or Classroom.
	Kind Kind `json:"kind"`
	// Hours is more than 0 and at most 1000.
	Hours float64 `json:"hours"`
	// Skills: at most 20, names 1–100 characters and distinct, levels 1–5.
	Skills []SkillLevel `json:"skills,omitempty"`
	// IndicatorCode is optional, at most 100 characters.
	IndicatorCode string `json:"indicator_code,omitempty"`
	// PassMark is 0–100.
	PassMark float64 `json:"pass_mark"`
}

// SessionStatus is where a session stands.
type SessionStatus string

// The session statuses.
const (
	SessionScheduled SessionStatus = "scheduled"
	SessionCancelled SessionStatus = "cancelled"
)

// Session is one run of a course.
type Session struct {
	ID       string `json:"id"`
	CourseID string `json:"course_id"`
	// Date is the session's first day and EndDate its last (the same for a
	// one-day session), in the tenant's zone.
	Date    hr.Date `json:"date"`
	EndDate hr.Date `json:"end_date"`
	// StartsAt and EndsAt are the session's window (UTC instants).
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Trainer  string    `json:"trainer,omitempty"`
	// Location is a room (classroom) and Link a meeting or course URL
	// (online); either may be empty.
	Location string `json:"location,omitempty"`
	Link     string `json:"link,omitempty"`
	// Capacity is the number of seats; enrolments past it are waitlisted.
	Capacity int           `json:"capacity"`
	Status   SessionStatus `json:"status"`
	// Enrolled and Waitlisted count the session's live enrolments (filled
	// by the Service when it returns a session).
	Enrolled   int `json:"enrolled"`
	Waitlisted int `json:"waitlisted"`
	// RemindOn is the tenant day from which Reconcile reminds the enrolled
	// participants; zero once they were reminded (or never to remind).
	RemindOn  hr.Date   `json:"remind_on,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// SessionParams is what ScheduleSession and UpdateSession take. On update
// it replaces every field but CourseID, which cannot change.
type SessionParams struct {
	// CourseID is a course of the tenant (ignored on update).
	CourseID string `json:"course_id"`
	// Date is the session's day in the tenant's zone; Start and End are
	// wall-clock times "HH:MM" on that day, Start before End. EndDate, when
	// set, is a later last day for a multi-day session (End is then on it).
	Date    hr.Date `json:"date"`
	EndDate hr.Date `json:"end_date,omitzero"`
	Start   string  `json:"start"`
	End     string  `json:"end"`
	// Trainer, Location (at most 200 characters) and Link (at most 2000) are
	// optional.
	Trainer  string `json:"trainer,omitempty"`
	Location string `json:"location,omitempty"`
	Link     string `json:"link,omitempty"`
	// Capacity is 1–10000; on update it may not fall below the seats taken.
	Capacity int `json:"capacity"`
}

// EnrolmentStatus is where an enrolment stands.
type EnrolmentStatus string

// The enrolment statuses.
const (
	// Enrolled holds a seat.
	Enrolled EnrolmentStatus = "enrolled"
	// Waitlisted waits for a seat, in order of enrolment.
	Waitlisted EnrolmentStatus = "waitlisted"
	// Cancelled gave up its seat or place.
	Cancelled EnrolmentStatus = "cancelled"
)

// Enrolment is one employee's place in a session.
type Enrolment struct {
	ID         string          `json:"id"`
	SessionID  string          `json:"session_id"`
	CourseID   string          `json:"course_id"`
	EmployeeID string          `json:"employee_id"`
	Status     EnrolmentStatus `json:"status"`
	// Attended is nil until attendance is recorded.
	Attended *bool `json:"attended,omitempty"`
	// Score is the exam score (0–100), nil until recorded.
	Score *float64 `json:"score,omitempty"`
	// Passed reports a Score at or above the course's pass mark.
	Passed bool `json:"passed"`
	// CertificateID is set (with CertifiedAt) when the enrolment earned its
	// certificate: attended and passed.
	CertificateID string    `json:"certificate_id,omitempty"`
	CertifiedAt   time.Time `json:"certified_at,omitzero"`
	// SkillsBefore are the employee's levels (0: not held) of the course's
	// skills when enrolling, from the hr profile.
	SkillsBefore []SkillLevel `json:"skills_before"`
	EnrolledBy   string       `json:"enrolled_by"`
	EnrolledAt   time.Time    `json:"enrolled_at"`
	CancelledBy  string       `json:"cancelled_by,omitempty"`
	CancelReason string       `json:"cancel_reason,omitempty"`
	UpdatedAt    time.Time    `json:"updated_at"`
	Version      int64        `json:"version"`
}

// Certificate is an issued certificate, as Certificates lists them.
type Certificate struct {
	ID          string    `json:"id"`
	EnrolmentID string    `json:"enrolment_id"`
	EmployeeID  string    `json:"employee_id"`
	CourseID    string    `json:"course_id"`
	CourseCode  string    `json:"course_code"`
	CourseTitle string    `json:"course_title"`
	SessionDate hr.Date   `json:"session_date"`
	Score       float64   `json:"score"`
	IssuedAt    time.Time `json:"issued_at"`
}
