package customers_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// A revocation stage denies customers:read:key a week before a leaver's
// last day: from then on their key accounts vanish from lists and lookups,
// while their other customers stay in reach for the handover. The same deny
// works on an HR user, whose read-all scope it narrows too.
func TestKeyAccounts_HiddenOnceReadKeyIsDenied(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		key := e.create(t, "K 大客户", e.sales1, func(p *customers.Params) { p.Tier = customers.TierKey })
		std := e.create(t, "S 普通客户", e.sales1)
		for _, role := range []string{"salesperson", "hr"} {
			t.Run(role, func(t *testing.T) {
				ctx := e.ctx[role]
				page, err := e.svc.List(ctx, customers.Filter{})
				must(t, err)
				if diff := cmp.Diff([]string{key.Name, std.Name}, names(page.Customers)); diff != "" {
					t.Fatalf("before the deny (-want +got):\n%s", diff)
				}
				p, err := ballast.PrincipalFrom(ctx)
				must(t, err)
				must(t, e.enf.DenyPermission(e.sys, p.Subject, customers.PermReadKey, "revocation stage"))
				page, err = e.svc.List(ctx, customers.Filter{})
				must(t, err)
				if diff := cmp.Diff([]string{std.Name}, names(page.Customers)); diff != "" {
					t.Errorf("after the deny (-want +got):\n%s", diff)
				}
				_, err = e.svc.Get(ctx, key.ID)
				wantErr(t, "Get key account", err, ballast.ErrNotFound)
				if _, err := e.svc.Get(ctx, std.ID); err != nil {
					t.Errorf("Get standard customer: %v", err)
				}
			})
		}
	})
}
