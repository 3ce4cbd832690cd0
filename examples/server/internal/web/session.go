package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
)

// handleLoginForm shows the sign-in form; a signed-in user goes home.
func (s *server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	if _, err := ballast.PrincipalFrom(r.Context()); err == nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", "")
}

// handleLogin checks the credentials, sets the session cookie and returns
// to the page the user first asked for.
func (s *server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !csrfValid(r) {
		s.renderLogin(w, r, http.StatusForbidden, "login.error.csrf", r.PostFormValue("login"))
		return
	}
	login := strings.TrimSpace(r.PostFormValue("login"))
	token, _, err := s.auth.Login(r.Context(), login, r.PostFormValue("password"))
	if err != nil {
		key, status := "login.error.failed", http.StatusUnauthorized
		var locked *auth.LockedError
		if errors.As(err, &locked) {
			key, status = "login.error.throttled", http.StatusTooManyRequests
			w.Header().Set("Retry-After", strconv.Itoa(int(locked.RetryAfter(time.Now())/time.Second)))
		} else if !errors.Is(err, ballast.ErrUnauthenticated) && !errors.Is(err, ballast.ErrInvalid) && !errors.Is(err, ballast.ErrForbidden) {
			s.log.Error("web: login", "err", err)
			key, status = "login.error.internal", http.StatusInternalServerError
		}
		s.renderLogin(w, r, status, key, login)
		return
	}
	s.auth.SetSessionCookie(w, token)
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, errKey, login string) {
	lang := i18n.Negotiate(r, "", s.defaultLang)
	next := r.URL.Query().Get("next")
	if r.Method == http.MethodPost {
		next = r.PostFormValue("next")
	}
	p := &page{
		Lang:       lang,
		LightLangs: true,
		Data: struct{ Next, Login string }{
			Next:  localPath(next),
			Login: login,
		},
	}
	if errKey != "" {
		p.Error = s.cat.T(lang, errKey)
	}
	s.render(w, r, status, "login", p)
}

// handleLogout ends the session and returns to the sign-in form.
func (s *server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !csrfValid(r) {
		s.forbiddenCSRF(w, r)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil {
			s.log.Error("web: logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// handleLang remembers the chosen language in a cookie and goes back to
// the page the switch was clicked on.
func (s *server) handleLang(w http.ResponseWriter, r *http.Request) {
	if l, ok := i18n.Supported(r.URL.Query().Get("to")); ok {
		http.SetCookie(w, &http.Cookie{
			Name:     i18n.CookieName,
			Value:    l,
			Path:     "/",
			MaxAge:   365 * 24 * 3600,
			HttpOnly: true,
			Secure:   r.TLS != nil,
			SameSite: http.SameSiteLaxMode,
		})
	}
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}
