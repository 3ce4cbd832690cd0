package api

import (
	"context"
	"net/http"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
)

// The request bodies of the announcement and question routes.
type (
	// announcementUpdate is channel.AnnouncementParams plus the version
	// read (the alternative to If-Match).
	announcementUpdate struct {
		channel.AnnouncementParams
		Version int64 `json:"version,omitempty"`
	}
	// versionBody carries only the version read, for state transitions.
	versionBody struct {
		Version int64 `json:"version,omitempty"`
	}
	// messageBody is the text of a question, answer, reply or follow-up.
	messageBody struct {
		Body string `json:"body"`
	}
	// publicRequest shows or hides an answered question to every recipient.
	publicRequest struct {
		Public  bool  `json:"public"`
		Version int64 `json:"version,omitempty"`
	}
)

var pageQ = []param{
	{"cursor", "string", "next_cursor of the previous page"},
	{"limit", "integer", "page size, default 50, at most 500"},
}

// channelRoutes are the announcement and question operations.
func (s *server) channelRoutes() []route {
	const tag = "channel"
	return []route{
		{method: "GET", path: "/api/announcements", tag: tag, summary: "Every announcement of the tenant, newest first (channel:manage)",
			query: append([]param{{"status", "string", "draft, published or withdrawn"}}, pageQ...), out: channel.AnnouncementPage{}, errors: errsRead, handle: s.announcements},
		{method: "POST", path: "/api/announcements", tag: tag, summary: "Write a draft announcement to all, to departments or to a list of employees (channel:manage)",
			in: channel.AnnouncementParams{}, out: channel.Announcement{}, status: http.StatusCreated, errors: errsWrite, handle: s.createAnnouncement},
		{method: "GET", path: "/api/announcements/{id}", tag: tag, summary: "One announcement: any for channel:manage, else a published one the caller received",
			out: channel.Announcement{}, errors: errsRead, handle: s.announcement},
		{method: "PUT", path: "/api/announcements/{id}", tag: tag, summary: "Replace a draft's title, body and audience (channel:manage); send the version read",
			ifMatch: true, in: announcementUpdate{}, out: channel.Announcement{}, errors: errsWrite, handle: s.updateAnnouncement},
		{method: "POST", path: "/api/announcements/{id}/publish", tag: tag, summary: "Publish a draft: resolve its recipients and notify them (channel:manage)",
			ifMatch: true, in: versionBody{}, out: channel.Announcement{}, errors: errsWrite, handle: s.publishAnnouncement},
		{method: "POST", path: "/api/announcements/{id}/withdraw", tag: tag, summary: "Take a published announcement back (channel:manage)",
			ifMatch: true, in: versionBody{}, out: channel.Announcement{}, errors: errsWrite, handle: s.withdrawAnnouncement},
		{method: "GET", path: "/api/me/announcements", tag: tag, summary: "The published announcements addressed to the caller, newest first, with the caller's read time (channel:read)",
			query: append([]param{{"unread_only", "boolean", "only the ones not yet marked read"}}, pageQ...), out: channel.InboxPage{}, errors: errsRead, handle: s.inbox},
		{method: "POST", path: "/api/announcements/{id}/read", tag: tag, summary: "Mark an announcement read (idempotent; the first read time stays)",
			out: channel.Receipt{}, errors: errsWrite, handle: s.markRead},
		{method: "GET", path: "/api/announcements/{id}/receipts", tag: tag, summary: "Who has and has not read an announcement (channel:manage)",
			out: channel.ReceiptReport{}, errors: errsRead, handle: s.receipts},
		{method: "GET", path: "/api/announcements/{id}/questions", tag: tag, summary: "The question threads under an announcement: all for channel:manage, else one's own and the public ones",
			out: []channel.Question{}, errors: errsRead, handle: s.questions},
		{method: "POST", path: "/api/announcements/{id}/questions", tag: tag, summary: "Ask HR a question under an announcement one received (channel:post)",
			in: messageBody{}, out: channel.Question{}, status: http.StatusCreated, errors: errsWrite, handle: s.ask},
		{method: "GET", path: "/api/questions/unanswered", tag: tag, summary: "Questions waiting for HR longer than older_than, longest first (channel:manage)",
			query: []param{{"older_than", "string", "a duration such as 72h (default: the server's overdue setting, three days)"}},
			out:   []channel.Question{}, errors: errsRead, handle: s.unanswered},
		{method: "GET", path: "/api/questions/{id}", tag: tag, summary: "One question thread with its messages",
			out: channel.Question{}, errors: errsRead, handle: s.question},
		{method: "POST", path: "/api/questions/{id}/messages", tag: tag, summary: "Continue a thread: the asker's follow-up (channel:post) or HR's answer (channel:manage)",
			in: messageBody{}, out: channel.Message{}, status: http.StatusCreated, errors: errsWrite, handle: s.replyQuestion},
		{method: "PUT", path: "/api/questions/{id}/public", tag: tag, summary: "Show an answered question to every recipient without the asker's name, or hide it (channel:manage)",
			ifMatch: true, in: publicRequest{}, out: channel.Question{}, errors: errsWrite, handle: s.setQuestionPublic},
	}
}

func (s *server) announcements(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	f := channel.AnnouncementFilter{
		Status: channel.Status(r.URL.Query().Get("status")),
		Cursor: r.URL.Query().Get("cursor"),
		Limit:  queryInt(r, "limit", &v),
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, err := s.channel.Announcements(r.Context(), f)
	if err != nil {
		return err
	}
	page.Announcements = nonNil(page.Announcements)
	return writeJSON(w, http.StatusOK, page)
}

func (s *server) createAnnouncement(w http.ResponseWriter, r *http.Request) error {
	var in channel.AnnouncementParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.channel.CreateAnnouncement(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/announcements/"+a.ID)
	return writeVersioned(w, http.StatusCreated, a, a.Version)
}

func (s *server) announcement(w http.ResponseWriter, r *http.Request) error {
	a, err := s.channel.Announcement(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) updateAnnouncement(w http.ResponseWriter, r *http.Request) error {
	var in announcementUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	a, err := s.channel.UpdateAnnouncement(r.Context(), r.PathValue("id"), in.AnnouncementParams, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) publishAnnouncement(w http.ResponseWriter, r *http.Request) error {
	return s.transitionAnnouncement(w, r, s.channel.PublishAnnouncement)
}

func (s *server) withdrawAnnouncement(w http.ResponseWriter, r *http.Request) error {
	return s.transitionAnnouncement(w, r, s.channel.WithdrawAnnouncement)
}

// transitionAnnouncement runs a versioned state change. The body may be
// empty when If-Match carries the version.
func (s *server) transitionAnnouncement(w http.ResponseWriter, r *http.Request,
	fn func(ctx context.Context, id string, version int64) (channel.Announcement, error)) error {
	v, err := versionFromBody(r)
	if err != nil {
		return err
	}
	a, err := fn(r.Context(), r.PathValue("id"), v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

// versionFromBody reads the version of a transition: If-Match, else a
// {"version": n} body, else ?version=. A request with If-Match needs no
// body.
func versionFromBody(r *http.Request) (int64, error) {
	var in versionBody
	if r.Header.Get("If-Match") == "" && r.ContentLength != 0 && r.Header.Get("Content-Type") != "" {
		if err := decodeJSON(r, &in); err != nil {
			return 0, err
		}
	}
	return version(r, &in.Version)
}

func (s *server) inbox(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	f := channel.InboxFilter{
		UnreadOnly: queryBool(r, "unread_only", &v),
		Cursor:     r.URL.Query().Get("cursor"),
		Limit:      queryInt(r, "limit", &v),
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, err := s.channel.Inbox(r.Context(), f)
	if err != nil {
		return err
	}
	page.Items = nonNil(page.Items)
	return writeJSON(w, http.StatusOK, page)
}

func (s *server) markRead(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.channel.MarkRead(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rc)
}

func (s *server) receipts(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.channel.Receipts(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	rep.Receipts = nonNil(rep.Receipts)
	return writeJSON(w, http.StatusOK, rep)
}

func (s *server) questions(w http.ResponseWriter, r *http.Request) error {
	qs, err := s.channel.Questions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(qs))
}

func (s *server) ask(w http.ResponseWriter, r *http.Request) error {
	var in messageBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	q, err := s.channel.Ask(r.Context(), r.PathValue("id"), in.Body)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/questions/"+q.ID)
	return writeVersioned(w, http.StatusCreated, q, q.Version)
}

func (s *server) unanswered(w http.ResponseWriter, r *http.Request) error {
	var olderThan time.Duration
	if q := r.URL.Query().Get("older_than"); q != "" {
		d, err := time.ParseDuration(q)
		if err != nil || d < 0 {
			return ballast.Invalid("older_than", "must be a non-negative duration such as 72h")
		}
		olderThan = d
	}
	qs, err := s.channel.Unanswered(r.Context(), olderThan)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(qs))
}

func (s *server) question(w http.ResponseWriter, r *http.Request) error {
	q, err := s.channel.Question(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, q, q.Version)
}

func (s *server) replyQuestion(w http.ResponseWriter, r *http.Request) error {
	var in messageBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.channel.Reply(r.Context(), r.PathValue("id"), in.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *server) setQuestionPublic(w http.ResponseWriter, r *http.Request) error {
	var in publicRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	q, err := s.channel.SetQuestionPublic(r.Context(), r.PathValue("id"), in.Public, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, q, q.Version)
}
