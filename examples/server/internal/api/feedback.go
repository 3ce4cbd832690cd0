package api

import (
	"context"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
)

// Anonymous feedback. The submission needs a signed-in employee
// (feedback:submit), but the service drops the identity right after that
// check, and nothing on these paths logs it: the request log records only
// method, path, status and duration for every request (see app/log.go),
// and the follow-up code travels in the body, never in a URL. Reading the
// thread and continuing it by code need no session at all: the handler
// acts as a system principal of the tenant named in the body (or of the
// caller's session), so not even an accidental session links the code to
// a login.

// The request bodies of the feedback routes.
type (
	// codeRequest reads a thread by its follow-up code. Tenant names the
	// company when the caller has no session; it is ignored otherwise.
	codeRequest struct {
		Tenant string `json:"tenant,omitempty"`
		Code   string `json:"code"`
	}
	// codeReply continues a thread by its follow-up code.
	codeReply struct {
		Tenant string `json:"tenant,omitempty"`
		Code   string `json:"code"`
		Body   string `json:"body"`
	}
	// tagsRequest replaces an item's tags.
	tagsRequest struct {
		Tags    []string `json:"tags"`
		Version int64    `json:"version,omitempty"`
	}
	// assignRequest hands an item to an HR subject ("" unassigns).
	assignRequest struct {
		AssigneeID string `json:"assignee_id"`
		Version    int64  `json:"version,omitempty"`
	}
)

// CodeSubject is the subject of the system principal the follow-up code
// routes act as: the code is the credential, nobody's login is.
const CodeSubject = "feedback-follow-up-code"

// feedbackRoutes are the anonymous-feedback operations.
func (s *server) feedbackRoutes() []route {
	const tag = "feedback"
	return []route{
		{method: "POST", path: "/api/feedback", tag: tag, summary: "Send anonymous feedback (feedback:submit). The identity is checked, then dropped: not stored, audited or logged. The answer's code, shown once, reads HR's replies",
			in: channel.FeedbackParams{}, out: channel.Submission{}, status: http.StatusCreated, errors: errsWrite, handle: s.submitFeedback},
		{method: "POST", path: "/api/feedback/by-code", tag: tag, summary: "Read one's feedback thread with its follow-up code; no session needed (the code is in the body so that no URL or log carries it)",
			public: true, in: codeRequest{}, out: channel.Feedback{}, errors: errsWrite, handle: s.feedbackByCode},
		{method: "POST", path: "/api/feedback/by-code/messages", tag: tag, summary: "Continue one's feedback thread with its follow-up code; no session needed",
			public: true, in: codeReply{}, out: channel.Feedback{}, errors: errsWrite, handle: s.replyByCode},
		{method: "GET", path: "/api/feedback", tag: tag, summary: "Anonymous feedback, newest day first (feedback:read)",
			query: append([]param{
				{"status", "string", "open or resolved"},
				{"category", "string", "general, management, workplace, compensation, integrity or other"},
				{"tag", "string", "only items with this tag"},
				{"assignee_id", "string", "only items assigned to this HR subject"},
			}, pageQ...), out: channel.FeedbackPage{}, errors: errsRead, handle: s.listFeedback},
		{method: "GET", path: "/api/feedback/{id}", tag: tag, summary: "One feedback item with its thread (feedback:read)",
			out: channel.Feedback{}, errors: errsRead, handle: s.feedback},
		{method: "PUT", path: "/api/feedback/{id}/tags", tag: tag, summary: "Replace an item's tags (feedback:read and channel:manage)",
			ifMatch: true, in: tagsRequest{}, out: channel.Feedback{}, errors: errsWrite, handle: s.tagFeedback},
		{method: "PUT", path: "/api/feedback/{id}/assignee", tag: tag, summary: "Assign an item to an HR person, or unassign it with an empty assignee_id (feedback:read and channel:manage)",
			ifMatch: true, in: assignRequest{}, out: channel.Feedback{}, errors: errsWrite, handle: s.assignFeedback},
		{method: "POST", path: "/api/feedback/{id}/replies", tag: tag, summary: "Reply to an item; the submitter reads it with their code (feedback:read and channel:manage)",
			in: messageBody{}, out: channel.FeedbackMessage{}, status: http.StatusCreated, errors: errsWrite, handle: s.replyFeedback},
		{method: "POST", path: "/api/feedback/{id}/resolve", tag: tag, summary: "Mark an open item resolved (feedback:read and channel:manage)",
			ifMatch: true, in: versionBody{}, out: channel.Feedback{}, errors: errsWrite, handle: s.resolveFeedback},
		{method: "POST", path: "/api/feedback/{id}/reopen", tag: tag, summary: "Reopen a resolved item (feedback:read and channel:manage)",
			ifMatch: true, in: versionBody{}, out: channel.Feedback{}, errors: errsWrite, handle: s.reopenFeedback},
	}
}

func (s *server) submitFeedback(w http.ResponseWriter, r *http.Request) error {
	var in channel.FeedbackParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sub, err := s.channel.SubmitFeedback(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, sub)
}

// codeContext returns a context carrying only a system principal of the
// tenant the code belongs to: the body's tenant, else the session's. The
// caller's own principal, if any, is not passed on.
func codeContext(r *http.Request, tenant, code string) (context.Context, error) {
	var v ballast.ValidationError
	if tenant == "" {
		if p, err := ballast.PrincipalFrom(r.Context()); err == nil {
			tenant = p.Tenant
		}
	}
	switch {
	case tenant == "":
		v.Add("tenant", "is required without a session")
	case !ballast.ValidID(tenant):
		v.Add("tenant", "is not a valid id")
	}
	if code == "" {
		v.Add("code", "is required")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return ballast.WithPrincipal(r.Context(), ballast.Principal{Tenant: tenant, Subject: CodeSubject, Kind: ballast.KindSystem}), nil
}

func (s *server) feedbackByCode(w http.ResponseWriter, r *http.Request) error {
	var in codeRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ctx, err := codeContext(r, in.Tenant, in.Code)
	if err != nil {
		return err
	}
	f, err := s.channel.FeedbackByCode(ctx, in.Code)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, f)
}

func (s *server) replyByCode(w http.ResponseWriter, r *http.Request) error {
	var in codeReply
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ctx, err := codeContext(r, in.Tenant, in.Code)
	if err != nil {
		return err
	}
	f, err := s.channel.ReplyByCode(ctx, in.Code, in.Body)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, f)
}

func (s *server) listFeedback(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	q := r.URL.Query()
	f := channel.FeedbackFilter{
		Status:     channel.FeedbackStatus(q.Get("status")),
		Category:   channel.FeedbackCategory(q.Get("category")),
		Tag:        q.Get("tag"),
		AssigneeID: q.Get("assignee_id"),
		Cursor:     q.Get("cursor"),
		Limit:      queryInt(r, "limit", &v),
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, err := s.channel.ListFeedback(r.Context(), f)
	if err != nil {
		return err
	}
	page.Items = nonNil(page.Items)
	return writeJSON(w, http.StatusOK, page)
}

func (s *server) feedback(w http.ResponseWriter, r *http.Request) error {
	f, err := s.channel.Feedback(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, f, f.Version)
}

func (s *server) tagFeedback(w http.ResponseWriter, r *http.Request) error {
	var in tagsRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	f, err := s.channel.TagFeedback(r.Context(), r.PathValue("id"), in.Tags, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, f, f.Version)
}

func (s *server) assignFeedback(w http.ResponseWriter, r *http.Request) error {
	var in assignRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	f, err := s.channel.AssignFeedback(r.Context(), r.PathValue("id"), in.AssigneeID, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, f, f.Version)
}

func (s *server) replyFeedback(w http.ResponseWriter, r *http.Request) error {
	var in messageBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.channel.ReplyFeedback(r.Context(), r.PathValue("id"), in.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *server) resolveFeedback(w http.ResponseWriter, r *http.Request) error {
	return s.transitionFeedback(w, r, s.channel.ResolveFeedback)
}

func (s *server) reopenFeedback(w http.ResponseWriter, r *http.Request) error {
	return s.transitionFeedback(w, r, s.channel.ReopenFeedback)
}

func (s *server) transitionFeedback(w http.ResponseWriter, r *http.Request,
	fn func(ctx context.Context, id string, version int64) (channel.Feedback, error)) error {
	v, err := versionFromBody(r)
	if err != nil {
		return err
	}
	f, err := fn(r.Context(), r.PathValue("id"), v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, f, f.Version)
}
