package channel

import "time"

// AudienceKind says who an announcement is addressed to.
type AudienceKind string

// The audience kinds.
const (
	// AudienceAll: every employee of the tenant who has not departed.
	AudienceAll AudienceKind = "all"
	// AudienceDepartments: the employees of the listed departments and of
	// every department below them.
	AudienceDepartments AudienceKind = "departments"
	// AudienceEmployees: the listed employees.
	AudienceEmployees AudienceKind = "employees"
)

// Audience is who an announcement is for. It is resolved into recipients
// when the announcement is published: employees hired or moved later do
// not receive it, and departed employees never do.
type Audience struct {
	// Kind is AudienceAll, AudienceDepartments or AudienceEmployees.
	Kind AudienceKind `json:"kind"`
	// DepartmentIDs are the departments (each with its subdepartments) of
	// an AudienceDepartments audience; 1 to MaxAudienceIDs.
	DepartmentIDs []string `json:"department_ids,omitempty"`
	// EmployeeIDs are the employees of an AudienceEmployees audience; 1 to
	// MaxAudienceIDs.
	EmployeeIDs []string `json:"employee_ids,omitempty"`
}

// Status is where an announcement stands: draft → published → withdrawn.
type Status string

// The announcement statuses.
const (
	// StatusDraft: written, editable, seen by HR only.
	StatusDraft Status = "draft"
	// StatusPublished: delivered to its recipients, who can read it, mark
	// it read and ask questions under it. No longer editable.
	StatusPublished Status = "published"
	// StatusWithdrawn: taken back by HR; recipients no longer see it, HR
	// keeps its receipts and questions.
	StatusWithdrawn Status = "withdrawn"
)

// Limits on announcements, in characters (runes).
const (
	MaxTitle       = 200
	MaxBody        = 100_000
	MaxAudienceIDs = 1000
)

// Announcement is a message from HR to a set of employees: a title and a
// full Markdown document. Body is stored as written; renderers must
// escape it (the reference server renders Markdown without raw HTML).
type Announcement struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Body is the document, Markdown.
	Body     string   `json:"body"`
	Audience Audience `json:"audience"`
	Status   Status   `json:"status"`
	// AuthorID is the subject who created the announcement.
	AuthorID string `json:"author_id"`
	// Recipients counts the recipients resolved at publication (0 before).
	Recipients int `json:"recipients"`
	// PublishedAt and WithdrawnAt are zero until those transitions.
	PublishedAt time.Time `json:"published_at,omitzero"`
	WithdrawnAt time.Time `json:"withdrawn_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version increases with every change (optimistic locking).
	Version int64 `json:"version"`
}

// AnnouncementParams is what CreateAnnouncement and UpdateAnnouncement
// take. Title (1..MaxTitle characters, one line) and Body (1..MaxBody
// characters) are required; the audience must name existing departments or
// employees of the tenant (employees who have not departed).
type AnnouncementParams struct {
	Title    string   `json:"title"`
	Body     string   `json:"body"`
	Audience Audience `json:"audience"`
}

// InboxItem is a published announcement as one recipient sees it.
type InboxItem struct {
	Announcement
	// ReadAt is when the recipient first marked it read; zero when unread.
	ReadAt time.Time `json:"read_at,omitzero"`
}

// Receipt is one recipient's read state of an announcement.
type Receipt struct {
	AnnouncementID string `json:"announcement_id"`
	EmployeeID     string `json:"employee_id"`
	// EmployeeName and DepartmentID are the recipient's current directory
	// entry (filled in receipt reports).
	EmployeeName string `json:"employee_name,omitempty"`
	DepartmentID string `json:"department_id,omitempty"`
	// ReadAt is when the recipient first marked it read; zero when unread.
	ReadAt time.Time `json:"read_at,omitzero"`
}

// ReceiptReport is who has and has not read an announcement.
type ReceiptReport struct {
	AnnouncementID string `json:"announcement_id"`
	Total          int    `json:"total"`
	Read           int    `json:"read"`
	Unread         int    `json:"unread"`
	// Receipts lists every recipient: unread first, then by name.
	Receipts []Receipt `json:"receipts"`
}

// The page sizes of the listings.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// AnnouncementFilter selects a page of Announcements (HR's view).
type AnnouncementFilter struct {
	// Status limits the listing to one status; empty means all.
	Status Status `json:"status,omitempty"`
	// Cursor continues a listing (the previous page's NextCursor).
	Cursor string `json:"cursor,omitempty"`
	// Limit is the page size: 0 means DefaultPageSize; at most MaxPageSize.
	Limit int `json:"limit,omitempty"`
}

// AnnouncementPage is one page of Announcements, newest first.
type AnnouncementPage struct {
	Announcements []Announcement `json:"announcements"`
	NextCursor    string         `json:"next_cursor,omitempty"`
}

// InboxFilter selects a page of a recipient's Inbox.
type InboxFilter struct {
	// UnreadOnly keeps the announcements not yet marked read.
	UnreadOnly bool `json:"unread_only,omitempty"`
	// Cursor continues a listing (the previous page's NextCursor).
	Cursor string `json:"cursor,omitempty"`
	// Limit is the page size: 0 means DefaultPageSize; at most MaxPageSize.
	Limit int `json:"limit,omitempty"`
}

// InboxPage is one page of a recipient's announcements, newest first.
type InboxPage struct {
	Items      []InboxItem `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// AnnouncementQuery is what the store's ListAnnouncements takes: at most
// Limit announcements ordered by CreatedAt, ID descending, after
// (AfterTime, AfterID) when AfterID is set.
type AnnouncementQuery struct {
	Status    Status
	AfterTime time.Time
	AfterID   string
	Limit     int
}

// InboxQuery is what the store's Inbox takes: at most Limit published
// announcements addressed to EmployeeID, ordered by PublishedAt, ID
// descending, after (AfterTime, AfterID) when AfterID is set.
type InboxQuery struct {
	EmployeeID string
	UnreadOnly bool
	AfterTime  time.Time
	AfterID    string
	Limit      int
}
