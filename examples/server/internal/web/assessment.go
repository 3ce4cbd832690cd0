package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
)

// Assessment is what the UI needs from the review cycles
// (*assessment.Service implements it). Every method checks the principal's
// permission and scope itself.
type Assessment interface {
	Indicators(ctx context.Context, q assessment.IndicatorQuery) ([]assessment.Indicator, error)
	Indicator(ctx context.Context, id string) (assessment.Indicator, error)
	CreateIndicator(ctx context.Context, p assessment.IndicatorParams) (assessment.Indicator, error)
	UpdateIndicator(ctx context.Context, id string, p assessment.IndicatorParams, version int64) (assessment.Indicator, error)
	ArchiveIndicator(ctx context.Context, id string, archived bool, version int64) (assessment.Indicator, error)

	Templates(ctx context.Context) ([]assessment.Template, error)
	Template(ctx context.Context, id string, version int) (assessment.Template, error)
	CreateTemplate(ctx context.Context, p assessment.TemplateParams) (assessment.Template, error)
	UpdateTemplate(ctx context.Context, id string, p assessment.TemplateParams) (assessment.Template, error)
	PublishTemplate(ctx context.Context, id string, version int) (assessment.Template, error)

	GradeScale(ctx context.Context) (assessment.GradeScale, error)
	SetGradeScale(ctx context.Context, grades []assessment.Grade, version int64) (assessment.GradeScale, error)

	Cycles(ctx context.Context, q assessment.CycleQuery) ([]assessment.Cycle, error)
	Cycle(ctx context.Context, id string) (assessment.Cycle, error)
	CreateCycle(ctx context.Context, p assessment.CycleParams) (assessment.Cycle, error)
	OpenCycle(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	StartManagerReview(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	StartCalibration(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	FinaliseWith(ctx context.Context, cycleID string, version int64, o assessment.FinaliseOptions) (assessment.FinaliseReport, error)
	CloseCycle(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	Progress(ctx context.Context, cycleID string) (assessment.Progress, error)

	Participants(ctx context.Context, q assessment.ParticipantQuery) ([]assessment.Participant, error)
	Participant(ctx context.Context, id string) (assessment.Participant, error)
	MyTasks(ctx context.Context) ([]assessment.Task, error)
	Review(ctx context.Context, participantID string) (assessment.Review, error)
	SaveSelfEvaluation(ctx context.Context, participantID string, in []assessment.EntryInput) (assessment.Review, error)
	SubmitSelfEvaluation(ctx context.Context, participantID string) (assessment.Participant, error)
	SaveManagerReview(ctx context.Context, participantID string, in []assessment.EntryInput) (assessment.Review, error)
	SubmitManagerReview(ctx context.Context, participantID string) (assessment.Participant, error)
	RecordActuals(ctx context.Context, cycleID string, actuals []assessment.Actual) (assessment.ImportReport, error)
	ImportActualsCSV(ctx context.Context, cycleID string, r io.Reader) (assessment.ImportReport, error)
	ReopenSelfEvaluation(ctx context.Context, participantID string, due hr.Date, reason string) (assessment.Participant, error)
	UpdateDeadlines(ctx context.Context, id string, d assessment.Deadlines, version int64) (assessment.Cycle, error)

	Calibrate(ctx context.Context, participantID string, score float64, reason string) (assessment.Participant, error)
	Distribution(ctx context.Context, cycleID string) (assessment.Distribution, error)
	DepartmentReport(ctx context.Context, cycleID, departmentID string) (assessment.DepartmentReport, error)
	Result(ctx context.Context, participantID string) (assessment.EmployeeResult, error)
	AppealWindow(ctx context.Context, participantID string) (assessment.AppealWindow, error)
}

// MyReviews is an optional capability of Config.Assessment: every review
// the principal is the employee of, in any state, so the employee finds
// their finalised results. Without it the page lists only open tasks.
type MyReviews interface {
	MyReviews(ctx context.Context) ([]assessment.Participant, error)
}

// Multirater is what the UI needs from 360 feedback (*multirater.Service
// implements it). No method returns a rater's identity for an anonymous
// group, so neither can any page.
type Multirater interface {
	Rounds(ctx context.Context, cycleID string) ([]multirater.Round, error)
	CreateRound(ctx context.Context, p multirater.RoundParams) (multirater.Round, error)
	Round(ctx context.Context, id string) (multirater.Round, error)
	OpenRound(ctx context.Context, id string, version int64) (multirater.Round, error)
	CloseRound(ctx context.Context, id string, version int64) (multirater.Round, error)
	Progress(ctx context.Context, roundID string) (multirater.Progress, error)
	Reviewees(ctx context.Context, roundID, after string, limit int) ([]multirater.Reviewee, error)
	MyAssignments(ctx context.Context, roundID string) ([]multirater.Assignment, error)
	Draft(ctx context.Context, assignmentID string) (multirater.Answers, error)
	SaveDraft(ctx context.Context, assignmentID string, ans multirater.Answers) (multirater.Assignment, error)
	Submit(ctx context.Context, assignmentID string, ans multirater.Answers) (multirater.Assignment, error)
	Nominate(ctx context.Context, p multirater.NominateParams) ([]multirater.Nomination, error)
	Nominations(ctx context.Context, roundID, revieweeID string) ([]multirater.Nomination, error)
	PendingNominations(ctx context.Context, roundID, after string, limit int) ([]multirater.Nomination, error)
	DecideNomination(ctx context.Context, id string, approve bool, reason string, version int64) (multirater.Nomination, error)
	Report(ctx context.Context, roundID, revieweeID string) (multirater.Report, error)
}

// Appeals is what the UI needs from appeals (*appeal.Service implements
// it).
type Appeals interface {
	File(ctx context.Context, p appeal.FileParams) (appeal.Appeal, error)
	Appeal(ctx context.Context, id string) (appeal.Appeal, error)
	Thread(ctx context.Context, appealID string) ([]appeal.Message, error)
	Reply(ctx context.Context, appealID, body string) (appeal.Message, error)
	StartReview(ctx context.Context, appealID string, version int64) (appeal.Appeal, error)
	Decide(ctx context.Context, p appeal.DecideParams) (appeal.Appeal, error)
	Withdraw(ctx context.Context, appealID, reason string, version int64) (appeal.Appeal, error)
	Mine(ctx context.Context, f appeal.Filter) (appeal.Page, error)
	ToAnswer(ctx context.Context, f appeal.Filter) (appeal.Page, error)
	All(ctx context.Context, f appeal.Filter) (appeal.Page, error)
}

// The permissions the assessment pages ask about.
const (
	permAssessManage = assessment.PermManage
	permAssessScore  = assessment.PermScoreDepartment
	permAssessSelf   = assessment.PermSelf
)

// appealKind is the appeal kind of an assessment result; its subject is
// the participant's ID and its items are indicator codes.
const appealKind = "assessment.result"

func init() {
	pageNames = append(pageNames,
		"assessment_home", "assessment_indicators", "assessment_templates", "assessment_template",
		"assessment_grades", "assessment_cycles", "assessment_cycle_new", "assessment_cycle",
		"assessment_calibration", "assessment_actuals", "assessment_department",
		"assessment_review", "assessment_result",
		"multirater_home", "multirater_round", "multirater_round_new", "multirater_questionnaire", "multirater_report",
		"appeal_list", "appeal_thread")
}

// assessmentRoutes registers the review pages.
func (s *server) assessmentRoutes(mux *http.ServeMux) {
	mux.Handle("GET /assessment", s.signedIn(s.handleAssessmentHome))
	mux.Handle("GET /assessment/indicators", s.signedIn(s.handleIndicators))
	mux.Handle("POST /assessment/indicators", s.signedIn(s.handleIndicatorCreate))
	mux.Handle("GET /assessment/indicators/{id}", s.signedIn(s.handleIndicatorEdit))
	mux.Handle("POST /assessment/indicators/{id}", s.signedIn(s.handleIndicatorCreate))
	mux.Handle("POST /assessment/indicators/{id}/archive", s.signedIn(s.handleIndicatorArchive))
	mux.Handle("GET /assessment/templates", s.signedIn(s.handleTemplates))
	mux.Handle("GET /assessment/templates/new", s.signedIn(s.handleTemplateNew))
	mux.Handle("POST /assessment/templates", s.signedIn(s.handleAssessTemplateSave))
	mux.Handle("GET /assessment/templates/{id}", s.signedIn(s.handleAssessTemplate))
	mux.Handle("POST /assessment/templates/{id}", s.signedIn(s.handleAssessTemplateSave))
	mux.Handle("POST /assessment/templates/{id}/publish", s.signedIn(s.handleTemplatePublish))
	mux.Handle("GET /assessment/grades", s.signedIn(s.handleGrades))
	mux.Handle("POST /assessment/grades", s.signedIn(s.handleGradesSave))
	mux.Handle("GET /assessment/cycles", s.signedIn(s.handleCycles))
	mux.Handle("GET /assessment/cycles/new", s.signedIn(s.handleCycleNew))
	mux.Handle("POST /assessment/cycles", s.signedIn(s.handleCycleCreate))
	mux.Handle("GET /assessment/cycles/{id}", s.signedIn(s.handleCycle))
	mux.Handle("POST /assessment/cycles/{id}/transition", s.signedIn(s.handleCycleTransition))
	mux.Handle("GET /assessment/cycles/{id}/calibration", s.signedIn(s.handleCalibration))
	mux.Handle("POST /assessment/cycles/{id}/calibrate", s.signedIn(s.handleCalibrate))
	mux.Handle("GET /assessment/cycles/{id}/actuals", s.signedIn(s.handleActuals))
	mux.Handle("POST /assessment/cycles/{id}/actuals", s.signedIn(s.handleActualsSave))
	mux.Handle("POST /assessment/cycles/{id}/actuals.csv", s.signedIn(s.handleActualsImport))
	mux.Handle("GET /assessment/cycles/{id}/departments/{dept}", s.signedIn(s.handleDepartmentReport))
	mux.Handle("GET /assessment/reviews/{id}", s.signedIn(s.handleReview))
	mux.Handle("POST /assessment/reviews/{id}/self", s.signedIn(s.handleSelfSave))
	mux.Handle("POST /assessment/reviews/{id}/manager", s.signedIn(s.handleManagerSave))
	mux.Handle("POST /assessment/reviews/{id}/reopen", s.signedIn(s.handleReopen))
	mux.Handle("GET /assessment/reviews/{id}/result", s.signedIn(s.handleResult))
	mux.Handle("POST /assessment/cycles/{id}/deadlines", s.signedIn(s.handleDeadlines))
}

// homeData is the assessment start page: what the principal has to do and
// where they may go.
type homeData struct {
	Tasks       []assessment.Task
	Mine        []mineRow
	MineKnown   bool
	Team        []mineRow
	DeptReports []deptLink
	Assignments []assignmentRow
	Appeals     []appealRow
	ToAnswer    []appealRow
	Manage      bool
	Score       bool
	Has360      bool
	HasAppeals  bool
}

// deptLink is a department report a manager may open.
type deptLink struct {
	CycleID, CycleName, DepartmentID, DepartmentName string
}

// mineRow is one of the principal's own reviews.
type mineRow struct {
	assessment.Participant
	CycleName string
}

// handleAssessmentHome shows the principal's review tasks, their results,
// the reviews they score, their 360 questionnaires and appeals, and HR's
// links.
func (s *server) handleAssessmentHome(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	if !base.Nav.Assessment {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	d := homeData{Manage: s.allowed(ctx, permAssessManage), Score: s.allowed(ctx, permAssessScore), Has360: s.multirater != nil, HasAppeals: s.appeals != nil}
	if s.assessment != nil {
		cycles := map[string]string{}
		cycleName := func(id string) string {
			name, ok := cycles[id]
			if !ok {
				if c, err := s.assessment.Cycle(ctx, id); err == nil {
					name = c.Name
				}
				cycles[id] = name
			}
			return name
		}
		tasks, err := s.assessment.MyTasks(ctx)
		if err != nil {
			s.fail(w, r, base, err)
			return
		}
		d.Tasks = tasks
		if mr, ok := s.assessment.(MyReviews); ok {
			if mine, err := mr.MyReviews(ctx); err == nil {
				slices.Reverse(mine) // newest first
				d.MineKnown = true
				for _, pt := range mine {
					d.Mine = append(d.Mine, mineRow{Participant: pt, CycleName: cycleName(pt.CycleID)})
				}
			}
		}
		if d.Score && !d.Manage {
			team, err := s.assessment.Participants(ctx, assessment.ParticipantQuery{Limit: 200})
			if err == nil {
				slices.Reverse(team) // newest cycles first
				depts := s.departmentNames(ctx)
				seen := map[string]bool{}
				for _, pt := range team {
					d.Team = append(d.Team, mineRow{Participant: pt, CycleName: cycleName(pt.CycleID)})
					if k := pt.CycleID + "/" + pt.DepartmentID; !seen[k] {
						seen[k] = true
						d.DeptReports = append(d.DeptReports, deptLink{CycleID: pt.CycleID, CycleName: cycleName(pt.CycleID),
							DepartmentID: pt.DepartmentID, DepartmentName: depts[pt.DepartmentID]})
					}
				}
			}
		}
	}
	if s.multirater != nil {
		if as, err := s.multirater.MyAssignments(ctx, ""); err == nil {
			d.Assignments = s.assignmentRows(ctx, as)
		}
	}
	if s.appeals != nil {
		if pg, err := s.appeals.Mine(ctx, appeal.Filter{Limit: 20}); err == nil {
			d.Appeals = s.appealRows(ctx, pg.Appeals)
		}
		if pg, err := s.appeals.ToAnswer(ctx, appeal.Filter{Limit: 20}); err == nil {
			d.ToAnswer = s.appealRows(ctx, pg.Appeals)
		}
	}
	base.Title = s.cat.T(base.Lang, "as.title")
	base.Section = "assessment"
	base.Data = d
	s.render(w, r, http.StatusOK, "assessment_home", base)
}

// savedFlash shows the flash that ?saved=… asks for.
func (s *server) savedFlash(r *http.Request, base *page) {
	switch v := r.URL.Query().Get("saved"); v {
	case "":
	case "draft", "submitted", "created", "published", "decided", "filed", "replied", "nominated", "withdrawn", "review", "calibrated", "imported",
		"open", "manager_review", "calibration", "close", "approved", "reopened", "deadlines", "rejected", "archived", "scale", "template", "indicator", "actuals":
		base.Flash = s.cat.T(base.Lang, "as.saved."+v)
	default:
		base.Flash = s.cat.T(base.Lang, "as.saved")
	}
}

// formError sorts out the error of a refused form: a validation error
// gives the field messages, a known conflict its message in base.Error.
// ok is false for anything else, which the caller sends to the error page;
// otherwise the caller renders the form again with status and fields.
func (s *server) formError(base *page, err error) (status int, fields map[string]string, ok bool) {
	var ve *ballast.ValidationError
	switch {
	case errors.As(err, &ve):
		base.Error = s.cat.T(base.Lang, "form.invalid")
		return http.StatusBadRequest, fieldMap(ve.Fields), true
	case errors.Is(err, assessment.ErrDeadlinePassed):
		base.Error = s.cat.T(base.Lang, "as.error.deadline")
		return http.StatusConflict, nil, true
	case errors.Is(err, assessment.ErrWrongState), errors.Is(err, assessment.ErrAlreadySubmitted):
		base.Error = s.cat.T(base.Lang, "as.error.state")
		return http.StatusConflict, nil, true
	case errors.Is(err, assessment.ErrOwnReview):
		base.Error = s.cat.T(base.Lang, "as.error.own")
		return http.StatusForbidden, nil, true
	case errors.Is(err, appeal.ErrNotAppealable):
		base.Error = s.cat.T(base.Lang, "ap.error.window")
		return http.StatusConflict, nil, true
	case errors.Is(err, appeal.ErrAlreadyAppealed):
		base.Error = s.cat.T(base.Lang, "ap.error.twice")
		return http.StatusConflict, nil, true
	case errors.Is(err, ballast.ErrConflict):
		base.Error = s.cat.T(base.Lang, "as.error.conflict")
		return http.StatusConflict, nil, true
	}
	return 0, nil, false
}

// parseScore reads a score typed in a form: "" is no score, anything not a
// number is reported under field.
func parseScore(v *ballast.ValidationError, field, in string) *float64 {
	in = strings.TrimSpace(strings.ReplaceAll(in, ",", "."))
	if in == "" {
		return nil
	}
	f, err := strconv.ParseFloat(in, 64)
	if err != nil {
		v.Add(field, "is not a number")
		return nil
	}
	return &f
}

// fmtScore shows a score with at most one decimal.
func fmtScore(f float64) string {
	return strconv.FormatFloat(float64(int64(f*10+0.5*sign(f)))/10, 'f', -1, 64)
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// scorePtr shows an optional score, "" when unset.
func scorePtr(f *float64) string {
	if f == nil {
		return ""
	}
	return fmtScore(*f)
}

// departmentNames maps the tenant's department IDs to names.
func (s *server) departmentNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	if ds, err := s.hr.Departments(ctx); err == nil {
		for _, d := range ds {
			out[d.ID] = d.Name
		}
	}
	return out
}

// categoryNames maps the category keys of a cycle's plan to their names.
func categoryNames(c assessment.Cycle) map[string]string {
	out := map[string]string{}
	if c.Plan != nil {
		for _, cat := range c.Plan.Template.Categories {
			out[cat.Key] = cat.Name
		}
	}
	return out
}

// today as a date string for date inputs.
func (s *server) todayString(base *page) string { return s.today(base).String() }

// parseDateField reads a date input into d, adding field to v when bad.
func parseDateField(v *ballast.ValidationError, field, in string) hr.Date {
	in = strings.TrimSpace(in)
	if in == "" {
		v.Add(field, "is required")
		return hr.Date{}
	}
	d, err := hr.ParseDate(in)
	if err != nil {
		v.Add(field, "is not a date")
	}
	return d
}
