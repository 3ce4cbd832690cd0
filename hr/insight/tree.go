package insight

// Node is one employee in a referral tree.
type Node struct {
	Person
	// Direct and Indirect count the employees this one referred (see
	// ReferrerStats); they count the whole tenant, even where Children
	// show only what the principal may see.
	Direct   int `json:"direct"`
	Indirect int `json:"indirect"`
	// Cluster marks a member of a dependency cluster, referred by its top
	// referrer.
	Cluster bool `json:"cluster,omitempty"`
	// KeyReferrer marks the top referrer of a dependency cluster.
	KeyReferrer bool `json:"key_referrer,omitempty"`
	// Children are the employees this one referred, by name. A departed
	// employee left out of the view is skipped: their referrals hang from
	// the nearest counted ancestor.
	Children []*Node `json:"children,omitempty"`
}

// Forest is a department's referral forest: its members, the top
// referrer (even from outside the department) and who referred whom among
// them, ready to draw with RenderSVG.
type Forest struct {
	Risk  DepartmentRisk `json:"risk"`
	Roots []*Node        `json:"roots"`
}
