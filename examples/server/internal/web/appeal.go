package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
)

// appealPage is one page of appeals.
type appealPage = appeal.Page

// appealFilter selects the appeals on one result, any status.
func appealFilter(subjectID string) appeal.Filter {
	return appeal.Filter{Kind: appealKind, SubjectID: subjectID, Limit: 50}
}

// appealStatuses are the statuses of an appeal, for the filter.
var appealStatuses = []appeal.Status{appeal.StatusOpen, appeal.StatusUnderReview, appeal.StatusDecided, appeal.StatusWithdrawn}

// appealRow is one appeal of a list with its people named.
type appealRow struct {
	appeal.Appeal
	EmployeeName string
}

// appealRows names the employees of appeals.
func (s *server) appealRows(ctx context.Context, as []appeal.Appeal) []appealRow {
	names := map[string]string{}
	out := make([]appealRow, 0, len(as))
	for i := len(as) - 1; i >= 0; i-- { // newest first
		out = append(out, appealRow{Appeal: as[i], EmployeeName: s.name(ctx, names, as[i].EmployeeID)})
	}
	return out
}

// appealRoutes registers the appeal pages.
func (s *server) appealRoutes(mux *http.ServeMux) {
	mux.Handle("GET /appeals", s.signedIn(s.handleAppeals))
	mux.Handle("POST /appeals", s.signedIn(s.handleAppealFile))
	mux.Handle("GET /appeals/{id}", s.signedIn(s.handleAppeal))
	mux.Handle("POST /appeals/{id}/reply", s.signedIn(s.handleAppealReply))
	mux.Handle("POST /appeals/{id}/review", s.signedIn(s.handleAppealReview))
	mux.Handle("POST /appeals/{id}/decide", s.signedIn(s.handleAppealDecide))
	mux.Handle("POST /appeals/{id}/withdraw", s.signedIn(s.handleAppealWithdraw))
}

// handleAppeals lists appeals: HR's all (filtered by status), a manager's
// to answer and one's own.
func (s *server) handleAppeals(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	status := appeal.Status(r.URL.Query().Get("status"))
	if !status.Valid() {
		status = ""
	}
	manage := s.allowed(ctx, permAssessManage)
	var all, answer, mine []appealRow
	if manage {
		pg, err := s.appeals.All(ctx, appeal.Filter{Status: status, Limit: 200})
		if err != nil {
			s.fail(w, r, base, err)
			return
		}
		all = s.appealRows(ctx, pg.Appeals)
	}
	if pg, err := s.appeals.ToAnswer(ctx, appeal.Filter{Status: status, Limit: 200}); err == nil {
		answer = s.appealRows(ctx, pg.Appeals)
	}
	if pg, err := s.appeals.Mine(ctx, appeal.Filter{Status: status, Limit: 200}); err == nil {
		mine = s.appealRows(ctx, pg.Appeals)
	}
	statuses := []option{{Value: "", Label: s.cat.T(base.Lang, "ap.status.all")}}
	for _, st := range appealStatuses {
		statuses = append(statuses, option{Value: string(st), Label: s.cat.T(base.Lang, "ap.status."+string(st)), Selected: st == status})
	}
	base.Title = s.cat.T(base.Lang, "ap.title")
	base.Section = "assessment"
	base.Data = struct {
		All, Answer, Mine []appealRow
		Manage            bool
		Statuses          []option
	}{all, answer, mine, manage, statuses}
	s.render(w, r, http.StatusOK, "appeal_list", base)
}

// handleAppealFile files the signed-in employee's appeal from their result
// page.
func (s *server) handleAppealFile(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	subject := r.PostFormValue("subject_id")
	item := r.PostFormValue("item")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	a, err := s.appeals.File(r.Context(), appeal.FileParams{Kind: appealKind, SubjectID: subject, Item: item, Reason: reason})
	if err == nil {
		http.Redirect(w, r, "/appeals/"+url.PathEscape(a.ID)+"?saved=filed", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok && s.assessment != nil {
		// Back to the result page with the form as typed.
		r.SetPathValue("id", subject)
		s.renderResult(w, r, status, base, p, item, reason, errs)
		return
	}
	s.fail(w, r, base, err)
}

// appealData is the appeal page.
type appealData struct {
	Appeal                      appeal.Appeal
	Thread                      []threadMsg
	EmployeeName, ManagerName   string
	HandlerName, ClosedByName   string
	IsEmployee, IsHR, Pending   bool
	CanReview                   bool
	Body, Result, Score, Reason string
	Errors                      map[string]string
	ResultLink                  string
	// Before and After are the contested and the decided outcome as text.
	Before, After string
}

// outcomeText shows an outcome: "78.5 B", a text, or "—".
func outcomeText(o appeal.Outcome) string {
	var parts []string
	if o.Score != nil {
		parts = append(parts, fmtScore(*o.Score))
	}
	if o.Grade != "" {
		parts = append(parts, o.Grade)
	}
	if o.Text != "" {
		parts = append(parts, o.Text)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " ")
}

// threadMsg is one reply with its author named.
type threadMsg struct {
	appeal.Message
	AuthorName string
}

// handleAppeal shows an appeal with its thread and the forms the principal
// may use.
func (s *server) handleAppeal(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderAppeal(w, r, http.StatusOK, base, p, appealData{})
}

func (s *server) renderAppeal(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal, typed appealData) {
	ctx := r.Context()
	id := r.PathValue("id")
	a, err := s.appeals.Appeal(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	msgs, err := s.appeals.Thread(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	d := typed
	d.Appeal = a
	d.EmployeeName = s.name(ctx, names, a.EmployeeID)
	d.ManagerName = s.name(ctx, names, a.ManagerID)
	d.HandlerName = s.name(ctx, names, a.HandlerID)
	d.ClosedByName = s.name(ctx, names, a.ClosedBy)
	d.IsEmployee = a.EmployeeID == p.Subject
	d.IsHR = s.allowed(ctx, permAssessManage) && !d.IsEmployee
	d.Pending = a.Status.Pending()
	d.Before = outcomeText(a.Before)
	if !a.After.IsZero() {
		d.After = outcomeText(a.After)
	}
	d.CanReview = d.IsHR && a.Status == appeal.StatusOpen
	if d.Result == "" {
		d.Result = string(appeal.ResultUpheld)
	}
	if d.Score == "" && a.Before.Score != nil {
		d.Score = fmtScore(*a.Before.Score)
	}
	for _, m := range msgs {
		d.Thread = append(d.Thread, threadMsg{Message: m, AuthorName: s.name(ctx, names, m.AuthorID)})
	}
	if a.Kind == appealKind && s.assessment != nil {
		d.ResultLink = "/assessment/reviews/" + url.PathEscape(a.SubjectID) + "/result"
	}
	base.Title = s.cat.T(base.Lang, "ap.appeal.title")
	base.Section = "assessment"
	base.Data = d
	s.render(w, r, status, "appeal_thread", base)
}

// handleAppealReply adds a reply to the thread.
func (s *server) handleAppealReply(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	body := strings.TrimSpace(r.PostFormValue("body"))
	_, err := s.appeals.Reply(r.Context(), r.PathValue("id"), body)
	s.afterAppealPost(w, r, base, p, "replied", appealData{Body: body}, err)
}

// handleAppealReview takes an open appeal under review (HR).
func (s *server) handleAppealReview(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err := s.appeals.StartReview(r.Context(), r.PathValue("id"), version)
	s.afterAppealPost(w, r, base, p, "review", appealData{}, err)
}

// handleAppealDecide decides an appeal (HR): upheld, or adjusted with the
// new score.
func (s *server) handleAppealDecide(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	typed := appealData{Result: r.PostFormValue("result"), Score: strings.TrimSpace(r.PostFormValue("score")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	params := appeal.DecideParams{AppealID: r.PathValue("id"), Result: appeal.Result(typed.Result), Reason: typed.Reason, Version: version}
	var v ballast.ValidationError
	if params.Result == appeal.ResultAdjusted {
		params.After.Score = parseScore(&v, "after.score", typed.Score)
	}
	err := v.Err()
	if err == nil {
		_, err = s.appeals.Decide(r.Context(), params)
	}
	s.afterAppealPost(w, r, base, p, "decided", typed, err)
}

// handleAppealWithdraw withdraws one's own appeal.
func (s *server) handleAppealWithdraw(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err := s.appeals.Withdraw(r.Context(), r.PathValue("id"), strings.TrimSpace(r.PostFormValue("reason")), version)
	s.afterAppealPost(w, r, base, p, "withdrawn", appealData{}, err)
}

func (s *server) afterAppealPost(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal, saved string, typed appealData, err error) {
	if err == nil {
		http.Redirect(w, r, "/appeals/"+url.PathEscape(r.PathValue("id"))+"?saved="+saved, http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		typed.Errors = errs
		s.renderAppeal(w, r, status, base, p, typed)
		return
	}
	s.fail(w, r, base, err)
}
