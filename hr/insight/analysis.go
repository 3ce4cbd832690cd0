package insight

import (
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Person names an employee in a result.
type Person struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	DepartmentID string    `json:"department_id"`
	Status       hr.Status `json:"status"`
	// KeyPerson is the flag HR recorded by hand (not the analysis' verdict).
	KeyPerson bool `json:"key_person"`
}

// Analysis is the key-person risk of a tenant (or of the departments a
// department head may see): every department's team and customer
// concentration with the people flagged, and the referral counts of every
// employee who referred someone.
type Analysis struct {
	// GeneratedAt is when the analysis ran (the service clock, UTC).
	GeneratedAt time.Time  `json:"generated_at"`
	Options     Options    `json:"options"`
	Thresholds  Thresholds `json:"thresholds"`
	// Departments are the departments in scope in tree order (parents
	// before children, siblings by name), empty departments included.
	Departments []DepartmentRisk `json:"departments"`
	// Referrers are the employees in scope who referred at least one
	// counted employee, most referrals first.
	Referrers []ReferrerStats `json:"referrers"`
	// Anomalies counts corrupt data the analysis stepped around.
	Anomalies Anomalies `json:"anomalies"`
}

// Clusters returns the departments of a that are dependency clusters.
func (a *Analysis) Clusters() []DepartmentRisk {
	var out []DepartmentRisk
	for _, d := range a.Departments {
		if d.Cluster {
			out = append(out, d)
		}
	}
	return out
}

// Anomalies counts referral data that cannot be right. The analysis never
// fails on it: it cuts the bad link and goes on.
type Anomalies struct {
	// UnknownReferrers counts employees whose referrer is not an employee of
	// the tenant (or is themself); they count as not referred.
	UnknownReferrers int `json:"unknown_referrers"`
	// ReferralCycles counts loops in the referrer chains (A referred B who
	// referred A); each is cut at one link.
	ReferralCycles int `json:"referral_cycles"`
	// UnknownDepartments counts employees placed in a department that does
	// not exist; they belong to no team.
	UnknownDepartments int `json:"unknown_departments"`
}

// ReferrerStats is how many people an employee brought in.
type ReferrerStats struct {
	Person
	// Direct counts the counted employees this person referred.
	Direct int `json:"direct"`
	// Indirect counts those referred by them, by their referrals, and so on.
	Indirect int `json:"indirect"`
}

// Total is Direct + Indirect.
func (r ReferrerStats) Total() int { return r.Direct + r.Indirect }

// DepartmentRisk is one department's key-person risk.
type DepartmentRisk struct {
	Department Department `json:"department"`
	// Members is the team's size: the counted employees of the department
	// (or of its subtree with Options.IncludeSubdepartments).
	Members int `json:"members"`
	// TopReferrer is the person who referred (directly or indirectly) the
	// most members; nil when no member was referred by anyone counted.
	TopReferrer *TeamReferrer `json:"top_referrer,omitempty"`
	// Cluster reports a dependency cluster: Members >= MinTeamSize and the
	// top referrer's Share >= ClusterShare.
	Cluster bool `json:"cluster"`
	// Customers sums the department's active customers.
	Customers Totals `json:"customers"`
	// People are the people flagged for this department, most reasons
	// first; a top referrer may work outside the department.
	People []PersonRisk `json:"people"`
}

// TeamReferrer is the person who referred (directly or indirectly) the
// largest part of a team. Of a chain of referrers A→B→members it is the
// one closest to the members who still accounts for the count: in a
// cluster, the closest person who alone referred at least ClusterShare of
// the members (so B, not B's own referrer A, even if A's count is higher);
// otherwise the closest of those with the highest count.
type TeamReferrer struct {
	Person
	// Referred counts the members referred, directly or indirectly.
	Referred int `json:"referred"`
	// Direct counts the members referred directly.
	Direct int `json:"direct"`
	// Share is Referred / the team's Members.
	Share float64 `json:"share"`
}

// Totals sums a department's active customers.
type Totals struct {
	Customers            int   `json:"customers"`
	KeyAccounts          int   `json:"key_accounts"`
	AnnualValueCents     int64 `json:"annual_value_cents"`
	KeyAccountValueCents int64 `json:"key_account_value_cents"`
}

func (t *Totals) add(h Holding) {
	t.Customers += h.Customers
	t.KeyAccounts += h.KeyAccounts
	t.AnnualValueCents += h.AnnualValueCents
	t.KeyAccountValueCents += h.KeyAccountValueCents
}

// PersonRisk is one flagged person and why.
type PersonRisk struct {
	Person
	// Reasons are the criteria met, as data: the UI translates them.
	Reasons []Reason `json:"reasons"`
	// Summary is Reasons rendered as one sentence in each catalog language.
	Summary Summary `json:"summary"`
}
