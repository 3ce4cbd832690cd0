package api

import (
	"bytes"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/insight"
)

// keyPerson is one flagged person with the department they are flagged
// for (a top referrer may work elsewhere).
type keyPerson struct {
	Department insight.Department `json:"department"`
	insight.PersonRisk
}

// mediaSVG is the media type of the referral-tree pictures.
const mediaSVG = "image/svg+xml"

var insightQ = []param{
	{"include_departed", "boolean", "count departed employees as members, referrers and owners"},
	{"include_subdepartments", "boolean", "a department's team is its whole subtree"},
}

// insightRoutes are the key-person risk operations.
func (s *server) insightRoutes() []route {
	const tag = "insight"
	return []route{
		{method: "GET", path: "/api/insight/analysis", tag: tag, summary: "The key-person risk of every department in scope (analytics:read for all, analytics:read:department for the ones one heads)",
			query: insightQ, out: insight.Analysis{}, errors: errsRead, handle: s.analysis},
		{method: "GET", path: "/api/insight/clusters", tag: tag, summary: "The departments that are dependency clusters: one person referred at least the threshold share of the team",
			query: insightQ, out: []insight.DepartmentRisk{}, errors: errsRead, handle: s.clusters},
		{method: "GET", path: "/api/insight/key-persons", tag: tag, summary: "Every flagged person with the department and the reasons spelled out",
			query: insightQ, out: []keyPerson{}, errors: errsRead, handle: s.keyPersons},
		{method: "GET", path: "/api/insight/departments/{id}", tag: tag, summary: "One department's risk: team, top referrer, customer concentration and the people flagged",
			query: insightQ, out: insight.DepartmentRisk{}, errors: errsRead, handle: s.departmentRisk},
		{method: "GET", path: "/api/insight/departments/{id}/referrals", tag: tag, summary: "A department's referral forest with the cluster marked",
			query: insightQ, out: insight.Forest{}, errors: errsRead, handle: s.departmentForest},
		{method: "GET", path: "/api/insight/departments/{id}/referrals.svg", tag: tag, summary: "A department's referral forest as a picture, the cluster highlighted",
			query: insightQ, outMedia: mediaSVG, errors: errsRead, handle: s.departmentForestSVG},
		{method: "GET", path: "/api/insight/referrals", tag: tag, summary: "Every referral tree in scope (who referred whom, transitively), clusters marked",
			query: insightQ, out: []*insight.Node{}, errors: errsRead, handle: s.referralForest},
		{method: "GET", path: "/api/insight/referrals.svg", tag: tag, summary: "Every referral tree in scope as a picture, clusters highlighted",
			query: insightQ, outMedia: mediaSVG, errors: errsRead, handle: s.referralForestSVG},
		{method: "GET", path: "/api/insight/referrals/{id}", tag: tag, summary: "The referral tree below one employee",
			query: insightQ, out: insight.Node{}, errors: errsRead, handle: s.referralTree},
		{method: "GET", path: "/api/insight/referrals/{id}/svg", tag: tag, summary: "The referral tree below one employee as a picture",
			query: insightQ, outMedia: mediaSVG, errors: errsRead, handle: s.referralTreeSVG},
	}
}

func insightOptions(r *http.Request) (insight.Options, error) {
	var v ballast.ValidationError
	o := insight.Options{
		IncludeDeparted:       queryBool(r, "include_departed", &v),
		IncludeSubdepartments: queryBool(r, "include_subdepartments", &v),
	}
	return o, v.Err()
}

func (s *server) analyze(r *http.Request) (*insight.Analysis, error) {
	o, err := insightOptions(r)
	if err != nil {
		return nil, err
	}
	return s.insight.Analyze(r.Context(), o)
}

func (s *server) analysis(w http.ResponseWriter, r *http.Request) error {
	a, err := s.analyze(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *server) clusters(w http.ResponseWriter, r *http.Request) error {
	a, err := s.analyze(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(a.Clusters()))
}

func (s *server) keyPersons(w http.ResponseWriter, r *http.Request) error {
	a, err := s.analyze(r)
	if err != nil {
		return err
	}
	out := []keyPerson{}
	for _, d := range a.Departments {
		for _, p := range d.People {
			out = append(out, keyPerson{Department: d.Department, PersonRisk: p})
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *server) departmentRisk(w http.ResponseWriter, r *http.Request) error {
	o, err := insightOptions(r)
	if err != nil {
		return err
	}
	d, err := s.insight.DepartmentRisk(r.Context(), r.PathValue("id"), o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *server) departmentForest(w http.ResponseWriter, r *http.Request) error {
	o, err := insightOptions(r)
	if err != nil {
		return err
	}
	f, err := s.insight.DepartmentForest(r.Context(), r.PathValue("id"), o)
	if err != nil {
		return err
	}
	f.Roots = nonNil(f.Roots)
	return writeJSON(w, http.StatusOK, f)
}

func (s *server) departmentForestSVG(w http.ResponseWriter, r *http.Request) error {
	o, err := insightOptions(r)
	if err != nil {
		return err
	}
	f, err := s.insight.DepartmentForest(r.Context(), r.PathValue("id"), o)
	if err != nil {
		return err
	}
	return writeSVG(w, f.Roots, f.Risk.Department.Name)
}

func (s *server) referralForest(w http.ResponseWriter, r *http.Request) error {
	o, err := insightOptions(r)
	if err != nil {
		return err
	}
	ns, err := s.insight.ReferralForest(r.Context(), o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(ns))
}

func (s *server) referralForestSVG(w http.ResponseWriter, r *http.Request) error {
	o, err := insightOptions(r)
	if err != nil {
		return err
	}
	ns, err := s.insight.ReferralForest(r.Context(), o)
	if err != nil {
		return err
	}
	return writeSVG(w, ns, "Referral trees")
}

func (s *server) referralTree(w http.ResponseWriter, r *http.Request) error {
	o, err := insightOptions(r)
	if err != nil {
		return err
	}
	n, err := s.insight.ReferralTree(r.Context(), r.PathValue("id"), o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

func (s *server) referralTreeSVG(w http.ResponseWriter, r *http.Request) error {
	o, err := insightOptions(r)
	if err != nil {
		return err
	}
	n, err := s.insight.ReferralTree(r.Context(), r.PathValue("id"), o)
	if err != nil {
		return err
	}
	return writeSVG(w, []*insight.Node{n}, "Referrals of "+n.Name)
}

// writeSVG draws roots and answers the picture. The document holds no
// script (names are escaped by RenderSVG); the policy header keeps a
// browser that opens it directly from running any.
func writeSVG(w http.ResponseWriter, roots []*insight.Node, title string) error {
	var buf bytes.Buffer
	if err := insight.RenderSVG(&buf, roots, insight.SVGOptions{Title: title}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", mediaSVG)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, err := buf.WriteTo(w)
	return err
}
