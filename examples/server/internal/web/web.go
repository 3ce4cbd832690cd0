// Package web is the reference server's browser UI: server-rendered
// html/template pages (embedded, escaping on) for signing in, the org tree,
// the employee list and the employee profile, customer records, the asset
// register, the HR↔employee channel, anonymous feedback, the key-person
// risk view, offboarding (cases run step by step, the successor's
// signature, the printable handover report, the template and revocation
// plan editors) and assessment (indicator library, weighted templates,
// cycles from self-evaluation to calibration and finalisation, manager
// scoring, printable results, 360 feedback and appeals), in zh-CN and en.
//
// Handlers are thin: they decode the request, call one service method with
// the signed-in principal on the context and render the result. The
// services enforce every permission; the UI only hides links the principal
// could not follow. Every page needs a signed-in principal (otherwise it
// redirects to /login) and every form carries a CSRF token (double-submit
// cookie).
//
//	h, err := web.New(web.Config{HR: a.HR, Access: a.Access, Auth: a.Auth,
//		Customers: a.Customers, Assets: a.Assets, Channel: a.Channel, Insight: a.Insight,
//		Offboarding: a.Offboarding, PublicTenant: demo.TenantID}) // the optional sections appear when set
//	if err != nil { ... }
//	mux.Handle("/", h) // the API lives under /api, the UI everywhere else
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
)

// sessionCookie is the cookie internal/auth keeps the session token in.
const sessionCookie = "ballast_session"

// Authenticator is what the UI needs from internal/auth.
type Authenticator interface {
	// Login checks a login and password and returns a new session token.
	Login(ctx context.Context, login, password string) (string, ballast.Principal, error)
	// Logout ends the session of token.
	Logout(ctx context.Context, token string) error
	// Middleware puts the principal of the request's session (cookie or
	// bearer token) on its context and passes requests without one through
	// unchanged.
	Middleware(next http.Handler) http.Handler
	// SetSessionCookie writes the session cookie for token.
	SetSessionCookie(w http.ResponseWriter, token string)
}

// Authorizer is what the UI needs from access: whether to show a link.
type Authorizer interface {
	Allowed(ctx context.Context, permission string) (bool, error)
}

// Config is what New needs. HR, Access and Auth are required.
type Config struct {
	// HR serves the org and employee pages.
	HR HR
	// Access decides which links a page shows.
	Access Authorizer
	// Auth signs users in and out and recognises their sessions.
	Auth Authenticator
	// Catalog holds the texts; nil means i18n.New().
	Catalog *i18n.Catalog
	// DefaultLang is the language of the sign-in page when neither the
	// lang cookie nor Accept-Language decides; empty means zh-CN (the demo
	// company's language). After sign-in the tenant's locale applies.
	DefaultLang string
	// Logger receives unexpected errors; nil means slog.Default().
	Logger *slog.Logger
	// Clock dates tenures on the profile page; nil means the system clock.
	Clock ballast.Clock

	// Customers serves the customer pages (*customers.Service); nil leaves
	// them out.
	Customers Customers
	// Assets serves the asset register pages (*assets.Service); nil leaves
	// them out.
	Assets Assets
	// Channel serves announcements, questions and anonymous feedback
	// (*channel.Service); nil leaves them out.
	Channel Channel
	// Insight serves the key-person risk view (*insight.Service); nil
	// leaves it out.
	Insight Insight
	// Offboarding serves the offboarding cases, the signature page, the
	// handover report and the template editor (*offboarding.Service); nil
	// leaves them out. When Access also implements Revocations (as
	// *access.Enforcer does), a case shows its revocation stages with a
	// preview and an explain box, and the revocation plan editor appears.
	Offboarding Offboarding
	// Assessment serves the review pages: the indicator library, the
	// template and grade scale editors, cycles with their progress,
	// calibration and finalisation, self-evaluations, manager scoring,
	// results and department reports (*assessment.Service); nil leaves them
	// out.
	Assessment Assessment
	// Multirater serves the 360 feedback pages: nominations and their
	// approval, the questionnaire, HR's round progress and the reports
	// (*multirater.Service); nil leaves them out.
	Multirater Multirater
	// Appeals serves the appeal pages: filing from a result, the thread,
	// HR's decision (*appeal.Service); nil leaves them out.
	Appeals Appeals
	// PublicTenant is the tenant whose follow-up codes the feedback check
	// page reads for visitors who are not signed in (the code is the
	// credential, so no session is needed). Empty means the page asks
	// visitors to sign in first; signed-in users always check within their
	// own tenant.
	PublicTenant string
}

type server struct {
	hr          HR
	access      Authorizer
	auth        Authenticator
	cat         *i18n.Catalog
	defaultLang string
	log         *slog.Logger
	clock       ballast.Clock
	tmpl        map[string]*template.Template

	customers    Customers
	assets       Assets
	channel      Channel
	insight      Insight
	offboarding  Offboarding
	revocations  Revocations
	assessment   Assessment
	multirater   Multirater
	appeals      Appeals
	publicTenant string
}

// New returns the UI's handler. It serves /login, /logout, /lang, /static/,
// / (redirects to the org tree or the user's own profile), /org,
// /employees and /employees/{id}; with the optional services, /customers…
// (list, detail with history, export, snapshots and diffs), /assets…
// (register, detail, my items), /announcements… and /questions… (inbox,
// Markdown documents, Q&A, receipts), /feedback… (anonymous submission, the
// follow-up code check without login, HR's inbox) and /risk (referral
// trees and flagged people); with Offboarding, /offboarding… (cases, the
// resignation form, a case step by step, the successor's signature page,
// the printable handover report and its CSV, the template and revocation
// plan editors); with Assessment, /assessment… (my reviews, the
// self-evaluation and scoring forms, results, cycles, calibration, the
// library, template and grade scale editors, department reports); with
// Multirater, /360… (nominations, approvals, questionnaires, reports); with
// Appeals, /appeals… (filing, the thread, HR's decision). It fails when a
// required service is missing.
func New(cfg Config) (http.Handler, error) {
	switch {
	case cfg.HR == nil:
		return nil, errors.New("web: config: HR is required")
	case cfg.Access == nil:
		return nil, errors.New("web: config: Access is required")
	case cfg.Auth == nil:
		return nil, errors.New("web: config: Auth is required")
	}
	s := &server{hr: cfg.HR, access: cfg.Access, auth: cfg.Auth, cat: cfg.Catalog, defaultLang: cfg.DefaultLang, log: cfg.Logger, clock: ballast.ClockOrSystem(cfg.Clock),
		customers: cfg.Customers, assets: cfg.Assets, channel: cfg.Channel, insight: cfg.Insight, offboarding: cfg.Offboarding, publicTenant: cfg.PublicTenant,
		assessment: cfg.Assessment, multirater: cfg.Multirater, appeals: cfg.Appeals}
	s.revocations, _ = cfg.Access.(Revocations)
	if s.cat == nil {
		c, err := i18n.New()
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		s.cat = c
	}
	if s.defaultLang == "" {
		s.defaultLang = i18n.ZH
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	t, err := parseTemplates(s.cat)
	if err != nil {
		return nil, err
	}
	s.tmpl = t
	static, err := staticHandler()
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.Handle("GET /static/", static)
	mux.HandleFunc("GET /login", s.handleLoginForm)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)
	mux.HandleFunc("GET /lang", s.handleLang)
	mux.Handle("GET /{$}", s.signedIn(s.handleHome))
	mux.Handle("GET /org", s.signedIn(s.handleOrg))
	mux.Handle("GET /employees", s.signedIn(s.handleEmployees))
	mux.Handle("GET /employees/{id}", s.signedIn(s.handleProfile))
	mux.Handle("POST /employees/{id}/self", s.signedIn(s.handleSelfService))
	if s.customers != nil {
		s.customerRoutes(mux)
	}
	if s.assets != nil {
		s.assetRoutes(mux)
	}
	if s.channel != nil {
		s.channelRoutes(mux)
		s.feedbackRoutes(mux)
	}
	if s.insight != nil {
		s.riskRoutes(mux)
	}
	if s.offboarding != nil {
		s.offboardingRoutes(mux)
	}
	if s.assessment != nil {
		s.assessmentRoutes(mux)
	}
	if s.multirater != nil {
		s.multiraterRoutes(mux)
	}
	if s.appeals != nil {
		s.appealRoutes(mux)
	}
	mux.Handle("/", s.signedIn(s.handleNotFound))
	return cfg.Auth.Middleware(mux), nil
}
