package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
)

// calibrationRow is one participant on the calibration page, with the
// provisional score computed from the manager's entries.
type calibrationRow struct {
	participantRow
	Grade string
}

// gradeBar is one grade of a distribution with its share.
type gradeBar struct {
	Grade string
	Count int
	Share float64
}

// distRow is one department's distribution.
type distRow struct {
	Name    string
	Count   int
	Average float64
	Bars    []gradeBar
}

// bars turns grade counts into bars in the scale's order.
func bars(scale assessment.GradeScale, counts []assessment.GradeCount) []gradeBar {
	byGrade := map[string]int{}
	total := 0
	for _, c := range counts {
		byGrade[c.Grade] += c.Count
		total += c.Count
	}
	var out []gradeBar
	for _, g := range scale.Grades {
		b := gradeBar{Grade: g.Name, Count: byGrade[g.Name]}
		if total > 0 {
			b.Share = float64(b.Count) / float64(total)
		}
		out = append(out, b)
	}
	return out
}

// handleCalibration shows the grade distribution per department and the
// participants, with the form that adjusts a score with a reason (HR).
func (s *server) handleCalibration(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderCalibration(w, r, http.StatusOK, base, "", "", "", nil)
}

func (s *server) renderCalibration(w http.ResponseWriter, r *http.Request, status int, base *page, pid, score, reason string, errs map[string]string) {
	ctx := r.Context()
	id := r.PathValue("id")
	c, err := s.assessment.Cycle(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	dist, err := s.assessment.Distribution(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	scale, err := s.assessment.GradeScale(ctx)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	depts := s.departmentNames(ctx)
	var rows []distRow
	overall := distRow{Name: s.cat.T(base.Lang, "as.all"), Bars: bars(scale, dist.Overall)}
	for _, b := range overall.Bars {
		overall.Count += b.Count
	}
	var sum float64
	var n int
	for _, dg := range dist.Departments {
		sum += dg.Average * float64(dg.Count)
		n += dg.Count
	}
	if n > 0 {
		overall.Average = sum / float64(n)
	}
	rows = append(rows, overall)
	for _, dg := range dist.Departments {
		rows = append(rows, distRow{Name: depts[dg.DepartmentID], Count: dg.Count, Average: dg.Average, Bars: bars(scale, dg.Grades)})
	}
	ps, err := s.assessment.Participants(ctx, assessment.ParticipantQuery{CycleID: id, Limit: 1000})
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	var people []calibrationRow
	for _, pt := range ps {
		row := calibrationRow{participantRow: participantRow{Participant: pt, DepartmentName: depts[pt.DepartmentID], ManagerName: s.name(ctx, names, pt.ManagerID)}}
		if pt.Result != nil {
			row.Grade = pt.Result.Grade
		} else if pt.Calibration != nil {
			row.Grade = scale.GradeOf(pt.Calibration.Score)
		}
		people = append(people, row)
	}
	base.Title = s.cat.T(base.Lang, "as.cal.title")
	base.Section = "assessment"
	base.Data = struct {
		Cycle         assessment.Cycle
		Dist          assessment.Distribution
		Grades        []assessment.Grade
		Rows          []distRow
		People        []calibrationRow
		Open          bool
		Participant   string
		Score, Reason string
		Errors        map[string]string
	}{c, dist, scale.Grades, rows, people, c.State == assessment.CycleCalibration, pid, score, reason, errs}
	s.render(w, r, status, "assessment_calibration", base)
}

// handleCalibrate adjusts one participant's score in calibration, with a
// reason that goes on the audit chain.
func (s *server) handleCalibrate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	pid := r.PostFormValue("participant_id")
	score := strings.TrimSpace(r.PostFormValue("score"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var v ballast.ValidationError
	sc := parseScore(&v, "score", score)
	if sc == nil && score == "" {
		v.Add("score", "is required")
	}
	err := v.Err()
	if err == nil {
		_, err = s.assessment.Calibrate(r.Context(), pid, *sc, reason)
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/cycles/"+url.PathEscape(r.PathValue("id"))+"/calibration?saved=calibrated", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderCalibration(w, r, status, base, pid, score, reason, errs)
		return
	}
	s.fail(w, r, base, err)
}

// actualCell is one quantitative indicator of one participant on the
// actuals page.
type actualCell struct {
	IndicatorID string
	Value       string
}

// actualRow is one participant on the actuals page.
type actualRow struct {
	assessment.Participant
	Cells []actualCell
}

// handleActuals shows the actuals entry grid (the quantitative indicators
// of the reviews one scores, or of every participant for HR) and the CSV
// import.
func (s *server) handleActuals(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderActuals(w, r, http.StatusOK, base, nil)
}

func (s *server) renderActuals(w http.ResponseWriter, r *http.Request, status int, base *page, errs map[string]string) {
	ctx := r.Context()
	id := r.PathValue("id")
	c, err := s.assessment.Cycle(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	ps, err := s.assessment.Participants(ctx, assessment.ParticipantQuery{CycleID: id, Limit: 300})
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	var quants []assessment.Indicator
	if c.Plan != nil {
		seen := map[string]bool{}
		for _, cat := range c.Plan.Template.Categories {
			for _, it := range cat.Items {
				ind, ok := c.Plan.Indicators[it.IndicatorID]
				if ok && ind.Kind == assessment.Quantitative && !seen[ind.ID] {
					seen[ind.ID] = true
					quants = append(quants, ind)
				}
			}
		}
	}
	var rows []actualRow
	for _, pt := range ps {
		row := actualRow{Participant: pt}
		var actual map[string]string
		if rv, err := s.assessment.Review(ctx, pt.ID); err == nil {
			actual = map[string]string{}
			for _, e := range rv.Manager {
				actual[e.IndicatorID] = scorePtr(e.Actual)
			}
		}
		for _, q := range quants {
			row.Cells = append(row.Cells, actualCell{IndicatorID: q.ID, Value: actual[q.ID]})
		}
		rows = append(rows, row)
	}
	base.Title = s.cat.T(base.Lang, "as.act.title")
	base.Section = "assessment"
	base.Data = struct {
		Cycle      assessment.Cycle
		Indicators []assessment.Indicator
		Rows       []actualRow
		Errors     map[string]string
	}{c, quants, rows, errs}
	s.render(w, r, status, "assessment_actuals", base)
}

// handleActualsSave records the actuals typed in the grid; empty cells are
// left as they are.
func (s *server) handleActualsSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	var v ballast.ValidationError
	var acts []assessment.Actual
	for k, vs := range r.PostForm {
		pid, ind, ok := strings.Cut(strings.TrimPrefix(k, "a_"), "_")
		if !strings.HasPrefix(k, "a_") || !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		x := parseScore(&v, fmt.Sprintf("actuals[%s].%s", pid, ind), vs[0])
		if x != nil {
			acts = append(acts, assessment.Actual{ParticipantID: pid, IndicatorID: ind, Value: *x})
		}
	}
	err := v.Err()
	if err == nil && len(acts) > 0 {
		_, err = s.assessment.RecordActuals(r.Context(), r.PathValue("id"), acts)
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/cycles/"+url.PathEscape(r.PathValue("id"))+"/actuals?saved=actuals", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderActuals(w, r, status, base, errs)
		return
	}
	s.fail(w, r, base, err)
}

// maxCSV caps an uploaded actuals file.
const maxCSV = 4 << 20

// handleActualsImport imports actuals from an uploaded CSV: all rows or
// none, every bad row listed.
func (s *server) handleActualsImport(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	r.Body = http.MaxBytesReader(w, r.Body, maxCSV)
	if err := r.ParseMultipartForm(maxCSV); err != nil || !csrfValid(r) {
		s.forbiddenCSRF(w, r)
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		base.Error = s.cat.T(base.Lang, "as.act.nofile")
		s.renderActuals(w, r, http.StatusBadRequest, base, nil)
		return
	}
	defer f.Close()
	rep, err := s.assessment.ImportActualsCSV(r.Context(), r.PathValue("id"), f)
	if err == nil {
		base.Flash = s.cat.T(base.Lang, "as.act.imported", rep.Rows)
		s.renderActuals(w, r, http.StatusOK, base, nil)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderActuals(w, r, status, base, errs)
		return
	}
	s.fail(w, r, base, err)
}

// handleDepartmentReport shows one department's report: distribution,
// averages by indicator and the quantification rate.
func (s *server) handleDepartmentReport(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	id, dept := r.PathValue("id"), r.PathValue("dept")
	c, err := s.assessment.Cycle(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	rep, err := s.assessment.DepartmentReport(ctx, id, dept)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	scale, err := s.assessment.GradeScale(ctx)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	name := s.departmentNames(ctx)[dept]
	base.Title = s.cat.T(base.Lang, "as.dept.title", name)
	base.Section = "assessment"
	base.Data = struct {
		Cycle  assessment.Cycle
		Report assessment.DepartmentReport
		Name   string
		Bars   []gradeBar
	}{c, rep, name, bars(scale, rep.Grades)}
	s.render(w, r, http.StatusOK, "assessment_department", base)
}
