package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
)

// This file makes AccessStore a Casbin adapter (persist.Adapter with the
// context, batch and filtered variants) on bun.IDB, written here because the
// public bun adapters close the host's DB in finalizers or hard-code
// PostgreSQL schemas.
//
// Rows are partitioned by tenant: the tenant of a rule is its domain field,
// field 1 of "p" rules and field 2 of "g" rules (see access.ModelText), and
// is stored in tenant_id. A write never touches another tenant's rows, a
// filtered load reads one tenant, and RemoveFilteredPolicy must name the
// tenant. The methods without a context run outside any transaction; ballast
// uses the context variants only.

// accessRule is one row of ballast_access_rules.
type accessRule struct {
	bun.BaseModel `bun:"table:ballast_access_rules"`
	TenantID      string `bun:"tenant_id,pk"`
	ID            string `bun:"id,pk"`
	Ptype         string `bun:"ptype"`
	V0            string `bun:"v0"`
	V1            string `bun:"v1"`
	V2            string `bun:"v2"`
	V3            string `bun:"v3"`
	V4            string `bun:"v4"`
	V5            string `bun:"v5"`
}

const maxRuleFields = 6

// domainIndex is the field holding the tenant in rules of ptype.
func domainIndex(ptype string) (int, error) {
	switch {
	case strings.HasPrefix(ptype, "p"):
		return 1, nil
	case strings.HasPrefix(ptype, "g"):
		return 2, nil
	}
	return 0, ballast.Invalid("ptype", fmt.Sprintf("%q is neither a policy nor a grouping type", ptype))
}

func newAccessRule(ptype string, rule []string) (accessRule, error) {
	di, err := domainIndex(ptype)
	if err != nil {
		return accessRule{}, err
	}
	if len(rule) > maxRuleFields {
		return accessRule{}, ballast.Invalid("rule", fmt.Sprintf("has more than %d fields", maxRuleFields))
	}
	if len(rule) <= di || rule[di] == "" {
		return accessRule{}, ballast.Invalid("rule", fmt.Sprintf("needs its tenant in field %d", di))
	}
	v := make([]string, maxRuleFields)
	copy(v, rule)
	return accessRule{TenantID: rule[di], ID: ballast.NewID(), Ptype: ptype,
		V0: v[0], V1: v[1], V2: v[2], V3: v[3], V4: v[4], V5: v[5]}, nil
}

// tokens is the row as Casbin reads it: ptype, then the values without
// trailing empty ones.
func (r accessRule) tokens() []string {
	t := []string{r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
	for len(t) > 1 && t[len(t)-1] == "" {
		t = t[:len(t)-1]
	}
	return t
}

func (s *AccessStore) loadRows(ctx context.Context, m model.Model, q *bun.SelectQuery, op string) error {
	var rows []accessRule
	if err := q.Model(&rows).Scan(ctx); err != nil {
		return translate(op, err)
	}
	for _, r := range rows {
		if err := persist.LoadPolicyArray(r.tokens(), m); err != nil {
			return fmt.Errorf("storage: %s: rule %v: %w", op, r.tokens(), err)
		}
	}
	return nil
}

// LoadPolicy loads every tenant's rules into m. Prefer LoadFilteredPolicy.
func (s *AccessStore) LoadPolicy(m model.Model) error {
	return s.LoadPolicyCtx(context.Background(), m)
}

// LoadPolicyCtx loads every tenant's rules into m, for tools that want the
// whole policy; ballast loads one tenant at a time.
func (s *AccessStore) LoadPolicyCtx(ctx context.Context, m model.Model) error {
	q := s.db.Conn(ctx).NewSelect().OrderExpr("tenant_id, id")
	return s.loadRows(ctx, m, q, "access load policy")
}

// LoadFilteredPolicy is LoadFilteredPolicyCtx without a context.
func (s *AccessStore) LoadFilteredPolicy(m model.Model, filter any) error {
	return s.LoadFilteredPolicyCtx(context.Background(), m, filter)
}

// LoadFilteredPolicyCtx loads the rules an access.Filter (or *access.Filter)
// selects into m: one tenant's, optionally only those of some subjects.
func (s *AccessStore) LoadFilteredPolicyCtx(ctx context.Context, m model.Model, filter any) error {
	var f access.Filter
	switch v := filter.(type) {
	case access.Filter:
		f = v
	case *access.Filter:
		if v != nil {
			f = *v
		}
	default:
		return translate("access load filtered policy", ballast.Invalid("filter", fmt.Sprintf("must be an access.Filter, not %T", filter)))
	}
	if f.Tenant == "" {
		return translate("access load filtered policy", ballast.Invalid("filter.tenant", "is required"))
	}
	q := s.db.Conn(ctx).NewSelect().Where("tenant_id = ?", f.Tenant).OrderExpr("id")
	if len(f.Subjects) > 0 {
		q = q.Where("v0 IN (?)", bun.In(f.Subjects))
	}
	return s.loadRows(ctx, m, q, "access load filtered policy")
}

// IsFiltered reports true: this adapter serves one tenant at a time, so
// Casbin must not save a loaded model over the whole table, nor load every
// tenant when an enforcer is created with it.
func (s *AccessStore) IsFiltered() bool { return true }

// IsFilteredCtx is IsFiltered.
func (s *AccessStore) IsFilteredCtx(context.Context) bool { return true }

// SavePolicy is SavePolicyCtx without a context.
func (s *AccessStore) SavePolicy(m model.Model) error {
	return s.SavePolicyCtx(context.Background(), m)
}

// SavePolicyCtx replaces the rules of every tenant present in m by m's
// rules for it, in one transaction. Tenants absent from m are untouched.
func (s *AccessStore) SavePolicyCtx(ctx context.Context, m model.Model) error {
	byTenant := map[string][]accessRule{}
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, rule := range ast.Policy {
				r, err := newAccessRule(ptype, rule)
				if err != nil {
					return translate("access save policy", err)
				}
				byTenant[r.TenantID] = append(byTenant[r.TenantID], r)
			}
		}
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		for tenant, rows := range byTenant {
			if _, err := s.db.Conn(ctx).NewDelete().Model((*accessRule)(nil)).
				Where("tenant_id = ?", tenant).Exec(ctx); err != nil {
				return translate("access save policy", err)
			}
			if err := s.insert(ctx, rows, "access save policy"); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *AccessStore) insert(ctx context.Context, rows []accessRule, op string) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := s.db.Conn(ctx).NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx)
	return translate(op, err)
}

// AddPolicy is AddPolicyCtx without a context.
func (s *AccessStore) AddPolicy(sec, ptype string, rule []string) error {
	return s.AddPoliciesCtx(context.Background(), sec, ptype, [][]string{rule})
}

// AddPolicyCtx stores one rule; a rule stored already is left as is.
func (s *AccessStore) AddPolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	return s.AddPoliciesCtx(ctx, sec, ptype, [][]string{rule})
}

// AddPolicies is AddPoliciesCtx without a context.
func (s *AccessStore) AddPolicies(sec, ptype string, rules [][]string) error {
	return s.AddPoliciesCtx(context.Background(), sec, ptype, rules)
}

// AddPoliciesCtx stores rules in one statement; rules stored already are
// left as is. A rule without its tenant (domain field) is invalid.
func (s *AccessStore) AddPoliciesCtx(ctx context.Context, sec, ptype string, rules [][]string) error {
	rows := make([]accessRule, 0, len(rules))
	for _, rule := range rules {
		r, err := newAccessRule(ptype, rule)
		if err != nil {
			return translate("access add policies", err)
		}
		rows = append(rows, r)
	}
	return s.insert(ctx, rows, "access add policies")
}

// RemovePolicy is RemovePolicyCtx without a context.
func (s *AccessStore) RemovePolicy(sec, ptype string, rule []string) error {
	return s.RemovePoliciesCtx(context.Background(), sec, ptype, [][]string{rule})
}

// RemovePolicyCtx deletes one rule; removing a rule that is not stored is
// not an error.
func (s *AccessStore) RemovePolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	return s.RemovePoliciesCtx(ctx, sec, ptype, [][]string{rule})
}

// RemovePolicies is RemovePoliciesCtx without a context.
func (s *AccessStore) RemovePolicies(sec, ptype string, rules [][]string) error {
	return s.RemovePoliciesCtx(context.Background(), sec, ptype, rules)
}

// RemovePoliciesCtx deletes rules, one statement per tenant.
func (s *AccessStore) RemovePoliciesCtx(ctx context.Context, sec, ptype string, rules [][]string) error {
	byTenant := map[string][]accessRule{}
	var tenants []string
	for _, rule := range rules {
		r, err := newAccessRule(ptype, rule)
		if err != nil {
			return translate("access remove policies", err)
		}
		if _, ok := byTenant[r.TenantID]; !ok {
			tenants = append(tenants, r.TenantID)
		}
		byTenant[r.TenantID] = append(byTenant[r.TenantID], r)
	}
	for _, tenant := range tenants {
		_, err := s.db.Conn(ctx).NewDelete().Model((*accessRule)(nil)).
			Where("tenant_id = ?", tenant).
			Where("ptype = ?", ptype).
			WhereGroup(" AND ", func(q *bun.DeleteQuery) *bun.DeleteQuery {
				for _, r := range byTenant[tenant] {
					q = q.WhereOr("(v0 = ? AND v1 = ? AND v2 = ? AND v3 = ? AND v4 = ? AND v5 = ?)",
						r.V0, r.V1, r.V2, r.V3, r.V4, r.V5)
				}
				return q
			}).
			Exec(ctx)
		if err != nil {
			return translate("access remove policies", err)
		}
	}
	return nil
}

// RemoveFilteredPolicy is RemoveFilteredPolicyCtx without a context.
func (s *AccessStore) RemoveFilteredPolicy(sec, ptype string, fieldIndex int, fieldValues ...string) error {
	return s.RemoveFilteredPolicyCtx(context.Background(), sec, ptype, fieldIndex, fieldValues...)
}

// RemoveFilteredPolicyCtx deletes the rules of ptype whose fields from
// fieldIndex on equal fieldValues ("" matches anything). The values must
// include the tenant (the domain field): a filter never spans tenants.
func (s *AccessStore) RemoveFilteredPolicyCtx(ctx context.Context, sec, ptype string, fieldIndex int, fieldValues ...string) error {
	const op = "access remove filtered policy"
	di, err := domainIndex(ptype)
	if err != nil {
		return translate(op, err)
	}
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > maxRuleFields {
		return translate(op, ballast.Invalid("fieldIndex", "is out of range"))
	}
	if di < fieldIndex || di >= fieldIndex+len(fieldValues) || fieldValues[di-fieldIndex] == "" {
		return translate(op, ballast.Invalid("fieldValues", fmt.Sprintf("must name the tenant (field %d)", di)))
	}
	q := s.db.Conn(ctx).NewDelete().Model((*accessRule)(nil)).
		Where("tenant_id = ?", fieldValues[di-fieldIndex]).
		Where("ptype = ?", ptype)
	for i, v := range fieldValues {
		if v != "" {
			q = q.Where("? = ?", bun.Ident(fmt.Sprintf("v%d", fieldIndex+i)), v)
		}
	}
	if _, err := q.Exec(ctx); err != nil {
		return translate(op, err)
	}
	return nil
}
