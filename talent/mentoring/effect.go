package mentoring

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Effectiveness reports each mentor's effectiveness over the period
// [from, to]: for every not cancelled mentorship overlapping it, the
// mentee's hr performance score of the last period ending before the
// mentorship started against that of the latest period ending on or after
// its start and on or before to; the mentor's Improvement is the mean
// change over the mentees with both. mentorID, when set, restricts it to
// one mentor. It needs PermManage. Mentors are ordered by ID.
func (s *Service) Effectiveness(ctx context.Context, from, to hr.Date, mentorID string) ([]MentorEffect, error) {
	out, err := func() ([]MentorEffect, error) {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return nil, err
		}
		var v ballast.ValidationError
		date(&v, "from", from)
		date(&v, "to", to)
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			v.Add("to", "must not be before from")
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		imps, err := s.store.Improvements(ctx, pr.Tenant, from, to, mentorID)
		if err != nil {
			return nil, err
		}
		out := []MentorEffect{}
		for _, im := range imps {
			if len(out) == 0 || out[len(out)-1].MentorID != im.MentorID {
				out = append(out, MentorEffect{MentorID: im.MentorID, Mentees: []Improvement{}})
			}
			me := &out[len(out)-1]
			me.Mentorships++
			me.Mentees = append(me.Mentees, im)
			if im.Before != nil && im.After != nil {
				me.Measured++
				me.Improvement += *im.After - *im.Before
			}
		}
		for i := range out {
			if out[i].Measured > 0 {
				out[i].Improvement /= float64(out[i].Measured)
			}
		}
		return out, nil
	}()
	if err != nil {
		return nil, fmt.Errorf("mentoring: effectiveness %s to %s: %w", from, to, err)
	}
	return out, nil
}

// MenteeImprovements returns, per mentor ID, the mean improvement of their
// mentees over [from, to] (see Effectiveness), for the mentors with at
// least one measured mentee: the values the assessment indicator "mentee
// improvement" imports as actuals. It needs PermManage (an importer runs
// it as a system principal of the tenant).
func (s *Service) MenteeImprovements(ctx context.Context, from, to hr.Date) (map[string]float64, error) {
	es, err := s.Effectiveness(ctx, from, to, "")
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(es))
	for _, e := range es {
		if e.Measured > 0 {
			out[e.MentorID] = e.Improvement
		}
	}
	return out, nil
}
