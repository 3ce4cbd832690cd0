package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/offboarding"
)

// Offboarding is what the UI needs from the offboarding cases
// (*offboarding.Service implements it). Every method checks the
// principal's permission and participation itself.
type Offboarding interface {
	Template(ctx context.Context) (offboarding.Template, error)
	SetTemplate(ctx context.Context, t offboarding.Template, version int64) (offboarding.Template, error)
	Resign(ctx context.Context, p offboarding.ResignParams) (offboarding.Case, error)
	Case(ctx context.Context, id string) (offboarding.Case, error)
	Cases(ctx context.Context, f offboarding.CaseFilter) ([]offboarding.Case, error)
	MyCases(ctx context.Context, f offboarding.CaseFilter) ([]offboarding.Case, error)
	Steps(ctx context.Context, caseID string) ([]offboarding.Step, error)
	WorkRounds(ctx context.Context, caseID string) ([]offboarding.WorkRound, error)
	Signatures(ctx context.Context, caseID string) ([]offboarding.Signature, error)
	CustomerHandover(ctx context.Context, caseID string) ([]offboarding.HandoverItem, error)
	AssignCustomers(ctx context.Context, caseID string, assign map[string]string) error
	MarkHandedOver(ctx context.Context, caseID string, customerIDs []string, note string) error
	PrepareHandover(ctx context.Context, caseID, successor string) (offboarding.HandoverContent, error)
	SignHandover(ctx context.Context, p offboarding.SignParams) (offboarding.Signature, error)
	SubmitWorkReport(ctx context.Context, caseID string, r offboarding.WorkReport, version int64) (offboarding.WorkRound, error)
	ReviewWorkReport(ctx context.Context, p offboarding.ReviewParams) (offboarding.WorkRound, error)
	ItemReturns(ctx context.Context, caseID string) ([]offboarding.ItemReturn, error)
	ConfirmReturn(ctx context.Context, caseID, assetID string, p assets.ReturnParams) (offboarding.ItemReturn, error)
	RecordMissing(ctx context.Context, caseID, assetID, costNote string) (offboarding.ItemReturn, error)
	CloseStep(ctx context.Context, p offboarding.CloseStepParams) (offboarding.Step, error)
	ForceCloseStep(ctx context.Context, caseID, stepKey, reason string, version int64) (offboarding.Step, error)
	Complete(ctx context.Context, caseID string, version int64) (offboarding.Case, error)
	Withdraw(ctx context.Context, caseID, reason string, version int64) (offboarding.Case, error)
	ChangeLastDay(ctx context.Context, caseID string, lastDay hr.Date, reason string, version int64) (offboarding.Case, error)
	Report(ctx context.Context, caseID string) (offboarding.Report, error)
}

// Revocations is the optional capability of Config.Access that the access
// part of a case and the revocation plan editor use (*access.Enforcer
// implements it); without it they are left out.
type Revocations interface {
	TenantRevocationPlan(ctx context.Context) (access.RevocationPlan, error)
	SetTenantRevocationPlan(ctx context.Context, plan access.RevocationPlan, reason string) error
	PreviewStage(ctx context.Context, subject string, st access.Stage) (access.StageEffect, error)
	AppliedStages(ctx context.Context, caseID string) ([]access.StageEffect, error)
	Explain(ctx context.Context, tenant, subject, permission string) (access.Decision, error)
}

// The permissions the offboarding pages ask about.
const (
	permOffboardingManage = offboarding.PermManage
	permAccessManage      = access.PermManage
)

// offboardingRoutes registers the offboarding pages.
func (s *server) offboardingRoutes(mux *http.ServeMux) {
	mux.Handle("GET /offboarding", s.signedIn(s.handleCases))
	mux.Handle("GET /offboarding/new", s.signedIn(s.handleResignForm))
	mux.Handle("POST /offboarding", s.signedIn(s.handleResign))
	mux.Handle("GET /offboarding/template", s.signedIn(s.handleTemplate))
	mux.Handle("POST /offboarding/template", s.signedIn(s.handleTemplateSave))
	mux.Handle("GET /offboarding/plan", s.signedIn(s.handlePlan))
	mux.Handle("POST /offboarding/plan", s.signedIn(s.handlePlanSave))
	mux.Handle("GET /offboarding/{id}", s.signedIn(s.handleCase))
	mux.Handle("GET /offboarding/{id}/sign", s.signedIn(s.handleSignForm))
	mux.Handle("POST /offboarding/{id}/sign", s.signedIn(s.handleSign))
	mux.Handle("POST /offboarding/{id}/assign", s.signedIn(s.handleAssign))
	mux.Handle("POST /offboarding/{id}/handed", s.signedIn(s.handleHanded))
	mux.Handle("POST /offboarding/{id}/work", s.signedIn(s.handleWorkSubmit))
	mux.Handle("POST /offboarding/{id}/review", s.signedIn(s.handleWorkReview))
	mux.Handle("POST /offboarding/{id}/items/{asset}/return", s.signedIn(s.handleItemReturn))
	mux.Handle("POST /offboarding/{id}/items/{asset}/missing", s.signedIn(s.handleItemMissing))
	mux.Handle("POST /offboarding/{id}/steps/{key}/close", s.signedIn(s.handleStepClose))
	mux.Handle("POST /offboarding/{id}/steps/{key}/force", s.signedIn(s.handleStepForce))
	mux.Handle("POST /offboarding/{id}/complete", s.signedIn(s.handleComplete))
	mux.Handle("POST /offboarding/{id}/withdraw", s.signedIn(s.handleWithdraw))
	mux.Handle("POST /offboarding/{id}/lastday", s.signedIn(s.handleLastDay))
	mux.Handle("GET /offboarding/{id}/report", s.signedIn(s.handleReport))
	mux.Handle("GET /offboarding/{id}/report.csv", s.signedIn(s.handleReportCSV))
}

// caseRow is one case of the list with its people named.
type caseRow struct {
	offboarding.Case
	EmployeeName string
	DaysLeft     int
}

// handleCases lists the cases: every case to HR (filtered by status), the
// cases one takes part in to everybody else.
func (s *server) handleCases(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	status := offboarding.CaseStatus(r.URL.Query().Get("status"))
	if status != "" && status != offboarding.CaseOpen && status != offboarding.CaseCompleted && status != offboarding.CaseWithdrawn {
		status = ""
	}
	manage := s.allowed(ctx, permOffboardingManage)
	var cases []offboarding.Case
	var err error
	if manage {
		cases, err = s.offboarding.Cases(ctx, offboarding.CaseFilter{Status: status, Limit: 500})
	} else {
		cases, err = s.offboarding.MyCases(ctx, offboarding.CaseFilter{Status: status, Limit: 500})
	}
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	slices.Reverse(cases) // newest first (IDs are UUIDv7)
	today := s.today(base)
	names := map[string]string{}
	rows := make([]caseRow, 0, len(cases))
	hasOwn := false
	for _, c := range cases {
		rows = append(rows, caseRow{Case: c, EmployeeName: s.name(ctx, names, c.EmployeeID), DaysLeft: daysBetween(today, c.LastDay)})
		hasOwn = hasOwn || (c.EmployeeID == p.Subject && c.Status == offboarding.CaseOpen)
	}
	statuses := []option{{Value: "", Label: s.cat.T(base.Lang, "ob.status.all")}}
	for _, st := range []offboarding.CaseStatus{offboarding.CaseOpen, offboarding.CaseCompleted, offboarding.CaseWithdrawn} {
		statuses = append(statuses, option{Value: string(st), Label: s.cat.T(base.Lang, "ob.status."+string(st)), Selected: st == status})
	}
	base.Title = s.cat.T(base.Lang, "ob.title")
	base.Section = "offboarding"
	base.Data = struct {
		Rows     []caseRow
		Statuses []option
		Manage   bool
		Plan     bool
		SelfOK   bool
	}{rows, statuses, manage, manage && s.revocations != nil && s.allowed(ctx, permAccessManage), !manage && !hasOwn && base.Nav.Me != ""}
	s.render(w, r, http.StatusOK, "offboarding_cases", base)
}

// today is the tenant's calendar day now.
func (s *server) today(base *page) hr.Date {
	now := s.clock.Now().UTC()
	if base.Zone != nil {
		now = now.In(base.Zone)
	}
	return hr.DateOf(now)
}

// daysBetween returns b - a in calendar days.
func daysBetween(a, b hr.Date) int {
	return int(b.In(time.UTC).Sub(a.In(time.UTC)).Hours() / 24)
}

// resignForm is the resignation form as typed.
type resignForm struct {
	EmployeeID, Kind, SubmittedOn, LastDay, Reason string
	Successors                                     []string
}

// handleResignForm shows the form that records a resignation: any
// employee's for HR, one's own voluntary one for everybody else.
func (s *server) handleResignForm(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	day := s.today(base).String()
	s.renderResign(w, r, http.StatusOK, base, p, resignForm{Kind: string(offboarding.ExitVoluntary), SubmittedOn: day, EmployeeID: r.URL.Query().Get("employee")}, nil)
}

func (s *server) renderResign(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal, form resignForm, ferrs []ballast.FieldError) {
	ctx := r.Context()
	manage := s.allowed(ctx, permOffboardingManage)
	if !manage {
		if base.Nav.Me == "" {
			s.fail(w, r, base, ballast.ErrForbidden)
			return
		}
		form.EmployeeID, form.Kind = p.Subject, string(offboarding.ExitVoluntary)
	}
	var kinds []option
	for _, k := range offboarding.ExitKinds {
		kinds = append(kinds, option{Value: string(k), Label: s.cat.T(base.Lang, "ob.kind."+string(k)), Selected: string(k) == form.Kind})
	}
	succ := make([]string, 3)
	copy(succ, form.Successors)
	succOpts := make([][]option, len(succ))
	for i, id := range succ {
		succOpts[i] = s.ownerOptions(ctx, base.Lang, id, "ob.successor.choose")
	}
	base.Title = s.cat.T(base.Lang, "ob.new.title")
	if !manage {
		base.Title = s.cat.T(base.Lang, "ob.self.title")
	}
	base.Section = "offboarding"
	base.Data = struct {
		Manage      bool
		Form        resignForm
		Employees   []option
		Kinds       []option
		Successors  [][]option
		FieldErrors []ballast.FieldError
	}{manage, form, s.ownerOptions(ctx, base.Lang, form.EmployeeID, "ob.employee.choose"), kinds, succOpts, ferrs}
	s.render(w, r, status, "offboarding_new", base)
}

// handleResign records the resignation and opens the case.
func (s *server) handleResign(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	form := resignForm{EmployeeID: r.PostFormValue("employee_id"), Kind: r.PostFormValue("kind"), SubmittedOn: r.PostFormValue("submitted_on"),
		LastDay: r.PostFormValue("last_day"), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	for _, id := range r.PostForm["successor"] {
		if id != "" {
			form.Successors = append(form.Successors, id)
		}
	}
	if !s.allowed(r.Context(), permOffboardingManage) {
		form.EmployeeID, form.Kind = p.Subject, string(offboarding.ExitVoluntary)
	}
	var verr ballast.ValidationError
	sub, err := hr.ParseDate(form.SubmittedOn)
	if err != nil {
		verr.Add("submitted_on", "is not a date")
	}
	last, err := hr.ParseDate(form.LastDay)
	if err != nil {
		verr.Add("last_day", "is not a date")
	}
	err = verr.Err()
	var c offboarding.Case
	if err == nil {
		c, err = s.offboarding.Resign(r.Context(), offboarding.ResignParams{EmployeeID: form.EmployeeID, Kind: offboarding.ExitKind(form.Kind),
			SubmittedOn: sub, LastDay: last, Reason: form.Reason, Successors: form.Successors})
	}
	if err == nil {
		http.Redirect(w, r, "/offboarding/"+url.PathEscape(c.ID)+"?saved=opened", http.StatusSeeOther)
		return
	}
	var ve *ballast.ValidationError
	switch {
	case errors.As(err, &ve):
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderResign(w, r, http.StatusBadRequest, base, p, form, ve.Fields)
	case errors.Is(err, offboarding.ErrCaseOpen):
		base.Error = s.cat.T(base.Lang, "ob.error.caseopen")
		s.renderResign(w, r, http.StatusConflict, base, p, form, nil)
	default:
		s.fail(w, r, base, err)
	}
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
		ua = strings.ToValidUTF8(ua[:500], "")
	}
	return ua
}
