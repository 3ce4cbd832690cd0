package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/offboarding"
)

// TestCatalog_HasEveryKeyThePagesUse fails when a template or handler asks
// for a text the catalogs lack (it would show as its key).
func TestCatalog_HasEveryKeyThePagesUse(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	tmplKey := regexp.MustCompile(`\bt \$?[.\w$]* "([\w.]+)"`)
	err = fs.WalkDir(templatesFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templatesFS, path)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goKey := regexp.MustCompile(`cat\.T\([^,]+, "([\w.]+\w)"\)`)
	goFiles, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range goFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d keys; is the scan broken?", len(keys))
	}
	// Keys built at run time from a value.
	for _, s := range hr.Statuses {
		keys["status."+string(s)] = true
	}
	for _, c := range hr.HireChannels {
		keys["channel."+string(c)] = true
	}
	for _, d := range []string{hr.DirectionManagement, hr.DirectionTechnical, hr.DirectionSales, hr.DirectionOther} {
		keys["direction."+d] = true
	}
	for _, src := range []string{"assessment", "import", "manual"} {
		keys["source."+src] = true
	}
	for _, tier := range customers.Tiers {
		keys["tier."+string(tier)] = true
	}
	for _, a := range []string{customers.ActionCreate, customers.ActionUpdate, customers.ActionTransfer, customers.ActionArchive,
		customers.ActionRestore, customers.ActionExport, customers.ActionSnapshot} {
		keys["audit."+a] = true
	}
	for _, k := range assets.Kinds {
		keys["kind."+string(k)] = true
	}
	for _, st := range assets.Statuses {
		keys["astatus."+string(st)] = true
	}
	for _, c := range assets.Conditions {
		keys["condition."+string(c)] = true
	}
	for _, c := range channel.FeedbackCategories {
		keys["fbcat."+string(c)] = true
	}
	for _, st := range []channel.FeedbackStatus{channel.FeedbackOpen, channel.FeedbackResolved} {
		keys["fbstatus."+string(st)] = true
	}
	for _, st := range []channel.Status{channel.StatusDraft, channel.StatusPublished, channel.StatusWithdrawn} {
		keys["ann.status."+string(st)] = true
	}
	for _, r := range []insight.ReasonKind{insight.ReasonReferredMembers, insight.ReasonKeyAccountValue, insight.ReasonKeyAccounts,
		insight.ReasonAnnualValue, insight.ReasonCustomers} {
		keys["reason."+string(r)] = true
	}
	for _, k := range offboarding.ExitKinds {
		keys["ob.kind."+string(k)] = true
	}
	for _, st := range []offboarding.CaseStatus{offboarding.CaseOpen, offboarding.CaseCompleted, offboarding.CaseWithdrawn} {
		keys["ob.status."+string(st)] = true
	}
	for _, k := range offboarding.StepKinds {
		keys["ob.stepkind."+string(k)] = true
	}
	for _, st := range []offboarding.StepStatus{offboarding.StepOpen, offboarding.StepDone, offboarding.StepForced} {
		keys["ob.stepstatus."+string(st)] = true
	}
	for _, r := range offboarding.Roles {
		keys["ob.role."+string(r)] = true
	}
	for _, c := range offboarding.ClosingRules {
		keys["ob.rule."+string(c)] = true
		keys["ob.rule."+string(c)+".do"] = true
	}
	for _, d := range []offboarding.Decision{offboarding.DecisionPending, offboarding.DecisionApproved, offboarding.DecisionReturned} {
		keys["ob.decision."+string(d)] = true
	}
	for _, o := range []offboarding.ItemOutcome{offboarding.ItemPending, offboarding.ItemReturned, offboarding.ItemMissing} {
		keys["ob.outcome."+string(o)] = true
	}
	for _, tk := range []access.TriggerKind{access.TriggerOnResignation, access.TriggerBeforeLastDay, access.TriggerOnCompletion} {
		keys["ob.trigger."+string(tk)] = true
	}
	for _, r := range access.Roles() {
		keys["ob.accessrole."+r.Name] = true
	}
	for _, st := range access.DefaultRevocationPlan().Stages {
		keys["ob.stagetitle."+st.Key] = true
	}
	for _, k := range []string{"cust.filter.allowners", "cust.new.ownerself", "cust.transfer.choose", "asset.filter.allholders", "asset.issue.choose",
		"ob.successor.choose", "ob.employee.choose", "ob.status.all"} {
		keys[k] = true
	}
	for _, k := range []string{"error.forbidden", "error.notfound", "error.invalid", "error.conflict", "error.internal"} {
		keys[k+".text"] = true
	}
	for k := range keys {
		for _, lang := range i18n.Languages() {
			if !cat.Has(lang, k) {
				t.Errorf("catalog %s lacks %q", lang, k)
			}
		}
	}
}
