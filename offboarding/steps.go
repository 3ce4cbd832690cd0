package offboarding

import (
	"context"
	"fmt"
	"slices"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// finishStep closes st (done, or forced with note as HR's reason) under
// its version, and appends the audit entry.
func (s *Service) finishStep(ctx context.Context, pr ballast.Principal, st *Step, note string, forced bool) error {
	if st.Closed() {
		return ErrStepClosed
	}
	before := *st
	st.Status, st.DoneAt, st.DoneBy, st.Note = StepDone, s.now(), pr.Subject, note
	action := ActionStepDone
	if forced {
		st.Status, action = StepForced, ActionStepForced
	}
	st.NextAlertOn, st.UpdatedAt, st.Version = hr.Date{}, st.DoneAt, before.Version+1
	if err := s.store.UpdateStep(ctx, pr.Tenant, *st, before.Version); err != nil {
		return err
	}
	return s.record(ctx, action, st.CaseID, note, stepView(before), stepView(*st))
}

func stepView(s Step) Step {
	s.NextAlertOn = hr.Date{}
	return s
}

// load reads an open case and its steps for a change, checking the case
// version when one is given (non-zero).
func (s *Service) load(ctx context.Context, tenant, caseID string, version int64) (Case, []Step, error) {
	if err := ballast.CheckID("case_id", caseID); err != nil {
		return Case{}, nil, err
	}
	c, err := s.store.Case(ctx, tenant, caseID)
	if err != nil {
		return Case{}, nil, err
	}
	if version != 0 && c.Version != version {
		return Case{}, nil, staleVersion("case "+caseID, version, c.Version)
	}
	if c.Status != CaseOpen {
		return Case{}, nil, ErrCaseClosed
	}
	steps, err := s.store.Steps(ctx, tenant, caseID)
	if err != nil {
		return Case{}, nil, err
	}
	return c, steps, nil
}

// stepOf returns the step of kind (or, with key set, the step with key).
func stepOf(steps []Step, kind StepKind, key string) (*Step, error) {
	for i := range steps {
		if (key != "" && steps[i].Key == key) || (key == "" && steps[i].Kind == kind) {
			return &steps[i], nil
		}
	}
	if key != "" {
		return nil, fmt.Errorf("step %q: %w", key, ballast.ErrNotFound)
	}
	return nil, fmt.Errorf("the case has no %s step: %w", kind, ballast.ErrNotFound)
}

// ForceCloseStep lets HR (PermManage) close an open step that cannot
// finish by its own rule, with a written reason kept on the step and in
// audit. version is the step's version (stale: ErrConflict).
func (s *Service) ForceCloseStep(ctx context.Context, caseID, stepKey, reason string, version int64) (Step, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Step{}, fmt.Errorf("offboarding: force-close step: %w", err)
	}
	var v ballast.ValidationError
	checkText(&v, "reason", reason, maxReason, true)
	if err := v.Err(); err != nil {
		return Step{}, fmt.Errorf("offboarding: force-close step: %w", err)
	}
	var out Step
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		_, steps, err := s.load(ctx, pr.Tenant, caseID, 0)
		if err != nil {
			return err
		}
		st, err := stepOf(steps, "", stepKey)
		if err != nil {
			return err
		}
		if st.Version != version {
			return staleVersion("step "+stepKey, version, st.Version)
		}
		if err := s.finishStep(ctx, pr, st, reason, true); err != nil {
			return err
		}
		out = *st
		return nil
	})
	if err != nil {
		return Step{}, fmt.Errorf("offboarding: force-close step %s of %s: %w", stepKey, caseID, err)
	}
	return out, nil
}

// CloseStepParams closes a custom step by its rule.
type CloseStepParams struct {
	CaseID  string `json:"case_id"`
	StepKey string `json:"step_key"`
	// Version is the step's version (stale: ErrConflict).
	Version int64 `json:"version"`
	// Note says what was done (the signed text for a signature step).
	Note string `json:"note,omitempty"`
	// ClientIP and UserAgent go into the signature of a signature step.
	ClientIP  string `json:"client_ip,omitempty"`
	UserAgent string `json:"user_agent,omitempty"`
}

// CloseStep closes a custom step by its closing rule: a signature or a
// confirmation by one of its assignees (a signature records the SHA-256 of
// the note), an approval by the manager or HR. Anyone else is
// ErrForbidden; a step that is not custom is ErrWrongStep.
func (s *Service) CloseStep(ctx context.Context, p CloseStepParams) (Step, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return Step{}, fmt.Errorf("offboarding: close step: %w", err)
	}
	var v ballast.ValidationError
	checkText(&v, "note", p.Note, maxNote, false)
	checkText(&v, "client_ip", p.ClientIP, 100, false)
	checkText(&v, "user_agent", p.UserAgent, 500, false)
	if err := v.Err(); err != nil {
		return Step{}, fmt.Errorf("offboarding: close step: %w", err)
	}
	manages, err := s.manages(ctx, pr)
	if err != nil {
		return Step{}, fmt.Errorf("offboarding: close step: %w", err)
	}
	var out Step
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, steps, err := s.load(ctx, pr.Tenant, p.CaseID, 0)
		if err != nil {
			return err
		}
		st, err := stepOf(steps, "", p.StepKey)
		if err != nil {
			return err
		}
		if st.Kind != KindCustom {
			return ErrWrongStep
		}
		if st.Version != p.Version {
			return staleVersion("step "+p.StepKey, p.Version, st.Version)
		}
		switch st.ClosingRule {
		case CloseByApproval:
			if !manages && pr.Subject != c.ManagerID {
				return forbidden("%s is neither the manager nor HR", pr.Subject)
			}
		default:
			if !slices.Contains(st.Assignees, pr.Subject) {
				return forbidden("%s is not responsible for step %s", pr.Subject, st.Key)
			}
		}
		if st.ClosingRule == CloseBySignature {
			content := canonical(map[string]string{"case_id": c.ID, "step_key": st.Key, "note": p.Note})
			sig := Signature{ID: ballast.NewID(), CaseID: c.ID, StepID: st.ID, Signer: pr.Subject,
				ContentHash: hashOf(content), Content: string(content), SignedAt: s.now(), ClientIP: p.ClientIP, UserAgent: p.UserAgent}
			if err := s.store.InsertSignature(ctx, pr.Tenant, sig); err != nil {
				return err
			}
		}
		if err := s.finishStep(ctx, pr, st, p.Note, false); err != nil {
			return err
		}
		out = *st
		return nil
	})
	if err != nil {
		return Step{}, fmt.Errorf("offboarding: close step %s of %s: %w", p.StepKey, p.CaseID, err)
	}
	return out, nil
}
