package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/assessment/multirater"
)

// Drafts and submitted responses of the multirater store: the answers
// themselves, stored unlinked from the raters, and their aggregation.

func (s mrStore) Draft(ctx context.Context, tenant, assignmentID string) (multirater.Answers, error) {
	var draft sql.NullString
	err := s.conn(ctx).NewSelect().TableExpr("ballast_multirater_assignments AS a").Column("a.draft").
		Where("a.tenant_id = ? AND a.id = ?", tenant, assignmentID).Scan(ctx, &draft)
	if err != nil {
		return multirater.Answers{}, translate("multirater draft "+assignmentID, err)
	}
	var a multirater.Answers
	if draft.Valid && draft.String != "" {
		if err := json.Unmarshal([]byte(draft.String), &a); err != nil {
			return multirater.Answers{}, fmt.Errorf("storage: decode multirater draft %s: %w", assignmentID, err)
		}
	}
	return a, nil
}

func (s mrStore) PutDraft(ctx context.Context, tenant, assignmentID string, a multirater.Answers) error {
	var v any
	if len(a.Scores) > 0 || len(a.Comments) > 0 {
		v = jsonText(a)
	}
	res, err := s.conn(ctx).NewUpdate().Table("ballast_multirater_assignments").Set("draft = ?", v).
		Where("tenant_id = ? AND id = ?", tenant, assignmentID).Exec(ctx)
	if err != nil {
		return translate("put multirater draft", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return translate("put multirater draft "+assignmentID, sql.ErrNoRows)
	}
	return nil
}

type mrScoreRow struct {
	bun.BaseModel `bun:"table:ballast_multirater_scores"`
	TenantID      string `bun:"tenant_id,pk"`
	RoundID       string `bun:"round_id,pk"`
	RevieweeID    string `bun:"reviewee_id,pk"`
	Group         string `bun:"grp"`
	ResponseID    string `bun:"response_id,pk"`
	Question      string `bun:"question,pk"`
	Dimension     string `bun:"dimension"`
	Score         int    `bun:"score"`
}

type mrCommentRow struct {
	bun.BaseModel `bun:"table:ballast_multirater_comments,alias:c"`
	TenantID      string `bun:"tenant_id,pk"`
	RoundID       string `bun:"round_id,pk"`
	RevieweeID    string `bun:"reviewee_id,pk"`
	Group         string `bun:"grp"`
	ID            string `bun:"id,pk"`
	Dimension     string `bun:"dimension"`
	Body          string `bun:"body"`
	RaterID       string `bun:"rater_id"`
}

func (s mrStore) InsertResponse(ctx context.Context, tenant string, r multirater.Response) error {
	if len(r.Scores) > 0 {
		rows := make([]mrScoreRow, len(r.Scores))
		for i, x := range r.Scores {
			rows[i] = mrScoreRow{TenantID: tenant, RoundID: r.RoundID, RevieweeID: r.RevieweeID, Group: string(r.Group),
				ResponseID: r.ID, Question: x.Question, Dimension: x.Dimension, Score: x.Value}
		}
		if _, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert multirater scores", err)
		}
	}
	if len(r.Comments) > 0 {
		rows := make([]mrCommentRow, len(r.Comments))
		for i, c := range r.Comments {
			rows[i] = mrCommentRow{TenantID: tenant, RoundID: r.RoundID, RevieweeID: r.RevieweeID, Group: string(r.Group),
				ID: c.ID, Dimension: c.Dimension, Body: c.Text, RaterID: r.RaterID}
		}
		if _, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert multirater comments", err)
		}
	}
	return nil
}

func (s mrStore) ScoreTotals(ctx context.Context, tenant, roundID, revieweeID string, fn func(multirater.ScoreTotal) error) error {
	q := s.conn(ctx).NewSelect().TableExpr("ballast_multirater_scores AS s").
		ColumnExpr("s.reviewee_id, s.grp, s.dimension, SUM(s.score), COUNT(*)").
		Where("s.tenant_id = ? AND s.round_id = ?", tenant, roundID)
	if revieweeID != "" {
		q = q.Where("s.reviewee_id = ?", revieweeID)
	}
	rows, err := q.GroupExpr("s.reviewee_id, s.grp, s.dimension").OrderExpr("s.reviewee_id, s.grp, s.dimension").Rows(ctx)
	if err != nil {
		return translate("multirater score totals", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t multirater.ScoreTotal
		var g string
		if err := rows.Scan(&t.RevieweeID, &g, &t.Dimension, &t.Sum, &t.N); err != nil {
			return translate("multirater score totals", err)
		}
		t.Group = multirater.Group(g)
		if err := fn(t); err != nil {
			return err
		}
	}
	return translate("multirater score totals", rows.Err())
}

func (s mrStore) Comments(ctx context.Context, tenant, roundID, revieweeID string, groups []multirater.Group) ([]multirater.Comment, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	gs := make([]string, len(groups))
	for i, g := range groups {
		gs[i] = string(g)
	}
	var rows []mrCommentRow
	err := s.conn(ctx).NewSelect().Model(&rows).
		Where("c.tenant_id = ? AND c.round_id = ? AND c.reviewee_id = ?", tenant, roundID, revieweeID).
		Where("c.grp IN (?)", bun.In(gs)).OrderExpr("c.dimension, c.grp, c.id").Scan(ctx)
	if err != nil {
		return nil, translate("multirater comments", err)
	}
	out := make([]multirater.Comment, len(rows))
	for i, r := range rows {
		out[i] = multirater.Comment{ID: r.ID, Dimension: r.Dimension, Group: multirater.Group(r.Group), Text: r.Body, RaterID: r.RaterID}
	}
	return out, nil
}
