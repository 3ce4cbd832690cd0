package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
	"github.com/ballast-hr/ballast/hr"
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
)

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
		ctx := r.Context()
		base := &page{}
		t, err := s.hr.Tenant(ctx)
		if err != nil {
			s.fail(w, r, &page{Lang: i18n.Negotiate(r, "", s.defaultLang)}, err)
			return
		}
		base.TenantName = t.Name
		base.Lang = i18n.Negotiate(r, t.Locale, s.defaultLang)
		base.Nav.Org = s.allowed(ctx, permEmployeesRead)
		base.Nav.Employees = base.Nav.Org
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
		h(w, r, base, p)
	})
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

// forbiddenCSRF answers a form post whose CSRF token is missing or wrong.
func (s *server) forbiddenCSRF(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Negotiate(r, "", s.defaultLang)
	base := &page{Lang: lang, Title: s.cat.T(lang, "error.csrf")}
	base.Data = struct{ Message string }{s.cat.T(lang, "error.csrf.text")}
	s.render(w, r, http.StatusForbidden, "error", base)
}
