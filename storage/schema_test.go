package storage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// keyCols lists, for one table, its columns and the column lists of its
// primary key and every unique index.
type keyCols struct {
	columns []string
	keys    map[string][]string // index name → columns in order
}

func sqliteSchema(t *testing.T, ctx context.Context, db *storage.DB) map[string]keyCols {
	t.Helper()
	var tables []string
	if err := db.Bun().NewSelect().TableExpr("sqlite_master").Column("name").
		Where("type = 'table' AND name LIKE 'ballast_%'").Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	out := map[string]keyCols{}
	for _, tbl := range tables {
		kc := keyCols{keys: map[string][]string{}}
		rows, err := db.Bun().QueryContext(ctx, "SELECT name, pk FROM pragma_table_info(?) ORDER BY pk", tbl)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name string
			var pk int
			if err := rows.Scan(&name, &pk); err != nil {
				t.Fatal(err)
			}
			kc.columns = append(kc.columns, name)
			if pk > 0 {
				kc.keys["primary key"] = append(kc.keys["primary key"], name)
			}
		}
		rows.Close()
		var idx []struct {
			Name   string `bun:"name"`
			Unique int    `bun:"unique"`
			Origin string `bun:"origin"`
		}
		if err := db.Bun().NewRaw("SELECT name, \"unique\", origin FROM pragma_index_list(?)", tbl).Scan(ctx, &idx); err != nil {
			t.Fatal(err)
		}
		for _, ix := range idx {
			if ix.Unique == 0 || ix.Origin == "pk" {
				continue
			}
			var cols []string
			if err := db.Bun().NewRaw("SELECT name FROM pragma_index_info(?) ORDER BY seqno", ix.Name).Scan(ctx, &cols); err != nil {
				t.Fatal(err)
			}
			kc.keys[ix.Name] = cols
		}
		out[tbl] = kc
	}
	return out
}

func postgresSchema(t *testing.T, ctx context.Context, db *storage.DB) map[string]keyCols {
	t.Helper()
	var cols []struct {
		Table  string `bun:"table_name"`
		Column string `bun:"column_name"`
	}
	if err := db.Bun().NewRaw(`SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name LIKE 'ballast_%' ORDER BY table_name, ordinal_position`).
		Scan(ctx, &cols); err != nil {
		t.Fatal(err)
	}
	out := map[string]keyCols{}
	for _, c := range cols {
		kc, ok := out[c.Table]
		if !ok {
			kc = keyCols{keys: map[string][]string{}}
		}
		kc.columns = append(kc.columns, c.Column)
		out[c.Table] = kc
	}
	var idx []struct {
		Table string `bun:"tbl"`
		Index string `bun:"idx"`
		Def   string `bun:"def"`
	}
	if err := db.Bun().NewRaw(`SELECT t.relname AS tbl, i.relname AS idx, pg_get_indexdef(x.indexrelid) AS def
		FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND t.relname LIKE 'ballast_%' AND (x.indisunique OR x.indisprimary)`).
		Scan(ctx, &idx); err != nil {
		t.Fatal(err)
	}
	for _, ix := range idx {
		// "CREATE UNIQUE INDEX name ON schema.table USING btree (a, b)"
		def := ix.Def[strings.LastIndex(ix.Def, "(")+1:]
		def = strings.TrimSuffix(strings.TrimSpace(def), ")")
		var cs []string
		for _, c := range strings.Split(def, ",") {
			cs = append(cs, strings.Trim(strings.TrimSpace(c), `"`))
		}
		out[ix.Table].keys[ix.Index] = cs
	}
	return out
}

// TestSchema_EveryTableIsTenantScoped enforces DESIGN.md's first principle
// on the migrated schema itself: every table has tenant_id, and its primary
// key and every unique index start with it.
func TestSchema_EveryTableIsTenantScoped(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var schema map[string]keyCols
		if db.Dialect() == storage.Postgres {
			schema = postgresSchema(t, ctx, db)
		} else {
			schema = sqliteSchema(t, ctx, db)
		}
		bookkeeping := []string{storage.MigrationsTable, storage.MigrationsLocksTable}
		checked := 0
		for tbl, kc := range schema {
			if slices.Contains(bookkeeping, tbl) {
				continue
			}
			checked++
			if !slices.Contains(kc.columns, "tenant_id") {
				t.Errorf("%s has no tenant_id column", tbl)
			}
			if _, ok := kc.keys["primary key"]; !ok && db.Dialect() == storage.SQLite {
				t.Errorf("%s has no primary key", tbl)
			}
			for name, cols := range kc.keys {
				if len(cols) == 0 || cols[0] != "tenant_id" {
					t.Errorf("%s: %s is %s; it must start with tenant_id", tbl, name, fmt.Sprint(cols))
				}
			}
		}
		if checked == 0 {
			t.Fatal("no ballast_ tables found")
		}
	})
}
