package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed static
var staticFS embed.FS

// page is what every template receives.
type page struct {
	Lang       string
	SignedIn   bool
	Title      string
	Section    string // which nav entry is active
	TenantName string
	UserName   string
	CSRF       string
	Nav        nav
	Langs      []langLink
	LightLangs bool
	Flash      string
	Error      string
	Data       any
	// Zone is the tenant's time zone, for instants (nil: UTC).
	Zone *time.Location
}

// nav lists the links the principal may follow; the layout hides the rest.
type nav struct {
	Org       bool
	Employees bool
	Me        string // the principal's own employee ID, when it has one

	Customers     bool
	Assets        string // "/assets" for readers of others' assets, "/assets/mine" for the rest, "" hidden
	Announcements bool
	Unread        int
	ManageChannel bool
	Feedback      bool
	FeedbackInbox bool
	Risk          bool
	Offboarding   bool
	Assessment    bool
}

// langLink is one entry of the language switch.
type langLink struct {
	Code, Label, Href string
}

// pageNames are the content templates; each is parsed with the layout.
var pageNames = []string{"error", "org", "employees", "profile",
	"customers", "customer", "customer_new", "snapshots", "snapshot_diff",
	"assets", "asset", "assets_mine",
	"announcements", "announcement", "announcements_manage", "receipts", "unanswered",
	"feedback_submit", "feedback_code", "feedback_check", "feedback_inbox", "feedback_item",
	"risk",
	"offboarding_cases", "offboarding_new", "offboarding_case", "offboarding_sign", "offboarding_report",
	"offboarding_template", "offboarding_plan"}

// parseTemplates builds one template set per page (layout + content) and
// the stand-alone login page.
func parseTemplates(cat *i18n.Catalog) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"t": func(lang, key string, args ...any) string { return cat.T(lang, key, args...) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.Format("2006-01-02")
		},
		"dateptr": func(t *time.Time) string {
			if t == nil || t.IsZero() {
				return "—"
			}
			return t.Format("2006-01-02")
		},
		"initial": func(s string) string {
			for _, r := range s {
				return strings.ToUpper(string(r))
			}
			return "?"
		},
		"pct": func(v, max float64) string {
			if max <= 0 {
				return "0%"
			}
			p := v / max * 100
			if p > 100 {
				p = 100
			}
			if p < 0 {
				p = 0
			}
			return fmt.Sprintf("%.0f%%", p)
		},
		"add": func(a, b int) int { return a + b },
		"neg": func(a int) int { return -a },
		"datetime": func(loc *time.Location, t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			if loc == nil {
				loc = time.UTC
			}
			return t.In(loc).Format("2006-01-02 15:04")
		},
		"money": money,
		"ferr": func(errs map[string]string, format string, args ...any) string {
			return errs[fmt.Sprintf(format, args...)]
		},
		"ferrp": func(errs map[string]string, format string, args ...any) string {
			prefix := fmt.Sprintf(format, args...)
			var out []string
			for k, v := range errs {
				if strings.HasPrefix(k, prefix) {
					out = append(out, k+" "+v)
				}
			}
			slices.Sort(out)
			return strings.Join(out, "; ")
		},
		"has": func(xs []string, x string) bool {
			for _, y := range xs {
				if y == x {
					return true
				}
			}
			return false
		},
		"short": func(h string) string {
			if len(h) > 12 {
				return h[:12] + "…"
			}
			return h
		},
		"md":    markdown,
		"share": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
		"join":  strings.Join,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("dict: key is not a string")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templatesFS, "templates/layout.html", "templates/partials.html", "templates/assessment_partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	out := make(map[string]*template.Template)
	for _, name := range pageNames {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: clone layout: %w", err)
		}
		if _, err := t.ParseFS(templatesFS, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		out[name] = t
	}
	login, err := base.Clone()
	if err != nil {
		return nil, fmt.Errorf("web: clone layout: %w", err)
	}
	if _, err := login.ParseFS(templatesFS, "templates/login.html"); err != nil {
		return nil, fmt.Errorf("web: parse login: %w", err)
	}
	out["login"] = login
	return out, nil
}

// staticHandler serves the embedded stylesheet.
func staticHandler() (http.Handler, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return http.StripPrefix("/static/", http.FileServerFS(sub)), nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	p.CSRF = csrfToken(w, r)
	p.Langs = s.langLinks(r)
	t, ok := s.tmpl[name]
	if !ok {
		http.Error(w, "unknown page", http.StatusInternalServerError)
		return
	}
	entry := "layout"
	if name == "login" {
		entry = "login"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, entry, p); err != nil {
		s.log.Error("web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// langLinks builds the language switch: each link goes through /lang and
// comes back to the current page.
func (s *server) langLinks(r *http.Request) []langLink {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = r.URL.Path
	}
	var out []langLink
	for _, l := range i18n.Languages() {
		out = append(out, langLink{
			Code:  l,
			Label: s.cat.T(l, "lang.self"),
			Href:  "/lang?" + url.Values{"to": {l}, "next": {next}}.Encode(),
		})
	}
	return out
}

// localPath returns p when it is a path on this site, and "/" otherwise, so
// a redirect target taken from a request can never leave the site.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}

// money formats hundredths of a currency unit with thousands separators:
// 123456789 CNY is "¥1,234,567.89"; other currencies get their code.
func money(cents int64, currency string) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	units := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac := cents % 100; frac != 0 {
		out += fmt.Sprintf(".%02d", frac)
	}
	switch currency {
	case "", "CNY":
		out = "¥" + out
	default:
		out = out + " " + currency
	}
	if neg {
		out = "-" + out
	}
	return out
}
