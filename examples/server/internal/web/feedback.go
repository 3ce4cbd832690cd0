package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
	"github.com/ballast-hr/ballast/hr/channel"
)

// feedbackRoutes registers the anonymous feedback pages. The code check
// works without a session: the follow-up code, sent in the POST body (never
// in a URL, so it stays out of logs and history), is the credential.
func (s *server) feedbackRoutes(mux *http.ServeMux) {
	mux.Handle("GET /feedback", s.signedIn(s.handleFeedbackForm))
	mux.Handle("POST /feedback", s.signedIn(s.handleFeedbackSubmit))
	mux.HandleFunc("GET /feedback/check", s.handleFeedbackCheckForm)
	mux.HandleFunc("POST /feedback/check", s.handleFeedbackCheck)
	mux.HandleFunc("POST /feedback/check/reply", s.handleFeedbackCheckReply)
	mux.Handle("GET /feedback/inbox", s.signedIn(s.handleFeedbackInbox))
	mux.Handle("GET /feedback/inbox/{id}", s.signedIn(s.handleFeedbackItem))
	mux.Handle("POST /feedback/inbox/{id}/{action}", s.signedIn(s.handleFeedbackAction))
}

// categoryOptions lists the feedback categories for a select box.
func (s *server) categoryOptions(lang, selected string, all bool) []option {
	var out []option
	if all {
		out = append(out, option{Value: "", Label: s.cat.T(lang, "fb.allcategories")})
	}
	for _, c := range channel.FeedbackCategories {
		out = append(out, option{Value: string(c), Label: s.cat.T(lang, "fbcat."+string(c)), Selected: string(c) == selected})
	}
	return out
}

// handleFeedbackForm shows the anonymous feedback form and says what is
// and is not stored.
func (s *server) handleFeedbackForm(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	s.renderFeedbackForm(w, r, http.StatusOK, base, "", "")
}

func (s *server) renderFeedbackForm(w http.ResponseWriter, r *http.Request, status int, base *page, category, body string) {
	if !s.allowed(r.Context(), permFeedbackSubmit) {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	base.Title = s.cat.T(base.Lang, "fb.title")
	base.Section = "feedback"
	base.Data = struct {
		Categories []option
		Body       string
		Max        int
	}{s.categoryOptions(base.Lang, category, false), body, channel.MaxMessage}
	s.render(w, r, status, "feedback_submit", base)
}

// handleFeedbackSubmit records the feedback and shows its follow-up code,
// once: the page is not cached and the code is never stored in clear.
func (s *server) handleFeedbackSubmit(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	cat, body := r.PostFormValue("category"), r.PostFormValue("body")
	sub, err := s.channel.SubmitFeedback(r.Context(), channel.FeedbackParams{Category: channel.FeedbackCategory(cat), Body: body})
	if err != nil {
		if errors.Is(err, ballast.ErrInvalid) {
			base.Error = s.cat.T(base.Lang, "fb.error.invalid", channel.MaxMessage)
			s.renderFeedbackForm(w, r, http.StatusBadRequest, base, cat, body)
			return
		}
		s.fail(w, r, base, err)
		return
	}
	base.Title = s.cat.T(base.Lang, "fb.code.title")
	base.Section = "feedback"
	base.Data = struct{ Code string }{sub.Code}
	s.render(w, r, http.StatusOK, "feedback_code", base)
}

// publicFrame builds the frame of a page that works without a session:
// the signed-in frame when there is one, else a bare one; ctx carries the
// principal the code check acts as (the user's, or a system principal of
// the public tenant). ok is false when there is neither.
func (s *server) publicFrame(r *http.Request) (base *page, ctx context.Context, ok bool, err error) {
	if p, perr := ballast.PrincipalFrom(r.Context()); perr == nil {
		base, err = s.frame(r, p)
		return base, r.Context(), true, err
	}
	base = &page{Lang: i18n.Negotiate(r, "", s.defaultLang)}
	if s.publicTenant == "" {
		return base, r.Context(), false, nil
	}
	ctx = ballast.WithPrincipal(r.Context(), ballast.Principal{Tenant: s.publicTenant, Subject: "feedback-code-page", Kind: ballast.KindSystem})
	if t, terr := s.hr.Tenant(ctx); terr == nil {
		base.TenantName = t.Name
		base.Lang = i18n.Negotiate(r, t.Locale, s.defaultLang)
		if loc, lerr := t.Location(); lerr == nil {
			base.Zone = loc
		}
	}
	return base, ctx, true, nil
}

// checkView is the code check page.
type checkView struct {
	Code     string // only echoed into the POST forms of the same response
	Item     *channel.Feedback
	NotFound bool
}

// handleFeedbackCheckForm asks for a follow-up code.
func (s *server) handleFeedbackCheckForm(w http.ResponseWriter, r *http.Request) {
	base, _, ok, err := s.publicFrame(r)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	if !ok {
		http.Redirect(w, r, "/login?"+url.Values{"next": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
		return
	}
	s.renderCheck(w, r, http.StatusOK, base, checkView{})
}

func (s *server) renderCheck(w http.ResponseWriter, r *http.Request, status int, base *page, v checkView) {
	base.Title = s.cat.T(base.Lang, "fb.check.title")
	base.Section = "feedback"
	base.Data = v
	s.render(w, r, status, "feedback_check", base)
}

// handleFeedbackCheck shows the thread of the code in the form body. An
// unknown code gets the same answer whatever it is.
func (s *server) handleFeedbackCheck(w http.ResponseWriter, r *http.Request) {
	base, ctx, ok, err := s.publicFrame(r)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	if !s.postForm(w, r) {
		return
	}
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	f, err := s.channel.FeedbackByCode(ctx, code)
	s.afterCheck(w, r, base, code, f, err)
}

// handleFeedbackCheckReply continues the thread as its submitter.
func (s *server) handleFeedbackCheckReply(w http.ResponseWriter, r *http.Request) {
	base, ctx, ok, err := s.publicFrame(r)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	if !s.postForm(w, r) {
		return
	}
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	f, err := s.channel.ReplyByCode(ctx, code, r.PostFormValue("body"))
	if err == nil {
		base.Flash = s.cat.T(base.Lang, "fb.check.sent")
	}
	if errors.Is(err, ballast.ErrInvalid) {
		base.Error = s.cat.T(base.Lang, "fb.error.invalid", channel.MaxMessage)
		f, err = s.channel.FeedbackByCode(ctx, code)
	}
	s.afterCheck(w, r, base, code, f, err)
}

func (s *server) afterCheck(w http.ResponseWriter, r *http.Request, base *page, code string, f channel.Feedback, err error) {
	switch {
	case err == nil:
		s.renderCheck(w, r, http.StatusOK, base, checkView{Code: code, Item: &f})
	case errors.Is(err, ballast.ErrNotFound), errors.Is(err, ballast.ErrInvalid):
		base.Error = s.cat.T(base.Lang, "fb.check.unknown")
		s.renderCheck(w, r, http.StatusNotFound, base, checkView{NotFound: true})
	default:
		s.fail(w, r, base, err)
	}
}

// handleFeedbackInbox lists anonymous feedback for HR.
func (s *server) handleFeedbackInbox(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	q := r.URL.Query()
	f := channel.FeedbackFilter{Status: channel.FeedbackStatus(q.Get("status")), Category: channel.FeedbackCategory(q.Get("category")),
		Tag: strings.TrimSpace(q.Get("tag")), Cursor: q.Get("cursor"), Limit: 30}
	if f.Status != channel.FeedbackOpen && f.Status != channel.FeedbackResolved {
		f.Status = ""
	}
	if q.Get("mine") == "1" {
		f.AssigneeID = p.Subject
	}
	pg, err := s.channel.ListFeedback(ctx, f)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	keep := url.Values{}
	for _, k := range []string{"status", "category", "tag", "mine"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	var next string
	if pg.NextCursor != "" {
		keep.Set("cursor", pg.NextCursor)
		next = "/feedback/inbox?" + keep.Encode()
	}
	names := map[string]string{}
	type row struct {
		channel.Feedback
		Assignee string
	}
	rows := make([]row, 0, len(pg.Items))
	for _, it := range pg.Items {
		rows = append(rows, row{it, s.name(ctx, names, it.AssigneeID)})
	}
	base.Title = s.cat.T(base.Lang, "fbin.title")
	base.Section = "feedback"
	base.Data = struct {
		Rows       []row
		Categories []option
		Status     string
		Tag        string
		Mine       bool
		Next       string
		CanSubmit  bool
	}{rows, s.categoryOptions(base.Lang, string(f.Category), true), string(f.Status), f.Tag, f.AssigneeID != "", next, base.Nav.Feedback}
	s.render(w, r, http.StatusOK, "feedback_inbox", base)
}

// handleFeedbackItem shows one item with its thread and HR's actions.
func (s *server) handleFeedbackItem(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.renderFeedbackItem(w, r, http.StatusOK, base, p)
}

func (s *server) renderFeedbackItem(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal) {
	ctx := r.Context()
	f, err := s.channel.Feedback(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	type msg struct {
		channel.FeedbackMessage
		Author string
	}
	var msgs []msg
	for _, m := range f.Messages {
		a := s.cat.T(base.Lang, "fb.submitter")
		if m.FromHR {
			a = s.cat.T(base.Lang, "q.hr")
			if m.AuthorID != "" {
				a += " · " + s.name(ctx, names, m.AuthorID)
			}
		}
		msgs = append(msgs, msg{m, a})
	}
	if r.URL.Query().Get("saved") == "1" {
		base.Flash = s.cat.T(base.Lang, "fbin.saved")
	}
	base.Title = s.cat.T(base.Lang, "fbin.item")
	base.Section = "feedback"
	base.Data = struct {
		F        channel.Feedback
		Messages []msg
		Assignee string
		Mine     bool
		Manage   bool
	}{f, msgs, s.name(ctx, names, f.AssigneeID), f.AssigneeID == p.Subject, base.Nav.ManageChannel}
	s.render(w, r, status, "feedback_item", base)
}

// handleFeedbackAction tags, assigns, replies to, resolves or reopens an
// item.
func (s *server) handleFeedbackAction(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	version := parseVersion(r.PostFormValue("version"))
	var err error
	switch r.PathValue("action") {
	case "tags":
		var tags []string
		for _, t := range strings.FieldsFunc(r.PostFormValue("tags"), func(c rune) bool { return c == ',' || c == '，' || c == ';' }) {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
		_, err = s.channel.TagFeedback(ctx, id, tags, version)
	case "assign":
		to := ""
		if r.PostFormValue("to") == "me" {
			to = p.Subject
		}
		_, err = s.channel.AssignFeedback(ctx, id, to, version)
	case "reply":
		_, err = s.channel.ReplyFeedback(ctx, id, r.PostFormValue("body"))
	case "resolve":
		_, err = s.channel.ResolveFeedback(ctx, id, version)
	case "reopen":
		_, err = s.channel.ReopenFeedback(ctx, id, version)
	default:
		err = ballast.ErrNotFound
	}
	switch {
	case err == nil:
		http.Redirect(w, r, "/feedback/inbox/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	case errors.Is(err, ballast.ErrInvalid):
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderFeedbackItem(w, r, http.StatusBadRequest, base, p)
	case errors.Is(err, ballast.ErrConflict):
		base.Error = s.cat.T(base.Lang, "error.conflict.text")
		s.renderFeedbackItem(w, r, http.StatusConflict, base, p)
	default:
		s.fail(w, r, base, err)
	}
}
