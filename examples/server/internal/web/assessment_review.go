package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/multirater"
)

// reviewItem is one indicator of a review with both sides' entries as the
// form shows them.
type reviewItem struct {
	assessment.WeightedItem
	// Scale is the rating scale of a qualitative indicator rated by
	// people; nil means a score 0–100.
	Scale *assessment.RatingScale
	// Points are the ratings of Scale, lowest first.
	Points []int
	Self   entryForm
	Mgr    entryForm
}

// entryForm is one side's entry as typed.
type entryForm struct {
	Score, Comment, Actual, Link string
	Evidence                     []assessment.Evidence
}

// reviewData is the review page: the self-evaluation form for the
// employee, the scoring form for the manager, read-only for the rest.
type reviewData struct {
	Review                      assessment.Review
	Items                       []reviewItem
	ManagerName                 string
	DepartmentName              string
	IsSelf, IsManager, IsHR     bool
	SelfEditable, MgrEditable   bool
	SelfVisible, ManagerVisible bool
	Finalised                   bool
	Errors                      map[string]string
	// Categories names the plan's category keys.
	Categories map[string]string
	// CanReopen: HR may give the employee a new self-evaluation deadline.
	CanReopen            bool
	ReopenDue, ReopenWhy string
}

// handleReview shows one participant's review.
func (s *server) handleReview(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderReview(w, r, http.StatusOK, base, p, nil, nil)
}

// renderReview renders the review page; typed holds the entries as typed
// after a refused post (nil: as stored).
func (s *server) renderReview(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal, typed map[string]entryForm, errs map[string]string) {
	ctx := r.Context()
	rv, err := s.assessment.Review(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	pt, c := rv.Participant, rv.Cycle
	d := reviewData{Review: rv, IsSelf: pt.EmployeeID == p.Subject, IsManager: pt.ManagerID == p.Subject && pt.EmployeeID != p.Subject,
		IsHR: s.allowed(ctx, permAssessManage), Errors: errs}
	d.Finalised = c.State == assessment.CycleFinalised || c.State == assessment.CycleClosed
	d.SelfEditable = d.IsSelf && pt.Status == assessment.StatusSelfPending && (c.State == assessment.CycleOpen || c.State == assessment.CycleManagerReview)
	d.MgrEditable = (d.IsManager || (d.IsHR && pt.ManagerID == "")) && c.State == assessment.CycleManagerReview &&
		(pt.Status == assessment.StatusSelfPending || pt.Status == assessment.StatusSelfSubmitted)
	d.SelfVisible = rv.Self != nil
	d.Categories = categoryNames(c)
	d.CanReopen = d.IsHR && (c.State == assessment.CycleOpen || c.State == assessment.CycleManagerReview) &&
		pt.Status != assessment.StatusManagerSubmitted && pt.Status != assessment.StatusFinalised
	d.ReopenDue, d.ReopenWhy = r.PostFormValue("due"), r.PostFormValue("reason")
	d.ManagerVisible = rv.Manager != nil
	self := entriesByIndicator(rv.Self)
	mgr := entriesByIndicator(rv.Manager)
	for _, it := range rv.Items {
		ri := reviewItem{WeightedItem: it}
		if it.Indicator.Kind == assessment.Qualitative && it.Indicator.Dimension == "" {
			sc := assessment.DefaultRatingScale()
			if it.Indicator.Scale != nil {
				sc = *it.Indicator.Scale
			}
			ri.Scale = &sc
			for n := sc.Min; n <= sc.Max; n++ {
				ri.Points = append(ri.Points, n)
			}
		}
		if e, ok := self[it.Indicator.ID]; ok {
			ri.Self = entryForm{Score: scorePtr(e.Score), Comment: e.Comment, Evidence: e.Evidence}
			for _, ev := range e.Evidence {
				if ev.Kind == assessment.EvidenceLink && ri.Self.Link == "" {
					ri.Self.Link = ev.URL
				}
			}
		}
		if e, ok := mgr[it.Indicator.ID]; ok {
			ri.Mgr = entryForm{Score: scorePtr(e.Score), Comment: e.Comment, Actual: scorePtr(e.Actual)}
		}
		if t, ok := typed["self:"+it.Indicator.ID]; ok {
			ri.Self = t
		}
		if t, ok := typed["mgr:"+it.Indicator.ID]; ok {
			ri.Mgr = t
		}
		d.Items = append(d.Items, ri)
	}
	names := map[string]string{}
	d.ManagerName = s.name(ctx, names, pt.ManagerID)
	d.DepartmentName = s.departmentNames(ctx)[pt.DepartmentID]
	base.Title = s.cat.T(base.Lang, "as.review.title", pt.EmployeeName)
	base.Section = "assessment"
	base.Data = d
	s.render(w, r, status, "assessment_review", base)
}

func entriesByIndicator(es []assessment.Entry) map[string]assessment.Entry {
	out := make(map[string]assessment.Entry, len(es))
	for _, e := range es {
		out[e.IndicatorID] = e
	}
	return out
}

// readEntries reads the rows of a review form: prefix "s" (self) or "m"
// (manager), one row per indicator ID in ind_i.
func readEntries(r *http.Request, prefix string, v *ballast.ValidationError) ([]assessment.EntryInput, map[string]entryForm) {
	var in []assessment.EntryInput
	typed := map[string]entryForm{}
	side := "self:"
	if prefix == "m" {
		side = "mgr:"
	}
	for i := 0; i < 200; i++ {
		k := func(name string) string { return fmt.Sprintf("%s%d_%s", prefix, i, name) }
		id := r.PostFormValue(k("ind"))
		if id == "" {
			break
		}
		f := entryForm{Score: strings.TrimSpace(r.PostFormValue(k("score"))), Comment: strings.TrimSpace(r.PostFormValue(k("comment"))),
			Actual: strings.TrimSpace(r.PostFormValue(k("actual"))), Link: strings.TrimSpace(r.PostFormValue(k("link")))}
		typed[side+id] = f
		e := assessment.EntryInput{IndicatorID: id, Comment: f.Comment,
			Score: parseScore(v, fmt.Sprintf("entries[%d].score", i), f.Score)}
		if prefix == "m" {
			e.Actual = parseScore(v, fmt.Sprintf("entries[%d].actual", i), f.Actual)
		}
		if f.Link != "" {
			e.Evidence = []assessment.Evidence{{Kind: assessment.EvidenceLink, URL: f.Link}}
		}
		in = append(in, e)
	}
	return in, typed
}

// handleSelfSave saves the self-evaluation as a draft, or saves and
// submits it.
func (s *server) handleSelfSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	r.Body = http.MaxBytesReader(w, r.Body, maxEvidenceUpload)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// ParseForm leaves a multipart body alone; read it first.
		if err := r.ParseMultipartForm(maxEvidenceUpload); err != nil {
			s.forbiddenCSRF(w, r)
			return
		}
	}
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	var v ballast.ValidationError
	in, typed := readEntries(r, "s", &v)
	if err := s.attachFiles(r, id, in, &v); err != nil {
		s.fail(w, r, base, err)
		return
	}
	err := v.Err()
	if err == nil {
		_, err = s.assessment.SaveSelfEvaluation(ctx, id, in)
	}
	saved := "draft"
	if err == nil && r.PostFormValue("action") == "submit" {
		_, err = s.assessment.SubmitSelfEvaluation(ctx, id)
		saved = "submitted"
	}
	s.afterReviewPost(w, r, base, p, id, saved, typed, err)
}

// maxEvidenceUpload caps a self-evaluation post with its evidence files.
const maxEvidenceUpload = 20 << 20

// attachFiles keeps the files already attached to each entry and adds the
// one uploaded in its row: the server keeps a file's name, size, type and
// the SHA-256 of its content (the evidence metadata), not the file.
func (s *server) attachFiles(r *http.Request, participantID string, in []assessment.EntryInput, v *ballast.ValidationError) error {
	kept := map[string][]assessment.Evidence{}
	if rv, err := s.assessment.Review(r.Context(), participantID); err == nil {
		for _, e := range rv.Self {
			for _, ev := range e.Evidence {
				if ev.Kind == assessment.EvidenceFile {
					kept[e.IndicatorID] = append(kept[e.IndicatorID], ev)
				}
			}
		}
	} else {
		return err
	}
	for i := range in {
		files := kept[in[i].IndicatorID]
		if r.MultipartForm != nil {
			if fhs := r.MultipartForm.File[fmt.Sprintf("s%d_file", i)]; len(fhs) > 0 && fhs[0].Size > 0 {
				ev, err := evidenceOf(fhs[0])
				if err != nil {
					v.Add(fmt.Sprintf("entries[%d].evidence", i), "the file could not be read")
					continue
				}
				files = append(files, ev)
			}
		}
		in[i].Evidence = append(files, in[i].Evidence...)
	}
	return nil
}

// evidenceOf hashes an uploaded file into its evidence metadata.
func evidenceOf(fh *multipart.FileHeader) (assessment.Evidence, error) {
	f, err := fh.Open()
	if err != nil {
		return assessment.Evidence{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return assessment.Evidence{}, err
	}
	ct := fh.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	return assessment.Evidence{Kind: assessment.EvidenceFile, Name: filepath.Base(fh.Filename), Size: n, ContentType: ct, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// handleManagerSave saves the manager's scores, comments and actuals, or
// saves and submits them.
func (s *server) handleManagerSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	var v ballast.ValidationError
	in, typed := readEntries(r, "m", &v)
	err := v.Err()
	if err == nil {
		_, err = s.assessment.SaveManagerReview(ctx, id, in)
	}
	saved := "draft"
	if err == nil && r.PostFormValue("action") == "submit" {
		_, err = s.assessment.SubmitManagerReview(ctx, id)
		saved = "submitted"
	}
	s.afterReviewPost(w, r, base, p, id, saved, typed, err)
}

func (s *server) afterReviewPost(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal, id, saved string, typed map[string]entryForm, err error) {
	if err == nil {
		http.Redirect(w, r, "/assessment/reviews/"+url.PathEscape(id)+"?saved="+saved, http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderReview(w, r, status, base, p, typed, errs)
		return
	}
	s.fail(w, r, base, err)
}

// resultData is the printable result page.
type resultData struct {
	Res            assessment.EmployeeResult
	ManagerName    string
	DepartmentName string
	Names          map[string]string
	Actuals        map[string]string
	Categories     map[string]string
	Indicators     map[string]string
	Strengths      []string
	Gaps           []string
	Window         assessment.AppealWindow
	CanAppeal      bool
	Appeals        []appealRow
	Rounds         []multirater.Round
	IsSelf, IsHR   bool
	Reason, Item   string
	Errors         map[string]string
}

// handleResult shows a finalised result, printable, with the appeal form
// while the window is open.
func (s *server) handleResult(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.savedFlash(r, base)
	s.renderResult(w, r, http.StatusOK, base, p, "", "", nil)
}

func (s *server) renderResult(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal, item, reason string, errs map[string]string) {
	ctx := r.Context()
	id := r.PathValue("id")
	res, err := s.assessment.Result(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	d := resultData{Res: res, IsSelf: res.Participant.EmployeeID == p.Subject, IsHR: s.allowed(ctx, permAssessManage), Item: item, Reason: reason, Errors: errs}
	byCode := map[string]string{}
	d.Actuals = map[string]string{}
	d.Indicators = map[string]string{}
	for _, it := range res.Result.Items {
		byCode[it.Code] = it.Name
		d.Indicators[it.IndicatorID] = it.Name
		d.Actuals[it.IndicatorID] = or(scorePtr(it.Actual), "—")
	}
	for _, c := range res.Result.Strengths {
		d.Strengths = append(d.Strengths, or(byCode[c], c))
	}
	for _, c := range res.Result.Gaps {
		d.Gaps = append(d.Gaps, or(byCode[c], c))
	}
	names := map[string]string{}
	d.ManagerName = s.name(ctx, names, res.Participant.ManagerID)
	for _, a := range res.Adjustments {
		s.name(ctx, names, a.By)
	}
	d.Names = names
	d.DepartmentName = s.departmentNames(ctx)[res.Participant.DepartmentID]
	d.Categories = map[string]string{}
	if c, err := s.assessment.Cycle(ctx, res.CycleID); err == nil {
		d.Categories = categoryNames(c)
	}
	if win, err := s.assessment.AppealWindow(ctx, id); err == nil {
		d.Window = win
		d.CanAppeal = d.IsSelf && win.Open && s.appeals != nil
	}
	if s.appeals != nil {
		var pg appealPage
		var err error
		if d.IsSelf {
			pg, err = s.appeals.Mine(ctx, appealFilter(id))
		} else if d.IsHR {
			pg, err = s.appeals.All(ctx, appealFilter(id))
		} else {
			// A manager sees the appeals they still have to answer.
			pg, err = s.appeals.ToAnswer(ctx, appealFilter(id))
		}
		if err == nil {
			d.Appeals = s.appealRows(ctx, pg.Appeals)
		}
	}
	if s.multirater != nil {
		if rs, err := s.multirater.Rounds(ctx, res.CycleID); err == nil {
			for _, rd := range rs {
				if rd.State == multirater.StateClosed {
					d.Rounds = append(d.Rounds, rd)
				}
			}
		}
	}
	base.Title = s.cat.T(base.Lang, "as.result.title")
	base.Section = "assessment"
	base.Data = d
	s.render(w, r, status, "assessment_result", base)
}

// or returns a unless it is empty, then b.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// handleReopen gives one participant a new self-evaluation deadline (HR),
// with a reason.
func (s *server) handleReopen(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	var v ballast.ValidationError
	due := parseDateField(&v, "due", r.PostFormValue("due"))
	err := v.Err()
	if err == nil {
		_, err = s.assessment.ReopenSelfEvaluation(r.Context(), id, due, strings.TrimSpace(r.PostFormValue("reason")))
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/reviews/"+url.PathEscape(id)+"?saved=reopened", http.StatusSeeOther)
		return
	}
	if status, errs, ok := s.formError(base, err); ok {
		s.renderReview(w, r, status, base, p, nil, errs)
		return
	}
	s.fail(w, r, base, err)
}
