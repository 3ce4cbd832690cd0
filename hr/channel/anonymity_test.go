package channel_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// column is one column of one table of the database.
type column struct {
	Table string `bun:"table_name"`
	Name  string `bun:"column_name"`
	Type  string `bun:"data_type"`
}

// columns lists every column of every table of the database (of the test's
// schema on PostgreSQL), not only ballast's.
func columns(t *testing.T, db *storage.DB) []column {
	t.Helper()
	ctx := context.Background()
	var out []column
	if db.Dialect() == storage.Postgres {
		err := db.Bun().NewRaw(`SELECT table_name, column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`).Scan(ctx, &out)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) == 0 {
			t.Fatal("no columns found")
		}
		return out
	}
	var tables []string
	if err := db.Bun().NewRaw(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	for _, tbl := range tables {
		var cols []struct {
			Name string `bun:"name"`
			Type string `bun:"type"`
		}
		if err := db.Bun().NewRaw(`SELECT name, type FROM pragma_table_info(?)`, tbl).Scan(ctx, &cols); err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			out = append(out, column{Table: tbl, Name: c.Name, Type: c.Type})
		}
	}
	return out
}

// find returns "table.column" for every column of every table whose text
// contains needle. Instants are rendered in UTC.
func find(t *testing.T, db *storage.DB, cols []column, needle string) []string {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Bun().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	contains := `instr(CAST(%q AS TEXT), ?) > 0`
	if db.Dialect() == storage.Postgres {
		if _, err := tx.ExecContext(ctx, "SET LOCAL TimeZone = 'UTC'"); err != nil {
			t.Fatal(err)
		}
		contains = `strpos(CAST(%q AS TEXT), ?) > 0`
	}
	var hits []string
	for _, c := range cols {
		var n int
		q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE `+contains, c.Table, c.Name)
		if err := tx.NewRaw(q, needle).Scan(ctx, &n); err != nil {
			t.Fatalf("scan %s.%s: %v", c.Table, c.Name, err)
		}
		if n > 0 {
			hits = append(hits, c.Table+"."+c.Name)
		}
	}
	return hits
}

func TestFeedback_NoTableHoldsTheSubmittersIdentityOrTime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		// A recipient asks a question: the positive control, proving that
		// the scan finds a subject the channel does store.
		a := e.published(t, "Survey", channel.Audience{Kind: channel.AudienceAll})
		if _, err := e.svc.Ask(o.wang.ctx, a.ID, "Is the survey anonymous?"); err != nil {
			t.Fatal(err)
		}

		// The submitter holds feedback:submit without any rule row naming
		// them, so their subject starts out nowhere in the database.
		const subject = "anon-subject-7f3a9c21-QX"
		e.anon[subject] = []string{channel.PermFeedbackSubmit}
		submitter := ballast.WithPrincipal(context.Background(),
			ballast.Principal{Tenant: e.tenant, Subject: subject, Kind: ballast.KindUser})

		submitted := time.Date(2026, 11, 25, 14, 37, 21, 654321000, time.UTC) // 22:37:21 in Shanghai
		e.clock.Set(submitted)
		sub, err := e.svc.SubmitFeedback(submitter, channel.FeedbackParams{Category: channel.CategoryIntegrity,
			Body: "Expense claims in the East office are padded."})
		if err != nil {
			t.Fatal(err)
		}
		followUp := time.Date(2026, 11, 25, 15, 10, 7, 0, time.UTC) // 23:10:07 in Shanghai
		e.clock.Set(followUp)
		if _, err := e.svc.ReplyByCode(submitter, sub.Code, "Mostly taxi receipts."); err != nil {
			t.Fatal(err)
		}
		// HR works the item, and the next day's reconcile sends the digest.
		e.clock.Set(time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC))
		if _, err := e.svc.ReplyFeedback(e.hrCtx, sub.Feedback.ID, "We are looking into it."); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Reconcile(e.sys, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if got := e.messages(t, "channel.feedback.digest"); len(got) != 1 {
			t.Fatalf("digests = %+v, want 1", got)
		}

		cols := columns(t, db)
		sum := sha256.Sum256([]byte(subject))
		for _, needle := range []string{
			subject, hex.EncodeToString(sum[:]), // the principal's subject, plain or hashed
			"14:37:21", "22:37:21", "15:10:07", "23:10:07", // the instants, in UTC and in the tenant's zone
			strconv.FormatInt(submitted.Unix(), 10), strconv.FormatInt(followUp.Unix(), 10),
			sub.Code, // the follow-up code is never stored, only its hash
		} {
			if hits := find(t, db, cols, needle); len(hits) > 0 {
				t.Errorf("%q is stored in %v", needle, hits)
			}
		}
		// The scan sees what is there: the asker, the setup's instants, the
		// feedback itself.
		for _, needle := range []string{o.wang.ID, "09:00:00", sub.Feedback.ID, "taxi receipts"} {
			if hits := find(t, db, cols, needle); len(hits) == 0 {
				t.Errorf("control %q not found: the scan is broken", needle)
			}
		}
	})
}

// rows returns every row of table in the tenant, each column rendered as text.
func rows(t *testing.T, db *storage.DB, table, tenant string) []map[string]string {
	t.Helper()
	var raw []map[string]any
	if err := db.Bun().NewRaw(fmt.Sprintf("SELECT * FROM %q WHERE tenant_id = ?", table), tenant).Scan(context.Background(), &raw); err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]string, len(raw))
	for i, r := range raw {
		out[i] = map[string]string{}
		for k, v := range r {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			out[i][k] = fmt.Sprint(v)
		}
	}
	return out
}

func TestFeedback_StoresDaysOnlyAndNothingOrdersOneDaysItems(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		// Two submissions and follow-ups on the tenant's 2026-11-25
		// (Asia/Shanghai), hours apart, with the same text.
		var codes []string
		for _, at := range []time.Time{
			time.Date(2026, 11, 24, 16, 0, 1, 111111000, time.UTC),   // 00:00:01 on the 25th
			time.Date(2026, 11, 25, 15, 59, 59, 999999000, time.UTC), // 23:59:59 on the 25th
		} {
			e.clock.Set(at)
			sub, err := e.svc.SubmitFeedback(o.wang.ctx, channel.FeedbackParams{Body: "same text"})
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, sub.Code)
		}
		for _, code := range codes {
			e.clock.Set(e.clock.Now().Add(-time.Hour))
			if _, err := e.svc.ReplyByCode(e.sys, code, "same follow-up"); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			table  string
			random []string // the columns allowed to differ: random values
		}{
			{"ballast_channel_feedback", []string{"code_hash", "id"}},
			{"ballast_channel_feedback_messages", []string{"feedback_id", "id"}},
		} {
			rs := rows(t, db, tc.table, e.tenant)
			if len(rs) != 2 {
				t.Fatalf("%s: %d rows, want 2", tc.table, len(rs))
			}
			var differ []string
			for col := range rs[0] {
				if rs[0][col] != rs[1][col] {
					differ = append(differ, col)
				}
			}
			slices.Sort(differ)
			if diff := cmp.Diff(tc.random, differ); diff != "" {
				t.Errorf("%s: columns telling the rows apart (-want +got):\n%s", tc.table, diff)
			}
			for _, r := range rs {
				if r["day"] != "2026-11-25" {
					t.Errorf("%s: day = %q, want the calendar day only", tc.table, r["day"])
				}
				if id, err := uuid.Parse(r["id"]); err != nil || id.Version() != 4 {
					t.Errorf("%s: id %q is not a random (v4) UUID", tc.table, r["id"])
				}
			}
		}
		// No column of the feedback tables can hold an instant.
		for _, c := range columns(t, db) {
			if c.Table != "ballast_channel_feedback" && c.Table != "ballast_channel_feedback_messages" {
				continue
			}
			if slices.Contains([]string{"TIMESTAMP", "timestamp with time zone", "timestamp without time zone", "DATETIME", "date"}, c.Type) {
				t.Errorf("%s.%s has type %s", c.Table, c.Name, c.Type)
			}
		}
		// On SQLite no hidden rowid records the order of insertion either.
		if db.Dialect() == storage.SQLite {
			for _, table := range []string{"ballast_channel_feedback", "ballast_channel_feedback_messages"} {
				if _, err := db.Bun().ExecContext(context.Background(), "SELECT rowid FROM "+table); err == nil {
					t.Errorf("%s has a rowid", table)
				}
			}
		}
	})
}
