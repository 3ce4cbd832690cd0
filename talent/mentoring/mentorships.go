package mentoring

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// Limits on what the Service accepts.
const (
	MaxGoals     = 20
	MaxGoalLen   = 500
	MaxNotesLen  = 5000
	MaxNextLen   = 2000
	MaxReasonLen = 2000
	MaxListLimit = 500
)

// text checks a required (or optional) text field's length.
func text(v *ballast.ValidationError, field, s string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// checkGoals validates goals and returns them trimmed.
func checkGoals(v *ballast.ValidationError, goals []string) []string {
	if len(goals) == 0 || len(goals) > MaxGoals {
		v.Add("goals", fmt.Sprintf("must list 1 to %d goals", MaxGoals))
	}
	out := make([]string, len(goals))
	for i, g := range goals {
		out[i] = strings.TrimSpace(g)
		text(v, fmt.Sprintf("goals[%d]", i), out[i], true, MaxGoalLen)
	}
	return out
}

// date checks a required calendar date.
func date(v *ballast.ValidationError, field string, d hr.Date) {
	if d.IsZero() {
		v.Add(field, "is required")
	} else if _, err := hr.ParseDate(d.String()); err != nil {
		v.Add(field, "must be a calendar date")
	}
}

// overlaps reports whether [a1, a2] and [b1, b2] share a day.
func overlaps(a1, a2, b1, b2 hr.Date) bool { return !a2.Before(b1) && !b2.Before(a1) }

// Start starts a mentorship. HR (PermManage) or the head of the mentee's
// department (PermWriteDepartment) may. A mentor who is the mentee or bad
// dates and goals are a *ballast.ValidationError naming each field; a
// departed mentor or mentee ErrDeparted; an active mentorship of the same
// pair overlapping the dates ErrOverlap. The pair is notified.
func (s *Service) Start(ctx context.Context, p StartParams) (Mentorship, error) {
	var m Mentorship
	err := func() error {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		p.Goals = checkGoals(&v, p.Goals)
		for _, f := range []struct{ name, id string }{{"mentor_id", p.MentorID}, {"mentee_id", p.MenteeID}} {
			if !ballast.ValidID(f.id) {
				v.Add(f.name, "must be an employee id")
			}
		}
		if p.MentorID != "" && p.MentorID == p.MenteeID {
			v.Add("mentor_id", "must not be the mentee")
		}
		date(&v, "start", p.Start)
		date(&v, "end", p.End)
		if !p.Start.IsZero() && !p.End.IsZero() && !p.End.After(p.Start) {
			v.Add("end", "must be after start")
		}
		if err := v.Err(); err != nil {
			return err
		}
		mentor, err := s.hr.Employee(as(ctx, pr), p.MentorID)
		if err != nil {
			return err
		}
		mentee, err := s.hr.Employee(as(ctx, pr), p.MenteeID)
		if err != nil {
			return err
		}
		if ok, err := s.canManage(ctx, pr, mentee); err != nil {
			return err
		} else if !ok {
			return forbidden("starting a mentorship of %s", mentee.ID)
		}
		if mentor.Status == hr.StatusDeparted || mentee.Status == hr.StatusDeparted {
			return ErrDeparted
		}
		now := s.now()
		m = Mentorship{ID: ballast.NewID(), MentorID: mentor.ID, MenteeID: mentee.ID, Goals: p.Goals, Start: p.Start, End: p.End,
			Status: Active, CreatedBy: pr.Subject, CreatedAt: now, UpdatedAt: now, Version: 1}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.checkOverlap(ctx, pr.Tenant, m); err != nil {
				return err
			}
			if err := s.store.InsertMentorship(ctx, pr.Tenant, m); err != nil {
				return err
			}
			if err := s.record(ctx, ActionStart, m.ID, "", nil, m); err != nil {
				return err
			}
			return s.outbox.Enqueue(ctx, notify.Message{Recipients: []string{m.MentorID, m.MenteeID}, Kind: "mentoring.started",
				Subject: "Mentorship started", Body: strings.Join(m.Goals, "\n"),
				Data:           map[string]string{"mentorship_id": m.ID, "mentor_id": m.MentorID, "mentee_id": m.MenteeID, "start": m.Start.String(), "end": m.End.String()},
				IdempotencyKey: "mentoring.started/" + m.ID})
		})
	}()
	if err != nil {
		return Mentorship{}, fmt.Errorf("mentoring: start: %w", err)
	}
	return m, nil
}

// checkOverlap refuses m when another active mentorship of the same pair
// overlaps its dates, holding the pair's lock until the transaction ends.
func (s *Service) checkOverlap(ctx context.Context, tenant string, m Mentorship) error {
	if err := s.store.LockPair(ctx, tenant, m.MentorID, m.MenteeID); err != nil {
		return err
	}
	others, err := s.store.ListMentorships(ctx, tenant, Query{MentorID: m.MentorID, MenteeID: m.MenteeID, Statuses: []Status{Active}})
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID != m.ID && overlaps(o.Start, o.End, m.Start, m.End) {
			return fmt.Errorf("%w: mentorship %s (%s to %s)", ErrOverlap, o.ID, o.Start, o.End)
		}
	}
	return nil
}

// load reads a mentorship and checks p may manage it.
func (s *Service) managed(ctx context.Context, pr ballast.Principal, id string) (Mentorship, error) {
	m, err := s.store.Mentorship(ctx, pr.Tenant, id)
	if err != nil {
		return m, err
	}
	mentee, err := s.hr.Employee(as(ctx, pr), m.MenteeID)
	if err != nil {
		return m, err
	}
	if ok, err := s.canManage(ctx, pr, mentee); err != nil {
		return m, err
	} else if !ok {
		return m, forbidden("changing mentorship %s", id)
	}
	return m, nil
}

// Update replaces an active mentorship's goals and planned end. The people
// who may Start it may; version is the version the caller read.
func (s *Service) Update(ctx context.Context, id string, p UpdateParams, version int64) (Mentorship, error) {
	var m Mentorship
	err := func() error {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		p.Goals = checkGoals(&v, p.Goals)
		date(&v, "end", p.End)
		if err := v.Err(); err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			before, err := s.managed(ctx, pr, id)
			if err != nil {
				return err
			}
			switch {
			case before.Version != version:
				return staleVersion("mentorship", version, before.Version)
			case before.Status != Active:
				return ErrClosed
			case !p.End.After(before.Start):
				return ballast.Invalid("end", "must be after start")
			}
			m = before
			m.Goals, m.End, m.UpdatedAt, m.Version = p.Goals, p.End, s.now(), before.Version+1
			if err := s.checkOverlap(ctx, pr.Tenant, m); err != nil {
				return err
			}
			if err := s.store.UpdateMentorship(ctx, pr.Tenant, m, version); err != nil {
				return err
			}
			return s.record(ctx, ActionUpdate, m.ID, "", before, m)
		})
	}()
	if err != nil {
		return Mentorship{}, fmt.Errorf("mentoring: update %s: %w", id, err)
	}
	return m, nil
}

// Close completes or cancels an active mentorship, on the tenant's today,
// with a reason (required to cancel). The people who may Start it may.
func (s *Service) Close(ctx context.Context, id string, status Status, reason string, version int64) (Mentorship, error) {
	var m Mentorship
	err := func() error {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		reason = strings.TrimSpace(reason)
		if status != Completed && status != Cancelled {
			v.Add("status", `must be "completed" or "cancelled"`)
		}
		text(&v, "reason", reason, status == Cancelled, MaxReasonLen)
		if err := v.Err(); err != nil {
			return err
		}
		day, err := s.today(ctx, pr)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			before, err := s.managed(ctx, pr, id)
			if err != nil {
				return err
			}
			switch {
			case before.Version != version:
				return staleVersion("mentorship", version, before.Version)
			case before.Status != Active:
				return ErrClosed
			}
			m = before
			m.Status, m.ClosedOn, m.ClosedBy, m.CloseReason = status, day, pr.Subject, reason
			m.UpdatedAt, m.Version = s.now(), before.Version+1
			if err := s.store.UpdateMentorship(ctx, pr.Tenant, m, version); err != nil {
				return err
			}
			return s.record(ctx, ActionClose, m.ID, reason, before, m)
		})
	}()
	if err != nil {
		return Mentorship{}, fmt.Errorf("mentoring: close %s: %w", id, err)
	}
	return m, nil
}

// Mentorship returns one mentorship to HR, its mentor and mentee, and the
// head of the mentee's department.
func (s *Service) Mentorship(ctx context.Context, id string) (Mentorship, error) {
	m, err := func() (Mentorship, error) {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return Mentorship{}, err
		}
		m, err := s.store.Mentorship(ctx, pr.Tenant, id)
		if err != nil {
			return Mentorship{}, err
		}
		if ok, err := s.canRead(ctx, pr, m); err != nil {
			return Mentorship{}, err
		} else if !ok {
			return Mentorship{}, forbidden("reading mentorship %s", id)
		}
		return m, nil
	}()
	if err != nil {
		return Mentorship{}, fmt.Errorf("mentoring: mentorship %s: %w", id, err)
	}
	return m, nil
}

// Filter selects mentorships for Mentorships. Empty fields select
// everything the principal may see; the conditions combine with AND.
type Filter struct {
	MentorID string   `json:"mentor_id,omitempty"`
	MenteeID string   `json:"mentee_id,omitempty"`
	Statuses []Status `json:"statuses,omitempty"`
	// Mine selects the principal's own mentorships (as mentor or mentee).
	Mine bool `json:"mine,omitempty"`
	// After is the ID the page starts after; Limit is 1–MaxListLimit (0:
	// MaxListLimit).
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// Mentorships returns the mentorships f selects, ordered by ID, within
// the principal's scope: HR all, a department head those of mentees of the
// departments they head, an employee their own (f.Mine). Outside any scope
// it is ballast.ErrForbidden.
func (s *Service) Mentorships(ctx context.Context, f Filter) ([]Mentorship, error) {
	out, err := func() ([]Mentorship, error) {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return nil, err
		}
		lim := f.Limit
		if lim == 0 {
			lim = MaxListLimit
		}
		if lim < 0 || lim > MaxListLimit {
			return nil, ballast.Invalid("limit", fmt.Sprintf("must be 1 to %d", MaxListLimit))
		}
		q := Query{MentorID: f.MentorID, MenteeID: f.MenteeID, Statuses: f.Statuses, After: f.After, Limit: lim}
		if f.Mine {
			q.Participant = pr.Subject
		}
		switch ok, err := s.allowed(ctx, pr, PermManage); {
		case err != nil:
			return nil, err
		case ok:
			return s.store.ListMentorships(ctx, pr.Tenant, q)
		}
		if f.Mine {
			for _, perm := range []string{PermRead, PermSelf} {
				if ok, err := s.allowed(ctx, pr, perm); err != nil {
					return nil, err
				} else if ok {
					return s.store.ListMentorships(ctx, pr.Tenant, q)
				}
			}
		}
		rd, err := s.allowed(ctx, pr, PermReadDepartment)
		if err != nil {
			return nil, err
		}
		if !rd {
			if rd, err = s.allowed(ctx, pr, PermWriteDepartment); err != nil {
				return nil, err
			}
		}
		if !rd {
			return nil, forbidden("listing mentorships of others")
		}
		if q.DepartmentIDs, err = s.headed(ctx, pr); err != nil {
			return nil, err
		}
		if len(q.DepartmentIDs) == 0 {
			return []Mentorship{}, nil
		}
		return s.store.ListMentorships(ctx, pr.Tenant, q)
	}()
	if err != nil {
		return nil, fmt.Errorf("mentoring: mentorships: %w", err)
	}
	return out, nil
}

// LogMeeting adds a meeting to an active mentorship's log. Its mentor or
// mentee (with PermSelf) may, and whoever may Start it. A date before the
// mentorship's start or after today is a *ballast.ValidationError.
func (s *Service) LogMeeting(ctx context.Context, mentorshipID string, p MeetingParams) (Meeting, error) {
	var mt Meeting
	err := func() error {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		p.Notes, p.NextSteps = strings.TrimSpace(p.Notes), strings.TrimSpace(p.NextSteps)
		date(&v, "date", p.Date)
		text(&v, "notes", p.Notes, true, MaxNotesLen)
		text(&v, "next_steps", p.NextSteps, false, MaxNextLen)
		if err := v.Err(); err != nil {
			return err
		}
		day, err := s.today(ctx, pr)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			m, err := s.store.Mentorship(ctx, pr.Tenant, mentorshipID)
			if err != nil {
				return err
			}
			ok := false
			if pr.Subject == m.MentorID || pr.Subject == m.MenteeID {
				if ok, err = s.allowed(ctx, pr, PermSelf); err != nil {
					return err
				}
			}
			if !ok {
				mentee, err := s.hr.Employee(as(ctx, pr), m.MenteeID)
				if err != nil {
					return err
				}
				if ok, err = s.canManage(ctx, pr, mentee); err != nil {
					return err
				}
			}
			if !ok {
				return forbidden("logging a meeting of mentorship %s", m.ID)
			}
			if m.Status != Active {
				return ErrClosed
			}
			switch {
			case p.Date.Before(m.Start):
				return ballast.Invalid("date", fmt.Sprintf("must not be before the mentorship's start %s", m.Start))
			case p.Date.After(day):
				return ballast.Invalid("date", "must not be in the future")
			}
			mt = Meeting{ID: ballast.NewID(), MentorshipID: m.ID, Date: p.Date, Notes: p.Notes, NextSteps: p.NextSteps,
				AuthorID: pr.Subject, CreatedAt: s.now()}
			if err := s.store.InsertMeeting(ctx, pr.Tenant, mt); err != nil {
				return err
			}
			return s.record(ctx, ActionMeeting, m.ID, "", nil, mt)
		})
	}()
	if err != nil {
		return Meeting{}, fmt.Errorf("mentoring: log meeting of %s: %w", mentorshipID, err)
	}
	return mt, nil
}

// Meetings returns a mentorship's log, by date, to whoever may read the
// mentorship.
func (s *Service) Meetings(ctx context.Context, mentorshipID string) ([]Meeting, error) {
	if _, err := s.Mentorship(ctx, mentorshipID); err != nil {
		return nil, err
	}
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, err
	}
	out, err := s.store.Meetings(ctx, pr.Tenant, mentorshipID)
	if err != nil {
		return nil, fmt.Errorf("mentoring: meetings of %s: %w", mentorshipID, err)
	}
	return out, nil
}
