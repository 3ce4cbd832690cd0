package app

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/storage"
)

// SeedDemoIfEmpty seeds the demo company when the database holds no tenant
// at all, and returns its logins; on a database that has tenants it does
// nothing and returns no logins.
func (a *App) SeedDemoIfEmpty(ctx context.Context) (demo.Logins, error) {
	n, err := a.DB.Bun().NewSelect().TableExpr("ballast_tenants").Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("app: count tenants: %w", storage.Translate("count tenants", err))
	}
	if n > 0 {
		return nil, nil
	}
	return a.seedDemo(ctx)
}

// ReseedDemo wipes the demo tenant (every row of every ballast table with
// its tenant_id, its users and tokens included) and seeds it afresh, in one
// transaction. Other tenants are untouched.
func (a *App) ReseedDemo(ctx context.Context) (demo.Logins, error) {
	// demo.Seed runs in a savepoint of this transaction. bun hands a
	// savepoint's function the context the outer transaction began with, so
	// the system principal must be on ctx before the outer InTx.
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: "demo-reseed", Kind: ballast.KindSystem})
	var logins demo.Logins
	err := a.DB.InTx(ctx, func(ctx context.Context) error {
		if err := a.WipeTenant(ctx, demo.TenantID); err != nil {
			return err
		}
		var err error
		logins, err = a.seedDemo(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	// The enforcer may hold the old policy in memory; reload it.
	if err := a.Access.LoadTenants(ctx, demo.TenantID); err != nil {
		return nil, err
	}
	return logins, nil
}

func (a *App) seedDemo(ctx context.Context) (demo.Logins, error) {
	return demo.Seed(ctx, demo.Config{Tx: a.DB, HR: a.HR, Access: a.Access, Auth: a.Auth, Clock: a.Clock,
		Customers: a.Customers, Assets: a.Assets, Channel: a.Channel, Offboarding: a.Offboarding,
		Assessment: a.Assessment, Multirater: a.Multirater, Appeals: a.Appeals})
}

// WipeTenant deletes every row of tenant from every ballast table (the
// library's and the server's), in one transaction. Tables are emptied in
// whatever order their foreign keys allow: a delete refused by a reference
// is retried after the others. Audit entries go too: this is for demo and
// test data only, never for a real tenant's evidence.
func (a *App) WipeTenant(ctx context.Context, tenant string) error {
	return a.DB.InTx(ctx, func(ctx context.Context) error {
		tables, err := a.tenantTables(ctx)
		if err != nil {
			return err
		}
		for pass := 0; len(tables) > 0; pass++ {
			var refused []string
			var lastErr error
			for _, t := range tables {
				err := a.DB.InTx(ctx, func(ctx context.Context) error {
					_, err := a.DB.Conn(ctx).NewDelete().TableExpr(t).Where("tenant_id = ?", tenant).Exec(ctx)
					return err
				})
				if err != nil {
					refused = append(refused, t)
					lastErr = err
				}
			}
			if len(refused) == len(tables) {
				return fmt.Errorf("app: wipe tenant %s: %w", tenant, storage.Translate("delete "+refused[0], lastErr))
			}
			tables = refused
		}
		return nil
	})
}

// tenantTables lists the ballast tables that have a tenant_id column.
func (a *App) tenantTables(ctx context.Context) ([]string, error) {
	var q string
	switch a.DB.Dialect() {
	case storage.SQLite:
		q = `SELECT m.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS c
			WHERE m.type = 'table' AND m.name LIKE 'ballast%' AND c.name = 'tenant_id' ORDER BY m.name`
	default:
		q = `SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name LIKE 'ballast%' AND column_name = 'tenant_id'
			ORDER BY table_name`
	}
	var tables []string
	if err := a.DB.Conn(ctx).NewRaw(q).Scan(ctx, &tables); err != nil {
		return nil, fmt.Errorf("app: list tables: %w", storage.Translate("list tables", err))
	}
	return tables, nil
}
