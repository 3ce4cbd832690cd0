package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// csrfCookie holds the double-submit token: every form carries the same
// value in a hidden field, and a POST is accepted only when the two match.
// A cross-site page can make the browser send the cookie but cannot read it
// to fill in the field.
const csrfCookie = "ballast_csrf"

// csrfField is the form field that carries the token.
const csrfField = "csrf"

// csrfToken returns the request's CSRF token, issuing a new cookie when the
// request has none (or a malformed one).
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookie,
		Value:    tok,
		Path:     "/",
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
	return tok
}

// csrfValid reports whether the form field matches the cookie. It must be
// called after ParseForm.
func csrfValid(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	got := r.PostFormValue(csrfField)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}
