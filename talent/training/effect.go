package training

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/hr"
)

// Measure is a before/after comparison over the employees measured.
type Measure struct {
	// Measured is how many attendees had both a before and an after value.
	Measured int `json:"measured"`
	// Before and After are the averages over them; Change is After - Before.
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Change float64 `json:"change"`
}

// SkillEffect is the change of one skill the course builds.
type SkillEffect struct {
	Name string `json:"name"`
	// Target is the level the course aims for.
	Target int `json:"target"`
	Measure
}

// Effect is a course's training effect over its attended enrolments.
type Effect struct {
	CourseID      string `json:"course_id"`
	IndicatorCode string `json:"indicator_code,omitempty"`
	// Attended counts the attended enrolments; Certified those with a
	// certificate.
	Attended  int `json:"attended"`
	Certified int `json:"certified"`
	// Skills compares each skill's level when enrolling with the level in
	// the hr profile now (an attendee who never held the skill counts from
	// 0).
	Skills []SkillEffect `json:"skills"`
	// Performance compares the hr performance score of the last period
	// ending before the session with that of the first period ending on or
	// after its last day.
	Performance Measure `json:"performance"`
}

// measure accumulates pairs.
type measure struct {
	n             int
	before, after float64
}

func (m *measure) add(b, a float64) { m.n++; m.before += b; m.after += a }

func (m measure) result() Measure {
	if m.n == 0 {
		return Measure{}
	}
	b, a := m.before/float64(m.n), m.after/float64(m.n)
	return Measure{Measured: m.n, Before: b, After: a, Change: a - b}
}

// Effect reports a course's training effect. It needs PermManage. It reads
// one hr profile per attended enrolment.
func (s *Service) Effect(ctx context.Context, courseID string) (Effect, error) {
	ef, err := func() (Effect, error) {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return Effect{}, err
		}
		c, err := s.store.Course(ctx, pr.Tenant, courseID)
		if err != nil {
			return Effect{}, err
		}
		loc, err := s.location(ctx, pr)
		if err != nil {
			return Effect{}, err
		}
		es, err := s.store.ListEnrolments(ctx, pr.Tenant, EnrolmentQuery{CourseID: c.ID, Statuses: []EnrolmentStatus{Enrolled}, Attended: true})
		if err != nil {
			return Effect{}, err
		}
		sessions := map[string]Session{}
		ef := Effect{CourseID: c.ID, IndicatorCode: c.IndicatorCode, Skills: []SkillEffect{}}
		skills := make([]measure, len(c.Skills))
		var perf measure
		for _, e := range es {
			ses, ok := sessions[e.SessionID]
			if !ok {
				if ses, err = s.store.Session(ctx, pr.Tenant, e.SessionID, false); err != nil {
					return Effect{}, err
				}
				sessions[e.SessionID] = ses
			}
			ef.Attended++
			if e.CertificateID != "" {
				ef.Certified++
			}
			prof, err := s.hr.Profile(as(ctx, pr), e.EmployeeID)
			if err != nil {
				return Effect{}, err
			}
			for i, sk := range c.Skills {
				before, ok := levelIn(e.SkillsBefore, sk.Name)
				if ok {
					skills[i].add(float64(before), float64(heldLevel(prof.Skills, sk.Name)))
				}
			}
			first, last := ses.Date, hr.DateOf(ses.EndsAt.In(loc))
			if b, a, ok := around(prof.Performance, first, last); ok {
				perf.add(b, a)
			}
		}
		for i, sk := range c.Skills {
			ef.Skills = append(ef.Skills, SkillEffect{Name: sk.Name, Target: sk.Level, Measure: skills[i].result()})
		}
		ef.Performance = perf.result()
		return ef, nil
	}()
	if err != nil {
		return Effect{}, fmt.Errorf("training: effect of course %s: %w", courseID, err)
	}
	return ef, nil
}

// levelIn finds a skill's snapshotted level.
func levelIn(ls []SkillLevel, name string) (int, bool) {
	k := skillKey(name)
	for _, l := range ls {
		if skillKey(l.Name) == k {
			return l.Level, true
		}
	}
	return 0, false
}

// around returns the score of the last period ending before first and of
// the first period ending on or after last.
func around(history []hr.PerformanceRecord, first, last hr.Date) (before, after float64, ok bool) {
	var b, a *hr.PerformanceRecord
	for i := range history {
		r := &history[i]
		if r.PeriodEnd.Before(first) && (b == nil || r.PeriodEnd.After(b.PeriodEnd)) {
			b = r
		}
		if !r.PeriodEnd.Before(last) && (a == nil || r.PeriodEnd.Before(a.PeriodEnd)) {
			a = r
		}
	}
	if b == nil || a == nil {
		return 0, 0, false
	}
	return b.Score, a.Score, true
}
