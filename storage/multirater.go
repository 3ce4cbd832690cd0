package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
)

// Multirater returns the store of the assessment/multirater package (360
// feedback), on this database.
func (db *DB) Multirater() multirater.Store { return mrStore{db: db} }

// mrStore implements multirater.Store. Every query names tenant_id and
// runs on db.Conn(ctx), so it joins the use case's transaction.
type mrStore struct{ db *DB }

func (s mrStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

func (s mrStore) checked(ctx context.Context, op string, res interface{ RowsAffected() (int64, error) }, err error, table, where string, args ...any) error {
	return hrStore(s).checkUpdated(ctx, op, res, err, table, where, args...)
}

// nullDay is a Date for a nullable TEXT column (nil for zero).
func nullDay(d hr.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

type mrSettingsRow struct {
	bun.BaseModel `bun:"table:ballast_multirater_settings"`
	TenantID      string    `bun:"tenant_id,pk"`
	Settings      string    `bun:"settings"`
	Version       int64     `bun:"version"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func (s mrStore) Settings(ctx context.Context, tenant string) (multirater.Settings, error) {
	var row mrSettingsRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("tenant_id = ?", tenant).Scan(ctx); err != nil {
		return multirater.Settings{}, translate("multirater settings", err)
	}
	var st multirater.Settings
	if err := json.Unmarshal([]byte(row.Settings), &st); err != nil {
		return multirater.Settings{}, fmt.Errorf("storage: decode multirater settings: %w", err)
	}
	st.Version, st.UpdatedAt = row.Version, row.UpdatedAt.UTC()
	return st, nil
}

func (s mrStore) PutSettings(ctx context.Context, tenant string, st multirater.Settings, expected int64) error {
	row := mrSettingsRow{TenantID: tenant, Settings: jsonText(st), Version: st.Version, UpdatedAt: st.UpdatedAt}
	if expected == 0 {
		_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
		return translate("insert multirater settings", err)
	}
	res, err := s.conn(ctx).NewUpdate().Model(&row).Column("settings", "version", "updated_at").
		Where("tenant_id = ? AND version = ?", tenant, expected).Exec(ctx)
	return s.checked(ctx, "update multirater settings", res, err, "ballast_multirater_settings", "tenant_id = ?", tenant)
}

type mrRoundRow struct {
	bun.BaseModel `bun:"table:ballast_multirater_rounds,alias:r"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	CycleID       string    `bun:"cycle_id"`
	Name          string    `bun:"name"`
	Questionnaire string    `bun:"questionnaire"`
	NominationDue string    `bun:"nomination_due"`
	ResponseDue   string    `bun:"response_due"`
	State         string    `bun:"state"`
	Settings      string    `bun:"settings"`
	NextAlertOn   string    `bun:"next_alert_on,nullzero"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	OpenedAt      time.Time `bun:"opened_at,nullzero"`
	ClosedAt      time.Time `bun:"closed_at,nullzero"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
	Reviewees     int       `bun:"reviewees,scanonly"`
}

func mrRoundRowOf(tenant string, r multirater.Round) mrRoundRow {
	return mrRoundRow{TenantID: tenant, ID: r.ID, CycleID: r.CycleID, Name: r.Name, Questionnaire: jsonText(r.Questionnaire),
		NominationDue: dayText(r.NominationDue), ResponseDue: dayText(r.ResponseDue), State: string(r.State),
		Settings: jsonText(r.Settings), NextAlertOn: dayText(r.NextAlertOn), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

func (row mrRoundRow) record() (multirater.Round, error) {
	r := multirater.Round{ID: row.ID, CycleID: row.CycleID, Name: row.Name, NominationDue: parseDay(row.NominationDue),
		ResponseDue: parseDay(row.ResponseDue), State: multirater.State(row.State), NextAlertOn: parseDay(row.NextAlertOn),
		CreatedBy: row.CreatedBy, CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(), Version: row.Version,
		Reviewees: row.Reviewees}
	if !row.OpenedAt.IsZero() {
		r.OpenedAt = row.OpenedAt.UTC()
	}
	if !row.ClosedAt.IsZero() {
		r.ClosedAt = row.ClosedAt.UTC()
	}
	if err := json.Unmarshal([]byte(row.Questionnaire), &r.Questionnaire); err != nil {
		return multirater.Round{}, fmt.Errorf("storage: decode multirater round %s: %w", row.ID, err)
	}
	if err := json.Unmarshal([]byte(row.Settings), &r.Settings); err != nil {
		return multirater.Round{}, fmt.Errorf("storage: decode multirater round %s: %w", row.ID, err)
	}
	if !r.Settings.UpdatedAt.IsZero() {
		r.Settings.UpdatedAt = r.Settings.UpdatedAt.UTC()
	}
	return r, nil
}

func mrRounds(rows []mrRoundRow) ([]multirater.Round, error) {
	out := make([]multirater.Round, len(rows))
	for i, row := range rows {
		r, err := row.record()
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// roundSelect selects rounds with their reviewee counts.
func (s mrStore) roundSelect(ctx context.Context, rows *[]mrRoundRow) *bun.SelectQuery {
	return s.conn(ctx).NewSelect().Model(rows).ColumnExpr("r.*").
		ColumnExpr("(SELECT COUNT(*) FROM ballast_multirater_reviewees AS v WHERE v.tenant_id = r.tenant_id AND v.round_id = r.id) AS reviewees")
}

func (s mrStore) InsertRound(ctx context.Context, tenant string, r multirater.Round) error {
	row := mrRoundRowOf(tenant, r)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert multirater round", err)
}

func (s mrStore) Round(ctx context.Context, tenant, id string) (multirater.Round, error) {
	var rows []mrRoundRow
	if err := s.roundSelect(ctx, &rows).Where("r.tenant_id = ? AND r.id = ?", tenant, id).Scan(ctx); err != nil {
		return multirater.Round{}, translate("multirater round "+id, err)
	}
	if len(rows) == 0 {
		return multirater.Round{}, translate("multirater round "+id, sql.ErrNoRows)
	}
	return rows[0].record()
}

func (s mrStore) LockRound(ctx context.Context, tenant, id string, mode multirater.Lock) (multirater.Round, error) {
	var row mrRoundRow
	sel := s.conn(ctx).NewSelect().Model(&row).Where("r.tenant_id = ? AND r.id = ?", tenant, id)
	if _, inTx := TxFrom(ctx); inTx && s.db.dialect == Postgres {
		if mode == multirater.LockShare {
			sel = sel.For("SHARE")
		} else {
			sel = sel.For("UPDATE")
		}
	}
	if err := sel.Scan(ctx); err != nil {
		return multirater.Round{}, translate("lock multirater round "+id, err)
	}
	return row.record()
}

func (s mrStore) Rounds(ctx context.Context, tenant, cycleID string) ([]multirater.Round, error) {
	var rows []mrRoundRow
	q := s.roundSelect(ctx, &rows).Where("r.tenant_id = ?", tenant)
	if cycleID != "" {
		q = q.Where("r.cycle_id = ?", cycleID)
	}
	if err := q.OrderExpr("r.id").Scan(ctx); err != nil {
		return nil, translate("multirater rounds", err)
	}
	return mrRounds(rows)
}

func (s mrStore) UpdateRound(ctx context.Context, tenant string, r multirater.Round, expected int64) error {
	row := mrRoundRowOf(tenant, r)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("name", "questionnaire", "nomination_due", "response_due", "state", "settings", "next_alert_on",
			"opened_at", "closed_at", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, r.ID, expected).Exec(ctx)
	return s.checked(ctx, "update multirater round "+r.ID, res, err, "ballast_multirater_rounds", "tenant_id = ? AND id = ?", tenant, r.ID)
}

func (s mrStore) SetRoundAlert(ctx context.Context, tenant, id string, next hr.Date) error {
	_, err := s.conn(ctx).NewUpdate().Table("ballast_multirater_rounds").Set("next_alert_on = ?", nullDay(next)).
		Where("tenant_id = ? AND id = ?", tenant, id).Exec(ctx)
	return translate("set multirater round alert", err)
}

func (s mrStore) DueRounds(ctx context.Context, tenant string, day hr.Date, limit int) ([]multirater.Round, error) {
	var rows []mrRoundRow
	// The claim locks round rows only (no aggregate in a FOR UPDATE query);
	// reviewee counts are not needed by Reconcile.
	sel := s.conn(ctx).NewSelect().Model(&rows).
		Where("r.tenant_id = ? AND r.next_alert_on IS NOT NULL AND r.next_alert_on <= ? AND r.state <> 'closed'", tenant, day.String()).
		OrderExpr("r.next_alert_on, r.id").Limit(int64(limit))
	if err := offStore(s).claim(ctx, sel).Scan(ctx); err != nil {
		return nil, translate("due multirater rounds", err)
	}
	return mrRounds(rows)
}

type mrRevieweeRow struct {
	bun.BaseModel `bun:"table:ballast_multirater_reviewees,alias:v"`
	TenantID      string    `bun:"tenant_id,pk"`
	RoundID       string    `bun:"round_id,pk"`
	EmployeeID    string    `bun:"employee_id,pk"`
	ManagerID     string    `bun:"manager_id"`
	AddedAt       time.Time `bun:"added_at"`
}

func (row mrRevieweeRow) record() multirater.Reviewee {
	return multirater.Reviewee{RoundID: row.RoundID, EmployeeID: row.EmployeeID, ManagerID: row.ManagerID, AddedAt: row.AddedAt.UTC()}
}

func (s mrStore) InsertReviewees(ctx context.Context, tenant string, rs []multirater.Reviewee) error {
	for start := 0; start < len(rs); start += insertBatch {
		batch := rs[start:min(start+insertBatch, len(rs))]
		rows := make([]mrRevieweeRow, len(batch))
		for i, r := range batch {
			rows[i] = mrRevieweeRow{TenantID: tenant, RoundID: r.RoundID, EmployeeID: r.EmployeeID, ManagerID: r.ManagerID, AddedAt: r.AddedAt}
		}
		if _, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert multirater reviewees", err)
		}
	}
	return s.analyzeAfterBulk(ctx, "ballast_multirater_reviewees", len(rs))
}

// analyzeAfterBulk refreshes PostgreSQL's statistics of table after a
// bulk insert of n rows in the current transaction: the foreign-key checks
// of the rows inserted next (assignments referencing these reviewees)
// are planned from them, and with a table still counted as empty they
// would scan it for every row (minutes for 10,000 reviewees instead of
// seconds). ANALYZE may run in a transaction and sees its rows; it holds
// a lock that only other ANALYZE and VACUUM runs of the table wait for.
func (s mrStore) analyzeAfterBulk(ctx context.Context, table string, n int) error {
	if n < analyzeThreshold || s.db.dialect != Postgres {
		return nil
	}
	_, err := s.conn(ctx).ExecContext(ctx, "ANALYZE "+table)
	return translate("analyze "+table, err)
}

// analyzeThreshold is the bulk insert from which analyzeAfterBulk runs.
const analyzeThreshold = 1000

func (s mrStore) Reviewee(ctx context.Context, tenant, roundID, employeeID string) (multirater.Reviewee, error) {
	var row mrRevieweeRow
	err := s.conn(ctx).NewSelect().Model(&row).
		Where("v.tenant_id = ? AND v.round_id = ? AND v.employee_id = ?", tenant, roundID, employeeID).Scan(ctx)
	if err != nil {
		return multirater.Reviewee{}, translate("multirater reviewee "+employeeID, err)
	}
	return row.record(), nil
}

func (s mrStore) Reviewees(ctx context.Context, tenant, roundID, after string, limit int) ([]multirater.Reviewee, error) {
	var rows []mrRevieweeRow
	q := s.conn(ctx).NewSelect().Model(&rows).Where("v.tenant_id = ? AND v.round_id = ?", tenant, roundID)
	if after != "" {
		q = q.Where("v.employee_id > ?", after)
	}
	if limit > 0 {
		q = q.Limit(int64(limit))
	}
	if err := q.OrderExpr("v.employee_id").Scan(ctx); err != nil {
		return nil, translate("multirater reviewees", err)
	}
	out := make([]multirater.Reviewee, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (s mrStore) DirectReports(ctx context.Context, tenant string, managerIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	for start := 0; start < len(managerIDs); start += lookupBatch {
		var rows []struct {
			ManagerID string `bun:"manager_id"`
			ID        string `bun:"id"`
		}
		err := s.conn(ctx).NewSelect().TableExpr("ballast_employees AS e").Column("e.manager_id", "e.id").
			Where("e.tenant_id = ? AND e.status <> 'departed'", tenant).
			Where("e.manager_id IN (?)", bun.In(managerIDs[start:min(start+lookupBatch, len(managerIDs))])).
			OrderExpr("e.manager_id, e.id").Scan(ctx, &rows)
		if err != nil {
			return nil, translate("multirater direct reports", err)
		}
		for _, r := range rows {
			out[r.ManagerID] = append(out[r.ManagerID], r.ID)
		}
	}
	return out, nil
}

type mrAssignmentRow struct {
	bun.BaseModel `bun:"table:ballast_multirater_assignments,alias:a"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	RoundID       string    `bun:"round_id"`
	RevieweeID    string    `bun:"reviewee_id"`
	RaterID       string    `bun:"rater_id"`
	LiveRaterID   string    `bun:"live_rater_id,nullzero"`
	Group         string    `bun:"grp"`
	Status        string    `bun:"status"`
	NominatedBy   string    `bun:"nominated_by"`
	DecidedBy     string    `bun:"decided_by"`
	DecidedAt     time.Time `bun:"decided_at,nullzero"`
	Reason        string    `bun:"reason"`
	DraftSavedAt  time.Time `bun:"draft_saved_at,nullzero"`
	SubmittedAt   time.Time `bun:"submitted_at,nullzero"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func mrAssignmentRowOf(tenant string, a multirater.Assignment) mrAssignmentRow {
	live := a.RaterID
	if a.Status == multirater.StatusRejected {
		live = ""
	}
	return mrAssignmentRow{TenantID: tenant, ID: a.ID, RoundID: a.RoundID, RevieweeID: a.RevieweeID, RaterID: a.RaterID, LiveRaterID: live,
		Group: string(a.Group), Status: string(a.Status), NominatedBy: a.NominatedBy, DecidedBy: a.DecidedBy,
		DecidedAt: a.DecidedAt, Reason: a.Reason, DraftSavedAt: a.DraftSavedAt, SubmittedAt: a.SubmittedAt,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

func (row mrAssignmentRow) record() multirater.Assignment {
	return multirater.Assignment{ID: row.ID, RoundID: row.RoundID, RevieweeID: row.RevieweeID, RaterID: row.RaterID,
		Group: multirater.Group(row.Group), Status: multirater.Status(row.Status), NominatedBy: row.NominatedBy,
		DecidedBy: row.DecidedBy, DecidedAt: utcOrZero(row.DecidedAt), Reason: row.Reason,
		DraftSavedAt: utcOrZero(row.DraftSavedAt), SubmittedAt: utcOrZero(row.SubmittedAt),
		CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(), Version: row.Version}
}

func (s mrStore) InsertAssignments(ctx context.Context, tenant string, as []multirater.Assignment) error {
	for start := 0; start < len(as); start += insertBatch {
		batch := as[start:min(start+insertBatch, len(as))]
		rows := make([]mrAssignmentRow, len(batch))
		for i, a := range batch {
			rows[i] = mrAssignmentRowOf(tenant, a)
		}
		if _, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert multirater assignments", err)
		}
	}
	return nil
}

func (s mrStore) Assignment(ctx context.Context, tenant, id string) (multirater.Assignment, error) {
	var row mrAssignmentRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("a.tenant_id = ? AND a.id = ?", tenant, id).Scan(ctx); err != nil {
		return multirater.Assignment{}, translate("multirater assignment "+id, err)
	}
	return row.record(), nil
}

func (s mrStore) UpdateAssignment(ctx context.Context, tenant string, a multirater.Assignment, expected int64) error {
	row := mrAssignmentRowOf(tenant, a)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("status", "live_rater_id", "decided_by", "decided_at", "reason", "draft_saved_at", "submitted_at", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, a.ID, expected).Exec(ctx)
	return s.checked(ctx, "update multirater assignment "+a.ID, res, err, "ballast_multirater_assignments", "tenant_id = ? AND id = ?", tenant, a.ID)
}

func (s mrStore) Assignments(ctx context.Context, tenant string, q multirater.AssignmentQuery) ([]multirater.Assignment, error) {
	var rows []mrAssignmentRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("a.tenant_id = ?", tenant)
	if q.RoundID != "" {
		sel = sel.Where("a.round_id = ?", q.RoundID)
	}
	if q.RevieweeID != "" {
		sel = sel.Where("a.reviewee_id = ?", q.RevieweeID)
	}
	if q.RaterID != "" {
		sel = sel.Where("a.rater_id = ?", q.RaterID)
	}
	if q.Status != "" {
		sel = sel.Where("a.status = ?", q.Status)
	}
	if q.ManagerID != "" {
		sel = sel.Where(`EXISTS (SELECT 1 FROM ballast_multirater_reviewees AS v WHERE v.tenant_id = a.tenant_id
			AND v.round_id = a.round_id AND v.employee_id = a.reviewee_id AND v.manager_id = ?)`, q.ManagerID)
	}
	if q.After != "" {
		sel = sel.Where("a.id > ?", q.After)
	}
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.OrderExpr("a.id").Scan(ctx); err != nil {
		return nil, translate("multirater assignments", err)
	}
	out := make([]multirater.Assignment, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

func (s mrStore) RaterLoads(ctx context.Context, tenant, roundID string, raterIDs []string) (map[string]int, error) {
	out := map[string]int{}
	for start := 0; start < len(raterIDs); start += lookupBatch {
		var rows []struct {
			RaterID string `bun:"rater_id"`
			N       int    `bun:"n"`
		}
		err := s.conn(ctx).NewSelect().TableExpr("ballast_multirater_assignments AS a").
			ColumnExpr("a.rater_id, COUNT(*) AS n").
			Where("a.tenant_id = ? AND a.round_id = ? AND a.grp <> 'self' AND a.status <> 'rejected'", tenant, roundID).
			Where("a.rater_id IN (?)", bun.In(raterIDs[start:min(start+lookupBatch, len(raterIDs))])).
			GroupExpr("a.rater_id").Scan(ctx, &rows)
		if err != nil {
			return nil, translate("multirater rater loads", err)
		}
		for _, r := range rows {
			out[r.RaterID] = r.N
		}
	}
	return out, nil
}

func (s mrStore) CountAssignments(ctx context.Context, tenant, roundID string) ([]multirater.GroupCount, error) {
	var rows []struct {
		Group  string `bun:"grp"`
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := s.conn(ctx).NewSelect().TableExpr("ballast_multirater_assignments AS a").
		ColumnExpr("a.grp, a.status, COUNT(*) AS n").
		Where("a.tenant_id = ? AND a.round_id = ?", tenant, roundID).
		GroupExpr("a.grp, a.status").OrderExpr("a.grp, a.status").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("multirater count assignments", err)
	}
	out := make([]multirater.GroupCount, len(rows))
	for i, r := range rows {
		out[i] = multirater.GroupCount{Group: multirater.Group(r.Group), Status: multirater.Status(r.Status), N: r.N}
	}
	return out, nil
}

func (s mrStore) OpenRaters(ctx context.Context, tenant, roundID, after string, limit int) ([]string, error) {
	var ids []string
	err := s.conn(ctx).NewSelect().TableExpr("ballast_multirater_assignments AS a").ColumnExpr("DISTINCT a.rater_id").
		Where("a.tenant_id = ? AND a.round_id = ? AND a.status = 'open' AND a.rater_id > ?", tenant, roundID, after).
		OrderExpr("a.rater_id").Limit(int64(limit)).Scan(ctx, &ids)
	if err != nil {
		return nil, translate("multirater open raters", err)
	}
	return ids, nil
}

func (s mrStore) PendingApprovers(ctx context.Context, tenant, roundID, after string, limit int) ([]string, error) {
	var ids []string
	err := s.conn(ctx).NewSelect().TableExpr("ballast_multirater_assignments AS a").
		Join("JOIN ballast_multirater_reviewees AS v ON v.tenant_id = a.tenant_id AND v.round_id = a.round_id AND v.employee_id = a.reviewee_id").
		ColumnExpr("DISTINCT v.manager_id").
		Where("a.tenant_id = ? AND a.round_id = ? AND a.status = 'pending' AND v.manager_id > ?", tenant, roundID, after).
		OrderExpr("v.manager_id").Limit(int64(limit)).Scan(ctx, &ids)
	if err != nil {
		return nil, translate("multirater pending approvers", err)
	}
	return ids, nil
}
