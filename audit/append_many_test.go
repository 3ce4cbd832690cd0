package audit_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestAppendMany_WritesABatchThatLinksAndVerifies(t *testing.T) {
	t.Parallel()
	for _, linking := range []audit.Linking{audit.LinkLater, audit.LinkOnAppend} {
		dbtest.Each(t, func(t *testing.T, db *storage.DB) {
			log, err := audit.New(audit.Config{Store: db.Audit(), Tx: db, Linking: linking})
			if err != nil {
				t.Fatal(err)
			}
			tenant := ballast.NewID()
			ctx := principal(tenant, ballast.KindSystem)
			const n = 2100 // more than two multi-row statements
			rs := make([]audit.Record, n)
			for i := range rs {
				rs[i] = audit.Record{Action: "customers.transfer", TargetType: "customer", TargetID: fmt.Sprint(i),
					Changes: []audit.Change{{Path: "OwnerID", Before: "a", After: "b"}}}
			}
			var es []audit.Entry
			err = db.InTx(ctx, func(ctx context.Context) error {
				es, err = log.AppendMany(ctx, rs)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != n || es[0].Actor != "s-1" || es[n-1].TargetID != fmt.Sprint(n-1) {
				t.Fatalf("AppendMany returned %d entries, first %+v", len(es), es[0])
			}
			rep, err := log.Verify(ctx, tenant)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Entries != n {
				t.Errorf("Verify covered %d entries, want %d", rep.Entries, n)
			}
		})
	}
}

func TestAppendMany_BadRecordWritesNothing(t *testing.T) {
	t.Parallel()
	log, db := newLog(t, audit.Config{})
	tenant := ballast.NewID()
	ctx := principal(tenant, ballast.KindSystem)
	_, err := log.AppendMany(ctx, []audit.Record{
		{Action: "a", TargetType: "t"},
		{TargetType: "t"},
	})
	var v *ballast.ValidationError
	if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != "records[1].action" {
		t.Fatalf("AppendMany = %v, want a validation error naming records[1].action", err)
	}
	if got := count(t, db, tenant); got != 0 {
		t.Errorf("%d entries written by a refused batch", got)
	}
}
