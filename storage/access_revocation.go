package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
)

// The staged-revocation part of AccessStore (access.RevocationStore):
// ballast_access_revocation_plans and ballast_access_stage_applications.

type revocationPlanRow struct {
	bun.BaseModel `bun:"table:ballast_access_revocation_plans,alias:p"`
	TenantID      string    `bun:"tenant_id,pk"`
	Plan          string    `bun:"plan"`
	Version       int64     `bun:"version"`
	UpdatedAt     time.Time `bun:"updated_at"`
	UpdatedBy     string    `bun:"updated_by"`
}

type stageApplicationRow struct {
	bun.BaseModel `bun:"table:ballast_access_stage_applications,alias:a"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	CaseID        string    `bun:"case_id"`
	StageKey      string    `bun:"stage_key"`
	Subject       string    `bun:"subject"`
	Effect        string    `bun:"effect"`
	AppliedAt     time.Time `bun:"applied_at"`
	AppliedBy     string    `bun:"applied_by"`
	RestoredAt    time.Time `bun:"restored_at,nullzero"`
}

// stageEffectJSON is the effect column.
type stageEffectJSON struct {
	Removed  []access.Rule `json:"removed"`
	Added    []access.Rule `json:"added"`
	Disabled bool          `json:"disabled"`
}

// RevocationPlan returns the tenant's stored plan (ErrNotFound if none).
func (s *AccessStore) RevocationPlan(ctx context.Context, tenant string) (access.StoredPlan, error) {
	var row revocationPlanRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("p.tenant_id = ?", tenant).Scan(ctx)
	if err != nil {
		return access.StoredPlan{}, translate("access revocation plan", err)
	}
	sp := access.StoredPlan{Tenant: row.TenantID, Version: row.Version, UpdatedAt: row.UpdatedAt.UTC(), UpdatedBy: row.UpdatedBy}
	if err := json.Unmarshal([]byte(row.Plan), &sp.Plan); err != nil {
		return access.StoredPlan{}, fmt.Errorf("storage: access revocation plan of %s: %w", tenant, err)
	}
	return sp, nil
}

// SaveRevocationPlan inserts version 1 or replaces version p.Version-1.
func (s *AccessStore) SaveRevocationPlan(ctx context.Context, p access.StoredPlan) error {
	if p.Tenant == "" || p.Version < 1 {
		return translate("save access revocation plan", ballast.Invalid("plan", "needs a tenant and a version >= 1"))
	}
	data, err := json.Marshal(p.Plan)
	if err != nil {
		return fmt.Errorf("storage: save access revocation plan: %w", err)
	}
	row := revocationPlanRow{TenantID: p.Tenant, Plan: string(data), Version: p.Version, UpdatedAt: p.UpdatedAt.UTC(), UpdatedBy: p.UpdatedBy}
	if p.Version == 1 {
		_, err := s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
		return translate("insert access revocation plan", err)
	}
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("plan", "version", "updated_at", "updated_by").
		Where("tenant_id = ? AND version = ?", p.Tenant, p.Version-1).Exec(ctx)
	if err != nil {
		return translate("update access revocation plan", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("storage: update access revocation plan: version %d changed meanwhile: %w", p.Version-1, ballast.ErrConflict)
	}
	return nil
}

// InsertStageApplication records an applied stage (ErrConflict when the
// case's stage was recorded already).
func (s *AccessStore) InsertStageApplication(ctx context.Context, a access.StageApplication) error {
	data, err := json.Marshal(stageEffectJSON{Removed: a.Removed, Added: a.Added, Disabled: a.Disabled})
	if err != nil {
		return fmt.Errorf("storage: insert access stage application: %w", err)
	}
	row := stageApplicationRow{TenantID: a.Tenant, ID: a.ID, CaseID: a.CaseID, StageKey: a.StageKey, Subject: a.Subject,
		Effect: string(data), AppliedAt: a.AppliedAt.UTC(), AppliedBy: a.AppliedBy, RestoredAt: utcOrZero(a.RestoredAt)}
	_, err = s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert access stage application", err)
}

// StageApplications returns the case's records, oldest first.
func (s *AccessStore) StageApplications(ctx context.Context, tenant, caseID string) ([]access.StageApplication, error) {
	var rows []stageApplicationRow
	err := s.db.Conn(ctx).NewSelect().Model(&rows).
		Where("a.tenant_id = ? AND a.case_id = ?", tenant, caseID).
		Order("a.applied_at", "a.id").Scan(ctx)
	if err != nil {
		return nil, translate("access stage applications", err)
	}
	out := make([]access.StageApplication, len(rows))
	for i, r := range rows {
		var eff stageEffectJSON
		if err := json.Unmarshal([]byte(r.Effect), &eff); err != nil {
			return nil, fmt.Errorf("storage: access stage application %s: %w", r.ID, err)
		}
		out[i] = access.StageApplication{Tenant: r.TenantID, ID: r.ID, CaseID: r.CaseID, StageKey: r.StageKey, Subject: r.Subject,
			Removed: eff.Removed, Added: eff.Added, Disabled: eff.Disabled,
			AppliedAt: r.AppliedAt.UTC(), AppliedBy: r.AppliedBy, RestoredAt: utcOrZero(r.RestoredAt)}
	}
	return out, nil
}

// MarkStageApplicationsRestored stamps the case's unrestored records.
func (s *AccessStore) MarkStageApplicationsRestored(ctx context.Context, tenant, caseID string, at time.Time) (int64, error) {
	res, err := s.db.Conn(ctx).NewUpdate().Table("ballast_access_stage_applications").
		Set("restored_at = ?", at.UTC()).
		Where("tenant_id = ? AND case_id = ? AND restored_at IS NULL", tenant, caseID).Exec(ctx)
	if err != nil {
		return 0, translate("restore access stage applications", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, translate("restore access stage applications", err)
	}
	return n, nil
}
