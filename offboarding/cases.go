package offboarding

import (
	"context"
	"errors"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
)

// Template returns the tenant's template, or DefaultTemplate when it has
// none of its own (PermManage).
func (s *Service) Template(ctx context.Context) (Template, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Template{}, fmt.Errorf("offboarding: template: %w", err)
	}
	t, err := s.template(ctx, pr.Tenant)
	if err != nil {
		return Template{}, fmt.Errorf("offboarding: template: %w", err)
	}
	return t, nil
}

// SetTemplate stores the tenant's template (PermManage); version is the
// version read (0 for the built-in default). An invalid template is a
// *ballast.ValidationError; a stale version ErrConflict. Open cases keep
// the steps they opened with.
func (s *Service) SetTemplate(ctx context.Context, t Template, version int64) (Template, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Template{}, fmt.Errorf("offboarding: set template: %w", err)
	}
	if t.ReminderOffsets == nil {
		t.ReminderOffsets = []int{2, 1}
	}
	if t.EscalateTo == nil {
		t.EscalateTo = []Role{RoleManager, RoleHR}
	}
	if err := t.Validate(); err != nil {
		return Template{}, fmt.Errorf("offboarding: set template: %w", err)
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Template(ctx, pr.Tenant)
		if errors.Is(err, ballast.ErrNotFound) {
			before = DefaultTemplate()
		} else if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("template", version, before.Version)
		}
		t.Version, t.UpdatedAt = version+1, s.now()
		if err := s.store.PutTemplate(ctx, pr.Tenant, t, version); err != nil {
			return err
		}
		return s.record(ctx, ActionTemplate, pr.Tenant, "", before, t)
	})
	if err != nil {
		return Template{}, fmt.Errorf("offboarding: set template: %w", err)
	}
	return t, nil
}

// Case returns a case the principal takes part in (or every case with
// PermManage); others are ErrNotFound.
func (s *Service) Case(ctx context.Context, id string) (Case, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: case: %w", err)
	}
	c, err := s.participantCase(ctx, pr, id)
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: case %s: %w", id, err)
	}
	return c, nil
}

// Steps returns a case's steps in template order (as Case).
func (s *Service) Steps(ctx context.Context, caseID string) ([]Step, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("offboarding: steps: %w", err)
	}
	if _, err := s.participantCase(ctx, pr, caseID); err != nil {
		return nil, fmt.Errorf("offboarding: steps of %s: %w", caseID, err)
	}
	steps, err := s.store.Steps(ctx, pr.Tenant, caseID)
	if err != nil {
		return nil, fmt.Errorf("offboarding: steps of %s: %w", caseID, err)
	}
	return steps, nil
}

// CaseFilter selects cases for Cases.
type CaseFilter struct {
	Status     CaseStatus `json:"status,omitempty"`
	EmployeeID string     `json:"employee_id,omitempty"`
	// After is the last ID of the previous page; Limit caps the page
	// (default 50, at most 500).
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// Cases lists cases ordered by ID (PermManage).
func (s *Service) Cases(ctx context.Context, f CaseFilter) ([]Case, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, fmt.Errorf("offboarding: cases: %w", err)
	}
	q, err := caseQuery(f)
	if err != nil {
		return nil, fmt.Errorf("offboarding: cases: %w", err)
	}
	cs, err := s.store.ListCases(ctx, pr.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("offboarding: cases: %w", err)
	}
	return cs, nil
}

// MyCases lists the cases the signed-in employee takes part in — as the
// leaver, the line manager, the HR owner or a successor — ordered by ID, so
// a successor finds the handover waiting for their signature. It needs no
// permission beyond a user principal; f.EmployeeID narrows it further.
func (s *Service) MyCases(ctx context.Context, f CaseFilter) ([]Case, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("offboarding: my cases: %w", err)
	}
	q, err := caseQuery(f)
	if err != nil {
		return nil, fmt.Errorf("offboarding: my cases: %w", err)
	}
	q.Participant = pr.Subject
	cs, err := s.store.ListCases(ctx, pr.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("offboarding: my cases: %w", err)
	}
	return cs, nil
}

// caseQuery validates f and turns it into a store query.
func caseQuery(f CaseFilter) (CaseQuery, error) {
	var v ballast.ValidationError
	if f.Limit < 0 || f.Limit > 500 {
		v.Add("limit", "must be between 0 and 500")
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Status != "" && f.Status != CaseOpen && f.Status != CaseCompleted && f.Status != CaseWithdrawn {
		v.Add("status", "is not a case status")
	}
	if err := v.Err(); err != nil {
		return CaseQuery{}, err
	}
	return CaseQuery{Status: f.Status, EmployeeID: f.EmployeeID, After: f.After, Limit: f.Limit}, nil
}

// WorkRounds returns every round of a case's work report (as Case).
func (s *Service) WorkRounds(ctx context.Context, caseID string) ([]WorkRound, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("offboarding: work rounds: %w", err)
	}
	if _, err := s.participantCase(ctx, pr, caseID); err != nil {
		return nil, fmt.Errorf("offboarding: work rounds of %s: %w", caseID, err)
	}
	return s.store.WorkRounds(ctx, pr.Tenant, caseID)
}

// Signatures returns every signature of a case (as Case).
func (s *Service) Signatures(ctx context.Context, caseID string) ([]Signature, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("offboarding: signatures: %w", err)
	}
	if _, err := s.participantCase(ctx, pr, caseID); err != nil {
		return nil, fmt.Errorf("offboarding: signatures of %s: %w", caseID, err)
	}
	return s.store.Signatures(ctx, pr.Tenant, caseID)
}

// StagePreview is a revocation stage of a case with its planned day and
// what it removed (applied) or would remove now (pending).
type StagePreview struct {
	Stage access.Stage `json:"stage"`
	// On is the day a before-last-day stage applies; zero for the others.
	On      hr.Date            `json:"on"`
	Applied bool               `json:"applied"`
	Effect  access.StageEffect `json:"effect"`
}

// RevocationPreview lists the case's revocation stages in plan order (HR):
// the applied ones with their stored effect, the pending ones with what
// they would remove if applied now (access.PreviewStage).
func (s *Service) RevocationPreview(ctx context.Context, caseID string) ([]StagePreview, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, fmt.Errorf("offboarding: revocation preview: %w", err)
	}
	if err := ballast.CheckID("case_id", caseID); err != nil {
		return nil, fmt.Errorf("offboarding: revocation preview: %w", err)
	}
	c, err := s.store.Case(ctx, pr.Tenant, caseID)
	if err != nil {
		return nil, fmt.Errorf("offboarding: revocation preview of %s: %w", caseID, err)
	}
	sys := as(ctx, pr)
	applied, err := s.access.AppliedStages(sys, caseID)
	if err != nil {
		return nil, fmt.Errorf("offboarding: revocation preview of %s: %w", caseID, err)
	}
	done := map[string]access.StageEffect{}
	for _, eff := range applied {
		done[eff.StageKey] = eff
	}
	out := make([]StagePreview, 0, len(c.Plan.Stages))
	for _, st := range c.Plan.Stages {
		p := StagePreview{Stage: st}
		if st.Trigger.Kind == access.TriggerBeforeLastDay {
			p.On = stageDay(st, c.LastDay)
		}
		if eff, ok := done[st.Key]; ok {
			p.Applied, p.Effect = true, eff
		} else if p.Effect, err = s.access.PreviewStage(sys, c.EmployeeID, st); err != nil {
			return nil, fmt.Errorf("offboarding: revocation preview of %s: %w", caseID, err)
		}
		out = append(out, p)
	}
	return out, nil
}
