package appeal

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// Limits on what people write, in characters.
const (
	MinReasonLen = 10
	MaxReasonLen = 4000
	MaxBodyLen   = 4000
	MaxItemLen   = 200
)

// FileParams is what File takes.
type FileParams struct {
	// Kind and SubjectID name the subject appealed ("assessment.result"
	// and a participant's result ID).
	Kind      string `json:"kind"`
	SubjectID string `json:"subject_id"`
	// Item is the contested item's code (an indicator), empty for the
	// whole subject.
	Item string `json:"item,omitempty"`
	// Reason is the objection: required, MinReasonLen to MaxReasonLen
	// characters.
	Reason string `json:"reason"`
}

// validate lists every bad field of p.
func (p *FileParams) validate() error {
	var v ballast.ValidationError
	p.Reason = strings.TrimSpace(p.Reason)
	if p.Kind == "" {
		v.Add("kind", "is required")
	}
	if p.SubjectID == "" {
		v.Add("subject_id", "is required")
	} else if len(p.SubjectID) > 200 {
		v.Add("subject_id", "is too long")
	}
	if utf8.RuneCountInString(p.Item) > MaxItemLen {
		v.Add("item", fmt.Sprintf("must be at most %d characters", MaxItemLen))
	}
	checkText(&v, "reason", p.Reason, MinReasonLen, MaxReasonLen)
	return v.Err()
}

// checkText adds a field error when text is shorter than min (after
// trimming) or longer than max characters, or not valid UTF-8.
func checkText(v *ballast.ValidationError, field, text string, min, max int) {
	n := utf8.RuneCountInString(text)
	switch {
	case !utf8.ValidString(text):
		v.Add(field, "is not valid UTF-8")
	case n == 0 && min > 0:
		v.Add(field, "is required")
	case n < min:
		v.Add(field, fmt.Sprintf("must be at least %d characters", min))
	case n > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// File files the signed-in employee's appeal on their own subject (the
// kind's FilePermission, default assessment:self), on the whole subject or
// one of its items, while the subject's appeal window is open. The manager
// and the tenant's HR recipients are notified; the appeal must be decided
// by the tenant's Settings.ReplyDays.
//
// Errors, with nothing changed: a *ballast.ValidationError for bad
// params or an item the subject does not have; ErrUnknownKind;
// ballast.ErrForbidden for someone else's subject; ErrNotAppealable when
// the window has ended or the subject's owner refuses (a closed cycle);
// ErrAlreadyAppealed when an appeal on the same subject and item is
// pending. A system principal files on the subject owner's behalf.
func (s *Service) File(ctx context.Context, p FileParams) (Appeal, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: file: %w", err)
	}
	if err := p.validate(); err != nil {
		return Appeal{}, fmt.Errorf("appeal: file: %w", err)
	}
	k, err := s.kind(p.Kind)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: file: %w", err)
	}
	if err := s.authorize(ctx, pr, k.FilePermission); err != nil {
		return Appeal{}, fmt.Errorf("appeal: file: %w", err)
	}
	loc, err := s.location(ctx, pr)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: file: %w", err)
	}
	var a Appeal
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := k.Subject.Target(as(ctx, pr), p.SubjectID)
		if err != nil {
			return fmt.Errorf("%s %s: %w", p.Kind, p.SubjectID, err)
		}
		if t.EmployeeID == "" {
			return fmt.Errorf("%s %s has no owner: %w", p.Kind, p.SubjectID, ErrNotAppealable)
		}
		if pr.Kind != ballast.KindSystem && t.EmployeeID != pr.Subject {
			return forbidden("%s %s is not the principal's own", p.Kind, p.SubjectID)
		}
		now := s.now()
		if t.WindowEnds.IsZero() || !now.Before(t.WindowEnds) {
			return fmt.Errorf("%w (window ended %s)", ErrNotAppealable, t.WindowEnds.UTC().Format("2006-01-02 15:04 MST"))
		}
		before, title := t.Outcome, ""
		if p.Item != "" {
			it, ok := t.item(p.Item)
			if !ok {
				return ballast.Invalid("item", fmt.Sprintf("%q is not an item of this %s", p.Item, p.Kind))
			}
			before, title = it.Outcome, it.Title
		}
		set, err := s.settings(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		day := today(now, loc)
		due := addDays(day, set.ReplyDays)
		next := addDays(due, -set.RemindDaysBefore)
		if next.Before(day) {
			next = day
		}
		a = Appeal{ID: ballast.NewID(), Kind: p.Kind, SubjectID: p.SubjectID, Item: p.Item, ItemTitle: title,
			Title: t.Title, EmployeeID: t.EmployeeID, ManagerID: t.ManagerID, Reason: p.Reason, Status: StatusOpen,
			Before: before, WindowEnds: t.WindowEnds.UTC(), DueOn: due, NextAlertOn: next,
			FiledAt: now, UpdatedAt: now, Version: 1}
		if dup, err := s.pendingOn(ctx, pr.Tenant, a); err != nil {
			return err
		} else if dup {
			return ErrAlreadyAppealed
		}
		// A conflict now is a concurrent duplicate (the pending index) or
		// an owner hr does not know (the employee reference).
		if err := s.store.InsertAppeal(ctx, pr.Tenant, a); err != nil {
			return err
		}
		if err := s.record(ctx, ActionFile, a.ID, a.Reason, nil, a); err != nil {
			return err
		}
		return s.notifyFiled(ctx, a, set)
	})
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: file: %w", err)
	}
	return a, nil
}

// pendingOn reports whether an appeal on a's subject and item is pending
// (one indexed query on the subject).
func (s *Service) pendingOn(ctx context.Context, tenant string, a Appeal) (bool, error) {
	as, err := s.store.ListAppeals(ctx, tenant, Query{Kinds: []string{a.Kind}, SubjectID: a.SubjectID,
		Statuses: []Status{StatusOpen, StatusUnderReview}})
	if err != nil {
		return false, err
	}
	for _, x := range as {
		if x.Item == a.Item && x.ID != a.ID {
			return true, nil
		}
	}
	return false, nil
}

// Withdraw withdraws the signed-in employee's own pending appeal, with an
// optional reason; version is the version read. Others' appeals are
// ballast.ErrNotFound (HR and managers cannot withdraw for the employee);
// a decided or withdrawn appeal is ErrClosed; a stale version
// ballast.ErrConflict.
func (s *Service) Withdraw(ctx context.Context, appealID, reason string, version int64) (Appeal, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: withdraw: %w", err)
	}
	reason = strings.TrimSpace(reason)
	var v ballast.ValidationError
	checkText(&v, "reason", reason, 0, MaxReasonLen)
	if err := v.Err(); err != nil {
		return Appeal{}, fmt.Errorf("appeal: withdraw %s: %w", appealID, err)
	}
	var a Appeal
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Appeal(ctx, pr.Tenant, appealID)
		if err != nil {
			return err
		}
		if pr.Kind != ballast.KindSystem && before.EmployeeID != pr.Subject {
			return fmt.Errorf("appeal %s: %w", appealID, ballast.ErrNotFound)
		}
		if err := pending(before, version); err != nil {
			return err
		}
		a = before
		now := s.now()
		a.Status, a.ClosedBy, a.ClosedAt, a.CloseReason = StatusWithdrawn, pr.Subject, now, reason
		a.NextAlertOn, a.UpdatedAt, a.Version = hrZero, now, before.Version+1
		if err := s.store.UpdateAppeal(ctx, pr.Tenant, a, before.Version); err != nil {
			return err
		}
		if err := s.record(ctx, ActionWithdraw, a.ID, reason, before, a); err != nil {
			return err
		}
		return s.notifyClosed(ctx, a)
	})
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: withdraw %s: %w", appealID, err)
	}
	return a, nil
}

// pending checks that a is at version and still pending.
func pending(a Appeal, version int64) error {
	if !a.Status.Pending() {
		return fmt.Errorf("%w (%s)", ErrClosed, a.Status)
	}
	if a.Version != version {
		return staleVersion("appeal "+a.ID, version, a.Version)
	}
	return nil
}
