package customers

import (
	"time"

	"github.com/ballast-hr/ballast/audit"
)

// ScopeTenant is the Snapshot.Scope of a tenant-wide snapshot; an owner's
// snapshot has scope "owner:<employee id>".
const ScopeTenant = "tenant"

// SnapshotScope says what TakeSnapshot copies.
type SnapshotScope struct {
	// Owner copies the customers of this employee; empty copies every
	// customer of the tenant.
	Owner string `json:"owner,omitempty"`
}

// key is the stored form of the scope.
func (s SnapshotScope) key() string {
	if s.Owner == "" {
		return ScopeTenant
	}
	return "owner:" + s.Owner
}

// Snapshot is a copy of customer records at one instant: every field of
// every customer in its scope, active or archived.
type Snapshot struct {
	ID string `json:"id"`
	// Scope is ScopeTenant or "owner:<employee id>".
	Scope string `json:"scope"`
	// OwnerID is the owner of an owner's snapshot; empty for the tenant.
	OwnerID string `json:"owner_id,omitempty"`
	// Day is set on scheduled snapshots: the tenant's calendar day
	// (YYYY-MM-DD in its time zone) the snapshot stands for.
	Day       string    `json:"day,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	TakenBy   string    `json:"taken_by"`
	TakenAt   time.Time `json:"taken_at"`
	Customers int       `json:"customers"`
}

// SnapshotFilter selects snapshots for Snapshots.
type SnapshotFilter struct {
	// Owner selects the snapshots of one owner's customers; Tenant selects
	// the tenant-wide ones. Both empty: every snapshot the principal may see.
	Owner  string `json:"owner,omitempty"`
	Tenant bool   `json:"tenant,omitempty"`
	// Since and Until bound TakenAt: Since <= TakenAt < Until.
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Cursor is the Next of the previous page; empty for the first.
	Cursor string `json:"cursor,omitempty"`
	// Limit caps the page (default 50, at most 500).
	Limit int `json:"limit,omitempty"`
}

// SnapshotPage is one page of snapshots, newest first.
type SnapshotPage struct {
	Snapshots []Snapshot `json:"snapshots"`
	Next      string     `json:"next,omitempty"`
}

// CustomerRef names a customer in a diff.
type CustomerRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	OwnerID string `json:"owner_id"`
}

// CustomerChange is one customer whose fields differ between two states,
// with every altered field (Version, UpdatedAt and ArchivedAt, which change
// with any edit, are left out).
type CustomerChange struct {
	CustomerRef
	Changes []audit.Change `json:"changes"`
}

// SnapshotDiff is what changed between two snapshots, or between a
// snapshot and the current records. Each list is ordered by customer ID.
type SnapshotDiff struct {
	From string `json:"from"` // snapshot ID
	To   string `json:"to"`   // snapshot ID; empty for the current records
	// Added are customers in the later state only.
	Added []CustomerRef `json:"added"`
	// Archived are customers active before and archived after. They are
	// listed in Changed too, with their other changes.
	Archived []CustomerRef `json:"archived"`
	// Removed are customers in the earlier state that are gone from the
	// later one: out of its scope (transferred away, when comparing with
	// another owner snapshot) or, compared with the current records,
	// missing from the database altogether. Compared with the current
	// records, a customer that left an owner's scope but still exists is
	// listed in Changed with its new owner instead.
	Removed []CustomerRef `json:"removed"`
	// Changed are customers present in both whose fields differ.
	Changed []CustomerChange `json:"changed"`
}

// Empty reports whether the diff found no difference.
func (d SnapshotDiff) Empty() bool {
	return len(d.Added) == 0 && len(d.Archived) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// RestoreReport says what Restore did.
type RestoreReport struct {
	SnapshotID string `json:"snapshot_id"`
	// Restored are customers whose fields were reverted (including
	// archived ones brought back), Recreated those missing from the
	// database and inserted again, Unchanged those already as in the
	// snapshot.
	Restored  []CustomerRef `json:"restored"`
	Recreated []CustomerRef `json:"recreated"`
	Unchanged []CustomerRef `json:"unchanged"`
}
