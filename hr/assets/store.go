package assets

import "context"

// Scope says which assets (and which rows of their history) a reader may
// see, by holder. The store applies it in its query. The zero Scope matches
// nothing.
type Scope struct {
	// All matches every asset of the tenant.
	All bool
	// Holder, when set, matches the assets this employee holds.
	Holder string
	// HeadOf, when set, matches the assets held by employees of the
	// departments this employee heads, and of their subdepartments.
	HeadOf string
}

// Query is what the store's ListAssets takes: a Filter with its cursor
// decoded and the reader's Scope. The store returns at most Limit assets
// after (AfterName, AfterID), ordered by name, id; a Limit of 0 means
// no limit.
type Query struct {
	Scope     Scope
	Holder    string
	Kind      Kind
	Status    Status
	Query     string
	AfterName string
	AfterID   string
	Limit     int
}

// Store is what the assets Service needs from a database. storage
// implements it (storage.DB.Assets()); storetest.RunAssets checks any
// implementation.
//
// Every method takes the tenant explicitly and never reads or changes
// another tenant's rows; every method joins the transaction carried by ctx.
// A missing row is ballast.ErrNotFound; a duplicate tag and a stale version
// are ballast.ErrConflict.
type Store interface {
	// InsertAsset inserts a.
	InsertAsset(ctx context.Context, tenant string, a Asset) error
	// Asset returns one asset if scope matches it, else ErrNotFound.
	Asset(ctx context.Context, tenant, id string, scope Scope) (Asset, error)
	// AssetByTag returns the asset with this tag, or ErrNotFound.
	AssetByTag(ctx context.Context, tenant, tag string) (Asset, error)
	// UpdateAsset writes every field of a but its ID and CreatedAt where
	// the stored version equals expectedVersion.
	UpdateAsset(ctx context.Context, tenant string, a Asset, expectedVersion int64) error
	// ListAssets returns one page of the register.
	ListAssets(ctx context.Context, tenant string, q Query) ([]Asset, error)
	// InsertIssuance inserts i.
	InsertIssuance(ctx context.Context, tenant string, i Issuance) error
	// UpdateIssuance writes the end of i (ReturnedOn, ConditionIn, Note,
	// CostNote, UpdatedAt); ErrNotFound when it does not exist.
	UpdateIssuance(ctx context.Context, tenant string, i Issuance) error
	// Issuances returns the rows of an asset's history whose holder scope
	// matches, oldest first.
	Issuances(ctx context.Context, tenant, assetID string, scope Scope) ([]Issuance, error)
}
