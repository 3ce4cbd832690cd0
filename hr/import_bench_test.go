package hr_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
)

// benchEmployeesCSV returns a CSV file of n employees in 10 departments
// under "Acme": every tenth one manages the nine after it (named before
// their manager appears in the file for half of them), every fifth came by
// referral.
func benchEmployeesCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("number,name,email,phone,department,manager,hire_date,hire_channel,referrer,key_person\n")
	for i := range n {
		manager := ""
		if i%10 != 0 {
			manager = fmt.Sprintf("E%06d", i-i%10)
		}
		channel, referrer := "experienced", ""
		if i%5 == 1 {
			channel, referrer = "referral", fmt.Sprintf("E%06d", (i+500)%n-(i+500)%n%10)
		}
		fmt.Fprintf(&b, "E%06d,Person %06d,p%d@acme.example,+86 138 %04d %04d,Acme/Dept %d,%s,2020-%02d-%02d,%s,%s,%t\n",
			i, i, i, i/10000, i%10000, i%10, manager, 1+i%12, 1+i%28, channel, referrer, i%50 == 0)
	}
	return b.Bytes()
}

// BenchmarkImportEmployeesCSV imports 10,000 employees (validation, one
// multi-row insert per 1,000 rows, one audit entry) into a fresh tenant per
// iteration.
func BenchmarkImportEmployeesCSV(b *testing.B) {
	const n = 10_000
	file := benchEmployeesCSV(n)
	var depts strings.Builder
	depts.WriteString("path\nAcme\n")
	for i := range 10 {
		fmt.Fprintf(&depts, "Acme/Dept %d\n", i)
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			db := dbtest.Open(b, backend)
			log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db})
			if err != nil {
				b.Fatal(err)
			}
			enf, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: log})
			if err != nil {
				b.Fatal(err)
			}
			svc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enf, Audit: log})
			if err != nil {
				b.Fatal(err)
			}
			platform := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "platform", Subject: "bench", Kind: ballast.KindSystem})
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				tn, err := svc.CreateTenant(platform, hr.TenantParams{Name: "Bench"})
				if err != nil {
					b.Fatal(err)
				}
				ctx := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: tn.ID, Subject: "importer", Kind: ballast.KindSystem})
				if _, err := svc.ImportDepartmentsCSV(ctx, strings.NewReader(depts.String())); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				rep, err := svc.ImportEmployeesCSV(ctx, bytes.NewReader(file))
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if rep.Employees != n {
					b.Fatalf("imported %d", rep.Employees)
				}
			}
			b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "employees/s")
		})
	}
}
