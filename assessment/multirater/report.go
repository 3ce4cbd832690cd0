package multirater

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
)

// GroupResult is one shown group of a report. Groups below their
// anonymity threshold are not in a report at all.
type GroupResult struct {
	Group Group `json:"group"`
	// Responses is how many raters of the group submitted.
	Responses int `json:"responses"`
	// Mean is the group's mean over every question, on the scale; Score
	// the same on 0–100.
	Mean  float64 `json:"mean"`
	Score float64 `json:"score"`
	// RaterID names the rater of a named group (self, manager); empty for
	// anonymous groups.
	RaterID string `json:"rater_id,omitempty"`
}

// DimensionResult is one dimension of a report.
type DimensionResult struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Groups holds the mean, on the scale, of each shown group.
	Groups map[Group]float64 `json:"groups"`
	// Self is the self-rating (on the scale), nil when not submitted.
	Self *float64 `json:"self,omitempty"`
	// Others is the mean of every score from the shown groups other than
	// self (each rater's answers count alike), on the scale and, as
	// OthersScore, on 0–100; nil when no such group is shown.
	Others      *float64 `json:"others,omitempty"`
	OthersScore *float64 `json:"others_score,omitempty"`
	// Gap is Self minus Others in points of 0–100, when both exist.
	Gap *float64 `json:"gap,omitempty"`
}

// Report is one reviewee's 360 report of a closed round.
//
// Only shown groups count anywhere in it: a group with fewer submitted
// responses than its threshold has no GroupResult, no mean in any
// dimension, no share of Others or Overall, and no comments, so neither
// its scores nor its size can be read off the report.
type Report struct {
	RoundID    string `json:"round_id"`
	CycleID    string `json:"cycle_id"`
	RevieweeID string `json:"reviewee_id"`
	Scale      Scale  `json:"scale"`
	// Groups lists the shown groups in the order of Groups.
	Groups     []GroupResult     `json:"groups"`
	Dimensions []DimensionResult `json:"dimensions"`
	// Overall is the mean of the dimensions' Others (each dimension counts
	// alike) on the scale, and OverallScore on 0–100; nil when no group
	// other than self is shown.
	Overall      *float64 `json:"overall,omitempty"`
	OverallScore *float64 `json:"overall_score,omitempty"`
	// BlindSpots are the dimensions the reviewee rates themself at least
	// the round's Settings.Gap points (of 0–100) above the others;
	// HiddenStrengths those at least as far below.
	BlindSpots      []string `json:"blind_spots"`
	HiddenStrengths []string `json:"hidden_strengths"`
	// Comments are the shown groups' comments, by dimension and group,
	// anonymous ones without rater and in a random order fixed at
	// submission.
	Comments []Comment `json:"comments"`
}

// Summary is one reviewee's result as Results streams it: the Others
// score of each dimension and the self-rating on 0–100, the overall score
// and the gaps.
type Summary struct {
	RevieweeID string `json:"reviewee_id"`
	// Scores maps dimension codes to the others' score on 0–100 (shown
	// groups other than self only); dimensions without one are absent.
	Scores map[string]float64 `json:"scores"`
	// Self maps dimension codes to the self-rating on 0–100.
	Self            map[string]float64 `json:"self"`
	Overall         *float64           `json:"overall,omitempty"`
	BlindSpots      []string           `json:"blind_spots"`
	HiddenStrengths []string           `json:"hidden_strengths"`
}

// tally is the fold of one reviewee's score totals.
type tally struct {
	reviewee  string
	responses map[Group]int64
	sum, n    map[Group]map[string]int64
}

func newTally(reviewee string) *tally {
	return &tally{reviewee: reviewee, responses: map[Group]int64{},
		sum: map[Group]map[string]int64{}, n: map[Group]map[string]int64{}}
}

// add counts x in; questions maps dimension codes to their number of
// questions (every response scores each of them).
func (t *tally) add(x ScoreTotal, questions map[string]int64) {
	if q := questions[x.Dimension]; q > 0 && x.N/q > t.responses[x.Group] {
		t.responses[x.Group] = x.N / q
	}
	if t.sum[x.Group] == nil {
		t.sum[x.Group], t.n[x.Group] = map[string]int64{}, map[string]int64{}
	}
	t.sum[x.Group][x.Dimension] += x.Sum
	t.n[x.Group][x.Dimension] += x.N
}

// shown reports whether g reaches its threshold in r.
func (t *tally) shown(r Round, g Group) bool {
	return t.responses[g] > 0 && t.responses[g] >= int64(r.Settings.threshold(g))
}

func ptr(f float64) *float64 { return &f }

// report computes the report of t in r (comments and rater names left to
// the caller). Hidden groups are dropped here, before any mean is taken.
func (t *tally) report(r Round) Report {
	q := r.Questionnaire
	rep := Report{RoundID: r.ID, CycleID: r.CycleID, RevieweeID: t.reviewee, Scale: q.Scale,
		BlindSpots: []string{}, HiddenStrengths: []string{}, Comments: []Comment{}}
	var shown []Group
	for _, g := range Groups {
		if !t.shown(r, g) {
			continue
		}
		shown = append(shown, g)
		var sum, n int64
		for _, d := range q.Dimensions {
			sum, n = sum+t.sum[g][d.Code], n+t.n[g][d.Code]
		}
		if n > 0 {
			m := float64(sum) / float64(n)
			rep.Groups = append(rep.Groups, GroupResult{Group: g, Responses: int(t.responses[g]), Mean: m, Score: q.Scale.Normalise(m)})
		}
	}
	var overall float64
	var dims int
	for _, d := range q.Dimensions {
		dr := DimensionResult{Code: d.Code, Name: d.Name, Groups: map[Group]float64{}}
		var sum, n int64
		for _, g := range shown {
			gs, gn := t.sum[g][d.Code], t.n[g][d.Code]
			if gn == 0 {
				continue
			}
			dr.Groups[g] = float64(gs) / float64(gn)
			if g == GroupSelf {
				dr.Self = ptr(dr.Groups[g])
				continue
			}
			sum, n = sum+gs, n+gn
		}
		if n > 0 {
			dr.Others = ptr(float64(sum) / float64(n))
			dr.OthersScore = ptr(q.Scale.Normalise(*dr.Others))
			overall += *dr.Others
			dims++
		}
		if dr.Self != nil && dr.Others != nil {
			gap := q.Scale.Normalise(*dr.Self) - *dr.OthersScore
			dr.Gap = &gap
			switch {
			case gap >= r.Settings.Gap:
				rep.BlindSpots = append(rep.BlindSpots, d.Code)
			case -gap >= r.Settings.Gap:
				rep.HiddenStrengths = append(rep.HiddenStrengths, d.Code)
			}
		}
		rep.Dimensions = append(rep.Dimensions, dr)
	}
	if dims > 0 {
		rep.Overall = ptr(overall / float64(dims))
		rep.OverallScore = ptr(q.Scale.Normalise(*rep.Overall))
	}
	return rep
}

// summary condenses a report.
func (rep Report) summary() Summary {
	s := Summary{RevieweeID: rep.RevieweeID, Scores: map[string]float64{}, Self: map[string]float64{},
		Overall: rep.OverallScore, BlindSpots: rep.BlindSpots, HiddenStrengths: rep.HiddenStrengths}
	for _, d := range rep.Dimensions {
		if d.OthersScore != nil {
			s.Scores[d.Code] = *d.OthersScore
		}
		if d.Self != nil {
			s.Self[d.Code] = rep.Scale.Normalise(*d.Self)
		}
	}
	return s
}

// fold streams a round's totals (one reviewee, or every one with "") and
// calls fn with each reviewee's tally, in reviewee order.
func (s *Service) fold(ctx context.Context, tenant string, r Round, reviewee string, fn func(*tally) error) error {
	questions := map[string]int64{}
	for _, d := range r.Questionnaire.Dimensions {
		questions[d.Code] = int64(len(d.Questions))
	}
	var cur *tally
	err := s.store.ScoreTotals(ctx, tenant, r.ID, reviewee, func(x ScoreTotal) error {
		if cur != nil && cur.reviewee != x.RevieweeID {
			if err := fn(cur); err != nil {
				return err
			}
			cur = nil
		}
		if cur == nil {
			cur = newTally(x.RevieweeID)
		}
		cur.add(x, questions)
		return nil
	})
	if err != nil {
		return err
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

// closedRound loads a round and requires it closed.
func (s *Service) closedRound(ctx context.Context, tenant, id string) (Round, error) {
	r, err := s.store.Round(ctx, tenant, id)
	if err != nil {
		return Round{}, err
	}
	if r.State != StateClosed {
		return Round{}, fmt.Errorf("round %s is %s; reports exist once it is closed: %w", id, r.State, ErrRoundState)
	}
	return r, nil
}

// Report returns a reviewee's report of a closed round: for the reviewee
// (PermSelf), their manager (PermDepartment) and HR (PermManage). A round
// not closed is ErrRoundState — reports exist only once nothing can change,
// so no one can compare a report before and after one rater's submission.
// See Report for what is never shown.
func (s *Service) Report(ctx context.Context, roundID, revieweeID string) (Report, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return Report{}, fmt.Errorf("multirater: report: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(roundID) {
		v.Add("round_id", "is not a valid id")
	}
	if !ballast.ValidID(revieweeID) {
		v.Add("reviewee_id", "is not a valid id")
	}
	if err := v.Err(); err != nil {
		return Report{}, fmt.Errorf("multirater: report: %w", err)
	}
	rv, err := s.store.Reviewee(ctx, pr.Tenant, roundID, revieweeID)
	if err != nil {
		return Report{}, fmt.Errorf("multirater: report: %w", err)
	}
	if pr.Subject != revieweeID {
		ok, err := s.approver(ctx, pr, rv)
		if err != nil {
			return Report{}, fmt.Errorf("multirater: report: %w", err)
		}
		if !ok {
			return Report{}, fmt.Errorf("multirater: report: %w", forbidden("%s may not read the report of %s", pr.Subject, revieweeID))
		}
	}
	r, err := s.closedRound(ctx, pr.Tenant, roundID)
	if err != nil {
		return Report{}, fmt.Errorf("multirater: report: %w", err)
	}
	t := newTally(revieweeID)
	if err := s.fold(ctx, pr.Tenant, r, revieweeID, func(x *tally) error { t = x; return nil }); err != nil {
		return Report{}, fmt.Errorf("multirater: report: %w", err)
	}
	rep := t.report(r)
	var shown []Group
	for i, g := range rep.Groups {
		shown = append(shown, g.Group)
		switch g.Group {
		case GroupSelf:
			rep.Groups[i].RaterID = revieweeID
		case GroupManager:
			rep.Groups[i].RaterID = rv.ManagerID
		}
	}
	if len(shown) > 0 {
		cs, err := s.store.Comments(ctx, pr.Tenant, roundID, revieweeID, shown)
		if err != nil {
			return Report{}, fmt.Errorf("multirater: report: %w", err)
		}
		for _, c := range cs {
			if c.Group.Anonymous() {
				c.RaterID = ""
			}
			rep.Comments = append(rep.Comments, c)
		}
	}
	return rep, nil
}

// Results streams the summary of every reviewee with a shown response in
// a closed round (HR, PermManage), in reviewee ID order, from one
// aggregating query (GROUP BY in the database) read as a stream: no query
// per reviewee. fn's error stops it and is returned. fn runs while the
// query's rows are open: it must not use the database (on SQLite, with its
// single connection, that would wait forever); collect first if needed.
func (s *Service) Results(ctx context.Context, roundID string, fn func(Summary) error) error {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return fmt.Errorf("multirater: results: %w", err)
	}
	if err := ballast.CheckID("round_id", roundID); err != nil {
		return fmt.Errorf("multirater: results: %w", err)
	}
	r, err := s.closedRound(ctx, pr.Tenant, roundID)
	if err != nil {
		return fmt.Errorf("multirater: results: %w", err)
	}
	err = s.fold(ctx, pr.Tenant, r, "", func(t *tally) error { return fn(t.report(r).summary()) })
	if err != nil {
		return fmt.Errorf("multirater: results: %w", err)
	}
	return nil
}

// DimensionScores returns, for an employee reviewed in a closed round of
// a review cycle, each dimension's others' score normalised to 0–100
// (shown groups other than self only; dimensions without one are absent).
// When several closed rounds of the cycle reviewed the employee, the last
// created wins; when none did, the map is empty. The assessment core
// reads "360 dimension" indicators through this method. Allowed to HR
// (PermManage) and system principals, the employee (PermSelf) and their
// manager in the round (PermDepartment).
func (s *Service) DimensionScores(ctx context.Context, cycleID, employeeID string) (map[string]float64, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return nil, fmt.Errorf("multirater: dimension scores: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(cycleID) {
		v.Add("cycle_id", "is not a valid id")
	}
	if !ballast.ValidID(employeeID) {
		v.Add("employee_id", "is not a valid id")
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("multirater: dimension scores: %w", err)
	}
	rounds, err := s.store.Rounds(ctx, pr.Tenant, cycleID)
	if err != nil {
		return nil, fmt.Errorf("multirater: dimension scores: %w", err)
	}
	out := map[string]float64{}
	for i := len(rounds) - 1; i >= 0; i-- {
		r := rounds[i]
		if r.State != StateClosed {
			continue
		}
		rv, err := s.store.Reviewee(ctx, pr.Tenant, r.ID, employeeID)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("multirater: dimension scores: %w", err)
		}
		if pr.Subject != employeeID {
			ok, err := s.approver(ctx, pr, rv)
			if err != nil {
				return nil, fmt.Errorf("multirater: dimension scores: %w", err)
			}
			if !ok {
				return nil, fmt.Errorf("multirater: dimension scores: %w", forbidden("%s may not read the scores of %s", pr.Subject, employeeID))
			}
		}
		t := newTally(employeeID)
		if err := s.fold(ctx, pr.Tenant, r, employeeID, func(x *tally) error { t = x; return nil }); err != nil {
			return nil, fmt.Errorf("multirater: dimension scores: %w", err)
		}
		return t.report(r).summary().Scores, nil
	}
	return out, nil
}

// DimensionScoresMany is DimensionScores for many employees at once (HR,
// PermManage, or a system principal): employee ID → dimension code →
// others' score on 0–100, for those of employeeIDs reviewed in a closed
// round of the cycle (the others are absent). One aggregating query per
// closed round, however many employees; the assessment core finalising a
// whole cycle calls it (its optional BulkRaterScores).
func (s *Service) DimensionScoresMany(ctx context.Context, cycleID string, employeeIDs []string) (map[string]map[string]float64, error) {
	var v ballast.ValidationError
	if !ballast.ValidID(cycleID) {
		v.Add("cycle_id", "is not a valid id")
	}
	checkIDs(&v, "employee_ids", employeeIDs)
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("multirater: dimension scores: %w", err)
	}
	want := make(map[string]bool, len(employeeIDs))
	for _, id := range employeeIDs {
		want[id] = true
	}
	return s.cycleScores(ctx, cycleID, want)
}

// CycleDimensionScores is DimensionScores for every employee reviewed in
// the closed rounds of a cycle at once (HR, PermManage, or a system
// principal), for finalising a whole cycle: employee ID → dimension code
// → others' score on 0–100. One aggregating query per closed round.
func (s *Service) CycleDimensionScores(ctx context.Context, cycleID string) (map[string]map[string]float64, error) {
	if err := ballast.CheckID("cycle_id", cycleID); err != nil {
		return nil, fmt.Errorf("multirater: cycle dimension scores: %w", err)
	}
	return s.cycleScores(ctx, cycleID, nil)
}

// cycleScores folds the closed rounds of a cycle, in creation order (the
// last wins), keeping the employees in want (every one when nil).
func (s *Service) cycleScores(ctx context.Context, cycleID string, want map[string]bool) (map[string]map[string]float64, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, fmt.Errorf("multirater: cycle dimension scores: %w", err)
	}
	rounds, err := s.store.Rounds(ctx, pr.Tenant, cycleID)
	if err != nil {
		return nil, fmt.Errorf("multirater: cycle dimension scores: %w", err)
	}
	out := map[string]map[string]float64{}
	for _, r := range rounds {
		if r.State != StateClosed {
			continue
		}
		err := s.fold(ctx, pr.Tenant, r, "", func(t *tally) error {
			if want == nil || want[t.reviewee] {
				out[t.reviewee] = t.report(r).summary().Scores
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("multirater: cycle dimension scores: %w", err)
		}
	}
	return out, nil
}
