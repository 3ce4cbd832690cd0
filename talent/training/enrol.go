package training

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// live are the statuses that hold a seat or a waitlist place.
var live = []EnrolmentStatus{Enrolled, Waitlisted}

// employee reads an employee as p and checks p may act on their training
// (write) or read it.
func (s *Service) employee(ctx context.Context, p ballast.Principal, id string, write bool) (hr.Employee, error) {
	emp, err := s.hr.Employee(as(ctx, p), id)
	if err != nil {
		return emp, err
	}
	a, err := s.accessTo(ctx, p, emp)
	if err != nil {
		return emp, err
	}
	if write && !a.write || !write && !a.read {
		return emp, forbidden("the training of employee %s", id)
	}
	return emp, nil
}

// Enrol enrols an employee in a session: in a seat while there is one,
// on the waitlist after that. Employees enrol themselves (PermSelf), a
// department head the employees of their departments
// (PermWriteDepartment), HR anyone (PermManage). A session that has
// started is ErrSessionStarted, a cancelled one ErrCancelled, a departed
// employee ErrDeparted, a second live enrolment ErrAlreadyEnrolled.
func (s *Service) Enrol(ctx context.Context, sessionID, employeeID string) (Enrolment, error) {
	var e Enrolment
	err := func() error {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return err
		}
		emp, err := s.employee(ctx, pr, employeeID, true)
		if err != nil {
			return err
		}
		if emp.Status == hr.StatusDeparted {
			return ErrDeparted
		}
		prof, err := s.hr.Profile(as(ctx, pr), emp.ID)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			ses, err := s.store.Session(ctx, pr.Tenant, sessionID, true)
			if err != nil {
				return err
			}
			now := s.now()
			switch {
			case ses.Status == SessionCancelled:
				return ErrCancelled
			case !now.Before(ses.StartsAt):
				return ErrSessionStarted
			}
			have, err := s.store.ListEnrolments(ctx, pr.Tenant, EnrolmentQuery{SessionID: ses.ID, EmployeeID: emp.ID, Statuses: live, Limit: 1})
			if err != nil {
				return err
			}
			if len(have) > 0 {
				return ErrAlreadyEnrolled
			}
			c, err := s.store.Course(ctx, pr.Tenant, ses.CourseID)
			if err != nil {
				return err
			}
			e = Enrolment{ID: ballast.NewID(), SessionID: ses.ID, CourseID: c.ID, EmployeeID: emp.ID, Status: Enrolled,
				SkillsBefore: levelsOf(c.Skills, prof.Skills), EnrolledBy: pr.Subject, EnrolledAt: now, UpdatedAt: now, Version: 1}
			if ses.Enrolled >= ses.Capacity {
				e.Status = Waitlisted
			}
			if err := s.store.InsertEnrolment(ctx, pr.Tenant, e); err != nil {
				if errors.Is(err, ballast.ErrConflict) {
					return fmt.Errorf("%w: %w", ErrAlreadyEnrolled, err)
				}
				return err
			}
			if err := s.record(ctx, ActionEnrol, TargetEnrolment, e.ID, "", nil, e); err != nil {
				return err
			}
			return s.notifyEnrolment(ctx, "training.enrolled", e, c, ses)
		})
	}()
	if err != nil {
		return Enrolment{}, fmt.Errorf("training: enrol %s in session %s: %w", employeeID, sessionID, err)
	}
	return e, nil
}

// levelsOf returns the employee's levels (0: not held) of the skills.
func levelsOf(skills []SkillLevel, held []hr.Skill) []SkillLevel {
	out := make([]SkillLevel, 0, len(skills))
	for _, sk := range skills {
		out = append(out, SkillLevel{Name: sk.Name, Level: heldLevel(held, sk.Name)})
	}
	return out
}

// heldLevel returns the level of a skill in an hr profile (0: not held).
func heldLevel(held []hr.Skill, name string) int {
	k := skillKey(name)
	for _, h := range held {
		if skillKey(h.Name) == k {
			return h.Level
		}
	}
	return 0
}

// notifyEnrolment tells the employee where their enrolment stands.
func (s *Service) notifyEnrolment(ctx context.Context, kind string, e Enrolment, c Course, ses Session) error {
	return s.outbox.Enqueue(ctx, notify.Message{Recipients: []string{e.EmployeeID}, Kind: kind,
		Subject: fmt.Sprintf("%s (%s): %s", c.Title, c.Code, e.Status),
		Body:    fmt.Sprintf("%s on %s, %s", c.Title, ses.Date, ses.Location+ses.Link),
		Data: map[string]string{"enrolment_id": e.ID, "session_id": ses.ID, "course_id": c.ID, "status": string(e.Status),
			"date": ses.Date.String()},
		IdempotencyKey: fmt.Sprintf("%s/%s/%s/%d", kind, e.ID, e.Status, e.Version)})
}

// CancelEnrolment cancels an enrolment (or waitlist place) before its
// session starts, with an optional reason; a freed seat goes to the first
// waitlisted enrolment. The same people as Enrol may cancel; version is the
// enrolment's version the caller read.
func (s *Service) CancelEnrolment(ctx context.Context, id, reason string, version int64) (Enrolment, error) {
	var e Enrolment
	err := func() error {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		var v ballast.ValidationError
		text(&v, "reason", reason, false, MaxReasonLen)
		if err := v.Err(); err != nil {
			return err
		}
		before, err := s.store.Enrolment(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if _, err := s.employee(ctx, pr, before.EmployeeID, true); err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			ses, err := s.store.Session(ctx, pr.Tenant, before.SessionID, true)
			if err != nil {
				return err
			}
			before, err := s.store.Enrolment(ctx, pr.Tenant, id)
			if err != nil {
				return err
			}
			now := s.now()
			switch {
			case before.Version != version:
				return staleVersion("enrolment", version, before.Version)
			case before.Status == Cancelled:
				return ErrCancelled
			case !now.Before(ses.StartsAt):
				return ErrSessionStarted
			}
			e = before
			e.Status, e.CancelledBy, e.CancelReason, e.UpdatedAt, e.Version = Cancelled, pr.Subject, reason, now, before.Version+1
			if err := s.store.UpdateEnrolment(ctx, pr.Tenant, e, version); err != nil {
				return err
			}
			if err := s.record(ctx, ActionCancel, TargetEnrolment, e.ID, reason, before, e); err != nil {
				return err
			}
			if before.Status == Enrolled {
				ses.Enrolled--
			} else {
				ses.Waitlisted--
			}
			return s.promote(ctx, pr, &ses)
		})
	}()
	if err != nil {
		return Enrolment{}, fmt.Errorf("training: cancel enrolment %s: %w", id, err)
	}
	return e, nil
}

// promote moves waitlisted enrolments into the session's free seats, in
// order of enrolment, and updates ses's counts.
func (s *Service) promote(ctx context.Context, pr ballast.Principal, ses *Session) error {
	free := ses.Capacity - ses.Enrolled
	if free <= 0 || ses.Waitlisted <= 0 {
		return nil
	}
	next, err := s.store.ListEnrolments(ctx, pr.Tenant, EnrolmentQuery{SessionID: ses.ID, Statuses: []EnrolmentStatus{Waitlisted}, Limit: free})
	if err != nil || len(next) == 0 {
		return err
	}
	c, err := s.store.Course(ctx, pr.Tenant, ses.CourseID)
	if err != nil {
		return err
	}
	now := s.now()
	for _, before := range next {
		e := before
		e.Status, e.UpdatedAt, e.Version = Enrolled, now, before.Version+1
		if err := s.store.UpdateEnrolment(ctx, pr.Tenant, e, before.Version); err != nil {
			return err
		}
		if err := s.record(ctx, ActionPromote, TargetEnrolment, e.ID, "a seat freed", before, e); err != nil {
			return err
		}
		if err := s.notifyEnrolment(ctx, "training.promoted", e, c, *ses); err != nil {
			return err
		}
		ses.Enrolled++
		ses.Waitlisted--
	}
	return nil
}

// Enrolment returns one enrolment; the people who may see its employee's
// training may read it (the employee, their department head, HR).
func (s *Service) Enrolment(ctx context.Context, id string) (Enrolment, error) {
	e, err := func() (Enrolment, error) {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return Enrolment{}, err
		}
		e, err := s.store.Enrolment(ctx, pr.Tenant, id)
		if err != nil {
			return Enrolment{}, err
		}
		if _, err := s.employee(ctx, pr, e.EmployeeID, false); err != nil {
			return Enrolment{}, err
		}
		return e, nil
	}()
	if err != nil {
		return Enrolment{}, fmt.Errorf("training: enrolment %s: %w", id, err)
	}
	return e, nil
}

// EnrolmentFilter selects enrolments for Enrolments. Empty fields select
// everything the principal may see; the conditions combine with AND.
type EnrolmentFilter struct {
	SessionID  string            `json:"session_id,omitempty"`
	CourseID   string            `json:"course_id,omitempty"`
	EmployeeID string            `json:"employee_id,omitempty"`
	Statuses   []EnrolmentStatus `json:"statuses,omitempty"`
	// Limit is 1–MaxListLimit (0: MaxListLimit).
	Limit int `json:"limit,omitempty"`
}

// Enrolments returns the enrolments f selects, in enrolment order (a
// session's waitlist order), within the principal's scope: HR sees all, a
// department head those of the departments they head, an employee their
// own (f.EmployeeID set to themselves). Outside any scope it is
// ballast.ErrForbidden.
func (s *Service) Enrolments(ctx context.Context, f EnrolmentFilter) ([]Enrolment, error) {
	out, err := func() ([]Enrolment, error) {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return nil, err
		}
		lim, err := limit(f.Limit)
		if err != nil {
			return nil, err
		}
		q := EnrolmentQuery{SessionID: f.SessionID, CourseID: f.CourseID, EmployeeID: f.EmployeeID, Statuses: f.Statuses, Limit: lim}
		scope, err := s.scope(ctx, pr, f.EmployeeID)
		if err != nil {
			return nil, err
		}
		if scope.none {
			return []Enrolment{}, nil
		}
		q.DepartmentIDs = scope.departments
		return s.store.ListEnrolments(ctx, pr.Tenant, q)
	}()
	if err != nil {
		return nil, fmt.Errorf("training: enrolments: %w", err)
	}
	return out, nil
}

// readScope is what a listing may show: everything (zero value), the
// employees of departments, or nothing.
type readScope struct {
	departments []string
	none        bool
}

// scope decides the read scope of p for a listing (of one employee's
// records when employeeID is set).
func (s *Service) scope(ctx context.Context, pr ballast.Principal, employeeID string) (readScope, error) {
	if ok, err := s.allowed(ctx, pr, PermManage); err != nil || ok {
		return readScope{}, err
	}
	if employeeID != "" && employeeID == pr.Subject {
		if ok, err := s.allowed(ctx, pr, PermRead); err != nil || ok {
			return readScope{}, err
		}
	}
	ok, err := s.allowed(ctx, pr, PermReadDepartment)
	if err != nil {
		return readScope{}, err
	}
	if !ok {
		if ok, err = s.allowed(ctx, pr, PermWriteDepartment); err != nil {
			return readScope{}, err
		}
	}
	if !ok {
		return readScope{}, forbidden("listing training records of others")
	}
	heads, err := s.headed(ctx, pr)
	if err != nil {
		return readScope{}, err
	}
	if len(heads) == 0 {
		return readScope{none: true}, nil
	}
	return readScope{departments: heads}, nil
}
