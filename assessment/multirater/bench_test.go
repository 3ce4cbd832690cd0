package multirater_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// series is a row source of g = 1…? on db's dialect.
func series(db *storage.DB) string {
	if db.Dialect() == storage.SQLite {
		return "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ?) SELECT g FROM s"
	}
	return "SELECT g FROM generate_series(CAST(1 AS BIGINT), CAST(? AS BIGINT)) AS g"
}

// uuidOf is an SQL expression for a canonical UUID built from prefix and
// the integer expression x.
func uuidOf(db *storage.DB, prefix, x string) string {
	if db.Dialect() == storage.SQLite {
		return "'" + prefix + "' || substr('000000000000' || (" + x + "), -12, 12)"
	}
	return "'" + prefix + "' || lpad(CAST((" + x + ") AS TEXT), 12, '0')"
}

// benchQuestionnaire has 5 dimensions of 2 questions: 10 questions.
func benchQuestionnaire() multirater.Questionnaire {
	q := multirater.Questionnaire{Scale: multirater.Scale{Min: 1, Max: 5}}
	for d := range 5 {
		q.Dimensions = append(q.Dimensions, multirater.Dimension{Code: fmt.Sprintf("D%d", d), Name: fmt.Sprintf("Dimension %d", d),
			Questions: []multirater.Question{{Code: fmt.Sprintf("Q%d", 2*d), Text: "q"}, {Code: fmt.Sprintf("Q%d", 2*d+1), Text: "q"}}})
	}
	return q
}

// seedAggregate creates a closed round of n reviewees, each with 8
// submitted responses (self, manager, 3 peers, 2 direct reports, 1
// other) of 10 questions, set-based.
func seedAggregate(b *testing.B, e *env, n int) multirater.Round {
	b.Helper()
	ctx := context.Background()
	db := e.db
	r, err := e.svc.CreateRound(e.as["hr"], multirater.RoundParams{CycleID: cycleID, Name: "bench", Questionnaire: benchQuestionnaire(),
		NominationDue: nominationDue, ResponseDue: responseDue})
	must(b, err)
	now := time.Now().UTC()
	exec := func(q string, args ...any) {
		b.Helper()
		if _, err := db.Bun().ExecContext(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	exec(`INSERT INTO ballast_employees (tenant_id, id, number, name, department_id, hire_date, hire_channel, status, created_at, updated_at, version)
		SELECT ?, `+uuidOf(db, "00000000-0000-7000-8000-", "g")+`, 'B' || g, 'Bench ' || g, ?, '2020-01-01', 'campus', 'active', ?, ?, 1
		FROM (`+series(db)+`) AS gs`, e.tenant, e.manager.DepartmentID, now, now, n)
	exec(`INSERT INTO ballast_multirater_reviewees (tenant_id, round_id, employee_id, manager_id, added_at)
		SELECT ?, ?, `+uuidOf(db, "00000000-0000-7000-8000-", "g")+`, '', ? FROM (`+series(db)+`) AS gs`, e.tenant, r.ID, now, n)
	if db.Dialect() == storage.Postgres {
		// Statistics for the foreign-key checks of the bulk insert below.
		exec(`ANALYZE ballast_multirater_reviewees`)
	}
	// g-1 = ((reviewee × 8) + slot) × 10 + question.
	exec(`INSERT INTO ballast_multirater_scores (tenant_id, round_id, reviewee_id, grp, response_id, question, dimension, score)
		SELECT ?, ?, `+uuidOf(db, "00000000-0000-7000-8000-", "(g - 1) / 80 + 1")+`,
		       CASE ((g - 1) / 10) % 8 WHEN 0 THEN 'self' WHEN 1 THEN 'manager' WHEN 2 THEN 'peer' WHEN 3 THEN 'peer'
		            WHEN 4 THEN 'peer' WHEN 5 THEN 'direct_report' WHEN 6 THEN 'direct_report' ELSE 'other' END,
		       `+uuidOf(db, "00000000-0000-4000-8000-", "(g - 1) / 10")+`,
		       'Q' || ((g - 1) % 10), 'D' || (((g - 1) % 10) / 2), 1 + ((g * 7) % 5)
		FROM (`+series(db)+`) AS gs`, e.tenant, r.ID, n*8*10)
	exec(`UPDATE ballast_multirater_rounds SET state = 'closed', closed_at = ? WHERE tenant_id = ? AND id = ?`, now, e.tenant, r.ID)
	if db.Dialect() == storage.Postgres {
		// The table as autovacuum leaves it a while after the submissions
		// (visibility map set, so the aggregate reads the index alone).
		exec(`VACUUM ANALYZE ballast_multirater_scores`)
	}
	return r
}

// BenchmarkAggregate measures the aggregation of a closed round of 10,000
// reviewees × 8 raters × 10 questions (800,000 scores): Results streams
// every reviewee's summary from one GROUP BY query, thresholds applied
// (the 2 direct reports and 1 other of each reviewee are below them).
// Run it with -benchtime=1x; PostgreSQL when BALLAST_TEST_POSTGRES is set.
func BenchmarkAggregate(b *testing.B) {
	const n = 10_000
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			b.StopTimer()
			e := newEnv(b, dbtest.Open(b, backend))
			r := seedAggregate(b, e, n)
			b.StartTimer()
			for i := 0; i < b.N; i++ {
				got := 0
				err := e.svc.Results(e.as["hr"], r.ID, func(s multirater.Summary) error {
					if len(s.Scores) != 5 || s.Overall == nil {
						return fmt.Errorf("summary of %s: %+v", s.RevieweeID, s)
					}
					got++
					return nil
				})
				must(b, err)
				if got != n {
					b.Fatalf("%d summaries, want %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/round")
		})
	}
}

// BenchmarkCreateRound_10kReviewees measures creating a round for 10,000
// reviewees: their managers and direct reports resolved from the org
// chart (every 8 employees share a manager), about 30,000 assignments
// inserted in bulk, one audit entry and one nomination request per
// reviewee, in one transaction.
func BenchmarkCreateRound_10kReviewees(b *testing.B) {
	const n = 10_000
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skip(dbtest.EnvPostgres + " not set")
			}
			b.StopTimer()
			e := newEnv(b, dbtest.Open(b, backend))
			db, now := e.db, time.Now().UTC()
			_, err := db.Bun().ExecContext(context.Background(), `INSERT INTO ballast_employees
				(tenant_id, id, number, name, department_id, manager_id, hire_date, hire_channel, status, created_at, updated_at, version)
				SELECT ?, `+uuidOf(db, "00000000-0000-7000-8000-", "g")+`, 'B' || g, 'Bench ' || g, ?,
				       CASE WHEN g > 8 THEN `+uuidOf(db, "00000000-0000-7000-8000-", "(g - 1) / 8")+` END,
				       '2020-01-01', 'campus', 'active', ?, ?, 1
				FROM (`+series(db)+`) AS gs`, e.tenant, e.manager.DepartmentID, now, now, n)
			must(b, err)
			if db.Dialect() == storage.Postgres {
				// The org chart as autovacuum leaves it after the import.
				_, err = db.Bun().ExecContext(context.Background(), "ANALYZE ballast_employees")
				must(b, err)
			}
			ids := make([]string, n)
			for i := range ids {
				ids[i] = fmt.Sprintf("00000000-0000-7000-8000-%012d", i+1)
			}
			p := e.roundParams()
			p.Reviewees = ids
			b.StartTimer()
			for i := 0; i < b.N; i++ {
				p.Name = fmt.Sprintf("bench %d", i)
				r, err := e.svc.CreateRound(e.as["hr"], p)
				must(b, err)
				if r.Reviewees != n {
					b.Fatalf("%d reviewees", r.Reviewees)
				}
			}
		})
	}
}
