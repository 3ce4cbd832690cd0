package access

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// PermOffboarding is the permission that, beside "access:manage", lets a
// user preview, apply and restore revocation stages.
const PermOffboarding = "offboarding:manage"

// errCaseRestored refuses a stage for a case whose stages were restored.
var errCaseRestored = fmt.Errorf("the case's revocation was restored: %w", ballast.ErrConflict)

// authorizeAny returns nil when the principal holds one of perms (a system
// principal holds all), ErrForbidden otherwise.
func (e *Enforcer) authorizeAny(ctx context.Context, perms ...string) error {
	for _, perm := range perms {
		ok, err := e.Allowed(ctx, perm)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	p, _ := ballast.PrincipalFrom(ctx)
	return fmt.Errorf("access: %s may not %s: %w", p.Subject, strings.Join(perms, " or "), ballast.ErrForbidden)
}

// TenantRevocationPlan returns the revocation plan stored for the
// principal's tenant, or DefaultRevocationPlan when it stored none. It
// needs "access:manage" or "offboarding:manage" (or a system principal).
func (e *Enforcer) TenantRevocationPlan(ctx context.Context) (RevocationPlan, error) {
	if err := e.authorizeAny(ctx, PermManage, PermOffboarding); err != nil {
		return RevocationPlan{}, fmt.Errorf("access: revocation plan: %w", err)
	}
	p, _ := ballast.PrincipalFrom(ctx)
	sp, err := e.store.RevocationPlan(ctx, p.Tenant)
	if errors.Is(err, ballast.ErrNotFound) {
		return DefaultRevocationPlan(), nil
	}
	if err != nil {
		return RevocationPlan{}, fmt.Errorf("access: revocation plan: %w", err)
	}
	return sp.Plan, nil
}

// SetTenantRevocationPlan stores plan as the principal's tenant's
// revocation plan (a new version of it), audited with a field-level diff
// against the plan in effect before (the default one the first time).
// Errors: a plan failing Validate (*ballast.ValidationError, nothing
// written), a principal without "access:manage" (ErrForbidden), a
// concurrent change (ErrConflict).
func (e *Enforcer) SetTenantRevocationPlan(ctx context.Context, plan RevocationPlan, reason string) error {
	var v ballast.ValidationError
	if err := plan.Validate(); err != nil {
		var pv *ballast.ValidationError
		if errors.As(err, &pv) {
			v = *pv
		}
	}
	if len(reason) > maxReason {
		v.Add("reason", fmt.Sprintf("is longer than %d bytes", maxReason))
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("access: set revocation plan: %w", err)
	}
	if err := e.Authorize(ctx, PermManage); err != nil {
		return fmt.Errorf("access: set revocation plan: %w", err)
	}
	p, _ := ballast.PrincipalFrom(ctx)
	err := e.tx.InTx(ctx, func(ctx context.Context) error {
		before, version := DefaultRevocationPlan(), int64(0)
		sp, err := e.store.RevocationPlan(ctx, p.Tenant)
		switch {
		case err == nil:
			before, version = sp.Plan, sp.Version
		case !errors.Is(err, ballast.ErrNotFound):
			return err
		}
		err = e.store.SaveRevocationPlan(ctx, StoredPlan{
			Tenant: p.Tenant, Plan: plan, Version: version + 1,
			UpdatedAt: e.now(), UpdatedBy: p.Subject,
		})
		if err != nil {
			return err
		}
		_, err = e.audit.Append(ctx, audit.Record{
			Action: "access.revocation_plan.set", TargetType: "revocation_plan", TargetID: p.Tenant,
			Reason: reason, Changes: audit.Diff(before, plan),
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("access: set revocation plan: %w", err)
	}
	return nil
}

func (e *Enforcer) now() time.Time { return e.clock.Now().UTC().Truncate(time.Microsecond) }

// checkStageArgs validates the arguments of PreviewStage and ApplyStage.
func checkStageArgs(caseID string, needCase bool, subject string, st Stage) error {
	var v ballast.ValidationError
	if needCase {
		checkTenant("case_id", caseID, &v)
	}
	checkSubject("subject", subject, &v)
	st.validate("stage", &v)
	return v.Err()
}

// PreviewStage returns what applying st to subject would remove and add
// now, from the tenant's current policy (read through the store, in the
// caller's transaction if any), writing nothing. It needs "access:manage"
// or "offboarding:manage" (or a system principal).
func (e *Enforcer) PreviewStage(ctx context.Context, subject string, st Stage) (StageEffect, error) {
	if err := checkStageArgs("", false, subject, st); err != nil {
		return StageEffect{}, fmt.Errorf("access: preview stage: %w", err)
	}
	if err := e.authorizeAny(ctx, PermManage, PermOffboarding); err != nil {
		return StageEffect{}, fmt.Errorf("access: preview stage: %w", err)
	}
	p, _ := ballast.PrincipalFrom(ctx)
	have, err := e.current(ctx, p.Tenant, subject)
	if err != nil {
		return StageEffect{}, fmt.Errorf("access: preview stage: %w", err)
	}
	return effectOf(subject, have, st), nil
}

// operator is who applies or restores a stage: the person, or for a system
// principal "system:offboarding:<caseID>".
func operator(p ballast.Principal, caseID string) (actor string, system bool) {
	if p.Kind == ballast.KindSystem {
		return "system:offboarding:" + caseID, true
	}
	return p.Subject, false
}

// ApplyStage applies st to subject for the offboarding case caseID, in the
// caller's transaction (or its own), idempotently: a second call for the
// same (caseID, st.Key) changes nothing and returns the stored effect with
// AlreadyApplied set, also when two instances apply the stage at the same
// moment (the unique evidence row decides; the loser re-reads it). The
// exact rules removed and added are stored as evidence and appended to the
// audit log (target "subject", subject) with the operator and reason; a
// system principal is recorded as "system:offboarding:<caseID>" and the
// case ID is added to the reason. The tenant's policy is reloaded once the
// transaction commits.
//
// It needs "access:manage" or "offboarding:manage" (or a system
// principal). Errors: bad arguments (*ballast.ValidationError), a case
// already restored, or one whose stages concern another subject
// (ErrConflict).
func (e *Enforcer) ApplyStage(ctx context.Context, caseID, subject string, st Stage, reason string) (StageEffect, error) {
	if err := checkStageArgs(caseID, true, subject, st); err != nil {
		return StageEffect{}, fmt.Errorf("access: apply stage: %w", err)
	}
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return StageEffect{}, fmt.Errorf("access: apply stage: %w", err)
	}
	actor, system := operator(p, caseID)
	if system {
		reason = strings.TrimSpace(reason + " (offboarding case " + caseID + ")")
	}
	var (
		out   StageEffect
		prior *StageApplication
	)
	// prev finds the stage among the case's stored applications.
	prev := func(apps []StageApplication) (*StageApplication, error) {
		var found *StageApplication
		for i, a := range apps {
			if !a.RestoredAt.IsZero() {
				return nil, errCaseRestored
			}
			if a.Subject != subject {
				return nil, fmt.Errorf("case %s revokes the access of another subject: %w", caseID, ballast.ErrConflict)
			}
			if a.StageKey == st.Key {
				found = &apps[i]
			}
		}
		return found, nil
	}
	err = e.changeAs(ctx, "apply stage", reason, []string{PermManage, PermOffboarding}, func(ctx context.Context, tenant string) (*audit.Record, error) {
		apps, err := e.store.StageApplications(ctx, tenant, caseID)
		if err != nil {
			return nil, err
		}
		if prior, err = prev(apps); err != nil || prior != nil {
			if err == nil {
				err = errNoChange
			}
			return nil, err
		}
		have, err := e.current(ctx, tenant, subject)
		if err != nil {
			return nil, err
		}
		eff := effectOf(subject, have, st)
		add := slices.Clone(eff.Added)
		if eff.Disabled {
			add = append(add, disableRule(subject))
		}
		if err := e.write(ctx, tenant, false, eff.Removed); err != nil {
			return nil, err
		}
		if err := e.write(ctx, tenant, true, add); err != nil {
			return nil, err
		}
		eff.CaseID, eff.AppliedAt, eff.AppliedBy = caseID, e.now(), actor
		err = e.store.InsertStageApplication(ctx, StageApplication{
			Tenant: tenant, ID: ballast.NewID(), CaseID: caseID, StageKey: st.Key, Subject: subject,
			Removed: eff.Removed, Added: eff.Added, Disabled: eff.Disabled,
			AppliedAt: eff.AppliedAt, AppliedBy: actor,
		})
		if err != nil {
			return nil, err
		}
		out = eff
		rec := stageRecord("access.stage.apply", eff, false)
		if system {
			rec.Actor = actor
		}
		return rec, nil
	})
	if errors.Is(err, ballast.ErrConflict) && !errors.Is(err, errCaseRestored) {
		// Another instance applied the stage at the same moment: its row
		// is committed now.
		apps, rerr := e.store.StageApplications(ctx, p.Tenant, caseID)
		if rerr != nil {
			return StageEffect{}, fmt.Errorf("access: apply stage: %w", errors.Join(err, rerr))
		}
		if found, ferr := prev(apps); ferr == nil && found != nil {
			prior, err = found, nil
		}
	}
	if err != nil {
		return StageEffect{}, err
	}
	if prior != nil {
		eff := prior.effect()
		eff.AlreadyApplied = true
		return eff, nil
	}
	return out, nil
}

// effect is the stored application as a StageEffect.
func (a StageApplication) effect() StageEffect {
	return StageEffect{
		CaseID: a.CaseID, StageKey: a.StageKey, Subject: a.Subject,
		Removed: a.Removed, Added: a.Added, Disabled: a.Disabled,
		AppliedAt: a.AppliedAt, AppliedBy: a.AppliedBy, RestoredAt: a.RestoredAt,
	}
}

// stageRecord is the audit record of applying (or, undo, restoring) a
// stage: every rule removed or added, the disabled flag, the case and
// stage. Its target is the subject, so the subject's evidence bundle
// (audit Export with TargetType "subject") holds it.
func stageRecord(action string, eff StageEffect, undo bool) *audit.Record {
	rec := &audit.Record{Action: action, TargetType: "subject", TargetID: eff.Subject,
		Changes: []audit.Change{{Path: "case_id", After: eff.CaseID}, {Path: "stage_key", After: eff.StageKey}}}
	gone, come := eff.Removed, eff.Added
	if undo {
		gone, come = come, gone
	}
	for _, r := range gone {
		rec.Changes = append(rec.Changes, audit.Change{Path: "rules", Before: r.String()})
	}
	for _, r := range come {
		rec.Changes = append(rec.Changes, audit.Change{Path: "rules", After: r.String()})
	}
	if eff.Disabled {
		c := audit.Change{Path: "disabled", Before: "false", After: "true"}
		if undo {
			c.Before, c.After = c.After, c.Before
		}
		rec.Changes = append(rec.Changes, c)
	}
	return rec
}

// AppliedStages lists the stages applied for caseID in the principal's
// tenant, in the order they were applied, with their stored effect (and
// RestoredAt once restored). A case with none gives an empty list. It
// needs "access:manage" or "offboarding:manage" (or a system principal).
func (e *Enforcer) AppliedStages(ctx context.Context, caseID string) ([]StageEffect, error) {
	var v ballast.ValidationError
	checkTenant("case_id", caseID, &v)
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("access: applied stages: %w", err)
	}
	if err := e.authorizeAny(ctx, PermManage, PermOffboarding); err != nil {
		return nil, fmt.Errorf("access: applied stages: %w", err)
	}
	p, _ := ballast.PrincipalFrom(ctx)
	apps, err := e.store.StageApplications(ctx, p.Tenant, caseID)
	if err != nil {
		return nil, fmt.Errorf("access: applied stages: %w", err)
	}
	out := make([]StageEffect, len(apps))
	for i, a := range apps {
		out[i] = a.effect()
	}
	return out, nil
}

// RestoreCase undoes every stage applied for caseID, exactly, from the
// stored evidence and in reverse order: it re-grants the rules a stage
// removed, deletes the deny rules a stage added (a deny that existed
// before the stage was not added by it and stays), and re-enables the
// account only if a stage disabled it. It marks the applications restored,
// so a later ApplyStage for the case is refused with ErrConflict, and
// appends one audit entry per stage with the operator and reason. It
// returns the stages it restored (none when nothing was applied or all was
// restored already). It runs in the caller's transaction (or its own) and
// needs what ApplyStage needs.
func (e *Enforcer) RestoreCase(ctx context.Context, caseID, reason string) ([]StageEffect, error) {
	var v ballast.ValidationError
	checkTenant("case_id", caseID, &v)
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("access: restore case: %w", err)
	}
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return nil, fmt.Errorf("access: restore case: %w", err)
	}
	actor, system := operator(p, caseID)
	if system {
		reason = strings.TrimSpace(reason + " (offboarding case " + caseID + ")")
	}
	var out []StageEffect
	err = e.changeAs(ctx, "restore case", reason, []string{PermManage, PermOffboarding}, func(ctx context.Context, tenant string) (*audit.Record, error) {
		apps, err := e.store.StageApplications(ctx, tenant, caseID)
		if err != nil {
			return nil, err
		}
		now := e.now()
		var restored []StageEffect
		for i := len(apps) - 1; i >= 0; i-- {
			a := apps[i]
			if !a.RestoredAt.IsZero() {
				continue
			}
			if err := e.undo(ctx, tenant, a); err != nil {
				return nil, err
			}
			eff := a.effect()
			eff.RestoredAt = now
			rec := stageRecord("access.stage.restore", eff, true)
			rec.Reason = reason
			if system {
				rec.Actor = actor
			}
			if _, err := e.audit.Append(ctx, *rec); err != nil {
				return nil, err
			}
			restored = append(restored, eff)
		}
		if len(restored) == 0 {
			return nil, errNoChange
		}
		if _, err := e.store.MarkStageApplicationsRestored(ctx, tenant, caseID, now); err != nil {
			return nil, err
		}
		slices.Reverse(restored)
		out = restored
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// undo reverses one stored application against the subject's current
// rules: what it added and still holds is deleted, what it removed and is
// missing is re-granted.
func (e *Enforcer) undo(ctx context.Context, tenant string, a StageApplication) error {
	have, err := e.current(ctx, tenant, a.Subject)
	if err != nil {
		return err
	}
	var del, add []Rule
	for _, r := range a.Added {
		if slices.Contains(have, r) {
			del = append(del, r)
		}
	}
	if a.Disabled && slices.Contains(have, disableRule(a.Subject)) {
		del = append(del, disableRule(a.Subject))
	}
	for _, r := range a.Removed {
		if !slices.Contains(have, r) {
			add = append(add, r)
		}
	}
	if err := e.write(ctx, tenant, false, del); err != nil {
		return err
	}
	return e.write(ctx, tenant, true, add)
}
