package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// testHRPerformance checks RecordPerformance: upsert by employee and
// period across batch boundaries, version bumps and new empty profiles,
// tenant isolation, and PutProfile replacing the history.
func testHRPerformance(t *testing.T, _ ballast.Transactor, s hr.Store) {
	ctx := context.Background()
	tn := hrTenant(t, s, "Acme")
	other := hrTenant(t, s, "Other")
	d := hrDept("Sales", "")
	must(t, s.InsertDepartments(ctx, tn, []hr.Department{d}))
	od := hrDept("Sales", "")
	must(t, s.InsertDepartments(ctx, other, []hr.Department{od}))
	// Enough employees that the bulk write spans several statements.
	const n = 1203
	es := make([]hr.Employee, n)
	for i := range es {
		es[i] = hrEmp(fmt.Sprintf("E%04d", i), "Person", d.ID)
	}
	must(t, s.InsertEmployees(ctx, tn, es))
	twin := es[0]
	twin.DepartmentID = od.ID // the same employee ID in another tenant
	must(t, s.InsertEmployees(ctx, other, []hr.Employee{twin}))
	// es[0] already has a profile at version 4 with an older period.
	old := hr.PerformanceRecord{Period: "2025H2", PeriodEnd: hr.NewDate(2025, 12, 31), Score: 70, Grade: "B", Source: "manual"}
	must(t, s.PutProfile(ctx, tn, hr.Profile{EmployeeID: es[0].ID, Performance: []hr.PerformanceRecord{old}, UpdatedAt: hrT0, Version: 4}, 0))
	must(t, s.PutProfile(ctx, other, hr.Profile{EmployeeID: twin.ID, Performance: []hr.PerformanceRecord{old}, UpdatedAt: hrT0, Version: 1}, 0))

	at := hrT0.Add(time.Hour)
	rec := func(score float64) hr.PerformanceRecord {
		return hr.PerformanceRecord{Period: "2026H1", PeriodEnd: hr.NewDate(2026, 6, 30), Score: score, Grade: "A", Source: "assessment", CycleID: "c1"}
	}
	entries := make([]hr.PerformanceEntry, n)
	for i, e := range es {
		entries[i] = hr.PerformanceEntry{EmployeeID: e.ID, PerformanceRecord: rec(float64(i % 101))}
	}
	must(t, s.RecordPerformance(ctx, tn, entries, at))
	// Again for es[0] only: the period is replaced, not duplicated.
	must(t, s.RecordPerformance(ctx, tn, []hr.PerformanceEntry{{EmployeeID: es[0].ID, PerformanceRecord: rec(99.5)}}, at))

	p, err := s.Profile(ctx, tn, es[0].ID)
	must(t, err)
	if diff := cmp.Diff([]hr.PerformanceRecord{old, rec(99.5)}, p.Performance); diff != "" {
		t.Errorf("history of es[0] (-want +got):\n%s", diff)
	}
	if p.Version != 6 || !p.UpdatedAt.Equal(at) {
		t.Errorf("es[0] version, updated = %d, %v; want 6, %v", p.Version, p.UpdatedAt, at)
	}
	last := es[n-1]
	p, err = s.Profile(ctx, tn, last.ID)
	must(t, err)
	want := hr.Profile{EmployeeID: last.ID, Performance: []hr.PerformanceRecord{rec(float64((n - 1) % 101))},
		Projects: []hr.Project{}, Certifications: []hr.Certification{}, Skills: []hr.Skill{}, Management: []hr.ManagementExperience{},
		UpdatedAt: at, Version: 1}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("new profile of the last employee (-want +got):\n%s", diff)
	}
	p, err = s.Profile(ctx, other, twin.ID)
	must(t, err)
	if diff := cmp.Diff([]hr.PerformanceRecord{old}, p.Performance); diff != "" || p.Version != 1 {
		t.Errorf("the other tenant's twin changed (version %d):\n%s", p.Version, diff)
	}
	// PutProfile replaces the whole history.
	p, err = s.Profile(ctx, tn, es[0].ID)
	must(t, err)
	p.Performance, p.Version = []hr.PerformanceRecord{}, 7
	must(t, s.PutProfile(ctx, tn, p, 6))
	p, err = s.Profile(ctx, tn, es[0].ID)
	must(t, err)
	if len(p.Performance) != 0 {
		t.Errorf("history after clearing = %+v", p.Performance)
	}
}
