package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/assessment"
)

// Assessment returns the store of the assessment package, on this
// database.
func (db *DB) Assessment() assessment.Store { return asmStore{db: db} }

// asmStore implements assessment.Store. Every query names tenant_id and
// runs on db.Conn(ctx), so it joins the use case's transaction.
type asmStore struct{ db *DB }

func (s asmStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

func (s asmStore) checked(ctx context.Context, op string, res interface{ RowsAffected() (int64, error) }, err error, table, where string, args ...any) error {
	return hrStore(s).checkUpdated(ctx, op, res, err, table, where, args...)
}

// decodeJSON decodes raw into to unless raw is empty.
func decodeJSON(what, raw string, to any) error {
	if raw == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(raw), to); err != nil {
		return fmt.Errorf("storage: decode %s: %w", what, err)
	}
	return nil
}

type asmIndicatorRow struct {
	bun.BaseModel `bun:"table:ballast_assessment_indicators,alias:i"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Code          string    `bun:"code"`
	Name          string    `bun:"name"`
	Description   string    `bun:"description"`
	Kind          string    `bun:"kind"`
	Unit          string    `bun:"unit"`
	Target        float64   `bun:"target"`
	Direction     string    `bun:"direction"`
	Mapping       string    `bun:"mapping"`
	Scale         string    `bun:"scale"`
	Dimension     string    `bun:"dimension"`
	Archived      bool      `bun:"archived"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func asmIndicatorRowOf(tenant string, ind assessment.Indicator) asmIndicatorRow {
	scale := ""
	if ind.Scale != nil {
		scale = jsonText(ind.Scale)
	}
	return asmIndicatorRow{TenantID: tenant, ID: ind.ID, Code: ind.Code, Name: ind.Name, Description: ind.Description,
		Kind: string(ind.Kind), Unit: ind.Unit, Target: ind.Target, Direction: string(ind.Direction),
		Mapping: jsonText(ind.Mapping), Scale: scale, Dimension: ind.Dimension, Archived: ind.Archived,
		CreatedAt: ind.CreatedAt, UpdatedAt: ind.UpdatedAt, Version: ind.Version}
}

func (r asmIndicatorRow) record() (assessment.Indicator, error) {
	ind := assessment.Indicator{ID: r.ID, Code: r.Code, Name: r.Name, Description: r.Description,
		Kind: assessment.IndicatorKind(r.Kind), Unit: r.Unit, Target: r.Target, Direction: assessment.Direction(r.Direction),
		Dimension: r.Dimension, Archived: r.Archived, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if err := decodeJSON("indicator mapping", r.Mapping, &ind.Mapping); err != nil {
		return ind, err
	}
	if r.Scale != "" {
		ind.Scale = new(assessment.RatingScale)
		if err := decodeJSON("indicator scale", r.Scale, ind.Scale); err != nil {
			return ind, err
		}
	}
	return ind, nil
}

func asmIndicators(rows []asmIndicatorRow) ([]assessment.Indicator, error) {
	out := make([]assessment.Indicator, len(rows))
	for i, r := range rows {
		ind, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = ind
	}
	return out, nil
}

func (s asmStore) InsertIndicator(ctx context.Context, tenant string, ind assessment.Indicator) error {
	row := asmIndicatorRowOf(tenant, ind)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert assessment indicator", err)
}

func (s asmStore) Indicator(ctx context.Context, tenant, id string) (assessment.Indicator, error) {
	var row asmIndicatorRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("i.tenant_id = ? AND i.id = ?", tenant, id).Scan(ctx); err != nil {
		return assessment.Indicator{}, translate("assessment indicator "+id, err)
	}
	return row.record()
}

func (s asmStore) IndicatorsByID(ctx context.Context, tenant string, ids []string) ([]assessment.Indicator, error) {
	if len(ids) == 0 {
		return []assessment.Indicator{}, nil
	}
	var rows []asmIndicatorRow
	if err := s.conn(ctx).NewSelect().Model(&rows).Where("i.tenant_id = ? AND i.id IN (?)", tenant, bun.In(ids)).Scan(ctx); err != nil {
		return nil, translate("assessment indicators by id", err)
	}
	return asmIndicators(rows)
}

func (s asmStore) UpdateIndicator(ctx context.Context, tenant string, ind assessment.Indicator, expected int64) error {
	row := asmIndicatorRowOf(tenant, ind)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("code", "name", "description", "kind", "unit", "target", "direction", "mapping", "scale", "dimension",
			"archived", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, ind.ID, expected).Exec(ctx)
	return s.checked(ctx, "update assessment indicator "+ind.ID, res, err, "ballast_assessment_indicators", "tenant_id = ? AND id = ?", tenant, ind.ID)
}

func (s asmStore) ListIndicators(ctx context.Context, tenant string, q assessment.IndicatorQuery) ([]assessment.Indicator, error) {
	var rows []asmIndicatorRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("i.tenant_id = ?", tenant)
	if !q.IncludeArchived {
		sel = sel.Where("i.archived = ?", false)
	}
	if q.Kind != "" {
		sel = sel.Where("i.kind = ?", q.Kind)
	}
	if err := sel.OrderExpr("i.code").Scan(ctx); err != nil {
		return nil, translate("list assessment indicators", err)
	}
	return asmIndicators(rows)
}

type asmTemplateRow struct {
	bun.BaseModel `bun:"table:ballast_assessment_templates,alias:t"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Version       int       `bun:"version,pk"`
	Name          string    `bun:"name"`
	Status        string    `bun:"status"`
	Body          string    `bun:"body"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	PublishedAt   time.Time `bun:"published_at,nullzero"`
}

// asmTemplateBody is the JSON body of a template version.
type asmTemplateBody struct {
	Description string                `json:"description,omitempty"`
	Categories  []assessment.Category `json:"categories"`
	Overrides   []assessment.Override `json:"overrides,omitempty"`
}

func asmTemplateRowOf(tenant string, t assessment.Template) asmTemplateRow {
	return asmTemplateRow{TenantID: tenant, ID: t.ID, Version: t.Version, Name: t.Name, Status: string(t.Status),
		Body:      jsonText(asmTemplateBody{Description: t.Description, Categories: t.Categories, Overrides: t.Overrides}),
		CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, PublishedAt: t.PublishedAt}
}

func (r asmTemplateRow) record() (assessment.Template, error) {
	var b asmTemplateBody
	if err := decodeJSON("assessment template "+r.ID, r.Body, &b); err != nil {
		return assessment.Template{}, err
	}
	t := assessment.Template{ID: r.ID, Version: r.Version, Name: r.Name, Description: b.Description,
		Status: assessment.TemplateStatus(r.Status), Categories: b.Categories, Overrides: b.Overrides,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if !r.PublishedAt.IsZero() {
		t.PublishedAt = r.PublishedAt.UTC()
	}
	return t, nil
}

func (s asmStore) InsertTemplate(ctx context.Context, tenant string, t assessment.Template) error {
	row := asmTemplateRowOf(tenant, t)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert assessment template", err)
}

func (s asmStore) UpdateDraft(ctx context.Context, tenant string, t assessment.Template) error {
	row := asmTemplateRowOf(tenant, t)
	res, err := s.conn(ctx).NewUpdate().Model(&row).Column("name", "status", "body", "updated_at", "published_at").
		Where("tenant_id = ? AND id = ? AND version = ? AND status = 'draft'", tenant, t.ID, t.Version).Exec(ctx)
	return s.checked(ctx, fmt.Sprintf("update assessment template %s version %d", t.ID, t.Version), res, err,
		"ballast_assessment_templates", "tenant_id = ? AND id = ? AND version = ?", tenant, t.ID, t.Version)
}

func (s asmStore) Template(ctx context.Context, tenant, id string, version int) (assessment.Template, error) {
	var row asmTemplateRow
	sel := s.conn(ctx).NewSelect().Model(&row).Where("t.tenant_id = ? AND t.id = ?", tenant, id)
	if version > 0 {
		sel = sel.Where("t.version = ?", version)
	} else {
		sel = sel.OrderExpr("t.version DESC").Limit(1)
	}
	if err := sel.Scan(ctx); err != nil {
		return assessment.Template{}, translate("assessment template "+id, err)
	}
	return row.record()
}

func (s asmStore) LatestPublished(ctx context.Context, tenant, id string) (assessment.Template, error) {
	var row asmTemplateRow
	err := s.conn(ctx).NewSelect().Model(&row).Where("t.tenant_id = ? AND t.id = ? AND t.status = 'published'", tenant, id).
		OrderExpr("t.version DESC").Limit(1).Scan(ctx)
	if err != nil {
		return assessment.Template{}, translate("published assessment template "+id, err)
	}
	return row.record()
}

func (s asmStore) ListTemplates(ctx context.Context, tenant string) ([]assessment.Template, error) {
	var rows []asmTemplateRow
	err := s.conn(ctx).NewSelect().Model(&rows).
		Where("t.tenant_id = ? AND t.version = (SELECT MAX(l.version) FROM ballast_assessment_templates AS l WHERE l.tenant_id = t.tenant_id AND l.id = t.id)", tenant).
		OrderExpr("t.name, t.id").Scan(ctx)
	if err != nil {
		return nil, translate("list assessment templates", err)
	}
	out := make([]assessment.Template, len(rows))
	for i, r := range rows {
		if out[i], err = r.record(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type asmGradeRow struct {
	bun.BaseModel `bun:"table:ballast_assessment_grade_scales"`
	TenantID      string    `bun:"tenant_id,pk"`
	Grades        string    `bun:"grades"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func (s asmStore) GradeScale(ctx context.Context, tenant string) (assessment.GradeScale, error) {
	var row asmGradeRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("tenant_id = ?", tenant).Scan(ctx); err != nil {
		return assessment.GradeScale{}, translate("assessment grade scale", err)
	}
	g := assessment.GradeScale{UpdatedAt: row.UpdatedAt.UTC(), Version: row.Version}
	return g, decodeJSON("grade scale", row.Grades, &g.Grades)
}

func (s asmStore) PutGradeScale(ctx context.Context, tenant string, g assessment.GradeScale, expected int64) error {
	row := asmGradeRow{TenantID: tenant, Grades: jsonText(g.Grades), UpdatedAt: g.UpdatedAt, Version: g.Version}
	if expected == 0 {
		_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
		return translate("insert assessment grade scale", err)
	}
	res, err := s.conn(ctx).NewUpdate().Model(&row).Column("grades", "updated_at", "version").
		Where("tenant_id = ? AND version = ?", tenant, expected).Exec(ctx)
	return s.checked(ctx, "update assessment grade scale", res, err, "ballast_assessment_grade_scales", "tenant_id = ?", tenant)
}

type asmCycleRow struct {
	bun.BaseModel   `bun:"table:ballast_assessment_cycles,alias:c"`
	TenantID        string    `bun:"tenant_id,pk"`
	ID              string    `bun:"id,pk"`
	Name            string    `bun:"name"`
	Kind            string    `bun:"kind"`
	PeriodLabel     string    `bun:"period_label"`
	PeriodStart     string    `bun:"period_start"`
	PeriodEnd       string    `bun:"period_end"`
	Selection       string    `bun:"selection"`
	TemplateID      string    `bun:"template_id"`
	TemplateVersion int       `bun:"template_version"`
	Deadlines       string    `bun:"deadlines"`
	ReminderDays    string    `bun:"reminder_days"`
	State           string    `bun:"state"`
	OwnerID         string    `bun:"owner_id"`
	Participants    int       `bun:"participants"`
	Plan            string    `bun:"plan"`
	CreatedAt       time.Time `bun:"created_at"`
	OpenedAt        time.Time `bun:"opened_at,nullzero"`
	FinalisedAt     time.Time `bun:"finalised_at,nullzero"`
	ClosedAt        time.Time `bun:"closed_at,nullzero"`
	UpdatedAt       time.Time `bun:"updated_at"`
	Version         int64     `bun:"version"`
}

func asmCycleRowOf(tenant string, c assessment.Cycle) asmCycleRow {
	plan := ""
	if c.Plan != nil {
		plan = jsonText(c.Plan)
	}
	return asmCycleRow{TenantID: tenant, ID: c.ID, Name: c.Name, Kind: string(c.Kind), PeriodLabel: c.Period.Label,
		PeriodStart: dayText(c.Period.Start), PeriodEnd: dayText(c.Period.End), Selection: jsonText(c.Selection),
		TemplateID: c.TemplateID, TemplateVersion: c.TemplateVersion, Deadlines: jsonText(c.Deadlines),
		ReminderDays: jsonText(nonNilSlice(c.ReminderDays)), State: string(c.State), OwnerID: c.OwnerID,
		Participants: c.Participants, Plan: plan, CreatedAt: c.CreatedAt, OpenedAt: c.OpenedAt,
		FinalisedAt: c.FinalisedAt, ClosedAt: c.ClosedAt, UpdatedAt: c.UpdatedAt, Version: c.Version}
}

func (r asmCycleRow) record() (assessment.Cycle, error) {
	c := assessment.Cycle{ID: r.ID, Name: r.Name, Kind: assessment.CycleKind(r.Kind),
		Period:     assessment.Period{Label: r.PeriodLabel, Start: parseDay(r.PeriodStart), End: parseDay(r.PeriodEnd)},
		TemplateID: r.TemplateID, TemplateVersion: r.TemplateVersion, State: assessment.CycleState(r.State),
		OwnerID: r.OwnerID, Participants: r.Participants, CreatedAt: r.CreatedAt.UTC(), OpenedAt: utcOrZero(r.OpenedAt),
		FinalisedAt: utcOrZero(r.FinalisedAt), ClosedAt: utcOrZero(r.ClosedAt), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	for _, x := range []struct {
		raw string
		to  any
	}{{r.Selection, &c.Selection}, {r.Deadlines, &c.Deadlines}, {r.ReminderDays, &c.ReminderDays}} {
		if err := decodeJSON("assessment cycle "+r.ID, x.raw, x.to); err != nil {
			return c, err
		}
	}
	if r.Plan != "" {
		c.Plan = new(assessment.Plan)
		if err := decodeJSON("assessment cycle plan "+r.ID, r.Plan, c.Plan); err != nil {
			return c, err
		}
	}
	return c, nil
}

func (s asmStore) InsertCycle(ctx context.Context, tenant string, c assessment.Cycle) error {
	row := asmCycleRowOf(tenant, c)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert assessment cycle", err)
}

func (s asmStore) Cycle(ctx context.Context, tenant, id string) (assessment.Cycle, error) {
	var row asmCycleRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("c.tenant_id = ? AND c.id = ?", tenant, id).Scan(ctx); err != nil {
		return assessment.Cycle{}, translate("assessment cycle "+id, err)
	}
	return row.record()
}

func (s asmStore) UpdateCycle(ctx context.Context, tenant string, c assessment.Cycle, expected int64) error {
	row := asmCycleRowOf(tenant, c)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("name", "kind", "period_label", "period_start", "period_end", "selection", "template_id", "template_version",
			"deadlines", "reminder_days", "state", "owner_id", "participants", "plan", "opened_at", "finalised_at",
			"closed_at", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, c.ID, expected).Exec(ctx)
	return s.checked(ctx, "update assessment cycle "+c.ID, res, err, "ballast_assessment_cycles", "tenant_id = ? AND id = ?", tenant, c.ID)
}

func (s asmStore) ListCycles(ctx context.Context, tenant string, q assessment.CycleQuery) ([]assessment.Cycle, error) {
	var rows []asmCycleRow
	sel := s.conn(ctx).NewSelect().Model(&rows).ExcludeColumn("plan").Where("c.tenant_id = ?", tenant)
	if q.State != "" {
		sel = sel.Where("c.state = ?", q.State)
	}
	if q.After != "" {
		sel = sel.Where("c.id > ?", q.After)
	}
	sel = sel.OrderExpr("c.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list assessment cycles", err)
	}
	out := make([]assessment.Cycle, len(rows))
	for i, r := range rows {
		c, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

type asmCandidateRow struct {
	EmployeeID     string `bun:"employee_id"`
	Number         string `bun:"number"`
	Name           string `bun:"name"`
	DepartmentID   string `bun:"department_id"`
	PositionLevel  int    `bun:"position_level"`
	ManagerID      string `bun:"manager_id"`
	ManagerActive  bool   `bun:"manager_active"`
	DepartmentHead string `bun:"department_head"`
}

func (s asmStore) Candidates(ctx context.Context, tenant string, sel assessment.Selection) ([]assessment.Candidate, error) {
	if len(sel.DepartmentIDs)+len(sel.PositionLevels)+len(sel.EmployeeIDs) == 0 {
		return []assessment.Candidate{}, nil
	}
	var rows []asmCandidateRow
	q := s.conn(ctx).NewSelect().TableExpr("ballast_employees AS e").
		ColumnExpr("e.id AS employee_id, e.number, e.name, e.department_id").
		ColumnExpr("COALESCE(p.level, 0) AS position_level, COALESCE(e.manager_id, '') AS manager_id").
		ColumnExpr("COALESCE(d.head_id, '') AS department_head").
		ColumnExpr("CASE WHEN m.status = 'active' THEN 1 ELSE 0 END AS manager_active").
		Join("LEFT JOIN ballast_positions AS p ON p.tenant_id = e.tenant_id AND p.id = e.position_id").
		Join("LEFT JOIN ballast_employees AS m ON m.tenant_id = e.tenant_id AND m.id = e.manager_id").
		Join("JOIN ballast_departments AS d ON d.tenant_id = e.tenant_id AND d.id = e.department_id").
		Where("e.tenant_id = ? AND e.status = 'active'", tenant).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if len(sel.DepartmentIDs) > 0 {
				q = q.WhereOr("e.department_id IN (?)", bun.In(sel.DepartmentIDs))
			}
			if len(sel.PositionLevels) > 0 {
				q = q.WhereOr("p.level IN (?)", bun.In(sel.PositionLevels))
			}
			if len(sel.EmployeeIDs) > 0 {
				q = q.WhereOr("e.id IN (?)", bun.In(sel.EmployeeIDs))
			}
			return q
		}).OrderExpr("e.id")
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, translate("assessment candidates", err)
	}
	out := make([]assessment.Candidate, len(rows))
	for i, r := range rows {
		out[i] = assessment.Candidate(r)
	}
	return out, nil
}

type asmDepartmentHeadRow struct {
	DepartmentID string `bun:"department_id"`
	ParentID     string `bun:"parent_id"`
	HeadID       string `bun:"head_id"`
	HeadActive   bool   `bun:"head_active"`
}

func (s asmStore) DepartmentHeads(ctx context.Context, tenant string) ([]assessment.DepartmentHead, error) {
	var rows []asmDepartmentHeadRow
	err := s.conn(ctx).NewSelect().TableExpr("ballast_departments AS d").
		ColumnExpr("d.id AS department_id, COALESCE(d.parent_id, '') AS parent_id, COALESCE(d.head_id, '') AS head_id").
		ColumnExpr("CASE WHEN h.status = 'active' THEN 1 ELSE 0 END AS head_active").
		Join("LEFT JOIN ballast_employees AS h ON h.tenant_id = d.tenant_id AND h.id = d.head_id").
		Where("d.tenant_id = ?", tenant).OrderExpr("d.id").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("assessment department heads", err)
	}
	out := make([]assessment.DepartmentHead, len(rows))
	for i, r := range rows {
		out[i] = assessment.DepartmentHead(r)
	}
	return out, nil
}
