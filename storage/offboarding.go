package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/offboarding"
)

// Offboarding returns the store of the offboarding package, on this
// database.
func (db *DB) Offboarding() offboarding.Store { return offStore{db: db} }

// offStore implements offboarding.Store. Every query names tenant_id and
// runs on db.Conn(ctx), so it joins the use case's transaction.
type offStore struct{ db *DB }

// jsonText encodes v as JSON text for a TEXT column.
func jsonText(v any) string {
	b, _ := json.Marshal(v) // plain data: cannot fail
	return string(b)
}

// dayText is a Date as stored ("" for zero, which nullzero turns to NULL).
func dayText(d hr.Date) string { return d.String() }

func parseDay(s string) hr.Date {
	d, _ := hr.ParseDate(s) // written by dayText; a malformed value reads as zero
	return d
}

func (s offStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

// checked turns a versioned update's result into the store's errors.
func (s offStore) checked(ctx context.Context, op string, res interface{ RowsAffected() (int64, error) }, err error, table, where string, args ...any) error {
	return hrStore(s).checkUpdated(ctx, op, res, err, table, where, args...)
}

type offTemplateRow struct {
	bun.BaseModel `bun:"table:ballast_offboarding_templates"`
	TenantID      string    `bun:"tenant_id,pk"`
	Template      string    `bun:"template"`
	Version       int64     `bun:"version"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func (s offStore) Template(ctx context.Context, tenant string) (offboarding.Template, error) {
	var row offTemplateRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("tenant_id = ?", tenant).Scan(ctx); err != nil {
		return offboarding.Template{}, translate("offboarding template", err)
	}
	var t offboarding.Template
	if err := json.Unmarshal([]byte(row.Template), &t); err != nil {
		return offboarding.Template{}, fmt.Errorf("storage: decode offboarding template: %w", err)
	}
	t.Version, t.UpdatedAt = row.Version, row.UpdatedAt.UTC()
	return t, nil
}

func (s offStore) PutTemplate(ctx context.Context, tenant string, t offboarding.Template, expected int64) error {
	row := offTemplateRow{TenantID: tenant, Template: jsonText(t), Version: t.Version, UpdatedAt: t.UpdatedAt}
	if expected == 0 {
		_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
		return translate("insert offboarding template", err)
	}
	res, err := s.conn(ctx).NewUpdate().Model(&row).Column("template", "version", "updated_at").
		Where("tenant_id = ? AND version = ?", tenant, expected).Exec(ctx)
	return s.checked(ctx, "update offboarding template", res, err, "ballast_offboarding_templates", "tenant_id = ?", tenant)
}

type offCaseRow struct {
	bun.BaseModel   `bun:"table:ballast_offboarding_cases,alias:c"`
	TenantID        string    `bun:"tenant_id,pk"`
	ID              string    `bun:"id,pk"`
	EmployeeID      string    `bun:"employee_id"`
	OpenEmployeeID  string    `bun:"open_employee_id,nullzero"`
	Kind            string    `bun:"kind"`
	SubmittedOn     string    `bun:"submitted_on"`
	LastDay         string    `bun:"last_day"`
	Reason          string    `bun:"reason"`
	Successors      string    `bun:"successors"`
	ManagerID       string    `bun:"manager_id"`
	HRID            string    `bun:"hr_id"`
	Status          string    `bun:"status"`
	SnapshotID      string    `bun:"snapshot_id"`
	Plan            string    `bun:"plan"`
	ReminderOffsets string    `bun:"reminder_offsets"`
	EscalateTo      string    `bun:"escalate_to"`
	NextStageOn     string    `bun:"next_stage_on,nullzero"`
	OpenedBy        string    `bun:"opened_by"`
	OpenedAt        time.Time `bun:"opened_at"`
	ClosedBy        string    `bun:"closed_by"`
	ClosedAt        time.Time `bun:"closed_at,nullzero"`
	CloseReason     string    `bun:"close_reason"`
	UpdatedAt       time.Time `bun:"updated_at"`
	Version         int64     `bun:"version"`
}

func offCaseRowOf(tenant string, c offboarding.Case) offCaseRow {
	open := ""
	if c.Status == offboarding.CaseOpen {
		open = c.EmployeeID
	}
	return offCaseRow{TenantID: tenant, ID: c.ID, EmployeeID: c.EmployeeID, OpenEmployeeID: open, Kind: string(c.Kind),
		SubmittedOn: dayText(c.SubmittedOn), LastDay: dayText(c.LastDay), Reason: c.Reason,
		Successors: jsonText(nonNilSlice(c.Successors)), ManagerID: c.ManagerID, HRID: c.HRID, Status: string(c.Status),
		SnapshotID: c.SnapshotID, Plan: jsonText(c.Plan), ReminderOffsets: jsonText(nonNilSlice(c.ReminderOffsets)),
		EscalateTo: jsonText(nonNilSlice(c.EscalateTo)), NextStageOn: dayText(c.NextStageOn),
		OpenedBy: c.OpenedBy, OpenedAt: c.OpenedAt, ClosedBy: c.ClosedBy, ClosedAt: c.ClosedAt,
		CloseReason: c.CloseReason, UpdatedAt: c.UpdatedAt, Version: c.Version}
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (r offCaseRow) record() (offboarding.Case, error) {
	c := offboarding.Case{ID: r.ID, EmployeeID: r.EmployeeID, Kind: offboarding.ExitKind(r.Kind),
		SubmittedOn: parseDay(r.SubmittedOn), LastDay: parseDay(r.LastDay), Reason: r.Reason,
		ManagerID: r.ManagerID, HRID: r.HRID, Status: offboarding.CaseStatus(r.Status), SnapshotID: r.SnapshotID,
		NextStageOn: parseDay(r.NextStageOn), OpenedBy: r.OpenedBy, OpenedAt: r.OpenedAt.UTC(),
		ClosedBy: r.ClosedBy, CloseReason: r.CloseReason, UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if !r.ClosedAt.IsZero() {
		c.ClosedAt = r.ClosedAt.UTC()
	}
	var plan access.RevocationPlan
	for _, x := range []struct {
		raw string
		to  any
	}{{r.Successors, &c.Successors}, {r.Plan, &plan}, {r.ReminderOffsets, &c.ReminderOffsets}, {r.EscalateTo, &c.EscalateTo}} {
		if err := json.Unmarshal([]byte(x.raw), x.to); err != nil {
			return offboarding.Case{}, fmt.Errorf("storage: decode offboarding case %s: %w", r.ID, err)
		}
	}
	c.Plan = plan
	return c, nil
}

func offCases(rows []offCaseRow) ([]offboarding.Case, error) {
	out := make([]offboarding.Case, len(rows))
	for i, r := range rows {
		c, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func (s offStore) InsertCase(ctx context.Context, tenant string, c offboarding.Case) error {
	row := offCaseRowOf(tenant, c)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert offboarding case", err)
}

func (s offStore) Case(ctx context.Context, tenant, id string) (offboarding.Case, error) {
	var row offCaseRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("c.tenant_id = ? AND c.id = ?", tenant, id).Scan(ctx); err != nil {
		return offboarding.Case{}, translate("offboarding case "+id, err)
	}
	return row.record()
}

func (s offStore) UpdateCase(ctx context.Context, tenant string, c offboarding.Case, expected int64) error {
	row := offCaseRowOf(tenant, c)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("open_employee_id", "kind", "submitted_on", "last_day", "reason", "successors", "manager_id", "hr_id", "status",
			"snapshot_id", "plan", "reminder_offsets", "escalate_to", "next_stage_on", "opened_by",
			"closed_by", "closed_at", "close_reason", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, c.ID, expected).Exec(ctx)
	return s.checked(ctx, "update offboarding case "+c.ID, res, err, "ballast_offboarding_cases", "tenant_id = ? AND id = ?", tenant, c.ID)
}

func (s offStore) SetCaseStage(ctx context.Context, tenant, caseID string, next hr.Date) error {
	var v any
	if !next.IsZero() {
		v = next.String()
	}
	_, err := s.conn(ctx).NewUpdate().Table("ballast_offboarding_cases").Set("next_stage_on = ?", v).
		Where("tenant_id = ? AND id = ?", tenant, caseID).Exec(ctx)
	return translate("set offboarding case stage", err)
}

func (s offStore) ListCases(ctx context.Context, tenant string, q offboarding.CaseQuery) ([]offboarding.Case, error) {
	var rows []offCaseRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("c.tenant_id = ?", tenant)
	if q.Status != "" {
		sel = sel.Where("c.status = ?", q.Status)
	}
	if q.EmployeeID != "" {
		sel = sel.Where("c.employee_id = ?", q.EmployeeID)
	}
	if p := q.Participant; p != "" {
		// successors is a JSON array of quoted ids; an id never holds a
		// quote or a LIKE wildcard, so the pattern matches whole ids only.
		sel = sel.Where("(c.employee_id = ? OR c.manager_id = ? OR c.hr_id = ? OR c.successors LIKE ?)",
			p, p, p, `%"`+strings.NewReplacer("%", "", "_", "", `"`, "").Replace(p)+`"%`)
	}
	if q.After != "" {
		sel = sel.Where("c.id > ?", q.After)
	}
	sel = sel.OrderExpr("c.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list offboarding cases", err)
	}
	return offCases(rows)
}

// claim locks the selected rows on PostgreSQL inside a transaction, so
// concurrent reconcilers skip each other's rows.
func (s offStore) claim(ctx context.Context, sel *bun.SelectQuery) *bun.SelectQuery {
	if _, inTx := TxFrom(ctx); inTx && s.db.dialect == Postgres {
		return sel.For("UPDATE SKIP LOCKED")
	}
	return sel
}

func (s offStore) DueCases(ctx context.Context, tenant string, day hr.Date, limit int) ([]offboarding.Case, error) {
	var rows []offCaseRow
	sel := s.conn(ctx).NewSelect().Model(&rows).
		Where("c.tenant_id = ? AND c.next_stage_on IS NOT NULL AND c.next_stage_on <= ? AND c.status = 'open'", tenant, day.String()).
		OrderExpr("c.next_stage_on, c.id").Limit(int64(limit))
	if err := s.claim(ctx, sel).Scan(ctx); err != nil {
		return nil, translate("due offboarding cases", err)
	}
	return offCases(rows)
}

type offStepRow struct {
	bun.BaseModel `bun:"table:ballast_offboarding_steps,alias:s"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	CaseID        string    `bun:"case_id"`
	Position      int       `bun:"position"`
	Key           string    `bun:"key"`
	Kind          string    `bun:"kind"`
	Title         string    `bun:"title"`
	Responsible   string    `bun:"responsible"`
	Assignees     string    `bun:"assignees"`
	DueOffsetDays int       `bun:"due_offset_days"`
	DueOn         string    `bun:"due_on"`
	ClosingRule   string    `bun:"closing_rule"`
	Status        string    `bun:"status"`
	DoneAt        time.Time `bun:"done_at,nullzero"`
	DoneBy        string    `bun:"done_by"`
	Note          string    `bun:"note"`
	NextAlertOn   string    `bun:"next_alert_on,nullzero"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func offStepRowOf(tenant string, pos int, st offboarding.Step) offStepRow {
	return offStepRow{TenantID: tenant, ID: st.ID, CaseID: st.CaseID, Position: pos, Key: st.Key, Kind: string(st.Kind),
		Title: st.Title, Responsible: jsonText(nonNilSlice(st.Responsible)), Assignees: jsonText(nonNilSlice(st.Assignees)),
		DueOffsetDays: st.DueOffsetDays, DueOn: dayText(st.DueOn), ClosingRule: string(st.ClosingRule),
		Status: string(st.Status), DoneAt: st.DoneAt, DoneBy: st.DoneBy, Note: st.Note,
		NextAlertOn: dayText(st.NextAlertOn), UpdatedAt: st.UpdatedAt, Version: st.Version}
}

func (r offStepRow) record() (offboarding.Step, error) {
	st := offboarding.Step{ID: r.ID, CaseID: r.CaseID, Key: r.Key, Kind: offboarding.StepKind(r.Kind), Title: r.Title,
		DueOffsetDays: r.DueOffsetDays, DueOn: parseDay(r.DueOn), ClosingRule: offboarding.ClosingRule(r.ClosingRule),
		Status: offboarding.StepStatus(r.Status), DoneBy: r.DoneBy, Note: r.Note, NextAlertOn: parseDay(r.NextAlertOn),
		UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if !r.DoneAt.IsZero() {
		st.DoneAt = r.DoneAt.UTC()
	}
	if err := json.Unmarshal([]byte(r.Responsible), &st.Responsible); err != nil {
		return st, fmt.Errorf("storage: decode offboarding step %s: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Assignees), &st.Assignees); err != nil {
		return st, fmt.Errorf("storage: decode offboarding step %s: %w", r.ID, err)
	}
	return st, nil
}

func offSteps(rows []offStepRow) ([]offboarding.Step, error) {
	out := make([]offboarding.Step, len(rows))
	for i, r := range rows {
		st, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = st
	}
	return out, nil
}

func (s offStore) InsertSteps(ctx context.Context, tenant string, steps []offboarding.Step) error {
	if len(steps) == 0 {
		return nil
	}
	rows := make([]offStepRow, len(steps))
	for i, st := range steps {
		rows[i] = offStepRowOf(tenant, i, st)
	}
	_, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx)
	return translate("insert offboarding steps", err)
}

func (s offStore) Steps(ctx context.Context, tenant, caseID string) ([]offboarding.Step, error) {
	var rows []offStepRow
	err := s.conn(ctx).NewSelect().Model(&rows).Where("s.tenant_id = ? AND s.case_id = ?", tenant, caseID).
		OrderExpr("s.position, s.id").Scan(ctx)
	if err != nil {
		return nil, translate("offboarding steps", err)
	}
	return offSteps(rows)
}

func (s offStore) UpdateStep(ctx context.Context, tenant string, st offboarding.Step, expected int64) error {
	row := offStepRowOf(tenant, 0, st)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("title", "responsible", "assignees", "due_offset_days", "due_on", "closing_rule", "status",
			"done_at", "done_by", "note", "next_alert_on", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, st.ID, expected).Exec(ctx)
	return s.checked(ctx, "update offboarding step "+st.ID, res, err, "ballast_offboarding_steps", "tenant_id = ? AND id = ?", tenant, st.ID)
}

func (s offStore) SetStepAlert(ctx context.Context, tenant, stepID string, next hr.Date) error {
	var v any
	if !next.IsZero() {
		v = next.String()
	}
	_, err := s.conn(ctx).NewUpdate().Table("ballast_offboarding_steps").Set("next_alert_on = ?", v).
		Where("tenant_id = ? AND id = ?", tenant, stepID).Exec(ctx)
	return translate("set offboarding step alert", err)
}

func (s offStore) DueSteps(ctx context.Context, tenant string, day hr.Date, limit int) ([]offboarding.Step, error) {
	var rows []offStepRow
	sel := s.conn(ctx).NewSelect().Model(&rows).
		Where("s.tenant_id = ? AND s.next_alert_on IS NOT NULL AND s.next_alert_on <= ?", tenant, day.String()).
		OrderExpr("s.next_alert_on, s.id").Limit(int64(limit))
	if err := s.claim(ctx, sel).Scan(ctx); err != nil {
		return nil, translate("due offboarding steps", err)
	}
	return offSteps(rows)
}
