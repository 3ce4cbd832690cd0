package training

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
)

// Attendance is one enrolment's attendance for RecordAttendance.
type Attendance struct {
	EnrolmentID string `json:"enrolment_id"`
	Attended    bool   `json:"attended"`
}

// ExamScore is one enrolment's exam score for RecordScores.
type ExamScore struct {
	EnrolmentID string  `json:"enrolment_id"`
	Score       float64 `json:"score"`
}

// MaxBatch is the most entries RecordAttendance and RecordScores take.
const MaxBatch = MaxCapacity

// seated loads the session and the seated enrolments a batch names,
// reporting under field each entry that is not a seated enrolment of the
// session or is listed twice.
func (s *Service) seated(ctx context.Context, pr ballast.Principal, sessionID, field string, ids []string) (Session, Course, map[string]Enrolment, error) {
	var v ballast.ValidationError
	if len(ids) == 0 || len(ids) > MaxBatch {
		v.Add(field, fmt.Sprintf("must list 1 to %d enrolments", MaxBatch))
		return Session{}, Course{}, nil, v.Err()
	}
	ses, err := s.store.Session(ctx, pr.Tenant, sessionID, true)
	if err != nil {
		return Session{}, Course{}, nil, err
	}
	if ses.Status == SessionCancelled {
		return Session{}, Course{}, nil, ErrCancelled
	}
	if s.now().Before(ses.StartsAt) {
		return Session{}, Course{}, nil, ErrNotStarted
	}
	c, err := s.store.Course(ctx, pr.Tenant, ses.CourseID)
	if err != nil {
		return Session{}, Course{}, nil, err
	}
	all, err := s.store.ListEnrolments(ctx, pr.Tenant, EnrolmentQuery{SessionID: ses.ID, Statuses: []EnrolmentStatus{Enrolled}})
	if err != nil {
		return Session{}, Course{}, nil, err
	}
	byID := make(map[string]Enrolment, len(all))
	for _, e := range all {
		byID[e.ID] = e
	}
	seen := map[string]bool{}
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d].enrolment_id", field, i)
		if _, ok := byID[id]; !ok {
			v.Add(f, "is not a seated enrolment of the session")
		} else if seen[id] {
			v.Add(f, "is listed twice")
		}
		seen[id] = true
	}
	return ses, c, byID, v.Err()
}

// RecordAttendance records who attended a session that has started. It
// needs PermManage. Every entry must name a seated (not waitlisted or
// cancelled) enrolment of the session, once; otherwise nothing changes and
// the error is a *ballast.ValidationError naming each bad entry. An
// attended enrolment that has passed its exam earns its certificate; one
// marked absent loses a certificate it had.
func (s *Service) RecordAttendance(ctx context.Context, sessionID string, att []Attendance) ([]Enrolment, error) {
	var out []Enrolment
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		ids := make([]string, len(att))
		for i, a := range att {
			ids[i] = a.EnrolmentID
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			ses, c, byID, err := s.seated(ctx, pr, sessionID, "attendance", ids)
			if err != nil {
				return err
			}
			now := s.now()
			for _, a := range att {
				before := byID[a.EnrolmentID]
				e := before
				attended := a.Attended
				e.Attended = &attended
				if !attended {
					e.CertificateID, e.CertifiedAt = "", time.Time{}
				}
				e, err := s.settle(ctx, pr, ActionAttendance, before, e, c, ses, now)
				if err != nil {
					return err
				}
				out = append(out, e)
			}
			return nil
		})
	}()
	if err != nil {
		return nil, fmt.Errorf("training: record attendance of session %s: %w", sessionID, err)
	}
	return out, nil
}

// RecordScores records exam scores (0–100) of a session that has started;
// an enrolment passes at or above its course's pass mark, and earns its
// certificate once it is also attended. It needs PermManage. A score out of
// range or an entry naming no seated enrolment of the session is a
// *ballast.ValidationError naming each, and nothing changes.
func (s *Service) RecordScores(ctx context.Context, sessionID string, scores []ExamScore) ([]Enrolment, error) {
	var out []Enrolment
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		ids := make([]string, len(scores))
		for i, sc := range scores {
			ids[i] = sc.EnrolmentID
			percent(&v, fmt.Sprintf("scores[%d].score", i), sc.Score)
		}
		if err := v.Err(); err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			ses, c, byID, err := s.seated(ctx, pr, sessionID, "scores", ids)
			if err != nil {
				return err
			}
			now := s.now()
			for _, sc := range scores {
				before := byID[sc.EnrolmentID]
				e := before
				score := sc.Score
				e.Score, e.Passed = &score, score >= c.PassMark
				if !e.Passed {
					e.CertificateID, e.CertifiedAt = "", time.Time{}
				}
				e, err := s.settle(ctx, pr, ActionScore, before, e, c, ses, now)
				if err != nil {
					return err
				}
				out = append(out, e)
			}
			return nil
		})
	}()
	if err != nil {
		return nil, fmt.Errorf("training: record scores of session %s: %w", sessionID, err)
	}
	return out, nil
}

// settle issues the certificate e has earned, writes e and audits the
// change (and the certificate).
func (s *Service) settle(ctx context.Context, pr ballast.Principal, action string, before, e Enrolment, c Course, ses Session, now time.Time) (Enrolment, error) {
	issue := e.CertificateID == "" && e.Attended != nil && *e.Attended && e.Passed
	if issue {
		e.CertificateID, e.CertifiedAt = ballast.NewID(), now
	}
	e.UpdatedAt, e.Version = now, before.Version+1
	if err := s.store.UpdateEnrolment(ctx, pr.Tenant, e, before.Version); err != nil {
		return e, err
	}
	if err := s.record(ctx, action, TargetEnrolment, e.ID, "", before, e); err != nil {
		return e, err
	}
	if !issue {
		return e, nil
	}
	if err := s.record(ctx, ActionCertificate, TargetEnrolment, e.ID, "", nil, map[string]string{"certificate_id": e.CertificateID}); err != nil {
		return e, err
	}
	return e, s.outbox.Enqueue(ctx, notify.Message{Recipients: []string{e.EmployeeID}, Kind: "training.certificate",
		Subject:        fmt.Sprintf("Certificate: %s (%s)", c.Title, c.Code),
		Body:           fmt.Sprintf("You passed %s on %s. Certificate %s.", c.Title, ses.Date, e.CertificateID),
		Data:           map[string]string{"certificate_id": e.CertificateID, "course_id": c.ID, "enrolment_id": e.ID},
		IdempotencyKey: "training.certificate/" + e.CertificateID})
}

// Certificates returns an employee's certificates, newest first. The
// employee, their department head and HR may read them.
func (s *Service) Certificates(ctx context.Context, employeeID string) ([]Certificate, error) {
	out, err := func() ([]Certificate, error) {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return nil, err
		}
		if _, err := s.employee(ctx, pr, employeeID, false); err != nil {
			return nil, err
		}
		return s.store.Certificates(ctx, pr.Tenant, employeeID)
	}()
	if err != nil {
		return nil, fmt.Errorf("training: certificates of %s: %w", employeeID, err)
	}
	return out, nil
}
