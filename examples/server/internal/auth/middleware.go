package auth

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// CookieName is the session cookie the web UI and POST /api/login set.
const CookieName = "ballast_session"

// Middleware puts the principal of the request's credentials on its
// context: the bearer token in "Authorization: Bearer <token>" when there is
// one, otherwise the session cookie. A request without credentials, or with
// a token that is unknown, expired or revoked, passes through without a
// principal, so the services answer ErrUnauthenticated (401) where one is
// needed and public pages still work. A database failure is answered 503.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := TokenFrom(r)
		if token == "" {
			next.ServeHTTP(w, r)
			return
		}
		p, err := s.Authenticate(r.Context(), token)
		if err != nil {
			if !errors.Is(err, ballast.ErrUnauthenticated) {
				http.Error(w, "authentication is unavailable", http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(ballast.WithPrincipal(r.Context(), p)))
	})
}

// TokenFrom returns the credentials of r: the bearer token, or else the
// session cookie's value, or "".
func TokenFrom(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value
	}
	return ""
}

// SetSessionCookie sets the session cookie to token: HttpOnly,
// SameSite=Lax, path /, lasting SessionTTL. (Not Secure: the reference
// server runs on plain HTTP; put it behind TLS and a proxy that adds
// Secure in production.)
func SetSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/",
		MaxAge: int(SessionTTL / time.Second), HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// SetSessionCookie is the package's SetSessionCookie as a method, so the
// Service satisfies the web UI's Authenticator interface.
func (s *Service) SetSessionCookie(w http.ResponseWriter, token string) { SetSessionCookie(w, token) }
