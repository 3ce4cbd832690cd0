package assessment

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Result returns a participant's final result with the manager's comments
// per indicator and the adjustments appeals made: to the employee
// (PermSelf) only once the cycle is finalised, to the snapshotted manager
// and HR likewise (before, there is no result: ErrNotFinalised).
func (s *Service) Result(ctx context.Context, participantID string) (EmployeeResult, error) {
	pr, p, _, err := s.participantFor(ctx, participantID)
	if err != nil {
		return EmployeeResult{}, fmt.Errorf("assessment: result: %w", err)
	}
	c, err := s.store.Cycle(ctx, pr.Tenant, p.CycleID)
	if err != nil {
		return EmployeeResult{}, fmt.Errorf("assessment: result: %w", err)
	}
	if (c.State != CycleFinalised && c.State != CycleClosed) || p.Result == nil {
		return EmployeeResult{}, fmt.Errorf("assessment: result of %s: %w", participantID, ErrNotFinalised)
	}
	adj, err := s.store.Adjustments(ctx, pr.Tenant, p.ID)
	if err != nil {
		return EmployeeResult{}, fmt.Errorf("assessment: result: %w", err)
	}
	return EmployeeResult{CycleID: c.ID, CycleName: c.Name, Period: c.Period, State: c.State,
		AppealUntil: c.Deadlines.AppealUntil, Participant: p, Result: *p.Result, Adjustments: adj}, nil
}

// Adjustments lists the adjustments of a participant's result, oldest
// first (to whoever may read the participant).
func (s *Service) Adjustments(ctx context.Context, participantID string) ([]Adjustment, error) {
	pr, p, _, err := s.participantFor(ctx, participantID)
	if err != nil {
		return nil, fmt.Errorf("assessment: adjustments: %w", err)
	}
	out, err := s.store.Adjustments(ctx, pr.Tenant, p.ID)
	if err != nil {
		return nil, fmt.Errorf("assessment: adjustments: %w", err)
	}
	return out, nil
}

// DepartmentReport summarises one department's participants of a cycle:
// grade distribution, average score, average per indicator (over final
// results) and the quantification rate (the share of the department's
// effective weight on quantitative indicators). HR (PermManage) reads any
// department; a manager (PermScoreDepartment) reads it over the
// participants they manage.
func (s *Service) DepartmentReport(ctx context.Context, cycleID, departmentID string) (DepartmentReport, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return DepartmentReport{}, fmt.Errorf("assessment: department report: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(cycleID) {
		v.Add("cycle_id", "must be an id")
	}
	if !ballast.ValidID(departmentID) {
		v.Add("department_id", "must be an id")
	}
	if err := v.Err(); err != nil {
		return DepartmentReport{}, fmt.Errorf("assessment: department report: %w", err)
	}
	q := ParticipantQuery{CycleID: cycleID, DepartmentID: departmentID}
	hrAll, err := s.allowed(ctx, pr, PermManage)
	if err != nil {
		return DepartmentReport{}, fmt.Errorf("assessment: department report: %w", err)
	}
	if !hrAll {
		if err := s.auth.Authorize(ctx, PermScoreDepartment); err != nil {
			return DepartmentReport{}, fmt.Errorf("assessment: department report: %w", err)
		}
		q.ManagerID = pr.Subject
	}
	c, err := s.store.Cycle(ctx, pr.Tenant, cycleID)
	if err != nil {
		return DepartmentReport{}, fmt.Errorf("assessment: department report: %w", err)
	}
	ps, err := s.store.ListParticipants(ctx, pr.Tenant, q)
	if err != nil {
		return DepartmentReport{}, fmt.Errorf("assessment: department report: %w", err)
	}
	grades, err := s.gradeScale(ctx, pr.Tenant)
	if err != nil {
		return DepartmentReport{}, fmt.Errorf("assessment: department report: %w", err)
	}
	rep := DepartmentReport{CycleID: cycleID, DepartmentID: departmentID, Participants: len(ps), Indicators: []IndicatorAverage{}}
	quant := 0.0
	items := c.Plan.Items(departmentID)
	for _, it := range items {
		if it.Indicator.Kind == Quantitative {
			quant += it.Weight
		}
	}
	rep.QuantificationRate = math.Round(quant*100) / 10000
	counts := map[string]int{}
	type acc struct {
		sum float64
		n   int
	}
	byInd := map[string]*acc{}
	sum := 0.0
	for _, p := range ps {
		if p.Result == nil {
			continue
		}
		rep.Finalised++
		counts[p.Result.Grade]++
		sum += p.Result.Score
		for _, is := range p.Result.Items {
			a := byInd[is.IndicatorID]
			if a == nil {
				a = &acc{}
				byInd[is.IndicatorID] = a
			}
			a.sum += is.Score
			a.n++
		}
	}
	if rep.Finalised > 0 {
		rep.AverageScore = round2(sum / float64(rep.Finalised))
	}
	rep.Grades = gradeCounts(grades, counts)
	for _, it := range items {
		ia := IndicatorAverage{IndicatorID: it.Indicator.ID, Code: it.Indicator.Code, Name: it.Indicator.Name, Kind: it.Indicator.Kind}
		if a := byInd[it.Indicator.ID]; a != nil && a.n > 0 {
			ia.Average, ia.Count = round2(a.sum/float64(a.n)), a.n
		}
		rep.Indicators = append(rep.Indicators, ia)
	}
	return rep, nil
}

// Progress is HR's view of a cycle (PermManage): its state, deadlines and
// how many participants are at each status, overall and per department
// (one grouped query).
func (s *Service) Progress(ctx context.Context, cycleID string) (Progress, error) {
	pr, err := s.principal(ctx, PermManage)
	if err == nil {
		err = ballast.CheckID("cycle_id", cycleID)
	}
	if err != nil {
		return Progress{}, fmt.Errorf("assessment: progress: %w", err)
	}
	c, err := s.store.Cycle(ctx, pr.Tenant, cycleID)
	if err != nil {
		return Progress{}, fmt.Errorf("assessment: progress: %w", err)
	}
	counts, err := s.store.CountParticipants(ctx, pr.Tenant, cycleID)
	if err != nil {
		return Progress{}, fmt.Errorf("assessment: progress: %w", err)
	}
	out := Progress{CycleID: cycleID, State: c.State, Deadlines: c.Deadlines,
		Overall: PhaseProgress{ByStatus: emptyStatusCounts()}, Departments: []PhaseProgress{}}
	for _, sc := range counts {
		if n := len(out.Departments); n == 0 || out.Departments[n-1].DepartmentID != sc.DepartmentID {
			out.Departments = append(out.Departments, PhaseProgress{DepartmentID: sc.DepartmentID, ByStatus: emptyStatusCounts()})
		}
		d := &out.Departments[len(out.Departments)-1]
		d.ByStatus[sc.Status] += sc.Count
		d.Total += sc.Count
		out.Overall.ByStatus[sc.Status] += sc.Count
		out.Overall.Total += sc.Count
	}
	return out, nil
}

func emptyStatusCounts() map[ParticipantStatus]int {
	return map[ParticipantStatus]int{StatusSelfPending: 0, StatusSelfSubmitted: 0, StatusManagerSubmitted: 0, StatusFinalised: 0}
}

// Err says why the window is not open: ErrNotFinalised before
// finalisation, ErrCycleClosed once closed, ErrAppealWindowClosed after
// its last day; nil while it is open. An appeal adapter returns it.
func (w AppealWindow) Err() error {
	switch {
	case w.Open:
		return nil
	case w.State == CycleClosed:
		return ErrCycleClosed
	case w.State != CycleFinalised:
		return ErrNotFinalised
	}
	return fmt.Errorf("appeals closed after %s: %w", w.Until, ErrAppealWindowClosed)
}

// AppealWindow says whether a participant's result may be appealed today
// (tenant zone): the cycle is finalised and today is on or before
// Deadlines.AppealUntil. Readable by the employee, their snapshotted
// manager and HR; AppealWindow.Err gives the typed reason when closed.
func (s *Service) AppealWindow(ctx context.Context, participantID string) (AppealWindow, error) {
	pr, p, _, err := s.participantFor(ctx, participantID)
	if err != nil {
		return AppealWindow{}, fmt.Errorf("assessment: appeal window: %w", err)
	}
	c, err := s.store.Cycle(ctx, pr.Tenant, p.CycleID)
	if err != nil {
		return AppealWindow{}, fmt.Errorf("assessment: appeal window: %w", err)
	}
	day, err := s.today(ctx, pr, s.now())
	if err != nil {
		return AppealWindow{}, fmt.Errorf("assessment: appeal window: %w", err)
	}
	return AppealWindow{ParticipantID: p.ID, CycleID: c.ID, EmployeeID: p.EmployeeID, ManagerID: p.ManagerID,
		State: c.State, Until: c.Deadlines.AppealUntil,
		Open: c.State == CycleFinalised && !day.After(c.Deadlines.AppealUntil)}, nil
}

// AdjustResult changes a finalised result for an appeal (PermManage): the
// whole score, or one indicator's score (the result's score moves by the
// weighted difference, so a calibration stays in it). Score is 0–100;
// Reason is required. The original stays in the result's history
// (Adjustments: before and after, reason, appeal), the change is on the
// audit chain, and the period's rating in hr's performance history is
// replaced, all in one transaction. A closed cycle is ErrCycleClosed; a
// result not yet final is ErrNotFinalised; one's own result is
// ErrOwnReview. It does not check the appeal
// window: the appeal was filed within it.
func (s *Service) AdjustResult(ctx context.Context, ap AdjustParams) (Participant, error) {
	var out Participant
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if !ballast.ValidID(ap.ParticipantID) {
			v.Add("participant_id", "must be an id")
		}
		if ap.IndicatorID != "" && !ballast.ValidID(ap.IndicatorID) {
			v.Add("indicator_id", "must be an id")
		}
		if ap.AppealID != "" && !ballast.ValidID(ap.AppealID) {
			v.Add("appeal_id", "must be an id")
		}
		if !finite(ap.Score) || ap.Score < 0 || ap.Score > 100 {
			v.Add("score", "must be between 0 and 100")
		}
		ap.Reason = strings.TrimSpace(ap.Reason)
		text(&v, "reason", ap.Reason, true, maxText)
		if err := v.Err(); err != nil {
			return err
		}
		_, p, _, err := s.participantFor(ctx, ap.ParticipantID)
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
		switch {
		case c.State == CycleClosed:
			return ErrCycleClosed
		case c.State != CycleFinalised || p.Result == nil:
			return ErrNotFinalised
		}
		grades, err := s.gradeScale(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		out = p
		r := *p.Result
		r.Items = append([]ItemScore(nil), r.Items...)
		adj := Adjustment{ID: ballast.NewID(), ParticipantID: p.ID, CycleID: c.ID, IndicatorID: ap.IndicatorID,
			ScoreBefore: r.Score, GradeBefore: r.Grade, Reason: ap.Reason, AppealID: ap.AppealID, By: pr.Subject, At: s.now()}
		score := round2(ap.Score)
		if ap.IndicatorID == "" {
			adj.Before, adj.After = r.Score, score
			r.Score = score
		} else {
			i := -1
			for j, it := range r.Items {
				if it.IndicatorID == ap.IndicatorID {
					i = j
				}
			}
			if i < 0 {
				return ballast.Invalid("indicator_id", "is not an indicator of this result")
			}
			adj.Before, adj.After = r.Items[i].Score, score
			delta := (score - r.Items[i].Score) * r.Items[i].Weight / 100
			r.Score = round2(math.Min(100, math.Max(0, r.Score+delta)))
			r.Computed = round2(math.Min(100, math.Max(0, r.Computed+delta)))
			r.Items[i].Score, r.Items[i].Adjusted = score, true
		}
		rescore(&r, grades)
		adj.ScoreAfter, adj.GradeAfter = r.Score, r.Grade
		out.Result = &r
		if err := s.store.InsertAdjustment(ctx, pr.Tenant, adj); err != nil {
			return err
		}
		reason := ap.Reason
		if ap.AppealID != "" {
			reason = "appeal " + ap.AppealID + ": " + reason
		}
		if err := s.saveParticipant(ctx, pr.Tenant, p, &out, ActionAdjust, reason); err != nil {
			return err
		}
		return s.hr.RecordPerformance(as(ctx, pr), []hr.PerformanceEntry{{EmployeeID: p.EmployeeID,
			PerformanceRecord: hr.PerformanceRecord{Period: c.Period.Label, PeriodEnd: c.Period.End, Score: r.Score,
				Grade: r.Grade, Source: "assessment.appeal", CycleID: c.ID}}})
	})
	if err != nil {
		return Participant{}, fmt.Errorf("assessment: adjust result: %w", err)
	}
	return out, nil
}
