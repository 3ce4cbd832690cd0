package assessment

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// dimensionScores returns the 360 scores of the participants (employee ID
// → dimension → score) when the plan uses dimensions and Raters is set:
// one call with BulkRaterScores, else one per participant.
func (s *Service) dimensionScores(ctx context.Context, c Cycle, ps []Participant) (map[string]map[string]float64, error) {
	if s.raters == nil || c.Plan == nil {
		return nil, nil
	}
	uses := false
	for _, ind := range c.Plan.Indicators {
		uses = uses || ind.Dimension != ""
	}
	if !uses || len(ps) == 0 {
		return nil, nil
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.EmployeeID
	}
	if b, ok := s.raters.(BulkRaterScores); ok {
		out, err := b.DimensionScoresMany(ctx, c.ID, ids)
		if err != nil {
			return nil, fmt.Errorf("360 scores: %w", err)
		}
		return out, nil
	}
	out := make(map[string]map[string]float64, len(ps))
	for _, id := range ids {
		d, err := s.raters.DimensionScores(ctx, c.ID, id)
		if err != nil {
			return nil, fmt.Errorf("360 scores of %s: %w", id, err)
		}
		out[id] = d
	}
	return out, nil
}

// computeAll computes the results of the participants of c from the
// manager entries of the whole cycle (one query) and the 360 scores.
func (s *Service) computeAll(ctx context.Context, tenant string, c Cycle, ps []Participant) ([]Result, error) {
	grades, err := s.gradeScale(ctx, tenant)
	if err != nil {
		return nil, err
	}
	es, err := s.store.CycleEntries(ctx, tenant, c.ID, SideManager)
	if err != nil {
		return nil, err
	}
	byPart := make(map[string]map[string]*Entry, len(ps))
	for i := range es {
		e := &es[i]
		m := byPart[e.ParticipantID]
		if m == nil {
			m = make(map[string]*Entry, 16)
			byPart[e.ParticipantID] = m
		}
		m[e.IndicatorID] = e
	}
	dims, err := s.dimensionScores(as(ctx, ballast.Principal{Tenant: tenant, Subject: "system:assessment", Kind: ballast.KindSystem}), c, ps)
	if err != nil {
		return nil, err
	}
	items := map[string][]WeightedItem{}
	now := s.now()
	out := make([]Result, len(ps))
	for i, p := range ps {
		its, ok := items[p.DepartmentID]
		if !ok {
			its = c.Plan.Items(p.DepartmentID)
			items[p.DepartmentID] = its
		}
		out[i] = compute(its, byPart[p.ID], dims[p.EmployeeID], p.Calibration, grades, now)
	}
	return out, nil
}

// Finalise computes every participant's result in bulk and finalises a
// cycle in calibration (PermManage): the weighted sum of the item scores
// (a quantitative actual mapped through its indicator, a rating mapped
// linearly from its scale, a 360 dimension from Config.Raters; an unscored
// item counts 0 and is listed in Result.Missing), the calibrated score
// where HR set one, the grade on the tenant's scale, strengths and gaps.
// In the same transaction it writes every result, records the period's
// rating in hr's performance history (RecordPerformance), appends one
// audit entry per participant and tells each employee. The appeal window
// runs until Deadlines.AppealUntil.
//
// It refuses, changing nothing, while a manager review is not submitted
// (an *IncompleteError listing them, matching ErrReviewsIncomplete) — use
// FinaliseWith to finalise anyway — and when Deadlines.AppealUntil has
// already passed (ErrAppealWindowClosed: move it with UpdateDeadlines).
func (s *Service) Finalise(ctx context.Context, cycleID string, version int64) (FinaliseReport, error) {
	return s.FinaliseWith(ctx, cycleID, version, FinaliseOptions{})
}

// FinaliseOptions are the choices of FinaliseWith.
type FinaliseOptions struct {
	// AllowIncomplete finalises although some manager reviews are not
	// submitted: their unscored items count 0 (Result.Missing). Reason is
	// then required and goes on the audit chain with the count.
	AllowIncomplete bool   `json:"allow_incomplete,omitempty"`
	Reason          string `json:"reason,omitempty"`
}

// FinaliseWith is Finalise with options: HR may finalise a cycle whose
// manager reviews are not all submitted by saying so, with a reason.
func (s *Service) FinaliseWith(ctx context.Context, cycleID string, version int64, o FinaliseOptions) (FinaliseReport, error) {
	var rep FinaliseReport
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, before, err := s.transition(ctx, cycleID, version, CycleCalibration)
		if err != nil {
			return err
		}
		o.Reason = strings.TrimSpace(o.Reason)
		var v ballast.ValidationError
		text(&v, "reason", o.Reason, o.AllowIncomplete, maxText)
		if err := v.Err(); err != nil {
			return err
		}
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		if day.After(before.Deadlines.AppealUntil) {
			return fmt.Errorf("the appeal window of cycle %s ended on %s; move deadlines.appeal_until first: %w",
				cycleID, before.Deadlines.AppealUntil, ErrAppealWindowClosed)
		}
		// Locked: a calibration committed meanwhile would be lost.
		ps, err := s.store.ListParticipants(ctx, pr.Tenant, ParticipantQuery{CycleID: cycleID, Lock: true})
		if err != nil {
			return err
		}
		var open []PendingReview
		for _, p := range ps {
			if p.Status != StatusManagerSubmitted {
				open = append(open, PendingReview{ParticipantID: p.ID, EmployeeID: p.EmployeeID,
					EmployeeName: p.EmployeeName, ManagerID: p.ManagerID, Status: p.Status})
			}
		}
		if len(open) > 0 && !o.AllowIncomplete {
			return &IncompleteError{CycleID: cycleID, Pending: open}
		}
		rep.Unsubmitted = len(open)
		results, err := s.computeAll(ctx, pr.Tenant, before, ps)
		if err != nil {
			return err
		}
		now := s.now()
		perf := make([]hr.PerformanceEntry, len(ps))
		recs := make([]audit.Record, 0, len(ps))
		msgs := make([]notify.Message, 0, len(ps))
		counts := map[string]int{}
		for i := range ps {
			p := &ps[i]
			r := results[i]
			prev := p.Status
			p.Status, p.Result, p.NextAlertOn, p.UpdatedAt, p.Version = StatusFinalised, &r, hr.Date{}, now, p.Version+1
			counts[r.Grade]++
			if len(r.Missing) > 0 {
				rep.Incomplete++
			}
			perf[i] = hr.PerformanceEntry{EmployeeID: p.EmployeeID, PerformanceRecord: hr.PerformanceRecord{
				Period: before.Period.Label, PeriodEnd: before.Period.End, Score: r.Score, Grade: r.Grade,
				Source: "assessment", CycleID: cycleID}}
			score := strconv.FormatFloat(r.Score, 'f', -1, 64)
			recs = append(recs, audit.Record{Action: ActionFinalise, TargetType: TargetParticipant, TargetID: p.ID,
				Reason: before.Period.Label, Changes: []audit.Change{{Path: "Result.Score", After: score},
					{Path: "Result.Grade", After: r.Grade}, {Path: "Status", Before: string(prev), After: string(StatusFinalised)}}})
			msgs = append(msgs, notify.Message{Recipients: []string{p.EmployeeID}, Kind: KindFinalised,
				Subject:        fmt.Sprintf("%s: your result is final", before.Name),
				Body:           fmt.Sprintf("Your result for %s (%s) is final. You may appeal until %s.", before.Name, before.Period.Label, before.Deadlines.AppealUntil),
				Data:           map[string]string{"cycle_id": cycleID, "participant_id": p.ID, "appeal_until": before.Deadlines.AppealUntil.String()},
				IdempotencyKey: KindFinalised + "/" + p.ID})
		}
		if err := s.store.PutResults(ctx, pr.Tenant, ps, now); err != nil {
			return err
		}
		if err := s.hr.RecordPerformance(as(ctx, pr), perf); err != nil {
			return fmt.Errorf("performance history: %w", err)
		}
		if _, err := s.audit.AppendMany(ctx, recs); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		if _, err := s.outbox.EnqueueMany(ctx, msgs); err != nil {
			return err
		}
		after := before
		after.State, after.FinalisedAt = CycleFinalised, now
		rep.Participants = len(ps)
		grades, err := s.gradeScale(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		rep.Grades = gradeCounts(grades, counts)
		reason := fmt.Sprintf("finalised: %d results", len(ps))
		if len(open) > 0 {
			reason += fmt.Sprintf("; %d manager reviews not submitted: %s", len(open), o.Reason)
		} else if o.Reason != "" {
			reason += ": " + o.Reason
		}
		return s.saveCycleInto(ctx, pr.Tenant, before, &after, ActionCycleState, reason)
	})
	if err != nil {
		return FinaliseReport{}, fmt.Errorf("assessment: finalise: %w", err)
	}
	return rep, nil
}

// gradeCounts lists counts in the scale's order, then grades no longer on
// the scale.
func gradeCounts(g GradeScale, counts map[string]int) []GradeCount {
	out := make([]GradeCount, 0, len(g.Grades))
	seen := map[string]bool{}
	for _, gr := range g.Grades {
		out = append(out, GradeCount{Grade: gr.Name, Count: counts[gr.Name]})
		seen[gr.Name] = true
	}
	for _, k := range sortedKeys(counts) {
		if !seen[k] {
			out = append(out, GradeCount{Grade: k, Count: counts[k]})
		}
	}
	return out
}

// Calibrate sets a participant's score in calibration (PermManage): score
// 0–100 replaces the computed score at finalisation, with a reason on the
// audit chain. Only while the cycle is in calibration; one's own result is
// ErrOwnReview.
func (s *Service) Calibrate(ctx context.Context, participantID string, score float64, reason string) (Participant, error) {
	var out Participant
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if !finite(score) || score < 0 || score > 100 {
			v.Add("score", "must be between 0 and 100")
		}
		reason = strings.TrimSpace(reason)
		text(&v, "reason", reason, true, maxText)
		if err := v.Err(); err != nil {
			return err
		}
		_, p, _, err := s.participantFor(ctx, participantID)
		if err != nil {
			return err
		}
		if p.EmployeeID == pr.Subject {
			return ErrOwnReview
		}
		c, err := s.store.Cycle(ctx, pr.Tenant, p.CycleID)
		if err != nil {
			return err
		}
		if c.State != CycleCalibration {
			return wrongState("cycle %s is %s, not calibration", c.ID, c.State)
		}
		out = p
		out.Calibration = &Calibration{Score: round2(score), Reason: reason, By: pr.Subject, At: s.now()}
		return s.saveParticipant(ctx, pr.Tenant, p, &out, ActionCalibrate, reason)
	})
	if err != nil {
		return Participant{}, fmt.Errorf("assessment: calibrate: %w", err)
	}
	return out, nil
}

// Distribution returns a cycle's grade distribution overall and per
// department (PermManage): from the final results once the cycle is
// finalised, and provisional before (computed from the current entries
// and calibrations, nothing written), so HR sees it while calibrating.
func (s *Service) Distribution(ctx context.Context, cycleID string) (Distribution, error) {
	pr, err := s.principal(ctx, PermManage)
	if err == nil {
		err = ballast.CheckID("cycle_id", cycleID)
	}
	if err != nil {
		return Distribution{}, fmt.Errorf("assessment: distribution: %w", err)
	}
	c, err := s.store.Cycle(ctx, pr.Tenant, cycleID)
	if err != nil {
		return Distribution{}, fmt.Errorf("assessment: distribution: %w", err)
	}
	if c.State == CycleDraft {
		return Distribution{}, fmt.Errorf("assessment: distribution: %w", wrongState("cycle %s is a draft", cycleID))
	}
	ps, err := s.store.ListParticipants(ctx, pr.Tenant, ParticipantQuery{CycleID: cycleID})
	if err != nil {
		return Distribution{}, fmt.Errorf("assessment: distribution: %w", err)
	}
	final := c.State == CycleFinalised || c.State == CycleClosed
	results := make([]Result, len(ps))
	if final {
		for i, p := range ps {
			if p.Result != nil {
				results[i] = *p.Result
			}
		}
	} else if results, err = s.computeAll(ctx, pr.Tenant, c, ps); err != nil {
		return Distribution{}, fmt.Errorf("assessment: distribution: %w", err)
	}
	grades, err := s.gradeScale(ctx, pr.Tenant)
	if err != nil {
		return Distribution{}, fmt.Errorf("assessment: distribution: %w", err)
	}
	overall := map[string]int{}
	type agg struct {
		counts map[string]int
		n      int
		sum    float64
	}
	depts := map[string]*agg{}
	for i, p := range ps {
		r := results[i]
		overall[r.Grade]++
		a := depts[p.DepartmentID]
		if a == nil {
			a = &agg{counts: map[string]int{}}
			depts[p.DepartmentID] = a
		}
		a.counts[r.Grade]++
		a.n++
		a.sum += r.Score
	}
	out := Distribution{CycleID: cycleID, Provisional: !final, Overall: gradeCounts(grades, overall), Departments: []DepartmentGrades{}}
	for _, d := range sortedKeys(depts) {
		a := depts[d]
		out.Departments = append(out.Departments, DepartmentGrades{DepartmentID: d, Count: a.n,
			Average: round2(a.sum / float64(a.n)), Grades: gradeCounts(grades, a.counts)})
	}
	return out, nil
}
