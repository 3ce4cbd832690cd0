package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
)

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

type loginResponse struct {
	// Token is the session token; the response also sets it as the
	// ballast_session cookie. Send it as "Authorization: Bearer <token>".
	Token   string `json:"token"`
	Tenant  string `json:"tenant"`
	Subject string `json:"subject"`
}

// me is who is signed in.
type me struct {
	Tenant  string `json:"tenant"`
	Subject string `json:"subject"`
	Login   string `json:"login,omitempty"`
}

type tokenRequest struct {
	// TTLHours is how long the token lasts, in hours (1 to 8784; default 720).
	TTLHours int `json:"ttl_hours,omitempty"`
}

type tokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	token, p, err := s.auth.Login(r.Context(), in.Login, in.Password)
	var locked *auth.LockedError
	if errors.As(err, &locked) {
		w.Header().Set("Retry-After", strconv.Itoa(int(locked.RetryAfter(time.Now())/time.Second)))
	}
	if err != nil {
		return err
	}
	auth.SetSessionCookie(w, token)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, loginResponse{Token: token, Tenant: p.Tenant, Subject: p.Subject})
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if token := auth.TokenFrom(r); token != "" {
		if err := s.auth.Logout(r.Context(), token); err != nil {
			return err
		}
	}
	auth.ClearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) me(w http.ResponseWriter, r *http.Request) error {
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	login, err := s.auth.LoginOf(r.Context(), p.Tenant, p.Subject)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, me{Tenant: p.Tenant, Subject: p.Subject, Login: login})
}

func (s *server) issueToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.TTLHours == 0 {
		in.TTLHours = 720
	}
	if in.TTLHours < 1 || in.TTLHours > 8784 {
		return ballast.Invalid("ttl_hours", "must be between 1 and 8784")
	}
	ttl := time.Duration(in.TTLHours) * time.Hour
	token, expires, err := s.auth.IssueToken(r.Context(), ttl)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, tokenResponse{Token: token, ExpiresAt: expires})
}
