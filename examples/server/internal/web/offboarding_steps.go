package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/offboarding"
)

// afterCaseChange redirects back to the case (at anchor), or shows it
// again with the error: field errors, a conflict, or the error page.
func (s *server) afterCaseChange(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal, anchor string, err error, work *workForm) {
	if err == nil {
		http.Redirect(w, r, "/offboarding/"+url.PathEscape(r.PathValue("id"))+"?saved=1#"+anchor, http.StatusSeeOther)
		return
	}
	var verr *ballast.ValidationError
	switch {
	case errors.As(err, &verr):
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderCase(w, r, http.StatusBadRequest, base, p, verr.Fields, work)
	case errors.Is(err, offboarding.ErrStepsOpen):
		base.Error = s.cat.T(base.Lang, "ob.error.stepsopen")
		s.renderCase(w, r, http.StatusConflict, base, p, nil, work)
	case errors.Is(err, offboarding.ErrHashMismatch):
		base.Error = s.cat.T(base.Lang, "ob.error.hash")
		s.renderCase(w, r, http.StatusConflict, base, p, nil, work)
	case errors.Is(err, ballast.ErrConflict):
		base.Error = s.cat.T(base.Lang, "ob.error.conflict")
		s.renderCase(w, r, http.StatusConflict, base, p, nil, work)
	default:
		s.fail(w, r, base, err)
	}
}

// formVersion reads the version field of a form (0 when missing).
func formVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

// handleAssign assigns customers to successors: one select per customer,
// named "assign_<customer ID>"; empty selects are left out.
func (s *server) handleAssign(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	assign := map[string]string{}
	for k, vs := range r.PostForm {
		if id, ok := strings.CutPrefix(k, "assign_"); ok && len(vs) > 0 && vs[0] != "" {
			assign[id] = vs[0]
		}
	}
	var err error
	if len(assign) == 0 {
		err = ballast.Invalid("assign", "choose a successor for at least one customer")
	} else {
		err = s.offboarding.AssignCustomers(r.Context(), r.PathValue("id"), assign)
	}
	s.afterCaseChange(w, r, base, p, "customers", err, nil)
}

// handleHanded marks the ticked customers handed over with a note.
func (s *server) handleHanded(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	err := s.offboarding.MarkHandedOver(r.Context(), r.PathValue("id"), r.PostForm["customer"], strings.TrimSpace(r.PostFormValue("note")))
	s.afterCaseChange(w, r, base, p, "customers", err, nil)
}

// handleSignForm shows the successor exactly what they sign for, with its
// SHA-256: the customers handed over to them and not signed for yet.
func (s *server) handleSignForm(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.renderSign(w, r, http.StatusOK, base, p)
}

func (s *server) renderSign(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal) {
	ctx := r.Context()
	c, err := s.offboarding.Case(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	if !slices.Contains(c.Successors, p.Subject) {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	hc, err := s.offboarding.PrepareHandover(ctx, c.ID, p.Subject)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	base.Title = s.cat.T(base.Lang, "ob.sign.title")
	base.Section = "offboarding"
	base.Data = struct {
		Case         offboarding.Case
		EmployeeName string
		SignerName   string
		Content      offboarding.HandoverContent
		ClientIP, UA string
	}{c, s.name(ctx, names, c.EmployeeID), s.name(ctx, names, p.Subject), hc, clientIP(r), userAgent(r)}
	s.render(w, r, status, "offboarding_sign", base)
}

// handleSign records the signature of the signed-in successor over the
// hash they were shown; the client's address and agent come from the
// request.
func (s *server) handleSign(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	_, err := s.offboarding.SignHandover(r.Context(), offboarding.SignParams{CaseID: id, Signer: p.Subject,
		Hash: r.PostFormValue("hash"), ClientIP: clientIP(r), UserAgent: userAgent(r)})
	switch {
	case err == nil:
		http.Redirect(w, r, "/offboarding/"+url.PathEscape(id)+"?saved=signed#customers", http.StatusSeeOther)
	case errors.Is(err, offboarding.ErrHashMismatch):
		base.Error = s.cat.T(base.Lang, "ob.error.hash")
		s.renderSign(w, r, http.StatusConflict, base, p)
	default:
		s.fail(w, r, base, err)
	}
}

// handleWorkSubmit submits a round of the work report.
func (s *server) handleWorkSubmit(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	f := workForm{PendingTasks: r.PostFormValue("pending_tasks"), DocumentsAt: strings.TrimSpace(r.PostFormValue("documents_at"))}
	rep := offboarding.WorkReport{DocumentsAt: f.DocumentsAt}
	names, statuses, nexts, holders := r.PostForm["project_name"], r.PostForm["project_status"], r.PostForm["project_next"], r.PostForm["project_stakeholders"]
	for i := range names {
		pr := offboarding.Project{Name: strings.TrimSpace(names[i]), Status: strings.TrimSpace(at(statuses, i)), NextStep: strings.TrimSpace(at(nexts, i))}
		for _, x := range strings.FieldsFunc(at(holders, i), func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' }) {
			if x = strings.TrimSpace(x); x != "" {
				pr.Stakeholders = append(pr.Stakeholders, x)
			}
		}
		f.Projects = append(f.Projects, pr)
		f.Stakeholders = append(f.Stakeholders, at(holders, i))
		if pr.Name != "" || pr.Status != "" || pr.NextStep != "" || len(pr.Stakeholders) > 0 {
			rep.Projects = append(rep.Projects, pr)
		}
	}
	for _, line := range strings.Split(f.PendingTasks, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			rep.PendingTasks = append(rep.PendingTasks, line)
		}
	}
	_, err := s.offboarding.SubmitWorkReport(r.Context(), r.PathValue("id"), rep, formVersion(r))
	s.afterCaseChange(w, r, base, p, "work", err, &f)
}

// at returns xs[i], or "" past its end.
func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return ""
}

// handleWorkReview approves the pending round or returns it with comments.
func (s *server) handleWorkReview(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, err := s.offboarding.ReviewWorkReport(r.Context(), offboarding.ReviewParams{CaseID: r.PathValue("id"),
		Approve: r.PostFormValue("decision") == "approve", Comments: strings.TrimSpace(r.PostFormValue("comments")), Version: formVersion(r)})
	s.afterCaseChange(w, r, base, p, "work", err, nil)
}

// handleItemReturn confirms an item returned in a condition.
func (s *server) handleItemReturn(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	on, err := hr.ParseDate(r.PostFormValue("on"))
	if err != nil {
		err = ballast.Invalid("on", "is not a date")
	} else {
		_, err = s.offboarding.ConfirmReturn(r.Context(), r.PathValue("id"), r.PathValue("asset"), assets.ReturnParams{On: on,
			Condition: assets.Condition(r.PostFormValue("condition")), Note: strings.TrimSpace(r.PostFormValue("note"))})
	}
	s.afterCaseChange(w, r, base, p, "items", err, nil)
}

// handleItemMissing records an item missing with a cost note.
func (s *server) handleItemMissing(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, err := s.offboarding.RecordMissing(r.Context(), r.PathValue("id"), r.PathValue("asset"), strings.TrimSpace(r.PostFormValue("cost_note")))
	s.afterCaseChange(w, r, base, p, "items", err, nil)
}

// handleStepClose closes a custom step by its rule (confirm, approve or
// sign with a note).
func (s *server) handleStepClose(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, err := s.offboarding.CloseStep(r.Context(), offboarding.CloseStepParams{CaseID: r.PathValue("id"), StepKey: r.PathValue("key"),
		Version: formVersion(r), Note: strings.TrimSpace(r.PostFormValue("note")), ClientIP: clientIP(r), UserAgent: userAgent(r)})
	s.afterCaseChange(w, r, base, p, "steps", err, nil)
}

// handleStepForce lets HR close a step with a written reason.
func (s *server) handleStepForce(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, err := s.offboarding.ForceCloseStep(r.Context(), r.PathValue("id"), r.PathValue("key"), strings.TrimSpace(r.PostFormValue("reason")), formVersion(r))
	s.afterCaseChange(w, r, base, p, "steps", err, nil)
}

// handleComplete completes the case.
func (s *server) handleComplete(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, err := s.offboarding.Complete(r.Context(), r.PathValue("id"), formVersion(r))
	s.afterCaseChange(w, r, base, p, "case", err, nil)
}

// handleWithdraw withdraws the resignation with a reason.
func (s *server) handleWithdraw(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, err := s.offboarding.Withdraw(r.Context(), r.PathValue("id"), strings.TrimSpace(r.PostFormValue("reason")), formVersion(r))
	s.afterCaseChange(w, r, base, p, "case", err, nil)
}

// handleLastDay moves the last working day: the open deadlines and the
// revocation dates follow.
func (s *server) handleLastDay(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	day, err := hr.ParseDate(r.PostFormValue("last_day"))
	if err != nil {
		err = ballast.Invalid("last_day", "is not a date")
	} else {
		_, err = s.offboarding.ChangeLastDay(r.Context(), r.PathValue("id"), day, strings.TrimSpace(r.PostFormValue("reason")), formVersion(r))
	}
	s.afterCaseChange(w, r, base, p, "case", err, nil)
}
