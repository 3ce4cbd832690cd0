package access_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// The evidence for one employee is the audit entries about the subject:
// grants, every stage applied and restored. Exported as a bundle, it
// verifies offline, and changing any line breaks it.
func TestEvidenceBundle_OneEmployeeVerifiesOfflineAndDetectsTampering(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.leaver(t, "wangli") // 4 entries
		f.must(t, f.e.GrantRole(f.sys(), "zhaomin", access.RoleEmployee, "not in wangli's bundle"))
		caseID := ballast.NewID()
		for _, st := range access.DefaultRevocationPlan().Stages { // 3 entries
			_, err := f.e.ApplyStage(f.sys(), caseID, "wangli", st, "resigned")
			f.must(t, err)
		}
		_, err := f.e.RestoreCase(f.sys(), caseID, "resignation withdrawn") // 3 entries
		f.must(t, err)

		var buf bytes.Buffer
		f.must(t, f.log.Export(f.sys(), f.tenant, audit.Filter{TargetType: "subject", TargetID: "wangli"}, &buf))
		bundle := buf.String()
		head, err := audit.VerifyBundle(strings.NewReader(bundle))
		if err != nil {
			t.Fatalf("VerifyBundle of the untouched bundle: %v", err)
		}
		if head.Entries != 10 || head.Tenant != f.tenant || head.Complete {
			t.Errorf("bundle head: %+v; want 10 entries of %s, not complete", head, f.tenant)
		}
		lines := strings.Split(strings.TrimSuffix(bundle, "\n"), "\n")
		if len(lines) != 11 {
			t.Fatalf("bundle has %d lines, want 10 entries and the head", len(lines))
		}
		var actions []string
		for _, l := range lines[:10] {
			if !strings.Contains(l, `"target_id":"wangli"`) {
				t.Errorf("entry not about wangli: %s", l)
			}
			for _, a := range []string{"access.stage.apply", "access.stage.restore"} {
				if strings.Contains(l, `"action":"`+a+`"`) {
					actions = append(actions, a)
					if !strings.Contains(l, caseID) {
						t.Errorf("stage entry without the case ID: %s", l)
					}
				}
			}
		}
		if len(actions) != 6 {
			t.Errorf("%d stage entries in the bundle, want 6", len(actions))
		}

		for _, tc := range []struct {
			name   string
			bundle string
		}{
			{"ReasonChanged", strings.Replace(bundle, "resignation withdrawn", "resignation accepted!", 1)},
			{"RuleChanged", strings.Replace(bundle, "wangli deny customers:read:key", "wangli deny customers:read:all", 1)},
			{"EntryDropped", strings.Join(append(append([]string{}, lines[:4]...), lines[5:]...), "\n") + "\n"},
		} {
			if tc.bundle == bundle {
				t.Fatalf("%s: tampering changed nothing", tc.name)
			}
			if _, err := audit.VerifyBundle(strings.NewReader(tc.bundle)); !errors.Is(err, audit.ErrTampered) {
				t.Errorf("%s: VerifyBundle err %v, want ErrTampered", tc.name, err)
			}
		}
	})
}
