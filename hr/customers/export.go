package customers

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast/audit"
)

// ExportColumns are the columns of Export's CSV, in order. Contacts, deals
// and follow-ups are JSON arrays; annual_value is in units of currency with
// two decimals.
var ExportColumns = []string{"id", "name", "industry", "region", "tier", "annual_value", "currency",
	"owner_id", "status", "needs", "contacts", "deals", "follow_ups", "created_at", "updated_at"}

// exportPage is how many customers Export reads per query.
const exportPage = 1000

// Export writes every customer the principal may see that f selects (all
// pages: f.Cursor and f.Limit are ignored) to w as CSV with ExportColumns,
// and returns the number of rows. It needs PermExport, which ordinary
// employees lack: bulk export is for HR. The export is itself evidence: an
// audit entry (action customers.export) records who exported how many rows
// with which filter, in the same transaction as the reads; if it fails the
// error is returned and the caller must discard what was written to w. An
// export without the permission is ErrForbidden and writes nothing.
func (s *Service) Export(ctx context.Context, w io.Writer, f Filter) (int, error) {
	a, err := s.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("customers: export: %w", err)
	}
	if err := s.may(ctx, a, PermExport); err != nil {
		return 0, fmt.Errorf("customers: export: %w", err)
	}
	f.Cursor, f.Limit = "", 0
	q, err := f.query(a.scope)
	if err != nil {
		return 0, fmt.Errorf("customers: export: %w", err)
	}
	q.Limit = exportPage
	n := 0
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(ExportColumns); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		for {
			cs, err := s.store.ListCustomers(ctx, a.Tenant, q)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if err := cw.Write(exportRow(c)); err != nil {
					return fmt.Errorf("write csv: %w", err)
				}
			}
			n += len(cs)
			if len(cs) < q.Limit {
				break
			}
			q.AfterName, q.AfterID = cs[len(cs)-1].Name, cs[len(cs)-1].ID
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		filter, _ := json.Marshal(f)
		_, err := s.audit.Append(ctx, audit.Record{Action: ActionExport, TargetType: "tenant", TargetID: a.Tenant,
			Reason:  fmt.Sprintf("csv export: %d customers, filter %s", n, filter),
			Changes: []audit.Change{{Path: "rows", After: strconv.Itoa(n)}, {Path: "filter", After: string(filter)}}})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("customers: export: %w", err)
	}
	return n, nil
}

func exportRow(c Customer) []string {
	js := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	return []string{c.ID, cell(c.Name), cell(c.Industry), cell(c.Region), string(c.Tier),
		money(c.AnnualValueCents), c.Currency, c.OwnerID, string(c.Status), cell(c.Needs),
		js(nonNil(c.Contacts)), js(nonNil(c.Deals)), js(nonNil(c.FollowUps)),
		c.CreatedAt.Format(time.RFC3339), c.UpdatedAt.Format(time.RFC3339)}
}

// cell defuses text a spreadsheet would run as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// money formats hundredths as units with two decimals.
func money(cents int64) string {
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
