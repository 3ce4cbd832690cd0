package storage

import (
	"context"

	"github.com/casbin/casbin/v2/persist"
	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
)

// AccessStore is access.Store on this database: a Casbin adapter over the
// ballast_access_rules table (see casbin_adapter.go) and the per-tenant
// policy versions in ballast_access_versions. Every query runs through
// Conn, so inside a use case it joins the use case's transaction.
type AccessStore struct {
	db *DB
}

// Access returns the store of the access package.
func (db *DB) Access() *AccessStore { return &AccessStore{db: db} }

var (
	_ access.Store                   = (*AccessStore)(nil)
	_ persist.Adapter                = (*AccessStore)(nil)
	_ persist.ContextAdapter         = (*AccessStore)(nil)
	_ persist.BatchAdapter           = (*AccessStore)(nil)
	_ persist.ContextBatchAdapter    = (*AccessStore)(nil)
	_ persist.FilteredAdapter        = (*AccessStore)(nil)
	_ persist.ContextFilteredAdapter = (*AccessStore)(nil)
)

type accessVersion struct {
	bun.BaseModel `bun:"table:ballast_access_versions"`
	TenantID      string `bun:"tenant_id,pk"`
	Version       int64  `bun:"version"`
}

// PolicyVersions returns the policy version of each named tenant that has
// one; tenants whose policy never changed are absent.
func (s *AccessStore) PolicyVersions(ctx context.Context, tenants []string) (map[string]int64, error) {
	out := make(map[string]int64, len(tenants))
	if len(tenants) == 0 {
		return out, nil
	}
	var rows []accessVersion
	err := s.db.Conn(ctx).NewSelect().Model(&rows).
		Where("tenant_id IN (?)", bun.In(tenants)).
		Scan(ctx)
	if err != nil {
		return nil, translate("access policy versions", err)
	}
	for _, r := range rows {
		out[r.TenantID] = r.Version
	}
	return out, nil
}

// BumpPolicyVersion increments the tenant's policy version (creating it
// at 1) and returns the new value. On PostgreSQL the updated row stays
// locked until the transaction ends, serialising the tenant's changes, and
// a notification for ListenPolicyChanges is sent when it commits.
func (s *AccessStore) BumpPolicyVersion(ctx context.Context, tenant string) (int64, error) {
	if tenant == "" {
		return 0, translate("access bump version", ballast.Invalid("tenant", "is required"))
	}
	var v int64
	err := s.db.Conn(ctx).NewRaw(
		"INSERT INTO ballast_access_versions (tenant_id, version) VALUES (?, 1) "+
			"ON CONFLICT (tenant_id) DO UPDATE SET version = ballast_access_versions.version + 1 "+
			"RETURNING version", tenant).
		Scan(ctx, &v)
	if err != nil {
		return 0, translate("access bump version", err)
	}
	if err := s.notifyPolicyChange(ctx, tenant); err != nil {
		return 0, err
	}
	return v, nil
}
