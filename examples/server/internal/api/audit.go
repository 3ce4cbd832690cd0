package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// verifyResult is the answer of GET /api/audit/verify: either the chain
// verified (OK, with the report) or the first bad link.
type verifyResult struct {
	OK     bool                `json:"ok"`
	Report *audit.VerifyReport `json:"report,omitempty"`
	// Broken names the first entry that was altered, deleted or reordered.
	Broken *brokenLink `json:"broken,omitempty"`
}

type brokenLink struct {
	Seq     int64         `json:"seq"`
	EntryID string        `json:"entry_id,omitempty"`
	Problem audit.Problem `json:"problem"`
	Detail  string        `json:"detail"`
}

var auditQ = []param{
	{"target_type", "string", "entries about this kind of record (employee, department, ...)"},
	{"target_id", "string", "entries about this record (needs target_type)"},
	{"actor", "string", "entries of this acting subject"},
	{"action", "string", `this action, or every action under a prefix ending in "." ("hr.employee.")`},
	{"since", "string", "RFC 3339 instant: entries at or after it"},
	{"until", "string", "RFC 3339 instant: entries before it"},
	{"before", "integer", "cursor: entries with seq below it (the last seq of the previous page)"},
	{"limit", "integer", "page size, default 100, at most 1000"},
}

func auditFilter(r *http.Request) (audit.Filter, error) {
	var v ballast.ValidationError
	q := r.URL.Query()
	instant := func(name string) time.Time {
		s := q.Get(name)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			v.Add(name, "must be an RFC 3339 instant such as 2026-01-31T08:00:00Z")
		}
		return t
	}
	f := audit.Filter{
		TargetType: q.Get("target_type"),
		TargetID:   q.Get("target_id"),
		Actor:      q.Get("actor"),
		Action:     q.Get("action"),
		Since:      instant("since"),
		Until:      instant("until"),
		Limit:      queryInt(r, "limit", &v),
	}
	if s := q.Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			v.Add("before", "must be an integer")
		}
		f.Before = n
	}
	return f, v.Err()
}

func (s *server) auditEntries(w http.ResponseWriter, r *http.Request) error {
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	es, err := s.audit.Query(r.Context(), p.Tenant, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(es))
}

func (s *server) auditVerify(w http.ResponseWriter, r *http.Request) error {
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	rep, err := s.audit.Verify(r.Context(), p.Tenant)
	var ce *audit.ChainError
	switch {
	case errors.As(err, &ce):
		return writeJSON(w, http.StatusOK, verifyResult{Broken: &brokenLink{Seq: ce.Seq, EntryID: ce.EntryID, Problem: ce.Problem, Detail: ce.Error()}})
	case err != nil:
		return err
	}
	return writeJSON(w, http.StatusOK, verifyResult{OK: true, Report: &rep})
}

func (s *server) auditExport(w http.ResponseWriter, r *http.Request) error {
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-evidence.jsonl"`)
	return s.audit.Export(r.Context(), p.Tenant, f, w)
}
