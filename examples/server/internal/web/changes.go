package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast/audit"
)

// changeRow is one altered field as a page shows it: a translated label
// ("联系人 1 · 电话" for Contacts[0].Phone) and readable values (money
// formatted, owners named, tiers and statuses translated).
type changeRow struct {
	Label, Path, Before, After string
}

// changeRows turns audit changes of a customer record into rows.
func (s *server) changeRows(ctx context.Context, lang string, names map[string]string, cs []audit.Change) []changeRow {
	out := make([]changeRow, 0, len(cs))
	for _, c := range cs {
		var parts []string
		last := ""
		for _, seg := range strings.Split(c.Path, ".") {
			name, idx, _ := strings.Cut(seg, "[")
			last = name
			label := name
			if s.cat.Has(lang, "chg."+name) {
				label = s.cat.T(lang, "chg."+name)
			}
			if idx = strings.TrimSuffix(idx, "]"); idx != "" {
				if n, err := strconv.Atoi(idx); err == nil {
					label += " " + strconv.Itoa(n+1)
				}
			}
			parts = append(parts, label)
		}
		out = append(out, changeRow{
			Label:  strings.Join(parts, " · "),
			Path:   c.Path,
			Before: s.changeValue(ctx, lang, names, last, c.Before),
			After:  s.changeValue(ctx, lang, names, last, c.After),
		})
	}
	return out
}

// changeValue makes one value readable for its field.
func (s *server) changeValue(ctx context.Context, lang string, names map[string]string, field, v string) string {
	if v == "" {
		return ""
	}
	switch field {
	case "AnnualValueCents", "AmountCents":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return money(n, "CNY")
		}
	case "OwnerID":
		return s.name(ctx, names, v)
	case "Tier":
		if s.cat.Has(lang, "tier."+v) {
			return s.cat.T(lang, "tier."+v)
		}
	case "Status":
		if s.cat.Has(lang, "cust.status."+v) {
			return s.cat.T(lang, "cust.status."+v)
		}
	}
	return v
}
