package assessment

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// scorer checks that the principal may score p's review as its manager:
// never their own review (ErrOwnReview), the snapshotted manager with
// PermScoreDepartment, or HR (PermManage) for a participant without one.
func scorer(pr ballast.Principal, p Participant, a access) error {
	if pr.Subject == p.EmployeeID {
		return ErrOwnReview
	}
	if a.manager || (a.hr && p.ManagerID == "") {
		return nil
	}
	return forbidden("only the manager of %s scores this review", p.EmployeeName)
}

// SaveManagerReview saves the manager's draft scores, comments and actuals
// for the listed indicators while the cycle is in manager review. Scores
// are ratings on the indicator's scale (0–100 for quantitative and 360
// indicators); a nil Actual keeps an actual entered or imported before.
// The caller must be the participant's snapshotted manager with
// PermScoreDepartment (or HR when the participant has none); scoring one's
// own review is ErrOwnReview.
func (s *Service) SaveManagerReview(ctx context.Context, participantID string, in []EntryInput) (Review, error) {
	var out Review
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, p, a, err := s.participantFor(ctx, participantID)
		if err != nil {
			return err
		}
		if err := scorer(pr, p, a); err != nil {
			return err
		}
		c, err := s.managerPhase(ctx, pr.Tenant, p)
		if err != nil {
			return err
		}
		es, err := checkEntries(c.Plan.Items(p.DepartmentID), p, SideManager, in, pr.Subject, s.now())
		if err != nil {
			return err
		}
		have, err := s.store.Entries(ctx, pr.Tenant, p.ID, SideManager)
		if err != nil {
			return err
		}
		actual := map[string]*float64{}
		for _, e := range have {
			actual[e.IndicatorID] = e.Actual
		}
		for i := range es {
			if es[i].Actual == nil {
				es[i].Actual = actual[es[i].IndicatorID]
			}
		}
		if err := s.store.PutEntries(ctx, pr.Tenant, es); err != nil {
			return err
		}
		out, err = s.review(ctx, pr.Tenant, p, a)
		return err
	})
	if err != nil {
		return Review{}, fmt.Errorf("assessment: save manager review: %w", err)
	}
	return out, nil
}

// managerPhase reads p's cycle and checks the manager may still score.
func (s *Service) managerPhase(ctx context.Context, tenant string, p Participant) (Cycle, error) {
	c, err := s.store.Cycle(ctx, tenant, p.CycleID)
	if err != nil {
		return c, err
	}
	if c.State != CycleManagerReview {
		return c, wrongState("cycle %s is %s, not manager_review", c.ID, c.State)
	}
	if p.Status == StatusManagerSubmitted || p.Status == StatusFinalised {
		return c, fmt.Errorf("manager review of %s: %w", p.ID, ErrAlreadySubmitted)
	}
	return c, nil
}

// SubmitManagerReview submits the manager's review (same caller rules as
// SaveManagerReview). Every indicator needs a score, or an actual for a
// quantitative one, or (with Config.Raters) nothing for a 360 one; a
// *ballast.ValidationError names the missing ones.
func (s *Service) SubmitManagerReview(ctx context.Context, participantID string) (Participant, error) {
	var out Participant
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, p, a, err := s.participantFor(ctx, participantID)
		if err != nil {
			return err
		}
		if err := scorer(pr, p, a); err != nil {
			return err
		}
		c, err := s.managerPhase(ctx, pr.Tenant, p)
		if err != nil {
			return err
		}
		es, err := s.store.Entries(ctx, pr.Tenant, p.ID, SideManager)
		if err != nil {
			return err
		}
		byID := map[string]Entry{}
		for _, e := range es {
			byID[e.IndicatorID] = e
		}
		var v ballast.ValidationError
		for _, it := range c.Plan.Items(p.DepartmentID) {
			e, ok := byID[it.Indicator.ID]
			switch {
			case ok && e.Score != nil:
			case ok && e.Actual != nil && it.Indicator.Kind == Quantitative:
			case it.Indicator.Dimension != "" && s.raters != nil:
			default:
				v.Add("entries."+it.Indicator.Code, "has no score")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		out = p
		out.Status, out.ManagerSubmittedAt = StatusManagerSubmitted, s.now()
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		// Nothing left to remind the manager about; a self-evaluation HR
		// reopened is still reminded to the employee.
		out.NextAlertOn = participantAlert(c, out, day, false)
		return s.saveParticipant(ctx, pr.Tenant, p, &out, ActionManagerSubmit, "")
	})
	if err != nil {
		return Participant{}, fmt.Errorf("assessment: submit manager review: %w", err)
	}
	return out, nil
}

// RecordActuals enters quantitative actuals for participants of a cycle
// that is open, in manager review or in calibration: HR (PermManage) for
// anyone, a manager (PermScoreDepartment) for the participants they
// manage, never for their own review (ErrOwnReview). All or nothing: a
// *ballast.ValidationError names every bad row ("actuals[i].field"), a
// participant and indicator listed twice included.
func (s *Service) RecordActuals(ctx context.Context, cycleID string, actuals []Actual) (ImportReport, error) {
	var rep ImportReport
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, c, hrAll, err := s.actualsScope(ctx, cycleID)
		if err != nil {
			return err
		}
		q := ParticipantQuery{CycleID: cycleID}
		if !hrAll {
			q.ManagerID = pr.Subject
		}
		ps, err := s.store.ListParticipants(ctx, pr.Tenant, q)
		if err != nil {
			return err
		}
		byID := make(map[string]Participant, len(ps))
		for _, p := range ps {
			byID[p.ID] = p
		}
		var v ballast.ValidationError
		seen := make(map[[2]string]int, len(actuals))
		for i, a := range actuals {
			if first, dup := seen[[2]string{a.ParticipantID, a.IndicatorID}]; dup {
				v.Add(fmt.Sprintf("actuals[%d]", i), fmt.Sprintf("repeats actuals[%d] (same participant and indicator)", first))
				continue
			}
			seen[[2]string{a.ParticipantID, a.IndicatorID}] = i
			p, ok := byID[a.ParticipantID]
			if !ok {
				v.Add(fmt.Sprintf("actuals[%d].participant_id", i), "is not a participant you may score in this cycle")
				continue
			}
			s.checkActual(&v, fmt.Sprintf("actuals[%d]", i), pr, c, p, a.IndicatorID, a.Value)
		}
		if err := v.Err(); err != nil {
			return err
		}
		return s.writeActuals(ctx, pr, c, actuals, byID, &rep)
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("assessment: record actuals: %w", err)
	}
	return rep, nil
}

// actualsScope checks the caller and the cycle for actuals.
func (s *Service) actualsScope(ctx context.Context, cycleID string) (ballast.Principal, Cycle, bool, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return pr, Cycle{}, false, err
	}
	if err := ballast.CheckID("cycle_id", cycleID); err != nil {
		return pr, Cycle{}, false, err
	}
	hrAll, err := s.allowed(ctx, pr, PermManage)
	if err != nil {
		return pr, Cycle{}, false, err
	}
	if !hrAll {
		if err := s.auth.Authorize(ctx, PermScoreDepartment); err != nil {
			return pr, Cycle{}, false, err
		}
	}
	c, err := s.store.Cycle(ctx, pr.Tenant, cycleID)
	if err != nil {
		return pr, c, false, err
	}
	switch c.State {
	case CycleOpen, CycleManagerReview, CycleCalibration:
	default:
		return pr, c, false, wrongState("cycle %s is %s; actuals are entered from open to calibration", cycleID, c.State)
	}
	return pr, c, hrAll, nil
}

// checkActual validates one actual of participant p.
func (s *Service) checkActual(v *ballast.ValidationError, f string, pr ballast.Principal, c Cycle, p Participant, indicatorID string, value float64) {
	if p.EmployeeID == pr.Subject {
		v.Add(f+".participant_id", "is your own review")
	}
	found := false
	for _, it := range c.Plan.Items(p.DepartmentID) {
		if it.Indicator.ID == indicatorID {
			found = true
			if it.Indicator.Kind != Quantitative {
				v.Add(f+".indicator_id", fmt.Sprintf("%q is not quantitative", it.Indicator.Code))
			}
		}
	}
	if !found {
		v.Add(f+".indicator_id", "is not an indicator of this review")
	}
	if !finite(value) {
		v.Add(f+".value", "must be a number")
	}
}

// writeActuals stores validated actuals with one audit entry.
func (s *Service) writeActuals(ctx context.Context, pr ballast.Principal, c Cycle, actuals []Actual, byID map[string]Participant, rep *ImportReport) error {
	now := s.now()
	es := make([]Entry, len(actuals))
	changes := make([]audit.Change, len(actuals))
	for i, a := range actuals {
		val := a.Value
		es[i] = Entry{ParticipantID: a.ParticipantID, CycleID: c.ID, IndicatorID: a.IndicatorID, Side: SideManager,
			Actual: &val, UpdatedBy: pr.Subject, UpdatedAt: now}
		changes[i] = audit.Change{Path: byID[a.ParticipantID].EmployeeNumber + "/" + c.Plan.Indicators[a.IndicatorID].Code,
			After: strconv.FormatFloat(val, 'f', -1, 64)}
	}
	if err := s.store.SetActuals(ctx, pr.Tenant, es); err != nil {
		return err
	}
	rep.Rows = len(actuals)
	_, err := s.audit.Append(ctx, audit.Record{Action: ActionActuals, TargetType: TargetCycle, TargetID: c.ID,
		Reason: fmt.Sprintf("%d actuals", len(actuals)), Changes: changes})
	return err
}

// csvColumn names the CSV column of a field checkActual reports.
var csvColumn = map[string]string{"x.participant_id": "employee_number", "x.indicator_id": "indicator_code", "x.value": "actual"}

// ImportActualsCSV imports quantitative actuals from CSV with the header
// employee_number,indicator_code,actual (UTF-8, an optional BOM; columns
// in any order) under the rules of RecordActuals. All or nothing: a
// *ballast.ValidationError names every bad row ("line N: column").
func (s *Service) ImportActualsCSV(ctx context.Context, cycleID string, r io.Reader) (ImportReport, error) {
	var rep ImportReport
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, c, hrAll, err := s.actualsScope(ctx, cycleID)
		if err != nil {
			return err
		}
		rd := csv.NewReader(r)
		rd.FieldsPerRecord = -1
		header, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return ballast.Invalid("line 1", "the file is empty; the header is employee_number,indicator_code,actual")
		}
		if err != nil {
			return ballast.Invalid("line 1", err.Error())
		}
		col := map[string]int{}
		for i, h := range header {
			col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
		}
		var v ballast.ValidationError
		for _, h := range []string{"employee_number", "indicator_code", "actual"} {
			if _, ok := col[h]; !ok {
				v.Add("line 1", "misses column "+h)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		q := ParticipantQuery{CycleID: cycleID}
		if !hrAll {
			q.ManagerID = pr.Subject
		}
		ps, err := s.store.ListParticipants(ctx, pr.Tenant, q)
		if err != nil {
			return err
		}
		byNumber := make(map[string]Participant, len(ps))
		byID := make(map[string]Participant, len(ps))
		for _, p := range ps {
			byNumber[p.EmployeeNumber], byID[p.ID] = p, p
		}
		byCode := map[string]string{}
		for id, ind := range c.Plan.Indicators {
			byCode[ind.Code] = id
		}
		var actuals []Actual
		seen := map[[2]string]int{}
		for line := 2; ; line++ {
			rec, err := rd.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			f := fmt.Sprintf("line %d", line)
			if err != nil {
				v.Add(f, err.Error())
				continue
			}
			get := func(name string) string {
				if i := col[name]; i < len(rec) {
					return strings.TrimSpace(rec[i])
				}
				return ""
			}
			num, code, raw := get("employee_number"), get("indicator_code"), get("actual")
			if num == "" && code == "" && raw == "" {
				continue
			}
			p, okP := byNumber[num]
			if !okP {
				v.Add(f+": employee_number", fmt.Sprintf("%q is not a participant you may score in this cycle", num))
			}
			indID, okI := byCode[code]
			if !okI {
				v.Add(f+": indicator_code", fmt.Sprintf("%q is not an indicator of this cycle", code))
			}
			val, err := strconv.ParseFloat(raw, 64)
			if err != nil || !finite(val) {
				v.Add(f+": actual", fmt.Sprintf("%q is not a number", raw))
			}
			if !okP || !okI || err != nil {
				continue
			}
			if first, dup := seen[[2]string{num, code}]; dup {
				v.Add(f, fmt.Sprintf("repeats line %d", first))
				continue
			}
			seen[[2]string{num, code}] = line
			var one ballast.ValidationError
			s.checkActual(&one, "x", pr, c, p, indID, val)
			for _, fe := range one.Fields {
				v.Add(f+": "+csvColumn[fe.Field], fe.Message)
			}
			actuals = append(actuals, Actual{ParticipantID: p.ID, IndicatorID: indID, Value: val})
		}
		if err := v.Err(); err != nil {
			return err
		}
		if len(actuals) == 0 {
			return ballast.Invalid("line 2", "the file holds no actuals")
		}
		return s.writeActuals(ctx, pr, c, actuals, byID, &rep)
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("assessment: import actuals: %w", err)
	}
	return rep, nil
}
