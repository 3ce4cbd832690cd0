package insight

import (
	"fmt"
	"math"
	"strings"
)

// ReasonKind names the criterion a Reason reports.
type ReasonKind string

// The reason kinds.
const (
	// ReasonReferredMembers: referred Count of the Of members of a team
	// that is a dependency cluster (Direct of them directly).
	ReasonReferredMembers ReasonKind = "referred_members"
	// ReasonKeyAccountValue: owns Share of the department's key-account
	// annual value (ValueCents of TotalCents).
	ReasonKeyAccountValue ReasonKind = "key_account_value"
	// ReasonKeyAccounts: owns Count of the Of key accounts.
	ReasonKeyAccounts ReasonKind = "key_accounts"
	// ReasonAnnualValue: owns Share of the annual value of all active
	// customers (ValueCents of TotalCents).
	ReasonAnnualValue ReasonKind = "annual_value"
	// ReasonCustomers: owns Count of the Of active customers.
	ReasonCustomers ReasonKind = "customers"
)

// reasonOrder is the order reasons appear in.
var reasonOrder = map[ReasonKind]int{
	ReasonReferredMembers: 0, ReasonKeyAccountValue: 1, ReasonKeyAccounts: 2,
	ReasonAnnualValue: 3, ReasonCustomers: 4,
}

// Reason is one criterion a person meets, as numbers a UI can translate.
type Reason struct {
	Kind ReasonKind `json:"kind"`
	// Count and Of: members referred of the team's members, or accounts
	// owned of the department's accounts.
	Count int `json:"count"`
	Of    int `json:"of"`
	// Direct counts the members referred directly (ReasonReferredMembers).
	Direct int `json:"direct,omitempty"`
	// Share is the fraction the criterion compares with its threshold.
	Share float64 `json:"share"`
	// ValueCents and TotalCents are the owned and total annual value
	// (ReasonKeyAccountValue and ReasonAnnualValue).
	ValueCents int64 `json:"value_cents,omitempty"`
	TotalCents int64 `json:"total_cents,omitempty"`
}

// The locales Text renders.
const (
	LocaleEn   = "en"
	LocaleZhCN = "zh-CN"
)

// Percent is Share as a whole percentage, rounded half up.
func (r Reason) Percent() int { return int(math.Floor(r.Share*100 + 0.5)) }

// Text renders the reason as a clause in locale (LocaleZhCN, else English):
// "referred 6 of 10 members" / "推荐了10名成员中的6名".
func (r Reason) Text(locale string) string {
	zh := locale == LocaleZhCN
	switch r.Kind {
	case ReasonReferredMembers:
		if zh {
			return fmt.Sprintf("推荐了%d名成员中的%d名", r.Of, r.Count)
		}
		return fmt.Sprintf("referred %d of %d members", r.Count, r.Of)
	case ReasonKeyAccountValue:
		if zh {
			return fmt.Sprintf("掌握%d%%的大客户价值", r.Percent())
		}
		return fmt.Sprintf("owns %d%% of key-account value", r.Percent())
	case ReasonKeyAccounts:
		if zh {
			return fmt.Sprintf("掌握%d个大客户中的%d个", r.Of, r.Count)
		}
		return fmt.Sprintf("owns %d of %d key accounts", r.Count, r.Of)
	case ReasonAnnualValue:
		if zh {
			return fmt.Sprintf("掌握%d%%的客户年度价值", r.Percent())
		}
		return fmt.Sprintf("owns %d%% of annual customer value", r.Percent())
	case ReasonCustomers:
		if zh {
			return fmt.Sprintf("掌握%d个客户中的%d个", r.Of, r.Count)
		}
		return fmt.Sprintf("owns %d of %d customers", r.Count, r.Of)
	default:
		return string(r.Kind)
	}
}

// Summary is a list of reasons rendered as one sentence per language.
type Summary struct {
	En   string `json:"en"`
	ZhCN string `json:"zh-CN"`
}

// Sentence joins the reasons' texts in locale: "referred 6 of 10 members;
// owns 72% of key-account value" / "推荐了10名成员中的6名；掌握72%的大客户价值".
func Sentence(reasons []Reason, locale string) string {
	sep := "; "
	if locale == LocaleZhCN {
		sep = "；"
	}
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = r.Text(locale)
	}
	return strings.Join(parts, sep)
}

func summarise(reasons []Reason) Summary {
	return Summary{En: Sentence(reasons, LocaleEn), ZhCN: Sentence(reasons, LocaleZhCN)}
}
