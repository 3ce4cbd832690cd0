package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/talent/jobdesc"
)

// Jobdesc returns the store of the talent/jobdesc package, on this
// database.
func (db *DB) Jobdesc() jobdesc.Store { return jdStore{db: db} }

// jdStore implements jobdesc.Store. Every query names tenant_id and runs
// on db.Conn(ctx), so it joins the use case's transaction.
type jdStore struct{ db *DB }

func (s jdStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

type jdDocumentRow struct {
	bun.BaseModel  `bun:"table:ballast_jobdesc_documents,alias:d"`
	TenantID       string    `bun:"tenant_id,pk"`
	ID             string    `bun:"id,pk"`
	Kind           string    `bun:"kind"`
	Title          string    `bun:"title"`
	PositionID     string    `bun:"position_id"`
	DepartmentID   string    `bun:"department_id"`
	SourceID       string    `bun:"source_id"`
	SourceRevision int       `bun:"source_revision"`
	OwnerID        string    `bun:"owner_id"`
	Approvers      string    `bun:"approvers"`
	Latest         int       `bun:"latest"`
	Status         string    `bun:"status"`
	Approved       int       `bun:"approved"`
	Published      int       `bun:"published"`
	PublishedAt    time.Time `bun:"published_at,nullzero"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
	Version        int64     `bun:"version"`
}

func jdDocumentRowOf(tenant string, d jobdesc.Document) jdDocumentRow {
	return jdDocumentRow{TenantID: tenant, ID: d.ID, Kind: string(d.Kind), Title: d.Title, PositionID: d.PositionID,
		DepartmentID: d.DepartmentID, SourceID: d.SourceID, SourceRevision: d.SourceRevision, OwnerID: d.OwnerID,
		Approvers: jsonText(nonNilSlice(d.Approvers)), Latest: d.Latest, Status: string(d.Status), Approved: d.Approved,
		Published: d.Published, PublishedAt: d.PublishedAt, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version}
}

func (r jdDocumentRow) record() (jobdesc.Document, error) {
	d := jobdesc.Document{ID: r.ID, Kind: jobdesc.Kind(r.Kind), Title: r.Title, PositionID: r.PositionID,
		DepartmentID: r.DepartmentID, SourceID: r.SourceID, SourceRevision: r.SourceRevision, OwnerID: r.OwnerID,
		Latest: r.Latest, Status: jobdesc.Status(r.Status), Approved: r.Approved, Published: r.Published,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if !r.PublishedAt.IsZero() {
		d.PublishedAt = r.PublishedAt.UTC()
	}
	if err := json.Unmarshal([]byte(r.Approvers), &d.Approvers); err != nil {
		return jobdesc.Document{}, fmt.Errorf("storage: decode job description %s: %w", r.ID, err)
	}
	return d, nil
}

func (s jdStore) InsertDocument(ctx context.Context, tenant string, d jobdesc.Document) error {
	row := jdDocumentRowOf(tenant, d)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert job description", err)
}

func (s jdStore) Document(ctx context.Context, tenant, id string) (jobdesc.Document, error) {
	var row jdDocumentRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("d.tenant_id = ? AND d.id = ?", tenant, id).Scan(ctx); err != nil {
		return jobdesc.Document{}, translate("job description "+id, err)
	}
	return row.record()
}

func (s jdStore) UpdateDocument(ctx context.Context, tenant string, d jobdesc.Document, expected int64) error {
	row := jdDocumentRowOf(tenant, d)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("title", "position_id", "approvers", "latest", "status", "approved", "published", "published_at",
			"updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, d.ID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update job description "+d.ID, res, err, "ballast_jobdesc_documents",
		"tenant_id = ? AND id = ?", tenant, d.ID)
}

func (s jdStore) ListDocuments(ctx context.Context, tenant string, q jobdesc.Query) ([]jobdesc.Document, error) {
	var rows []jdDocumentRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("d.tenant_id = ?", tenant)
	if q.Kind != "" {
		sel = sel.Where("d.kind = ?", string(q.Kind))
	}
	if q.DepartmentID != "" {
		sel = sel.Where("d.department_id = ?", q.DepartmentID)
	}
	if q.SourceID != "" {
		sel = sel.Where("d.source_id = ?", q.SourceID)
	}
	if q.PositionID != "" {
		sel = sel.Where("d.position_id = ?", q.PositionID)
	}
	if q.Status != "" {
		sel = sel.Where("d.status = ?", string(q.Status))
	}
	if q.PublishedOnly {
		sel = sel.Where("d.kind = 'template' AND d.published > 0")
	}
	if r := q.Reach; r != nil {
		sel = sel.WhereGroup(" AND ", func(g *bun.SelectQuery) *bun.SelectQuery {
			g = g.Where("1 = 0")
			if len(r.DepartmentIDs) > 0 {
				g = g.WhereOr("d.kind = 'department' AND d.department_id IN (?)", bun.In(r.DepartmentIDs))
			}
			if r.PublishedTemplates {
				g = g.WhereOr("d.kind = 'template' AND d.published > 0")
			}
			if r.Approver != "" {
				// Approvers are a JSON array of IDs (UUIDs: no LIKE
				// wildcards among them).
				g = g.WhereOr("d.approvers LIKE ?", `%"`+likeEscape(r.Approver)+`"%`)
			}
			return g
		})
	}
	if q.After != "" {
		sel = sel.Where("d.id > ?", q.After)
	}
	sel = sel.OrderExpr("d.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list job descriptions", err)
	}
	out := make([]jobdesc.Document, len(rows))
	for i, r := range rows {
		d, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// likeEscape drops the LIKE wildcards from s (IDs never hold them; this
// keeps a malformed one from matching more).
func likeEscape(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != '%' && r != '_' && r != '\\' {
			out = append(out, r)
		}
	}
	return string(out)
}

type jdRevisionRow struct {
	bun.BaseModel `bun:"table:ballast_jobdesc_revisions,alias:r"`
	TenantID      string    `bun:"tenant_id,pk"`
	DocumentID    string    `bun:"document_id,pk"`
	Number        int       `bun:"number,pk"`
	Base          int       `bun:"base"`
	Title         string    `bun:"title"`
	PositionID    string    `bun:"position_id"`
	Sections      string    `bun:"sections"`
	Status        string    `bun:"status"`
	Editors       string    `bun:"editors"`
	Round         int       `bun:"round"`
	SubmittedBy   string    `bun:"submitted_by"`
	SubmittedAt   time.Time `bun:"submitted_at,nullzero"`
	DecidedBy     string    `bun:"decided_by"`
	DecidedAt     time.Time `bun:"decided_at,nullzero"`
	Note          string    `bun:"note"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func jdRevisionRowOf(tenant string, r jobdesc.Revision) jdRevisionRow {
	return jdRevisionRow{TenantID: tenant, DocumentID: r.DocumentID, Number: r.Number, Base: r.Base, Title: r.Title,
		PositionID: r.PositionID, Sections: jsonText(nonNilSlice(r.Sections)), Status: string(r.Status),
		Editors: jsonText(nonNilSlice(r.Editors)), Round: r.Round, SubmittedBy: r.SubmittedBy, SubmittedAt: r.SubmittedAt,
		DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt}
}

func (row jdRevisionRow) record() (jobdesc.Revision, error) {
	r := jobdesc.Revision{DocumentID: row.DocumentID, Number: row.Number, Base: row.Base, Title: row.Title,
		PositionID: row.PositionID, Status: jobdesc.Status(row.Status), Round: row.Round, SubmittedBy: row.SubmittedBy,
		DecidedBy: row.DecidedBy, Note: row.Note, CreatedBy: row.CreatedBy, CreatedAt: row.CreatedAt.UTC(),
		UpdatedAt: row.UpdatedAt.UTC()}
	if !row.SubmittedAt.IsZero() {
		r.SubmittedAt = row.SubmittedAt.UTC()
	}
	if !row.DecidedAt.IsZero() {
		r.DecidedAt = row.DecidedAt.UTC()
	}
	if err := json.Unmarshal([]byte(row.Sections), &r.Sections); err != nil {
		return jobdesc.Revision{}, fmt.Errorf("storage: decode job description %s revision %d: %w", row.DocumentID, row.Number, err)
	}
	if err := json.Unmarshal([]byte(row.Editors), &r.Editors); err != nil {
		return jobdesc.Revision{}, fmt.Errorf("storage: decode job description %s revision %d: %w", row.DocumentID, row.Number, err)
	}
	return r, nil
}

func (s jdStore) InsertRevision(ctx context.Context, tenant string, r jobdesc.Revision) error {
	row := jdRevisionRowOf(tenant, r)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert job description revision", err)
}

func (s jdStore) Revision(ctx context.Context, tenant, documentID string, number int) (jobdesc.Revision, error) {
	var row jdRevisionRow
	err := s.conn(ctx).NewSelect().Model(&row).
		Where("r.tenant_id = ? AND r.document_id = ? AND r.number = ?", tenant, documentID, number).Scan(ctx)
	if err != nil {
		return jobdesc.Revision{}, translate(fmt.Sprintf("job description %s revision %d", documentID, number), err)
	}
	return row.record()
}

func (s jdStore) Revisions(ctx context.Context, tenant, documentID string) ([]jobdesc.Revision, error) {
	var rows []jdRevisionRow
	err := s.conn(ctx).NewSelect().Model(&rows).
		Where("r.tenant_id = ? AND r.document_id = ?", tenant, documentID).OrderExpr("r.number").Scan(ctx)
	if err != nil {
		return nil, translate("job description revisions", err)
	}
	out := make([]jobdesc.Revision, len(rows))
	for i, row := range rows {
		r, err := row.record()
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func (s jdStore) UpdateRevision(ctx context.Context, tenant string, r jobdesc.Revision) error {
	row := jdRevisionRowOf(tenant, r)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("title", "position_id", "sections", "status", "editors", "round", "submitted_by", "submitted_at",
			"decided_by", "decided_at", "note", "updated_at").
		Where("tenant_id = ? AND document_id = ? AND number = ? AND status <> 'approved'", tenant, r.DocumentID, r.Number).
		Exec(ctx)
	op := fmt.Sprintf("update job description %s revision %d", r.DocumentID, r.Number)
	if err != nil {
		return translate(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return translate(op, err)
	} else if n > 0 {
		return nil
	}
	exists, err := s.conn(ctx).NewSelect().Table("ballast_jobdesc_revisions").
		Where("tenant_id = ? AND document_id = ? AND number = ?", tenant, r.DocumentID, r.Number).Exists(ctx)
	if err != nil {
		return translate(op, err)
	}
	if exists {
		return fmt.Errorf("storage: %s: %w", op, jobdesc.ErrApproved)
	}
	return fmt.Errorf("storage: %s: %w", op, ballast.ErrNotFound)
}

type jdCommentRow struct {
	bun.BaseModel `bun:"table:ballast_jobdesc_comments,alias:c"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	DocumentID    string    `bun:"document_id"`
	Revision      int       `bun:"revision"`
	SectionKey    string    `bun:"section_key"`
	Anchor        string    `bun:"anchor"`
	ParentID      string    `bun:"parent_id"`
	AuthorID      string    `bun:"author_id"`
	Body          string    `bun:"body"`
	Resolved      bool      `bun:"resolved"`
	ResolvedBy    string    `bun:"resolved_by"`
	ResolvedAt    time.Time `bun:"resolved_at,nullzero"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func jdCommentRowOf(tenant string, c jobdesc.Comment) jdCommentRow {
	row := jdCommentRow{TenantID: tenant, ID: c.ID, DocumentID: c.DocumentID, Revision: c.Revision, SectionKey: c.SectionKey,
		ParentID: c.ParentID, AuthorID: c.AuthorID, Body: c.Body, Resolved: c.Resolved, ResolvedBy: c.ResolvedBy,
		ResolvedAt: c.ResolvedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version}
	if c.Anchor != nil {
		row.Anchor = jsonText(c.Anchor)
	}
	return row
}

func (row jdCommentRow) record() (jobdesc.Comment, error) {
	c := jobdesc.Comment{ID: row.ID, DocumentID: row.DocumentID, Revision: row.Revision, SectionKey: row.SectionKey,
		ParentID: row.ParentID, AuthorID: row.AuthorID, Body: row.Body, Resolved: row.Resolved, ResolvedBy: row.ResolvedBy,
		CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(), Version: row.Version}
	if !row.ResolvedAt.IsZero() {
		c.ResolvedAt = row.ResolvedAt.UTC()
	}
	if row.Anchor != "" {
		c.Anchor = new(jobdesc.Anchor)
		if err := json.Unmarshal([]byte(row.Anchor), c.Anchor); err != nil {
			return jobdesc.Comment{}, fmt.Errorf("storage: decode comment %s: %w", row.ID, err)
		}
	}
	return c, nil
}

func (s jdStore) InsertComment(ctx context.Context, tenant string, c jobdesc.Comment) error {
	row := jdCommentRowOf(tenant, c)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert job description comment", err)
}

func (s jdStore) Comment(ctx context.Context, tenant, id string) (jobdesc.Comment, error) {
	var row jdCommentRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("c.tenant_id = ? AND c.id = ?", tenant, id).Scan(ctx); err != nil {
		return jobdesc.Comment{}, translate("job description comment "+id, err)
	}
	return row.record()
}

func (s jdStore) Comments(ctx context.Context, tenant, documentID string, q jobdesc.CommentQuery) ([]jobdesc.Comment, error) {
	var rows []jdCommentRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("c.tenant_id = ? AND c.document_id = ?", tenant, documentID)
	if q.Revision > 0 {
		sel = sel.Where("c.revision = ?", q.Revision)
	}
	if q.SectionKey != "" {
		sel = sel.Where("c.section_key = ?", q.SectionKey)
	}
	if q.ThreadID != "" {
		sel = sel.Where("(c.id = ? OR c.parent_id = ?)", q.ThreadID, q.ThreadID)
	}
	if q.Unresolved {
		open := s.conn(ctx).NewSelect().Table("ballast_jobdesc_comments").Column("id").
			Where("tenant_id = ? AND document_id = ? AND parent_id = '' AND resolved = ?", tenant, documentID, false)
		sel = sel.Where("((c.parent_id = '' AND c.resolved = ?) OR c.parent_id IN (?))", false, open)
	}
	if err := sel.OrderExpr("c.created_at, c.id").Scan(ctx); err != nil {
		return nil, translate("job description comments", err)
	}
	out := make([]jobdesc.Comment, len(rows))
	for i, row := range rows {
		c, err := row.record()
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func (s jdStore) UpdateComment(ctx context.Context, tenant string, c jobdesc.Comment, expected int64) error {
	row := jdCommentRowOf(tenant, c)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("resolved", "resolved_by", "resolved_at", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, c.ID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update job description comment "+c.ID, res, err, "ballast_jobdesc_comments",
		"tenant_id = ? AND id = ?", tenant, c.ID)
}
