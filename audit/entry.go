package audit

import "time"

// Record is what a use case hands to Log.Append: who did what to which
// target, why, and what changed. The actor is taken from the principal in
// the context unless Actor is set (for system work acting for someone).
type Record struct {
	// Action names what happened, as "<package>.<verb>", for example
	// "hr.employee.update" or "access.role.grant". Required.
	Action string
	// TargetType and TargetID name the record acted on, for example
	// "employee" and its ID. TargetType is required.
	TargetType string
	TargetID   string
	// Reason is the human explanation the actor gave, if any.
	Reason string
	// Actor overrides the acting subject (default: the principal's subject).
	Actor string
	// Changes is the field-level difference between before and after;
	// build it with Diff.
	Changes []Change
}

// Change is one field that changed: its path (for example "Contacts[1].Phone")
// and the values before and after, rendered as text. A created record has
// empty Before values; a deleted one empty After values.
type Change struct {
	Path   string `json:"path"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// Entry is one link of a tenant's hash chain: a Record as appended, with
// its position, time and hashes. Entries are never updated or deleted.
type Entry struct {
	ID         string    `json:"id"`
	Tenant     string    `json:"tenant"`
	Seq        int64     `json:"seq"` // 1, 2, 3… within the tenant's chain
	At         time.Time `json:"at"`  // UTC, truncated to microseconds
	Actor      string    `json:"actor"`
	ActorKind  string    `json:"actor_kind"` // "user" or "system"
	Action     string    `json:"action"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Changes    []Change  `json:"changes,omitempty"`
	PrevHash   string    `json:"prev_hash"` // hex SHA-256 of the previous entry; "" for the first
	Hash       string    `json:"hash"`      // hex SHA-256 over the canonical encoding of this entry
}
