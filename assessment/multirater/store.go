package multirater

import (
	"context"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the Service needs from a database. storage implements it
// (storage.DB.Multirater()); storetest.RunMultirater checks any
// implementation.
//
// Every method takes the tenant explicitly, never touches another
// tenant's rows (they are "not found"), and joins the transaction carried
// by ctx. A missing row is ballast.ErrNotFound; a duplicate key and a
// stale version are ballast.ErrConflict. Update methods write the record
// as given (its Version already the new one) only where the stored version
// equals expectedVersion.
type Store interface {
	// Settings returns the tenant's settings, or ErrNotFound when it never
	// saved its own.
	Settings(ctx context.Context, tenant string) (Settings, error)
	// PutSettings inserts s when expectedVersion is 0 (ErrConflict if the
	// tenant has settings) and otherwise updates them under the version
	// rule.
	PutSettings(ctx context.Context, tenant string, s Settings, expectedVersion int64) error

	// InsertRound inserts r.
	InsertRound(ctx context.Context, tenant string, r Round) error
	// Round returns one round, with Reviewees counted.
	Round(ctx context.Context, tenant, id string) (Round, error)
	// LockRound returns one round (Reviewees not counted) and, inside a
	// transaction on PostgreSQL, locks its row until the transaction ends:
	// FOR SHARE with LockShare (submissions, so that closing the round
	// waits for them and none lands after it), FOR UPDATE with LockUpdate
	// (nominations and approvals, so that the load limit holds).
	LockRound(ctx context.Context, tenant, id string, mode Lock) (Round, error)
	// Rounds returns a cycle's rounds ordered by ID ("" cycle: every
	// round of the tenant).
	Rounds(ctx context.Context, tenant, cycleID string) ([]Round, error)
	// UpdateRound writes every field of r but its identity, cycle and
	// creation.
	UpdateRound(ctx context.Context, tenant string, r Round, expectedVersion int64) error
	// SetRoundAlert sets a round's NextAlertOn without touching its version.
	SetRoundAlert(ctx context.Context, tenant, id string, next hr.Date) error
	// DueRounds locks and returns up to limit rounds that are nominating or
	// collecting and whose NextAlertOn is on or before day. Inside a
	// transaction on PostgreSQL the rows are claimed FOR UPDATE SKIP
	// LOCKED, so concurrent reconcilers share them.
	DueRounds(ctx context.Context, tenant string, day hr.Date, limit int) ([]Round, error)

	// InsertReviewees inserts rs in multi-row statements; a reviewee
	// already in the round is ErrConflict.
	InsertReviewees(ctx context.Context, tenant string, rs []Reviewee) error
	// Reviewee returns one reviewee of a round.
	Reviewee(ctx context.Context, tenant, roundID, employeeID string) (Reviewee, error)
	// Reviewees returns up to limit reviewees of a round ordered by
	// employee ID, after the ID after (keyset).
	Reviewees(ctx context.Context, tenant, roundID, after string, limit int) ([]Reviewee, error)
	// DirectReports returns, for each of managerIDs, the employees of the
	// tenant (not departed) whose hr manager it is.
	DirectReports(ctx context.Context, tenant string, managerIDs []string) (map[string][]string, error)

	// InsertAssignments inserts as in multi-row statements; a second
	// assignment of the same rater to the same reviewee in a round is
	// ErrConflict.
	InsertAssignments(ctx context.Context, tenant string, as []Assignment) error
	// Assignment returns one assignment.
	Assignment(ctx context.Context, tenant, id string) (Assignment, error)
	// UpdateAssignment writes status, decision, draft time, submission
	// time and version of a.
	UpdateAssignment(ctx context.Context, tenant string, a Assignment, expectedVersion int64) error
	// Assignments lists assignments ordered by ID (keyset after q.After).
	Assignments(ctx context.Context, tenant string, q AssignmentQuery) ([]Assignment, error)
	// RaterLoads counts, per rater of raterIDs, the rater's assignments in
	// a round that are pending, open or submitted, self-reviews excluded.
	RaterLoads(ctx context.Context, tenant, roundID string, raterIDs []string) (map[string]int, error)
	// CountAssignments counts a round's assignments per group and status.
	CountAssignments(ctx context.Context, tenant, roundID string) ([]GroupCount, error)

	// Draft returns the draft answers saved on an assignment (zero
	// Answers when none).
	Draft(ctx context.Context, tenant, assignmentID string) (Answers, error)
	// PutDraft stores (or, with nil Scores and Comments, clears) the
	// draft of an assignment.
	PutDraft(ctx context.Context, tenant, assignmentID string, a Answers) error

	// InsertResponse stores a submitted response, its scores and its
	// comments, unlinked from any assignment.
	InsertResponse(ctx context.Context, tenant string, r Response) error
	// ScoreTotals streams a round's score totals per reviewee, group and
	// dimension, ordered by reviewee ID, group and dimension, computed by
	// the database (GROUP BY) in one query; revieweeID "" means every
	// reviewee. fn's error stops the stream and is returned.
	ScoreTotals(ctx context.Context, tenant, roundID, revieweeID string, fn func(ScoreTotal) error) error
	// Comments returns the comments on a reviewee in a round from the
	// given groups, ordered by dimension, group and comment ID (random).
	Comments(ctx context.Context, tenant, roundID, revieweeID string, groups []Group) ([]Comment, error)

	// OpenRaters returns up to limit distinct raters with open (not
	// submitted) assignments in a round, ordered, after the ID after.
	OpenRaters(ctx context.Context, tenant, roundID, after string, limit int) ([]string, error)
	// PendingApprovers returns up to limit distinct approvers (the
	// reviewee's manager, "" for reviewees without one) of pending
	// nominations in a round, ordered, after the ID after.
	PendingApprovers(ctx context.Context, tenant, roundID, after string, limit int) ([]string, error)
}

// Lock is how LockRound locks a round.
type Lock int

// The lock modes of LockRound.
const (
	LockShare Lock = iota + 1
	LockUpdate
)

// AssignmentQuery selects assignments. Empty fields select everything.
type AssignmentQuery struct {
	RoundID    string
	RevieweeID string
	RaterID    string
	// ManagerID selects the assignments of reviewees whose resolved
	// manager it is.
	ManagerID string
	Status    Status
	// After is the ID the page starts after; Limit caps it (0: no cap).
	After string
	Limit int
}

// ScoreTotal is the sum and count of one reviewee's scores from one group
// on one dimension. Every submitted response scores every question, so N
// divided by the dimension's number of questions is how many responses
// the scores came from.
type ScoreTotal struct {
	RevieweeID string
	Group      Group
	Dimension  string
	Sum        int64
	N          int64
}
