package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/hr"
)

type asmParticipantRow struct {
	bun.BaseModel      `bun:"table:ballast_assessment_participants,alias:p"`
	TenantID           string    `bun:"tenant_id,pk"`
	ID                 string    `bun:"id,pk"`
	CycleID            string    `bun:"cycle_id"`
	EmployeeID         string    `bun:"employee_id"`
	EmployeeNumber     string    `bun:"employee_number"`
	EmployeeName       string    `bun:"employee_name"`
	DepartmentID       string    `bun:"department_id"`
	PositionLevel      int       `bun:"position_level"`
	ManagerID          string    `bun:"manager_id"`
	Status             string    `bun:"status"`
	SelfDue            string    `bun:"self_due,nullzero"`
	SelfSubmittedAt    time.Time `bun:"self_submitted_at,nullzero"`
	ManagerSubmittedAt time.Time `bun:"manager_submitted_at,nullzero"`
	Calibration        string    `bun:"calibration"`
	// Result comes from ballast_assessment_results (see selectParticipants).
	Result      string    `bun:"result,scanonly"`
	NextAlertOn string    `bun:"next_alert_on,nullzero"`
	UpdatedAt   time.Time `bun:"updated_at"`
	Version     int64     `bun:"version"`
}

func asmParticipantRowOf(tenant string, p assessment.Participant) asmParticipantRow {
	row := asmParticipantRow{TenantID: tenant, ID: p.ID, CycleID: p.CycleID, EmployeeID: p.EmployeeID,
		EmployeeNumber: p.EmployeeNumber, EmployeeName: p.EmployeeName, DepartmentID: p.DepartmentID,
		PositionLevel: p.PositionLevel, ManagerID: p.ManagerID, Status: string(p.Status), SelfDue: dayText(p.SelfDue),
		SelfSubmittedAt: p.SelfSubmittedAt, ManagerSubmittedAt: p.ManagerSubmittedAt,
		NextAlertOn: dayText(p.NextAlertOn), UpdatedAt: p.UpdatedAt, Version: p.Version}
	if p.Calibration != nil {
		row.Calibration = jsonText(p.Calibration)
	}
	return row
}

func (r asmParticipantRow) record() (assessment.Participant, error) {
	p := assessment.Participant{ID: r.ID, CycleID: r.CycleID, EmployeeID: r.EmployeeID, EmployeeNumber: r.EmployeeNumber,
		EmployeeName: r.EmployeeName, DepartmentID: r.DepartmentID, PositionLevel: r.PositionLevel, ManagerID: r.ManagerID,
		Status: assessment.ParticipantStatus(r.Status), SelfDue: parseDay(r.SelfDue),
		SelfSubmittedAt: utcOrZero(r.SelfSubmittedAt), ManagerSubmittedAt: utcOrZero(r.ManagerSubmittedAt),
		NextAlertOn: parseDay(r.NextAlertOn), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if r.Calibration != "" {
		p.Calibration = new(assessment.Calibration)
		if err := decodeJSON("participant calibration "+r.ID, r.Calibration, p.Calibration); err != nil {
			return p, err
		}
	}
	if r.Result != "" {
		var c compactResult
		if err := decodeJSON("participant result "+r.ID, r.Result, &c); err != nil {
			return p, err
		}
		res := c.result()
		p.Result = &res
	}
	return p, nil
}

func asmParticipants(rows []asmParticipantRow) ([]assessment.Participant, error) {
	out := make([]assessment.Participant, len(rows))
	for i, r := range rows {
		p, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// participantBatch keeps a multi-row statement of participants under
// PostgreSQL's 65,535 parameters (20 columns a row).
const participantBatch = 1000

func (s asmStore) InsertParticipants(ctx context.Context, tenant string, ps []assessment.Participant) error {
	for start := 0; start < len(ps); start += participantBatch {
		end := min(start+participantBatch, len(ps))
		rows := make([]asmParticipantRow, 0, end-start)
		for _, p := range ps[start:end] {
			rows = append(rows, asmParticipantRowOf(tenant, p))
		}
		if _, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert assessment participants", err)
		}
	}
	return nil
}

// selectParticipants selects participants with their results.
func (s asmStore) selectParticipants(ctx context.Context, model any) *bun.SelectQuery {
	return s.conn(ctx).NewSelect().Model(model).ColumnExpr("p.*").ColumnExpr("r.result").
		Join("LEFT JOIN ballast_assessment_results AS r ON r.tenant_id = p.tenant_id AND r.participant_id = p.id")
}

func (s asmStore) Participant(ctx context.Context, tenant, id string) (assessment.Participant, error) {
	var row asmParticipantRow
	if err := s.selectParticipants(ctx, &row).Where("p.tenant_id = ? AND p.id = ?", tenant, id).Scan(ctx); err != nil {
		return assessment.Participant{}, translate("assessment participant "+id, err)
	}
	return row.record()
}

func (s asmStore) ListParticipants(ctx context.Context, tenant string, q assessment.ParticipantQuery) ([]assessment.Participant, error) {
	var rows []asmParticipantRow
	sel := s.selectParticipants(ctx, &rows).Where("p.tenant_id = ?", tenant)
	for _, x := range []struct{ col, v string }{{"p.cycle_id", q.CycleID}, {"p.department_id", q.DepartmentID},
		{"p.employee_id", q.EmployeeID}, {"p.manager_id", q.ManagerID}, {"p.status", string(q.Status)}} {
		if x.v != "" {
			sel = sel.Where("? = ?", bun.Ident(x.col), x.v)
		}
	}
	if q.After != "" {
		sel = sel.Where("p.id > ?", q.After)
	}
	sel = sel.OrderExpr("p.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if _, inTx := TxFrom(ctx); q.Lock && inTx && s.db.dialect == Postgres {
		sel = sel.For("UPDATE OF p")
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list assessment participants", err)
	}
	return asmParticipants(rows)
}

func (s asmStore) UpdateParticipant(ctx context.Context, tenant string, p assessment.Participant, expected int64) error {
	row := asmParticipantRowOf(tenant, p)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("manager_id", "status", "self_due", "self_submitted_at", "manager_submitted_at", "calibration",
			"next_alert_on", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, p.ID, expected).Exec(ctx)
	if err := s.checked(ctx, "update assessment participant "+p.ID, res, err, "ballast_assessment_participants", "tenant_id = ? AND id = ?", tenant, p.ID); err != nil {
		return err
	}
	if p.Result == nil {
		_, err := s.conn(ctx).NewDelete().Model((*asmResultRow)(nil)).
			Where("tenant_id = ? AND participant_id = ?", tenant, p.ID).Exec(ctx)
		return translate("clear assessment result "+p.ID, err)
	}
	return s.putResultRows(ctx, []asmResultRow{asmResultRowOf(tenant, p)})
}

// asmResultRow is a participant's result.
type asmResultRow struct {
	bun.BaseModel `bun:"table:ballast_assessment_results,alias:r"`
	TenantID      string  `bun:"tenant_id,pk"`
	ParticipantID string  `bun:"participant_id,pk"`
	CycleID       string  `bun:"cycle_id"`
	Score         float64 `bun:"score"`
	Grade         string  `bun:"grade"`
	Result        string  `bun:"result"`
}

func asmResultRowOf(tenant string, p assessment.Participant) asmResultRow {
	return asmResultRow{TenantID: tenant, ParticipantID: p.ID, CycleID: p.CycleID, Score: p.Result.Score,
		Grade: p.Result.Grade, Result: jsonText(compactResultOf(*p.Result))}
}

// putResultRows inserts or replaces results in one statement.
func (s asmStore) putResultRows(ctx context.Context, rows []asmResultRow) error {
	_, err := s.conn(ctx).NewInsert().Model(&rows).
		On("CONFLICT (tenant_id, participant_id) DO UPDATE").
		Set("score = EXCLUDED.score, grade = EXCLUDED.grade, result = EXCLUDED.result").
		Exec(ctx)
	return translate("put assessment results", err)
}

func (s asmStore) PutResults(ctx context.Context, tenant string, ps []assessment.Participant, at time.Time) error {
	for start := 0; start < len(ps); start += participantBatch {
		end := min(start+participantBatch, len(ps))
		rows := make([]asmResultRow, 0, end-start)
		ids := make([]string, 0, end-start)
		for _, p := range ps[start:end] {
			if p.Result != nil {
				rows = append(rows, asmResultRowOf(tenant, p))
			}
			ids = append(ids, p.ID)
		}
		if len(rows) > 0 {
			// A plain insert: a cycle is finalised once.
			if _, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
				return translate("insert assessment results", err)
			}
		}
		_, err := s.conn(ctx).NewUpdate().Table("ballast_assessment_participants").
			Set("status = ?, next_alert_on = NULL, updated_at = ?, version = version + 1", assessment.StatusFinalised, at).
			Where("tenant_id = ? AND id IN (?)", tenant, bun.In(ids)).Exec(ctx)
		if err != nil {
			return translate("finalise assessment participants", err)
		}
	}
	return nil
}

func (s asmStore) SetCycleAlerts(ctx context.Context, tenant, cycleID string, next hr.Date, statuses []assessment.ParticipantStatus) error {
	var v any
	if !next.IsZero() {
		v = next.String()
	}
	if len(statuses) > 0 {
		_, err := s.conn(ctx).NewUpdate().Table("ballast_assessment_participants").Set("next_alert_on = ?", v).
			Where("tenant_id = ? AND cycle_id = ? AND status IN (?)", tenant, cycleID, bun.In(statuses)).Exec(ctx)
		if err != nil {
			return translate("set assessment alerts", err)
		}
	}
	q := s.conn(ctx).NewUpdate().Table("ballast_assessment_participants").Set("next_alert_on = NULL").
		Where("tenant_id = ? AND cycle_id = ? AND next_alert_on IS NOT NULL", tenant, cycleID)
	if len(statuses) > 0 {
		q = q.Where("status NOT IN (?)", bun.In(statuses))
	}
	_, err := q.Exec(ctx)
	return translate("clear assessment alerts", err)
}

func (s asmStore) SetAlerts(ctx context.Context, tenant string, ids []string, next hr.Date) error {
	if len(ids) == 0 {
		return nil
	}
	var v any
	if !next.IsZero() {
		v = next.String()
	}
	_, err := s.conn(ctx).NewUpdate().Table("ballast_assessment_participants").Set("next_alert_on = ?", v).
		Where("tenant_id = ? AND id IN (?)", tenant, bun.In(ids)).Exec(ctx)
	return translate("set assessment participant alerts", err)
}

func (s asmStore) DueParticipants(ctx context.Context, tenant string, day hr.Date, limit int) ([]assessment.Participant, error) {
	var rows []asmParticipantRow
	// Reconcile needs no results: the rows alone, so FOR UPDATE locks
	// participants only.
	sel := s.conn(ctx).NewSelect().Model(&rows).ColumnExpr("p.*").
		Where("p.tenant_id = ? AND p.next_alert_on IS NOT NULL AND p.next_alert_on <= ?", tenant, day.String()).
		OrderExpr("p.next_alert_on, p.id").Limit(int64(limit))
	if err := offStore(s).claim(ctx, sel).Scan(ctx); err != nil {
		return nil, translate("due assessment participants", err)
	}
	return asmParticipants(rows)
}

func (s asmStore) CountParticipants(ctx context.Context, tenant, cycleID string) ([]assessment.StatusCount, error) {
	var rows []struct {
		DepartmentID string `bun:"department_id"`
		Status       string `bun:"status"`
		Count        int    `bun:"n"`
	}
	err := s.conn(ctx).NewSelect().TableExpr("ballast_assessment_participants AS p").
		ColumnExpr("p.department_id, p.status, COUNT(*) AS n").
		Where("p.tenant_id = ? AND p.cycle_id = ?", tenant, cycleID).
		GroupExpr("p.department_id, p.status").OrderExpr("p.department_id, p.status").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("count assessment participants", err)
	}
	out := make([]assessment.StatusCount, len(rows))
	for i, r := range rows {
		out[i] = assessment.StatusCount{DepartmentID: r.DepartmentID, Status: assessment.ParticipantStatus(r.Status), Count: r.Count}
	}
	return out, nil
}

type asmEntryRow struct {
	bun.BaseModel `bun:"table:ballast_assessment_entries,alias:e"`
	TenantID      string    `bun:"tenant_id,pk"`
	ParticipantID string    `bun:"participant_id,pk"`
	Side          string    `bun:"side,pk"`
	IndicatorID   string    `bun:"indicator_id,pk"`
	CycleID       string    `bun:"cycle_id"`
	Score         *float64  `bun:"score"`
	Comment       string    `bun:"comment"`
	Actual        *float64  `bun:"actual"`
	Evidence      string    `bun:"evidence"`
	UpdatedBy     string    `bun:"updated_by"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func asmEntryRowOf(tenant string, e assessment.Entry) asmEntryRow {
	return asmEntryRow{TenantID: tenant, ParticipantID: e.ParticipantID, Side: string(e.Side), IndicatorID: e.IndicatorID,
		CycleID: e.CycleID, Score: e.Score, Comment: e.Comment, Actual: e.Actual, Evidence: jsonText(nonNilSlice(e.Evidence)),
		UpdatedBy: e.UpdatedBy, UpdatedAt: e.UpdatedAt}
}

func (r asmEntryRow) record() (assessment.Entry, error) {
	e := assessment.Entry{ParticipantID: r.ParticipantID, CycleID: r.CycleID, IndicatorID: r.IndicatorID,
		Side: assessment.Side(r.Side), Score: r.Score, Comment: r.Comment, Actual: r.Actual, UpdatedBy: r.UpdatedBy,
		UpdatedAt: r.UpdatedAt.UTC()}
	if r.Evidence == "[]" || r.Evidence == "" { // most entries: no JSON to decode
		return e, nil
	}
	if err := decodeJSON("assessment entry evidence", r.Evidence, &e.Evidence); err != nil {
		return e, err
	}
	if len(e.Evidence) == 0 {
		e.Evidence = nil
	}
	return e, nil
}

// entryBatch keeps a multi-row statement of entries under the parameter
// limits (11 columns a row).
const entryBatch = 2000

func (s asmStore) putEntries(ctx context.Context, tenant string, es []assessment.Entry, op string, set ...string) error {
	for start := 0; start < len(es); start += entryBatch {
		end := min(start+entryBatch, len(es))
		rows := make([]asmEntryRow, 0, end-start)
		for _, e := range es[start:end] {
			rows = append(rows, asmEntryRowOf(tenant, e))
		}
		q := s.conn(ctx).NewInsert().Model(&rows).On("CONFLICT (tenant_id, participant_id, side, indicator_id) DO UPDATE")
		for _, c := range set {
			q = q.Set(c + " = EXCLUDED." + c)
		}
		if _, err := q.Exec(ctx); err != nil {
			return translate(op, err)
		}
	}
	return nil
}

func (s asmStore) PutEntries(ctx context.Context, tenant string, es []assessment.Entry) error {
	return s.putEntries(ctx, tenant, es, "put assessment entries", "score", "comment", "actual", "evidence", "updated_by", "updated_at")
}

func (s asmStore) SetActuals(ctx context.Context, tenant string, es []assessment.Entry) error {
	return s.putEntries(ctx, tenant, es, "set assessment actuals", "actual", "updated_by", "updated_at")
}

func asmEntries(rows []asmEntryRow) ([]assessment.Entry, error) {
	out := make([]assessment.Entry, len(rows))
	for i, r := range rows {
		e, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func (s asmStore) Entries(ctx context.Context, tenant, participantID string, side assessment.Side) ([]assessment.Entry, error) {
	var rows []asmEntryRow
	err := s.conn(ctx).NewSelect().Model(&rows).
		Where("e.tenant_id = ? AND e.participant_id = ? AND e.side = ?", tenant, participantID, side).
		OrderExpr("e.indicator_id").Scan(ctx)
	if err != nil {
		return nil, translate("assessment entries", err)
	}
	return asmEntries(rows)
}

func (s asmStore) CycleEntries(ctx context.Context, tenant, cycleID string, side assessment.Side) ([]assessment.Entry, error) {
	// Only what a result needs: 120,000 rows for a large cycle.
	var rows []struct {
		ParticipantID string   `bun:"participant_id"`
		IndicatorID   string   `bun:"indicator_id"`
		Score         *float64 `bun:"score"`
		Actual        *float64 `bun:"actual"`
		Comment       string   `bun:"comment"`
	}
	err := s.conn(ctx).NewSelect().TableExpr("ballast_assessment_entries AS e").
		Column("e.participant_id", "e.indicator_id", "e.score", "e.actual", "e.comment").
		Where("e.tenant_id = ? AND e.cycle_id = ? AND e.side = ?", tenant, cycleID, side).
		OrderExpr("e.participant_id, e.indicator_id").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("assessment cycle entries", err)
	}
	out := make([]assessment.Entry, len(rows))
	for i, r := range rows {
		out[i] = assessment.Entry{ParticipantID: r.ParticipantID, CycleID: cycleID, IndicatorID: r.IndicatorID, Side: side,
			Score: r.Score, Actual: r.Actual, Comment: r.Comment}
	}
	return out, nil
}

type asmAdjustmentRow struct {
	bun.BaseModel `bun:"table:ballast_assessment_adjustments,alias:a"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	ParticipantID string    `bun:"participant_id"`
	CycleID       string    `bun:"cycle_id"`
	IndicatorID   string    `bun:"indicator_id"`
	Before        float64   `bun:"before_score"`
	After         float64   `bun:"after_score"`
	ResultBefore  float64   `bun:"result_before"`
	ResultAfter   float64   `bun:"result_after"`
	GradeBefore   string    `bun:"grade_before"`
	GradeAfter    string    `bun:"grade_after"`
	Reason        string    `bun:"reason"`
	AppealID      string    `bun:"appeal_id"`
	By            string    `bun:"adjusted_by"`
	At            time.Time `bun:"adjusted_at"`
}

func (s asmStore) InsertAdjustment(ctx context.Context, tenant string, a assessment.Adjustment) error {
	row := asmAdjustmentRow{TenantID: tenant, ID: a.ID, ParticipantID: a.ParticipantID, CycleID: a.CycleID,
		IndicatorID: a.IndicatorID, Before: a.Before, After: a.After, ResultBefore: a.ScoreBefore, ResultAfter: a.ScoreAfter,
		GradeBefore: a.GradeBefore, GradeAfter: a.GradeAfter, Reason: a.Reason, AppealID: a.AppealID, By: a.By, At: a.At}
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert assessment adjustment", err)
}

func (s asmStore) Adjustments(ctx context.Context, tenant, participantID string) ([]assessment.Adjustment, error) {
	var rows []asmAdjustmentRow
	err := s.conn(ctx).NewSelect().Model(&rows).Where("a.tenant_id = ? AND a.participant_id = ?", tenant, participantID).
		OrderExpr("a.adjusted_at, a.id").Scan(ctx)
	if err != nil {
		return nil, translate("assessment adjustments", err)
	}
	out := make([]assessment.Adjustment, len(rows))
	for i, r := range rows {
		out[i] = assessment.Adjustment{ID: r.ID, ParticipantID: r.ParticipantID, CycleID: r.CycleID, IndicatorID: r.IndicatorID,
			Before: r.Before, After: r.After, ScoreBefore: r.ResultBefore, ScoreAfter: r.ResultAfter,
			GradeBefore: r.GradeBefore, GradeAfter: r.GradeAfter, Reason: r.Reason, AppealID: r.AppealID, By: r.By, At: r.At.UTC()}
	}
	return out, nil
}

// compactResult is how a participant's result is stored: short keys keep
// a twelve-indicator result under PostgreSQL's 2 kB TOAST threshold, so
// finalising 10,000 participants writes the rows in place.
type compactResult struct {
	Computed    float64       `json:"c"`
	Score       float64       `json:"s"`
	Grade       string        `json:"g"`
	Items       []compactItem `json:"i"`
	Strengths   []string      `json:"st"`
	Gaps        []string      `json:"ga"`
	Missing     []string      `json:"mi,omitempty"`
	FinalisedAt time.Time     `json:"at"`
}

type compactItem struct {
	IndicatorID string   `json:"i"`
	Code        string   `json:"c"`
	Name        string   `json:"n,omitempty"`
	Category    string   `json:"g,omitempty"`
	Kind        string   `json:"k,omitempty"`
	Weight      float64  `json:"w"`
	Score       float64  `json:"s"`
	Actual      *float64 `json:"a,omitempty"`
	Comment     string   `json:"m,omitempty"`
	Adjusted    bool     `json:"j,omitempty"`
}

func compactResultOf(r assessment.Result) compactResult {
	c := compactResult{Computed: r.Computed, Score: r.Score, Grade: r.Grade, Items: make([]compactItem, len(r.Items)),
		Strengths: nonNilSlice(r.Strengths), Gaps: nonNilSlice(r.Gaps), Missing: r.Missing, FinalisedAt: r.FinalisedAt}
	for i, it := range r.Items {
		c.Items[i] = compactItem{IndicatorID: it.IndicatorID, Code: it.Code, Name: it.Name, Category: it.Category,
			Kind: string(it.Kind), Weight: it.Weight, Score: it.Score, Actual: it.Actual, Comment: it.Comment, Adjusted: it.Adjusted}
	}
	return c
}

func (c compactResult) result() assessment.Result {
	r := assessment.Result{Computed: c.Computed, Score: c.Score, Grade: c.Grade, Items: make([]assessment.ItemScore, len(c.Items)),
		Strengths: nonNilSlice(c.Strengths), Gaps: nonNilSlice(c.Gaps), Missing: c.Missing, FinalisedAt: c.FinalisedAt.UTC()}
	for i, it := range c.Items {
		r.Items[i] = assessment.ItemScore{IndicatorID: it.IndicatorID, Code: it.Code, Name: it.Name, Category: it.Category,
			Kind: assessment.IndicatorKind(it.Kind), Weight: it.Weight, Score: it.Score, Actual: it.Actual, Comment: it.Comment,
			Adjusted: it.Adjusted}
	}
	return r
}
