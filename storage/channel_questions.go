package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr/channel"
)

type channelQuestionRow struct {
	bun.BaseModel  `bun:"table:ballast_channel_questions,alias:q"`
	TenantID       string    `bun:"tenant_id,pk"`
	ID             string    `bun:"id,pk"`
	AnnouncementID string    `bun:"announcement_id"`
	AskerID        string    `bun:"asker_id"`
	Public         bool      `bun:"public"`
	AwaitingHR     bool      `bun:"awaiting_hr"`
	WaitingSince   time.Time `bun:"waiting_since,nullzero"`
	AnsweredAt     time.Time `bun:"answered_at,nullzero"`
	LastMessageAt  time.Time `bun:"last_message_at"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
	Version        int64     `bun:"version"`
}

func channelQuestionRowOf(tenant string, q channel.Question) *channelQuestionRow {
	return &channelQuestionRow{TenantID: tenant, ID: q.ID, AnnouncementID: q.AnnouncementID, AskerID: q.AskerID,
		Public: q.Public, AwaitingHR: q.AwaitingHR, WaitingSince: chUTC(q.WaitingSince), AnsweredAt: chUTC(q.AnsweredAt),
		LastMessageAt: q.LastMessageAt.UTC(), CreatedAt: q.CreatedAt.UTC(), UpdatedAt: q.UpdatedAt.UTC(), Version: q.Version}
}

func (r channelQuestionRow) record() channel.Question {
	return channel.Question{ID: r.ID, AnnouncementID: r.AnnouncementID, AskerID: r.AskerID, Public: r.Public,
		AwaitingHR: r.AwaitingHR, WaitingSince: chUTC(r.WaitingSince), AnsweredAt: chUTC(r.AnsweredAt),
		LastMessageAt: r.LastMessageAt.UTC(), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

type channelMessageRow struct {
	bun.BaseModel `bun:"table:ballast_channel_messages,alias:m"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	QuestionID    string    `bun:"question_id"`
	AuthorID      string    `bun:"author_id"`
	FromHR        bool      `bun:"from_hr"`
	Body          string    `bun:"body"`
	CreatedAt     time.Time `bun:"created_at"`
}

func channelMessageRowOf(tenant string, m channel.Message) *channelMessageRow {
	return &channelMessageRow{TenantID: tenant, ID: m.ID, QuestionID: m.QuestionID, AuthorID: m.AuthorID,
		FromHR: m.FromHR, Body: m.Body, CreatedAt: m.CreatedAt.UTC()}
}

func (s channelStore) InsertQuestion(ctx context.Context, tenant string, q channel.Question, m channel.Message) error {
	conn := s.db.Conn(ctx)
	if _, err := conn.NewInsert().Model(channelQuestionRowOf(tenant, q)).Exec(ctx); err != nil {
		return translate("insert question", err)
	}
	_, err := conn.NewInsert().Model(channelMessageRowOf(tenant, m)).Exec(ctx)
	return translate("insert question message", err)
}

func (s channelStore) Question(ctx context.Context, tenant, id string) (channel.Question, error) {
	var row channelQuestionRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("q.tenant_id = ? AND q.id = ?", tenant, id).Scan(ctx)
	if err != nil {
		return channel.Question{}, translate("get question "+id, err)
	}
	return row.record(), nil
}

func (s channelStore) Questions(ctx context.Context, tenant string, f channel.QuestionQuery) ([]channel.Question, error) {
	var rows []channelQuestionRow
	sel := s.db.Conn(ctx).NewSelect().Model(&rows).Where("q.tenant_id = ?", tenant)
	if f.AnnouncementID != "" {
		sel = sel.Where("q.announcement_id = ?", f.AnnouncementID)
	}
	if f.VisibleTo != "" {
		sel = sel.Where("(q.asker_id = ? OR q.public)", f.VisibleTo)
	}
	if !f.WaitingBefore.IsZero() {
		sel = sel.Where("q.waiting_since IS NOT NULL AND q.waiting_since < ?", f.WaitingBefore.UTC()).
			OrderExpr("q.waiting_since, q.id")
	} else {
		sel = sel.OrderExpr("q.created_at, q.id")
	}
	if f.Limit > 0 {
		sel = sel.Limit(int64(f.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list questions", err)
	}
	out := make([]channel.Question, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (s channelStore) UpdateQuestion(ctx context.Context, tenant string, q channel.Question, expected int64) error {
	res, err := s.db.Conn(ctx).NewUpdate().Model(channelQuestionRowOf(tenant, q)).
		Column("public", "awaiting_hr", "waiting_since", "answered_at", "last_message_at", "updated_at", "version").
		Where("q.tenant_id = ? AND q.id = ? AND q.version = ?", tenant, q.ID, expected).Exec(ctx)
	return s.chCheckUpdated(ctx, "update question "+q.ID, res, err, "ballast_channel_questions", tenant, q.ID)
}

func (s channelStore) InsertMessage(ctx context.Context, tenant string, m channel.Message) error {
	_, err := s.db.Conn(ctx).NewInsert().Model(channelMessageRowOf(tenant, m)).Exec(ctx)
	return translate("insert message", err)
}

func (s channelStore) Messages(ctx context.Context, tenant string, questionIDs []string) ([]channel.Message, error) {
	if len(questionIDs) == 0 {
		return nil, nil
	}
	var rows []channelMessageRow
	err := s.db.Conn(ctx).NewSelect().Model(&rows).
		Where("m.tenant_id = ? AND m.question_id IN (?)", tenant, bun.In(questionIDs)).
		OrderExpr("m.created_at, m.id").Scan(ctx)
	if err != nil {
		return nil, translate("list messages", err)
	}
	out := make([]channel.Message, len(rows))
	for i, r := range rows {
		out[i] = channel.Message{ID: r.ID, QuestionID: r.QuestionID, AuthorID: r.AuthorID, FromHR: r.FromHR,
			Body: r.Body, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
