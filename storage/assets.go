package storage

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
)

// Assets returns the store of the hr/assets package, on this database.
func (db *DB) Assets() assets.Store { return assetStore{db: db} }

// assetStore implements assets.Store. Every query names tenant_id and runs
// on db.Conn(ctx), so it joins the use case's transaction.
type assetStore struct{ db *DB }

type assetRow struct {
	bun.BaseModel `bun:"table:ballast_assets,alias:a"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Kind          string    `bun:"kind"`
	Name          string    `bun:"name"`
	Model         string    `bun:"model"`
	Tag           string    `bun:"tag,nullzero"`
	HolderID      string    `bun:"holder_id,nullzero"`
	IssuedOn      string    `bun:"issued_on,nullzero"`
	DueBack       string    `bun:"due_back,nullzero"`
	ReturnedOn    string    `bun:"returned_on,nullzero"`
	Condition     string    `bun:"condition"`
	Notes         string    `bun:"notes"`
	Status        string    `bun:"status"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func assetRowOf(tenant string, a assets.Asset) assetRow {
	return assetRow{TenantID: tenant, ID: a.ID, Kind: string(a.Kind), Name: a.Name, Model: a.Model, Tag: a.Tag,
		HolderID: a.Holder, IssuedOn: a.IssuedOn.String(), DueBack: a.DueBack.String(), ReturnedOn: a.ReturnedOn.String(),
		Condition: string(a.Condition), Notes: a.Notes, Status: string(a.Status),
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

func (r assetRow) record() assets.Asset {
	// Dates were written by assetRowOf; a malformed one reads as zero.
	issued, _ := hr.ParseDate(r.IssuedOn)
	due, _ := hr.ParseDate(r.DueBack)
	returned, _ := hr.ParseDate(r.ReturnedOn)
	return assets.Asset{ID: r.ID, Kind: assets.Kind(r.Kind), Name: r.Name, Model: r.Model, Tag: r.Tag,
		Holder: r.HolderID, IssuedOn: issued, DueBack: due, ReturnedOn: returned,
		Condition: assets.Condition(r.Condition), Notes: r.Notes, Status: assets.Status(r.Status),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

func (s assetStore) InsertAsset(ctx context.Context, tenant string, a assets.Asset) error {
	row := assetRowOf(tenant, a)
	_, err := s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert asset", err)
}

// scoped restricts q to the rows whose holder column scope may see; the
// zero scope matches nothing. A holder-only scope is a plain
// equality, so the (tenant_id, holder_id, name, id) index serves it.
func scoped(q *bun.SelectQuery, tenant string, scope assets.Scope, holder bun.Ident) *bun.SelectQuery {
	const headed = `? IN (SELECT e.id FROM ballast_employees e
		WHERE e.tenant_id = ? AND e.department_id IN (WITH RECURSIVE sub(id, depth) AS (
			SELECT d.id, 0 FROM ballast_departments d WHERE d.tenant_id = ? AND d.head_id = ?
			UNION ALL
			SELECT d.id, sub.depth + 1 FROM ballast_departments d JOIN sub ON d.parent_id = sub.id
			WHERE d.tenant_id = ? AND sub.depth < ?
		) SELECT id FROM sub))`
	switch {
	case scope.All:
		return q
	case scope.Holder != "" && scope.HeadOf != "":
		return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("? = ?", holder, scope.Holder).
				WhereOr(headed, holder, tenant, tenant, scope.HeadOf, tenant, maxDepth)
		})
	case scope.Holder != "":
		return q.Where("? = ?", holder, scope.Holder)
	case scope.HeadOf != "":
		return q.Where(headed, holder, tenant, tenant, scope.HeadOf, tenant, maxDepth)
	default:
		return q.Where("1 = 0")
	}
}

func (s assetStore) Asset(ctx context.Context, tenant, id string, scope assets.Scope) (assets.Asset, error) {
	var row assetRow
	q := s.db.Conn(ctx).NewSelect().Model(&row).
		Where("a.tenant_id = ? AND a.id = ?", tenant, id)
	if err := scoped(q, tenant, scope, bun.Ident("a.holder_id")).Scan(ctx); err != nil {
		return assets.Asset{}, translate("get asset "+id, err)
	}
	return row.record(), nil
}

func (s assetStore) AssetByTag(ctx context.Context, tenant, tag string) (assets.Asset, error) {
	var row assetRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("tenant_id = ? AND tag = ?", tenant, tag).Scan(ctx)
	if err != nil {
		return assets.Asset{}, translate("get asset by tag", err)
	}
	return row.record(), nil
}

func (s assetStore) UpdateAsset(ctx context.Context, tenant string, a assets.Asset, expected int64) error {
	row := assetRowOf(tenant, a)
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("kind", "name", "model", "tag", "holder_id", "issued_on", "due_back", "returned_on",
			"condition", "notes", "status", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, a.ID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update asset "+a.ID, res, err, "ballast_assets", "tenant_id = ? AND id = ?", tenant, a.ID)
}

func (s assetStore) ListAssets(ctx context.Context, tenant string, q assets.Query) ([]assets.Asset, error) {
	var rows []assetRow
	sel := s.db.Conn(ctx).NewSelect().Model(&rows).Where("a.tenant_id = ?", tenant)
	sel = scoped(sel, tenant, q.Scope, bun.Ident("a.holder_id"))
	if q.Holder != "" {
		sel = sel.Where("a.holder_id = ?", q.Holder)
	}
	if q.Kind != "" {
		sel = sel.Where("a.kind = ?", q.Kind)
	}
	if q.Status != "" {
		sel = sel.Where("a.status = ?", q.Status)
	}
	if q.Query != "" {
		pat := "%" + likeEscaper.Replace(strings.ToLower(q.Query)) + "%"
		sel = sel.Where(`(LOWER(a.name) LIKE ? ESCAPE '\' OR LOWER(a.model) LIKE ? ESCAPE '\'
			OR LOWER(COALESCE(a.tag, '')) LIKE ? ESCAPE '\' OR LOWER(a.notes) LIKE ? ESCAPE '\')`, pat, pat, pat, pat)
	}
	if q.AfterName != "" || q.AfterID != "" {
		sel = sel.Where("(a.name, a.id) > (?, ?)", q.AfterName, q.AfterID)
	}
	sel = sel.OrderExpr("a.name, a.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list assets", err)
	}
	out := make([]assets.Asset, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

type issuanceRow struct {
	bun.BaseModel `bun:"table:ballast_asset_issuances,alias:i"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	AssetID       string    `bun:"asset_id"`
	HolderID      string    `bun:"holder_id"`
	IssuedOn      string    `bun:"issued_on"`
	DueBack       string    `bun:"due_back,nullzero"`
	ReturnedOn    string    `bun:"returned_on,nullzero"`
	ConditionOut  string    `bun:"condition_out"`
	ConditionIn   string    `bun:"condition_in,nullzero"`
	Note          string    `bun:"note"`
	CostNote      string    `bun:"cost_note"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func issuanceRowOf(tenant string, i assets.Issuance) issuanceRow {
	return issuanceRow{TenantID: tenant, ID: i.ID, AssetID: i.AssetID, HolderID: i.Holder,
		IssuedOn: i.IssuedOn.String(), DueBack: i.DueBack.String(), ReturnedOn: i.ReturnedOn.String(),
		ConditionOut: string(i.ConditionOut), ConditionIn: string(i.ConditionIn), Note: i.Note, CostNote: i.CostNote,
		CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
}

func (r issuanceRow) record() assets.Issuance {
	issued, _ := hr.ParseDate(r.IssuedOn)
	due, _ := hr.ParseDate(r.DueBack)
	returned, _ := hr.ParseDate(r.ReturnedOn)
	return assets.Issuance{ID: r.ID, AssetID: r.AssetID, Holder: r.HolderID, IssuedOn: issued, DueBack: due,
		ReturnedOn: returned, ConditionOut: assets.Condition(r.ConditionOut), ConditionIn: assets.Condition(r.ConditionIn),
		Note: r.Note, CostNote: r.CostNote, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func (s assetStore) InsertIssuance(ctx context.Context, tenant string, i assets.Issuance) error {
	row := issuanceRowOf(tenant, i)
	_, err := s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert asset issuance", err)
}

func (s assetStore) UpdateIssuance(ctx context.Context, tenant string, i assets.Issuance) error {
	row := issuanceRowOf(tenant, i)
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("returned_on", "condition_in", "note", "cost_note", "updated_at").
		Where("tenant_id = ? AND id = ?", tenant, i.ID).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update asset issuance "+i.ID, res, err, "ballast_asset_issuances", "tenant_id = ? AND id = ?", tenant, i.ID)
}

func (s assetStore) Issuances(ctx context.Context, tenant, assetID string, scope assets.Scope) ([]assets.Issuance, error) {
	var rows []issuanceRow
	q := s.db.Conn(ctx).NewSelect().Model(&rows).Where("i.tenant_id = ? AND i.asset_id = ?", tenant, assetID)
	err := scoped(q, tenant, scope, bun.Ident("i.holder_id")).OrderExpr("i.created_at, i.id").Scan(ctx)
	if err != nil {
		return nil, translate("asset issuances of "+assetID, err)
	}
	out := make([]assets.Issuance, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}
