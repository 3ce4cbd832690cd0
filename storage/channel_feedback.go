package storage

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
)

// Anonymous feedback rows hold no subject and no instant: days are text
// (YYYY-MM-DD), IDs random, and on SQLite the tables are WITHOUT ROWID.

type channelFeedbackRow struct {
	bun.BaseModel `bun:"table:ballast_channel_feedback,alias:f"`
	TenantID      string   `bun:"tenant_id,pk"`
	ID            string   `bun:"id,pk"`
	CodeHash      string   `bun:"code_hash"`
	Category      string   `bun:"category"`
	Body          string   `bun:"body"`
	Day           string   `bun:"day"`
	Status        string   `bun:"status"`
	Tags          []string `bun:"tags,type:json"`
	AssigneeID    string   `bun:"assignee_id"`
	Version       int64    `bun:"version"`
}

func channelFeedbackRowOf(tenant string, f channel.Feedback, codeHash string) *channelFeedbackRow {
	tags := f.Tags
	if tags == nil {
		tags = []string{}
	}
	return &channelFeedbackRow{TenantID: tenant, ID: f.ID, CodeHash: codeHash, Category: string(f.Category),
		Body: f.Body, Day: f.Day.String(), Status: string(f.Status), Tags: tags, AssigneeID: f.AssigneeID, Version: f.Version}
}

func (r channelFeedbackRow) record() channel.Feedback {
	day, _ := hr.ParseDate(r.Day) // written by channelFeedbackRowOf
	tags := r.Tags
	if len(tags) == 0 {
		tags = nil
	}
	return channel.Feedback{ID: r.ID, Category: channel.FeedbackCategory(r.Category), Body: r.Body, Day: day,
		Status: channel.FeedbackStatus(r.Status), Tags: tags, AssigneeID: r.AssigneeID, Version: r.Version}
}

type channelFeedbackMessageRow struct {
	bun.BaseModel `bun:"table:ballast_channel_feedback_messages,alias:fm"`
	TenantID      string `bun:"tenant_id,pk"`
	ID            string `bun:"id,pk"`
	FeedbackID    string `bun:"feedback_id"`
	Seq           int    `bun:"seq"`
	FromHR        bool   `bun:"from_hr"`
	AuthorID      string `bun:"author_id"`
	Body          string `bun:"body"`
	Day           string `bun:"day"`
}

func (s channelStore) InsertFeedback(ctx context.Context, tenant string, f channel.Feedback, codeHash string) error {
	_, err := s.db.Conn(ctx).NewInsert().Model(channelFeedbackRowOf(tenant, f, codeHash)).Exec(ctx)
	return translate("insert feedback", err)
}

func (s channelStore) Feedback(ctx context.Context, tenant, id string) (channel.Feedback, error) {
	var row channelFeedbackRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("f.tenant_id = ? AND f.id = ?", tenant, id).Scan(ctx)
	if err != nil {
		return channel.Feedback{}, translate("get feedback "+id, err)
	}
	return row.record(), nil
}

func (s channelStore) FeedbackByCodeHash(ctx context.Context, tenant, codeHash string) (channel.Feedback, string, error) {
	var row channelFeedbackRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("f.tenant_id = ? AND f.code_hash = ?", tenant, codeHash).Scan(ctx)
	if err != nil {
		// No hash in the message: the caller turns this into ErrUnknownCode.
		return channel.Feedback{}, "", translate("get feedback by code", err)
	}
	return row.record(), row.CodeHash, nil
}

func (s channelStore) UpdateFeedback(ctx context.Context, tenant string, f channel.Feedback, expected int64) error {
	res, err := s.db.Conn(ctx).NewUpdate().Model(channelFeedbackRowOf(tenant, f, "")).
		Column("status", "tags", "assignee_id", "version").
		Where("f.tenant_id = ? AND f.id = ? AND f.version = ?", tenant, f.ID, expected).Exec(ctx)
	return s.chCheckUpdated(ctx, "update feedback "+f.ID, res, err, "ballast_channel_feedback", tenant, f.ID)
}

func (s channelStore) ListFeedback(ctx context.Context, tenant string, q channel.FeedbackQuery) ([]channel.Feedback, error) {
	var rows []channelFeedbackRow
	sel := s.db.Conn(ctx).NewSelect().Model(&rows).Where("f.tenant_id = ?", tenant)
	if q.Status != "" {
		sel = sel.Where("f.status = ?", string(q.Status))
	}
	if q.Category != "" {
		sel = sel.Where("f.category = ?", string(q.Category))
	}
	if q.AssigneeID != "" {
		sel = sel.Where("f.assignee_id = ?", q.AssigneeID)
	}
	if q.Tag != "" {
		if s.db.dialect == Postgres {
			sel = sel.Where("f.tags @> jsonb_build_array(CAST(? AS text))", q.Tag)
		} else {
			sel = sel.Where("EXISTS (SELECT 1 FROM json_each(f.tags) AS t WHERE t.value = ?)", q.Tag)
		}
	}
	if q.AfterID != "" {
		day := q.AfterDay.String()
		sel = sel.Where("(f.day < ? OR (f.day = ? AND f.id < ?))", day, day, q.AfterID)
	}
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.OrderExpr("f.day DESC, f.id DESC").Scan(ctx); err != nil {
		return nil, translate("list feedback", err)
	}
	out := make([]channel.Feedback, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (s channelStore) InsertFeedbackMessage(ctx context.Context, tenant string, m channel.FeedbackMessage) error {
	row := &channelFeedbackMessageRow{TenantID: tenant, ID: m.ID, FeedbackID: m.FeedbackID, Seq: m.Seq,
		FromHR: m.FromHR, AuthorID: m.AuthorID, Body: m.Body, Day: m.Day.String()}
	_, err := s.db.Conn(ctx).NewInsert().Model(row).Exec(ctx)
	return translate("insert feedback message", err)
}

func (s channelStore) FeedbackMessages(ctx context.Context, tenant, feedbackID string) ([]channel.FeedbackMessage, error) {
	var rows []channelFeedbackMessageRow
	err := s.db.Conn(ctx).NewSelect().Model(&rows).
		Where("fm.tenant_id = ? AND fm.feedback_id = ?", tenant, feedbackID).OrderExpr("fm.seq").Scan(ctx)
	if err != nil {
		return nil, translate("list feedback messages", err)
	}
	out := make([]channel.FeedbackMessage, len(rows))
	for i, r := range rows {
		day, _ := hr.ParseDate(r.Day)
		out[i] = channel.FeedbackMessage{ID: r.ID, FeedbackID: r.FeedbackID, Seq: r.Seq, FromHR: r.FromHR,
			AuthorID: r.AuthorID, Body: r.Body, Day: day}
	}
	return out, nil
}

func (s channelStore) FeedbackActivity(ctx context.Context, tenant string, from, to hr.Date) ([]channel.DayActivity, error) {
	var rows []struct {
		Day       string `bun:"day"`
		NewItems  int    `bun:"new_items"`
		FollowUps int    `bun:"follow_ups"`
	}
	err := s.db.Conn(ctx).NewRaw(`SELECT day, SUM(new_items) AS new_items, SUM(follow_ups) AS follow_ups FROM (
			SELECT day, 1 AS new_items, 0 AS follow_ups FROM ballast_channel_feedback
			WHERE tenant_id = ? AND day >= ? AND day <= ?
			UNION ALL
			SELECT day, 0, 1 FROM ballast_channel_feedback_messages
			WHERE tenant_id = ? AND NOT from_hr AND day >= ? AND day <= ?
		) AS activity GROUP BY day ORDER BY day`,
		tenant, from.String(), to.String(), tenant, from.String(), to.String()).Scan(ctx, &rows)
	if err != nil {
		return nil, translate("feedback activity", err)
	}
	out := make([]channel.DayActivity, 0, len(rows))
	for _, r := range rows {
		day, err := hr.ParseDate(r.Day)
		if err != nil {
			return nil, fmt.Errorf("storage: feedback activity: %w", err)
		}
		out = append(out, channel.DayActivity{Day: day, NewItems: r.NewItems, FollowUps: r.FollowUps})
	}
	return out, nil
}
