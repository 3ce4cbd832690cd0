package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/offboarding"
)

// stepRow is one step of a case as the case page shows it.
type stepRow struct {
	offboarding.Step
	Responsible string
	KindLabel   string
	DoneByName  string
	Overdue     bool
	DueIn       int
	// CanClose: a custom step the principal may close by its rule;
	// CanForce: HR may force-close it.
	CanClose bool
	CanForce bool
}

// handoverRow is one customer of the handover.
type handoverRow struct {
	offboarding.HandoverItem
	SuccessorName string
	HandedByName  string
	Successors    []option
	Signature     offboarding.Signature
	SignerName    string
}

// roundRow is one round of the work report.
type roundRow struct {
	offboarding.WorkRound
	SubmittedByName string
	DecidedByName   string
}

// itemRow is one item to return.
type itemRow struct {
	offboarding.ItemReturn
	ConfirmedByName string
}

// stageRow is one stage of the case's revocation plan.
type stageRow struct {
	access.Stage
	// On is the day a before-last-day stage applies.
	On            hr.Date
	Applied       bool
	Effect        access.StageEffect
	AppliedByName string
	// Next marks the first stage not applied yet; Preview is what it would
	// remove now.
	Next       bool
	Preview    access.StageEffect
	PreviewErr string
}

// explainBox is the "may the employee do …?" box of the access part.
type explainBox struct {
	Permission string
	Asked      bool
	Decision   access.Decision
	// Grants and Denials say where each matching rule comes from, in the
	// user's language.
	Grants, Denials []string
	Error           string
}

// caseData is everything the case page shows.
type caseData struct {
	Case                               offboarding.Case
	EmployeeName, ManagerName, HRName  string
	SuccessorNames                     []string
	DaysLeft                           int
	Open                               bool
	Steps                              []stepRow
	Customers                          []handoverRow
	HasCustomerStep, HasWork, HasItems bool
	Rounds                             []roundRow
	Pending                            bool
	WorkStep                           offboarding.Step
	WorkForm                           workForm
	Items                              []itemRow
	Conditions                         []option
	Today                              string
	Stages                             []stageRow
	Explain                            explainBox
	Manage, MayHandOver, MayReview     bool
	MaySign, CanAssets, ShowAccess     bool
	MayReport                          bool
	FieldErrors                        []ballast.FieldError
	ToSign                             int
}

// workForm is the work report form: a few project rows, pending tasks one
// per line and where the documents are.
type workForm struct {
	Projects     []offboarding.Project
	Stakeholders []string
	PendingTasks string
	DocumentsAt  string
}

// handleCase shows a case step by step.
func (s *server) handleCase(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	switch r.URL.Query().Get("saved") {
	case "":
	case "opened":
		base.Flash = s.cat.T(base.Lang, "ob.opened")
	case "signed":
		base.Flash = s.cat.T(base.Lang, "ob.signed")
	default:
		base.Flash = s.cat.T(base.Lang, "ob.saved")
	}
	s.renderCase(w, r, http.StatusOK, base, p, nil, nil)
}

// renderCase renders the case page; work is the work form as typed after
// a refused submission (nil: from the last round).
func (s *server) renderCase(w http.ResponseWriter, r *http.Request, status int, base *page, p ballast.Principal, ferrs []ballast.FieldError, work *workForm) {
	ctx := r.Context()
	id := r.PathValue("id")
	c, err := s.offboarding.Case(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	steps, err := s.offboarding.Steps(ctx, id)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	manage := s.allowed(ctx, permOffboardingManage)
	names := map[string]string{}
	today := s.today(base)
	d := caseData{Case: c, EmployeeName: s.name(ctx, names, c.EmployeeID), ManagerName: s.name(ctx, names, c.ManagerID),
		HRName: s.name(ctx, names, c.HRID), DaysLeft: daysBetween(today, c.LastDay), Open: c.Status == offboarding.CaseOpen,
		Manage: manage, MayHandOver: manage || p.Subject == c.EmployeeID, MaySign: slices.Contains(c.Successors, p.Subject),
		MayReport: manage || p.Subject == c.ManagerID, Today: today.String(), FieldErrors: ferrs}
	d.MayReview = (manage || p.Subject == c.ManagerID) && p.Subject != c.EmployeeID
	for _, id := range c.Successors {
		d.SuccessorNames = append(d.SuccessorNames, s.name(ctx, names, id))
	}
	for _, st := range steps {
		st.Title = s.stepTitle(base.Lang, st.Key, st.Title)
		row := stepRow{Step: st, DoneByName: s.doneBy(ctx, base.Lang, names, st.DoneBy), DueIn: daysBetween(today, st.DueOn),
			KindLabel: s.cat.T(base.Lang, "ob.stepkind."+string(st.Kind))}
		row.Overdue = !st.Closed() && today.After(st.DueOn)
		var roles []string
		for _, role := range st.Responsible {
			roles = append(roles, s.cat.T(base.Lang, "ob.role."+string(role)))
		}
		row.Responsible = strings.Join(roles, s.cat.T(base.Lang, "list.sep"))
		if d.Open && !st.Closed() {
			row.CanForce = manage
			if st.Kind == offboarding.KindCustom {
				if st.ClosingRule == offboarding.CloseByApproval {
					row.CanClose = manage || p.Subject == c.ManagerID
				} else {
					row.CanClose = slices.Contains(st.Assignees, p.Subject)
				}
			}
		}
		switch st.Kind {
		case offboarding.KindCustomers:
			d.HasCustomerStep = true
		case offboarding.KindWork:
			d.HasWork, d.WorkStep = true, st
		case offboarding.KindItems:
			d.HasItems = true
		}
		d.Steps = append(d.Steps, row)
	}
	if d.HasCustomerStep {
		if err := s.caseCustomers(ctx, base, p, &d, names); err != nil {
			s.fail(w, r, base, err)
			return
		}
	}
	if d.HasWork {
		rounds, err := s.offboarding.WorkRounds(ctx, id)
		if err != nil {
			s.fail(w, r, base, err)
			return
		}
		for _, rd := range rounds {
			d.Rounds = append(d.Rounds, roundRow{WorkRound: rd, SubmittedByName: s.name(ctx, names, rd.SubmittedBy), DecidedByName: s.name(ctx, names, rd.DecidedBy)})
		}
		d.Pending = len(rounds) > 0 && rounds[len(rounds)-1].Decision == offboarding.DecisionPending
		switch {
		case work != nil:
			d.WorkForm = *work
		case len(rounds) > 0:
			d.WorkForm = workFormOf(rounds[len(rounds)-1].Report)
		}
		for len(d.WorkForm.Projects) < 3 {
			d.WorkForm.Projects = append(d.WorkForm.Projects, offboarding.Project{})
			d.WorkForm.Stakeholders = append(d.WorkForm.Stakeholders, "")
		}
	}
	if d.HasItems {
		items, err := s.offboarding.ItemReturns(ctx, id)
		if err != nil {
			s.fail(w, r, base, err)
			return
		}
		for _, it := range items {
			d.Items = append(d.Items, itemRow{ItemReturn: it, ConfirmedByName: s.name(ctx, names, it.ConfirmedBy)})
		}
		d.CanAssets = s.allowed(ctx, permAssetsWrite)
		for _, cond := range assets.Conditions {
			if cond != assets.ConditionMissing {
				d.Conditions = append(d.Conditions, option{Value: string(cond), Label: s.cat.T(base.Lang, "condition."+string(cond)), Selected: cond == assets.ConditionGood})
			}
		}
	}
	if manage && s.revocations != nil {
		d.ShowAccess = true
		if err := s.caseAccess(r, base, p, &d, names); err != nil {
			s.fail(w, r, base, err)
			return
		}
	}
	base.Title = s.cat.T(base.Lang, "ob.case.title", d.EmployeeName)
	base.Section = "offboarding"
	base.Data = d
	s.render(w, r, status, "offboarding_case", base)
}

// doneBy names who closed a step or applied a stage: a person, or the
// system (Reconcile, or a case's own automation).
func (s *server) doneBy(ctx context.Context, lang string, names map[string]string, id string) string {
	if strings.HasPrefix(id, "system:") {
		return s.cat.T(lang, "ob.system")
	}
	return s.name(ctx, names, id)
}

// stepTitle shows a title the built-in template gave a step in the user's
// language; a tenant's own titles are shown as written.
func (s *server) stepTitle(lang, key, title string) string {
	if st, ok := offboarding.DefaultTemplate().Step(key); ok && st.Title == title {
		return s.cat.T(lang, "ob.stepkind."+string(st.Kind))
	}
	return title
}

// stageTitle does the same for the stages of the built-in revocation plan.
func (s *server) stageTitle(lang, key, title string) string {
	for _, st := range access.DefaultRevocationPlan().Stages {
		if st.Key == key && st.Title == title && s.cat.Has(lang, "ob.stagetitle."+key) {
			return s.cat.T(lang, "ob.stagetitle."+key)
		}
	}
	return title
}

// caseCustomers fills the customer handover of the case page.
func (s *server) caseCustomers(ctx context.Context, base *page, p ballast.Principal, d *caseData, names map[string]string) error {
	items, err := s.offboarding.CustomerHandover(ctx, d.Case.ID)
	if err != nil {
		return err
	}
	sigs, err := s.offboarding.Signatures(ctx, d.Case.ID)
	if err != nil {
		return err
	}
	byID := make(map[string]offboarding.Signature, len(sigs))
	for _, sg := range sigs {
		byID[sg.ID] = sg
	}
	for _, it := range items {
		row := handoverRow{HandoverItem: it, SuccessorName: s.name(ctx, names, it.SuccessorID), HandedByName: s.name(ctx, names, it.HandedBy)}
		if it.SignatureID != "" {
			row.Signature = byID[it.SignatureID]
			row.SignerName = s.name(ctx, names, row.Signature.Signer)
		} else if d.MayHandOver && d.Open {
			row.Successors = []option{{Value: "", Label: s.cat.T(base.Lang, "ob.successor.choose")}}
			for i, id := range d.Case.Successors {
				row.Successors = append(row.Successors, option{Value: id, Label: d.SuccessorNames[i], Selected: id == it.SuccessorID})
			}
		}
		if it.SuccessorID == p.Subject && it.HandedOver && it.SignatureID == "" {
			d.ToSign++
		}
		d.Customers = append(d.Customers, row)
	}
	return nil
}

// caseAccess fills the access part: the stages with their trigger days,
// what each applied stage removed, a preview of the next one, and the
// explain box.
func (s *server) caseAccess(r *http.Request, base *page, p ballast.Principal, d *caseData, names map[string]string) error {
	ctx := r.Context()
	applied, err := s.revocations.AppliedStages(ctx, d.Case.ID)
	if err != nil {
		return err
	}
	byKey := make(map[string]access.StageEffect, len(applied))
	for _, e := range applied {
		byKey[e.StageKey] = e
	}
	next := false
	for _, st := range d.Case.Plan.Stages {
		row := stageRow{Stage: st}
		row.Title = s.stageTitle(base.Lang, st.Key, st.Title)
		if st.Trigger.Kind == access.TriggerBeforeLastDay {
			row.On = hr.DateOf(d.Case.LastDay.In(time.UTC).AddDate(0, 0, -st.Trigger.Days))
		}
		if e, ok := byKey[st.Key]; ok {
			row.Applied, row.Effect, row.AppliedByName = true, e, s.doneBy(ctx, base.Lang, names, e.AppliedBy)
		} else if !next && d.Open {
			next, row.Next = true, true
			pv, err := s.revocations.PreviewStage(ctx, d.Case.EmployeeID, st)
			if err != nil {
				row.PreviewErr = s.cat.T(base.Lang, errKey(err))
			}
			row.Preview = pv
		}
		d.Stages = append(d.Stages, row)
	}
	perm := strings.TrimSpace(r.URL.Query().Get("perm"))
	d.Explain.Permission = perm
	if perm == "" {
		d.Explain.Permission = "customers:export"
		return nil
	}
	d.Explain.Asked = true
	dec, err := s.revocations.Explain(ctx, p.Tenant, d.Case.EmployeeID, perm)
	switch {
	case err == nil:
		d.Explain.Decision = dec
		for _, m := range dec.Grants {
			d.Explain.Grants = append(d.Explain.Grants, s.matchText(base.Lang, m))
		}
		for _, m := range dec.Denials {
			d.Explain.Denials = append(d.Explain.Denials, s.matchText(base.Lang, m))
		}
	case errors.Is(err, ballast.ErrForbidden):
		d.Explain.Error = s.cat.T(base.Lang, "ob.explain.forbidden")
	case errors.Is(err, ballast.ErrInvalid):
		d.Explain.Error = s.cat.T(base.Lang, "ob.explain.invalid")
	default:
		return err
	}
	return nil
}

// matchText says where a matching rule comes from: held directly, or
// through a role (inherited through others).
func (s *server) matchText(lang string, m access.Match) string {
	role := func(name string) string {
		if s.cat.Has(lang, "ob.accessrole."+name) {
			return s.cat.T(lang, "ob.accessrole."+name)
		}
		return name
	}
	var out string
	switch len(m.Via) {
	case 0:
		out = s.cat.T(lang, "ob.match.direct")
	case 1:
		out = s.cat.T(lang, "ob.match.role", role(m.Via[0]))
	default:
		var path []string
		for _, v := range m.Via[:len(m.Via)-1] {
			path = append(path, role(v))
		}
		out = s.cat.T(lang, "ob.match.inherited", role(m.Via[len(m.Via)-1]), strings.Join(path, " → "))
	}
	if m.Permission == access.AllPermissions {
		out += s.cat.T(lang, "ob.match.all")
	}
	return out
}

// errKey is the catalog key of the error page that fits err.
func errKey(err error) string {
	switch {
	case errors.Is(err, ballast.ErrForbidden):
		return "error.forbidden.text"
	case errors.Is(err, ballast.ErrNotFound):
		return "error.notfound.text"
	case errors.Is(err, ballast.ErrInvalid):
		return "error.invalid.text"
	case errors.Is(err, ballast.ErrConflict):
		return "error.conflict.text"
	}
	return "error.internal.text"
}

// workFormOf fills the work form from a report.
func workFormOf(rep offboarding.WorkReport) workForm {
	f := workForm{Projects: slices.Clone(rep.Projects), PendingTasks: strings.Join(rep.PendingTasks, "\n"), DocumentsAt: rep.DocumentsAt}
	for _, pr := range rep.Projects {
		f.Stakeholders = append(f.Stakeholders, strings.Join(pr.Stakeholders, ", "))
	}
	return f
}
