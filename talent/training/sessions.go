package training

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// clockTime parses "HH:MM".
func clockTime(s string) (h, m int, ok bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// checkSession validates p's fields (but CourseID) and returns the session's
// window as UTC instants.
func checkSession(p SessionParams, loc *time.Location) (SessionParams, time.Time, time.Time, error) {
	var v ballast.ValidationError
	p.Trainer, p.Location, p.Link = strings.TrimSpace(p.Trainer), strings.TrimSpace(p.Location), strings.TrimSpace(p.Link)
	var starts, ends time.Time
	sh, sm, okS := clockTime(p.Start)
	eh, em, okE := clockTime(p.End)
	if !okS {
		v.Add("start", `must be a time "HH:MM"`)
	}
	if !okE {
		v.Add("end", `must be a time "HH:MM"`)
	}
	if _, err := hr.ParseDate(p.Date.String()); err != nil || p.Date.IsZero() {
		v.Add("date", "must be a calendar date")
	}
	last := p.Date
	if !p.EndDate.IsZero() {
		if _, err := hr.ParseDate(p.EndDate.String()); err != nil {
			v.Add("end_date", "must be a calendar date")
		} else if p.EndDate.Before(p.Date) {
			v.Add("end_date", "must not be before date")
		}
		last = p.EndDate
	}
	if okS && okE && v.Err() == nil {
		starts = time.Date(p.Date.Year, p.Date.Month, p.Date.Day, sh, sm, 0, 0, loc).UTC()
		ends = time.Date(last.Year, last.Month, last.Day, eh, em, 0, 0, loc).UTC()
		if !ends.After(starts) {
			v.Add("end", "must be after start")
		}
	}
	text(&v, "trainer", p.Trainer, false, MaxTitleLen)
	text(&v, "location", p.Location, false, MaxTitleLen)
	text(&v, "link", p.Link, false, MaxLinkLen)
	if p.Capacity < 1 || p.Capacity > MaxCapacity {
		v.Add("capacity", fmt.Sprintf("must be 1 to %d", MaxCapacity))
	}
	return p, starts, ends, v.Err()
}

// lastDay is the last day of the session p describes.
func lastDay(p SessionParams) hr.Date {
	if p.EndDate.IsZero() {
		return p.Date
	}
	return p.EndDate
}

// remindOn is the day from which Reconcile reminds a session starting at
// starts (zero: no reminder, as the session has started or reminders are
// off).
func (s *Service) remindOn(starts, now time.Time, loc *time.Location) hr.Date {
	if s.remind < 0 || !starts.After(now) {
		return hr.Date{}
	}
	day := hr.DateOf(starts.In(loc).AddDate(0, 0, -s.remind))
	if today := hr.DateOf(now.In(loc)); day.Before(today) {
		return today
	}
	return day
}

// ScheduleSession adds a session of a course. It needs PermManage. The
// window is read in the tenant's time zone; a session in the past may be
// scheduled (to record training already held) but takes no enrolments and
// no reminder; bad fields are a
// *ballast.ValidationError naming each, an unknown course
// ballast.ErrNotFound.
func (s *Service) ScheduleSession(ctx context.Context, p SessionParams) (Session, error) {
	var ses Session
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		loc, err := s.location(ctx, pr)
		if err != nil {
			return err
		}
		p, starts, ends, err := checkSession(p, loc)
		if err != nil {
			return err
		}
		now := s.now()
		ses = Session{ID: ballast.NewID(), CourseID: p.CourseID, Date: p.Date, EndDate: lastDay(p), StartsAt: starts, EndsAt: ends,
			Trainer: p.Trainer, Location: p.Location, Link: p.Link, Capacity: p.Capacity, Status: SessionScheduled,
			RemindOn: s.remindOn(starts, now, loc), CreatedAt: now, UpdatedAt: now, Version: 1}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			if _, err := s.store.Course(ctx, pr.Tenant, p.CourseID); err != nil {
				return err
			}
			if err := s.store.InsertSession(ctx, pr.Tenant, ses); err != nil {
				return err
			}
			return s.record(ctx, ActionSessionCreate, TargetSession, ses.ID, "", nil, ses)
		})
	}()
	if err != nil {
		return Session{}, fmt.Errorf("training: schedule session: %w", err)
	}
	return ses, nil
}

// UpdateSession replaces a session's window, trainer, place and capacity.
// It needs PermManage; version is the version the caller read. A capacity
// below the seats taken is a *ballast.ValidationError; a larger one moves
// waitlisted enrolments up, in order. A new date re-arms the reminder.
func (s *Service) UpdateSession(ctx context.Context, id string, p SessionParams, version int64) (Session, error) {
	var ses Session
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		loc, err := s.location(ctx, pr)
		if err != nil {
			return err
		}
		p, starts, ends, err := checkSession(p, loc)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			before, err := s.store.Session(ctx, pr.Tenant, id, true)
			if err != nil {
				return err
			}
			if before.Version != version {
				return staleVersion("session", version, before.Version)
			}
			if before.Status == SessionCancelled {
				return ErrCancelled
			}
			if p.Capacity < before.Enrolled {
				return ballast.Invalid("capacity", fmt.Sprintf("must not be below the %d seats taken", before.Enrolled))
			}
			now := s.now()
			ses = before
			ses.Date, ses.EndDate, ses.StartsAt, ses.EndsAt = p.Date, lastDay(p), starts, ends
			ses.Trainer, ses.Location, ses.Link, ses.Capacity = p.Trainer, p.Location, p.Link, p.Capacity
			if !starts.Equal(before.StartsAt) {
				ses.RemindOn = s.remindOn(starts, now, loc)
			}
			ses.UpdatedAt, ses.Version = now, before.Version+1
			if err := s.store.UpdateSession(ctx, pr.Tenant, ses, version); err != nil {
				return err
			}
			if err := s.record(ctx, ActionSessionUpdate, TargetSession, ses.ID, "", before, ses); err != nil {
				return err
			}
			if err := s.promote(ctx, pr, &ses); err != nil {
				return err
			}
			return nil
		})
	}()
	if err != nil {
		return Session{}, fmt.Errorf("training: update session %s: %w", id, err)
	}
	return ses, nil
}

// CancelSession cancels a session that has not ended and every live
// enrolment in it, with a reason, and tells the enrolled and waitlisted
// employees. It needs PermManage.
func (s *Service) CancelSession(ctx context.Context, id, reason string, version int64) (Session, error) {
	var ses Session
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		reason = strings.TrimSpace(reason)
		text(&v, "reason", reason, true, MaxReasonLen)
		if err := v.Err(); err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			before, err := s.store.Session(ctx, pr.Tenant, id, true)
			if err != nil {
				return err
			}
			if before.Version != version {
				return staleVersion("session", version, before.Version)
			}
			if before.Status == SessionCancelled {
				return ErrCancelled
			}
			now := s.now()
			if !now.Before(before.EndsAt) {
				return ErrSessionStarted
			}
			ses = before
			ses.Status, ses.RemindOn, ses.UpdatedAt, ses.Version = SessionCancelled, hr.Date{}, now, before.Version+1
			if err := s.store.UpdateSession(ctx, pr.Tenant, ses, version); err != nil {
				return err
			}
			held, err := s.store.ListEnrolments(ctx, pr.Tenant, EnrolmentQuery{SessionID: id, Statuses: live})
			if err != nil {
				return err
			}
			if _, err := s.store.CancelSessionEnrolments(ctx, pr.Tenant, id, pr.Subject, reason, now); err != nil {
				return err
			}
			ses.Enrolled, ses.Waitlisted = 0, 0
			if err := s.record(ctx, ActionSessionCancel, TargetSession, ses.ID, reason, before, ses); err != nil {
				return err
			}
			c, err := s.store.Course(ctx, pr.Tenant, ses.CourseID)
			if err != nil {
				return err
			}
			for _, e := range held {
				if err := s.outbox.Enqueue(ctx, notify.Message{Recipients: []string{e.EmployeeID}, Kind: "training.session_cancelled",
					Subject: fmt.Sprintf("Cancelled: %s (%s) on %s", c.Title, c.Code, ses.Date), Body: reason,
					Data:           map[string]string{"session_id": ses.ID, "course_id": c.ID, "enrolment_id": e.ID},
					IdempotencyKey: "training.session_cancelled/" + ses.ID + "/" + e.EmployeeID}); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	if err != nil {
		return Session{}, fmt.Errorf("training: cancel session %s: %w", id, err)
	}
	return ses, nil
}

// Session returns one session with its seat counts. It needs PermRead,
// PermReadDepartment or PermManage.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	pr, err := s.reader(ctx)
	if err != nil {
		return Session{}, fmt.Errorf("training: session %s: %w", id, err)
	}
	ses, err := s.store.Session(ctx, pr.Tenant, id, false)
	if err != nil {
		return Session{}, fmt.Errorf("training: session %s: %w", id, err)
	}
	return ses, nil
}

// SessionFilter selects sessions for Sessions (the training calendar).
type SessionFilter struct {
	CourseID string `json:"course_id,omitempty"`
	// From and To bound the sessions' date, inclusive (zero: open).
	From hr.Date `json:"from,omitzero"`
	To   hr.Date `json:"to,omitzero"`
	// IncludeCancelled lists cancelled sessions too.
	IncludeCancelled bool `json:"include_cancelled,omitempty"`
	// Limit is 1–MaxListLimit (0: MaxListLimit).
	Limit int `json:"limit,omitempty"`
}

// Sessions returns the sessions f selects ordered by start, with their
// seat counts. It needs PermRead, PermReadDepartment or PermManage.
func (s *Service) Sessions(ctx context.Context, f SessionFilter) ([]Session, error) {
	pr, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("training: sessions: %w", err)
	}
	lim, err := limit(f.Limit)
	if err != nil {
		return nil, fmt.Errorf("training: sessions: %w", err)
	}
	q := SessionQuery{CourseID: f.CourseID, From: f.From, To: f.To, Limit: lim}
	if !f.IncludeCancelled {
		q.Statuses = []SessionStatus{SessionScheduled}
	}
	out, err := s.store.ListSessions(ctx, pr.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("training: sessions: %w", err)
	}
	return out, nil
}
