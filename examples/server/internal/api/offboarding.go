package api

import (
	"context"
	"encoding/csv"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/offboarding"
)

// Offboarding is what the API calls on offboarding cases;
// *offboarding.Service implements it.
type Offboarding interface {
	Template(ctx context.Context) (offboarding.Template, error)
	SetTemplate(ctx context.Context, t offboarding.Template, version int64) (offboarding.Template, error)
	Resign(ctx context.Context, p offboarding.ResignParams) (offboarding.Case, error)
	Cases(ctx context.Context, f offboarding.CaseFilter) ([]offboarding.Case, error)
	MyCases(ctx context.Context, f offboarding.CaseFilter) ([]offboarding.Case, error)
	Case(ctx context.Context, id string) (offboarding.Case, error)
	Steps(ctx context.Context, caseID string) ([]offboarding.Step, error)
	ChangeLastDay(ctx context.Context, caseID string, lastDay hr.Date, reason string, version int64) (offboarding.Case, error)

	CustomerHandover(ctx context.Context, caseID string) ([]offboarding.HandoverItem, error)
	AssignCustomers(ctx context.Context, caseID string, assign map[string]string) error
	MarkHandedOver(ctx context.Context, caseID string, customerIDs []string, note string) error
	PrepareHandover(ctx context.Context, caseID, successor string) (offboarding.HandoverContent, error)
	SignHandover(ctx context.Context, p offboarding.SignParams) (offboarding.Signature, error)
	Signatures(ctx context.Context, caseID string) ([]offboarding.Signature, error)

	SubmitWorkReport(ctx context.Context, caseID string, r offboarding.WorkReport, version int64) (offboarding.WorkRound, error)
	ReviewWorkReport(ctx context.Context, p offboarding.ReviewParams) (offboarding.WorkRound, error)
	WorkRounds(ctx context.Context, caseID string) ([]offboarding.WorkRound, error)

	ItemReturns(ctx context.Context, caseID string) ([]offboarding.ItemReturn, error)
	ConfirmReturn(ctx context.Context, caseID, assetID string, p assets.ReturnParams) (offboarding.ItemReturn, error)
	RecordMissing(ctx context.Context, caseID, assetID, costNote string) (offboarding.ItemReturn, error)

	CloseStep(ctx context.Context, p offboarding.CloseStepParams) (offboarding.Step, error)
	ForceCloseStep(ctx context.Context, caseID, stepKey, reason string, version int64) (offboarding.Step, error)
	Complete(ctx context.Context, caseID string, version int64) (offboarding.Case, error)
	Withdraw(ctx context.Context, caseID, reason string, version int64) (offboarding.Case, error)
	Report(ctx context.Context, caseID string) (offboarding.Report, error)
}

// The request and response bodies of the offboarding routes.
type (
	// caseDetail is a case with its steps; the ETag is the case's version.
	caseDetail struct {
		offboarding.Case
		Steps []offboarding.Step `json:"steps"`
	}
	// templateCheck answers a template validation that passed.
	templateCheck struct {
		Valid bool `json:"valid"`
	}
	// lastDayChange moves the last working day of an open case.
	lastDayChange struct {
		LastDay hr.Date `json:"last_day"`
		Reason  string  `json:"reason,omitempty"`
		Version int64   `json:"version,omitempty"`
	}
	// customerAssignment maps customer IDs to the successor who receives them.
	customerAssignment struct {
		Assign map[string]string `json:"assign"`
	}
	// handedOverRequest marks customers handed over, with a note.
	handedOverRequest struct {
		CustomerIDs []string `json:"customer_ids"`
		Note        string   `json:"note,omitempty"`
	}
	// signRequest is a successor's signature over the prepared content.
	// Signer defaults to the caller; the client's address and agent are
	// taken from the connection, never from the body.
	signRequest struct {
		Signer string `json:"signer,omitempty"`
		Hash   string `json:"hash"`
	}
	// workReportRequest is a round of the work report and the work step's
	// version.
	workReportRequest struct {
		offboarding.WorkReport
		Version int64 `json:"version,omitempty"`
	}
	// reviewRequest approves or returns the pending round; comments are
	// required to return it.
	reviewRequest struct {
		Comments string `json:"comments,omitempty"`
		Version  int64  `json:"version,omitempty"`
	}
	// closeStepRequest closes a custom step by its rule (confirmation,
	// approval or signature over the note).
	closeStepRequest struct {
		Note    string `json:"note,omitempty"`
		Version int64  `json:"version,omitempty"`
	}
	// forceCloseRequest closes a step with HR's written reason.
	forceCloseRequest struct {
		Reason  string `json:"reason"`
		Version int64  `json:"version,omitempty"`
	}
	// versionRequest carries only the version read.
	versionRequest struct {
		Version int64 `json:"version,omitempty"`
	}
	// withdrawRequest withdraws a resignation, with the reason.
	withdrawRequest struct {
		Reason  string `json:"reason"`
		Version int64  `json:"version,omitempty"`
	}
)

var caseQ = []param{
	{"status", "string", "open, completed or withdrawn"},
	{"employee_id", "string", "only this employee's cases"},
	{"after", "string", "the last case ID of the previous page"},
	{"limit", "integer", "page size, default 50, at most 500"},
}

// offboardingRoutes are the offboarding case operations.
func (s *server) offboardingRoutes() []route {
	const tag = "offboarding"
	c := "/api/offboarding/cases/{id}"
	return []route{
		{method: "GET", path: "/api/offboarding/template", tag: tag, summary: "The tenant's offboarding template, or the built-in default (version 0) (offboarding:manage)",
			out: offboarding.Template{}, errors: errsRead, handle: s.offboardingTemplate},
		{method: "PUT", path: "/api/offboarding/template", tag: tag, summary: "Replace the tenant's template (offboarding:manage); send the version read (0 for the default); open cases keep their steps",
			ifMatch: true, in: offboarding.Template{}, out: offboarding.Template{}, errors: errsWrite, handle: s.setOffboardingTemplate},
		{method: "POST", path: "/api/offboarding/template/validate", tag: tag, summary: "Check a template without storing it: 200, or 400 listing every problem",
			in: offboarding.Template{}, out: templateCheck{}, errors: []int{http.StatusBadRequest, http.StatusUnsupportedMediaType}, handle: s.validateOffboardingTemplate},

		{method: "GET", path: "/api/offboarding/cases", tag: tag, summary: "Offboarding cases by ID (offboarding:manage)",
			query: caseQ, out: []offboarding.Case{}, errors: errsRead, handle: s.offboardingCases},
		{method: "GET", path: "/api/me/offboarding-cases", tag: tag, summary: "The cases one takes part in: as the leaver, manager, HR owner or a successor",
			query: caseQ, out: []offboarding.Case{}, errors: errsRead, handle: s.myOffboardingCases},
		{method: "POST", path: "/api/offboarding/cases", tag: tag, summary: "Record a resignation and open its case (offboarding:manage, or one's own voluntary resignation)",
			in: offboarding.ResignParams{}, out: offboarding.Case{}, status: http.StatusCreated, errors: errsWrite, handle: s.resign},
		{method: "GET", path: c, tag: tag, summary: "A case with its steps, deadlines and states (HR, or a participant)",
			out: caseDetail{}, errors: errsRead, handle: s.offboardingCase},
		{method: "PUT", path: c + "/last-day", tag: tag, summary: "Move the last working day; deadlines, reminders and stages follow (offboarding:manage)",
			ifMatch: true, in: lastDayChange{}, out: offboarding.Case{}, errors: errsWrite, handle: s.changeLastDay},
		{method: "POST", path: c + "/complete", tag: tag, summary: "Complete a case whose steps are closed: account disabled, grants removed, employee departed (offboarding:manage)",
			ifMatch: true, in: versionRequest{}, out: offboarding.Case{}, errors: errsWrite, handle: s.completeCase},
		{method: "POST", path: c + "/withdraw", tag: tag, summary: "Withdraw the resignation: case cancelled, permissions restored exactly (offboarding:manage)",
			ifMatch: true, in: withdrawRequest{}, out: offboarding.Case{}, errors: errsWrite, handle: s.withdrawCase},

		{method: "GET", path: c + "/customers", tag: tag, summary: "The customer-handover list (customers acquired since are added)",
			out: []offboarding.HandoverItem{}, errors: errsRead, handle: s.handoverItems},
		{method: "POST", path: c + "/customers/assign", tag: tag, summary: "Assign customers to successors (HR or the leaver)",
			in: customerAssignment{}, status: http.StatusNoContent, errors: errsWrite, handle: s.assignCustomers},
		{method: "POST", path: c + "/customers/handed-over", tag: tag, summary: "Mark assigned customers handed over, with a note (HR or the leaver)",
			in: handedOverRequest{}, status: http.StatusNoContent, errors: errsWrite, handle: s.markHandedOver},
		{method: "GET", path: c + "/customers/content", tag: tag, summary: "What a successor would sign for now, with its SHA-256 (the successor, the leaver or HR)",
			query: []param{{"successor", "string", "whose content (default: the caller)"}}, out: offboarding.HandoverContent{}, errors: errsRead, handle: s.handoverContent},
		{method: "POST", path: c + "/customers/sign", tag: tag, summary: "The successor signs for the content with its hash; ownership moves in the same transaction",
			in: signRequest{}, out: offboarding.Signature{}, status: http.StatusCreated, errors: errsWrite, handle: s.signHandover},
		{method: "GET", path: c + "/signatures", tag: tag, summary: "Every signature of a case, oldest first",
			out: []offboarding.Signature{}, errors: errsRead, handle: s.caseSignatures},

		{method: "GET", path: c + "/work", tag: tag, summary: "Every round of the work report with its decision",
			out: []offboarding.WorkRound{}, errors: errsRead, handle: s.workRounds},
		{method: "POST", path: c + "/work", tag: tag, summary: "Submit a round of the work report (the leaver, or HR); send the work step's version",
			in: workReportRequest{}, out: offboarding.WorkRound{}, status: http.StatusCreated, errors: errsWrite, handle: s.submitWorkReport},
		{method: "POST", path: c + "/work/approve", tag: tag, summary: "Approve the pending round (the manager or HR; never one's own); send the work step's version",
			in: reviewRequest{}, out: offboarding.WorkRound{}, errors: errsWrite, handle: s.approveWorkReport},
		{method: "POST", path: c + "/work/return", tag: tag, summary: "Return the pending round with comments for another round (the manager or HR)",
			in: reviewRequest{}, out: offboarding.WorkRound{}, errors: errsWrite, handle: s.returnWorkReport},

		{method: "GET", path: c + "/items", tag: tag, summary: "The items to return, from the asset register",
			out: []offboarding.ItemReturn{}, errors: errsRead, handle: s.itemReturns},
		{method: "POST", path: c + "/items/{asset}/returned", tag: tag, summary: "Confirm an item returned, with its condition (assets:write)",
			in: assets.ReturnParams{}, out: offboarding.ItemReturn{}, errors: errsWrite, handle: s.confirmReturn},
		{method: "POST", path: c + "/items/{asset}/missing", tag: tag, summary: "Record an item missing, with a cost note (assets:write)",
			in: missingRequest{}, out: offboarding.ItemReturn{}, errors: errsWrite, handle: s.recordMissing},

		{method: "POST", path: c + "/steps/{key}/close", tag: tag, summary: "Close a custom step by its rule: confirm, approve (manager or HR) or sign (an assignee)",
			in: closeStepRequest{}, out: offboarding.Step{}, errors: errsWrite, handle: s.closeStep},
		{method: "POST", path: c + "/steps/{key}/force-close", tag: tag, summary: "Force-close an open step with a written reason, on record (offboarding:manage)",
			in: forceCloseRequest{}, out: offboarding.Step{}, errors: errsWrite, handle: s.forceCloseStep},

		{method: "GET", path: c + "/report", tag: tag, summary: "The handover report: customers and signatures, projects, items, revocations, step dates, integrity check",
			out: offboarding.Report{}, errors: errsRead, handle: s.handoverReport},
		{method: "GET", path: c + "/report/customers.csv", tag: tag, summary: "The customers of the handover report as CSV: successor, handed over, signature",
			outMedia: mediaCSV, errors: errsRead, handle: s.handoverCSV},
		{method: "GET", path: c + "/revocations", tag: tag, summary: "The revocation stages applied for a case, with time and operator (offboarding:manage or access:manage)",
			out: []access.StageEffect{}, errors: errsRead, handle: s.caseRevocations},
	}
}

func (s *server) offboardingTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.offboarding.Template(r.Context())
	if err != nil {
		return err
	}
	t.Steps = nonNil(t.Steps)
	return writeVersioned(w, http.StatusOK, t, t.Version)
}

func (s *server) setOffboardingTemplate(w http.ResponseWriter, r *http.Request) error {
	var in offboarding.Template
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	t, err := s.offboarding.SetTemplate(r.Context(), in, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t, t.Version)
}

func (s *server) validateOffboardingTemplate(w http.ResponseWriter, r *http.Request) error {
	var in offboarding.Template
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, templateCheck{Valid: true})
}

func (s *server) offboardingCases(w http.ResponseWriter, r *http.Request) error {
	return s.listCases(w, r, s.offboarding.Cases)
}

func (s *server) myOffboardingCases(w http.ResponseWriter, r *http.Request) error {
	return s.listCases(w, r, s.offboarding.MyCases)
}

// listCases decodes a case filter from the query and lists with list.
func (s *server) listCases(w http.ResponseWriter, r *http.Request,
	list func(context.Context, offboarding.CaseFilter) ([]offboarding.Case, error)) error {
	var v ballast.ValidationError
	q := r.URL.Query()
	f := offboarding.CaseFilter{Status: offboarding.CaseStatus(q.Get("status")), EmployeeID: q.Get("employee_id"),
		After: q.Get("after"), Limit: queryInt(r, "limit", &v)}
	if err := v.Err(); err != nil {
		return err
	}
	cs, err := list(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(cs))
}

func (s *server) resign(w http.ResponseWriter, r *http.Request) error {
	var in offboarding.ResignParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.offboarding.Resign(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/offboarding/cases/"+c.ID)
	return writeVersioned(w, http.StatusCreated, c, c.Version)
}

func (s *server) offboardingCase(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	c, err := s.offboarding.Case(r.Context(), id)
	if err != nil {
		return err
	}
	steps, err := s.offboarding.Steps(r.Context(), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, caseDetail{Case: c, Steps: nonNil(steps)}, c.Version)
}

func (s *server) changeLastDay(w http.ResponseWriter, r *http.Request) error {
	var in lastDayChange
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := caseVersion(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := s.offboarding.ChangeLastDay(r.Context(), r.PathValue("id"), in.LastDay, in.Reason, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) completeCase(w http.ResponseWriter, r *http.Request) error {
	var in versionRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := caseVersion(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := s.offboarding.Complete(r.Context(), r.PathValue("id"), v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) withdrawCase(w http.ResponseWriter, r *http.Request) error {
	var in withdrawRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := caseVersion(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := s.offboarding.Withdraw(r.Context(), r.PathValue("id"), in.Reason, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) handoverItems(w http.ResponseWriter, r *http.Request) error {
	items, err := s.offboarding.CustomerHandover(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(items))
}

func (s *server) assignCustomers(w http.ResponseWriter, r *http.Request) error {
	var in customerAssignment
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if len(in.Assign) == 0 {
		return ballast.Invalid("assign", "maps at least one customer ID to a successor ID")
	}
	if err := s.offboarding.AssignCustomers(r.Context(), r.PathValue("id"), in.Assign); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) markHandedOver(w http.ResponseWriter, r *http.Request) error {
	var in handedOverRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.offboarding.MarkHandedOver(r.Context(), r.PathValue("id"), in.CustomerIDs, in.Note); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// caseVersion is the version of a case or step a change is based on
// (see version); 0 is refused, as the service would take it for "do not
// check".
func caseVersion(r *http.Request, bodyVersion *int64) (int64, error) {
	v, err := version(r, bodyVersion)
	if err == nil && v < 1 {
		return 0, ballast.Invalid("version", "must be the version read, from 1")
	}
	return v, err
}

// successorOrCaller is the successor query parameter, or the caller.
func successorOrCaller(r *http.Request) (string, error) {
	if s := r.URL.Query().Get("successor"); s != "" {
		return s, nil
	}
	p, err := ballast.PrincipalFrom(r.Context())
	return p.Subject, err
}

func (s *server) handoverContent(w http.ResponseWriter, r *http.Request) error {
	succ, err := successorOrCaller(r)
	if err != nil {
		return err
	}
	hc, err := s.offboarding.PrepareHandover(r.Context(), r.PathValue("id"), succ)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, hc)
}

// clientIP is the address of the connection the request came on. No
// forwarding header is trusted: behind a proxy it is the proxy's address.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// userAgent is the request's User-Agent, cut to what a signature keeps.
func userAgent(r *http.Request) string {
	ua := r.UserAgent()
	if len(ua) > 500 {
		ua = ua[:500]
	}
	return ua
}

func (s *server) signHandover(w http.ResponseWriter, r *http.Request) error {
	var in signRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	if in.Signer == "" {
		in.Signer = p.Subject
	}
	sig, err := s.offboarding.SignHandover(r.Context(), offboarding.SignParams{CaseID: r.PathValue("id"), Signer: in.Signer,
		Hash: in.Hash, ClientIP: clientIP(r), UserAgent: userAgent(r)})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sig)
}

func (s *server) caseSignatures(w http.ResponseWriter, r *http.Request) error {
	sigs, err := s.offboarding.Signatures(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(sigs))
}

func (s *server) workRounds(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.offboarding.WorkRounds(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(rounds))
}

func (s *server) submitWorkReport(w http.ResponseWriter, r *http.Request) error {
	var in workReportRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := caseVersion(r, &in.Version)
	if err != nil {
		return err
	}
	round, err := s.offboarding.SubmitWorkReport(r.Context(), r.PathValue("id"), in.WorkReport, v)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, round)
}

func (s *server) approveWorkReport(w http.ResponseWriter, r *http.Request) error {
	return s.reviewWorkReport(w, r, true)
}

func (s *server) returnWorkReport(w http.ResponseWriter, r *http.Request) error {
	return s.reviewWorkReport(w, r, false)
}

func (s *server) reviewWorkReport(w http.ResponseWriter, r *http.Request, approve bool) error {
	var in reviewRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := caseVersion(r, &in.Version)
	if err != nil {
		return err
	}
	round, err := s.offboarding.ReviewWorkReport(r.Context(), offboarding.ReviewParams{CaseID: r.PathValue("id"),
		Approve: approve, Comments: in.Comments, Version: v})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, round)
}

func (s *server) itemReturns(w http.ResponseWriter, r *http.Request) error {
	items, err := s.offboarding.ItemReturns(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(items))
}

func (s *server) confirmReturn(w http.ResponseWriter, r *http.Request) error {
	var in assets.ReturnParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	it, err := s.offboarding.ConfirmReturn(r.Context(), r.PathValue("id"), r.PathValue("asset"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, it)
}

func (s *server) recordMissing(w http.ResponseWriter, r *http.Request) error {
	var in missingRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	it, err := s.offboarding.RecordMissing(r.Context(), r.PathValue("id"), r.PathValue("asset"), in.CostNote)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, it)
}

func (s *server) closeStep(w http.ResponseWriter, r *http.Request) error {
	var in closeStepRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := caseVersion(r, &in.Version)
	if err != nil {
		return err
	}
	st, err := s.offboarding.CloseStep(r.Context(), offboarding.CloseStepParams{CaseID: r.PathValue("id"), StepKey: r.PathValue("key"),
		Version: v, Note: in.Note, ClientIP: clientIP(r), UserAgent: userAgent(r)})
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, st, st.Version)
}

func (s *server) forceCloseStep(w http.ResponseWriter, r *http.Request) error {
	var in forceCloseRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := caseVersion(r, &in.Version)
	if err != nil {
		return err
	}
	st, err := s.offboarding.ForceCloseStep(r.Context(), r.PathValue("id"), r.PathValue("key"), in.Reason, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, st, st.Version)
}

func (s *server) handoverReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.offboarding.Report(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (s *server) caseRevocations(w http.ResponseWriter, r *http.Request) error {
	effs, err := s.access.AppliedStages(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(effs))
}

// handoverCSV writes the customers of the handover report: one row per
// customer with its successor, the handover and the signature that moved
// it.
func (s *server) handoverCSV(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.offboarding.Report(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	sigs := make(map[string]offboarding.Signature, len(rep.Signatures))
	for _, sg := range rep.Signatures {
		sigs[sg.ID] = sg
	}
	names := map[string]string{}
	for _, it := range rep.Customers {
		if it.SuccessorID == "" {
			continue
		}
		if _, ok := names[it.SuccessorID]; ok {
			continue
		}
		e, err := s.hr.Employee(r.Context(), it.SuccessorID)
		switch {
		case err == nil:
			names[it.SuccessorID] = e.Name
		case errors.Is(err, ballast.ErrNotFound), errors.Is(err, ballast.ErrForbidden):
			names[it.SuccessorID] = "" // outside the caller's view: the ID still says who
		default:
			return err
		}
	}
	csvHeaders(w, "handover-"+rep.Case.ID+"-customers.csv")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"customer_id", "customer_name", "successor_id", "successor_name", "handed_over", "handed_at",
		"handed_by", "note", "signature_id", "signed_at", "signer", "content_sha256", "client_ip"})
	for _, it := range rep.Customers {
		sg := sigs[it.SignatureID]
		_ = cw.Write([]string{it.CustomerID, csvSafe(it.CustomerName), it.SuccessorID, csvSafe(names[it.SuccessorID]),
			strconv.FormatBool(it.HandedOver), instant(it.HandedAt), it.HandedBy, csvSafe(it.Note),
			it.SignatureID, instant(sg.SignedAt), sg.Signer, sg.ContentHash, sg.ClientIP})
	}
	cw.Flush()
	return cw.Error()
}

// instant formats t as RFC 3339 in UTC, or "" when zero.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvSafe defuses text a spreadsheet would run as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
