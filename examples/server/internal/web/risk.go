package web

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/insight"
)

// riskRoutes registers the key-person risk view.
func (s *server) riskRoutes(mux *http.ServeMux) {
	mux.Handle("GET /risk", s.signedIn(s.handleRisk))
}

// riskPerson is one flagged person with the reasons in the page's
// language.
type riskPerson struct {
	insight.PersonRisk
	Reasons []string
}

// riskDept is one department of the overview.
type riskDept struct {
	insight.DepartmentRisk
	Flagged  int
	Selected bool
}

// handleRisk shows every department the principal may analyse with its
// cluster and flagged people, and for the chosen one (by default the first
// cluster) the referral tree as SVG and the table of flagged people with
// their reasons.
func (s *server) handleRisk(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	ctx := r.Context()
	opts := insight.Options{IncludeSubdepartments: r.URL.Query().Get("subtree") == "1"}
	a, err := s.insight.Analyze(ctx, opts)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	chosen := r.URL.Query().Get("department")
	if chosen == "" {
		for _, d := range a.Departments {
			if d.Cluster {
				chosen = d.Department.ID
				break
			}
		}
	}
	if chosen == "" {
		for _, d := range a.Departments {
			if len(d.People) > 0 {
				chosen = d.Department.ID
				break
			}
		}
	}
	depts := make([]riskDept, 0, len(a.Departments))
	var sel *riskDept
	for _, d := range a.Departments {
		rd := riskDept{DepartmentRisk: d, Flagged: len(d.People), Selected: d.Department.ID == chosen}
		depts = append(depts, rd)
		if rd.Selected {
			sel = &depts[len(depts)-1]
		}
	}
	var svg template.HTML
	var people []riskPerson
	if sel != nil {
		forest, err := s.insight.DepartmentForest(ctx, chosen, opts)
		if err != nil {
			s.fail(w, r, base, err)
			return
		}
		var buf bytes.Buffer
		if err := insight.RenderSVG(&buf, forest.Roots, insight.SVGOptions{Title: forest.Risk.Department.Name}); err != nil {
			s.fail(w, r, base, err)
			return
		}
		// insight.RenderSVG XML-escapes every name and the title (its
		// documented contract, tested in risk_test.go), so the document is
		// safe to embed.
		svg = template.HTML(buf.String())
		for _, p := range forest.Risk.People {
			rp := riskPerson{PersonRisk: p}
			for _, reason := range p.Reasons {
				rp.Reasons = append(rp.Reasons, s.reasonText(base.Lang, reason))
			}
			people = append(people, rp)
		}
	}
	th := a.Thresholds
	base.Title = s.cat.T(base.Lang, "risk.title")
	base.Section = "risk"
	base.Data = struct {
		Departments []riskDept
		Selected    *riskDept
		SVG         template.HTML
		People      []riskPerson
		Thresholds  insight.Thresholds
		Subtree     bool
		Anomalies   insight.Anomalies
	}{depts, sel, svg, people, th, opts.IncludeSubdepartments, a.Anomalies}
	s.render(w, r, http.StatusOK, "risk", base)
}

// reasonText renders one reason in lang from the catalog.
func (s *server) reasonText(lang string, r insight.Reason) string {
	switch r.Kind {
	case insight.ReasonReferredMembers:
		return s.cat.T(lang, "reason.referred_members", r.Count, r.Of)
	case insight.ReasonKeyAccountValue:
		return s.cat.T(lang, "reason.key_account_value", r.Percent())
	case insight.ReasonKeyAccounts:
		return s.cat.T(lang, "reason.key_accounts", r.Count, r.Of)
	case insight.ReasonAnnualValue:
		return s.cat.T(lang, "reason.annual_value", r.Percent())
	case insight.ReasonCustomers:
		return s.cat.T(lang, "reason.customers", r.Count, r.Of)
	}
	return r.Text(lang)
}
