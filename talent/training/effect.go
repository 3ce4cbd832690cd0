package training

import (
	"context"
	"fmt"
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

// Effect reports a course's training effect over its attended
// enrolments, in one query. It needs PermManage.
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
		outs, err := s.store.Outcomes(ctx, pr.Tenant, c.ID)
		if err != nil {
			return Effect{}, err
		}
		ef := Effect{CourseID: c.ID, IndicatorCode: c.IndicatorCode, Skills: []SkillEffect{}}
		skills := make([]measure, len(c.Skills))
		var perf measure
		for _, o := range outs {
			ef.Attended++
			if o.Certified {
				ef.Certified++
			}
			for i, sk := range c.Skills {
				if before, ok := levelIn(o.SkillsBefore, sk.Name); ok {
					skills[i].add(float64(before), float64(heldLevel(o.SkillsNow, sk.Name)))
				}
			}
			if o.Before != nil && o.After != nil {
				perf.add(*o.Before, *o.After)
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
