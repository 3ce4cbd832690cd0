// Package pools keeps talent pools identified by rule: HR defines a pool
// by a rule tree (and/or of leaves such as "top 15% of the tenant over
// the last 6 periods", "at least one management experience", "career plan
// towards management", "holds PMP", tenure, not resigning, department,
// position level). Rules are data: stored as JSON with the pool, versioned
// on every change (Service.UpdatePool, Service.RuleVersions), and
// validated with errors naming the rule's path ("rules[1].percent").
//
// Screening (Service.Screen, Service.Preview) runs in the database: the
// store turns the validated tree into one SQL query whose CTEs compute
// every leaf's value with window functions (rank within the population)
// and JSON functions over the hr profile, then evaluates the tree and the
// near-misses (an employee who would match if exactly one leaf passed) in
// its WHERE clause, so only matching and near-miss rows reach Go, each
// with the values of every leaf ("rank 7 of 80, top 9%; 2 management
// experiences; plan submitted 2026-03-02") and, for a near-miss, the
// failing leaf.
//
// HR (talent:manage) confirms candidates into the pool with a note
// (Service.Confirm keeps the screening's values as evidence), ends
// memberships with a reason (Service.Leave) or as promoted
// (Service.Promote); the pool keeps every join, leave and promotion
// (Service.History) and reports its members, promotion rate and attrition
// (Service.Report). Department heads (talent:read:department) read the
// members of the departments they head (Service.Members).
package pools
