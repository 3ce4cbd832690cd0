package app

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// logRequests logs one line per request: method, path, status and
// duration. Static files and health checks are logged at debug level.
//
// The line deliberately holds nothing that identifies the caller: no
// principal or subject, no client address, no query string, no header.
// Anonymous feedback depends on it: its submission needs a session, and a
// log line naming the session's subject next to POST /api/feedback would
// undo the anonymity the channel package keeps in the database (its
// follow-up codes travel in request bodies for the same reason).
// TestFeedbackAPI_LogsNoIdentity holds this in place.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || strings.HasPrefix(r.URL.Path, "/static/") {
			level = slog.LevelDebug
		}
		log.LogAttrs(r.Context(), level, "http",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Duration("took", time.Since(start)))
	})
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
