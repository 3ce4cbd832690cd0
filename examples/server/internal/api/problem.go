package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/hr"
)

// Problem is an RFC 9457 problem details object, the body of every error
// response (content type application/problem+json).
type Problem struct {
	// Type is a URI naming the kind of problem, "urn:ballast:problem:<kind>".
	Type string `json:"type"`
	// Title is the short summary of the kind (the HTTP status text).
	Title string `json:"title"`
	// Status repeats the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence.
	Detail string `json:"detail,omitempty"`
	// Errors lists every bad field of a validation problem.
	Errors []ballast.FieldError `json:"errors,omitempty"`
}

// ProblemContentType is the media type of problem details.
const ProblemContentType = "application/problem+json"

// Problem types.
const (
	TypeValidation      = "urn:ballast:problem:validation"
	TypeMalformed       = "urn:ballast:problem:malformed-request"
	TypeUnauthenticated = "urn:ballast:problem:unauthenticated"
	TypeForbidden       = "urn:ballast:problem:forbidden"
	TypeNotFound        = "urn:ballast:problem:not-found"
	TypeConflict        = "urn:ballast:problem:conflict"
	TypeTooLarge        = "urn:ballast:problem:too-large"
	TypeMediaType       = "urn:ballast:problem:unsupported-media-type"
	TypeMethod          = "urn:ballast:problem:method-not-allowed"
	TypeInternal        = "urn:ballast:problem:internal"
	TypeTooMany         = "urn:ballast:problem:too-many-attempts"
)

// malformedError is a request the server could not decode (bad JSON, a
// query parameter of the wrong type). It maps to 400.
type malformedError struct{ msg string }

func (e *malformedError) Error() string { return e.msg }

func malformed(msg string) error { return &malformedError{msg} }

// mediaTypeError is a body of a content type the route does not take (415).
type mediaTypeError struct{ msg string }

func (e *mediaTypeError) Error() string { return e.msg }

// importErrors lists the bad rows of a CSV import as fields named
// "line N: column".
func importErrors(ie *hr.ImportError) []ballast.FieldError {
	out := make([]ballast.FieldError, 0, len(ie.Rows))
	for _, r := range ie.Rows {
		f := "line " + strconv.Itoa(r.Line)
		if r.Column != "" {
			f += ": " + r.Column
		}
		out = append(out, ballast.FieldError{Field: f, Message: r.Reason})
	}
	return out
}

// ProblemFor maps err to its problem: the ballast error kinds to 400, 401,
// 403, 404 and 409 with the error's message as detail (and, for
// validation, every bad field), an oversized body to 413, anything else to
// 500 with a generic detail (the caller logs the real error).
func ProblemFor(err error) Problem {
	var (
		v  *ballast.ValidationError
		ie *hr.ImportError
		mf *malformedError
		mt *mediaTypeError
		mb *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mf):
		return newProblem(http.StatusBadRequest, TypeMalformed, mf.msg)
	case errors.As(err, &mt):
		return newProblem(http.StatusUnsupportedMediaType, TypeMediaType, mt.msg)
	case errors.As(err, &mb):
		return newProblem(http.StatusRequestEntityTooLarge, TypeTooLarge, "the request body exceeds "+strconv.FormatInt(mb.Limit, 10)+" bytes")
	case errors.Is(err, ballast.ErrInvalid):
		p := newProblem(http.StatusBadRequest, TypeValidation, err.Error())
		switch {
		case errors.As(err, &v):
			p.Errors = v.Fields
		case errors.As(err, &ie):
			p.Errors = importErrors(ie)
		}
		return p
	case errors.Is(err, auth.ErrTooManyAttempts):
		return newProblem(http.StatusTooManyRequests, TypeTooMany, "too many failed sign-ins for this login; try again later (see Retry-After)")
	case errors.Is(err, ballast.ErrUnauthenticated):
		return newProblem(http.StatusUnauthorized, TypeUnauthenticated, "missing or invalid credentials: sign in (POST /api/login) or send a bearer token")
	case errors.Is(err, ballast.ErrForbidden):
		return newProblem(http.StatusForbidden, TypeForbidden, err.Error())
	case errors.Is(err, ballast.ErrNotFound):
		return newProblem(http.StatusNotFound, TypeNotFound, err.Error())
	case errors.Is(err, ballast.ErrConflict):
		return newProblem(http.StatusConflict, TypeConflict, err.Error())
	default:
		return newProblem(http.StatusInternalServerError, TypeInternal, "the server failed to handle the request; the error is logged")
	}
}

func newProblem(status int, typ, detail string) Problem {
	return Problem{Type: typ, Title: http.StatusText(status), Status: status, Detail: detail}
}

// writeProblem answers err as problem details, logging errors that are not
// the client's fault.
func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	p := ProblemFor(err)
	if p.Status >= 500 {
		log.ErrorContext(r.Context(), "api: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ballast"`)
	}
	writeProblemValue(w, p)
}

// writeProblemValue writes p, dropping headers a successful response would
// have set (ETag, Content-Disposition).
func writeProblemValue(w http.ResponseWriter, p Problem) {
	h := w.Header()
	h.Del("ETag")
	h.Del("Content-Disposition")
	h.Set("Content-Type", ProblemContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
