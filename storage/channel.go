package storage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
)

// Channel returns the store of the hr/channel package, on this database.
func (db *DB) Channel() channel.Store { return channelStore{db: db} }

// channelStore implements channel.Store. Every query names tenant_id and
// runs on db.Conn(ctx), so it joins the use case's transaction.
type channelStore struct{ db *DB }

type channelAudience struct {
	DepartmentIDs []string `json:"department_ids,omitempty"`
	EmployeeIDs   []string `json:"employee_ids,omitempty"`
}

type channelAnnouncementRow struct {
	bun.BaseModel `bun:"table:ballast_channel_announcements,alias:a"`
	TenantID      string          `bun:"tenant_id,pk"`
	ID            string          `bun:"id,pk"`
	Title         string          `bun:"title"`
	Body          string          `bun:"body"`
	AudienceKind  string          `bun:"audience_kind"`
	Audience      channelAudience `bun:"audience,type:json"`
	Status        string          `bun:"status"`
	AuthorID      string          `bun:"author_id"`
	Recipients    int             `bun:"recipients"`
	PublishedAt   time.Time       `bun:"published_at,nullzero"`
	WithdrawnAt   time.Time       `bun:"withdrawn_at,nullzero"`
	CreatedAt     time.Time       `bun:"created_at"`
	UpdatedAt     time.Time       `bun:"updated_at"`
	Version       int64           `bun:"version"`
}

func channelAnnouncementRowOf(tenant string, a channel.Announcement) *channelAnnouncementRow {
	return &channelAnnouncementRow{TenantID: tenant, ID: a.ID, Title: a.Title, Body: a.Body,
		AudienceKind: string(a.Audience.Kind),
		Audience:     channelAudience{DepartmentIDs: a.Audience.DepartmentIDs, EmployeeIDs: a.Audience.EmployeeIDs},
		Status:       string(a.Status), AuthorID: a.AuthorID, Recipients: a.Recipients,
		PublishedAt: chUTC(a.PublishedAt), WithdrawnAt: chUTC(a.WithdrawnAt),
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), Version: a.Version}
}

func (r channelAnnouncementRow) record() channel.Announcement {
	return channel.Announcement{ID: r.ID, Title: r.Title, Body: r.Body,
		Audience: channel.Audience{Kind: channel.AudienceKind(r.AudienceKind),
			DepartmentIDs: r.Audience.DepartmentIDs, EmployeeIDs: r.Audience.EmployeeIDs},
		Status: channel.Status(r.Status), AuthorID: r.AuthorID, Recipients: r.Recipients,
		PublishedAt: chUTC(r.PublishedAt), WithdrawnAt: chUTC(r.WithdrawnAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// chUTC returns t in UTC, keeping the zero time zero.
func chUTC(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// chCheckUpdated turns a version-guarded UPDATE into the store's errors:
// nothing affected is a stale version (ErrConflict) when the row exists and
// ErrNotFound when it does not.
func (s channelStore) chCheckUpdated(ctx context.Context, op string, res interface{ RowsAffected() (int64, error) }, err error, table, tenant, id string) error {
	if err != nil {
		return translate(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(op, err)
	}
	if n > 0 {
		return nil
	}
	exists, err := s.db.Conn(ctx).NewSelect().Table(table).Where("tenant_id = ? AND id = ?", tenant, id).Exists(ctx)
	if err != nil {
		return translate(op, err)
	}
	if exists {
		return fmt.Errorf("storage: %s: %w (stale version)", op, ballast.ErrConflict)
	}
	return fmt.Errorf("storage: %s: %w", op, ballast.ErrNotFound)
}

func (s channelStore) InsertAnnouncement(ctx context.Context, tenant string, a channel.Announcement) error {
	_, err := s.db.Conn(ctx).NewInsert().Model(channelAnnouncementRowOf(tenant, a)).Exec(ctx)
	return translate("insert announcement", err)
}

func (s channelStore) Announcement(ctx context.Context, tenant, id string) (channel.Announcement, error) {
	var row channelAnnouncementRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("a.tenant_id = ? AND a.id = ?", tenant, id).Scan(ctx)
	if err != nil {
		return channel.Announcement{}, translate("get announcement "+id, err)
	}
	return row.record(), nil
}

func (s channelStore) UpdateAnnouncement(ctx context.Context, tenant string, a channel.Announcement, expected int64) error {
	row := channelAnnouncementRowOf(tenant, a)
	res, err := s.db.Conn(ctx).NewUpdate().Model(row).
		Column("title", "body", "audience_kind", "audience", "status", "recipients",
			"published_at", "withdrawn_at", "updated_at", "version").
		Where("a.tenant_id = ? AND a.id = ? AND a.version = ?", tenant, a.ID, expected).Exec(ctx)
	return s.chCheckUpdated(ctx, "update announcement "+a.ID, res, err, "ballast_channel_announcements", tenant, a.ID)
}

func (s channelStore) ListAnnouncements(ctx context.Context, tenant string, q channel.AnnouncementQuery) ([]channel.Announcement, error) {
	var rows []channelAnnouncementRow
	sel := s.db.Conn(ctx).NewSelect().Model(&rows).Where("a.tenant_id = ?", tenant)
	if q.Status != "" {
		sel = sel.Where("a.status = ?", string(q.Status))
	}
	if q.AfterID != "" {
		at := q.AfterTime.UTC()
		sel = sel.Where("(a.created_at < ? OR (a.created_at = ? AND a.id < ?))", at, at, q.AfterID)
	}
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.OrderExpr("a.created_at DESC, a.id DESC").Scan(ctx); err != nil {
		return nil, translate("list announcements", err)
	}
	out := make([]channel.Announcement, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

// InsertRecipients implements channel.Store in one INSERT … SELECT over the
// tenant's employees (with a recursive walk of the department subtrees).
func (s channelStore) InsertRecipients(ctx context.Context, tenant, announcementID string, a channel.Audience) ([]string, error) {
	var filter string
	args := []any{announcementID, tenant}
	switch a.Kind {
	case channel.AudienceAll:
	case channel.AudienceDepartments:
		if len(a.DepartmentIDs) == 0 {
			return nil, nil
		}
		filter = ` AND e.department_id IN (WITH RECURSIVE sub(id, depth) AS (
			SELECT d.id, 0 FROM ballast_departments d WHERE d.tenant_id = ? AND d.id IN (?)
			UNION ALL
			SELECT d.id, sub.depth + 1 FROM ballast_departments d JOIN sub ON d.parent_id = sub.id
			WHERE d.tenant_id = ? AND sub.depth < ?
		) SELECT id FROM sub)`
		args = append(args, tenant, bun.In(a.DepartmentIDs), tenant, maxDepth)
	case channel.AudienceEmployees:
		if len(a.EmployeeIDs) == 0 {
			return nil, nil
		}
		filter = ` AND e.id IN (?)`
		args = append(args, bun.In(a.EmployeeIDs))
	default:
		return nil, fmt.Errorf("storage: insert recipients: %w", ballast.Invalid("audience.kind", "is not a known audience"))
	}
	var ids []string
	err := s.db.Conn(ctx).NewRaw(`INSERT INTO ballast_channel_recipients (tenant_id, announcement_id, employee_id)
		SELECT e.tenant_id, ?, e.id FROM ballast_employees e
		WHERE e.tenant_id = ? AND e.status <> 'departed'`+filter+`
		RETURNING employee_id`, args...).Scan(ctx, &ids)
	if err != nil {
		return nil, translate("insert recipients of "+announcementID, err)
	}
	slices.Sort(ids)
	return ids, nil
}

type channelReceiptRow struct {
	AnnouncementID string    `bun:"announcement_id"`
	EmployeeID     string    `bun:"employee_id"`
	EmployeeName   string    `bun:"employee_name"`
	DepartmentID   string    `bun:"department_id"`
	ReadAt         time.Time `bun:"read_at,nullzero"`
}

func (r channelReceiptRow) record() channel.Receipt {
	return channel.Receipt{AnnouncementID: r.AnnouncementID, EmployeeID: r.EmployeeID,
		EmployeeName: r.EmployeeName, DepartmentID: r.DepartmentID, ReadAt: chUTC(r.ReadAt)}
}

func (s channelStore) Receipt(ctx context.Context, tenant, announcementID, employeeID string) (channel.Receipt, error) {
	var row channelReceiptRow
	err := s.db.Conn(ctx).NewRaw(`SELECT announcement_id, employee_id, read_at FROM ballast_channel_recipients
		WHERE tenant_id = ? AND announcement_id = ? AND employee_id = ?`, tenant, announcementID, employeeID).Scan(ctx, &row)
	if err != nil {
		return channel.Receipt{}, translate("get receipt of "+announcementID, err)
	}
	return row.record(), nil
}

func (s channelStore) MarkRead(ctx context.Context, tenant, announcementID, employeeID string, at time.Time) (channel.Receipt, error) {
	_, err := s.db.Conn(ctx).NewRaw(`UPDATE ballast_channel_recipients SET read_at = ?
		WHERE tenant_id = ? AND announcement_id = ? AND employee_id = ? AND read_at IS NULL`,
		at.UTC(), tenant, announcementID, employeeID).Exec(ctx)
	if err != nil {
		return channel.Receipt{}, translate("mark "+announcementID+" read", err)
	}
	return s.Receipt(ctx, tenant, announcementID, employeeID)
}

func (s channelStore) Receipts(ctx context.Context, tenant, announcementID string) ([]channel.Receipt, error) {
	var rows []channelReceiptRow
	err := s.db.Conn(ctx).NewRaw(`SELECT r.announcement_id, r.employee_id, e.name AS employee_name,
			e.department_id, r.read_at
		FROM ballast_channel_recipients r
		JOIN ballast_employees e ON e.tenant_id = r.tenant_id AND e.id = r.employee_id
		WHERE r.tenant_id = ? AND r.announcement_id = ?
		ORDER BY CASE WHEN r.read_at IS NULL THEN 0 ELSE 1 END, e.name, e.id`, tenant, announcementID).Scan(ctx, &rows)
	if err != nil {
		return nil, translate("receipts of "+announcementID, err)
	}
	out := make([]channel.Receipt, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

type channelInboxRow struct {
	channelAnnouncementRow
	ReadAt time.Time `bun:"read_at,nullzero"`
}

func (s channelStore) Inbox(ctx context.Context, tenant string, q channel.InboxQuery) ([]channel.InboxItem, error) {
	var rows []channelInboxRow
	sel := s.db.Conn(ctx).NewSelect().
		TableExpr("ballast_channel_recipients AS r").
		Join("JOIN ballast_channel_announcements AS a ON a.tenant_id = r.tenant_id AND a.id = r.announcement_id").
		ColumnExpr("a.*").ColumnExpr("r.read_at").
		Where("r.tenant_id = ? AND r.employee_id = ?", tenant, q.EmployeeID).
		Where("a.status = ?", string(channel.StatusPublished))
	if q.UnreadOnly {
		sel = sel.Where("r.read_at IS NULL")
	}
	if q.AfterID != "" {
		at := q.AfterTime.UTC()
		sel = sel.Where("(a.published_at < ? OR (a.published_at = ? AND a.id < ?))", at, at, q.AfterID)
	}
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.OrderExpr("a.published_at DESC, a.id DESC").Scan(ctx, &rows); err != nil {
		return nil, translate("inbox", err)
	}
	out := make([]channel.InboxItem, len(rows))
	for i, r := range rows {
		out[i] = channel.InboxItem{Announcement: r.record(), ReadAt: chUTC(r.ReadAt)}
	}
	return out, nil
}
