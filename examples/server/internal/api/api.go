// Package api is the reference server's JSON REST API over the ballast
// services, mounted under /api/, with its OpenAPI 3 document: the org and
// employees (hr), access, audit, customer records and their snapshots
// (hr/customers), the asset register (hr/assets), announcements, questions
// and anonymous feedback (hr/channel), the key-person risk view
// (hr/insight), offboarding cases with their handover steps and signatures
// (offboarding) and the staged revocation of access with its evidence,
// review cycles with their 360 rounds and appeals (assessment,
// assessment/multirater, assessment/appeal).
//
// Every route is one entry of a route table (routes.go) that both registers
// the handler on a net/http ServeMux and describes the operation in the
// OpenAPI document, so the two cannot drift apart (a test walks both).
// Handlers are thin: decode the request, call one service method with the
// request's principal on the context, encode the result. The services check
// every permission. Errors are RFC 9457 problem details (problem.go).
//
//	h, err := api.New(api.Config{HR: hrSvc, Access: enforcer, Audit: auditLog, Auth: authSvc,
//		Customers: customerSvc, Assets: assetSvc, Channel: channelSvc, Insight: insightSvc,
//		Offboarding: offboardingSvc, Assessment: assessmentSvc, Multirater: multiraterSvc, Appeals: appealSvc})
//	mux.Handle("/api/", h)
//	mux.HandleFunc("GET /openapi.json", h.ServeOpenAPI)
package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// HR is what the API calls on the hr package; *hr.Service implements it.
type HR interface {
	Tenant(ctx context.Context) (hr.Tenant, error)
	UpdateTenant(ctx context.Context, p hr.TenantParams, version int64) (hr.Tenant, error)
	CreateDepartment(ctx context.Context, p hr.DepartmentParams) (hr.Department, error)
	UpdateDepartment(ctx context.Context, id string, p hr.DepartmentParams, version int64) (hr.Department, error)
	DeleteDepartment(ctx context.Context, id string, version int64) error
	Department(ctx context.Context, id string) (hr.Department, error)
	Departments(ctx context.Context) ([]hr.Department, error)
	DepartmentTree(ctx context.Context) ([]*hr.DepartmentNode, error)
	CreatePosition(ctx context.Context, p hr.PositionParams) (hr.Position, error)
	UpdatePosition(ctx context.Context, id string, p hr.PositionParams, version int64) (hr.Position, error)
	DeletePosition(ctx context.Context, id string, version int64) error
	Position(ctx context.Context, id string) (hr.Position, error)
	Positions(ctx context.Context, departmentID string) ([]hr.Position, error)
	HireEmployee(ctx context.Context, p hr.EmployeeParams) (hr.Employee, error)
	UpdateEmployee(ctx context.Context, id string, p hr.EmployeeParams, version int64) (hr.Employee, error)
	Employee(ctx context.Context, id string) (hr.Employee, error)
	EmployeeByNumber(ctx context.Context, number string) (hr.Employee, error)
	ListEmployees(ctx context.Context, f hr.EmployeeFilter) (hr.EmployeePage, error)
	Referrals(ctx context.Context, employeeID string) ([]hr.Employee, error)
	Profile(ctx context.Context, employeeID string) (hr.Profile, error)
	UpdateProfile(ctx context.Context, employeeID string, u hr.ProfileUpdate) (hr.Profile, error)
	ImportDepartmentsCSV(ctx context.Context, r io.Reader) (hr.ImportReport, error)
	ImportEmployeesCSV(ctx context.Context, r io.Reader) (hr.ImportReport, error)
	ExportEmployeesCSV(ctx context.Context, w io.Writer, f hr.EmployeeFilter) (int, error)
	ExportDepartmentsCSV(ctx context.Context, w io.Writer) (int, error)
}

// Authenticator is what the API needs from the server's auth package;
// *auth.Service implements it.
type Authenticator interface {
	Login(ctx context.Context, login, password string) (string, ballast.Principal, error)
	Logout(ctx context.Context, token string) error
	IssueToken(ctx context.Context, ttl time.Duration) (string, time.Time, error)
	LoginOf(ctx context.Context, tenant, subject string) (string, error)
	Middleware(next http.Handler) http.Handler
}

// Access is what the API calls on the access package; *access.Enforcer
// implements it.
type Access interface {
	PermissionsOf(ctx context.Context, subject string) ([]string, error)
	RolesOf(ctx context.Context, subject string) ([]string, error)
	RulesOf(ctx context.Context, subject string) ([]access.Rule, error)
	GrantRole(ctx context.Context, subject, role, reason string) error
	RevokeRole(ctx context.Context, subject, role, reason string) error
	GrantPermission(ctx context.Context, subject, permission, reason string) error
	DenyPermission(ctx context.Context, subject, permission, reason string) error
	RevokePermission(ctx context.Context, subject, permission, reason string) error
	DisableAccount(ctx context.Context, subject, reason string) error
	EnableAccount(ctx context.Context, subject, reason string) error
	Explain(ctx context.Context, tenant, subject, permission string) (access.Decision, error)

	TenantRevocationPlan(ctx context.Context) (access.RevocationPlan, error)
	SetTenantRevocationPlan(ctx context.Context, plan access.RevocationPlan, reason string) error
	PreviewStage(ctx context.Context, subject string, st access.Stage) (access.StageEffect, error)
	AppliedStages(ctx context.Context, caseID string) ([]access.StageEffect, error)
}

// Audit is what the API calls on the audit log; *audit.Log implements it.
type Audit interface {
	Query(ctx context.Context, tenant string, f audit.Filter) ([]audit.Entry, error)
	Verify(ctx context.Context, tenant string) (audit.VerifyReport, error)
	Export(ctx context.Context, tenant string, f audit.Filter, w io.Writer) error
}

// Config is what New needs. Every service is required; Logger nil means
// slog.Default().
type Config struct {
	HR        HR
	Access    Access
	Audit     Audit
	Auth      Authenticator
	Customers Customers
	Assets    Assets
	Channel   Channel
	Insight   Insight
	// Offboarding runs resignations as cases (offboarding).
	Offboarding Offboarding
	// Assessment runs review cycles (assessment), Multirater their 360
	// rounds (assessment/multirater), Appeals the appeals on results
	// (assessment/appeal).
	Assessment Assessment
	Multirater Multirater
	Appeals    Appeals
	Logger     *slog.Logger
}

// Handler serves the API under /api/ and its OpenAPI document.
type Handler struct {
	h   http.Handler
	mux *http.ServeMux
	doc []byte
}

type server struct {
	hr          HR
	access      Access
	audit       Audit
	auth        Authenticator
	customers   Customers
	assets      Assets
	channel     Channel
	insight     Insight
	offboarding Offboarding
	assessment  Assessment
	multirater  Multirater
	appeals     Appeals
	log         *slog.Logger
	mux         *http.ServeMux
}

// New returns the API handler, or an error naming a missing service.
func New(cfg Config) (*Handler, error) {
	var missing []error
	if cfg.HR == nil {
		missing = append(missing, errors.New("HR is required"))
	}
	if cfg.Access == nil {
		missing = append(missing, errors.New("Access is required"))
	}
	if cfg.Audit == nil {
		missing = append(missing, errors.New("Audit is required"))
	}
	if cfg.Auth == nil {
		missing = append(missing, errors.New("Auth is required"))
	}
	if cfg.Customers == nil {
		missing = append(missing, errors.New("Customers is required"))
	}
	if cfg.Assets == nil {
		missing = append(missing, errors.New("Assets is required"))
	}
	if cfg.Channel == nil {
		missing = append(missing, errors.New("Channel is required"))
	}
	if cfg.Insight == nil {
		missing = append(missing, errors.New("Insight is required"))
	}
	if cfg.Offboarding == nil {
		missing = append(missing, errors.New("Offboarding is required"))
	}
	if cfg.Assessment == nil {
		missing = append(missing, errors.New("Assessment is required"))
	}
	if cfg.Multirater == nil {
		missing = append(missing, errors.New("Multirater is required"))
	}
	if cfg.Appeals == nil {
		missing = append(missing, errors.New("Appeals is required"))
	}
	if err := errors.Join(missing...); err != nil {
		return nil, fmt.Errorf("api: config: %w", err)
	}
	s := &server{hr: cfg.HR, access: cfg.Access, audit: cfg.Audit, auth: cfg.Auth,
		customers: cfg.Customers, assets: cfg.Assets, channel: cfg.Channel, insight: cfg.Insight,
		offboarding: cfg.Offboarding, assessment: cfg.Assessment, multirater: cfg.Multirater, appeals: cfg.Appeals,
		log: cfg.Logger, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.Default()
	}
	rts := s.routes()
	for _, rt := range rts {
		s.mux.Handle(rt.pattern(), s.wrap(rt))
	}
	s.mux.HandleFunc("/api/", s.notFound)
	doc, err := openAPIDocument(rts)
	if err != nil {
		return nil, err
	}
	return &Handler{h: cfg.Auth.Middleware(s.mux), mux: s.mux, doc: doc}, nil
}

// ServeHTTP serves the API routes (paths under /api/).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.h.ServeHTTP(w, r) }

// ServeOpenAPI serves the OpenAPI 3 document of the API.
func (h *Handler) ServeOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(h.doc)
}

// OpenAPI returns the OpenAPI 3 document of the API (JSON).
func (h *Handler) OpenAPI() []byte { return h.doc }

// wrap turns a route's handler into an http.Handler: it refuses requests
// without a principal on non-public routes and answers errors as problem
// details (or, when the response had already started, logs them).
func (s *server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rt.public {
			if _, err := ballast.PrincipalFrom(r.Context()); err != nil {
				writeProblem(w, r, s.log, err)
				return
			}
		}
		tw := &trackingWriter{ResponseWriter: w}
		limit := int64(maxJSONBody)
		if rt.inCSV {
			limit = maxCSVBody
		}
		r.Body = http.MaxBytesReader(tw, r.Body, limit)
		if err := rt.handle(tw, r); err != nil {
			if tw.started {
				s.log.ErrorContext(r.Context(), "api: response failed after it started", "method", r.Method, "path", r.URL.Path, "err", err)
				return
			}
			writeProblem(w, r, s.log, err)
		}
	})
}

// notFound answers paths under /api/ that no route serves: 405 with Allow
// when the path exists for other methods, else 404.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		for _, m := range allow {
			w.Header().Add("Allow", m)
		}
		p := newProblem(http.StatusMethodNotAllowed, TypeMethod, r.Method+" is not supported here")
		writeProblemValue(w, p)
		return
	}
	writeProblemValue(w, newProblem(http.StatusNotFound, TypeNotFound, "no such API route: "+r.URL.Path))
}

// trackingWriter records whether the response has started.
type trackingWriter struct {
	http.ResponseWriter
	started bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.started = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.started = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
