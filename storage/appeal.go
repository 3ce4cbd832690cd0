package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/hr"
)

// Appeals returns the store of the assessment/appeal package, on this
// database.
func (db *DB) Appeals() appeal.Store { return appealStore{db: db} }

// appealStore implements appeal.Store. Every query names tenant_id and
// runs on db.Conn(ctx), so it joins the use case's transaction.
type appealStore struct{ db *DB }

func (s appealStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

type appealSettingsRow struct {
	bun.BaseModel    `bun:"table:ballast_appeal_settings"`
	TenantID         string    `bun:"tenant_id,pk"`
	ReplyDays        int       `bun:"reply_days"`
	RemindDaysBefore int       `bun:"remind_days_before"`
	HRRecipients     string    `bun:"hr_recipients"`
	EscalateTo       string    `bun:"escalate_to"`
	Version          int64     `bun:"version"`
	UpdatedAt        time.Time `bun:"updated_at"`
}

func (s appealStore) Settings(ctx context.Context, tenant string) (appeal.Settings, error) {
	var row appealSettingsRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("tenant_id = ?", tenant).Scan(ctx); err != nil {
		return appeal.Settings{}, translate("appeal settings", err)
	}
	set := appeal.Settings{ReplyDays: row.ReplyDays, RemindDaysBefore: row.RemindDaysBefore,
		Version: row.Version, UpdatedAt: row.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(row.HRRecipients), &set.HRRecipients); err != nil {
		return appeal.Settings{}, fmt.Errorf("storage: decode appeal settings: %w", err)
	}
	if err := json.Unmarshal([]byte(row.EscalateTo), &set.EscalateTo); err != nil {
		return appeal.Settings{}, fmt.Errorf("storage: decode appeal settings: %w", err)
	}
	return set, nil
}

func (s appealStore) PutSettings(ctx context.Context, tenant string, set appeal.Settings, expected int64) error {
	row := appealSettingsRow{TenantID: tenant, ReplyDays: set.ReplyDays, RemindDaysBefore: set.RemindDaysBefore,
		HRRecipients: jsonText(nonNilSlice(set.HRRecipients)), EscalateTo: jsonText(nonNilSlice(set.EscalateTo)),
		Version: set.Version, UpdatedAt: set.UpdatedAt}
	if expected == 0 {
		_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
		return translate("insert appeal settings", err)
	}
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("reply_days", "remind_days_before", "hr_recipients", "escalate_to", "version", "updated_at").
		Where("tenant_id = ? AND version = ?", tenant, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update appeal settings", res, err, "ballast_appeal_settings", "tenant_id = ?", tenant)
}

type appealRow struct {
	bun.BaseModel `bun:"table:ballast_appeals,alias:a"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Kind          string    `bun:"kind"`
	SubjectID     string    `bun:"subject_id"`
	Item          string    `bun:"item"`
	ItemTitle     string    `bun:"item_title"`
	Title         string    `bun:"title"`
	EmployeeID    string    `bun:"employee_id"`
	ManagerID     string    `bun:"manager_id"`
	HandlerID     string    `bun:"handler_id"`
	Reason        string    `bun:"reason"`
	Status        string    `bun:"status"`
	Pending       *bool     `bun:"pending"`
	BeforeOutcome string    `bun:"before_outcome"`
	Result        string    `bun:"result"`
	AfterOutcome  string    `bun:"after_outcome"`
	ClosedBy      string    `bun:"closed_by"`
	ClosedAt      time.Time `bun:"closed_at,nullzero"`
	CloseReason   string    `bun:"close_reason"`
	WindowEnds    time.Time `bun:"window_ends"`
	DueOn         string    `bun:"due_on"`
	NextAlertOn   string    `bun:"next_alert_on,nullzero"`
	FiledAt       time.Time `bun:"filed_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func appealRowOf(tenant string, a appeal.Appeal) appealRow {
	var pending *bool
	if a.Status.Pending() {
		t := true
		pending = &t
	}
	return appealRow{Pending: pending, TenantID: tenant, ID: a.ID, Kind: a.Kind, SubjectID: a.SubjectID, Item: a.Item, ItemTitle: a.ItemTitle,
		Title: a.Title, EmployeeID: a.EmployeeID, ManagerID: a.ManagerID, HandlerID: a.HandlerID, Reason: a.Reason,
		Status: string(a.Status), BeforeOutcome: jsonText(a.Before), Result: string(a.Result), AfterOutcome: jsonText(a.After),
		ClosedBy: a.ClosedBy, ClosedAt: a.ClosedAt, CloseReason: a.CloseReason, WindowEnds: a.WindowEnds,
		DueOn: dayText(a.DueOn), NextAlertOn: dayText(a.NextAlertOn), FiledAt: a.FiledAt, UpdatedAt: a.UpdatedAt,
		Version: a.Version}
}

func (r appealRow) record() (appeal.Appeal, error) {
	a := appeal.Appeal{ID: r.ID, Kind: r.Kind, SubjectID: r.SubjectID, Item: r.Item, ItemTitle: r.ItemTitle, Title: r.Title,
		EmployeeID: r.EmployeeID, ManagerID: r.ManagerID, HandlerID: r.HandlerID, Reason: r.Reason,
		Status: appeal.Status(r.Status), Result: appeal.Result(r.Result), ClosedBy: r.ClosedBy, CloseReason: r.CloseReason,
		WindowEnds: r.WindowEnds.UTC(), DueOn: parseDay(r.DueOn), NextAlertOn: parseDay(r.NextAlertOn),
		FiledAt: r.FiledAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if !r.ClosedAt.IsZero() {
		a.ClosedAt = r.ClosedAt.UTC()
	}
	if err := json.Unmarshal([]byte(r.BeforeOutcome), &a.Before); err != nil {
		return appeal.Appeal{}, fmt.Errorf("storage: decode appeal %s: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.AfterOutcome), &a.After); err != nil {
		return appeal.Appeal{}, fmt.Errorf("storage: decode appeal %s: %w", r.ID, err)
	}
	return a, nil
}

func appealRecords(rows []appealRow) ([]appeal.Appeal, error) {
	out := make([]appeal.Appeal, len(rows))
	for i, r := range rows {
		a, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func (s appealStore) InsertAppeal(ctx context.Context, tenant string, a appeal.Appeal) error {
	row := appealRowOf(tenant, a)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert appeal", err)
}

func (s appealStore) Appeal(ctx context.Context, tenant, id string) (appeal.Appeal, error) {
	var row appealRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("a.tenant_id = ? AND a.id = ?", tenant, id).Scan(ctx); err != nil {
		return appeal.Appeal{}, translate("appeal "+id, err)
	}
	return row.record()
}

func (s appealStore) UpdateAppeal(ctx context.Context, tenant string, a appeal.Appeal, expected int64) error {
	row := appealRowOf(tenant, a)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("item_title", "title", "manager_id", "handler_id", "reason", "status", "pending", "before_outcome", "result",
			"after_outcome", "closed_by", "closed_at", "close_reason", "window_ends", "due_on", "next_alert_on",
			"updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, a.ID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update appeal "+a.ID, res, err, "ballast_appeals", "tenant_id = ? AND id = ?", tenant, a.ID)
}

func (s appealStore) ListAppeals(ctx context.Context, tenant string, q appeal.Query) ([]appeal.Appeal, error) {
	var rows []appealRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("a.tenant_id = ?", tenant)
	if len(q.Kinds) > 0 {
		sel = sel.Where("a.kind IN (?)", bun.In(q.Kinds))
	}
	if q.SubjectID != "" {
		sel = sel.Where("a.subject_id = ?", q.SubjectID)
	}
	if q.EmployeeID != "" {
		sel = sel.Where("a.employee_id = ?", q.EmployeeID)
	}
	if q.ManagerID != "" {
		sel = sel.Where("a.manager_id = ?", q.ManagerID)
	}
	if q.Answerer != "" {
		sel = sel.Where("(a.manager_id = ? OR a.handler_id = ?)", q.Answerer, q.Answerer)
	}
	if len(q.Statuses) > 0 {
		st := make([]string, len(q.Statuses))
		for i, x := range q.Statuses {
			st[i] = string(x)
		}
		sel = sel.Where("a.status IN (?)", bun.In(st))
	}
	if q.After != "" {
		sel = sel.Where("a.id > ?", q.After)
	}
	sel = sel.OrderExpr("a.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list appeals", err)
	}
	return appealRecords(rows)
}

type appealMessageRow struct {
	bun.BaseModel `bun:"table:ballast_appeal_messages,alias:m"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	AppealID      string    `bun:"appeal_id"`
	AuthorID      string    `bun:"author_id"`
	Role          string    `bun:"role"`
	Body          string    `bun:"body"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (s appealStore) InsertMessage(ctx context.Context, tenant string, m appeal.Message) error {
	row := appealMessageRow{TenantID: tenant, ID: m.ID, AppealID: m.AppealID, AuthorID: m.AuthorID, Role: string(m.Role),
		Body: m.Body, CreatedAt: m.CreatedAt}
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert appeal message", err)
}

func (s appealStore) Messages(ctx context.Context, tenant, appealID string) ([]appeal.Message, error) {
	var rows []appealMessageRow
	err := s.conn(ctx).NewSelect().Model(&rows).Where("m.tenant_id = ? AND m.appeal_id = ?", tenant, appealID).
		OrderExpr("m.created_at, m.id").Scan(ctx)
	if err != nil {
		return nil, translate("appeal messages", err)
	}
	out := make([]appeal.Message, len(rows))
	for i, r := range rows {
		out[i] = appeal.Message{ID: r.ID, AppealID: r.AppealID, AuthorID: r.AuthorID, Role: appeal.Role(r.Role),
			Body: r.Body, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

func (s appealStore) DueAppeals(ctx context.Context, tenant string, day hr.Date, limit int) ([]appeal.Appeal, error) {
	var rows []appealRow
	sel := s.conn(ctx).NewSelect().Model(&rows).
		Where("a.tenant_id = ? AND a.next_alert_on IS NOT NULL AND a.next_alert_on <= ? AND a.status IN ('open', 'under_review')", tenant, day.String()).
		OrderExpr("a.next_alert_on, a.id").Limit(int64(limit))
	if err := offStore(s).claim(ctx, sel).Scan(ctx); err != nil {
		return nil, translate("due appeals", err)
	}
	return appealRecords(rows)
}

func (s appealStore) SetAlerts(ctx context.Context, tenant string, ids []string, next hr.Date) error {
	if len(ids) == 0 {
		return nil
	}
	var v any
	if !next.IsZero() {
		v = next.String()
	}
	_, err := s.conn(ctx).NewUpdate().Table("ballast_appeals").Set("next_alert_on = ?", v).
		Where("tenant_id = ? AND id IN (?)", tenant, bun.In(ids)).Exec(ctx)
	return translate("set appeal alerts", err)
}
