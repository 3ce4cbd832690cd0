package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

// domain builds the services of the hr sub-packages on db, after the
// audit log, the enforcer, the hr service and the outbox.
func (a *App) domain(db *storage.DB) error {
	var err error
	if a.Customers, err = customers.New(customers.Config{
		Store: db.Customers(), Tx: db, Auth: a.Access, Audit: a.Audit,
		Employees: db.HR(), Departments: db.HR(), Tenants: db.HR(), Clock: a.Clock,
	}); err != nil {
		return err
	}
	if a.Assets, err = assets.New(assets.Config{
		Store: db.Assets(), Tx: db, Auth: a.Access, Audit: a.Audit, Employees: db.HR(), Clock: a.Clock,
	}); err != nil {
		return err
	}
	if a.Channel, err = channel.New(channel.Config{
		Store: db.Channel(), Tx: db, Auth: a.Access, Audit: a.Audit, Outbox: a.Outbox,
		Directory: a.HR, Clock: a.Clock,
	}); err != nil {
		return err
	}
	if a.Insight, err = insight.New(insight.Config{Store: db.Insight(), Auth: a.Access, Clock: a.Clock}); err != nil {
		return err
	}
	if a.Offboarding, err = offboarding.New(offboarding.Config{
		Store: db.Offboarding(), Tx: db, Auth: a.Access, Access: a.Access, HR: a.HR,
		Customers: a.Customers, Assets: a.Assets, Audit: a.Audit, Outbox: a.Outbox, Clock: a.Clock,
	}); err != nil {
		return err
	}
	return nil
}

// ReconcileSubject is the subject of the system principal Reconcile acts
// as; audit entries it causes (the daily snapshot) name it as the actor.
const ReconcileSubject = "server-reconcile"

// ReconcileReport says what one Reconcile did across the tenants.
type ReconcileReport struct {
	// Tenants counts the tenants visited.
	Tenants int
	// Snapshots counts the daily customer snapshots taken (at most one per
	// tenant and day, however often Reconcile runs).
	Snapshots int
	// Channel sums the channel's work: overdue questions and feedback
	// digests notified.
	Channel channel.ReconcileReport
	// Offboarding sums the offboarding work: reminders and escalations
	// queued, revocation stages applied.
	Offboarding offboarding.ReconcileReport
	// Assessment sums the review cycles' deadline reminders and
	// escalations, the 360 rounds' reminders and the appeals' reminders
	// and escalations.
	Assessment AssessmentReconcile
}

// Reconcile runs the time-driven work of every tenant once, as a system
// principal of each: the tenant's daily customer snapshot when none was
// taken yet for its current day (customers.SnapshotDue), the channel's
// overdue questions and feedback digest (channel.Reconcile), and the
// offboarding cases' reminders, escalations and date-triggered revocation
// stages (offboarding.Reconcile), and the review cycles', 360 rounds' and
// appeals' reminders and escalations (assessment, multirater and appeal
// Reconcile). It
// is safe to run any number of times on any number of instances. A
// failing tenant does not stop the others; the errors are joined.
func (a *App) Reconcile(ctx context.Context) (ReconcileReport, error) {
	var rep ReconcileReport
	tenants, err := a.tenantIDs(ctx)
	if err != nil {
		return rep, err
	}
	now := a.Clock.Now()
	var errs []error
	for _, t := range tenants {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		rep.Tenants++
		sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: t, Subject: ReconcileSubject, Kind: ballast.KindSystem})
		if _, took, err := a.Customers.SnapshotDue(sys, now); err != nil {
			errs = append(errs, fmt.Errorf("app: reconcile tenant %s: %w", t, err))
		} else if took {
			rep.Snapshots++
		}
		cr, err := a.Channel.Reconcile(sys, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("app: reconcile tenant %s: %w", t, err))
		}
		rep.Channel.OverdueQuestions += cr.OverdueQuestions
		rep.Channel.FeedbackDigests += cr.FeedbackDigests
		or, err := a.Offboarding.Reconcile(sys, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("app: reconcile tenant %s: %w", t, err))
		}
		rep.Offboarding.Reminders += or.Reminders
		rep.Offboarding.Escalations += or.Escalations
		rep.Offboarding.Stages += or.Stages
		if err := a.reconcileAssessment(sys, now, &rep.Assessment); err != nil {
			errs = append(errs, fmt.Errorf("app: reconcile tenant %s: %w", t, err))
		}
	}
	return rep, errors.Join(errs...)
}

// tenantIDs lists every tenant's ID.
func (a *App) tenantIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := a.DB.Bun().NewSelect().TableExpr("ballast_tenants").Column("tenant_id").OrderExpr("tenant_id").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("app: list tenants: %w", storage.Translate("list tenants", err))
	}
	return ids, nil
}

// reconcileLoop runs Reconcile at once and then every reconcileEvery until
// ctx ends, logging what it did and what failed.
func (a *App) reconcileLoop(ctx context.Context) {
	t := time.NewTicker(a.reconcileEvery)
	defer t.Stop()
	for {
		rep, err := a.Reconcile(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			a.Logger.Error("reconcile", "err", err)
		}
		o := rep.Offboarding
		as := rep.Assessment
		if rep.Snapshots > 0 || rep.Channel.OverdueQuestions > 0 || rep.Channel.FeedbackDigests > 0 || o.Reminders+o.Escalations+o.Stages > 0 || as.any() {
			a.Logger.Info("reconcile", "tenants", rep.Tenants, "snapshots", rep.Snapshots,
				"overdue_questions", rep.Channel.OverdueQuestions, "feedback_digests", rep.Channel.FeedbackDigests,
				"offboarding_reminders", o.Reminders, "offboarding_escalations", o.Escalations, "revocation_stages", o.Stages,
				"assessment_reminders", as.Assessment.Reminders, "assessment_escalations", as.Assessment.Escalations,
				"multirater_reminders", as.Multirater.Reminders, "multirater_approvals", as.Multirater.Approvals,
				"appeal_reminders", as.Appeals.Reminders, "appeal_escalations", as.Appeals.Escalations)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
