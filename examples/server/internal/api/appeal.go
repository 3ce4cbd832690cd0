package api

import (
	"context"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
)

// Appeals is what the API calls on appeals; *appeal.Service implements it.
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
	Settings(ctx context.Context) (appeal.Settings, error)
	SetSettings(ctx context.Context, set appeal.Settings, version int64) (appeal.Settings, error)
}

// The request and response bodies of the appeal routes.
type (
	// appealDetail is an appeal with its thread; the ETag is the appeal's
	// version.
	appealDetail struct {
		appeal.Appeal
		Thread []appeal.Message `json:"thread"`
	}
	// replyRequest is one reply to an appeal's thread.
	replyRequest struct {
		Body string `json:"body"`
	}
	// decideRequest decides an appeal: upheld, or adjusted with the new
	// outcome; the reason is required.
	decideRequest struct {
		Result  appeal.Result  `json:"result"`
		After   appeal.Outcome `json:"after"`
		Reason  string         `json:"reason"`
		Version int64          `json:"version,omitempty"`
	}
)

var appealQ = []param{
	{"kind", "string", "only appeals on subjects of this kind, such as assessment.result"},
	{"subject_id", "string", "only appeals on this subject (a result)"},
	{"status", "string", "open, under_review, decided or withdrawn"},
	{"employee_id", "string", "only this employee's appeals (HR's list)"},
	{"after", "string", "next of the previous page"},
	{"limit", "integer", "page size, default 50, at most 500"},
}

// appealRoutes are the appeal operations.
func (s *server) appealRoutes() []route {
	const tag = "appeals"
	a := "/api/appeals/{id}"
	return []route{
		{method: "GET", path: "/api/appeals", tag: tag, summary: "Every appeal of the kinds one manages, by filing order (assessment:manage)",
			query: appealQ, out: appeal.Page{}, errors: errsRead, handle: s.allAppeals},
		{method: "GET", path: "/api/me/appeals", tag: tag, summary: "The appeals the signed-in employee filed",
			query: appealQ, out: appeal.Page{}, errors: errsRead, handle: s.myAppeals},
		{method: "GET", path: "/api/me/appeals-to-answer", tag: tag, summary: "The appeals the signed-in manager answers (pending ones unless status is given)",
			query: appealQ, out: appeal.Page{}, errors: errsRead, handle: s.appealsToAnswer},
		{method: "POST", path: "/api/appeals", tag: tag, summary: "File an appeal on one's own result, whole or one indicator, within the appeal window (assessment:self)",
			in: appeal.FileParams{}, out: appeal.Appeal{}, status: http.StatusCreated, errors: errsWrite, handle: s.fileAppeal},
		{method: "GET", path: a, tag: tag, summary: "An appeal with its thread (the employee, the manager or HR)",
			out: appealDetail{}, errors: errsRead, handle: s.appealDetail},
		{method: "POST", path: a + "/replies", tag: tag, summary: "Reply in an appeal's thread (the employee, the manager or HR) while it is pending",
			in: replyRequest{}, out: appeal.Message{}, status: http.StatusCreated, errors: errsWrite, handle: s.replyAppeal},
		{method: "POST", path: a + "/review", tag: tag, summary: "Take an open appeal under review (assessment:manage)",
			ifMatch: true, in: versionRequest{}, out: appeal.Appeal{}, errors: errsWrite, handle: s.reviewAppeal},
		{method: "POST", path: a + "/decide", tag: tag, summary: "Decide an appeal: upheld, or adjusted with the new score and a reason (assessment:manage); the result follows in the same transaction",
			ifMatch: true, in: decideRequest{}, out: appeal.Appeal{}, errors: errsWrite, handle: s.decideAppeal},
		{method: "POST", path: a + "/withdraw", tag: tag, summary: "Withdraw one's own pending appeal, with a reason",
			ifMatch: true, in: withdrawRequest{}, out: appeal.Appeal{}, errors: errsWrite, handle: s.withdrawAppeal},
		{method: "GET", path: "/api/appeal-settings", tag: tag, summary: "The tenant's appeal settings: reply days, reminders, recipients (assessment:manage)",
			out: appeal.Settings{}, errors: errsRead, handle: s.appealSettings},
		{method: "PUT", path: "/api/appeal-settings", tag: tag, summary: "Replace the tenant's appeal settings (assessment:manage); send the version read (0 for the defaults)",
			ifMatch: true, in: appeal.Settings{}, out: appeal.Settings{}, errors: errsWrite, handle: s.setAppealSettings},
	}
}

// appealFilter decodes the list filter from the query.
func appealFilter(r *http.Request) (appeal.Filter, error) {
	var v ballast.ValidationError
	q := r.URL.Query()
	f := appeal.Filter{Kind: q.Get("kind"), SubjectID: q.Get("subject_id"), EmployeeID: q.Get("employee_id"),
		Status: appeal.Status(q.Get("status")), After: q.Get("after"), Limit: queryInt(r, "limit", &v)}
	return f, v.Err()
}

func (s *server) listAppeals(w http.ResponseWriter, r *http.Request, list func(context.Context, appeal.Filter) (appeal.Page, error)) error {
	f, err := appealFilter(r)
	if err != nil {
		return err
	}
	p, err := list(r.Context(), f)
	if err != nil {
		return err
	}
	p.Appeals = nonNil(p.Appeals)
	return writeJSON(w, http.StatusOK, p)
}

func (s *server) allAppeals(w http.ResponseWriter, r *http.Request) error {
	return s.listAppeals(w, r, s.appeals.All)
}

func (s *server) myAppeals(w http.ResponseWriter, r *http.Request) error {
	return s.listAppeals(w, r, s.appeals.Mine)
}

func (s *server) appealsToAnswer(w http.ResponseWriter, r *http.Request) error {
	return s.listAppeals(w, r, s.appeals.ToAnswer)
}

func (s *server) fileAppeal(w http.ResponseWriter, r *http.Request) error {
	var in appeal.FileParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.appeals.File(r.Context(), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, a, a.Version)
}

func (s *server) appealDetail(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	a, err := s.appeals.Appeal(r.Context(), id)
	if err != nil {
		return err
	}
	th, err := s.appeals.Thread(r.Context(), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, appealDetail{Appeal: a, Thread: nonNil(th)}, a.Version)
}

func (s *server) replyAppeal(w http.ResponseWriter, r *http.Request) error {
	var in replyRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.appeals.Reply(r.Context(), r.PathValue("id"), in.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *server) reviewAppeal(w http.ResponseWriter, r *http.Request) error {
	var in versionRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	a, err := s.appeals.StartReview(r.Context(), r.PathValue("id"), v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) decideAppeal(w http.ResponseWriter, r *http.Request) error {
	var in decideRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	a, err := s.appeals.Decide(r.Context(), appeal.DecideParams{AppealID: r.PathValue("id"), Result: in.Result,
		After: in.After, Reason: in.Reason, Version: v})
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) withdrawAppeal(w http.ResponseWriter, r *http.Request) error {
	var in withdrawRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	a, err := s.appeals.Withdraw(r.Context(), r.PathValue("id"), in.Reason, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) appealSettings(w http.ResponseWriter, r *http.Request) error {
	set, err := s.appeals.Settings(r.Context())
	if err != nil {
		return err
	}
	set.HRRecipients, set.EscalateTo = nonNil(set.HRRecipients), nonNil(set.EscalateTo)
	return writeVersioned(w, http.StatusOK, set, set.Version)
}

func (s *server) setAppealSettings(w http.ResponseWriter, r *http.Request) error {
	var in appeal.Settings
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	set, err := s.appeals.SetSettings(r.Context(), in, v)
	if err != nil {
		return err
	}
	set.HRRecipients, set.EscalateTo = nonNil(set.HRRecipients), nonNil(set.EscalateTo)
	return writeVersioned(w, http.StatusOK, set, set.Version)
}
