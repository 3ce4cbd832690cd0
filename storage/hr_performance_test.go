package storage_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun/migrate"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// TestMigration0012_MovesPerformanceOutOfTheProfile applies the migrations
// before 0012, writes a profile the old way (performance as JSON), then
// migrates the rest and reads the history from its new table.
func TestMigration0012_MovesPerformanceOutOfTheProfile(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := dbtest.OpenUnmigrated(t, backend)
			full, err := storage.MigrationsFS(db.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			before := fstest.MapFS{}
			err = fs.WalkDir(full, ".", func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || path >= "0012" {
					return err
				}
				b, err := fs.ReadFile(full, path)
				before[path] = &fstest.MapFile{Data: b}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			ms := migrate.NewMigrations()
			if err := ms.Discover(before); err != nil {
				t.Fatal(err)
			}
			m := migrate.NewMigrator(db.Bun(), ms, migrate.WithTableName(storage.MigrationsTable),
				migrate.WithLocksTableName(storage.MigrationsLocksTable), migrate.WithMarkAppliedOnSuccess(true))
			if err := m.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 4, 5, 6, 7, 8, 0, time.UTC)
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.Bun().ExecContext(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", strings.Fields(q)[0], err)
				}
			}
			exec(`INSERT INTO ballast_tenants (tenant_id, name, time_zone, locale, created_at, updated_at, version)
				VALUES ('t1', 'Acme', 'UTC', 'en', ?, ?, 1)`, at, at)
			exec(`INSERT INTO ballast_departments (tenant_id, id, name, created_at, updated_at, version)
				VALUES ('t1', 'd1', 'Sales', ?, ?, 1)`, at, at)
			exec(`INSERT INTO ballast_employees (tenant_id, id, number, name, department_id, hire_date, hire_channel, status, created_at, updated_at, version)
				VALUES ('t1', 'e1', 'E1', 'Li Na', 'd1', '2020-01-01', 'campus', 'active', ?, ?, 1)`, at, at)
			exec(`INSERT INTO ballast_employee_profiles (tenant_id, employee_id, performance, updated_at, version)
				VALUES ('t1', 'e1', ?, ?, 3)`,
				`[{"period":"2025H1","score":81,"grade":"B+","source":"import"},{"period":"2024","score":77},
				  {"period":"2025-02","score":90,"grade":"A"},{"period":"FY23","score":60,"source":"manual"},
				  {"period":"2025Q3","score":88.5}]`, at)
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			p, err := db.HR().Profile(ctx, "t1", "e1")
			if err != nil {
				t.Fatal(err)
			}
			want := []hr.PerformanceRecord{
				{Period: "2024", PeriodEnd: hr.NewDate(2024, 12, 31), Score: 77},
				{Period: "2025-02", PeriodEnd: hr.NewDate(2025, 2, 28), Score: 90, Grade: "A"},
				{Period: "2025H1", PeriodEnd: hr.NewDate(2025, 6, 30), Score: 81, Grade: "B+", Source: "import"},
				{Period: "2025Q3", PeriodEnd: hr.NewDate(2025, 9, 30), Score: 88.5},
				{Period: "FY23", PeriodEnd: hr.NewDate(2026, 4, 5), Score: 60, Source: "manual"},
			}
			// FY23 cannot be dated from its label: it takes the profile's
			// last update and sorts last.
			if diff := cmp.Diff(want, p.Performance); diff != "" {
				t.Errorf("migrated history (-want +got):\n%s", diff)
			}
			if p.Version != 3 {
				t.Errorf("version = %d, want 3 (unchanged)", p.Version)
			}
		})
	}
}
