package appeal

import (
	"context"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// hrAppeal loads an appeal for an HR action: the principal must hold the
// kind's ManagePermission (ballast.ErrForbidden otherwise, before the
// appeal is read) and may not act on an appeal they filed themselves.
func (s *Service) hrAppeal(ctx context.Context, pr ballast.Principal, id string) (Appeal, SubjectKind, error) {
	a, err := s.store.Appeal(ctx, pr.Tenant, id)
	if err != nil {
		return Appeal{}, SubjectKind{}, err
	}
	k, err := s.kind(a.Kind)
	if err != nil {
		return Appeal{}, SubjectKind{}, err
	}
	if err := s.authorize(ctx, pr, k.ManagePermission); err != nil {
		return Appeal{}, SubjectKind{}, err
	}
	if pr.Kind != ballast.KindSystem && a.EmployeeID == pr.Subject {
		return Appeal{}, SubjectKind{}, forbidden("appeal %s is the principal's own", id)
	}
	return a, k, nil
}

// StartReview takes an open appeal under review (the kind's
// ManagePermission): the principal becomes its handler, who is reminded of
// its deadline. version is the version read. An appeal already under
// review, decided or withdrawn is ballast.ErrConflict (ErrClosed for the
// last two); HR may not review their own appeal (ballast.ErrForbidden).
func (s *Service) StartReview(ctx context.Context, appealID string, version int64) (Appeal, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: start review: %w", err)
	}
	var a Appeal
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, _, err := s.hrAppeal(ctx, pr, appealID)
		if err != nil {
			return err
		}
		if err := pending(before, version); err != nil {
			return err
		}
		if before.Status != StatusOpen {
			return fmt.Errorf("appeal %s is already under review by %s: %w", appealID, before.HandlerID, ballast.ErrConflict)
		}
		a = before
		a.Status, a.HandlerID, a.UpdatedAt, a.Version = StatusUnderReview, pr.Subject, s.now(), before.Version+1
		if err := s.store.UpdateAppeal(ctx, pr.Tenant, a, before.Version); err != nil {
			return err
		}
		return s.record(ctx, ActionReview, a.ID, "", before, a)
	})
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: start review %s: %w", appealID, err)
	}
	return a, nil
}

// DecideParams is what Decide takes.
type DecideParams struct {
	AppealID string `json:"appeal_id"`
	// Result is ResultUpheld or ResultAdjusted.
	Result Result `json:"result"`
	// After is the new outcome; required when adjusted, empty when upheld.
	After Outcome `json:"after"`
	// Reason explains the decision to the employee: required.
	Reason string `json:"reason"`
	// Version is the appeal's version as read.
	Version int64 `json:"version"`
}

func (p *DecideParams) validate() error {
	var v ballast.ValidationError
	p.Reason = strings.TrimSpace(p.Reason)
	switch p.Result {
	case ResultUpheld:
		if !p.After.IsZero() {
			v.Add("after", "must be empty when the result is upheld")
		}
	case ResultAdjusted:
		if p.After.IsZero() {
			v.Add("after", "is required when the result is adjusted")
		}
	case "":
		v.Add("result", "is required")
	default:
		v.Add("result", fmt.Sprintf("must be %q or %q", ResultUpheld, ResultAdjusted))
	}
	p.After.check(&v, "after")
	checkText(&v, "reason", p.Reason, 1, MaxReasonLen)
	if p.Version <= 0 {
		v.Add("version", "is required")
	}
	return v.Err()
}

// decision is what the audit entry of a decision compares: the status and
// the contested outcome, before (as filed) and after.
type decision struct {
	Status  Status
	Result  Result
	Outcome Outcome
}

// Decide decides a pending appeal (the kind's ManagePermission). Upheld
// keeps the contested outcome; adjusted applies p.After through the kind's
// Subject.Adjust in the same transaction, so the subject and the appeal
// change together or not at all. The audit entry carries the old and the
// new outcome and the reason; the employee and the manager are notified.
//
// Errors, with nothing changed: a *ballast.ValidationError for bad params
// (or an outcome the Subject refuses); ballast.ErrForbidden without the
// permission or on one's own appeal; ErrClosed when already decided or
// withdrawn; ballast.ErrConflict for a stale version.
func (s *Service) Decide(ctx context.Context, p DecideParams) (Appeal, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: decide: %w", err)
	}
	if err := p.validate(); err != nil {
		return Appeal{}, fmt.Errorf("appeal: decide %s: %w", p.AppealID, err)
	}
	var a Appeal
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, k, err := s.hrAppeal(ctx, pr, p.AppealID)
		if err != nil {
			return err
		}
		if err := pending(before, p.Version); err != nil {
			return err
		}
		a = before
		now := s.now()
		a.Status, a.Result, a.After = StatusDecided, p.Result, p.After
		a.ClosedBy, a.ClosedAt, a.CloseReason = pr.Subject, now, p.Reason
		a.NextAlertOn, a.UpdatedAt, a.Version = hrZero, now, before.Version+1
		if a.HandlerID == "" {
			a.HandlerID = pr.Subject
		}
		if p.Result == ResultAdjusted {
			err := k.Subject.Adjust(as(ctx, pr), a.SubjectID, Adjustment{AppealID: a.ID, Item: a.Item,
				Before: a.Before, After: a.After, Reason: p.Reason, DecidedBy: pr.Subject})
			if err != nil {
				return fmt.Errorf("adjust %s %s: %w", a.Kind, a.SubjectID, err)
			}
		}
		if err := s.store.UpdateAppeal(ctx, pr.Tenant, a, before.Version); err != nil {
			return err
		}
		was := decision{Status: before.Status, Outcome: before.Before}
		now2 := decision{Status: a.Status, Result: a.Result, Outcome: a.Before}
		if a.Result == ResultAdjusted {
			now2.Outcome = a.After
		}
		if err := s.record(ctx, ActionDecide, a.ID, p.Reason, was, now2); err != nil {
			return err
		}
		return s.notifyClosed(ctx, a)
	})
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: decide %s: %w", p.AppealID, err)
	}
	return a, nil
}

// SetDueOn moves a pending appeal's due day (the kind's ManagePermission),
// with a reason on the audit chain; version is the version read. The next
// Reconcile follows the new day: reminders and escalations are keyed by
// the due day, so the new one is reminded again and an escalation already
// sent stays sent. A day before today (tenant zone), a blank reason or a
// bad field is a *ballast.ValidationError; a closed appeal ErrClosed; a
// stale version ballast.ErrConflict.
func (s *Service) SetDueOn(ctx context.Context, appealID string, due hr.Date, reason string, version int64) (Appeal, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: set due day: %w", err)
	}
	loc, err := s.location(ctx, pr)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: set due day: %w", err)
	}
	now := s.now()
	day := today(now, loc)
	reason = strings.TrimSpace(reason)
	var v ballast.ValidationError
	if due.IsZero() || due.Before(day) {
		v.Add("due_on", "must be today or later")
	}
	checkText(&v, "reason", reason, 1, MaxReasonLen)
	if err := v.Err(); err != nil {
		return Appeal{}, fmt.Errorf("appeal: set due day of %s: %w", appealID, err)
	}
	var a Appeal
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, _, err := s.hrAppeal(ctx, pr, appealID)
		if err != nil {
			return err
		}
		if err := pending(before, version); err != nil {
			return err
		}
		set, err := s.settings(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		a = before
		a.DueOn, a.NextAlertOn = due, addDays(due, -set.RemindDaysBefore)
		if a.NextAlertOn.Before(day) {
			a.NextAlertOn = day
		}
		a.UpdatedAt, a.Version = now, before.Version+1
		if err := s.store.UpdateAppeal(ctx, pr.Tenant, a, before.Version); err != nil {
			return err
		}
		return s.record(ctx, ActionDueOn, a.ID, reason, struct{ DueOn string }{before.DueOn.String()}, struct{ DueOn string }{a.DueOn.String()})
	})
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: set due day of %s: %w", appealID, err)
	}
	return a, nil
}
