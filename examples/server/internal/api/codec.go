package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
)

// Body size limits.
const (
	maxJSONBody = 1 << 20  // 1 MiB
	maxCSVBody  = 32 << 20 // 32 MiB: about 100,000 employees
)

// decodeJSON reads r's body, which must be application/json holding
// exactly one value with no unknown fields, into dst. (Every route's body
// is limited in size by the wrapper: maxJSONBody, or maxCSVBody for CSV.)
func decodeJSON(r *http.Request, dst any) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return &mediaTypeError{"the body must be application/json"}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return malformed("the body is empty; it must be a JSON object")
		}
		return malformed("the body is not valid JSON for this request: " + err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed("the body holds more than one JSON value")
	}
	return nil
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("api: encode response: %w", err)
	}
	return nil
}

// writeVersioned answers v as JSON with an ETag of its version, which a
// client sends back as If-Match on its next update.
func writeVersioned(w http.ResponseWriter, status int, v any, version int64) error {
	w.Header().Set("ETag", etag(version))
	return writeJSON(w, status, v)
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// version returns the version a change is based on (optimistic locking):
// the If-Match header ("3" or W/"3"), else the body's version field when
// the route has one and it is set (bodyVersion, nil if none), else the
// "version" query parameter. A missing or malformed version is a
// validation error (versions start at 1).
func version(r *http.Request, bodyVersion *int64) (int64, error) {
	if h := strings.TrimSpace(r.Header.Get("If-Match")); h != "" {
		h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
		v, err := strconv.ParseInt(h, 10, 64)
		if err != nil || v < 0 {
			return 0, ballast.Invalid("If-Match", "must be the version (ETag) read, such as \"3\"")
		}
		return v, nil
	}
	if bodyVersion != nil && *bodyVersion > 0 {
		return *bodyVersion, nil
	}
	if q := r.URL.Query().Get("version"); q != "" {
		v, err := strconv.ParseInt(q, 10, 64)
		if err != nil || v < 0 {
			return 0, ballast.Invalid("version", "must be a non-negative integer")
		}
		return v, nil
	}
	return 0, ballast.Invalid("version", "is required: send the version read as If-Match, a version field or ?version=")
}

// queryBool reads a boolean query parameter ("true", "1", "false", "0",
// absent means false).
func queryBool(r *http.Request, name string, v *ballast.ValidationError) bool {
	s := r.URL.Query().Get(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		v.Add(name, "must be true or false")
	}
	return b
}

// queryInt reads an integer query parameter (absent means 0).
func queryInt(r *http.Request, name string, v *ballast.ValidationError) int {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(name, "must be an integer")
	}
	return n
}
