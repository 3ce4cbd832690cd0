package customers_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// Every role sees exactly the customers it is entitled to, in List and in
// Get (an invisible customer is not found, as if it did not exist).
func TestVisibility_EveryRoleSeesOnlyItsScope(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.create(t, "A 王丽的客户", e.sales1)
		b := e.create(t, "B 赵敏的客户", e.sales2)
		f := e.create(t, "F 财务的客户", e.fin1)
		all := []string{a.Name, b.Name, f.Name}
		tests := []struct {
			role string
			want []string
		}{
			{"salesperson", []string{a.Name}},
			{"another salesperson", []string{b.Name}},
			{"head of that department", []string{a.Name, b.Name}}, // East lies under Sales
			{"head of another department", []string{f.Name}},
			{"hr", all},
			{"admin", all},
		}
		for _, tt := range tests {
			t.Run(tt.role, func(t *testing.T) {
				ctx := e.ctx[tt.role]
				page, err := e.svc.List(ctx, customers.Filter{})
				must(t, err)
				if diff := cmp.Diff(tt.want, names(page.Customers)); diff != "" {
					t.Errorf("List (-want +got):\n%s", diff)
				}
				for _, c := range []customers.Customer{a, b, f} {
					got, err := e.svc.Get(ctx, c.ID)
					visible := false
					for _, n := range tt.want {
						visible = visible || n == c.Name
					}
					switch {
					case visible && err != nil:
						t.Errorf("Get(%s) = %v, want it", c.Name, err)
					case visible && got.ID != c.ID:
						t.Errorf("Get(%s) = %+v", c.Name, got)
					case !visible:
						wantErr(t, "Get "+c.Name, err, ballast.ErrNotFound)
						_, err = e.svc.History(ctx, c.ID)
						wantErr(t, "History "+c.Name, err, ballast.ErrNotFound)
					}
				}
				// A filter by another owner never widens the scope.
				page, err = e.svc.List(ctx, customers.Filter{Owner: e.fin1.ID})
				must(t, err)
				for _, c := range page.Customers {
					if c.OwnerID != e.fin1.ID {
						t.Errorf("Owner filter gave %s", c.Name)
					}
				}
			})
		}
	})
}

// Who may change a customer owned by the salesperson: the owner edits it,
// custodians (HR, admins) edit and archive it, a department head reads but
// may not write, others do not even find it.
func TestWrites_EveryRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		tests := []struct {
			role        string
			update      error
			archive     error
			transfer    error
			export      error
			snapshotAll error
		}{
			{"salesperson", nil, ballast.ErrForbidden, ballast.ErrForbidden, ballast.ErrForbidden, ballast.ErrForbidden},
			{"another salesperson", ballast.ErrNotFound, ballast.ErrNotFound, ballast.ErrForbidden, ballast.ErrForbidden, ballast.ErrForbidden},
			{"head of that department", ballast.ErrForbidden, ballast.ErrForbidden, ballast.ErrForbidden, ballast.ErrForbidden, ballast.ErrForbidden},
			{"head of another department", ballast.ErrNotFound, ballast.ErrNotFound, ballast.ErrForbidden, ballast.ErrForbidden, ballast.ErrForbidden},
			{"hr", nil, nil, nil, nil, nil},
			{"admin", nil, nil, nil, nil, nil},
		}
		for _, tt := range tests {
			t.Run(tt.role, func(t *testing.T) {
				ctx := e.ctx[tt.role]
				c := e.create(t, "客户 "+tt.role, e.sales1)
				p := c.Params()
				p.Needs = "需要更快的交付"
				got, err := e.svc.Update(ctx, c.ID, p, c.Version)
				if tt.update == nil {
					must(t, err)
					if got.Needs != p.Needs || got.Version != c.Version+1 {
						t.Errorf("Update = %+v", got)
					}
					c = got
				} else {
					wantErr(t, "Update", err, tt.update)
				}
				_, err = e.svc.Archive(ctx, c.ID, c.Version, "test")
				if tt.archive == nil {
					must(t, err)
				} else {
					wantErr(t, "Archive", err, tt.archive)
				}
				_, err = e.svc.Transfer(ctx, c.ID, e.sales2.ID, 99, "test")
				if tt.transfer == nil {
					wantErr(t, "Transfer at a stale version", err, ballast.ErrConflict)
				} else {
					wantErr(t, "Transfer", err, tt.transfer)
				}
				var sink discard
				_, err = e.svc.Export(ctx, &sink, customers.Filter{})
				if tt.export == nil {
					must(t, err)
				} else {
					wantErr(t, "Export", err, tt.export)
					if sink.n != 0 {
						t.Errorf("refused Export wrote %d bytes", sink.n)
					}
				}
				_, err = e.svc.TakeSnapshot(ctx, customers.SnapshotScope{}, "test")
				if tt.snapshotAll == nil {
					must(t, err)
				} else {
					wantErr(t, "TakeSnapshot of the tenant", err, tt.snapshotAll)
				}
			})
		}
	})
}

type discard struct{ n int }

func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }
