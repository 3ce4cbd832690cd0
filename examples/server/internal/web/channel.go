package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
)

// channelRoutes registers the announcement and question pages.
func (s *server) channelRoutes(mux *http.ServeMux) {
	mux.Handle("GET /announcements", s.signedIn(s.handleInbox))
	mux.Handle("GET /announcements/manage", s.signedIn(s.handleAnnouncementsManage))
	mux.Handle("POST /announcements", s.signedIn(s.handleAnnouncementCreate))
	mux.Handle("GET /announcements/{id}", s.signedIn(s.handleAnnouncement))
	mux.Handle("POST /announcements/{id}/publish", s.signedIn(s.handleAnnouncementState))
	mux.Handle("POST /announcements/{id}/withdraw", s.signedIn(s.handleAnnouncementState))
	mux.Handle("GET /announcements/{id}/receipts", s.signedIn(s.handleReceipts))
	mux.Handle("POST /announcements/{id}/questions", s.signedIn(s.handleAsk))
	mux.Handle("POST /questions/{id}/reply", s.signedIn(s.handleQuestionReply))
	mux.Handle("POST /questions/{id}/public", s.signedIn(s.handleQuestionPublic))
	mux.Handle("GET /questions/unanswered", s.signedIn(s.handleUnanswered))
}

// handleInbox lists the announcements addressed to the principal, unread
// ones marked.
func (s *server) handleInbox(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	f := channel.InboxFilter{UnreadOnly: r.URL.Query().Get("unread") == "1", Cursor: r.URL.Query().Get("cursor"), Limit: 25}
	pg, err := s.channel.Inbox(ctx, f)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	var next string
	if pg.NextCursor != "" {
		v := url.Values{"cursor": {pg.NextCursor}}
		if f.UnreadOnly {
			v.Set("unread", "1")
		}
		next = "/announcements?" + v.Encode()
	}
	base.Title = s.cat.T(base.Lang, "ann.title")
	base.Section = "announcements"
	base.Data = struct {
		Items      []channel.InboxItem
		UnreadOnly bool
		Unread     int
		Next       string
		Manage     bool
	}{pg.Items, f.UnreadOnly, base.Nav.Unread, next, base.Nav.ManageChannel}
	s.render(w, r, http.StatusOK, "announcements", base)
}

// announcementView is the announcement page.
type announcementView struct {
	A         channel.Announcement
	Body      template.HTML
	Author    string
	Questions []questionView
	CanAsk    bool
	Manage    bool
	Recipient bool
}

// questionView is one question thread with its authors named.
type questionView struct {
	channel.Question
	Asker    string
	Messages []messageView
	Mine     bool
}

// messageView is one message of a thread.
type messageView struct {
	channel.Message
	Author string
}

// handleAnnouncement shows one announcement, rendered from Markdown with
// everything escaped, marks it read for a recipient, and shows its
// questions.
func (s *server) handleAnnouncement(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.renderAnnouncement(w, r, http.StatusOK, base, p)
}

func (s *server) renderAnnouncement(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal) {
	ctx := r.Context()
	id := r.PathValue("id")
	a, err := s.channel.Announcement(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	v := &announcementView{A: a, Body: markdown(a.Body), Manage: base.Nav.ManageChannel}
	names := map[string]string{}
	v.Author = s.actorName(ctx, base.Lang, names, a.AuthorID)
	if a.Status == channel.StatusPublished {
		switch _, err := s.channel.MarkRead(ctx, id); {
		case err == nil:
			v.Recipient = true
		case errors.Is(err, ballast.ErrForbidden), errors.Is(err, ballast.ErrNotFound):
		default:
			s.fail(w, r, base, err)
			return
		}
		if v.Recipient && base.Nav.Unread > 0 {
			// The badge was counted before this read.
			if pg, err := s.channel.Inbox(ctx, channel.InboxFilter{UnreadOnly: true, Limit: 100}); err == nil {
				base.Nav.Unread = len(pg.Items)
			}
		}
	}
	qs, err := s.channel.Questions(ctx, id)
	if err != nil && !errors.Is(err, ballast.ErrForbidden) {
		s.fail(w, r, base, err)
		return
	}
	for _, q := range qs {
		qv := questionView{Question: q, Mine: q.AskerID == p.Subject}
		if q.AskerID != "" {
			qv.Asker = s.name(ctx, names, q.AskerID)
		}
		for _, m := range q.Messages {
			mv := messageView{Message: m}
			switch {
			case m.FromHR:
				mv.Author = s.cat.T(base.Lang, "q.hr")
				if m.AuthorID != "" && v.Manage {
					mv.Author += " · " + s.name(ctx, names, m.AuthorID)
				}
			case m.AuthorID != "":
				mv.Author = s.name(ctx, names, m.AuthorID)
			default:
				mv.Author = s.cat.T(base.Lang, "q.colleague")
			}
			qv.Messages = append(qv.Messages, mv)
		}
		v.Questions = append(v.Questions, qv)
	}
	v.CanAsk = v.Recipient && s.allowed(ctx, permChannelPost)
	switch r.URL.Query().Get("saved") {
	case "asked":
		base.Flash = s.cat.T(base.Lang, "q.asked")
	case "replied":
		base.Flash = s.cat.T(base.Lang, "q.replied")
	case "published":
		base.Flash = s.cat.T(base.Lang, "ann.published.flash")
	}
	base.Title = a.Title
	base.Section = "announcements"
	base.Data = v
	s.render(w, r, status, "announcement", base)
}

// handleAsk opens a question thread under an announcement.
func (s *server) handleAsk(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	_, err := s.channel.Ask(r.Context(), id, strings.TrimSpace(r.PostFormValue("body")))
	s.afterAnnouncementChange(w, r, base, p, "/announcements/"+url.PathEscape(id), "asked", err)
}

// handleQuestionReply adds a message to a thread: the asker continues it,
// HR answers.
func (s *server) handleQuestionReply(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	q, err := s.channel.Question(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	_, err = s.channel.Reply(ctx, q.ID, strings.TrimSpace(r.PostFormValue("body")))
	back := "/announcements/" + url.PathEscape(q.AnnouncementID)
	if r.PostFormValue("from") == "unanswered" && err == nil {
		http.Redirect(w, r, "/questions/unanswered?saved=1", http.StatusSeeOther)
		return
	}
	r.SetPathValue("id", q.AnnouncementID)
	s.afterAnnouncementChange(w, r, base, p, back, "replied", err)
}

// handleQuestionPublic shows an answered thread to every recipient, or
// hides it again (HR).
func (s *server) handleQuestionPublic(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	q, err := s.channel.SetQuestionPublic(ctx, r.PathValue("id"), r.PostFormValue("public") == "1", version)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	http.Redirect(w, r, "/announcements/"+url.PathEscape(q.AnnouncementID)+"?saved=replied", http.StatusSeeOther)
}

// afterAnnouncementChange redirects to back, or shows the announcement
// again with the error of a bad message.
func (s *server) afterAnnouncementChange(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal, back, flash string, err error) {
	if err == nil {
		http.Redirect(w, r, back+"?saved="+flash, http.StatusSeeOther)
		return
	}
	if errors.Is(err, ballast.ErrInvalid) {
		base.Error = s.cat.T(base.Lang, "q.error.invalid")
		s.renderAnnouncement(w, r, http.StatusBadRequest, base, p)
		return
	}
	s.fail(w, r, base, err)
}

// handleReceipts shows HR who has and has not read an announcement.
func (s *server) handleReceipts(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	id := r.PathValue("id")
	rep, err := s.channel.Receipts(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	a, err := s.channel.Announcement(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	depts := map[string]string{}
	if ds, err := s.hr.Departments(ctx); err == nil {
		for _, d := range ds {
			depts[d.ID] = departmentPath(ds, d.ID)
		}
	}
	var unread, read []channel.Receipt
	for _, rc := range rep.Receipts {
		if rc.ReadAt.IsZero() {
			unread = append(unread, rc)
		} else {
			read = append(read, rc)
		}
	}
	base.Title = s.cat.T(base.Lang, "rcpt.title")
	base.Section = "announcements"
	base.Data = struct {
		A            channel.Announcement
		Report       channel.ReceiptReport
		Unread, Read []channel.Receipt
		Departments  map[string]string
		Percent      string
	}{a, rep, unread, read, depts, pctOf(rep.Read, rep.Total)}
	s.render(w, r, http.StatusOK, "receipts", base)
}

// pctOf is n of total as a whole percentage.
func pctOf(n, total int) string {
	if total <= 0 {
		return "0%"
	}
	return strconv.Itoa((n*100+total/2)/total) + "%"
}

// unansweredRow is a question waiting for HR, with its announcement.
type unansweredRow struct {
	channel.Question
	Asker string
	Title string
}

// handleUnanswered lists the questions waiting for HR longer than the
// configured time (or any time with ?all=1), longest first.
func (s *server) handleUnanswered(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	all := r.URL.Query().Get("all") == "1"
	age := time.Duration(0) // the service's configured overdue time
	if all {
		age = time.Nanosecond
	}
	qs, err := s.channel.Unanswered(ctx, age)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	titles := map[string]string{}
	rows := make([]unansweredRow, 0, len(qs))
	for _, q := range qs {
		t, ok := titles[q.AnnouncementID]
		if !ok {
			if a, err := s.channel.Announcement(ctx, q.AnnouncementID); err == nil {
				t = a.Title
			}
			titles[q.AnnouncementID] = t
		}
		if full, err := s.channel.Question(ctx, q.ID); err == nil {
			q = full
		}
		rows = append(rows, unansweredRow{Question: q, Asker: s.name(ctx, names, q.AskerID), Title: t})
	}
	if r.URL.Query().Get("saved") == "1" {
		base.Flash = s.cat.T(base.Lang, "q.replied")
	}
	base.Title = s.cat.T(base.Lang, "unans.title")
	base.Section = "announcements"
	base.Data = struct {
		Rows []unansweredRow
		All  bool
	}{rows, all}
	s.render(w, r, http.StatusOK, "unanswered", base)
}
