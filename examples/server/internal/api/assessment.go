package api

import (
	"context"
	"io"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/hr"
)

// Assessment is what the API calls on performance reviews;
// *assessment.Service implements it.
type Assessment interface {
	CreateIndicator(ctx context.Context, p assessment.IndicatorParams) (assessment.Indicator, error)
	UpdateIndicator(ctx context.Context, id string, p assessment.IndicatorParams, version int64) (assessment.Indicator, error)
	ArchiveIndicator(ctx context.Context, id string, archived bool, version int64) (assessment.Indicator, error)
	Indicator(ctx context.Context, id string) (assessment.Indicator, error)
	Indicators(ctx context.Context, q assessment.IndicatorQuery) ([]assessment.Indicator, error)

	CreateTemplate(ctx context.Context, p assessment.TemplateParams) (assessment.Template, error)
	UpdateTemplate(ctx context.Context, id string, p assessment.TemplateParams) (assessment.Template, error)
	PublishTemplate(ctx context.Context, id string, version int) (assessment.Template, error)
	Template(ctx context.Context, id string, version int) (assessment.Template, error)
	Templates(ctx context.Context) ([]assessment.Template, error)

	GradeScale(ctx context.Context) (assessment.GradeScale, error)
	SetGradeScale(ctx context.Context, grades []assessment.Grade, version int64) (assessment.GradeScale, error)

	CreateCycle(ctx context.Context, p assessment.CycleParams) (assessment.Cycle, error)
	UpdateCycle(ctx context.Context, id string, p assessment.CycleParams, version int64) (assessment.Cycle, error)
	UpdateDeadlines(ctx context.Context, id string, d assessment.Deadlines, version int64) (assessment.Cycle, error)
	Cycle(ctx context.Context, id string) (assessment.Cycle, error)
	Cycles(ctx context.Context, q assessment.CycleQuery) ([]assessment.Cycle, error)
	OpenCycle(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	StartManagerReview(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	StartCalibration(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	FinaliseWith(ctx context.Context, cycleID string, version int64, o assessment.FinaliseOptions) (assessment.FinaliseReport, error)
	CloseCycle(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	Progress(ctx context.Context, cycleID string) (assessment.Progress, error)
	Distribution(ctx context.Context, cycleID string) (assessment.Distribution, error)
	DepartmentReport(ctx context.Context, cycleID, departmentID string) (assessment.DepartmentReport, error)
	RecordActuals(ctx context.Context, cycleID string, actuals []assessment.Actual) (assessment.ImportReport, error)
	ImportActualsCSV(ctx context.Context, cycleID string, r io.Reader) (assessment.ImportReport, error)

	MyTasks(ctx context.Context) ([]assessment.Task, error)
	Participants(ctx context.Context, q assessment.ParticipantQuery) ([]assessment.Participant, error)
	Review(ctx context.Context, participantID string) (assessment.Review, error)
	SaveSelfEvaluation(ctx context.Context, participantID string, in []assessment.EntryInput) (assessment.Review, error)
	SubmitSelfEvaluation(ctx context.Context, participantID string) (assessment.Participant, error)
	ReopenSelfEvaluation(ctx context.Context, participantID string, due hr.Date, reason string) (assessment.Participant, error)
	ReassignManager(ctx context.Context, participantID, managerID, reason string) (assessment.Participant, error)
	SaveManagerReview(ctx context.Context, participantID string, in []assessment.EntryInput) (assessment.Review, error)
	SubmitManagerReview(ctx context.Context, participantID string) (assessment.Participant, error)
	Calibrate(ctx context.Context, participantID string, score float64, reason string) (assessment.Participant, error)
	Result(ctx context.Context, participantID string) (assessment.EmployeeResult, error)
	Adjustments(ctx context.Context, participantID string) ([]assessment.Adjustment, error)
	AppealWindow(ctx context.Context, participantID string) (assessment.AppealWindow, error)
}

// The request bodies of the assessment routes.
type (
	// indicatorUpdate replaces an indicator's definition; send the version
	// read.
	indicatorUpdate struct {
		assessment.IndicatorParams
		Version int64 `json:"version,omitempty"`
	}
	// archiveRequest archives an indicator (or, with false, restores it).
	archiveRequest struct {
		Archived bool  `json:"archived"`
		Version  int64 `json:"version,omitempty"`
	}
	// publishRequest publishes one draft version of a template.
	publishRequest struct {
		Version int `json:"version"`
	}
	// gradeScaleUpdate replaces the tenant's grade scale; send the version
	// read (0 for the default scale).
	gradeScaleUpdate struct {
		Grades  []assessment.Grade `json:"grades"`
		Version int64              `json:"version,omitempty"`
	}
	// cycleUpdate replaces a draft cycle's definition.
	cycleUpdate struct {
		assessment.CycleParams
		Version int64 `json:"version,omitempty"`
	}
	// deadlinesUpdate moves a cycle's phase deadlines.
	deadlinesUpdate struct {
		assessment.Deadlines
		Version int64 `json:"version,omitempty"`
	}
	// actualsRequest records quantitative actuals of a cycle, all or
	// nothing.
	actualsRequest struct {
		Actuals []assessment.Actual `json:"actuals"`
	}
	// entriesRequest saves one side's scores, comments, actuals and
	// evidence of a review (a draft until submitted).
	entriesRequest struct {
		Entries []assessment.EntryInput `json:"entries"`
	}
	// reopenRequest reopens a participant's self-evaluation until a new
	// deadline.
	reopenRequest struct {
		Due    hr.Date `json:"due"`
		Reason string  `json:"reason"`
	}
	// reassignRequest hands a review to another manager (empty: HR
	// scores it), with the reason.
	reassignRequest struct {
		ManagerID string `json:"manager_id"`
		Reason    string `json:"reason"`
	}
	// calibrateRequest sets a participant's calibrated score with the
	// reason (on the audit chain).
	calibrateRequest struct {
		Score  float64 `json:"score"`
		Reason string  `json:"reason"`
	}
)

var participantQ = []param{
	{"department_id", "string", "only participants of this department"},
	{"employee_id", "string", "only this employee"},
	{"manager_id", "string", "only the reviews this manager scores"},
	{"status", "string", "self_pending, self_submitted, manager_submitted or finalised"},
	{"after", "string", "the last participant ID of the previous page"},
	{"limit", "integer", "page size (0: all)"},
}

// assessmentRoutes are the review operations: the indicator library,
// templates, the grade scale, cycles and their phases, the reviews of
// participants, calibration, finalisation and reports.
func (s *server) assessmentRoutes() []route {
	const tag = "assessment"
	ind := "/api/assessment/indicators/{id}"
	tpl := "/api/assessment/templates/{id}"
	c := "/api/assessment/cycles/{id}"
	p := "/api/assessment/participants/{id}"
	return []route{
		{method: "GET", path: "/api/assessment/indicators", tag: tag, summary: "The indicator library by code (assessment:manage, or anyone who scores)",
			query: []param{{"include_archived", "boolean", "list archived indicators too"}, {"kind", "string", "quantitative or qualitative"}},
			out:   []assessment.Indicator{}, errors: errsRead, handle: s.indicators},
		{method: "POST", path: "/api/assessment/indicators", tag: tag, summary: "Add an indicator to the library: quantitative (unit, target, mapping) or qualitative (rating scale or 360 dimension) (assessment:manage)",
			in: assessment.IndicatorParams{}, out: assessment.Indicator{}, status: http.StatusCreated, errors: errsWrite, handle: s.createIndicator},
		{method: "GET", path: ind, tag: tag, summary: "One indicator",
			out: assessment.Indicator{}, errors: errsRead, handle: s.indicator},
		{method: "PUT", path: ind, tag: tag, summary: "Change an indicator; running cycles keep their copy (assessment:manage)",
			ifMatch: true, in: indicatorUpdate{}, out: assessment.Indicator{}, errors: errsWrite, handle: s.updateIndicator},
		{method: "POST", path: ind + "/archive", tag: tag, summary: "Archive an indicator (or restore it with archived false); indicators are never deleted (assessment:manage)",
			ifMatch: true, in: archiveRequest{}, out: assessment.Indicator{}, errors: errsWrite, handle: s.archiveIndicator},

		{method: "GET", path: "/api/assessment/templates", tag: tag, summary: "The latest version of every template (assessment:manage)",
			out: []assessment.Template{}, errors: errsRead, handle: s.templates},
		{method: "POST", path: "/api/assessment/templates", tag: tag, summary: "Create a template as draft version 1: weighted categories of indicators and department overrides, weights summing to 100 at every level (assessment:manage)",
			in: assessment.TemplateParams{}, out: assessment.Template{}, status: http.StatusCreated, errors: errsWrite, handle: s.createTemplate},
		{method: "GET", path: tpl, tag: tag, summary: "One version of a template (the latest by default)",
			query: []param{{"version", "integer", "the version (default: the latest)"}}, out: assessment.Template{}, errors: errsRead, handle: s.template},
		{method: "PUT", path: tpl, tag: tag, summary: "Edit a template: the latest draft, or a new draft version after a published one (assessment:manage)",
			in: assessment.TemplateParams{}, out: assessment.Template{}, errors: errsWrite, handle: s.updateTemplate},
		{method: "POST", path: tpl + "/publish", tag: tag, summary: "Publish a draft version: it is frozen and cycles may open on it (assessment:manage)",
			in: publishRequest{}, out: assessment.Template{}, errors: errsWrite, handle: s.publishTemplate},

		{method: "GET", path: "/api/assessment/grade-scale", tag: tag, summary: "The tenant's grade scale (the default until set; version 0)",
			out: assessment.GradeScale{}, errors: errsRead, handle: s.gradeScale},
		{method: "PUT", path: "/api/assessment/grade-scale", tag: tag, summary: "Replace the grade scale, e.g. A ≥ 90, B+ ≥ 80 (assessment:manage); send the version read",
			ifMatch: true, in: gradeScaleUpdate{}, out: assessment.GradeScale{}, errors: errsWrite, handle: s.setGradeScale},

		{method: "GET", path: "/api/assessment/cycles", tag: tag, summary: "Review cycles by ID (assessment:manage)",
			query: []param{{"state", "string", "draft, open, manager_review, calibration, finalised or closed"},
				{"after", "string", "the last cycle ID of the previous page"}, {"limit", "integer", "page size (0: all)"}},
			out: []assessment.Cycle{}, errors: errsRead, handle: s.cycles},
		{method: "POST", path: "/api/assessment/cycles", tag: tag, summary: "Create a draft cycle: kind, period, participants' selection, template and phase deadlines (assessment:manage)",
			in: assessment.CycleParams{}, out: assessment.Cycle{}, status: http.StatusCreated, errors: errsWrite, handle: s.createCycle},
		{method: "GET", path: c, tag: tag, summary: "One cycle with the plan it runs on",
			out: assessment.Cycle{}, errors: errsRead, handle: s.cycle},
		{method: "PUT", path: c, tag: tag, summary: "Change a draft cycle (assessment:manage)",
			ifMatch: true, in: cycleUpdate{}, out: assessment.Cycle{}, errors: errsWrite, handle: s.updateCycle},
		{method: "PUT", path: c + "/deadlines", tag: tag, summary: "Move the phase deadlines; reminders follow (assessment:manage)",
			ifMatch: true, in: deadlinesUpdate{}, out: assessment.Cycle{}, errors: errsWrite, handle: s.updateDeadlines},
		{method: "POST", path: c + "/open", tag: tag, summary: "Open a draft cycle for self-evaluation: participants materialised, managers snapshotted, tasks sent (assessment:manage)",
			ifMatch: true, in: versionRequest{}, out: assessment.Cycle{}, errors: errsWrite, handle: s.cycleTransition(s.assessmentOpen)},
		{method: "POST", path: c + "/manager-review", tag: tag, summary: "Move an open cycle to manager review (assessment:manage)",
			ifMatch: true, in: versionRequest{}, out: assessment.Cycle{}, errors: errsWrite, handle: s.cycleTransition(s.assessmentManagerReview)},
		{method: "POST", path: c + "/calibration", tag: tag, summary: "Move a cycle in manager review to calibration (assessment:manage)",
			ifMatch: true, in: versionRequest{}, out: assessment.Cycle{}, errors: errsWrite, handle: s.cycleTransition(s.assessmentCalibration)},
		{method: "POST", path: c + "/finalise", tag: tag, summary: "Finalise a cycle in calibration: every result computed and graded, ratings written into performance history; the appeal window opens (assessment:manage). Unsubmitted manager reviews are a 409 unless allow_incomplete comes with a reason",
			ifMatch: true, in: finaliseRequest{}, out: assessment.FinaliseReport{}, errors: errsWrite, handle: s.finaliseCycle},
		{method: "POST", path: c + "/close", tag: tag, summary: "Close a finalised cycle: no more appeals or adjustments (assessment:manage)",
			ifMatch: true, in: versionRequest{}, out: assessment.Cycle{}, errors: errsWrite, handle: s.cycleTransition(s.assessmentClose)},
		{method: "GET", path: c + "/progress", tag: tag, summary: "HR's view of a cycle: participants by status, overall and per department (assessment:manage)",
			out: assessment.Progress{}, errors: errsRead, handle: s.cycleProgress},
		{method: "GET", path: c + "/participants", tag: tag, summary: "A cycle's participants with their status (assessment:manage; a manager sees the reviews they score)",
			query: participantQ, out: []assessment.Participant{}, errors: errsRead, handle: s.participants},
		{method: "GET", path: c + "/distribution", tag: tag, summary: "The grade distribution per department, provisional until finalised (assessment:manage)",
			out: assessment.Distribution{}, errors: errsRead, handle: s.distribution},
		{method: "POST", path: c + "/actuals", tag: tag, summary: "Enter quantitative actuals, all or nothing (assessment:manage, or the manager of the participants)",
			in: actualsRequest{}, out: assessment.ImportReport{}, errors: errsWrite, handle: s.recordActuals},
		{method: "POST", path: c + "/actuals/import", tag: tag, summary: "Import actuals from CSV (employee number, indicator code, actual); a 400 lists every bad row",
			inCSV: true, out: assessment.ImportReport{}, errors: errsWrite, handle: s.importActuals},
		{method: "GET", path: c + "/departments/{department}/report", tag: tag, summary: "A department's report: grade distribution, averages by indicator, quantification rate (assessment:manage, or its head)",
			out: assessment.DepartmentReport{}, errors: errsRead, handle: s.departmentReport},

		{method: "GET", path: "/api/me/assessment-tasks", tag: tag, summary: "The signed-in user's review tasks: self-evaluations to write and reviews to score",
			out: []assessment.Task{}, errors: errsRead, handle: s.myAssessmentTasks},
		{method: "GET", path: p, tag: tag, summary: "A review as the caller may see it: the self-evaluation is hidden from the manager until submitted, the manager's review from the employee until finalised",
			out: assessment.Review{}, errors: errsRead, handle: s.review},
		{method: "PUT", path: p + "/self", tag: tag, summary: "Save the self-evaluation as a draft: score, comment and evidence per indicator (the participant)",
			in: entriesRequest{}, out: assessment.Review{}, errors: errsWrite, handle: s.saveSelf},
		{method: "POST", path: p + "/self/submit", tag: tag, summary: "Submit the self-evaluation before its deadline (the participant)",
			out: assessment.Participant{}, errors: errsWrite, handle: s.submitSelf},
		{method: "POST", path: p + "/self/reopen", tag: tag, summary: "Reopen a participant's self-evaluation until a new deadline, with a reason (assessment:manage)",
			in: reopenRequest{}, out: assessment.Participant{}, errors: errsWrite, handle: s.reopenSelf},
		{method: "POST", path: p + "/manager", tag: tag, summary: "Hand a review to another manager (empty manager_id: HR scores it), with a reason, for a manager who left mid-cycle (assessment:manage)",
			in: reassignRequest{}, out: assessment.Participant{}, errors: errsWrite, handle: s.reassignManager},
		{method: "PUT", path: p + "/manager", tag: tag, summary: "Save the manager's scores, comments and actuals (the participant's manager; never one's own review)",
			in: entriesRequest{}, out: assessment.Review{}, errors: errsWrite, handle: s.saveManager},
		{method: "POST", path: p + "/manager/submit", tag: tag, summary: "Submit the manager's review (the participant's manager)",
			out: assessment.Participant{}, errors: errsWrite, handle: s.submitManager},
		{method: "POST", path: p + "/calibrate", tag: tag, summary: "Calibrate a participant's score with a reason, on the audit chain (assessment:manage)",
			in: calibrateRequest{}, out: assessment.Participant{}, errors: errsWrite, handle: s.calibrate},
		{method: "GET", path: p + "/result", tag: tag, summary: "The employee report: the finalised result with scores per indicator, the manager's comments, strengths, gaps and adjustments",
			out: assessment.EmployeeResult{}, errors: errsRead, handle: s.result},
		{method: "GET", path: p + "/adjustments", tag: tag, summary: "The adjustments appeals made to a result, oldest first",
			out: []assessment.Adjustment{}, errors: errsRead, handle: s.adjustments},
		{method: "GET", path: p + "/appeal-window", tag: tag, summary: "Whether the result may be appealed now, and until when",
			out: assessment.AppealWindow{}, errors: errsRead, handle: s.appealWindow},
	}
}

func (s *server) indicators(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	q := assessment.IndicatorQuery{IncludeArchived: queryBool(r, "include_archived", &v), Kind: assessment.IndicatorKind(r.URL.Query().Get("kind"))}
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.assessment.Indicators(r.Context(), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) createIndicator(w http.ResponseWriter, r *http.Request) error {
	var in assessment.IndicatorParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ind, err := s.assessment.CreateIndicator(r.Context(), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, ind, ind.Version)
}

func (s *server) indicator(w http.ResponseWriter, r *http.Request) error {
	ind, err := s.assessment.Indicator(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, ind, ind.Version)
}

func (s *server) updateIndicator(w http.ResponseWriter, r *http.Request) error {
	var in indicatorUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	ind, err := s.assessment.UpdateIndicator(r.Context(), r.PathValue("id"), in.IndicatorParams, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, ind, ind.Version)
}

func (s *server) archiveIndicator(w http.ResponseWriter, r *http.Request) error {
	var in archiveRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	ind, err := s.assessment.ArchiveIndicator(r.Context(), r.PathValue("id"), in.Archived, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, ind, ind.Version)
}

func (s *server) templates(w http.ResponseWriter, r *http.Request) error {
	out, err := s.assessment.Templates(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) createTemplate(w http.ResponseWriter, r *http.Request) error {
	var in assessment.TemplateParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.assessment.CreateTemplate(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (s *server) template(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	ver := queryInt(r, "version", &v)
	if err := v.Err(); err != nil {
		return err
	}
	t, err := s.assessment.Template(r.Context(), r.PathValue("id"), ver)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (s *server) updateTemplate(w http.ResponseWriter, r *http.Request) error {
	var in assessment.TemplateParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.assessment.UpdateTemplate(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (s *server) publishTemplate(w http.ResponseWriter, r *http.Request) error {
	var in publishRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version < 1 {
		return ballast.Invalid("version", "is required: the draft version to publish")
	}
	t, err := s.assessment.PublishTemplate(r.Context(), r.PathValue("id"), in.Version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (s *server) gradeScale(w http.ResponseWriter, r *http.Request) error {
	g, err := s.assessment.GradeScale(r.Context())
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, g, g.Version)
}

func (s *server) setGradeScale(w http.ResponseWriter, r *http.Request) error {
	var in gradeScaleUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	g, err := s.assessment.SetGradeScale(r.Context(), in.Grades, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, g, g.Version)
}

func (s *server) cycles(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	q := r.URL.Query()
	cq := assessment.CycleQuery{State: assessment.CycleState(q.Get("state")), After: q.Get("after"), Limit: queryInt(r, "limit", &v)}
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.assessment.Cycles(r.Context(), cq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) createCycle(w http.ResponseWriter, r *http.Request) error {
	var in assessment.CycleParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.assessment.CreateCycle(r.Context(), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, c, c.Version)
}

func (s *server) cycle(w http.ResponseWriter, r *http.Request) error {
	c, err := s.assessment.Cycle(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) updateCycle(w http.ResponseWriter, r *http.Request) error {
	var in cycleUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := s.assessment.UpdateCycle(r.Context(), r.PathValue("id"), in.CycleParams, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) updateDeadlines(w http.ResponseWriter, r *http.Request) error {
	var in deadlinesUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := s.assessment.UpdateDeadlines(r.Context(), r.PathValue("id"), in.Deadlines, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

// The cycle transitions a route may take.
func (s *server) assessmentOpen(ctx context.Context, id string, v int64) (assessment.Cycle, error) {
	return s.assessment.OpenCycle(ctx, id, v)
}

func (s *server) assessmentManagerReview(ctx context.Context, id string, v int64) (assessment.Cycle, error) {
	return s.assessment.StartManagerReview(ctx, id, v)
}

func (s *server) assessmentCalibration(ctx context.Context, id string, v int64) (assessment.Cycle, error) {
	return s.assessment.StartCalibration(ctx, id, v)
}

func (s *server) assessmentClose(ctx context.Context, id string, v int64) (assessment.Cycle, error) {
	return s.assessment.CloseCycle(ctx, id, v)
}

// cycleTransition handles a state transition of the cycle in the path,
// based on the version read.
func (s *server) cycleTransition(move func(context.Context, string, int64) (assessment.Cycle, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in versionRequest
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		v, err := version(r, &in.Version)
		if err != nil {
			return err
		}
		c, err := move(r.Context(), r.PathValue("id"), v)
		if err != nil {
			return err
		}
		return writeVersioned(w, http.StatusOK, c, c.Version)
	}
}

// finaliseRequest finalises a cycle; allow_incomplete with a reason
// finalises although manager reviews are not all submitted.
type finaliseRequest struct {
	Version int64 `json:"version,omitempty"`
	assessment.FinaliseOptions
}

func (s *server) finaliseCycle(w http.ResponseWriter, r *http.Request) error {
	var in finaliseRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	rep, err := s.assessment.FinaliseWith(r.Context(), r.PathValue("id"), v, in.FinaliseOptions)
	if err != nil {
		return err
	}
	rep.Grades = nonNil(rep.Grades)
	return writeJSON(w, http.StatusOK, rep)
}

func (s *server) cycleProgress(w http.ResponseWriter, r *http.Request) error {
	p, err := s.assessment.Progress(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	p.Departments = nonNil(p.Departments)
	return writeJSON(w, http.StatusOK, p)
}

func (s *server) participants(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	q := r.URL.Query()
	pq := assessment.ParticipantQuery{CycleID: r.PathValue("id"), DepartmentID: q.Get("department_id"), EmployeeID: q.Get("employee_id"),
		ManagerID: q.Get("manager_id"), Status: assessment.ParticipantStatus(q.Get("status")), After: q.Get("after"), Limit: queryInt(r, "limit", &v)}
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.assessment.Participants(r.Context(), pq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) distribution(w http.ResponseWriter, r *http.Request) error {
	d, err := s.assessment.Distribution(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	d.Overall, d.Departments = nonNil(d.Overall), nonNil(d.Departments)
	return writeJSON(w, http.StatusOK, d)
}

func (s *server) recordActuals(w http.ResponseWriter, r *http.Request) error {
	var in actualsRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.assessment.RecordActuals(r.Context(), r.PathValue("id"), in.Actuals)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (s *server) importActuals(w http.ResponseWriter, r *http.Request) error {
	body, err := csvBody(r)
	if err != nil {
		return err
	}
	rep, err := s.assessment.ImportActualsCSV(r.Context(), r.PathValue("id"), body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (s *server) departmentReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.assessment.DepartmentReport(r.Context(), r.PathValue("id"), r.PathValue("department"))
	if err != nil {
		return err
	}
	rep.Grades, rep.Indicators = nonNil(rep.Grades), nonNil(rep.Indicators)
	return writeJSON(w, http.StatusOK, rep)
}

func (s *server) myAssessmentTasks(w http.ResponseWriter, r *http.Request) error {
	out, err := s.assessment.MyTasks(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) review(w http.ResponseWriter, r *http.Request) error {
	rv, err := s.assessment.Review(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	rv.Items = nonNil(rv.Items)
	return writeVersioned(w, http.StatusOK, rv, rv.Participant.Version)
}

// saveEntries decodes one side's entries and saves them with save.
func (s *server) saveEntries(w http.ResponseWriter, r *http.Request,
	save func(context.Context, string, []assessment.EntryInput) (assessment.Review, error)) error {
	var in entriesRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rv, err := save(r.Context(), r.PathValue("id"), in.Entries)
	if err != nil {
		return err
	}
	rv.Items = nonNil(rv.Items)
	return writeVersioned(w, http.StatusOK, rv, rv.Participant.Version)
}

func (s *server) saveSelf(w http.ResponseWriter, r *http.Request) error {
	return s.saveEntries(w, r, s.assessment.SaveSelfEvaluation)
}

func (s *server) saveManager(w http.ResponseWriter, r *http.Request) error {
	return s.saveEntries(w, r, s.assessment.SaveManagerReview)
}

// participantDone answers the participant a submission or reopening
// returned.
func participantDone(w http.ResponseWriter, p assessment.Participant, err error) error {
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p, p.Version)
}

func (s *server) submitSelf(w http.ResponseWriter, r *http.Request) error {
	p, err := s.assessment.SubmitSelfEvaluation(r.Context(), r.PathValue("id"))
	return participantDone(w, p, err)
}

func (s *server) submitManager(w http.ResponseWriter, r *http.Request) error {
	p, err := s.assessment.SubmitManagerReview(r.Context(), r.PathValue("id"))
	return participantDone(w, p, err)
}

func (s *server) reopenSelf(w http.ResponseWriter, r *http.Request) error {
	var in reopenRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.assessment.ReopenSelfEvaluation(r.Context(), r.PathValue("id"), in.Due, in.Reason)
	return participantDone(w, p, err)
}

func (s *server) reassignManager(w http.ResponseWriter, r *http.Request) error {
	var in reassignRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.assessment.ReassignManager(r.Context(), r.PathValue("id"), in.ManagerID, in.Reason)
	return participantDone(w, p, err)
}

func (s *server) calibrate(w http.ResponseWriter, r *http.Request) error {
	var in calibrateRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.assessment.Calibrate(r.Context(), r.PathValue("id"), in.Score, in.Reason)
	return participantDone(w, p, err)
}

func (s *server) result(w http.ResponseWriter, r *http.Request) error {
	res, err := s.assessment.Result(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	res.Adjustments = nonNil(res.Adjustments)
	res.Result.Items = nonNil(res.Result.Items)
	res.Result.Strengths, res.Result.Gaps = nonNil(res.Result.Strengths), nonNil(res.Result.Gaps)
	return writeJSON(w, http.StatusOK, res)
}

func (s *server) adjustments(w http.ResponseWriter, r *http.Request) error {
	out, err := s.assessment.Adjustments(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) appealWindow(w http.ResponseWriter, r *http.Request) error {
	aw, err := s.assessment.AppealWindow(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, aw)
}
