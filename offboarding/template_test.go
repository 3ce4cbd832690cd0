package offboarding_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

func TestTemplateValidate_ListsEveryProblem(t *testing.T) {
	t.Parallel()
	step := func(key string, kind offboarding.StepKind, offset int, mod ...func(*offboarding.StepTemplate)) offboarding.StepTemplate {
		s := offboarding.StepTemplate{Key: key, Kind: kind, Title: key, Responsible: []offboarding.Role{offboarding.RoleHR}, DueOffsetDays: offset}
		for _, m := range mod {
			m(&s)
		}
		return s
	}
	tests := []struct {
		name   string
		t      offboarding.Template
		fields []string
	}{
		{"the default is valid", offboarding.DefaultTemplate(), nil},
		{"duplicate keys", offboarding.Template{Steps: []offboarding.StepTemplate{step("a", offboarding.KindWork, 0), step("a", offboarding.KindItems, 0)}},
			[]string{"steps[1].key"}},
		{"deadline after the last day", offboarding.Template{Steps: []offboarding.StepTemplate{step("a", offboarding.KindWork, 1)}},
			[]string{"steps[0].due_offset_days"}},
		{"deadline within grace", offboarding.Template{GraceDays: 2, Steps: []offboarding.StepTemplate{step("a", offboarding.KindWork, 2)}}, nil},
		{"no responsible party", offboarding.Template{Steps: []offboarding.StepTemplate{step("a", offboarding.KindWork, 0, func(s *offboarding.StepTemplate) { s.Responsible = nil })}},
			[]string{"steps[0].responsible"}},
		{"custom step without a closing rule", offboarding.Template{Steps: []offboarding.StepTemplate{step("exit-interview", offboarding.KindCustom, -1)}},
			[]string{"steps[0].closing_rule"}},
		{"custom step with a rule", offboarding.Template{Steps: []offboarding.StepTemplate{step("exit-interview", offboarding.KindCustom, -1,
			func(s *offboarding.StepTemplate) { s.ClosingRule = offboarding.CloseBySignature })}}, nil},
		{"two work steps, unknown role, bad offsets", offboarding.Template{ReminderOffsets: []int{0, 2, 2},
			Steps: []offboarding.StepTemplate{step("a", offboarding.KindWork, 0), step("b", offboarding.KindWork, 0,
				func(s *offboarding.StepTemplate) { s.Responsible = []offboarding.Role{"boss"} })}},
			[]string{"reminder_offsets[0]", "reminder_offsets[2]", "steps[1].kind", "steps[1].responsible[0]"}},
		{"no steps", offboarding.Template{}, []string{"steps"}},
	}
	for _, tt := range tests {
		err := tt.t.Validate()
		if tt.fields == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if d := cmp.Diff(tt.fields, fields(t, err)); d != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestSetTemplate_CasesOpenWithTheTenantsSteps(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		tm, err := e.svc.Template(e.as["hr"])
		must(t, err)
		if d := cmp.Diff(offboarding.DefaultTemplate(), tm); d != "" {
			t.Errorf("template before any change (-want +got):\n%s", d)
		}
		tm.Steps = append(tm.Steps, offboarding.StepTemplate{Key: "exit-interview", Kind: offboarding.KindCustom, Title: "离职面谈",
			Responsible: []offboarding.Role{offboarding.RoleHR, offboarding.RoleEmployee}, DueOffsetDays: -1, ClosingRule: offboarding.CloseBySignature})
		tm.ReminderOffsets = []int{3}
		_, err = e.svc.SetTemplate(e.as["leaver"], tm, 0)
		wantErr(t, "an employee editing", err, ballast.ErrForbidden)
		saved, err := e.svc.SetTemplate(e.as["hr"], tm, 0)
		must(t, err)
		_, err = e.svc.SetTemplate(e.as["hr"], tm, 0)
		wantErr(t, "a stale version", err, ballast.ErrConflict)
		got, err := e.svc.Template(e.as["hr"])
		must(t, err)
		if d := cmp.Diff(saved, got); d != "" {
			t.Errorf("stored template (-want +got):\n%s", d)
		}
		c := e.resign(t)
		st := e.steps(t, c.ID)["exit-interview"]
		if st.DueOn.String() != "2026-11-29" || st.ClosingRule != offboarding.CloseBySignature || !cmp.Equal(c.ReminderOffsets, []int{3}) {
			t.Fatalf("custom step = %+v, offsets %v", st, c.ReminderOffsets)
		}
		_, err = e.svc.CloseStep(e.as["succ1"], offboarding.CloseStepParams{CaseID: c.ID, StepKey: st.Key, Version: st.Version, Note: "done"})
		wantErr(t, "someone not responsible closing", err, ballast.ErrForbidden)
		done, err := e.svc.CloseStep(e.as["leaver"], offboarding.CloseStepParams{CaseID: c.ID, StepKey: st.Key, Version: st.Version,
			Note: "面谈已完成", ClientIP: "10.1.1.1"})
		must(t, err)
		if done.Status != offboarding.StepDone || done.DoneBy != e.leaver.ID {
			t.Errorf("closed step = %+v", done)
		}
		sigs, err := e.svc.Signatures(e.as["hr"], c.ID)
		must(t, err)
		if len(sigs) != 1 || sigs[0].Signer != e.leaver.ID || len(sigs[0].ContentHash) != 64 {
			t.Errorf("signatures = %+v", sigs)
		}
	})
}
