package api

import (
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/assets"
)

// The request bodies of the asset routes.
type (
	// assetUpdate is assets.Params plus the version read (the alternative
	// to If-Match).
	assetUpdate struct {
		assets.Params
		Version int64 `json:"version,omitempty"`
	}
	// missingRequest reports an asset missing: what it costs and who bears it.
	missingRequest struct {
		CostNote string `json:"cost_note,omitempty"`
	}
	// reasonRequest carries only a reason, for the audit log.
	reasonRequest struct {
		Reason string `json:"reason,omitempty"`
	}
)

var assetQ = []param{
	{"holder", "string", "only assets held by this employee"},
	{"kind", "string", "laptop, phone, keys, business_cards, access_badge or other"},
	{"status", "string", "in_stock, issued, lost or retired"},
	{"q", "string", "name, model, tag or notes contain this text"},
	{"cursor", "string", "next_cursor of the previous page"},
	{"limit", "integer", "page size, default 50, at most 500"},
}

// assetRoutes are the company-asset register's operations.
func (s *server) assetRoutes() []route {
	const tag = "assets"
	return []route{
		{method: "GET", path: "/api/assets", tag: tag, summary: "One page of the register: one's own assets (assets:read), the departments one heads (assets:read:department) or all (assets:read:all)",
			query: assetQ, out: assets.Page{}, errors: errsRead, handle: s.listAssets},
		{method: "POST", path: "/api/assets", tag: tag, summary: "Register an asset in stock (assets:write)",
			in: assets.Params{}, out: assets.Asset{}, status: http.StatusCreated, errors: errsWrite, handle: s.registerAsset},
		{method: "GET", path: "/api/assets/{id}", tag: tag, summary: "One asset the caller may see",
			out: assets.Asset{}, errors: errsRead, handle: s.asset},
		{method: "PUT", path: "/api/assets/{id}", tag: tag, summary: "Change an asset's description (assets:write); send the version read",
			ifMatch: true, in: assetUpdate{}, out: assets.Asset{}, errors: errsWrite, handle: s.updateAsset},
		{method: "POST", path: "/api/assets/{id}/issue", tag: tag, summary: "Issue an asset in stock to an employee (assets:write)",
			in: assets.IssueParams{}, out: assets.Asset{}, errors: errsWrite, handle: s.issueAsset},
		{method: "POST", path: "/api/assets/{id}/return", tag: tag, summary: "Take an issued asset back, with its condition (assets:write)",
			in: assets.ReturnParams{}, out: assets.Asset{}, errors: errsWrite, handle: s.returnAsset},
		{method: "POST", path: "/api/assets/{id}/missing", tag: tag, summary: "Report an issued asset missing (assets:write)",
			in: missingRequest{}, out: assets.Asset{}, errors: errsWrite, handle: s.markAssetMissing},
		{method: "POST", path: "/api/assets/{id}/retire", tag: tag, summary: "Write an asset off for good (assets:write)",
			in: reasonRequest{}, out: assets.Asset{}, errors: errsWrite, handle: s.retireAsset},
		{method: "GET", path: "/api/assets/{id}/history", tag: tag, summary: "Every hand-over of an asset and how it ended, newest first",
			out: []assets.Issuance{}, errors: errsRead, handle: s.assetHistory},
		{method: "GET", path: "/api/employees/{id}/assets", tag: tag, summary: "The assets an employee holds now (one's own, or within the caller's asset scope)",
			out: []assets.Asset{}, errors: errsRead, handle: s.assetsHeldBy},
	}
}

func (s *server) listAssets(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	q := r.URL.Query()
	f := assets.Filter{
		Holder: q.Get("holder"),
		Kind:   assets.Kind(q.Get("kind")),
		Status: assets.Status(q.Get("status")),
		Query:  q.Get("q"),
		Cursor: q.Get("cursor"),
		Limit:  queryInt(r, "limit", &v),
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, err := s.assets.List(r.Context(), f)
	if err != nil {
		return err
	}
	page.Assets = nonNil(page.Assets)
	return writeJSON(w, http.StatusOK, page)
}

func (s *server) registerAsset(w http.ResponseWriter, r *http.Request) error {
	var in assets.Params
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.assets.Register(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/assets/"+a.ID)
	return writeVersioned(w, http.StatusCreated, a, a.Version)
}

func (s *server) asset(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assets.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) updateAsset(w http.ResponseWriter, r *http.Request) error {
	var in assetUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	a, err := s.assets.Update(r.Context(), r.PathValue("id"), v, in.Params)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) issueAsset(w http.ResponseWriter, r *http.Request) error {
	var in assets.IssueParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.assets.Issue(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) returnAsset(w http.ResponseWriter, r *http.Request) error {
	var in assets.ReturnParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.assets.Return(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) markAssetMissing(w http.ResponseWriter, r *http.Request) error {
	var in missingRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.assets.MarkMissing(r.Context(), r.PathValue("id"), in.CostNote)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) retireAsset(w http.ResponseWriter, r *http.Request) error {
	var in reasonRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.assets.Retire(r.Context(), r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, a, a.Version)
}

func (s *server) assetHistory(w http.ResponseWriter, r *http.Request) error {
	hs, err := s.assets.History(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(hs))
}

func (s *server) assetsHeldBy(w http.ResponseWriter, r *http.Request) error {
	as, err := s.assets.HeldBy(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(as))
}
