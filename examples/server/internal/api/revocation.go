package api

import (
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
)

// The request bodies of the revocation routes.
type (
	// planUpdate is a new revocation plan for the tenant, with the reason
	// kept in the audit log.
	planUpdate struct {
		access.RevocationPlan
		Reason string `json:"reason,omitempty"`
	}
)

// revocationRoutes are the staged-revocation operations of access and the
// evidence bundle of one subject.
func (s *server) revocationRoutes() []route {
	const tag = "access"
	return []route{
		{method: "GET", path: "/api/access/revocation-plan", tag: tag, summary: "The tenant's staged revocation plan, or the built-in default (access:manage or offboarding:manage)",
			out: access.RevocationPlan{}, errors: errsRead, handle: s.revocationPlan},
		{method: "PUT", path: "/api/access/revocation-plan", tag: tag, summary: "Replace the tenant's revocation plan; audited with a field-level diff and the reason (access:manage)",
			in: planUpdate{}, out: access.RevocationPlan{}, errors: errsWrite, handle: s.setRevocationPlan},
		{method: "GET", path: "/api/access/subjects/{subject}/revocation-preview", tag: tag, summary: "What each stage of the tenant's plan would remove from a subject now, writing nothing (access:manage or offboarding:manage)",
			query: []param{{"stage", "string", "only the stage with this key"}}, out: []access.StageEffect{}, errors: errsRead, handle: s.previewRevocation},
		{method: "GET", path: "/api/access/subjects/{subject}/evidence", tag: tag, summary: "The evidence bundle of one subject: every audit entry about their access (grants, stages, restores), verifiable offline (audit:read)",
			outMedia: mediaNDJSON, errors: errsRead, handle: s.subjectEvidence},
	}
}

func (s *server) revocationPlan(w http.ResponseWriter, r *http.Request) error {
	plan, err := s.access.TenantRevocationPlan(r.Context())
	if err != nil {
		return err
	}
	plan.Stages = nonNil(plan.Stages)
	return writeJSON(w, http.StatusOK, plan)
}

func (s *server) setRevocationPlan(w http.ResponseWriter, r *http.Request) error {
	var in planUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.access.SetTenantRevocationPlan(r.Context(), in.RevocationPlan, in.Reason); err != nil {
		return err
	}
	return s.revocationPlan(w, r)
}

func (s *server) previewRevocation(w http.ResponseWriter, r *http.Request) error {
	plan, err := s.access.TenantRevocationPlan(r.Context())
	if err != nil {
		return err
	}
	key := r.URL.Query().Get("stage")
	out := []access.StageEffect{}
	for _, st := range plan.Stages {
		if key != "" && st.Key != key {
			continue
		}
		eff, err := s.access.PreviewStage(r.Context(), r.PathValue("subject"), st)
		if err != nil {
			return err
		}
		out = append(out, eff)
	}
	if key != "" && len(out) == 0 {
		return ballast.Invalid("stage", "is not a stage of the tenant's revocation plan")
	}
	return writeJSON(w, http.StatusOK, out)
}

// subjectEvidence exports the audit entries about one subject's access as
// a self-verifying bundle (audit.VerifyBundle checks it offline).
func (s *server) subjectEvidence(w http.ResponseWriter, r *http.Request) error {
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	subject := r.PathValue("subject")
	if err := ballast.CheckID("subject", subject); err != nil {
		return err
	}
	w.Header().Set("Content-Type", mediaNDJSON)
	w.Header().Set("Content-Disposition", `attachment; filename="evidence-`+subject+`.jsonl"`)
	return s.audit.Export(r.Context(), p.Tenant, audit.Filter{TargetType: "subject", TargetID: subject}, w)
}
