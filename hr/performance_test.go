package hr_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestPeriodEnd_DatesTheLabelsItKnows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		period string
		want   hr.Date
		ok     bool
	}{
		{"2025", hr.NewDate(2025, 12, 31), true},
		{"2025H1", hr.NewDate(2025, 6, 30), true},
		{"2025H2", hr.NewDate(2025, 12, 31), true},
		{"2025Q1", hr.NewDate(2025, 3, 31), true},
		{"2025Q3", hr.NewDate(2025, 9, 30), true},
		{"2024-02", hr.NewDate(2024, 2, 29), true},
		{"2025-02", hr.NewDate(2025, 2, 28), true},
		{"2025-12", hr.NewDate(2025, 12, 31), true},
		{"2025H3", hr.Date{}, false},
		{"2025Q5", hr.Date{}, false},
		{"2025-13", hr.Date{}, false},
		{"FY25", hr.Date{}, false},
		{"", hr.Date{}, false},
	}
	for _, tt := range tests {
		got, ok := hr.PeriodEnd(tt.period)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PeriodEnd(%q) = %v, %v; want %v, %v", tt.period, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRecordPerformance_UpsertsByPeriodAndBumpsProfileVersions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		li := e.hire(t, "E1", "Li Na", d.ID)
		wang := e.hire(t, "E2", "Wang Fang", d.ID)
		// Li has a profile (version 1) with an older period; Wang has none.
		if _, err := e.svc.UpdateProfile(e.hr, li.ID, hr.ProfileUpdate{
			Performance: &[]hr.PerformanceRecord{{Period: "2025H2", Score: 70, Grade: "B", Source: "manual"}},
		}); err != nil {
			t.Fatal(err)
		}
		cycle := ballast.NewID()
		err := e.svc.RecordPerformance(e.hr, []hr.PerformanceEntry{
			{EmployeeID: li.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", Score: 91.5, Grade: "A", Source: "assessment", CycleID: cycle}},
			{EmployeeID: wang.ID, PerformanceRecord: hr.PerformanceRecord{Period: "FY26-mid", PeriodEnd: hr.NewDate(2026, 6, 30), Score: 64, Grade: "C", Source: "assessment", CycleID: cycle}},
		})
		if err != nil {
			t.Fatal(err)
		}
		// A second write of the same period replaces it (an appeal adjusted it).
		err = e.svc.RecordPerformance(e.hr, []hr.PerformanceEntry{
			{EmployeeID: li.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", Score: 93, Grade: "A", Source: "appeal", CycleID: cycle}},
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.svc.Profile(e.hr, li.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []hr.PerformanceRecord{
			{Period: "2025H2", PeriodEnd: hr.NewDate(2025, 12, 31), Score: 70, Grade: "B", Source: "manual"},
			{Period: "2026H1", PeriodEnd: hr.NewDate(2026, 6, 30), Score: 93, Grade: "A", Source: "appeal", CycleID: cycle},
		}
		if diff := cmp.Diff(want, p.Performance); diff != "" {
			t.Errorf("Li's history (-want +got):\n%s", diff)
		}
		if p.Version != 3 {
			t.Errorf("Li's profile version = %d, want 3 (1 + two recordings)", p.Version)
		}
		// An edit based on the version read before the recordings is stale.
		_, err = e.svc.UpdateProfile(e.hr, li.ID, hr.ProfileUpdate{Version: 1, Performance: &[]hr.PerformanceRecord{}})
		wantErr(t, "stale edit after recording", err, ballast.ErrConflict)

		pw, err := e.svc.Profile(e.hr, wang.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pw.Version != 1 || len(pw.Performance) != 1 || pw.Performance[0].Period != "FY26-mid" || len(pw.Projects) != 0 {
			t.Errorf("Wang's new profile = %+v", pw)
		}
		es := e.entries(t, e.tenant)
		last := es[len(es)-1]
		if last.Action != "hr.performance.record" || len(last.Changes) != 1 || last.Changes[0].After != "93 A" {
			t.Errorf("last audit entry = %+v", last)
		}
	})
}

func TestRecordPerformance_RefusesBadEntriesAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		li := e.hire(t, "E1", "Li Na", d.ID)
		good := hr.PerformanceEntry{EmployeeID: li.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", Score: 80}}
		stranger := ballast.NewID()
		tests := []struct {
			name    string
			entries []hr.PerformanceEntry
			fields  []string
		}{
			{"score above 100", []hr.PerformanceEntry{good, {EmployeeID: li.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2025", Score: 101}}},
				[]string{"entries[1].score"}},
			{"undatable label", []hr.PerformanceEntry{{EmployeeID: li.ID, PerformanceRecord: hr.PerformanceRecord{Period: "FY26", Score: 50}}},
				[]string{"entries[0].period_end"}},
			{"same period twice", []hr.PerformanceEntry{good, good}, []string{"entries[1].period"}},
			{"not an id", []hr.PerformanceEntry{{EmployeeID: "li", PerformanceRecord: good.PerformanceRecord}}, []string{"entries[0].employee_id"}},
			{"unknown employee", []hr.PerformanceEntry{good, {EmployeeID: stranger, PerformanceRecord: good.PerformanceRecord}},
				[]string{"entries[1].employee_id"}},
		}
		for _, tt := range tests {
			err := e.svc.RecordPerformance(e.hr, tt.entries)
			wantErr(t, tt.name, err, ballast.ErrInvalid)
			if err != nil {
				if diff := cmp.Diff(tt.fields, fields(t, err)); diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
				}
			}
		}
		self := e.user(t, li.ID, access.RoleEmployee)
		wantErr(t, "employee records own rating", e.svc.RecordPerformance(self, []hr.PerformanceEntry{good}), ballast.ErrForbidden)
		p, err := e.svc.Profile(e.hr, li.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 0 || len(p.Performance) != 0 {
			t.Errorf("refused recordings changed the profile: %+v", p)
		}
	})
}

func TestRecordPerformance_AuditsLargeBatchesInEntriesOfAThousand(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		const n = 2500
		es := make([]hr.Employee, n)
		entries := make([]hr.PerformanceEntry, n)
		for i := range es {
			es[i] = hr.Employee{ID: ballast.NewID(), Number: fmt.Sprintf("E%05d", i), Name: "Person", DepartmentID: d.ID,
				HireDate: hr.NewDate(2024, 1, 1), HireChannel: hr.ChannelCampus, Status: hr.StatusActive,
				CreatedAt: t0, UpdatedAt: t0, Version: 1}
			entries[i] = hr.PerformanceEntry{EmployeeID: es[i].ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", Score: float64(i % 100)}}
		}
		if err := e.store.InsertEmployees(context.Background(), e.tenant, es); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RecordPerformance(e.hr, entries); err != nil {
			t.Fatal(err)
		}
		var sizes []int
		for _, en := range e.entries(t, e.tenant) {
			if en.Action == "hr.performance.record" {
				sizes = append(sizes, len(en.Changes))
			}
		}
		if diff := cmp.Diff([]int{1000, 1000, 500}, sizes); diff != "" {
			t.Errorf("changes per audit entry (-want +got):\n%s", diff)
		}
	})
}
