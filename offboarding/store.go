package offboarding

import (
	"context"
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Offboarding()); storetest.RunOffboarding checks any
// implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict. Update methods write the record
// as given (its Version already the new one) only where the stored version
// equals expectedVersion.
type Store interface {
	// Template returns the tenant's template, or ErrNotFound when it has
	// none of its own.
	Template(ctx context.Context, tenant string) (Template, error)
	// PutTemplate inserts t when expectedVersion is 0 (ErrConflict if one
	// exists) and otherwise updates it under the version rule.
	PutTemplate(ctx context.Context, tenant string, t Template, expectedVersion int64) error

	// InsertCase inserts c; a second open case of the same employee is
	// ErrConflict.
	InsertCase(ctx context.Context, tenant string, c Case) error
	// Case returns one case.
	Case(ctx context.Context, tenant, id string) (Case, error)
	// UpdateCase writes every field of c but ID, EmployeeID and OpenedAt.
	UpdateCase(ctx context.Context, tenant string, c Case, expectedVersion int64) error
	// ListCases returns cases ordered by ID (keyset after q.After).
	ListCases(ctx context.Context, tenant string, q CaseQuery) ([]Case, error)
	// DueCases locks and returns up to limit open cases whose NextStageOn
	// is on or before day. Inside a transaction on PostgreSQL the rows are
	// claimed FOR UPDATE SKIP LOCKED, so concurrent reconcilers share them.
	DueCases(ctx context.Context, tenant string, day hr.Date, limit int) ([]Case, error)

	// SetCaseStage sets a case's NextStageOn without touching its version
	// (Reconcile's bookkeeping must not collide with people's changes).
	SetCaseStage(ctx context.Context, tenant, caseID string, next hr.Date) error

	// InsertSteps inserts steps in one statement.
	InsertSteps(ctx context.Context, tenant string, steps []Step) error
	// Steps returns a case's steps in template order.
	Steps(ctx context.Context, tenant, caseID string) ([]Step, error)
	// UpdateStep writes every field of s but its identity.
	UpdateStep(ctx context.Context, tenant string, s Step, expectedVersion int64) error
	// SetStepAlert sets a step's NextAlertOn without touching its version.
	SetStepAlert(ctx context.Context, tenant, stepID string, next hr.Date) error
	// DueSteps locks and returns up to limit open steps whose NextAlertOn
	// is on or before day (claimed like DueCases).
	DueSteps(ctx context.Context, tenant string, day hr.Date, limit int) ([]Step, error)

	// AddHandoverItems inserts the items not yet on their case (existing
	// customers are left as they are) and returns how many it added.
	AddHandoverItems(ctx context.Context, tenant string, items []HandoverItem) (int, error)
	// UnlistedCustomers returns up to limit customers (as new items, with
	// CaseID set) owned by the employee of an open case and missing from
	// that case's handover list: the customers acquired since the list was
	// last filled. One indexed query.
	UnlistedCustomers(ctx context.Context, tenant string, limit int) ([]HandoverItem, error)
	// HandoverItems returns a case's items ordered by customer name, ID.
	HandoverItems(ctx context.Context, tenant, caseID string) ([]HandoverItem, error)
	// UpdateHandoverItems changes the named items of a case in one
	// statement per distinct change and returns how many rows matched.
	UpdateHandoverItems(ctx context.Context, tenant, caseID string, ids []string, u ItemUpdate) (int, error)

	// InsertSignature records a signature.
	InsertSignature(ctx context.Context, tenant string, s Signature) error
	// Signatures returns a case's signatures, oldest first.
	Signatures(ctx context.Context, tenant, caseID string) ([]Signature, error)

	// InsertWorkRound adds a round; its (case, round) must be new.
	InsertWorkRound(ctx context.Context, tenant string, r WorkRound) error
	// UpdateWorkRound writes the decision of a round that is still pending
	// (ErrConflict when it was decided meanwhile).
	UpdateWorkRound(ctx context.Context, tenant string, r WorkRound) error
	// WorkRounds returns a case's rounds in order.
	WorkRounds(ctx context.Context, tenant, caseID string) ([]WorkRound, error)

	// AddItemReturns inserts the items not yet on their case.
	AddItemReturns(ctx context.Context, tenant string, items []ItemReturn) (int, error)
	// ItemReturns returns a case's items ordered by name, asset ID.
	ItemReturns(ctx context.Context, tenant, caseID string) ([]ItemReturn, error)
	// UpdateItemReturn writes the outcome of a pending item (ErrConflict
	// when it is no longer pending).
	UpdateItemReturn(ctx context.Context, tenant string, it ItemReturn) error
}

// CaseQuery selects cases for ListCases.
type CaseQuery struct {
	// Status selects one status; empty means every case.
	Status CaseStatus
	// EmployeeID selects one employee's cases.
	EmployeeID string
	// Participant selects the cases this employee takes part in: as the
	// leaver, the line manager, the HR owner or one of the successors.
	Participant string
	// After is the ID the page starts after; Limit caps it (0: no cap).
	After string
	Limit int
}

// ItemUpdate is a change applied to several handover items at once; nil
// fields are left as they are.
type ItemUpdate struct {
	SuccessorID *string
	HandedOver  *bool
	Note        *string
	HandedAt    *time.Time
	HandedBy    *string
	SignatureID *string
	// OnlyUnsigned restricts the change to items without a signature.
	OnlyUnsigned bool
}
