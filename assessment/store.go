package assessment

import (
	"context"
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Assessment()); storetest.RunAssessment checks any
// implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict. Update methods write the record
// as given (its Version already the new one) only where the stored version
// equals expectedVersion.
type Store interface {
	// InsertIndicator inserts ind; a code the tenant already uses is
	// ErrConflict.
	InsertIndicator(ctx context.Context, tenant string, ind Indicator) error
	// Indicator returns one indicator.
	Indicator(ctx context.Context, tenant, id string) (Indicator, error)
	// IndicatorsByID returns the indicators among ids that exist, in no
	// particular order.
	IndicatorsByID(ctx context.Context, tenant string, ids []string) ([]Indicator, error)
	// UpdateIndicator writes every field of ind but ID and CreatedAt.
	UpdateIndicator(ctx context.Context, tenant string, ind Indicator, expectedVersion int64) error
	// ListIndicators returns indicators ordered by code.
	ListIndicators(ctx context.Context, tenant string, q IndicatorQuery) ([]Indicator, error)

	// InsertTemplate inserts one version of a template; an existing (ID,
	// Version) is ErrConflict.
	InsertTemplate(ctx context.Context, tenant string, t Template) error
	// UpdateDraft rewrites a template version that is still a draft
	// (ErrConflict when it was published meanwhile).
	UpdateDraft(ctx context.Context, tenant string, t Template) error
	// Template returns one version of a template; version 0 means the
	// latest.
	Template(ctx context.Context, tenant, id string, version int) (Template, error)
	// LatestPublished returns the highest published version of a template.
	LatestPublished(ctx context.Context, tenant, id string) (Template, error)
	// ListTemplates returns the latest version of every template, ordered
	// by name, ID.
	ListTemplates(ctx context.Context, tenant string) ([]Template, error)

	// GradeScale returns the tenant's scale, or ErrNotFound when it has
	// none of its own.
	GradeScale(ctx context.Context, tenant string) (GradeScale, error)
	// PutGradeScale inserts g when expectedVersion is 0 (ErrConflict if one
	// exists) and otherwise updates it under the version rule.
	PutGradeScale(ctx context.Context, tenant string, g GradeScale, expectedVersion int64) error

	// InsertCycle inserts c.
	InsertCycle(ctx context.Context, tenant string, c Cycle) error
	// Cycle returns one cycle with its Plan.
	Cycle(ctx context.Context, tenant, id string) (Cycle, error)
	// UpdateCycle writes every field of c but ID and CreatedAt.
	UpdateCycle(ctx context.Context, tenant string, c Cycle, expectedVersion int64) error
	// ListCycles returns cycles ordered by ID (keyset after q.After),
	// without their Plan.
	ListCycles(ctx context.Context, tenant string, q CycleQuery) ([]Cycle, error)

	// Candidates returns the active employees s selects, ordered by
	// employee ID, in one query over hr's tables.
	Candidates(ctx context.Context, tenant string, s Selection) ([]Candidate, error)
	// DepartmentHeads returns every department of the tenant with its
	// parent, its head and whether the head is active, in one query.
	DepartmentHeads(ctx context.Context, tenant string) ([]DepartmentHead, error)

	// InsertParticipants inserts ps with multi-row inserts; an employee
	// twice in a cycle is ErrConflict.
	InsertParticipants(ctx context.Context, tenant string, ps []Participant) error
	// Participant returns one participant.
	Participant(ctx context.Context, tenant, id string) (Participant, error)
	// ListParticipants returns participants ordered by ID (keyset after
	// q.After); with q.Lock, inside a transaction on PostgreSQL, it locks
	// them FOR UPDATE.
	ListParticipants(ctx context.Context, tenant string, q ParticipantQuery) ([]Participant, error)
	// UpdateParticipant writes every field of p but its identity and
	// snapshot (employee, number, name, department, level) — the manager
	// is written (HR reassigns it) — its Result included (nil removes it).
	UpdateParticipant(ctx context.Context, tenant string, p Participant, expectedVersion int64) error
	// PutResults inserts the Result of each of many participants of one
	// cycle (one that has a result already is ErrConflict) and finalises
	// them: Status
	// StatusFinalised, no NextAlertOn, UpdatedAt at and Version + 1, with
	// multi-row statements whatever their stored version (the caller holds
	// the cycle).
	PutResults(ctx context.Context, tenant string, ps []Participant, at time.Time) error
	// SetCycleAlerts sets NextAlertOn of every participant of a cycle whose
	// status is one of statuses, and clears it for the others, in one
	// statement per value, without touching versions.
	SetCycleAlerts(ctx context.Context, tenant, cycleID string, next hr.Date, statuses []ParticipantStatus) error
	// SetAlerts sets NextAlertOn of the named participants in one
	// statement, without touching their versions.
	SetAlerts(ctx context.Context, tenant string, ids []string, next hr.Date) error
	// DueParticipants locks and returns up to limit participants whose
	// NextAlertOn is on or before day. Inside a transaction on PostgreSQL
	// the rows are claimed FOR UPDATE SKIP LOCKED, so concurrent
	// reconcilers share them.
	DueParticipants(ctx context.Context, tenant string, day hr.Date, limit int) ([]Participant, error)
	// CountParticipants counts a cycle's participants by department and
	// status, in one grouped query.
	CountParticipants(ctx context.Context, tenant, cycleID string) ([]StatusCount, error)

	// PutEntries inserts or replaces entries (by participant, side and
	// indicator) with multi-row statements.
	PutEntries(ctx context.Context, tenant string, es []Entry) error
	// SetActuals sets the Actual of manager-side entries, inserting the
	// entries that do not exist yet and leaving scores and comments of
	// existing ones as they are.
	SetActuals(ctx context.Context, tenant string, es []Entry) error
	// Entries returns a participant's entries of one side, ordered by
	// indicator ID.
	Entries(ctx context.Context, tenant, participantID string, side Side) ([]Entry, error)
	// CycleEntries returns every entry of one side in a cycle, ordered by
	// participant and indicator, in one query, with what a result needs:
	// Evidence, UpdatedBy and UpdatedAt are left empty.
	CycleEntries(ctx context.Context, tenant, cycleID string, side Side) ([]Entry, error)

	// InsertAdjustment records an adjustment.
	InsertAdjustment(ctx context.Context, tenant string, a Adjustment) error
	// Adjustments returns a participant's adjustments, oldest first.
	Adjustments(ctx context.Context, tenant, participantID string) ([]Adjustment, error)
}

// StatusCount is how many participants of a department have a status.
type StatusCount struct {
	DepartmentID string            `json:"department_id"`
	Status       ParticipantStatus `json:"status"`
	Count        int               `json:"count"`
}
