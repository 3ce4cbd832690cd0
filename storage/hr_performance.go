package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
)

// performanceRow is one employee's rating for one period.
type performanceRow struct {
	bun.BaseModel `bun:"table:ballast_performance_records"`
	TenantID      string    `bun:"tenant_id,pk"`
	EmployeeID    string    `bun:"employee_id,pk"`
	Period        string    `bun:"period,pk"`
	PeriodEnd     string    `bun:"period_end"`
	Score         float64   `bun:"score"`
	Grade         string    `bun:"grade"`
	Source        string    `bun:"source"`
	CycleID       string    `bun:"cycle_id"`
	RecordedAt    time.Time `bun:"recorded_at"`
}

func performanceRowOf(tenant, employeeID string, r hr.PerformanceRecord, at time.Time) performanceRow {
	return performanceRow{TenantID: tenant, EmployeeID: employeeID, Period: r.Period, PeriodEnd: r.PeriodEnd.String(),
		Score: r.Score, Grade: r.Grade, Source: r.Source, CycleID: r.CycleID, RecordedAt: at}
}

func (r performanceRow) record() hr.PerformanceRecord {
	end, _ := hr.ParseDate(r.PeriodEnd)
	return hr.PerformanceRecord{Period: r.Period, PeriodEnd: end, Score: r.Score, Grade: r.Grade,
		Source: r.Source, CycleID: r.CycleID}
}

// performance returns an employee's history, oldest period first.
func (s hrStore) performance(ctx context.Context, tenant, employeeID string) ([]hr.PerformanceRecord, error) {
	var rows []performanceRow
	err := s.db.Conn(ctx).NewSelect().Model(&rows).
		Where("tenant_id = ? AND employee_id = ?", tenant, employeeID).
		Order("period_end", "period").Scan(ctx)
	if err != nil {
		return nil, translate("get performance of "+employeeID, err)
	}
	out := make([]hr.PerformanceRecord, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

// replacePerformance makes rs the employee's whole history.
func (s hrStore) replacePerformance(ctx context.Context, tenant, employeeID string, rs []hr.PerformanceRecord, at time.Time) error {
	_, err := s.db.Conn(ctx).NewDelete().Model((*performanceRow)(nil)).
		Where("tenant_id = ? AND employee_id = ?", tenant, employeeID).Exec(ctx)
	if err != nil {
		return translate("replace performance of "+employeeID, err)
	}
	if len(rs) == 0 {
		return nil
	}
	rows := make([]performanceRow, len(rs))
	for i, r := range rs {
		rows[i] = performanceRowOf(tenant, employeeID, r, at)
	}
	_, err = s.db.Conn(ctx).NewInsert().Model(&rows).Exec(ctx)
	return translate("replace performance of "+employeeID, err)
}

// profileStub is the part of a profile row RecordPerformance touches.
type profileStub struct {
	bun.BaseModel `bun:"table:ballast_employee_profiles,alias:p"`
	TenantID      string    `bun:"tenant_id,pk"`
	EmployeeID    string    `bun:"employee_id,pk"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func (s hrStore) RecordPerformance(ctx context.Context, tenant string, entries []hr.PerformanceEntry, at time.Time) error {
	for start := 0; start < len(entries); start += insertBatch {
		end := min(start+insertBatch, len(entries))
		rows := make([]performanceRow, 0, end-start)
		stubs := make([]profileStub, 0, end-start)
		seen := make(map[string]bool, end-start)
		for _, e := range entries[start:end] {
			rows = append(rows, performanceRowOf(tenant, e.EmployeeID, e.PerformanceRecord, at))
			if !seen[e.EmployeeID] {
				seen[e.EmployeeID] = true
				stubs = append(stubs, profileStub{TenantID: tenant, EmployeeID: e.EmployeeID, UpdatedAt: at, Version: 1})
			}
		}
		_, err := s.db.Conn(ctx).NewInsert().Model(&rows).
			On("CONFLICT (tenant_id, employee_id, period) DO UPDATE").
			Set("period_end = EXCLUDED.period_end, score = EXCLUDED.score, grade = EXCLUDED.grade").
			Set("source = EXCLUDED.source, cycle_id = EXCLUDED.cycle_id, recorded_at = EXCLUDED.recorded_at").
			Exec(ctx)
		if err != nil {
			return translate("record performance", err)
		}
		_, err = s.db.Conn(ctx).NewInsert().Model(&stubs).
			On("CONFLICT (tenant_id, employee_id) DO UPDATE").
			Set("version = p.version + 1, updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		if err != nil {
			return translate("record performance: bump profiles", err)
		}
	}
	return nil
}
