package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
)

// assetPageSize is how many assets one page of the register shows.
const assetPageSize = 25

// assetRoutes registers the asset register pages.
func (s *server) assetRoutes(mux *http.ServeMux) {
	mux.Handle("GET /assets", s.signedIn(s.handleAssets))
	mux.Handle("POST /assets", s.signedIn(s.handleAssetRegister))
	mux.Handle("GET /assets/mine", s.signedIn(s.handleMyAssets))
	mux.Handle("GET /assets/{id}", s.signedIn(s.handleAsset))
	mux.Handle("POST /assets/{id}/issue", s.signedIn(s.handleAssetIssue))
	mux.Handle("POST /assets/{id}/return", s.signedIn(s.handleAssetReturn))
	mux.Handle("POST /assets/{id}/missing", s.signedIn(s.handleAssetMissing))
}

// assetRow is one asset with its holder named.
type assetRow struct {
	assets.Asset
	HolderName string
}

// assetForm is the register form as typed.
type assetForm struct {
	Kind, Name, Model, Tag, Condition, Notes string
}

// handleAssets lists the register with kind, status, holder and text
// filters.
func (s *server) handleAssets(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.renderAssets(w, r, http.StatusOK, base, assetForm{}, nil)
}

func (s *server) renderAssets(w http.ResponseWriter, r *http.Request, status int, base *page, form assetForm, ferrs []ballast.FieldError) {
	ctx := r.Context()
	q := r.URL.Query()
	others := s.allowed(ctx, permAssetsReadAll) || s.allowed(ctx, permAssetsReadDepartment)
	f := assets.Filter{Kind: assets.Kind(q.Get("kind")), Status: assets.Status(q.Get("status")), Query: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor"), Limit: assetPageSize}
	if !f.Kind.Valid() {
		f.Kind = ""
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if others {
		f.Holder = q.Get("holder")
	}
	pg, err := s.assets.List(ctx, f)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	rows := make([]assetRow, 0, len(pg.Assets))
	for _, a := range pg.Assets {
		rows = append(rows, assetRow{Asset: a, HolderName: s.name(ctx, names, a.Holder)})
	}
	keep := url.Values{}
	for _, k := range []string{"kind", "status", "holder", "q"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	var next, first string
	if pg.NextCursor != "" {
		nv := url.Values{}
		for k, v := range keep {
			nv[k] = v
		}
		nv.Set("cursor", pg.NextCursor)
		next = "/assets?" + nv.Encode()
	}
	if f.Cursor != "" {
		first = "/assets?" + keep.Encode()
	}
	var holders []option
	if others {
		holders = s.ownerOptions(ctx, base.Lang, f.Holder, "asset.filter.allholders")
	}
	if r.URL.Query().Get("saved") == "1" {
		base.Flash = s.cat.T(base.Lang, "asset.registered")
	}
	base.Title = s.cat.T(base.Lang, "asset.title")
	base.Section = "assets"
	base.Data = struct {
		Rows                      []assetRow
		Kinds, Statuses, Holders  []option
		FormKinds, FormConditions []option
		Query                     string
		Next, First               string
		CanWrite                  bool
		Form                      assetForm
		FieldErrors               []ballast.FieldError
	}{
		Rows: rows, Kinds: s.kindOptions(base.Lang, string(f.Kind), true), Statuses: s.assetStatusOptions(base.Lang, string(f.Status)),
		Holders: holders, FormKinds: s.kindOptions(base.Lang, form.Kind, false), FormConditions: s.conditionOptions(base.Lang, form.Condition),
		Query: f.Query, Next: next, First: first, CanWrite: s.allowed(ctx, permAssetsWrite), Form: form, FieldErrors: ferrs,
	}
	s.render(w, r, status, "assets", base)
}

// handleAssetRegister adds an asset to the register.
func (s *server) handleAssetRegister(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	form := assetForm{
		Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name")), Model: strings.TrimSpace(r.PostFormValue("model")),
		Tag: strings.TrimSpace(r.PostFormValue("tag")), Condition: r.PostFormValue("condition"), Notes: strings.TrimSpace(r.PostFormValue("notes")),
	}
	a, err := s.assets.Register(r.Context(), assets.Params{Kind: assets.Kind(form.Kind), Name: form.Name, Model: form.Model, Tag: form.Tag, Condition: assets.Condition(form.Condition), Notes: form.Notes})
	if err == nil {
		http.Redirect(w, r, "/assets/"+url.PathEscape(a.ID)+"?saved=registered", http.StatusSeeOther)
		return
	}
	var verr *ballast.ValidationError
	switch {
	case errors.As(err, &verr):
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderAssets(w, r, http.StatusBadRequest, base, form, verr.Fields)
	case errors.Is(err, assets.ErrDuplicateTag):
		base.Error = s.cat.T(base.Lang, "asset.error.duptag")
		s.renderAssets(w, r, http.StatusConflict, base, form, nil)
	default:
		s.fail(w, r, base, err)
	}
}

// handleMyAssets lists what the signed-in employee holds.
func (s *server) handleMyAssets(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	held, err := s.assets.HeldBy(r.Context(), p.Subject)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	base.Title = s.cat.T(base.Lang, "asset.mine.title")
	base.Section = "assets"
	base.Data = struct {
		Items    []assets.Asset
		Register bool
	}{held, base.Nav.Assets == "/assets"}
	s.render(w, r, http.StatusOK, "assets_mine", base)
}

// issuanceRow is one hand-over of an asset with its holder named.
type issuanceRow struct {
	assets.Issuance
	HolderName string
}

// handleAsset shows one asset, its history and the forms to issue, take
// back or report it missing.
func (s *server) handleAsset(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	switch r.URL.Query().Get("saved") {
	case "registered":
		base.Flash = s.cat.T(base.Lang, "asset.registered")
	case "1":
		base.Flash = s.cat.T(base.Lang, "asset.saved")
	}
	s.renderAsset(w, r, http.StatusOK, base, nil)
}

func (s *server) renderAsset(w http.ResponseWriter, r *http.Request, status int, base *page, ferrs []ballast.FieldError) {
	ctx := r.Context()
	id := r.PathValue("id")
	a, err := s.assets.Get(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	hist, err := s.assets.History(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	rows := make([]issuanceRow, 0, len(hist))
	for i := len(hist) - 1; i >= 0; i-- { // newest first
		rows = append(rows, issuanceRow{Issuance: hist[i], HolderName: s.name(ctx, names, hist[i].Holder)})
	}
	canWrite := s.allowed(ctx, permAssetsWrite)
	var holders []option
	if canWrite && a.Status == assets.StatusInStock {
		holders = s.ownerOptions(ctx, base.Lang, "", "asset.issue.choose")
	}
	today := s.clock.Now().UTC()
	if base.Zone != nil {
		today = today.In(base.Zone)
	}
	var conds []option
	for _, c := range assets.Conditions {
		if c != assets.ConditionMissing {
			conds = append(conds, option{Value: string(c), Label: s.cat.T(base.Lang, "condition."+string(c)), Selected: c == assets.ConditionGood})
		}
	}
	base.Title = a.Name
	base.Section = "assets"
	base.Data = struct {
		Asset       assets.Asset
		HolderName  string
		History     []issuanceRow
		CanWrite    bool
		Holders     []option
		Conditions  []option
		Today       string
		FieldErrors []ballast.FieldError
	}{a, s.name(ctx, names, a.Holder), rows, canWrite, holders, conds, today.Format("2006-01-02"), ferrs}
	s.render(w, r, status, "asset", base)
}

// handleAssetIssue hands an asset to an employee.
func (s *server) handleAssetIssue(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	var verr ballast.ValidationError
	on, err := hr.ParseDate(r.PostFormValue("on"))
	if err != nil {
		verr.Add("on", "is not a date")
	}
	due, err := hr.ParseDate(r.PostFormValue("due_back"))
	if err != nil {
		verr.Add("due_back", "is not a date")
	}
	err = verr.Err()
	if err == nil {
		_, err = s.assets.Issue(r.Context(), r.PathValue("id"), assets.IssueParams{Holder: r.PostFormValue("holder"), On: on, DueBack: due})
	}
	s.afterAssetChange(w, r, base, err)
}

// handleAssetReturn takes an asset back into stock.
func (s *server) handleAssetReturn(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	on, err := hr.ParseDate(r.PostFormValue("on"))
	if err != nil {
		var verr ballast.ValidationError
		verr.Add("on", "is not a date")
		err = verr.Err()
	} else {
		_, err = s.assets.Return(r.Context(), r.PathValue("id"), assets.ReturnParams{On: on, Condition: assets.Condition(r.PostFormValue("condition")), Note: strings.TrimSpace(r.PostFormValue("note"))})
	}
	s.afterAssetChange(w, r, base, err)
}

// handleAssetMissing records a lost asset.
func (s *server) handleAssetMissing(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, err := s.assets.MarkMissing(r.Context(), r.PathValue("id"), strings.TrimSpace(r.PostFormValue("cost_note")))
	s.afterAssetChange(w, r, base, err)
}

// afterAssetChange redirects back to the asset, or shows it again with the
// error.
func (s *server) afterAssetChange(w http.ResponseWriter, r *http.Request, base *page, err error) {
	if err == nil {
		http.Redirect(w, r, "/assets/"+url.PathEscape(r.PathValue("id"))+"?saved=1", http.StatusSeeOther)
		return
	}
	var verr *ballast.ValidationError
	switch {
	case errors.As(err, &verr):
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderAsset(w, r, http.StatusBadRequest, base, verr.Fields)
	case errors.Is(err, ballast.ErrConflict):
		base.Error = s.cat.T(base.Lang, "asset.error.state")
		s.renderAsset(w, r, http.StatusConflict, base, nil)
	default:
		s.fail(w, r, base, err)
	}
}

func (s *server) kindOptions(lang, selected string, all bool) []option {
	var out []option
	if all {
		out = append(out, option{Value: "", Label: s.cat.T(lang, "asset.filter.allkinds")})
	}
	for _, k := range assets.Kinds {
		out = append(out, option{Value: string(k), Label: s.cat.T(lang, "kind."+string(k)), Selected: string(k) == selected})
	}
	return out
}

func (s *server) assetStatusOptions(lang, selected string) []option {
	out := []option{{Value: "", Label: s.cat.T(lang, "list.allstatuses")}}
	for _, st := range assets.Statuses {
		out = append(out, option{Value: string(st), Label: s.cat.T(lang, "astatus."+string(st)), Selected: string(st) == selected})
	}
	return out
}

func (s *server) conditionOptions(lang, selected string) []option {
	var out []option
	for _, c := range assets.Conditions {
		if c == assets.ConditionMissing {
			continue
		}
		out = append(out, option{Value: string(c), Label: s.cat.T(lang, "condition."+string(c)), Selected: string(c) == selected})
	}
	return out
}
