package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/offboarding"
)

// blankRows is how many empty rows an editor offers for new steps or
// stages.
const blankRows = 2

// stepForm is one step row of the template editor as typed.
type stepForm struct {
	Key, Kind, Title, Offset, Rule string
	Responsible                    []string
}

// templateForm is the template editor as typed.
type templateForm struct {
	Steps     []stepForm
	Reminders string
	Escalate  []string
	Grace     string
	Version   int64
}

// handleTemplate shows the tenant's offboarding template for editing.
func (s *server) handleTemplate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	t, err := s.offboarding.Template(r.Context())
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	f := templateForm{Reminders: joinInts(t.ReminderOffsets), Grace: strconv.Itoa(t.GraceDays), Version: t.Version}
	for _, st := range t.Steps {
		sf := stepForm{Key: st.Key, Kind: string(st.Kind), Title: st.Title, Offset: strconv.Itoa(st.DueOffsetDays), Rule: string(st.ClosingRule)}
		for _, r := range st.Responsible {
			sf.Responsible = append(sf.Responsible, string(r))
		}
		f.Steps = append(f.Steps, sf)
	}
	for _, r := range t.EscalateTo {
		f.Escalate = append(f.Escalate, string(r))
	}
	if r.URL.Query().Get("saved") == "1" {
		base.Flash = s.cat.T(base.Lang, "ob.template.saved")
	}
	s.renderTemplate(w, r, http.StatusOK, base, f, nil)
}

func (s *server) renderTemplate(w http.ResponseWriter, r *http.Request, status int, base *page, f templateForm, errs map[string]string) {
	for range blankRows {
		f.Steps = append(f.Steps, stepForm{Kind: string(offboarding.KindCustom)})
	}
	base.Title = s.cat.T(base.Lang, "ob.template.title")
	base.Section = "offboarding"
	var kinds, rules []option
	for _, k := range offboarding.StepKinds {
		kinds = append(kinds, option{Value: string(k), Label: s.cat.T(base.Lang, "ob.stepkind."+string(k))})
	}
	for _, c := range offboarding.ClosingRules {
		rules = append(rules, option{Value: string(c), Label: s.cat.T(base.Lang, "ob.rule."+string(c))})
	}
	var roles []option
	for _, r := range offboarding.Roles {
		roles = append(roles, option{Value: string(r), Label: s.cat.T(base.Lang, "ob.role."+string(r))})
	}
	base.Data = struct {
		Form                templateForm
		Kinds, Rules, Roles []option
		Errors              map[string]string
	}{f, kinds, rules, roles, errs}
	s.render(w, r, status, "offboarding_template", base)
}

// handleTemplateSave validates and stores the template; every bad field is
// shown beside its input.
func (s *server) handleTemplateSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	f := templateForm{Reminders: r.PostFormValue("reminders"), Grace: strings.TrimSpace(r.PostFormValue("grace")), Escalate: r.PostForm["escalate"]}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var verr ballast.ValidationError
	t := offboarding.Template{}
	if g, err := strconv.Atoi(f.Grace); err == nil || f.Grace == "" {
		t.GraceDays = g
	} else {
		verr.Add("grace_days", "is not a whole number")
	}
	for i, x := range splitList(f.Reminders) {
		n, err := strconv.Atoi(x)
		if err != nil {
			verr.Add(fmt.Sprintf("reminder_offsets[%d]", i), "is not a whole number")
			continue
		}
		t.ReminderOffsets = append(t.ReminderOffsets, n)
	}
	if t.ReminderOffsets == nil {
		t.ReminderOffsets = []int{}
	}
	t.EscalateTo = []offboarding.Role{}
	for _, e := range f.Escalate {
		t.EscalateTo = append(t.EscalateTo, offboarding.Role(e))
	}
	rows, _ := strconv.Atoi(r.PostFormValue("rows"))
	for i := range min(rows, 60) {
		k := func(name string) string { return fmt.Sprintf("s%d_%s", i, name) }
		sf := stepForm{Key: strings.TrimSpace(r.PostFormValue(k("key"))), Kind: r.PostFormValue(k("kind")), Title: strings.TrimSpace(r.PostFormValue(k("title"))),
			Offset: strings.TrimSpace(r.PostFormValue(k("offset"))), Rule: r.PostFormValue(k("rule")), Responsible: r.PostForm[k("resp")]}
		if sf.Key == "" && sf.Title == "" {
			continue // an empty row
		}
		idx := len(t.Steps)
		st := offboarding.StepTemplate{Key: sf.Key, Kind: offboarding.StepKind(sf.Kind), Title: sf.Title}
		if st.Kind != offboarding.KindCustom {
			sf.Rule = ""
		}
		st.ClosingRule = offboarding.ClosingRule(sf.Rule)
		if n, err := strconv.Atoi(sf.Offset); err == nil {
			st.DueOffsetDays = n
		} else {
			verr.Add(fmt.Sprintf("steps[%d].due_offset_days", idx), "is not a whole number")
		}
		for _, role := range sf.Responsible {
			st.Responsible = append(st.Responsible, offboarding.Role(role))
		}
		f.Steps = append(f.Steps, sf)
		t.Steps = append(t.Steps, st)
	}
	err := verr.Err()
	if err == nil {
		_, err = s.offboarding.SetTemplate(r.Context(), t, f.Version)
	} else if terr := t.Validate(); terr != nil {
		var tv *ballast.ValidationError
		if errors.As(terr, &tv) {
			for _, fe := range tv.Fields {
				verr.Add(fe.Field, fe.Message)
			}
			err = verr.Err()
		}
	}
	if err == nil {
		http.Redirect(w, r, "/offboarding/template?saved=1", http.StatusSeeOther)
		return
	}
	var ve *ballast.ValidationError
	switch {
	case errors.As(err, &ve):
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderTemplate(w, r, http.StatusBadRequest, base, f, fieldMap(ve.Fields))
	case errors.Is(err, ballast.ErrConflict):
		base.Error = s.cat.T(base.Lang, "ob.error.conflict")
		s.renderTemplate(w, r, http.StatusConflict, base, f, nil)
	default:
		s.fail(w, r, base, err)
	}
}

// fieldMap indexes field errors by field, joining messages of one field.
func fieldMap(fs []ballast.FieldError) map[string]string {
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		if m[f.Field] != "" {
			m[f.Field] += "; " + f.Message
		} else {
			m[f.Field] = f.Message
		}
	}
	return m
}

// splitList splits "2, 1" or "a，b" into trimmed non-empty parts.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == ';' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ", ")
}

// stageForm is one stage row of the revocation plan editor as typed.
type stageForm struct {
	Key, Title, Trigger, Days, Deny string
	Roles                           []string
	All, Disable                    bool
}

// handlePlan shows the tenant's revocation plan for editing.
func (s *server) handlePlan(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if s.revocations == nil {
		s.fail(w, r, base, ballast.ErrNotFound)
		return
	}
	if !s.allowed(r.Context(), permAccessManage) {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	plan, err := s.revocations.TenantRevocationPlan(r.Context())
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	var rows []stageForm
	for _, st := range plan.Stages {
		sf := stageForm{Key: st.Key, Title: st.Title, Trigger: string(st.Trigger.Kind), Deny: strings.Join(st.DenyPermissions, ", "),
			Roles: st.RevokeRoles, All: st.RevokeAll, Disable: st.Disable}
		if st.Trigger.Kind == access.TriggerBeforeLastDay {
			sf.Days = strconv.Itoa(st.Trigger.Days)
		}
		rows = append(rows, sf)
	}
	if r.URL.Query().Get("saved") == "1" {
		base.Flash = s.cat.T(base.Lang, "ob.plan.saved")
	}
	s.renderPlan(w, r, http.StatusOK, base, rows, "", nil)
}

func (s *server) renderPlan(w http.ResponseWriter, r *http.Request, status int, base *page, rows []stageForm, reason string, errs map[string]string) {
	for range blankRows {
		rows = append(rows, stageForm{Trigger: string(access.TriggerBeforeLastDay)})
	}
	var triggers, roles []option
	for _, t := range []access.TriggerKind{access.TriggerOnResignation, access.TriggerBeforeLastDay, access.TriggerOnCompletion} {
		triggers = append(triggers, option{Value: string(t), Label: s.cat.T(base.Lang, "ob.trigger."+string(t))})
	}
	for _, role := range access.Roles() {
		label := role.Title
		if s.cat.Has(base.Lang, "ob.accessrole."+role.Name) {
			label = s.cat.T(base.Lang, "ob.accessrole."+role.Name)
		}
		roles = append(roles, option{Value: role.Name, Label: label})
	}
	base.Title = s.cat.T(base.Lang, "ob.plan.title")
	base.Section = "offboarding"
	base.Data = struct {
		Rows            []stageForm
		Reason          string
		Triggers, Roles []option
		Errors          map[string]string
	}{rows, reason, triggers, roles, errs}
	s.render(w, r, status, "offboarding_plan", base)
}

// handlePlanSave validates and stores the revocation plan.
func (s *server) handlePlanSave(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	if s.revocations == nil {
		s.fail(w, r, base, ballast.ErrNotFound)
		return
	}
	var verr ballast.ValidationError
	var plan access.RevocationPlan
	var rows []stageForm
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	for i := range min(n, 40) {
		k := func(name string) string { return fmt.Sprintf("g%d_%s", i, name) }
		sf := stageForm{Key: strings.TrimSpace(r.PostFormValue(k("key"))), Title: strings.TrimSpace(r.PostFormValue(k("title"))),
			Trigger: r.PostFormValue(k("trigger")), Days: strings.TrimSpace(r.PostFormValue(k("days"))), Deny: r.PostFormValue(k("deny")),
			Roles: r.PostForm[k("roles")], All: r.PostFormValue(k("all")) == "1", Disable: r.PostFormValue(k("disable")) == "1"}
		if sf.Key == "" && sf.Title == "" {
			continue
		}
		idx := len(plan.Stages)
		st := access.Stage{Key: sf.Key, Title: sf.Title, Trigger: access.Trigger{Kind: access.TriggerKind(sf.Trigger)},
			DenyPermissions: splitList(sf.Deny), RevokeRoles: slices.Clone(sf.Roles), RevokeAll: sf.All, Disable: sf.Disable}
		if st.Trigger.Kind == access.TriggerBeforeLastDay {
			d, err := strconv.Atoi(sf.Days)
			if err != nil {
				verr.Add(fmt.Sprintf("stages[%d].trigger.days", idx), "is not a whole number")
			}
			st.Trigger.Days = d
		}
		rows = append(rows, sf)
		plan.Stages = append(plan.Stages, st)
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	err := verr.Err()
	if err == nil {
		err = s.revocations.SetTenantRevocationPlan(r.Context(), plan, reason)
	} else if perr := plan.Validate(); perr != nil {
		var pv *ballast.ValidationError
		if errors.As(perr, &pv) {
			for _, fe := range pv.Fields {
				verr.Add(fe.Field, fe.Message)
			}
			err = verr.Err()
		}
	}
	if err == nil {
		http.Redirect(w, r, "/offboarding/plan?saved=1", http.StatusSeeOther)
		return
	}
	var ve *ballast.ValidationError
	if errors.As(err, &ve) {
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderPlan(w, r, http.StatusBadRequest, base, rows, reason, fieldMap(ve.Fields))
		return
	}
	s.fail(w, r, base, err)
}
