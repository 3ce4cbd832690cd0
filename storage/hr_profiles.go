package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
)

type profileRow struct {
	bun.BaseModel  `bun:"table:ballast_employee_profiles"`
	TenantID       string                    `bun:"tenant_id,pk"`
	EmployeeID     string                    `bun:"employee_id,pk"`
	Projects       []hr.Project              `bun:"projects,type:jsonb"`
	Certifications []hr.Certification        `bun:"certifications,type:jsonb"`
	Skills         []hr.Skill                `bun:"skills,type:jsonb"`
	Management     []hr.ManagementExperience `bun:"management,type:jsonb"`
	CareerPlan     *hr.CareerPlan            `bun:"career_plan,type:jsonb"`
	UpdatedAt      time.Time                 `bun:"updated_at"`
	Version        int64                     `bun:"version"`
}

// nonNil keeps empty sections as "[]" rather than "null" in the database.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func profileRowOf(tenant string, p hr.Profile) profileRow {
	return profileRow{TenantID: tenant, EmployeeID: p.EmployeeID,
		Projects: nonNil(p.Projects), Certifications: nonNil(p.Certifications),
		Skills: nonNil(p.Skills), Management: nonNil(p.Management), CareerPlan: p.CareerPlan,
		UpdatedAt: p.UpdatedAt, Version: p.Version}
}

func (r profileRow) record() hr.Profile {
	p := hr.Profile{EmployeeID: r.EmployeeID, Projects: r.Projects,
		Certifications: r.Certifications, Skills: r.Skills, Management: r.Management,
		CareerPlan: r.CareerPlan, UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if p.CareerPlan != nil {
		p.CareerPlan.UpdatedAt = p.CareerPlan.UpdatedAt.UTC()
	}
	return p
}

func (s hrStore) Profile(ctx context.Context, tenant, employeeID string) (hr.Profile, error) {
	var row profileRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).
		Where("tenant_id = ? AND employee_id = ?", tenant, employeeID).Scan(ctx)
	if err != nil {
		return hr.Profile{}, translate("get profile "+employeeID, err)
	}
	p := row.record()
	if p.Performance, err = s.performance(ctx, tenant, employeeID); err != nil {
		return hr.Profile{}, err
	}
	return p, nil
}

func (s hrStore) PutProfile(ctx context.Context, tenant string, p hr.Profile, expected int64) error {
	row := profileRowOf(tenant, p)
	if expected == 0 {
		_, err := s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
		if err != nil {
			return translate("insert profile "+p.EmployeeID, err)
		}
		return s.replacePerformance(ctx, tenant, p.EmployeeID, p.Performance, p.UpdatedAt)
	}
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("projects", "certifications", "skills", "management", "career_plan", "updated_at", "version").
		Where("tenant_id = ? AND employee_id = ? AND version = ?", tenant, p.EmployeeID, expected).Exec(ctx)
	if err := s.checkUpdated(ctx, "update profile "+p.EmployeeID, res, err, "ballast_employee_profiles",
		"tenant_id = ? AND employee_id = ?", tenant, p.EmployeeID); err != nil {
		return err
	}
	return s.replacePerformance(ctx, tenant, p.EmployeeID, p.Performance, p.UpdatedAt)
}
