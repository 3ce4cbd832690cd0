package storage_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// benchBackends lists the backends a benchmark runs on: SQLite always,
// PostgreSQL when BALLAST_TEST_POSTGRES is set (skipped otherwise).
var benchBackends = []string{"sqlite", "postgres"}

// seedDirectory fills one tenant with employees spread evenly over depts
// departments, in multi-row inserts of 1,000 rows, and returns the tenant
// and the department IDs.
func seedDirectory(b *testing.B, db *storage.DB, employees, depts int) (string, []string) {
	b.Helper()
	ctx := context.Background()
	s := db.HR()
	now := time.Now().UTC()
	tenant := ballast.NewID()
	if err := s.InsertTenant(ctx, hr.Tenant{ID: tenant, Name: "Bench", TimeZone: "UTC", Locale: "en", CreatedAt: now, UpdatedAt: now, Version: 1}); err != nil {
		b.Fatal(err)
	}
	ds := make([]hr.Department, depts)
	ids := make([]string, depts)
	for i := range ds {
		ds[i] = hr.Department{ID: ballast.NewID(), Name: fmt.Sprintf("Dept %03d", i), CreatedAt: now, UpdatedAt: now, Version: 1}
		ids[i] = ds[i].ID
	}
	if err := s.InsertDepartments(ctx, tenant, ds); err != nil {
		b.Fatal(err)
	}
	const batch = 1000
	start := time.Now()
	for lo := 0; lo < employees; lo += batch {
		es := make([]hr.Employee, 0, batch)
		for i := lo; i < min(lo+batch, employees); i++ {
			es = append(es, hr.Employee{ID: ballast.NewID(), Number: fmt.Sprintf("E%07d", i),
				// Names are spread so that a department's page is not the table's head.
				Name:         fmt.Sprintf("Person %07d", (i*7919)%employees),
				DepartmentID: ids[i%depts], HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus,
				Status: hr.StatusActive, CreatedAt: now, UpdatedAt: now, Version: 1})
		}
		err := db.InTx(ctx, func(ctx context.Context) error { return s.InsertEmployees(ctx, tenant, es) })
		if err != nil {
			b.Fatal(err)
		}
	}
	if db.Dialect() == storage.Postgres {
		if _, err := db.Bun().ExecContext(ctx, "ANALYZE ballast_employees"); err != nil {
			b.Fatal(err)
		}
	} else if _, err := db.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d employees in %d departments in %v", db.Dialect(), employees, depts, time.Since(start).Round(time.Millisecond))
	return tenant, ids
}

// BenchmarkHRListDepartmentPage lists one department page of 50 employees
// in a tenant of 100,000 (20 departments of 5,000): the first page, and a
// page deep inside the department reached by its keyset cursor.
func BenchmarkHRListDepartmentPage(b *testing.B) {
	for _, backend := range benchBackends {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			db := dbtest.Open(b, backend)
			tenant, depts := seedDirectory(b, db, 100_000, 20)
			ctx := context.Background()
			s := db.HR()
			dept := depts[7]
			// A cursor 2,500 rows into the department.
			deep, err := s.ListEmployees(ctx, tenant, hr.EmployeeQuery{DepartmentID: dept, Limit: 2500})
			if err != nil || len(deep) != 2500 {
				b.Fatalf("deep = %d, %v", len(deep), err)
			}
			last := deep[len(deep)-1]
			for _, c := range []struct {
				name string
				q    hr.EmployeeQuery
			}{
				{"first-page", hr.EmployeeQuery{DepartmentID: dept, Limit: 51}},
				{"deep-page", hr.EmployeeQuery{DepartmentID: dept, Limit: 51, AfterKey: last.Name, AfterID: last.ID}},
				{"subtree-first-page", hr.EmployeeQuery{DepartmentID: dept, IncludeSubdepartments: true, Limit: 51}},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						es, err := s.ListEmployees(ctx, tenant, c.q)
						if err != nil || len(es) != 51 {
							b.Fatalf("page = %d, %v", len(es), err)
						}
					}
				})
			}
		})
	}
}
