package insight

import "github.com/ballast-hr/ballast"

// The default Thresholds.
const (
	DefaultClusterShare         = 0.5
	DefaultMinTeamSize          = 3
	DefaultKeyAccountValueShare = 0.4
	DefaultKeyAccountShare      = 0.5
	DefaultAnnualValueShare     = 0.5
	DefaultCustomerShare        = 0.5
)

// Thresholds decide who is flagged. A zero field takes its default; a share
// above 1 switches its criterion off (nobody owns more than everything).
// Shares are fractions: 0.4 is 40%. A share at the threshold is flagged.
type Thresholds struct {
	// ClusterShare: a team is a dependency cluster when one person referred
	// (directly or indirectly) at least this share of its members.
	// Default 0.5.
	ClusterShare float64 `json:"cluster_share"`
	// MinTeamSize: smaller teams are never clusters. Default 3.
	MinTeamSize int `json:"min_team_size"`
	// KeyAccountValueShare flags an owner of at least this share of the
	// department's key-account annual value. Default 0.4.
	KeyAccountValueShare float64 `json:"key_account_value_share"`
	// KeyAccountShare flags an owner of at least this share of the
	// department's key accounts (by count). Default 0.5.
	KeyAccountShare float64 `json:"key_account_share"`
	// AnnualValueShare flags an owner of at least this share of the annual
	// value of all the department's active customers. Default 0.5.
	AnnualValueShare float64 `json:"annual_value_share"`
	// CustomerShare flags an owner of at least this share of the
	// department's active customers (by count). Default 0.5.
	CustomerShare float64 `json:"customer_share"`
}

// DefaultThresholds returns the defaults.
func DefaultThresholds() Thresholds {
	return Thresholds{}.withDefaults()
}

func (t Thresholds) withDefaults() Thresholds {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&t.ClusterShare, DefaultClusterShare)
	def(&t.KeyAccountValueShare, DefaultKeyAccountValueShare)
	def(&t.KeyAccountShare, DefaultKeyAccountShare)
	def(&t.AnnualValueShare, DefaultAnnualValueShare)
	def(&t.CustomerShare, DefaultCustomerShare)
	if t.MinTeamSize == 0 {
		t.MinTeamSize = DefaultMinTeamSize
	}
	return t
}

func (t Thresholds) validate(v *ballast.ValidationError) {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"Thresholds.ClusterShare", t.ClusterShare},
		{"Thresholds.KeyAccountValueShare", t.KeyAccountValueShare},
		{"Thresholds.KeyAccountShare", t.KeyAccountShare},
		{"Thresholds.AnnualValueShare", t.AnnualValueShare},
		{"Thresholds.CustomerShare", t.CustomerShare},
	} {
		if f.v < 0 || f.v != f.v {
			v.Add(f.name, "must be a fraction >= 0")
		}
	}
	if t.MinTeamSize < 0 {
		v.Add("Thresholds.MinTeamSize", "must be >= 0")
	}
}
