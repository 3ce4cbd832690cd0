package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
)

// Multirater is what the API calls on 360 feedback rounds;
// *multirater.Service implements it. No method returns an anonymous
// rater's identity with their answers: reports show groups over their
// threshold only, comments without raters, in a shuffled order.
type Multirater interface {
	Settings(ctx context.Context) (multirater.Settings, error)
	UpdateSettings(ctx context.Context, st multirater.Settings, version int64) (multirater.Settings, error)

	CreateRound(ctx context.Context, p multirater.RoundParams) (multirater.Round, error)
	AddReviewees(ctx context.Context, roundID string, employeeIDs []string) (multirater.Round, error)
	Round(ctx context.Context, id string) (multirater.Round, error)
	Rounds(ctx context.Context, cycleID string) ([]multirater.Round, error)
	Reviewees(ctx context.Context, roundID, after string, limit int) ([]multirater.Reviewee, error)
	OpenRound(ctx context.Context, id string, version int64) (multirater.Round, error)
	CloseRound(ctx context.Context, id string, version int64) (multirater.Round, error)
	SetDeadlines(ctx context.Context, id string, nominationDue, responseDue hr.Date, version int64) (multirater.Round, error)
	Progress(ctx context.Context, roundID string) (multirater.Progress, error)

	Nominate(ctx context.Context, p multirater.NominateParams) ([]multirater.Nomination, error)
	DecideNomination(ctx context.Context, id string, approve bool, reason string, version int64) (multirater.Nomination, error)
	Nominations(ctx context.Context, roundID, revieweeID string) ([]multirater.Nomination, error)
	PendingNominations(ctx context.Context, roundID, after string, limit int) ([]multirater.Nomination, error)

	MyAssignments(ctx context.Context, roundID string) ([]multirater.Assignment, error)
	Draft(ctx context.Context, assignmentID string) (multirater.Answers, error)
	SaveDraft(ctx context.Context, assignmentID string, ans multirater.Answers) (multirater.Assignment, error)
	Submit(ctx context.Context, assignmentID string, ans multirater.Answers) (multirater.Assignment, error)

	Report(ctx context.Context, roundID, revieweeID string) (multirater.Report, error)
	Results(ctx context.Context, roundID string, fn func(multirater.Summary) error) error
}

// The request bodies of the 360 routes.
type (
	// revieweesRequest adds reviewees to a nominating round.
	revieweesRequest struct {
		EmployeeIDs []string `json:"employee_ids"`
	}
	// roundDeadlines moves a round's deadlines.
	roundDeadlines struct {
		NominationDue hr.Date `json:"nomination_due"`
		ResponseDue   hr.Date `json:"response_due"`
		Version       int64   `json:"version,omitempty"`
	}
	// nominateRequest nominates peers or others for a reviewee (the
	// reviewee themself by default).
	nominateRequest struct {
		RevieweeID string           `json:"reviewee_id,omitempty"`
		Group      multirater.Group `json:"group"`
		RaterIDs   []string         `json:"rater_ids"`
	}
	// nominationDecision approves or rejects a nomination; a rejection
	// needs a reason.
	nominationDecision struct {
		Approve bool   `json:"approve"`
		Reason  string `json:"reason,omitempty"`
		Version int64  `json:"version,omitempty"`
	}
)

var page360Q = []param{
	{"after", "string", "the last ID of the previous page"},
	{"limit", "integer", "page size, default 100, at most 1000"},
}

// multiraterRoutes are the 360 feedback operations.
func (s *server) multiraterRoutes() []route {
	const tag = "360"
	rd := "/api/360/rounds/{id}"
	as := "/api/360/assignments/{id}"
	return []route{
		{method: "GET", path: "/api/360/settings", tag: tag, summary: "The tenant's 360 settings: anonymity thresholds per group, reviews per rater, blind-spot gap, reminders",
			out: multirater.Settings{}, errors: errsRead, handle: s.settings360},
		{method: "PUT", path: "/api/360/settings", tag: tag, summary: "Replace the tenant's 360 settings (assessment:manage); rounds keep the settings they were created with",
			ifMatch: true, in: multirater.Settings{}, out: multirater.Settings{}, errors: errsWrite, handle: s.updateSettings360},

		{method: "GET", path: "/api/360/rounds", tag: tag, summary: "The 360 rounds of a review cycle (all without cycle_id), oldest first",
			query: []param{{"cycle_id", "string", "only the rounds of this review cycle"}}, out: []multirater.Round{}, errors: errsRead, handle: s.rounds},
		{method: "POST", path: "/api/360/rounds", tag: tag, summary: "Create a round of a cycle: questionnaire (dimensions × questions, scale), reviewees, deadlines (assessment:manage)",
			in: multirater.RoundParams{}, out: multirater.Round{}, status: http.StatusCreated, errors: errsWrite, handle: s.createRound},
		{method: "GET", path: rd, tag: tag, summary: "One round with its questionnaire",
			out: multirater.Round{}, errors: errsRead, handle: s.round},
		{method: "GET", path: rd + "/reviewees", tag: tag, summary: "The reviewees of a round with their managers (assessment:manage)",
			query: page360Q, out: []multirater.Reviewee{}, errors: errsRead, handle: s.reviewees},
		{method: "POST", path: rd + "/reviewees", tag: tag, summary: "Add reviewees to a nominating round (assessment:manage)",
			in: revieweesRequest{}, out: multirater.Round{}, errors: errsWrite, handle: s.addReviewees},
		{method: "POST", path: rd + "/open", tag: tag, summary: "Start collecting responses (assessment:manage)",
			ifMatch: true, in: versionRequest{}, out: multirater.Round{}, errors: errsWrite, handle: s.roundTransition(s.openRound)},
		{method: "POST", path: rd + "/close", tag: tag, summary: "Close the round: reports become available and nothing changes any more (assessment:manage)",
			ifMatch: true, in: versionRequest{}, out: multirater.Round{}, errors: errsWrite, handle: s.roundTransition(s.closeRound)},
		{method: "PUT", path: rd + "/deadlines", tag: tag, summary: "Move the nomination and response deadlines (assessment:manage)",
			ifMatch: true, in: roundDeadlines{}, out: multirater.Round{}, errors: errsWrite, handle: s.roundDeadlines},
		{method: "GET", path: rd + "/progress", tag: tag, summary: "Assignments per group and status: counts, never who answered (assessment:manage)",
			out: multirater.Progress{}, errors: errsRead, handle: s.roundProgress},
		{method: "GET", path: rd + "/results", tag: tag, summary: "Every reviewee's summary of a closed round as JSON lines: others' score per dimension, self-rating, blind spots (assessment:manage)",
			outMedia: mediaNDJSON, errors: errsRead, handle: s.roundResults},

		{method: "GET", path: rd + "/nominations", tag: tag, summary: "The raters of a reviewee with their approval status, never whether they answered (the reviewee, their manager or HR)",
			query: []param{{"reviewee_id", "string", "whose raters (default: the caller)"}}, out: []multirater.Nomination{}, errors: errsRead, handle: s.nominations},
		{method: "POST", path: rd + "/nominations", tag: tag, summary: "Nominate peers or others for a reviewee (the reviewee, or HR); never oneself, within each rater's load limit",
			in: nominateRequest{}, out: []multirater.Nomination{}, status: http.StatusCreated, errors: errsWrite, handle: s.nominate},
		{method: "GET", path: rd + "/pending-nominations", tag: tag, summary: "The nominations waiting for the caller's approval (the reviewees' manager, or HR)",
			query: page360Q, out: []multirater.Nomination{}, errors: errsRead, handle: s.pendingNominations},
		{method: "POST", path: "/api/360/nominations/{id}/decide", tag: tag, summary: "Approve or reject a nomination (the reviewee's manager or HR); a rejection needs a reason",
			ifMatch: true, in: nominationDecision{}, out: multirater.Nomination{}, errors: errsWrite, handle: s.decideNomination},

		{method: "GET", path: "/api/me/360-assignments", tag: tag, summary: "The reviews the signed-in user is asked to write (open and submitted)",
			query: []param{{"round_id", "string", "only this round"}}, out: []multirater.Assignment{}, errors: errsRead, handle: s.myAssignments},
		{method: "GET", path: as + "/draft", tag: tag, summary: "The rater's saved answers of an assignment (the rater only)",
			out: multirater.Answers{}, errors: errsRead, handle: s.assignmentDraft},
		{method: "PUT", path: as + "/draft", tag: tag, summary: "Save a partial draft of the answers (the rater only)",
			in: multirater.Answers{}, out: multirater.Assignment{}, errors: errsWrite, handle: s.saveAssignmentDraft},
		{method: "POST", path: as + "/submit", tag: tag, summary: "Submit the answers, every question rated, before the response deadline (the rater only)",
			in: multirater.Answers{}, out: multirater.Assignment{}, errors: errsWrite, handle: s.submitAssignment},

		{method: "GET", path: rd + "/reports/{employee}", tag: tag, summary: "A reviewee's report of a closed round: groups over their anonymity threshold only, anonymous comments shuffled and unnamed, blind spots and hidden strengths",
			out: multirater.Report{}, errors: errsRead, handle: s.report360},
	}
}

func (s *server) settings360(w http.ResponseWriter, r *http.Request) error {
	st, err := s.multirater.Settings(r.Context())
	if err != nil {
		return err
	}
	st.ReminderDays = nonNil(st.ReminderDays)
	return writeVersioned(w, http.StatusOK, st, st.Version)
}

func (s *server) updateSettings360(w http.ResponseWriter, r *http.Request) error {
	var in multirater.Settings
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	st, err := s.multirater.UpdateSettings(r.Context(), in, v)
	if err != nil {
		return err
	}
	st.ReminderDays = nonNil(st.ReminderDays)
	return writeVersioned(w, http.StatusOK, st, st.Version)
}

func (s *server) rounds(w http.ResponseWriter, r *http.Request) error {
	out, err := s.multirater.Rounds(r.Context(), r.URL.Query().Get("cycle_id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) createRound(w http.ResponseWriter, r *http.Request) error {
	var in multirater.RoundParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rd, err := s.multirater.CreateRound(r.Context(), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, rd, rd.Version)
}

func (s *server) round(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.multirater.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, rd, rd.Version)
}

func (s *server) reviewees(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	limit := queryInt(r, "limit", &v)
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.multirater.Reviewees(r.Context(), r.PathValue("id"), r.URL.Query().Get("after"), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) addReviewees(w http.ResponseWriter, r *http.Request) error {
	var in revieweesRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rd, err := s.multirater.AddReviewees(r.Context(), r.PathValue("id"), in.EmployeeIDs)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, rd, rd.Version)
}

func (s *server) openRound(ctx context.Context, id string, v int64) (multirater.Round, error) {
	return s.multirater.OpenRound(ctx, id, v)
}

func (s *server) closeRound(ctx context.Context, id string, v int64) (multirater.Round, error) {
	return s.multirater.CloseRound(ctx, id, v)
}

// roundTransition handles a state change of the round in the path, based
// on the version read.
func (s *server) roundTransition(move func(context.Context, string, int64) (multirater.Round, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in versionRequest
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		v, err := version(r, &in.Version)
		if err != nil {
			return err
		}
		rd, err := move(r.Context(), r.PathValue("id"), v)
		if err != nil {
			return err
		}
		return writeVersioned(w, http.StatusOK, rd, rd.Version)
	}
}

func (s *server) roundDeadlines(w http.ResponseWriter, r *http.Request) error {
	var in roundDeadlines
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	rd, err := s.multirater.SetDeadlines(r.Context(), r.PathValue("id"), in.NominationDue, in.ResponseDue, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, rd, rd.Version)
}

func (s *server) roundProgress(w http.ResponseWriter, r *http.Request) error {
	p, err := s.multirater.Progress(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// roundResults streams the summaries as JSON lines. Nothing is written
// before the first summary, so an error before it is still a problem
// response.
func (s *server) roundResults(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", mediaNDJSON+"; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	enc := json.NewEncoder(w)
	return s.multirater.Results(r.Context(), r.PathValue("id"), func(sum multirater.Summary) error {
		if err := enc.Encode(sum); err != nil {
			return fmt.Errorf("api: encode 360 summary: %w", err)
		}
		return nil
	})
}

func (s *server) nominations(w http.ResponseWriter, r *http.Request) error {
	reviewee := r.URL.Query().Get("reviewee_id")
	if reviewee == "" {
		p, err := ballast.PrincipalFrom(r.Context())
		if err != nil {
			return err
		}
		reviewee = p.Subject
	}
	out, err := s.multirater.Nominations(r.Context(), r.PathValue("id"), reviewee)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) nominate(w http.ResponseWriter, r *http.Request) error {
	var in nominateRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.RevieweeID == "" {
		p, err := ballast.PrincipalFrom(r.Context())
		if err != nil {
			return err
		}
		in.RevieweeID = p.Subject
	}
	out, err := s.multirater.Nominate(r.Context(), multirater.NominateParams{RoundID: r.PathValue("id"), RevieweeID: in.RevieweeID,
		Group: in.Group, RaterIDs: in.RaterIDs})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, nonNil(out))
}

func (s *server) pendingNominations(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	limit := queryInt(r, "limit", &v)
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.multirater.PendingNominations(r.Context(), r.PathValue("id"), r.URL.Query().Get("after"), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) decideNomination(w http.ResponseWriter, r *http.Request) error {
	var in nominationDecision
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	n, err := s.multirater.DecideNomination(r.Context(), r.PathValue("id"), in.Approve, in.Reason, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, n, n.Version)
}

func (s *server) myAssignments(w http.ResponseWriter, r *http.Request) error {
	out, err := s.multirater.MyAssignments(r.Context(), r.URL.Query().Get("round_id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (s *server) assignmentDraft(w http.ResponseWriter, r *http.Request) error {
	ans, err := s.multirater.Draft(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if ans.Scores == nil {
		ans.Scores = map[string]int{}
	}
	return writeJSON(w, http.StatusOK, ans)
}

func (s *server) saveAssignmentDraft(w http.ResponseWriter, r *http.Request) error {
	var in multirater.Answers
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.multirater.SaveDraft(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) submitAssignment(w http.ResponseWriter, r *http.Request) error {
	var in multirater.Answers
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.multirater.Submit(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) report360(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.multirater.Report(r.Context(), r.PathValue("id"), r.PathValue("employee"))
	if err != nil {
		return err
	}
	rep.Groups, rep.Dimensions, rep.Comments = nonNil(rep.Groups), nonNil(rep.Dimensions), nonNil(rep.Comments)
	return writeJSON(w, http.StatusOK, rep)
}
