package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/storage"
)

// KindAssessmentResult is the appeal subject kind of a participant's
// finalised assessment result; the subject ID is the participant's ID.
const KindAssessmentResult = demo.AppealKind

// assessmentServices builds the 360 feedback rounds (multirater), the
// assessment core reading their dimension scores, and appeals on
// assessment results, after the hr service and the outbox.
func (a *App) assessmentServices(db *storage.DB) error {
	var err error
	if a.Multirater, err = multirater.New(multirater.Config{
		Store: db.Multirater(), Tx: db, Auth: a.Access, Directory: db.HR(), Audit: a.Audit, Outbox: a.Outbox, Clock: a.Clock,
	}); err != nil {
		return err
	}
	if a.Assessment, err = assessment.New(assessment.Config{
		Store: db.Assessment(), Tx: db, Auth: a.Access, HR: a.HR, Audit: a.Audit, Outbox: a.Outbox,
		Raters: a.Multirater, Clock: a.Clock,
	}); err != nil {
		return err
	}
	if a.Appeals, err = appeal.New(appeal.Config{
		Store: db.Appeals(), Tx: db, Auth: a.Access, Tenants: a.HR, Audit: a.Audit, Outbox: a.Outbox, Clock: a.Clock,
		Subjects: map[string]appeal.SubjectKind{
			KindAssessmentResult: {Subject: resultSubject{results: a.Assessment, tenants: a.HR},
				FilePermission: assessment.PermSelf, ManagePermission: assessment.PermManage},
		},
	}); err != nil {
		return err
	}
	return nil
}

// The 360 rounds feed the assessment core its dimension scores, in bulk
// when a whole cycle is finalised.
var (
	_ assessment.RaterScores     = (*multirater.Service)(nil)
	_ assessment.BulkRaterScores = (*multirater.Service)(nil)
)

// resultService is what the appeal adapter calls on the assessment core;
// *assessment.Service implements it.
type resultService interface {
	AppealWindow(ctx context.Context, participantID string) (assessment.AppealWindow, error)
	Result(ctx context.Context, participantID string) (assessment.EmployeeResult, error)
	AdjustResult(ctx context.Context, p assessment.AdjustParams) (assessment.Participant, error)
}

// tenantZone is what the adapter needs to place the end of an appeal
// window in time; *hr.Service implements it.
type tenantZone interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
}

// resultSubject makes a participant's finalised assessment result an
// appeal Subject: the whole result or one indicator (by its code) may be
// contested until the end of the cycle's AppealUntil day in the tenant's
// time zone; an adjusted decision becomes assessment's AdjustResult in the
// decision's transaction.
type resultSubject struct {
	results resultService
	tenants tenantZone
}

var _ appeal.Subject = resultSubject{}

// Target describes a participant's result for an appeal. A result of a
// closed cycle, or not finalised yet, is appeal.ErrNotAppealable.
func (s resultSubject) Target(ctx context.Context, participantID string) (appeal.Target, error) {
	w, err := s.results.AppealWindow(ctx, participantID)
	if err != nil {
		return appeal.Target{}, err
	}
	switch w.State {
	case assessment.CycleFinalised:
	case assessment.CycleClosed:
		return appeal.Target{}, fmt.Errorf("%w: %w", appeal.ErrNotAppealable, assessment.ErrCycleClosed)
	default:
		return appeal.Target{}, fmt.Errorf("%w: %w", appeal.ErrNotAppealable, assessment.ErrNotFinalised)
	}
	res, err := s.results.Result(ctx, participantID)
	if err != nil {
		return appeal.Target{}, err
	}
	t, err := s.tenants.Tenant(ctx)
	if err != nil {
		return appeal.Target{}, err
	}
	loc, err := t.Location()
	if err != nil {
		return appeal.Target{}, err
	}
	tg := appeal.Target{EmployeeID: w.EmployeeID, ManagerID: w.ManagerID, Title: res.CycleName,
		Outcome: appeal.Outcome{Score: appeal.Score(res.Result.Score), Grade: res.Result.Grade}}
	if !w.Until.IsZero() {
		// The window ends when the AppealUntil day does, in the tenant's zone.
		tg.WindowEnds = w.Until.In(loc).AddDate(0, 0, 1)
	}
	for _, it := range res.Result.Items {
		tg.Items = append(tg.Items, appeal.Item{Code: it.Code, Title: it.Name, Outcome: appeal.Outcome{Score: appeal.Score(it.Score)}})
	}
	return tg, nil
}

// Adjust applies an adjusted appeal decision to the result (or to the
// indicator named by the item code) through AdjustResult, in the
// decision's transaction. The new outcome must carry a score.
func (s resultSubject) Adjust(ctx context.Context, participantID string, adj appeal.Adjustment) error {
	if adj.After.Score == nil {
		return ballast.Invalid("after.score", "is required to adjust an assessment result")
	}
	p := assessment.AdjustParams{ParticipantID: participantID, Score: *adj.After.Score, Reason: adj.Reason, AppealID: adj.AppealID}
	if adj.Item != "" {
		res, err := s.results.Result(ctx, participantID)
		if err != nil {
			return err
		}
		for _, it := range res.Result.Items {
			if it.Code == adj.Item {
				p.IndicatorID = it.IndicatorID
			}
		}
		if p.IndicatorID == "" {
			return ballast.Invalid("item", fmt.Sprintf("%q is not an indicator of this result", adj.Item))
		}
	}
	_, err := s.results.AdjustResult(ctx, p)
	return err
}

// AssessmentReconcile sums the time-driven work of the assessment
// packages in one Reconcile.
type AssessmentReconcile struct {
	// Assessment counts the cycle deadline reminders and escalations.
	Assessment assessment.ReconcileReport
	// Multirater counts the 360 reminders to raters and to managers with
	// nominations to approve.
	Multirater multirater.ReconcileReport
	// Appeals counts the appeal reminders and escalations.
	Appeals appeal.ReconcileReport
}

// any reports whether anything was queued.
func (r AssessmentReconcile) any() bool {
	return r.Assessment.Reminders+r.Assessment.Escalations+r.Multirater.Reminders+r.Multirater.Approvals+
		r.Appeals.Reminders+r.Appeals.Escalations > 0
}

// reconcileAssessment runs the assessment packages' Reconcile for one
// tenant (sys carries its system principal), adding to rep; the errors
// are joined.
func (a *App) reconcileAssessment(sys context.Context, now time.Time, rep *AssessmentReconcile) error {
	var errs []error
	ar, err := a.Assessment.Reconcile(sys, now)
	errs = append(errs, err)
	rep.Assessment.Reminders += ar.Reminders
	rep.Assessment.Escalations += ar.Escalations
	mr, err := a.Multirater.Reconcile(sys, now)
	errs = append(errs, err)
	rep.Multirater.Reminders += mr.Reminders
	rep.Multirater.Approvals += mr.Approvals
	pr, err := a.Appeals.Reconcile(sys, now)
	errs = append(errs, err)
	rep.Appeals.Reminders += pr.Reminders
	rep.Appeals.Escalations += pr.Escalations
	return errors.Join(errs...)
}
