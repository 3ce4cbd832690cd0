package web

import (
	"testing"

	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
)

// TestAssessmentPages_ParseAndHaveEveryKeyBuiltAtRunTime parses every
// page with the layout, and checks the catalogs hold the keys the
// assessment, 360 and appeal pages build from a value (a state, a kind, a
// group), which TestCatalog_HasEveryKeyThePagesUse cannot see.
func TestAssessmentPages_ParseAndHaveEveryKeyBuiltAtRunTime(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := parseTemplates(cat)
	if err != nil {
		t.Fatalf("parseTemplates: %v", err)
	}
	for _, name := range []string{"assessment_home", "assessment_cycle", "assessment_review", "assessment_result", "appeal_thread", "multirater_report"} {
		if tmpl[name] == nil {
			t.Errorf("page %s is not parsed", name)
		}
	}
	keys := []string{"nav.assessment", "as.cycle.employees.none", "mr.nominate.choose"}
	for _, k := range cycleKinds {
		keys = append(keys, "as.kind."+string(k))
	}
	for _, st := range cycleStates {
		keys = append(keys, "as.state."+string(st))
		if n := nextTransition(st); n != "" {
			keys = append(keys, "as.next."+n, "as.next."+n+".hint")
			if n != "finalise" { // finalising shows its report instead
				keys = append(keys, "as.saved."+n)
			}
		}
	}
	for _, st := range participantStatuses {
		keys = append(keys, "as.pstatus."+string(st))
	}
	for _, sd := range []assessment.Side{assessment.SideSelf, assessment.SideManager} {
		keys = append(keys, "as.task."+string(sd))
	}
	for _, k := range []assessment.IndicatorKind{assessment.Quantitative, assessment.Qualitative} {
		keys = append(keys, "as.indkind."+string(k))
	}
	for _, d := range []assessment.Direction{assessment.HigherIsBetter, assessment.LowerIsBetter} {
		keys = append(keys, "as.dir."+string(d))
	}
	for _, m := range []assessment.MappingKind{assessment.MappingRatio, assessment.MappingBands} {
		keys = append(keys, "as.map."+string(m))
	}
	for _, st := range []assessment.TemplateStatus{assessment.TemplateDraft, assessment.TemplatePublished} {
		keys = append(keys, "as.tpl.status."+string(st))
	}
	for _, v := range []string{"draft", "submitted", "created", "published", "decided", "filed", "replied", "nominated", "withdrawn", "review",
		"calibrated", "imported", "approved", "rejected", "refused", "archived", "scale", "template", "indicator", "actuals", "reopened", "deadlines"} {
		keys = append(keys, "as.saved."+v)
	}
	for _, st := range appealStatuses {
		keys = append(keys, "ap.status."+string(st))
	}
	for _, r := range []appeal.Result{appeal.ResultUpheld, appeal.ResultAdjusted} {
		keys = append(keys, "ap.result."+string(r))
	}
	for _, r := range []appeal.Role{appeal.RoleEmployee, appeal.RoleManager, appeal.RoleHR} {
		keys = append(keys, "ap.role."+string(r))
	}
	for _, g := range groupsInOrder {
		keys = append(keys, "mr.group."+string(g))
	}
	for _, st := range roundStatuses {
		keys = append(keys, "mr.status."+string(st))
	}
	for _, st := range []multirater.State{multirater.StateNominating, multirater.StateCollecting, multirater.StateClosed} {
		keys = append(keys, "mr.state."+string(st))
	}
	for _, st := range []multirater.NominationState{multirater.NominationPending, multirater.NominationApproved, multirater.NominationRejected} {
		keys = append(keys, "mr.nstate."+string(st))
	}
	for _, k := range keys {
		for _, lang := range i18n.Languages() {
			if !cat.Has(lang, k) {
				t.Errorf("catalog %s lacks %q", lang, k)
			}
		}
	}
}
