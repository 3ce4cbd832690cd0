package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
)

// indicatorForm is the new-indicator form as typed.
type indicatorForm struct {
	// ID and Version are set when the form edits an indicator.
	ID                                                     string
	Version                                                int64
	Code, Name, Description, Kind, Unit, Target, Direction string
	Mapping, Cap, Bands, ScaleMin, ScaleMax, Anchors       string
	Dimension                                              string
}

// handleIndicators lists the indicator library with the form that adds one
// (HR; everyone taking part may read it).
func (s *server) handleIndicators(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderIndicators(w, r, http.StatusOK, base, indicatorForm{Kind: string(assessment.Quantitative), Direction: string(assessment.HigherIsBetter),
		Mapping: string(assessment.MappingRatio), Cap: "100", ScaleMin: "1", ScaleMax: "5"}, nil)
}

func (s *server) renderIndicators(w http.ResponseWriter, r *http.Request, status int, base *page, f indicatorForm, errs map[string]string) {
	ctx := r.Context()
	inds, err := s.assessment.Indicators(ctx, assessment.IndicatorQuery{IncludeArchived: true})
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	base.Title = s.cat.T(base.Lang, "as.ind.title")
	base.Section = "assessment"
	base.Data = struct {
		Indicators []assessment.Indicator
		Manage     bool
		Form       indicatorForm
		Errors     map[string]string
	}{inds, s.allowed(ctx, permAssessManage), f, errs}
	s.render(w, r, status, "assessment_indicators", base)
}

// handleIndicatorCreate adds an indicator to the library, or with an ID
// in the path replaces its definition (open cycles keep their copy).
func (s *server) handleIndicatorCreate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	f := indicatorForm{Code: v("code"), Name: v("name"), Description: v("description"), Kind: v("kind"), Unit: v("unit"), Target: v("target"),
		Direction: v("direction"), Mapping: v("mapping"), Cap: v("cap"), Bands: v("bands"), ScaleMin: v("scale_min"), ScaleMax: v("scale_max"),
		Anchors: r.PostFormValue("anchors"), Dimension: v("dimension")}
	var verr ballast.ValidationError
	num := func(field, in string) float64 {
		if in == "" {
			return 0
		}
		x, err := strconv.ParseFloat(in, 64)
		if err != nil {
			verr.Add(field, "is not a number")
		}
		return x
	}
	ip := assessment.IndicatorParams{Code: f.Code, Name: f.Name, Description: f.Description, Kind: assessment.IndicatorKind(f.Kind)}
	if ip.Kind == assessment.Quantitative {
		ip.Unit, ip.Direction = f.Unit, assessment.Direction(f.Direction)
		ip.Target = num("target", f.Target)
		ip.Mapping = assessment.Mapping{Kind: assessment.MappingKind(f.Mapping)}
		if ip.Mapping.Kind == assessment.MappingRatio {
			ip.Mapping.Cap = num("mapping.cap", f.Cap)
		} else {
			for i, b := range splitList(f.Bands) {
				th, sc, ok := strings.Cut(b, ":")
				if !ok {
					verr.Add(fmt.Sprintf("mapping.bands[%d]", i), "is not threshold:score")
					continue
				}
				ip.Mapping.Bands = append(ip.Mapping.Bands, assessment.Band{Threshold: num(fmt.Sprintf("mapping.bands[%d].threshold", i), strings.TrimSpace(th)),
					Score: num(fmt.Sprintf("mapping.bands[%d].score", i), strings.TrimSpace(sc))})
			}
		}
	} else if f.Dimension != "" {
		ip.Dimension = f.Dimension
	} else {
		lo, err1 := strconv.Atoi(f.ScaleMin)
		hi, err2 := strconv.Atoi(f.ScaleMax)
		if err1 != nil || err2 != nil {
			verr.Add("scale", "needs whole numbers")
		}
		sc := assessment.RatingScale{Min: lo, Max: hi}
		for i, line := range strings.Split(f.Anchors, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			val, rest, ok := strings.Cut(line, ":")
			n, err := strconv.Atoi(strings.TrimSpace(val))
			if !ok || err != nil {
				verr.Add(fmt.Sprintf("scale.anchors[%d]", i), "is not value: label")
				continue
			}
			label, desc, _ := strings.Cut(rest, "—")
			sc.Anchors = append(sc.Anchors, assessment.Anchor{Value: n, Label: strings.TrimSpace(label), Description: strings.TrimSpace(desc)})
		}
		ip.Scale = &sc
	}
	f.ID, f.Version = id, version
	err := verr.Err()
	if err == nil && id == "" {
		_, err = s.assessment.CreateIndicator(r.Context(), ip)
	} else if err == nil {
		_, err = s.assessment.UpdateIndicator(r.Context(), id, ip, version)
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/indicators?saved=indicator", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderIndicators(w, r, status, base, f, errs)
		return
	}
	s.fail(w, r, base, err)
}

// handleIndicatorEdit shows the library with the form filled in with one
// indicator's definition.
func (s *server) handleIndicatorEdit(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ind, err := s.assessment.Indicator(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	f := indicatorForm{ID: ind.ID, Version: ind.Version, Code: ind.Code, Name: ind.Name, Description: ind.Description, Kind: string(ind.Kind),
		Unit: ind.Unit, Target: nonzero(ind.Target), Direction: string(ind.Direction), Mapping: string(ind.Mapping.Kind), Cap: nonzero(ind.Mapping.Cap),
		Dimension: ind.Dimension, ScaleMin: "1", ScaleMax: "5"}
	var bands []string
	for _, b := range ind.Mapping.Bands {
		bands = append(bands, fmtScore(b.Threshold)+":"+fmtScore(b.Score))
	}
	f.Bands = strings.Join(bands, ", ")
	if ind.Scale != nil {
		f.ScaleMin, f.ScaleMax = strconv.Itoa(ind.Scale.Min), strconv.Itoa(ind.Scale.Max)
		var lines []string
		for _, a := range ind.Scale.Anchors {
			line := strconv.Itoa(a.Value) + ": " + a.Label
			if a.Description != "" {
				line += " — " + a.Description
			}
			lines = append(lines, line)
		}
		f.Anchors = strings.Join(lines, "\n")
	}
	s.renderIndicators(w, r, http.StatusOK, base, f, nil)
}

// handleIndicatorArchive archives or restores an indicator.
func (s *server) handleIndicatorArchive(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err := s.assessment.ArchiveIndicator(r.Context(), r.PathValue("id"), r.PostFormValue("archived") == "1", version)
	if err != nil {
		if status, _, ok := s.formError(base, err); ok {
			s.renderIndicators(w, r, status, base, indicatorForm{Kind: string(assessment.Quantitative)}, nil)
			return
		}
		s.fail(w, r, base, err)
		return
	}
	http.Redirect(w, r, "/assessment/indicators?saved=archived", http.StatusSeeOther)
}

// handleTemplates lists the templates (HR).
func (s *server) handleTemplates(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ts, err := s.assessment.Templates(r.Context())
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	base.Title = s.cat.T(base.Lang, "as.tpl.title")
	base.Section = "assessment"
	base.Data = struct{ Templates []assessment.Template }{ts}
	s.render(w, r, http.StatusOK, "assessment_templates", base)
}

// catForm, itemForm and overrideForm are the template editor's rows as
// typed.
type (
	catForm struct {
		Key, Name, Weight string
	}
	itemForm struct {
		Category, IndicatorID, Weight, Target string
	}
	overrideForm struct {
		DepartmentID, Weights string
	}
	assessTemplateForm struct {
		ID, Name, Description string
		Version               int
		Status                assessment.TemplateStatus
		Categories            []catForm
		Items                 []itemForm
		Overrides             []overrideForm
	}
)

// handleTemplateNew shows an empty template with the default 60/40 split.
func (s *server) handleTemplateNew(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	f := assessTemplateForm{Categories: []catForm{{Key: "results", Name: s.cat.T(base.Lang, "as.tpl.cat.results"), Weight: "60"},
		{Key: "competencies", Name: s.cat.T(base.Lang, "as.tpl.cat.competencies"), Weight: "40"}}}
	s.renderAssessTemplate(w, r, http.StatusOK, base, f, nil)
}

// handleAssessTemplate shows a template's latest version for editing.
func (s *server) handleAssessTemplate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	t, err := s.assessment.Template(r.Context(), r.PathValue("id"), 0)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	s.savedFlash(r, base)
	s.renderAssessTemplate(w, r, http.StatusOK, base, templateToForm(t), nil)
}

func templateToForm(t assessment.Template) assessTemplateForm {
	f := assessTemplateForm{ID: t.ID, Name: t.Name, Description: t.Description, Version: t.Version, Status: t.Status}
	for _, c := range t.Categories {
		f.Categories = append(f.Categories, catForm{Key: c.Key, Name: c.Name, Weight: fmtScore(c.Weight)})
		for _, it := range c.Items {
			f.Items = append(f.Items, itemForm{Category: c.Key, IndicatorID: it.IndicatorID, Weight: fmtScore(it.Weight), Target: nonzero(it.Target)})
		}
	}
	for _, o := range t.Overrides {
		var parts []string
		for _, c := range t.Categories {
			if w, ok := o.Weights[c.Key]; ok {
				parts = append(parts, c.Key+":"+fmtScore(w))
			}
		}
		f.Overrides = append(f.Overrides, overrideForm{DepartmentID: o.DepartmentID, Weights: strings.Join(parts, ", ")})
	}
	return f
}

func nonzero(f float64) string {
	if f == 0 {
		return ""
	}
	return fmtScore(f)
}

func (s *server) renderAssessTemplate(w http.ResponseWriter, r *http.Request, status int, base *page, f assessTemplateForm, errs map[string]string) {
	ctx := r.Context()
	if !s.allowed(ctx, permAssessManage) {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	for range 2 {
		f.Categories = append(f.Categories, catForm{})
		f.Overrides = append(f.Overrides, overrideForm{})
	}
	for range 4 {
		f.Items = append(f.Items, itemForm{})
	}
	inds, err := s.assessment.Indicators(ctx, assessment.IndicatorQuery{})
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	var indOpts, deptOpts []option
	for _, ind := range inds {
		indOpts = append(indOpts, option{Value: ind.ID, Label: ind.Name + " (" + ind.Code + ")"})
	}
	if ds, err := s.hr.Departments(ctx); err == nil {
		for _, d := range ds {
			deptOpts = append(deptOpts, option{Value: d.ID, Label: d.Name})
		}
	}
	base.Title = s.cat.T(base.Lang, "as.tpl.edit")
	base.Section = "assessment"
	base.Data = struct {
		Form              assessTemplateForm
		Indicators, Depts []option
		Errors            map[string]string
	}{f, indOpts, deptOpts, errs}
	s.render(w, r, status, "assessment_template", base)
}

// handleAssessTemplateSave creates a template or saves a new draft of one;
// weights that do not sum to 100 come back beside the level they break.
func (s *server) handleAssessTemplateSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := assessTemplateForm{ID: id, Name: v("name"), Description: v("description")}
	var verr ballast.ValidationError
	num := func(field, in string) float64 {
		x, err := strconv.ParseFloat(strings.TrimSuffix(in, "%"), 64)
		if err != nil && in != "" {
			verr.Add(field, "is not a number")
		}
		return x
	}
	params := assessment.TemplateParams{Name: f.Name, Description: f.Description}
	idx := map[string]int{}
	for i := 0; i < 40; i++ {
		c := catForm{Key: v(fmt.Sprintf("c%d_key", i)), Name: v(fmt.Sprintf("c%d_name", i)), Weight: v(fmt.Sprintf("c%d_weight", i))}
		if c.Key == "" && c.Name == "" {
			continue
		}
		f.Categories = append(f.Categories, c)
		idx[c.Key] = len(params.Categories)
		params.Categories = append(params.Categories, assessment.Category{Key: c.Key, Name: c.Name, Weight: num(fmt.Sprintf("categories[%d].weight", len(params.Categories)), c.Weight)})
	}
	for i := 0; i < 120; i++ {
		it := itemForm{Category: v(fmt.Sprintf("i%d_cat", i)), IndicatorID: v(fmt.Sprintf("i%d_ind", i)), Weight: v(fmt.Sprintf("i%d_weight", i)), Target: v(fmt.Sprintf("i%d_target", i))}
		if it.IndicatorID == "" {
			continue
		}
		f.Items = append(f.Items, it)
		ci, ok := idx[it.Category]
		if !ok {
			verr.Add(fmt.Sprintf("items[%d].category", len(f.Items)-1), "names no category")
			continue
		}
		c := &params.Categories[ci]
		c.Items = append(c.Items, assessment.Item{IndicatorID: it.IndicatorID, Weight: num(fmt.Sprintf("categories[%d].items[%d].weight", ci, len(c.Items)), it.Weight),
			Target: num(fmt.Sprintf("categories[%d].items[%d].target", ci, len(c.Items)), it.Target)})
	}
	for i := 0; i < 40; i++ {
		o := overrideForm{DepartmentID: v(fmt.Sprintf("o%d_dept", i)), Weights: v(fmt.Sprintf("o%d_weights", i))}
		if o.DepartmentID == "" {
			continue
		}
		f.Overrides = append(f.Overrides, o)
		ov := assessment.Override{DepartmentID: o.DepartmentID, Weights: map[string]float64{}}
		for _, part := range splitList(o.Weights) {
			k, w, ok := strings.Cut(part, ":")
			if !ok {
				verr.Add(fmt.Sprintf("overrides[%d].weights", len(params.Overrides)), "is not key:weight")
				continue
			}
			ov.Weights[strings.TrimSpace(k)] = num(fmt.Sprintf("overrides[%d].weights", len(params.Overrides)), strings.TrimSpace(w))
		}
		params.Overrides = append(params.Overrides, ov)
	}
	err := verr.Err()
	var t assessment.Template
	if err == nil {
		if id == "" {
			t, err = s.assessment.CreateTemplate(r.Context(), params)
		} else {
			t, err = s.assessment.UpdateTemplate(r.Context(), id, params)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/templates/"+url.PathEscape(t.ID)+"?saved=template", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		if id != "" {
			if cur, err := s.assessment.Template(r.Context(), id, 0); err == nil {
				f.Version, f.Status = cur.Version, cur.Status
			}
		}
		s.renderAssessTemplate(w, r, status, base, f, errs)
		return
	}
	s.fail(w, r, base, err)
}

// handleTemplatePublish freezes the template's latest draft version.
func (s *server) handleTemplatePublish(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := s.assessment.PublishTemplate(r.Context(), id, version)
	if err == nil {
		http.Redirect(w, r, "/assessment/templates/"+url.PathEscape(id)+"?saved=published", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		t, terr := s.assessment.Template(r.Context(), id, 0)
		if terr != nil {
			s.fail(w, r, base, terr)
			return
		}
		s.renderAssessTemplate(w, r, status, base, templateToForm(t), errs)
		return
	}
	s.fail(w, r, base, err)
}

// gradeForm is one row of the grade scale editor.
type gradeForm struct{ Name, Min string }

// handleGrades shows the tenant's grade scale for editing.
func (s *server) handleGrades(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	g, err := s.assessment.GradeScale(r.Context())
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	var rows []gradeForm
	for _, gr := range g.Grades {
		rows = append(rows, gradeForm{Name: gr.Name, Min: fmtScore(gr.Min)})
	}
	s.savedFlash(r, base)
	s.renderGrades(w, r, http.StatusOK, base, rows, g.Version, nil)
}

func (s *server) renderGrades(w http.ResponseWriter, r *http.Request, status int, base *page, rows []gradeForm, version int64, errs map[string]string) {
	rows = append(rows, gradeForm{}, gradeForm{})
	base.Title = s.cat.T(base.Lang, "as.grades.title")
	base.Section = "assessment"
	base.Data = struct {
		Rows    []gradeForm
		Version int64
		Manage  bool
		Errors  map[string]string
	}{rows, version, s.allowed(r.Context(), permAssessManage), errs}
	s.render(w, r, status, "assessment_grades", base)
}

// handleGradesSave replaces the grade scale.
func (s *server) handleGradesSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var verr ballast.ValidationError
	var rows []gradeForm
	var grades []assessment.Grade
	for i := 0; i < 30; i++ {
		g := gradeForm{Name: strings.TrimSpace(r.PostFormValue(fmt.Sprintf("g%d_name", i))), Min: strings.TrimSpace(r.PostFormValue(fmt.Sprintf("g%d_min", i)))}
		if g.Name == "" && g.Min == "" {
			continue
		}
		rows = append(rows, g)
		m, err := strconv.ParseFloat(g.Min, 64)
		if err != nil {
			verr.Add(fmt.Sprintf("grades[%d].min", len(grades)), "is not a number")
		}
		grades = append(grades, assessment.Grade{Name: g.Name, Min: m})
	}
	err := verr.Err()
	if err == nil {
		_, err = s.assessment.SetGradeScale(r.Context(), grades, version)
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/grades?saved=scale", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderGrades(w, r, status, base, rows, version, errs)
		return
	}
	s.fail(w, r, base, err)
}
