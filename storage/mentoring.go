package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/mentoring"
)

// Mentoring returns the store of the talent/mentoring package, on this
// database.
func (db *DB) Mentoring() mentoring.Store { return mentoringStore{db: db} }

// mentoringStore implements mentoring.Store. Every query names tenant_id
// and runs on db.Conn(ctx), so it joins the use case's transaction.
type mentoringStore struct{ db *DB }

func (s mentoringStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

type mentorshipRow struct {
	bun.BaseModel `bun:"table:ballast_mentorships,alias:m"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	MentorID      string    `bun:"mentor_id"`
	MenteeID      string    `bun:"mentee_id"`
	Goals         string    `bun:"goals"`
	StartOn       string    `bun:"start_on"`
	EndOn         string    `bun:"end_on"`
	Status        string    `bun:"status"`
	ClosedOn      string    `bun:"closed_on,nullzero"`
	ClosedBy      string    `bun:"closed_by"`
	CloseReason   string    `bun:"close_reason"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func mentorshipRowOf(tenant string, m mentoring.Mentorship) mentorshipRow {
	return mentorshipRow{TenantID: tenant, ID: m.ID, MentorID: m.MentorID, MenteeID: m.MenteeID, Goals: jsonText(nonNilSlice(m.Goals)),
		StartOn: dayText(m.Start), EndOn: dayText(m.End), Status: string(m.Status), ClosedOn: dayText(m.ClosedOn),
		ClosedBy: m.ClosedBy, CloseReason: m.CloseReason, CreatedBy: m.CreatedBy, CreatedAt: m.CreatedAt,
		UpdatedAt: m.UpdatedAt, Version: m.Version}
}

func (r mentorshipRow) record() (mentoring.Mentorship, error) {
	m := mentoring.Mentorship{ID: r.ID, MentorID: r.MentorID, MenteeID: r.MenteeID, Start: parseDay(r.StartOn), End: parseDay(r.EndOn),
		Status: mentoring.Status(r.Status), ClosedOn: parseDay(r.ClosedOn), ClosedBy: r.ClosedBy, CloseReason: r.CloseReason,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if err := json.Unmarshal([]byte(r.Goals), &m.Goals); err != nil {
		return mentoring.Mentorship{}, fmt.Errorf("storage: decode mentorship %s: %w", r.ID, err)
	}
	return m, nil
}

func (s mentoringStore) InsertMentorship(ctx context.Context, tenant string, m mentoring.Mentorship) error {
	row := mentorshipRowOf(tenant, m)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert mentorship", err)
}

func (s mentoringStore) Mentorship(ctx context.Context, tenant, id string) (mentoring.Mentorship, error) {
	var row mentorshipRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("m.tenant_id = ? AND m.id = ?", tenant, id).Scan(ctx); err != nil {
		return mentoring.Mentorship{}, translate("mentorship "+id, err)
	}
	return row.record()
}

func (s mentoringStore) UpdateMentorship(ctx context.Context, tenant string, m mentoring.Mentorship, expected int64) error {
	row := mentorshipRowOf(tenant, m)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("goals", "end_on", "status", "closed_on", "closed_by", "close_reason", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, m.ID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update mentorship "+m.ID, res, err, "ballast_mentorships", "tenant_id = ? AND id = ?", tenant, m.ID)
}

func (s mentoringStore) ListMentorships(ctx context.Context, tenant string, q mentoring.Query) ([]mentoring.Mentorship, error) {
	var rows []mentorshipRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("m.tenant_id = ?", tenant)
	if q.MentorID != "" {
		sel = sel.Where("m.mentor_id = ?", q.MentorID)
	}
	if q.MenteeID != "" {
		sel = sel.Where("m.mentee_id = ?", q.MenteeID)
	}
	if q.Participant != "" {
		sel = sel.Where("(m.mentor_id = ? OR m.mentee_id = ?)", q.Participant, q.Participant)
	}
	if len(q.DepartmentIDs) > 0 {
		sel = sel.Where("m.mentee_id IN (SELECT x.id FROM ballast_employees AS x WHERE x.tenant_id = ? AND x.department_id IN (?))",
			tenant, bun.In(q.DepartmentIDs))
	}
	if len(q.Statuses) > 0 {
		st := make([]string, len(q.Statuses))
		for i, x := range q.Statuses {
			st[i] = string(x)
		}
		sel = sel.Where("m.status IN (?)", bun.In(st))
	}
	if q.After != "" {
		sel = sel.Where("m.id > ?", q.After)
	}
	sel = sel.OrderExpr("m.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list mentorships", err)
	}
	out := make([]mentoring.Mentorship, len(rows))
	for i, r := range rows {
		m, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

func (s mentoringStore) LockPair(ctx context.Context, tenant, mentorID, menteeID string) error {
	if _, inTx := TxFrom(ctx); !inTx || s.db.dialect != Postgres {
		return nil
	}
	_, err := s.conn(ctx).ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))",
		"ballast_mentorships/"+tenant+"/"+mentorID+"/"+menteeID)
	return translate("lock mentorship pair", err)
}

type meetingRow struct {
	bun.BaseModel `bun:"table:ballast_mentoring_meetings,alias:t"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	MentorshipID  string    `bun:"mentorship_id"`
	Day           string    `bun:"day"`
	Notes         string    `bun:"notes"`
	NextSteps     string    `bun:"next_steps"`
	AuthorID      string    `bun:"author_id"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (s mentoringStore) InsertMeeting(ctx context.Context, tenant string, m mentoring.Meeting) error {
	row := meetingRow{TenantID: tenant, ID: m.ID, MentorshipID: m.MentorshipID, Day: dayText(m.Date), Notes: m.Notes,
		NextSteps: m.NextSteps, AuthorID: m.AuthorID, CreatedAt: m.CreatedAt}
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert meeting", err)
}

func (s mentoringStore) Meetings(ctx context.Context, tenant, mentorshipID string) ([]mentoring.Meeting, error) {
	var rows []meetingRow
	if err := s.conn(ctx).NewSelect().Model(&rows).Where("t.tenant_id = ? AND t.mentorship_id = ?", tenant, mentorshipID).
		OrderExpr("t.day, t.created_at, t.id").Scan(ctx); err != nil {
		return nil, translate("meetings", err)
	}
	out := make([]mentoring.Meeting, len(rows))
	for i, r := range rows {
		out[i] = mentoring.Meeting{ID: r.ID, MentorshipID: r.MentorshipID, Date: parseDay(r.Day), Notes: r.Notes,
			NextSteps: r.NextSteps, AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

func (s mentoringStore) Improvements(ctx context.Context, tenant string, from, to hr.Date, mentorID string) ([]mentoring.Improvement, error) {
	var rows []struct {
		ID       string   `bun:"id"`
		MentorID string   `bun:"mentor_id"`
		MenteeID string   `bun:"mentee_id"`
		StartOn  string   `bun:"start_on"`
		Before   *float64 `bun:"before_score"`
		After    *float64 `bun:"after_score"`
	}
	sel := s.conn(ctx).NewSelect().TableExpr("ballast_mentorships AS m").
		ColumnExpr("m.id, m.mentor_id, m.mentee_id, m.start_on").
		ColumnExpr(`(SELECT r.score FROM ballast_performance_records AS r
			WHERE r.tenant_id = m.tenant_id AND r.employee_id = m.mentee_id AND r.period_end < m.start_on
			ORDER BY r.period_end DESC LIMIT 1) AS before_score`).
		// The latest period up to "to", kept only when it ends on or after
		// the start: one bound on period_end, so both planners stay on the
		// employee's index rather than range-scanning every employee's
		// periods of the year.
		ColumnExpr(`(SELECT CASE WHEN r.period_end >= m.start_on THEN r.score END FROM ballast_performance_records AS r
			WHERE r.tenant_id = m.tenant_id AND r.employee_id = m.mentee_id AND r.period_end <= ?
			ORDER BY r.period_end DESC LIMIT 1) AS after_score`, to.String()).
		Where("m.tenant_id = ? AND m.status <> 'cancelled' AND m.start_on <= ? AND m.end_on >= ?", tenant, to.String(), from.String())
	if mentorID != "" {
		sel = sel.Where("m.mentor_id = ?", mentorID)
	}
	if err := sel.OrderExpr("m.mentor_id, m.id").Scan(ctx, &rows); err != nil {
		return nil, translate("mentee improvements", err)
	}
	out := make([]mentoring.Improvement, len(rows))
	for i, r := range rows {
		out[i] = mentoring.Improvement{MentorshipID: r.ID, MentorID: r.MentorID, MenteeID: r.MenteeID, Start: parseDay(r.StartOn),
			Before: r.Before, After: r.After}
	}
	return out, nil
}
