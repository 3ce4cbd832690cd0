package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/multirater"
)

// multiraterRoutes registers the 360 feedback pages.
func (s *server) multiraterRoutes(mux *http.ServeMux) {
	mux.Handle("GET /360", s.signedIn(s.handle360Home))
	mux.Handle("GET /360/rounds/new", s.signedIn(s.handleRoundNew))
	mux.Handle("POST /360/rounds", s.signedIn(s.handleRoundCreate))
	mux.Handle("GET /360/rounds/{id}", s.signedIn(s.handleRound))
	mux.Handle("POST /360/rounds/{id}/state", s.signedIn(s.handleRoundState))
	mux.Handle("POST /360/rounds/{id}/nominate", s.signedIn(s.handleNominate))
	mux.Handle("POST /360/nominations/{id}/decide", s.signedIn(s.handleNominationDecide))
	mux.Handle("GET /360/assignments/{id}", s.signedIn(s.handleQuestionnaire))
	mux.Handle("POST /360/assignments/{id}", s.signedIn(s.handleQuestionnaireSave))
	mux.Handle("GET /360/rounds/{id}/report/{employee}", s.signedIn(s.handle360Report))
}

// assignmentRow is one questionnaire the principal has to answer.
type assignmentRow struct {
	multirater.Assignment
	RevieweeName string
	RoundName    string
}

// assignmentRows names the reviewees and rounds of assignments.
func (s *server) assignmentRows(ctx context.Context, as []multirater.Assignment) []assignmentRow {
	names := map[string]string{}
	rounds := map[string]string{}
	out := make([]assignmentRow, 0, len(as))
	for _, a := range as {
		rn, ok := rounds[a.RoundID]
		if !ok {
			if rd, err := s.multirater.Round(ctx, a.RoundID); err == nil {
				rn = rd.Name
			}
			rounds[a.RoundID] = rn
		}
		out = append(out, assignmentRow{Assignment: a, RevieweeName: s.name(ctx, names, a.RevieweeID), RoundName: rn})
	}
	return out
}

// mrRoundRow is a round on the 360 start page, with whether the principal
// is reviewed in it.
type mrRoundRow struct {
	multirater.Round
	Reviewee bool
}

// handle360Home lists the principal's questionnaires, the rounds they are
// reviewed in, the nominations waiting for their approval and, for HR,
// every round.
func (s *server) handle360Home(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	as, err := s.multirater.MyAssignments(ctx, "")
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	rounds, err := s.multirater.Rounds(ctx, "")
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	slices.Reverse(rounds)
	var rows []mrRoundRow
	var pending []nominationRow
	names := map[string]string{}
	manage := s.allowed(ctx, permAssessManage)
	approve := s.allowed(ctx, permAssessScore) || manage
	for _, rd := range rounds {
		row := mrRoundRow{Round: rd}
		if _, err := s.multirater.Nominations(ctx, rd.ID, p.Subject); err == nil {
			row.Reviewee = true
		}
		if row.Reviewee || manage {
			rows = append(rows, row)
		}
		if approve && rd.State != multirater.StateClosed {
			if ns, err := s.multirater.PendingNominations(ctx, rd.ID, "", 100); err == nil {
				for _, n := range ns {
					pending = append(pending, nominationRow{Nomination: n, RevieweeName: s.name(ctx, names, n.RevieweeID), RaterName: s.name(ctx, names, n.RaterID), RoundName: rd.Name})
				}
			}
		}
	}
	s.savedFlash(r, base)
	base.Title = s.cat.T(base.Lang, "mr.title")
	base.Section = "assessment"
	base.Data = struct {
		Assignments []assignmentRow
		Rounds      []mrRoundRow
		Pending     []nominationRow
		Manage      bool
	}{s.assignmentRows(ctx, as), rows, pending, manage}
	s.render(w, r, http.StatusOK, "multirater_home", base)
}

// nominationRow is a nomination with its people named.
type nominationRow struct {
	multirater.Nomination
	RevieweeName, RaterName, RoundName string
}

// progressCell is one group's counts on HR's round page.
type progressCell struct {
	Group  multirater.Group
	Counts []int
}

// roundStatuses are the assignment statuses in order, for HR's progress.
var roundStatuses = []multirater.Status{multirater.StatusPending, multirater.StatusOpen, multirater.StatusSubmitted, multirater.StatusRejected}

// groupsInOrder are the rater groups in the order pages show them.
var groupsInOrder = []multirater.Group{multirater.GroupSelf, multirater.GroupManager, multirater.GroupPeer, multirater.GroupDirectReport, multirater.GroupOther}

// roundData is the round page.
type roundData struct {
	Round       multirater.Round
	Manage      bool
	Progress    []progressCell
	Statuses    []multirater.Status
	Reviewees   []revieweeRow
	Mine        []nominationRow
	IsReviewee  bool
	CanNominate bool
	Candidates  []option
	Group       string
	Picked      []string
	Errors      []string
}

// revieweeRow is one reviewee on HR's round page.
type revieweeRow struct {
	multirater.Reviewee
	Name string
}

// handleRound shows a round: HR's progress (counts only) and its
// transitions, or the reviewee's raters with the nomination form.
func (s *server) handleRound(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderRound(w, r, http.StatusOK, base, p, roundData{})
}

func (s *server) renderRound(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal, d roundData) {
	ctx := r.Context()
	rd, err := s.multirater.Round(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	d.Round = rd
	d.Manage = s.allowed(ctx, permAssessManage)
	d.Statuses = roundStatuses
	names := map[string]string{}
	if d.Manage {
		if pr, err := s.multirater.Progress(ctx, rd.ID); err == nil {
			for _, g := range groupsInOrder {
				c := progressCell{Group: g}
				for _, st := range roundStatuses {
					c.Counts = append(c.Counts, pr.Counts[g][st])
				}
				d.Progress = append(d.Progress, c)
			}
		}
		if rs, err := s.multirater.Reviewees(ctx, rd.ID, "", 500); err == nil {
			for _, rv := range rs {
				d.Reviewees = append(d.Reviewees, revieweeRow{Reviewee: rv, Name: s.name(ctx, names, rv.EmployeeID)})
			}
		}
	}
	if ns, err := s.multirater.Nominations(ctx, rd.ID, p.Subject); err == nil {
		d.IsReviewee = true
		for _, n := range ns {
			d.Mine = append(d.Mine, nominationRow{Nomination: n, RaterName: s.name(ctx, names, n.RaterID)})
		}
		d.CanNominate = rd.State == multirater.StateNominating
		if d.CanNominate {
			d.Candidates = s.ownerOptions(ctx, base.Lang, "", "mr.nominate.choose")[1:]
			for i := range d.Candidates {
				d.Candidates[i].Selected = slices.Contains(d.Picked, d.Candidates[i].Value)
			}
		}
	}
	if d.Group == "" {
		d.Group = string(multirater.GroupPeer)
	}
	base.Title = rd.Name
	base.Section = "assessment"
	base.Data = d
	s.render(w, r, status, "multirater_round", base)
}

// handleRoundState opens or closes a round (HR).
func (s *server) handleRoundState(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var err error
	switch r.PostFormValue("action") {
	case "open":
		_, err = s.multirater.OpenRound(ctx, id, version)
	case "close":
		_, err = s.multirater.CloseRound(ctx, id, version)
	default:
		err = ballast.Invalid("action", "is not a transition")
	}
	if err == nil {
		http.Redirect(w, r, "/360/rounds/"+url.PathEscape(id)+"?saved="+url.QueryEscape(r.PostFormValue("action")), http.StatusSeeOther)
		return
	}
	if errors.Is(err, ballast.ErrConflict) || errors.Is(err, ballast.ErrInvalid) {
		base.Error = s.cat.T(base.Lang, "as.error.conflict")
		s.renderRound(w, r, http.StatusConflict, base, p, roundData{})
		return
	}
	s.fail(w, r, base, err)
}

// handleNominate nominates peers (or others) of the signed-in reviewee.
func (s *server) handleNominate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	group := r.PostFormValue("group")
	raters := r.PostForm["rater"]
	_, err := s.multirater.Nominate(r.Context(), multirater.NominateParams{RoundID: id, RevieweeID: p.Subject, Group: multirater.Group(group), RaterIDs: raters})
	if err == nil {
		http.Redirect(w, r, "/360/rounds/"+url.PathEscape(id)+"?saved=nominated", http.StatusSeeOther)
		return
	}
	if errors.Is(err, ballast.ErrInvalid) || errors.Is(err, ballast.ErrConflict) {
		base.Error = s.cat.T(base.Lang, "form.invalid")
		d := roundData{Group: group, Picked: raters, Errors: s.nominationErrors(base.Lang, err)}
		s.renderRound(w, r, http.StatusBadRequest, base, p, d)
		return
	}
	s.fail(w, r, base, err)
}

// nominationErrors explains each refused rater in the user's language.
func (s *server) nominationErrors(lang string, err error) []string {
	var out []string
	for _, x := range []struct {
		err error
		key string
	}{{multirater.ErrSelfNomination, "mr.error.self"}, {multirater.ErrRaterDeparted, "mr.error.departed"},
		{multirater.ErrRaterOverloaded, "mr.error.overloaded"}, {multirater.ErrAlreadyAssigned, "mr.error.assigned"},
		{multirater.ErrRoundState, "mr.error.state"}, {multirater.ErrDeadlinePassed, "mr.error.deadline"}} {
		if errors.Is(err, x.err) {
			out = append(out, s.cat.T(lang, x.key))
		}
	}
	var ve *ballast.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			out = append(out, f.Field+": "+f.Message)
		}
	}
	return out
}

// handleNominationDecide approves or rejects a nomination (the reviewee's
// manager or HR).
func (s *server) handleNominationDecide(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	approve := r.PostFormValue("decision") == "approve"
	_, err := s.multirater.DecideNomination(r.Context(), r.PathValue("id"), approve, strings.TrimSpace(r.PostFormValue("reason")), version)
	saved := "approved"
	if !approve {
		saved = "rejected"
	}
	if err == nil {
		http.Redirect(w, r, "/360?saved="+saved, http.StatusSeeOther)
		return
	}
	if errors.Is(err, ballast.ErrInvalid) || errors.Is(err, ballast.ErrConflict) {
		http.Redirect(w, r, "/360?saved=refused", http.StatusSeeOther)
		return
	}
	s.fail(w, r, base, err)
}

// questionRow is one question of the questionnaire with its answer.
type questionRow struct {
	multirater.Question
	Value int
}

// dimensionForm is one dimension of the questionnaire.
type dimensionForm struct {
	multirater.Dimension
	Rows    []questionRow
	Comment string
}

// questionnaireData is the questionnaire page.
type questionnaireData struct {
	Assignment   multirater.Assignment
	Round        multirater.Round
	RevieweeName string
	Dimensions   []dimensionForm
	Points       []multirater.Anchor
	Editable     bool
	Errors       []string
}

// handleQuestionnaire shows a 360 questionnaire to its rater.
func (s *server) handleQuestionnaire(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderQuestionnaire(w, r, http.StatusOK, base, nil, nil)
}

func (s *server) renderQuestionnaire(w http.ResponseWriter, r *http.Request, status int, base *page, typed *multirater.Answers, errs []string) {
	ctx := r.Context()
	id := r.PathValue("id")
	as, err := s.multirater.MyAssignments(ctx, "")
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	i := slices.IndexFunc(as, func(a multirater.Assignment) bool { return a.ID == id })
	if i < 0 {
		s.fail(w, r, base, ballast.ErrNotFound)
		return
	}
	a := as[i]
	rd, err := s.multirater.Round(ctx, a.RoundID)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	d := questionnaireData{Assignment: a, Round: rd, Editable: a.Status == multirater.StatusOpen && rd.State == multirater.StateCollecting, Errors: errs}
	d.RevieweeName = s.name(ctx, map[string]string{}, a.RevieweeID)
	ans := multirater.Answers{}
	if typed != nil {
		ans = *typed
	} else if d.Editable {
		if dr, err := s.multirater.Draft(ctx, id); err == nil {
			ans = dr
		}
	}
	anchors := map[int]string{}
	for _, an := range rd.Questionnaire.Scale.Anchors {
		anchors[an.Value] = an.Label
	}
	for v := rd.Questionnaire.Scale.Min; v <= rd.Questionnaire.Scale.Max; v++ {
		d.Points = append(d.Points, multirater.Anchor{Value: v, Label: anchors[v]})
	}
	for _, dim := range rd.Questionnaire.Dimensions {
		df := dimensionForm{Dimension: dim, Comment: ans.Comments[dim.Code]}
		for _, q := range dim.Questions {
			df.Rows = append(df.Rows, questionRow{Question: q, Value: ans.Scores[q.Code]})
		}
		d.Dimensions = append(d.Dimensions, df)
	}
	base.Title = s.cat.T(base.Lang, "mr.q.title", d.RevieweeName)
	base.Section = "assessment"
	base.Data = d
	s.render(w, r, status, "multirater_questionnaire", base)
}

// handleQuestionnaireSave saves the answers as a draft or submits them.
func (s *server) handleQuestionnaireSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ans := multirater.Answers{Scores: map[string]int{}, Comments: map[string]string{}}
	for k, vs := range r.PostForm {
		switch {
		case strings.HasPrefix(k, "q_") && len(vs) > 0 && vs[0] != "":
			n, err := strconv.Atoi(vs[0])
			if err == nil {
				ans.Scores[strings.TrimPrefix(k, "q_")] = n
			}
		case strings.HasPrefix(k, "c_") && len(vs) > 0 && strings.TrimSpace(vs[0]) != "":
			ans.Comments[strings.TrimPrefix(k, "c_")] = strings.TrimSpace(vs[0])
		}
	}
	id := r.PathValue("id")
	var err error
	saved := "draft"
	if r.PostFormValue("action") == "submit" {
		_, err = s.multirater.Submit(r.Context(), id, ans)
		saved = "submitted"
	} else {
		_, err = s.multirater.SaveDraft(r.Context(), id, ans)
	}
	if err == nil {
		if saved == "submitted" {
			http.Redirect(w, r, "/360?saved=submitted", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/360/assignments/"+url.PathEscape(id)+"?saved=draft", http.StatusSeeOther)
		return
	}
	if errors.Is(err, ballast.ErrInvalid) || errors.Is(err, ballast.ErrConflict) {
		base.Error = s.cat.T(base.Lang, "form.invalid")
		if errors.Is(err, multirater.ErrDeadlinePassed) {
			base.Error = s.cat.T(base.Lang, "mr.error.deadline")
		}
		s.renderQuestionnaire(w, r, http.StatusBadRequest, base, &ans, s.nominationErrors(base.Lang, err))
		return
	}
	s.fail(w, r, base, err)
}

// reportDim is one dimension of a 360 report as the page shows it.
type reportDim struct {
	multirater.DimensionResult
	Cells             []string
	Others, Gap, Self string
}

// optf formats an optional figure, "—" when absent.
func optf(f *float64, format string) string {
	if f == nil {
		return "—"
	}
	return fmt.Sprintf(format, *f)
}

// handle360Report shows a reviewee's 360 report of a closed round: only
// the groups over their threshold, comments without names in the order the
// service shuffled them.
func (s *server) handle360Report(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	rd, err := s.multirater.Round(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	rep, err := s.multirater.Report(ctx, rd.ID, r.PathValue("employee"))
	if err != nil {
		if errors.Is(err, multirater.ErrRoundState) {
			base.Error = s.cat.T(base.Lang, "mr.report.notclosed")
			base.Title = rd.Name
			base.Section = "assessment"
			base.Data = struct{ Message string }{s.cat.T(base.Lang, "mr.report.notclosed")}
			s.render(w, r, http.StatusConflict, "error", base)
			return
		}
		s.fail(w, r, base, err)
		return
	}
	var groups []multirater.Group
	for _, g := range rep.Groups {
		groups = append(groups, g.Group)
	}
	names := map[string]string{}
	var dims []reportDim
	byCode := map[string]string{}
	for _, dm := range rep.Dimensions {
		rd := reportDim{DimensionResult: dm, Others: optf(dm.Others, "%.2f"), Gap: optf(dm.Gap, "%+.1f"), Self: optf(dm.Self, "%.2f")}
		for _, g := range groups {
			if v, ok := dm.Groups[g]; ok {
				rd.Cells = append(rd.Cells, fmt.Sprintf("%.2f", v))
			} else {
				rd.Cells = append(rd.Cells, "—")
			}
		}
		dims = append(dims, rd)
		byCode[dm.Code] = dm.Name
	}
	label := func(codes []string) []string {
		var out []string
		for _, c := range codes {
			out = append(out, or(byCode[c], c))
		}
		return out
	}
	comments := make([]commentRow, 0, len(rep.Comments))
	for _, c := range rep.Comments {
		row := commentRow{Comment: c, Dimension: or(byCode[c.Dimension], c.Dimension)}
		if !c.Group.Anonymous() {
			row.Author = s.name(ctx, names, c.RaterID)
		}
		comments = append(comments, row)
	}
	base.Title = s.cat.T(base.Lang, "mr.report.title", s.name(ctx, names, rep.RevieweeID))
	base.Section = "assessment"
	base.Data = struct {
		Round                       multirater.Round
		Report                      multirater.Report
		Groups                      []multirater.Group
		Dimensions                  []reportDim
		BlindSpots, HiddenStrengths []string
		Comments                    []commentRow
		Overall                     string
	}{rd, rep, groups, dims, label(rep.BlindSpots), label(rep.HiddenStrengths), comments, optf(rep.Overall, "%.2f")}
	s.render(w, r, http.StatusOK, "multirater_report", base)
}

// commentRow is one comment of a report: named only for self and manager.
type commentRow struct {
	Comment   multirater.Comment
	Dimension string
	Author    string
}

// roundForm is the new-round form as typed.
type roundForm struct {
	CycleID, Name, ScaleMin, ScaleMax, Anchors string
	Dimensions, NominationDue, ResponseDue     string
	Reviewees                                  []string
}

// handleRoundNew shows the form that creates a 360 round for a cycle (HR),
// with the cycle's participants chosen as reviewees.
func (s *server) handleRoundNew(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	f := roundForm{CycleID: r.URL.Query().Get("cycle"), ScaleMin: "1", ScaleMax: "5",
		Anchors: s.cat.T(base.Lang, "mr.new.anchors.example"), Dimensions: s.cat.T(base.Lang, "mr.new.dimensions.example")}
	if s.assessment != nil && f.CycleID != "" {
		if ps, err := s.assessment.Participants(ctx, assessment.ParticipantQuery{CycleID: f.CycleID, Limit: 1000}); err == nil {
			for _, pt := range ps {
				f.Reviewees = append(f.Reviewees, pt.EmployeeID)
			}
		}
	}
	s.renderRoundNew(w, r, http.StatusOK, base, f, nil)
}

func (s *server) renderRoundNew(w http.ResponseWriter, r *http.Request, status int, base *page, f roundForm, errs map[string]string) {
	ctx := r.Context()
	if !s.allowed(ctx, permAssessManage) {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	emps := s.ownerOptions(ctx, base.Lang, "", "as.cycle.employees.none")[1:]
	for i := range emps {
		emps[i].Selected = slices.Contains(f.Reviewees, emps[i].Value)
	}
	base.Title = s.cat.T(base.Lang, "mr.new")
	base.Section = "assessment"
	base.Data = struct {
		Form      roundForm
		Employees []option
		Errors    map[string]string
	}{f, emps, errs}
	s.render(w, r, status, "multirater_round_new", base)
}

// parseQuestionnaire reads dimensions typed one per line ("LEAD 领导力",
// a trailing "*" for comments) each followed by its questions ("- lead1
// 清晰地分配任务").
func parseQuestionnaire(v *ballast.ValidationError, in string) []multirater.Dimension {
	var dims []multirater.Dimension
	for i, line := range strings.Split(in, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "-"); ok {
			code, text, _ := strings.Cut(strings.TrimSpace(rest), " ")
			if len(dims) == 0 {
				v.Add(fmt.Sprintf("questionnaire.line[%d]", i+1), "a question before any dimension")
				continue
			}
			d := &dims[len(dims)-1]
			d.Questions = append(d.Questions, multirater.Question{Code: code, Text: strings.TrimSpace(text)})
			continue
		}
		d := multirater.Dimension{}
		if strings.HasSuffix(line, "*") {
			d.Comment = true
			line = strings.TrimSpace(strings.TrimSuffix(line, "*"))
		}
		code, name, _ := strings.Cut(line, " ")
		d.Code, d.Name = code, strings.TrimSpace(name)
		dims = append(dims, d)
	}
	return dims
}

// handleRoundCreate creates a 360 round (HR) in the nominating state.
func (s *server) handleRoundCreate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	f := roundForm{CycleID: r.PostFormValue("cycle_id"), Name: strings.TrimSpace(r.PostFormValue("name")), ScaleMin: r.PostFormValue("scale_min"),
		ScaleMax: r.PostFormValue("scale_max"), Anchors: r.PostFormValue("anchors"), Dimensions: r.PostFormValue("dimensions"),
		NominationDue: r.PostFormValue("nomination_due"), ResponseDue: r.PostFormValue("response_due"), Reviewees: r.PostForm["reviewee"]}
	var v ballast.ValidationError
	params := multirater.RoundParams{CycleID: f.CycleID, Name: f.Name, Reviewees: f.Reviewees,
		NominationDue: parseDateField(&v, "nomination_due", f.NominationDue), ResponseDue: parseDateField(&v, "response_due", f.ResponseDue)}
	lo, err1 := strconv.Atoi(strings.TrimSpace(f.ScaleMin))
	hi, err2 := strconv.Atoi(strings.TrimSpace(f.ScaleMax))
	if err1 != nil || err2 != nil {
		v.Add("questionnaire.scale", "needs whole numbers")
	}
	params.Questionnaire.Scale = multirater.Scale{Min: lo, Max: hi}
	for i, line := range strings.Split(f.Anchors, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		val, label, ok := strings.Cut(line, ":")
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if !ok || err != nil {
			v.Add(fmt.Sprintf("questionnaire.scale.anchors[%d]", i), "is not value: label")
			continue
		}
		params.Questionnaire.Scale.Anchors = append(params.Questionnaire.Scale.Anchors, multirater.Anchor{Value: n, Label: strings.TrimSpace(label)})
	}
	params.Questionnaire.Dimensions = parseQuestionnaire(&v, f.Dimensions)
	err := v.Err()
	var rd multirater.Round
	if err == nil {
		rd, err = s.multirater.CreateRound(r.Context(), params)
	}
	if err == nil {
		http.Redirect(w, r, "/360/rounds/"+url.PathEscape(rd.ID)+"?saved=created", http.StatusSeeOther)
		return
	}
	var ve *ballast.ValidationError
	if errors.As(err, &ve) {
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderRoundNew(w, r, http.StatusBadRequest, base, f, fieldMap(ve.Fields))
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderRoundNew(w, r, status, base, f, errs)
		return
	}
	s.fail(w, r, base, err)
}
