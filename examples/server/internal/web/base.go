package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
)

// HR is what the UI needs from the hr service (*hr.Service implements it).
// Every method checks the principal's permission itself.
type HR interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
	DepartmentTree(ctx context.Context) ([]*hr.DepartmentNode, error)
	Departments(ctx context.Context) ([]hr.Department, error)
	Positions(ctx context.Context, departmentID string) ([]hr.Position, error)
	Employee(ctx context.Context, id string) (hr.Employee, error)
	ListEmployees(ctx context.Context, f hr.EmployeeFilter) (hr.EmployeePage, error)
	Referrals(ctx context.Context, employeeID string) ([]hr.Employee, error)
	Profile(ctx context.Context, employeeID string) (hr.Profile, error)
	UpdateProfile(ctx context.Context, employeeID string, u hr.ProfileUpdate) (hr.Profile, error)
}

// The permissions the UI asks about to decide what to show.
const (
	permEmployeesRead    = hr.PermEmployeesRead
	permEmployeesReadAll = hr.PermEmployeesReadAll
	permProfileWriteSelf = hr.PermProfileWriteSelf
	permProfileWriteHR   = hr.PermProfileWriteHR

	permCustomersRead           = customers.PermRead
	permCustomersReadDepartment = customers.PermReadDepartment
	permCustomersReadAll        = customers.PermReadAll
	permCustomersWrite          = customers.PermWrite
	permCustomersTransfer       = customers.PermTransfer
	permCustomersExport         = customers.PermExport
	permAssetsRead              = assets.PermRead
	permAssetsReadDepartment    = assets.PermReadDepartment
	permAssetsReadAll           = assets.PermReadAll
	permAssetsWrite             = assets.PermWrite
	permChannelRead             = channel.PermRead
	permChannelPost             = channel.PermPost
	permChannelManage           = channel.PermManage
	permFeedbackSubmit          = channel.PermFeedbackSubmit
	permFeedbackRead            = channel.PermFeedbackRead
	permAnalyticsRead           = insight.PermRead
	permAnalyticsReadDepartment = insight.PermReadDepartment
)

// Customers is what the UI needs from the customer records
// (*customers.Service implements it). Every method checks the principal's
// permission and applies its scope itself.
type Customers interface {
	List(ctx context.Context, f customers.Filter) (customers.Page, error)
	Get(ctx context.Context, id string) (customers.Customer, error)
	Create(ctx context.Context, p customers.Params) (customers.Customer, error)
	Update(ctx context.Context, id string, p customers.Params, version int64) (customers.Customer, error)
	Archive(ctx context.Context, id string, version int64, reason string) (customers.Customer, error)
	Unarchive(ctx context.Context, id string, version int64, reason string) (customers.Customer, error)
	Transfer(ctx context.Context, id, toOwner string, version int64, reason string) (customers.Customer, error)
	History(ctx context.Context, id string) ([]audit.Entry, error)
	Export(ctx context.Context, w io.Writer, f customers.Filter) (int, error)
	Snapshots(ctx context.Context, f customers.SnapshotFilter) (customers.SnapshotPage, error)
	Snapshot(ctx context.Context, id string) (customers.Snapshot, error)
	TakeSnapshot(ctx context.Context, scope customers.SnapshotScope, reason string) (customers.Snapshot, error)
	Diff(ctx context.Context, a, b string) (customers.SnapshotDiff, error)
	DiffWithCurrent(ctx context.Context, id string) (customers.SnapshotDiff, error)
	Restore(ctx context.Context, id string, customerIDs []string, reason string) (customers.RestoreReport, error)
}

// Assets is what the UI needs from the asset register (*assets.Service
// implements it).
type Assets interface {
	List(ctx context.Context, f assets.Filter) (assets.Page, error)
	Get(ctx context.Context, id string) (assets.Asset, error)
	HeldBy(ctx context.Context, employeeID string) ([]assets.Asset, error)
	History(ctx context.Context, id string) ([]assets.Issuance, error)
	Register(ctx context.Context, p assets.Params) (assets.Asset, error)
	Issue(ctx context.Context, id string, p assets.IssueParams) (assets.Asset, error)
	Return(ctx context.Context, id string, p assets.ReturnParams) (assets.Asset, error)
	MarkMissing(ctx context.Context, id, costNote string) (assets.Asset, error)
}

// Channel is what the UI needs from the HR↔employee channel
// (*channel.Service implements it).
type Channel interface {
	Inbox(ctx context.Context, f channel.InboxFilter) (channel.InboxPage, error)
	Announcements(ctx context.Context, f channel.AnnouncementFilter) (channel.AnnouncementPage, error)
	Announcement(ctx context.Context, id string) (channel.Announcement, error)
	CreateAnnouncement(ctx context.Context, p channel.AnnouncementParams) (channel.Announcement, error)
	PublishAnnouncement(ctx context.Context, id string, version int64) (channel.Announcement, error)
	WithdrawAnnouncement(ctx context.Context, id string, version int64) (channel.Announcement, error)
	MarkRead(ctx context.Context, announcementID string) (channel.Receipt, error)
	Receipts(ctx context.Context, announcementID string) (channel.ReceiptReport, error)
	Questions(ctx context.Context, announcementID string) ([]channel.Question, error)
	Question(ctx context.Context, id string) (channel.Question, error)
	Ask(ctx context.Context, announcementID, body string) (channel.Question, error)
	Reply(ctx context.Context, questionID, body string) (channel.Message, error)
	SetQuestionPublic(ctx context.Context, questionID string, public bool, version int64) (channel.Question, error)
	Unanswered(ctx context.Context, olderThan time.Duration) ([]channel.Question, error)

	SubmitFeedback(ctx context.Context, p channel.FeedbackParams) (channel.Submission, error)
	FeedbackByCode(ctx context.Context, code string) (channel.Feedback, error)
	ReplyByCode(ctx context.Context, code, body string) (channel.Feedback, error)
	ListFeedback(ctx context.Context, f channel.FeedbackFilter) (channel.FeedbackPage, error)
	Feedback(ctx context.Context, id string) (channel.Feedback, error)
	TagFeedback(ctx context.Context, id string, tags []string, version int64) (channel.Feedback, error)
	AssignFeedback(ctx context.Context, id, assigneeID string, version int64) (channel.Feedback, error)
	ReplyFeedback(ctx context.Context, id, body string) (channel.FeedbackMessage, error)
	ResolveFeedback(ctx context.Context, id string, version int64) (channel.Feedback, error)
	ReopenFeedback(ctx context.Context, id string, version int64) (channel.Feedback, error)
}

// Insight is what the UI needs from the key-person risk analysis
// (*insight.Service implements it).
type Insight interface {
	Analyze(ctx context.Context, opts insight.Options) (*insight.Analysis, error)
	DepartmentForest(ctx context.Context, departmentID string, opts insight.Options) (*insight.Forest, error)
}

// pageHandler is a handler of a signed-in page: base carries the language,
// the navigation and the principal.
type pageHandler func(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal)

// signedIn sends a request without a principal to the sign-in form (and
// back afterwards), and gives the page its common frame.
func (s *server) signedIn(h pageHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := ballast.PrincipalFrom(r.Context())
		if err != nil {
			http.Redirect(w, r, "/login?"+url.Values{"next": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
			return
		}
		base, err := s.frame(r, p)
		if err != nil {
			s.fail(w, r, base, err)
			return
		}
		h(w, r, base, p)
	})
}

// frame builds the common frame of a signed-in page: language, tenant,
// navigation and the user's name. On error it returns a page fit for the
// error page.
func (s *server) frame(r *http.Request, p ballast.Principal) (*page, error) {
	ctx := r.Context()
	base := &page{}
	t, err := s.hr.Tenant(ctx)
	if err != nil {
		return &page{Lang: i18n.Negotiate(r, "", s.defaultLang)}, err
	}
	base.TenantName = t.Name
	if loc, err := t.Location(); err == nil {
		base.Zone = loc
	}
	base.Lang = i18n.Negotiate(r, t.Locale, s.defaultLang)
	base.SignedIn = true
	base.Nav.Org = s.allowed(ctx, permEmployeesRead)
	base.Nav.Employees = base.Nav.Org
	s.sectionNav(ctx, &base.Nav)
	if me, err := s.hr.Employee(ctx, p.Subject); err == nil {
		base.UserName = me.Name
		base.Nav.Me = me.ID
	} else if lo, ok := s.auth.(interface {
		LoginOf(ctx context.Context, tenant, subject string) (string, error)
	}); ok {
		if name, err := lo.LoginOf(ctx, p.Tenant, p.Subject); err == nil {
			base.UserName = name
		}
	}
	return base, nil
}

// sectionNav decides which of the optional sections the principal may
// open, and counts its unread announcements for the badge.
func (s *server) sectionNav(ctx context.Context, n *nav) {
	if s.customers != nil {
		n.Customers = s.allowed(ctx, permCustomersRead)
	}
	if s.assets != nil && s.allowed(ctx, permAssetsRead) {
		n.Assets = "/assets/mine"
		if s.allowed(ctx, permAssetsReadAll) || s.allowed(ctx, permAssetsReadDepartment) {
			n.Assets = "/assets"
		}
	}
	if s.channel != nil {
		n.Announcements = s.allowed(ctx, permChannelRead)
		n.ManageChannel = s.allowed(ctx, permChannelManage)
		n.Feedback = s.allowed(ctx, permFeedbackSubmit)
		n.FeedbackInbox = s.allowed(ctx, permFeedbackRead)
		if n.Announcements {
			if pg, err := s.channel.Inbox(ctx, channel.InboxFilter{UnreadOnly: true, Limit: 100}); err == nil {
				n.Unread = len(pg.Items)
			}
		}
	}
	if s.offboarding != nil {
		// Everybody may open the list: HR sees every case, the others the
		// cases they take part in and the self-service resignation.
		n.Offboarding = true
	}
	if s.assessment != nil || s.multirater != nil || s.appeals != nil {
		n.Assessment = s.allowed(ctx, permAssessSelf) || s.allowed(ctx, permAssessScore) || s.allowed(ctx, permAssessManage)
	}
	if s.insight != nil {
		n.Risk = s.allowed(ctx, permAnalyticsRead) || s.allowed(ctx, permAnalyticsReadDepartment)
	}
}

// allowed asks access whether to show something; an error hides it.
func (s *server) allowed(ctx context.Context, perm string) bool {
	ok, err := s.access.Allowed(ctx, perm)
	if err != nil {
		s.log.Warn("web: allowed", "permission", perm, "err", err)
		return false
	}
	return ok
}

// handleHome sends the user to the org tree, or to their own profile when
// they may not read the directory.
func (s *server) handleHome(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	switch {
	case base.Nav.Org:
		http.Redirect(w, r, "/org", http.StatusSeeOther)
	case base.Nav.Me != "":
		http.Redirect(w, r, "/employees/"+url.PathEscape(base.Nav.Me), http.StatusSeeOther)
	default:
		s.fail(w, r, base, ballast.ErrForbidden)
	}
}

// handleNotFound answers unknown paths inside the signed-in frame.
func (s *server) handleNotFound(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	s.fail(w, r, base, ballast.ErrNotFound)
}

// fail renders the error page that fits err: 401 goes to sign-in, then
// 403, 404, 400, 409, and 500 for anything unexpected (logged, not shown).
func (s *server) fail(w http.ResponseWriter, r *http.Request, base *page, err error) {
	var status int
	var key string
	switch {
	case errors.Is(err, ballast.ErrUnauthenticated) && !signedIn(r):
		http.Redirect(w, r, "/login?"+url.Values{"next": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
		return
	case errors.Is(err, ballast.ErrForbidden), errors.Is(err, ballast.ErrUnauthenticated):
		// A session the services no longer accept is refused, not sent back
		// to the sign-in form (which would send it here again).
		status, key = http.StatusForbidden, "error.forbidden"
	case errors.Is(err, ballast.ErrNotFound):
		status, key = http.StatusNotFound, "error.notfound"
	case errors.Is(err, ballast.ErrInvalid):
		status, key = http.StatusBadRequest, "error.invalid"
	case errors.Is(err, ballast.ErrConflict):
		status, key = http.StatusConflict, "error.conflict"
	default:
		s.log.Error("web: request failed", "path", r.URL.Path, "err", err)
		status, key = http.StatusInternalServerError, "error.internal"
	}
	base.Title = s.cat.T(base.Lang, key)
	base.Data = struct{ Message string }{s.cat.T(base.Lang, key+".text")}
	s.render(w, r, status, "error", base)
}

// signedIn reports whether the request carries a principal.
func signedIn(r *http.Request) bool {
	_, err := ballast.PrincipalFrom(r.Context())
	return err == nil
}

// postForm parses a form post and checks its CSRF token; on failure it has
// answered 403 and returns false.
func (s *server) postForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil || !csrfValid(r) {
		s.forbiddenCSRF(w, r)
		return false
	}
	return true
}

// forbiddenCSRF answers a form post whose CSRF token is missing or wrong.
func (s *server) forbiddenCSRF(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Negotiate(r, "", s.defaultLang)
	base := &page{Lang: lang, Title: s.cat.T(lang, "error.csrf")}
	base.Data = struct{ Message string }{s.cat.T(lang, "error.csrf.text")}
	s.render(w, r, http.StatusForbidden, "error", base)
}
