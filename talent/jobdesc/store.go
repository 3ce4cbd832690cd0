package jobdesc

import "context"

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Jobdesc()); storetest.RunJobdesc checks any implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict. Update methods write the record
// as given (its Version already the new one) only where the stored version
// equals expectedVersion. Document.Revision is neither stored nor
// returned.
type Store interface {
	// InsertDocument inserts d.
	InsertDocument(ctx context.Context, tenant string, d Document) error
	// Document returns one document.
	Document(ctx context.Context, tenant, id string) (Document, error)
	// UpdateDocument writes every field of d but ID, Kind, DepartmentID,
	// SourceID, SourceRevision, OwnerID and CreatedAt.
	UpdateDocument(ctx context.Context, tenant string, d Document, expectedVersion int64) error
	// ListDocuments returns the documents q selects, ordered by ID (keyset
	// after q.After, at most q.Limit when it is positive).
	ListDocuments(ctx context.Context, tenant string, q Query) ([]Document, error)

	// InsertRevision inserts r; its (document, number) must be new.
	InsertRevision(ctx context.Context, tenant string, r Revision) error
	// Revision returns one revision of a document.
	Revision(ctx context.Context, tenant, documentID string, number int) (Revision, error)
	// Revisions returns every revision of a document, by number.
	Revisions(ctx context.Context, tenant, documentID string) ([]Revision, error)
	// UpdateRevision writes every field of r but its identity (DocumentID,
	// Number, Base, CreatedBy, CreatedAt), only while the stored revision is
	// not approved (ErrConflict once it is: approved revisions never
	// change).
	UpdateRevision(ctx context.Context, tenant string, r Revision) error

	// InsertComment inserts c.
	InsertComment(ctx context.Context, tenant string, c Comment) error
	// Comment returns one comment.
	Comment(ctx context.Context, tenant, id string) (Comment, error)
	// Comments returns a document's comments q selects, oldest first
	// (CreatedAt, ID).
	Comments(ctx context.Context, tenant, documentID string, q CommentQuery) ([]Comment, error)
	// UpdateComment writes the resolution fields, UpdatedAt and Version of
	// c under the version rule.
	UpdateComment(ctx context.Context, tenant string, c Comment, expectedVersion int64) error
}

// Query selects documents. Empty fields select everything; the
// conditions combine with AND.
type Query struct {
	// Kind selects templates or department versions.
	Kind Kind `json:"kind,omitempty"`
	// DepartmentID selects the department versions of one department.
	DepartmentID string `json:"department_id,omitempty"`
	// SourceID selects the department versions derived from a template.
	SourceID string `json:"source_id,omitempty"`
	// PositionID selects the documents for a position.
	PositionID string `json:"position_id,omitempty"`
	// Status selects documents whose latest revision is in it.
	Status Status `json:"status,omitempty"`
	// PublishedOnly selects templates with a published revision.
	PublishedOnly bool `json:"published_only,omitempty"`
	// Reach, when set, restricts the documents to those a principal may
	// see (Service.List fills it in; callers leave it nil).
	Reach *Reach `json:"-"`
	// After is the ID the page starts after; Limit caps it (0: no cap).
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// Reach is what a principal who does not manage may see: a document
// passes when any of the conditions holds.
type Reach struct {
	// DepartmentIDs are departments whose versions the principal sees.
	DepartmentIDs []string
	// PublishedTemplates adds every template with a published revision.
	PublishedTemplates bool
	// Approver adds the documents naming this subject among their
	// Approvers.
	Approver string
}

// CommentQuery selects a document's comments.
type CommentQuery struct {
	// Revision selects the comments written on one revision (0: all).
	Revision int `json:"revision,omitempty"`
	// SectionKey selects one section's comments.
	SectionKey string `json:"section_key,omitempty"`
	// ThreadID selects one thread: its first comment and the replies.
	ThreadID string `json:"thread_id,omitempty"`
	// Unresolved selects the threads not yet resolved (both their first
	// comments and replies).
	Unresolved bool `json:"unresolved,omitempty"`
}
