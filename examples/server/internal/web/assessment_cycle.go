package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/multirater"
)

// cycleStates are the states of a cycle in order, for the phase bar.
var cycleStates = []assessment.CycleState{assessment.CycleDraft, assessment.CycleOpen, assessment.CycleManagerReview,
	assessment.CycleCalibration, assessment.CycleFinalised, assessment.CycleClosed}

// cycleKinds are the kinds a new cycle may have.
var cycleKinds = []assessment.CycleKind{assessment.MidYear, assessment.YearEnd, assessment.Quarterly, assessment.Custom}

// participantStatuses are the statuses of a participant in order.
var participantStatuses = []assessment.ParticipantStatus{assessment.StatusSelfPending, assessment.StatusSelfSubmitted,
	assessment.StatusManagerSubmitted, assessment.StatusFinalised}

// nextTransition is the action that moves a cycle in state on ("" when
// closed).
func nextTransition(state assessment.CycleState) string {
	switch state {
	case assessment.CycleDraft:
		return "open"
	case assessment.CycleOpen:
		return "manager_review"
	case assessment.CycleManagerReview:
		return "calibration"
	case assessment.CycleCalibration:
		return "finalise"
	case assessment.CycleFinalised:
		return "close"
	}
	return ""
}

// handleCycles lists the cycles (HR).
func (s *server) handleCycles(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	cycles, err := s.assessment.Cycles(r.Context(), assessment.CycleQuery{Limit: 200})
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	slices.Reverse(cycles) // newest first (IDs are UUIDv7)
	base.Title = s.cat.T(base.Lang, "as.cycles.title")
	base.Section = "assessment"
	base.Data = struct{ Cycles []assessment.Cycle }{cycles}
	s.render(w, r, http.StatusOK, "assessment_cycles", base)
}

// cycleForm is the new-cycle form as typed.
type cycleForm struct {
	Name, Kind, Label, Start, End, TemplateID string
	SelfDue, ManagerDue, CalibrationDue       string
	AppealUntil, Levels, Reminders            string
	Departments, Employees                    []string
}

// handleCycleNew shows the form that creates a cycle in draft.
func (s *server) handleCycleNew(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	today := s.today(base)
	y := today.Year
	f := cycleForm{Kind: string(assessment.YearEnd), Label: strconv.Itoa(y), Start: strconv.Itoa(y) + "-01-01", End: strconv.Itoa(y) + "-12-31"}
	s.renderCycleNew(w, r, http.StatusOK, base, f, nil)
}

func (s *server) renderCycleNew(w http.ResponseWriter, r *http.Request, status int, base *page, f cycleForm, errs map[string]string) {
	ctx := r.Context()
	if !s.allowed(ctx, permAssessManage) {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	var kinds, tpls, depts []option
	for _, k := range cycleKinds {
		kinds = append(kinds, option{Value: string(k), Label: s.cat.T(base.Lang, "as.kind."+string(k)), Selected: string(k) == f.Kind})
	}
	if ts, err := s.assessment.Templates(ctx); err == nil {
		for _, t := range ts {
			label := t.Name + " · v" + strconv.Itoa(t.Version)
			if t.Status == assessment.TemplateDraft {
				label += " (" + s.cat.T(base.Lang, "as.tpl.status.draft") + ")"
			}
			tpls = append(tpls, option{Value: t.ID, Label: label, Selected: t.ID == f.TemplateID})
		}
	}
	if ds, err := s.hr.Departments(ctx); err == nil {
		for _, d := range ds {
			depts = append(depts, option{Value: d.ID, Label: d.Name, Selected: slices.Contains(f.Departments, d.ID)})
		}
	}
	emps := s.ownerOptions(ctx, base.Lang, "", "as.cycle.employees.none")[1:]
	for i := range emps {
		emps[i].Selected = slices.Contains(f.Employees, emps[i].Value)
	}
	base.Title = s.cat.T(base.Lang, "as.cycle.new")
	base.Section = "assessment"
	base.Data = struct {
		Form                         cycleForm
		Kinds, Templates, Depts, Emp []option
		Errors                       map[string]string
	}{f, kinds, tpls, depts, emps, errs}
	s.render(w, r, status, "assessment_cycle_new", base)
}

// handleCycleCreate creates a cycle in draft from the form.
func (s *server) handleCycleCreate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	f := cycleForm{Name: strings.TrimSpace(r.PostFormValue("name")), Kind: r.PostFormValue("kind"), Label: strings.TrimSpace(r.PostFormValue("label")),
		Start: r.PostFormValue("start"), End: r.PostFormValue("end"), TemplateID: r.PostFormValue("template_id"),
		SelfDue: r.PostFormValue("self_due"), ManagerDue: r.PostFormValue("manager_due"), CalibrationDue: r.PostFormValue("calibration_due"),
		AppealUntil: r.PostFormValue("appeal_until"), Levels: r.PostFormValue("levels"), Reminders: r.PostFormValue("reminders"),
		Departments: r.PostForm["department"], Employees: r.PostForm["employee"]}
	var v ballast.ValidationError
	params := assessment.CycleParams{Name: f.Name, Kind: assessment.CycleKind(f.Kind), TemplateID: f.TemplateID,
		Period:    assessment.Period{Label: f.Label, Start: parseDateField(&v, "period.start", f.Start), End: parseDateField(&v, "period.end", f.End)},
		Selection: assessment.Selection{DepartmentIDs: f.Departments, EmployeeIDs: f.Employees},
		Deadlines: assessment.Deadlines{SelfEvaluation: parseDateField(&v, "deadlines.self_evaluation", f.SelfDue),
			ManagerReview: parseDateField(&v, "deadlines.manager_review", f.ManagerDue),
			Calibration:   parseDateField(&v, "deadlines.calibration", f.CalibrationDue),
			AppealUntil:   parseDateField(&v, "deadlines.appeal_until", f.AppealUntil)}}
	for i, x := range splitList(f.Levels) {
		n, err := strconv.Atoi(x)
		if err != nil {
			v.Add("selection.position_levels["+strconv.Itoa(i)+"]", "is not a whole number")
			continue
		}
		params.Selection.PositionLevels = append(params.Selection.PositionLevels, n)
	}
	for i, x := range splitList(f.Reminders) {
		n, err := strconv.Atoi(x)
		if err != nil {
			v.Add("reminder_days["+strconv.Itoa(i)+"]", "is not a whole number")
			continue
		}
		params.ReminderDays = append(params.ReminderDays, n)
	}
	err := v.Err()
	var c assessment.Cycle
	if err == nil {
		c, err = s.assessment.CreateCycle(r.Context(), params)
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/cycles/"+url.PathEscape(c.ID)+"?saved=created", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderCycleNew(w, r, status, base, f, errs)
		return
	}
	s.fail(w, r, base, err)
}

// progressRow is one department's progress on the cycle page.
type progressRow struct {
	assessment.PhaseProgress
	Name   string
	Counts []int
}

// participantRow is one participant on the cycle page.
type participantRow struct {
	assessment.Participant
	DepartmentName, ManagerName string
}

// cycleData is everything the cycle page shows.
type cycleData struct {
	Cycle        assessment.Cycle
	Phases       []phaseStep
	Next         string
	Statuses     []assessment.ParticipantStatus
	Overall      progressRow
	Departments  []progressRow
	Participants []participantRow
	Rounds       []multirater.Round
	New360       bool
	Manage       bool
	Actuals      bool
	Report       *assessment.FinaliseReport
}

// phaseStep is one state of the phase bar.
type phaseStep struct {
	State         assessment.CycleState
	Done, Current bool
}

// handleCycle shows a cycle: its phase, progress per department, the next
// transition and the participants (HR).
func (s *server) handleCycle(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderCycle(w, r, http.StatusOK, base, nil)
}

func (s *server) renderCycle(w http.ResponseWriter, r *http.Request, status int, base *page, rep *assessment.FinaliseReport) {
	ctx := r.Context()
	id := r.PathValue("id")
	c, err := s.assessment.Cycle(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	d := cycleData{Cycle: c, Next: nextTransition(c.State), Statuses: participantStatuses, Manage: s.allowed(ctx, permAssessManage), Report: rep}
	if !d.Manage {
		d.Next = ""
	}
	cur := slices.Index(cycleStates, c.State)
	for i, st := range cycleStates {
		d.Phases = append(d.Phases, phaseStep{State: st, Done: i < cur, Current: i == cur})
	}
	d.Actuals = (d.Manage || s.allowed(ctx, permAssessScore)) && (c.State == assessment.CycleOpen || c.State == assessment.CycleManagerReview)
	depts := s.departmentNames(ctx)
	if c.State != assessment.CycleDraft {
		prog, err := s.assessment.Progress(ctx, id)
		if err != nil && !d.Manage {
			prog = assessment.Progress{}
		} else if err != nil {
			s.fail(w, r, base, err)
			return
		}
		row := func(pp assessment.PhaseProgress) progressRow {
			out := progressRow{PhaseProgress: pp, Name: depts[pp.DepartmentID]}
			for _, st := range participantStatuses {
				out.Counts = append(out.Counts, pp.ByStatus[st])
			}
			return out
		}
		d.Overall = row(prog.Overall)
		for _, pp := range prog.Departments {
			d.Departments = append(d.Departments, row(pp))
		}
		ps, err := s.assessment.Participants(ctx, assessment.ParticipantQuery{CycleID: id, Limit: 500})
		if err == nil {
			names := map[string]string{}
			for _, pt := range ps {
				d.Participants = append(d.Participants, participantRow{Participant: pt, DepartmentName: depts[pt.DepartmentID], ManagerName: s.name(ctx, names, pt.ManagerID)})
			}
		}
	}
	if s.multirater != nil {
		if rs, err := s.multirater.Rounds(ctx, id); err == nil {
			d.Rounds = rs
		}
		d.New360 = d.Manage && c.State != assessment.CycleDraft && c.State != assessment.CycleFinalised && c.State != assessment.CycleClosed
	}
	base.Title = c.Name
	base.Section = "assessment"
	base.Data = d
	s.render(w, r, status, "assessment_cycle", base)
}

// handleCycleTransition moves a cycle to its next state (HR).
func (s *server) handleCycleTransition(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var err error
	var rep *assessment.FinaliseReport
	switch r.PostFormValue("action") {
	case "open":
		_, err = s.assessment.OpenCycle(ctx, id, version)
	case "manager_review":
		_, err = s.assessment.StartManagerReview(ctx, id, version)
	case "calibration":
		_, err = s.assessment.StartCalibration(ctx, id, version)
	case "finalise":
		var fr assessment.FinaliseReport
		// Unsubmitted manager reviews are refused (409, naming them) unless
		// the form says allow_incomplete with a reason.
		fr, err = s.assessment.FinaliseWith(ctx, id, version, assessment.FinaliseOptions{
			AllowIncomplete: r.PostFormValue("allow_incomplete") != "", Reason: r.PostFormValue("reason")})
		rep = &fr
	case "close":
		_, err = s.assessment.CloseCycle(ctx, id, version)
	default:
		err = ballast.Invalid("action", "is not a transition")
	}
	if err == nil {
		if rep != nil {
			base.Flash = s.cat.T(base.Lang, "as.finalised", rep.Participants)
			s.renderCycle(w, r, http.StatusOK, base, rep)
			return
		}
		http.Redirect(w, r, "/assessment/cycles/"+url.PathEscape(id)+"?saved="+url.QueryEscape(r.PostFormValue("action")), http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		if len(errs) > 0 {
			base.Error += " " + joinFieldErrors(errs)
		}
		s.renderCycle(w, r, status, base, nil)
		return
	}
	s.fail(w, r, base, err)
}

// joinFieldErrors lists field errors in one line, for forms that show
// them above rather than beside their inputs.
func joinFieldErrors(errs map[string]string) string {
	var out []string
	for k, v := range errs {
		out = append(out, k+": "+v)
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

// handleDeadlines moves a cycle's phase deadlines (HR); the reminders
// follow.
func (s *server) handleDeadlines(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var v ballast.ValidationError
	d := assessment.Deadlines{SelfEvaluation: parseDateField(&v, "deadlines.self_evaluation", r.PostFormValue("self_due")),
		ManagerReview: parseDateField(&v, "deadlines.manager_review", r.PostFormValue("manager_due")),
		Calibration:   parseDateField(&v, "deadlines.calibration", r.PostFormValue("calibration_due")),
		AppealUntil:   parseDateField(&v, "deadlines.appeal_until", r.PostFormValue("appeal_until"))}
	err := v.Err()
	if err == nil {
		_, err = s.assessment.UpdateDeadlines(r.Context(), id, d, version)
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/cycles/"+url.PathEscape(id)+"?saved=deadlines", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		if len(errs) > 0 {
			base.Error += " " + joinFieldErrors(errs)
		}
		s.renderCycle(w, r, status, base, nil)
		return
	}
	s.fail(w, r, base, err)
}
