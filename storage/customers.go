package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr/customers"
)

// Customers returns the store of the hr/customers package, on this
// database.
func (db *DB) Customers() customers.Store { return customerStore{db: db} }

// customerStore implements customers.Store. Every query names tenant_id,
// applies the caller's Scope in SQL and runs on db.Conn(ctx).
type customerStore struct{ db *DB }

type customerRow struct {
	bun.BaseModel    `bun:"table:ballast_customers,alias:c"`
	TenantID         string               `bun:"tenant_id,pk"`
	ID               string               `bun:"id,pk"`
	Name             string               `bun:"name"`
	Industry         string               `bun:"industry"`
	Region           string               `bun:"region"`
	Tier             string               `bun:"tier"`
	AnnualValueCents int64                `bun:"annual_value_cents"`
	Currency         string               `bun:"currency"`
	OwnerID          string               `bun:"owner_id"`
	Status           string               `bun:"status"`
	Needs            string               `bun:"needs"`
	Contacts         []customers.Contact  `bun:"contacts,type:jsonb"`
	Deals            []customers.Deal     `bun:"deals,type:jsonb"`
	FollowUps        []customers.FollowUp `bun:"follow_ups,type:jsonb"`
	SearchText       string               `bun:"search_text"`
	CreatedAt        time.Time            `bun:"created_at"`
	UpdatedAt        time.Time            `bun:"updated_at"`
	ArchivedAt       time.Time            `bun:"archived_at,nullzero"`
	Version          int64                `bun:"version"`
}

func customerRowOf(tenant string, c customers.Customer) customerRow {
	return customerRow{TenantID: tenant, ID: c.ID, Name: c.Name, Industry: c.Industry, Region: c.Region,
		Tier: string(c.Tier), AnnualValueCents: c.AnnualValueCents, Currency: c.Currency, OwnerID: c.OwnerID,
		Status: string(c.Status), Needs: c.Needs, Contacts: nonNil(c.Contacts), Deals: nonNil(c.Deals),
		FollowUps: nonNil(c.FollowUps), SearchText: customers.SearchText(c),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, ArchivedAt: c.ArchivedAt, Version: c.Version}
}

// nilIfEmpty keeps records read back equal to what was written: an empty
// JSON array reads as a nil slice.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func (r customerRow) record() customers.Customer {
	c := customers.Customer{ID: r.ID, Name: r.Name, Industry: r.Industry, Region: r.Region,
		Tier: customers.Tier(r.Tier), AnnualValueCents: r.AnnualValueCents, Currency: r.Currency,
		Contacts: nilIfEmpty(r.Contacts), Deals: nilIfEmpty(r.Deals), Needs: r.Needs,
		FollowUps: nilIfEmpty(r.FollowUps), OwnerID: r.OwnerID, Status: customers.Status(r.Status),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if !r.ArchivedAt.IsZero() {
		c.ArchivedAt = r.ArchivedAt.UTC()
	}
	return c
}

func customerRecords(rows []customerRow) []customers.Customer {
	out := make([]customers.Customer, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out
}

type customerGramRow struct {
	bun.BaseModel `bun:"table:ballast_customer_grams"`
	TenantID      string `bun:"tenant_id,pk"`
	Gram          string `bun:"gram,pk"`
	CustomerID    string `bun:"customer_id,pk"`
}

// gramBatch is how many gram rows one multi-row INSERT carries.
const gramBatch = 5000

func (s customerStore) insertGrams(ctx context.Context, tenant string, rows []customerRow) error {
	var grams []customerGramRow
	flush := func() error {
		if len(grams) == 0 {
			return nil
		}
		_, err := s.db.Conn(ctx).NewInsert().Model(&grams).Exec(ctx)
		grams = grams[:0]
		return translate("insert customer grams", err)
	}
	for _, r := range rows {
		for _, g := range customers.Grams(r.SearchText) {
			grams = append(grams, customerGramRow{TenantID: tenant, Gram: g, CustomerID: r.ID})
			if len(grams) >= gramBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

func (s customerStore) InsertCustomers(ctx context.Context, tenant string, cs []customers.Customer) error {
	for start := 0; start < len(cs); start += insertBatch {
		end := min(start+insertBatch, len(cs))
		rows := make([]customerRow, 0, end-start)
		for _, c := range cs[start:end] {
			rows = append(rows, customerRowOf(tenant, c))
		}
		if _, err := s.db.Conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert customers", err)
		}
		if err := s.insertGrams(ctx, tenant, rows); err != nil {
			return err
		}
	}
	return nil
}

func (s customerStore) UpdateCustomer(ctx context.Context, tenant string, c customers.Customer, expected int64) error {
	row := customerRowOf(tenant, c)
	op := "update customer " + c.ID
	res, err := s.db.Conn(ctx).NewUpdate().Model(&row).
		Column("name", "industry", "region", "tier", "annual_value_cents", "currency", "owner_id", "status",
			"needs", "contacts", "deals", "follow_ups", "search_text", "updated_at", "archived_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, c.ID, expected).Exec(ctx)
	if err := (hrStore{db: s.db}).checkUpdated(ctx, op, res, err, "ballast_customers", "tenant_id = ? AND id = ?", tenant, c.ID); err != nil {
		return err
	}
	_, err = s.db.Conn(ctx).NewDelete().TableExpr("ballast_customer_grams").
		Where("tenant_id = ? AND customer_id = ?", tenant, c.ID).Exec(ctx)
	if err != nil {
		return translate(op, err)
	}
	return s.insertGrams(ctx, tenant, []customerRow{row})
}

func (s customerStore) SetOwner(ctx context.Context, tenant string, ids []string, from, to string, at time.Time) (int, error) {
	n := 0
	for start := 0; start < len(ids); start += lookupBatch {
		end := min(start+lookupBatch, len(ids))
		res, err := s.db.Conn(ctx).NewUpdate().Table("ballast_customers").
			Set("owner_id = ?", to).Set("updated_at = ?", at).Set("version = version + 1").
			Where("tenant_id = ? AND owner_id = ? AND id IN (?)", tenant, from, bun.In(ids[start:end])).Exec(ctx)
		if err != nil {
			return n, translate("set customer owner", err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, translate("set customer owner", err)
		}
		n += int(k)
	}
	return n, nil
}

// customerScoped restricts q (on alias c) to what scope sees. The zero Scope sees
// nothing.
func customerScoped(q *bun.SelectQuery, tenant string, sc customers.Scope) *bun.SelectQuery {
	if sc.NoKeyAccounts {
		q = q.Where("c.tier <> ?", string(customers.TierKey))
	}
	switch {
	case sc.All:
		return q
	case sc.Owner == "" && len(sc.Departments) == 0:
		return q.Where("1 = 0")
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if sc.Owner != "" {
			q = q.WhereOr("c.owner_id = ?", sc.Owner)
		}
		if len(sc.Departments) > 0 {
			q = q.WhereOr("c.owner_id IN (SELECT e.id FROM ballast_employees e WHERE e.tenant_id = ? AND e.department_id IN (?))",
				tenant, bun.In(sc.Departments))
		}
		return q
	})
}

func (s customerStore) Customer(ctx context.Context, tenant string, scope customers.Scope, id string) (customers.Customer, error) {
	var row customerRow
	q := s.db.Conn(ctx).NewSelect().Model(&row).Where("c.tenant_id = ? AND c.id = ?", tenant, id)
	if err := customerScoped(q, tenant, scope).Scan(ctx); err != nil {
		return customers.Customer{}, translate("get customer "+id, err)
	}
	return row.record(), nil
}

func (s customerStore) CustomersByID(ctx context.Context, tenant string, scope customers.Scope, ids []string) ([]customers.Customer, error) {
	var out []customers.Customer
	for start := 0; start < len(ids); start += lookupBatch {
		end := min(start+lookupBatch, len(ids))
		var rows []customerRow
		q := s.db.Conn(ctx).NewSelect().Model(&rows).Where("c.tenant_id = ? AND c.id IN (?)", tenant, bun.In(ids[start:end]))
		if err := customerScoped(q, tenant, scope).Scan(ctx); err != nil {
			return nil, translate("customers by id", err)
		}
		out = append(out, customerRecords(rows)...)
	}
	return out, nil
}

// filtered applies q's scope and filters, but not its cursor and limit.
func (s customerStore) filtered(sel *bun.SelectQuery, tenant string, q customers.Query) *bun.SelectQuery {
	sel = customerScoped(sel.Where("c.tenant_id = ?", tenant), tenant, q.Scope)
	if q.Owner != "" {
		sel = sel.Where("c.owner_id = ?", q.Owner)
	}
	if len(q.Statuses) > 0 {
		sel = sel.Where("c.status IN (?)", bun.In(q.Statuses))
	}
	if q.Industry != "" {
		sel = sel.Where("c.industry = ?", q.Industry)
	}
	if q.Region != "" {
		sel = sel.Where("c.region = ?", q.Region)
	}
	if q.Tier != "" {
		sel = sel.Where("c.tier = ?", q.Tier)
	}
	if q.MinValue != nil {
		sel = sel.Where("c.annual_value_cents >= ?", *q.MinValue)
	}
	if q.MaxValue != nil {
		sel = sel.Where("c.annual_value_cents <= ?", *q.MaxValue)
	}
	if q.Search != "" {
		if len(q.SearchGrams) > 0 {
			sel = sel.Where(`c.id IN (SELECT g.customer_id FROM ballast_customer_grams g
				WHERE g.tenant_id = ? AND g.gram IN (?) GROUP BY g.customer_id HAVING COUNT(*) = ?)`,
				tenant, bun.In(q.SearchGrams), len(q.SearchGrams))
		}
		if s.db.dialect == Postgres {
			sel = sel.Where("strpos(c.search_text, ?) > 0", q.Search)
		} else {
			sel = sel.Where("instr(c.search_text, ?) > 0", q.Search)
		}
	}
	return sel
}

func (s customerStore) ListCustomers(ctx context.Context, tenant string, q customers.Query) ([]customers.Customer, error) {
	var rows []customerRow
	sel := s.filtered(s.db.Conn(ctx).NewSelect().Model(&rows), tenant, q)
	if q.AfterName != "" || q.AfterID != "" {
		sel = sel.Where("(c.name, c.id) > (?, ?)", q.AfterName, q.AfterID)
	}
	sel = sel.OrderExpr("c.name, c.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list customers", err)
	}
	return customerRecords(rows), nil
}

func (s customerStore) CountCustomers(ctx context.Context, tenant string, q customers.Query) (int, error) {
	n, err := s.filtered(s.db.Conn(ctx).NewSelect().TableExpr("ballast_customers AS c"), tenant, q).Count(ctx)
	if err != nil {
		return 0, translate("count customers", err)
	}
	return int(n), nil
}
