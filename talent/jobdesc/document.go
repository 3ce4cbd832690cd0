package jobdesc

import "time"

// Kind tells a template from a department version.
type Kind string

// The kinds of documents.
const (
	// KindTemplate is a job-description template kept by HR. An approved
	// revision of it is published for department heads to derive from.
	KindTemplate Kind = "template"
	// KindDepartment is a department's version of a template, derived
	// from one of its published revisions and edited by the department
	// head.
	KindDepartment Kind = "department"
)

// Status is the state of one revision in the approval flow:
//
//	draft ──Submit──► in_review ──Approve──► approved
//	  ▲                   │
//	  └──(edit)── changes_requested ◄──RequestChanges
//
// Only draft and changes_requested revisions can be edited (an edit puts a
// changes_requested revision back to draft) or submitted. An approved
// revision never changes again: NewRevision starts the next one from it.
type Status string

// The statuses of a revision.
const (
	StatusDraft            Status = "draft"
	StatusInReview         Status = "in_review"
	StatusChangesRequested Status = "changes_requested"
	StatusApproved         Status = "approved"
)

// Editable reports whether a revision in this status can be edited or
// submitted.
func (s Status) Editable() bool { return s == StatusDraft || s == StatusChangesRequested }

// Document is a job description: a template or a department version, with
// its revisions numbered from 1. The fields mirrored from the latest
// revision (Title, PositionID, Status) serve listings; the content is in
// the Revision.
type Document struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Title and PositionID are those of the latest revision.
	Title      string `json:"title"`
	PositionID string `json:"position_id,omitempty"`
	// DepartmentID is the department of a department version; empty for a
	// template.
	DepartmentID string `json:"department_id,omitempty"`
	// SourceID and SourceRevision name the template revision a department
	// version was derived from.
	SourceID       string `json:"source_id,omitempty"`
	SourceRevision int    `json:"source_revision,omitempty"`
	// OwnerID is the subject who created the document.
	OwnerID string `json:"owner_id"`
	// Approvers are designated approvers (employee IDs): besides HR, they
	// may approve or send back the document's revisions, and they are
	// notified when one is submitted.
	Approvers []string `json:"approvers"`
	// Latest is the number of the newest revision; Status is its status.
	Latest int    `json:"latest"`
	Status Status `json:"status"`
	// Approved is the number of the newest approved revision (0: none
	// yet): the one in force.
	Approved int `json:"approved,omitempty"`
	// Published is the template revision department heads derive from (0:
	// not published); always an approved revision. PublishedAt is when it
	// was published. Department versions leave both zero.
	Published   int       `json:"published,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version increases with every change to the document or any of its
	// revisions (optimistic locking): every change takes the version the
	// caller last saw.
	Version int64 `json:"version"`

	// Revision is the latest revision with its content. The Service fills
	// it in what it returns; a Store neither stores nor returns it.
	Revision *Revision `json:"revision,omitempty"`
}

// Revision is one numbered version of a document's content and its place
// in the approval flow. Every revision is kept.
type Revision struct {
	DocumentID string `json:"document_id"`
	// Number counts the document's revisions from 1.
	Number int `json:"number"`
	// Base is the revision this one was started from (0 for the first).
	Base       int       `json:"base,omitempty"`
	Title      string    `json:"title"`
	PositionID string    `json:"position_id,omitempty"`
	Sections   []Section `json:"sections"`
	Status     Status    `json:"status"`
	// Editors are the subjects who changed this revision, in order of
	// their first change (the one who started it first). None of them may
	// approve it.
	Editors []string `json:"editors"`
	// Round counts the submissions of this revision (0 before the first).
	Round       int       `json:"round"`
	SubmittedBy string    `json:"submitted_by,omitempty"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	// DecidedBy, DecidedAt and Note record the last approval or request
	// for changes (the note is the reviewer's message).
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Section returns the section with key, if the revision has it.
func (r Revision) Section(key string) (Section, bool) {
	for _, s := range r.Sections {
		if s.Key == key {
			return s, true
		}
	}
	return Section{}, false
}

// SectionKind is what a section holds.
type SectionKind string

// The kinds of sections. A revision has at most one section of each of
// the first three kinds, keyed by the kind's name; free sections have keys
// of their own.
const (
	// SectionDuties lists the duties of the job, in Body.
	SectionDuties SectionKind = "duties"
	// SectionCompetencies lists the core competencies with the level
	// expected of the holder, in Competencies (Body may introduce them).
	SectionCompetencies SectionKind = "competencies"
	// SectionPromotion describes the promotion path, in Body.
	SectionPromotion SectionKind = "promotion_path"
	// SectionFree is any other section (qualifications, KPIs, working
	// conditions), in Body.
	SectionFree SectionKind = "free"
)

// Section is one part of a job description, identified within its
// document by Key (stable across revisions, so comments and diffs can
// follow it).
type Section struct {
	// Key is the section's name within the document: the kind's name for
	// duties, competencies and promotion_path; for a free section 1 to
	// MaxKeyLen characters of a–z, 0–9, '-' and '_', chosen by the
	// writer.
	Key   string      `json:"key"`
	Kind  SectionKind `json:"kind"`
	Title string      `json:"title"`
	// Body is the text (plain or Markdown), one duty or step per line by
	// convention, so the diff shows lines added and removed.
	Body string `json:"body,omitempty"`
	// Competencies are the core competencies of a competencies section,
	// each named once.
	Competencies []Competency `json:"competencies,omitempty"`
}

// Competency is a core competency and the level expected of the holder.
type Competency struct {
	Name string `json:"name"`
	// Level is the expected level, MinLevel to MaxLevel (the scale of
	// hr's skill levels).
	Level       int    `json:"level"`
	Description string `json:"description,omitempty"`
}

// The competency level scale, the one hr uses for skills.
const (
	MinLevel = 1
	MaxLevel = 5
)

// Comment is an inline comment on a section of a document, or a reply to
// one (ParentID set; a reply carries its thread's anchor). Threads are
// resolved as a whole, on their first comment.
type Comment struct {
	ID         string `json:"id"`
	DocumentID string `json:"document_id"`
	// Revision is the revision the comment was written on.
	Revision int `json:"revision"`
	// SectionKey is the section the comment is anchored on.
	SectionKey string `json:"section_key"`
	// Anchor narrows it to a range of the section's body; nil for the
	// whole section.
	Anchor *Anchor `json:"anchor,omitempty"`
	// ParentID is the thread's first comment; empty for that comment.
	ParentID string `json:"parent_id,omitempty"`
	AuthorID string `json:"author_id"`
	Body     string `json:"body"`
	// Resolved, ResolvedBy and ResolvedAt record the resolution of a
	// thread (on its first comment only).
	Resolved   bool      `json:"resolved"`
	ResolvedBy string    `json:"resolved_by,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// Version increases with every change (optimistic locking).
	Version int64 `json:"version"`
}

// Anchor places a comment on part of a section's body: a range of
// characters (runes) [Start, End) and/or the quoted text. With a range
// the quote, when given, must equal the text in it; with a quote alone it
// must occur in the body.
type Anchor struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Quote string `json:"quote,omitempty"`
}
