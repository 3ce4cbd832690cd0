package access

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// PermManage is the permission every management use case requires of a
// user principal.
const PermManage = "access:manage"

// maxReason bounds the reason given for a change.
const maxReason = 2000

// errNoChange rolls back a use case that found nothing to change (so the
// policy version is not bumped) and is turned into a nil error.
var errNoChange = errors.New("access: nothing to change")

// change is the frame of every management use case: check the principal
// may manage access, then in one transaction bump the tenant's policy
// version (which on PostgreSQL locks the tenant's access changes until
// commit), run fn, append its audit record, and reload the tenant's policy
// once the transaction commits.
func (e *Enforcer) change(ctx context.Context, op, reason string, fn func(ctx context.Context, tenant string) (*audit.Record, error)) error {
	return e.changeAs(ctx, op, reason, []string{PermManage}, fn)
}

// changeAs is change for a principal holding any one of perms. A nil
// record from fn means fn appended its own audit entries.
func (e *Enforcer) changeAs(ctx context.Context, op, reason string, perms []string, fn func(ctx context.Context, tenant string) (*audit.Record, error)) error {
	if len(reason) > maxReason {
		return fmt.Errorf("access: %s: %w", op, ballast.Invalid("reason", fmt.Sprintf("is longer than %d bytes", maxReason)))
	}
	if err := e.authorizeAny(ctx, perms...); err != nil {
		return fmt.Errorf("access: %s: %w", op, err)
	}
	p, _ := ballast.PrincipalFrom(ctx)
	err := e.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := e.store.BumpPolicyVersion(ctx, p.Tenant); err != nil {
			return err
		}
		rec, err := fn(ctx, p.Tenant)
		if err != nil {
			return err
		}
		if rec != nil {
			rec.Reason = reason
			if _, err := e.audit.Append(ctx, *rec); err != nil {
				return err
			}
		}
		e.tx.AfterCommit(ctx, func() { e.reload(p.Tenant) })
		return nil
	})
	if errors.Is(err, errNoChange) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("access: %s: %w", op, err)
	}
	return nil
}

// current reads the rules subject holds in tenant through the store (in
// the transaction ctx carries), not from memory.
func (e *Enforcer) current(ctx context.Context, tenant, subject string) ([]Rule, error) {
	m := e.base.Copy()
	if err := e.store.LoadFilteredPolicyCtx(ctx, m, Filter{Tenant: tenant, Subjects: []string{subject}}); err != nil {
		return nil, err
	}
	var out []Rule
	for _, ptype := range []string{"p", "g"} {
		rows, err := m.GetPolicy(ptype, ptype)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			if r, ok := ruleFromRow(ptype, row); ok && r.Subject == subject {
				out = append(out, r)
			}
		}
	}
	sortRules(out)
	return out, nil
}

// write adds (or removes) rules in tenant, one statement per rule type.
func (e *Enforcer) write(ctx context.Context, tenant string, add bool, rules []Rule) error {
	rows := map[string][][]string{}
	for _, r := range rules {
		ptype, row := r.row(tenant)
		rows[ptype] = append(rows[ptype], row)
	}
	for _, ptype := range []string{"g", "p"} {
		if len(rows[ptype]) == 0 {
			continue
		}
		var err error
		if add {
			err = e.store.AddPoliciesCtx(ctx, ptype, ptype, rows[ptype])
		} else {
			err = e.store.RemovePoliciesCtx(ctx, ptype, ptype, rows[ptype])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// grant adds rule unless the subject holds it already (then nothing is
// written and nothing audited).
func (e *Enforcer) grant(ctx context.Context, op, action, reason string, rule Rule) error {
	return e.change(ctx, op, reason, func(ctx context.Context, tenant string) (*audit.Record, error) {
		have, err := e.current(ctx, tenant, rule.Subject)
		if err != nil {
			return nil, err
		}
		if slices.Contains(have, rule) {
			return nil, errNoChange
		}
		if err := e.write(ctx, tenant, true, []Rule{rule}); err != nil {
			return nil, err
		}
		return &audit.Record{Action: action, TargetType: "subject", TargetID: rule.Subject,
			Changes: []audit.Change{{Path: "rules", After: rule.String()}}}, nil
	})
}

// revoke removes the given rules the subject holds (those it does not hold
// are ignored; holding none is not an error).
func (e *Enforcer) revoke(ctx context.Context, op, action, reason, subject string, match func(Rule) bool) error {
	return e.change(ctx, op, reason, func(ctx context.Context, tenant string) (*audit.Record, error) {
		have, err := e.current(ctx, tenant, subject)
		if err != nil {
			return nil, err
		}
		var gone []Rule
		for _, r := range have {
			if match(r) {
				gone = append(gone, r)
			}
		}
		if len(gone) == 0 {
			return nil, errNoChange
		}
		if err := e.write(ctx, tenant, false, gone); err != nil {
			return nil, err
		}
		return &audit.Record{Action: action, TargetType: "subject", TargetID: subject, Changes: removed(gone)}, nil
	})
}

func removed(rules []Rule) []audit.Change {
	out := make([]audit.Change, len(rules))
	for i, r := range rules {
		out[i] = audit.Change{Path: "rules", Before: r.String()}
	}
	return out
}

// checkRole validates a role argument: malformed input is invalid, an
// unknown role is not found.
func checkRole(role string) error {
	if role == "" {
		return ballast.Invalid("role", "is required")
	}
	if _, ok := RoleByName(role); !ok {
		return fmt.Errorf("role %q: %w", role, ballast.ErrNotFound)
	}
	return nil
}

func validSubject(subject string) error {
	var v ballast.ValidationError
	checkSubject("subject", subject, &v)
	return v.Err()
}

func validSubjectPermission(subject, permission string) error {
	var v ballast.ValidationError
	checkSubject("subject", subject, &v)
	checkPermission("permission", permission, &v)
	return v.Err()
}

// GrantRole gives subject a built-in role in the principal's tenant.
// Granting a role the subject holds already changes nothing. Errors: an
// invalid subject (ErrInvalid), an unknown role (ErrNotFound), a principal
// without "access:manage" (ErrForbidden).
func (e *Enforcer) GrantRole(ctx context.Context, subject, role, reason string) error {
	if err := validSubject(subject); err != nil {
		return fmt.Errorf("access: grant role: %w", err)
	}
	if err := checkRole(role); err != nil {
		return fmt.Errorf("access: grant role: %w", err)
	}
	return e.grant(ctx, "grant role", "access.role.grant", reason, Rule{Subject: subject, Role: role})
}

// RevokeRole takes a built-in role from subject. Revoking a role the
// subject does not hold changes nothing. Errors as GrantRole.
func (e *Enforcer) RevokeRole(ctx context.Context, subject, role, reason string) error {
	if err := validSubject(subject); err != nil {
		return fmt.Errorf("access: revoke role: %w", err)
	}
	if err := checkRole(role); err != nil {
		return fmt.Errorf("access: revoke role: %w", err)
	}
	return e.revoke(ctx, "revoke role", "access.role.revoke", reason, subject,
		func(r Rule) bool { return r.Role == role })
}

// GrantPermission allows subject one permission directly, beside its
// roles. A deny rule for the same permission still wins.
func (e *Enforcer) GrantPermission(ctx context.Context, subject, permission, reason string) error {
	if err := validSubjectPermission(subject, permission); err != nil {
		return fmt.Errorf("access: grant permission: %w", err)
	}
	return e.grant(ctx, "grant permission", "access.permission.grant", reason,
		Rule{Subject: subject, Permission: permission, Effect: Allow})
}

// DenyPermission refuses subject one permission whatever its roles grant
// (deny overrides allow).
func (e *Enforcer) DenyPermission(ctx context.Context, subject, permission, reason string) error {
	if err := validSubjectPermission(subject, permission); err != nil {
		return fmt.Errorf("access: deny permission: %w", err)
	}
	return e.grant(ctx, "deny permission", "access.permission.deny", reason,
		Rule{Subject: subject, Permission: permission, Effect: Deny})
}

// RevokePermission removes the direct allow and deny rules subject holds
// for permission (its roles are untouched). Removing none changes nothing.
func (e *Enforcer) RevokePermission(ctx context.Context, subject, permission, reason string) error {
	if err := validSubjectPermission(subject, permission); err != nil {
		return fmt.Errorf("access: revoke permission: %w", err)
	}
	return e.revoke(ctx, "revoke permission", "access.permission.revoke", reason, subject,
		func(r Rule) bool { return r.Role == "" && r.Permission == permission })
}

// disableRule is the rule that disables subject's account.
func disableRule(subject string) Rule {
	return Rule{Subject: subject, Permission: AllPermissions, Effect: Deny}
}

// DisableAccount refuses subject every permission in the principal's
// tenant, whatever its roles and grants, until EnableAccount. Roles and
// grants are kept. Disabling a disabled account changes nothing.
func (e *Enforcer) DisableAccount(ctx context.Context, subject, reason string) error {
	if err := validSubject(subject); err != nil {
		return fmt.Errorf("access: disable account: %w", err)
	}
	return e.grant(ctx, "disable account", "access.account.disable", reason, disableRule(subject))
}

// EnableAccount lifts DisableAccount; the subject's roles and grants apply
// again.
func (e *Enforcer) EnableAccount(ctx context.Context, subject, reason string) error {
	if err := validSubject(subject); err != nil {
		return fmt.Errorf("access: enable account: %w", err)
	}
	return e.revoke(ctx, "enable account", "access.account.enable", reason, subject,
		func(r Rule) bool { return r == disableRule(subject) })
}

// RevokeAll removes every role and direct rule subject holds in the
// principal's tenant and returns exactly what it removed, for Restore to
// re-grant later (offboarding keeps it with the case). The disabled state
// of the account is not a grant and is kept. A subject holding nothing gives
// an empty result.
func (e *Enforcer) RevokeAll(ctx context.Context, subject, reason string) ([]Rule, error) {
	if err := validSubject(subject); err != nil {
		return nil, fmt.Errorf("access: revoke all: %w", err)
	}
	var gone []Rule
	err := e.change(ctx, "revoke all", reason, func(ctx context.Context, tenant string) (*audit.Record, error) {
		have, err := e.current(ctx, tenant, subject)
		if err != nil {
			return nil, err
		}
		var rm []Rule
		for _, r := range have {
			if r != disableRule(subject) {
				rm = append(rm, r)
			}
		}
		if len(rm) == 0 {
			return nil, errNoChange
		}
		if err := e.write(ctx, tenant, false, rm); err != nil {
			return nil, err
		}
		gone = rm
		return &audit.Record{Action: "access.revoke_all", TargetType: "subject", TargetID: subject, Changes: removed(rm)}, nil
	})
	if err != nil {
		return nil, err
	}
	return gone, nil
}

// Restore re-grants rules (as RevokeAll returned them) in the principal's
// tenant. Rules held already are skipped; every rule is validated first and
// a bad one writes nothing.
func (e *Enforcer) Restore(ctx context.Context, rules []Rule, reason string) error {
	var v ballast.ValidationError
	for i, r := range rules {
		r.validate(fmt.Sprintf("rules[%d]", i), &v)
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("access: restore: %w", err)
	}
	return e.change(ctx, "restore", reason, func(ctx context.Context, tenant string) (*audit.Record, error) {
		held := map[string][]Rule{}
		var add []Rule
		for _, r := range rules {
			have, ok := held[r.Subject]
			if !ok {
				var err error
				if have, err = e.current(ctx, tenant, r.Subject); err != nil {
					return nil, err
				}
			}
			if !slices.Contains(have, r) {
				add = append(add, r)
				have = append(have, r)
			}
			held[r.Subject] = have
		}
		if len(add) == 0 {
			return nil, errNoChange
		}
		if err := e.write(ctx, tenant, true, add); err != nil {
			return nil, err
		}
		rec := &audit.Record{Action: "access.restore", TargetType: "subject", TargetID: add[0].Subject}
		for _, r := range add {
			rec.Changes = append(rec.Changes, audit.Change{Path: "rules", After: r.String()})
		}
		return rec, nil
	})
}

// RolesOf returns the built-in roles subject holds directly in the
// principal's tenant, sorted. A user may read their own; reading someone
// else's needs "access:manage" or "offboarding:manage". Like every read here it answers from the
// committed policy: a change made earlier in the caller's still-open
// transaction shows only after commit.
func (e *Enforcer) RolesOf(ctx context.Context, subject string) ([]string, error) {
	s, err := e.readable(ctx, "roles of", subject)
	if err != nil {
		return nil, err
	}
	return s.roles(subject), nil
}

// RulesOf returns every role assignment and direct rule subject holds in
// the principal's tenant (including the disable rule), sorted. Access as
// RolesOf.
func (e *Enforcer) RulesOf(ctx context.Context, subject string) ([]Rule, error) {
	s, err := e.readable(ctx, "rules of", subject)
	if err != nil {
		return nil, err
	}
	return s.rulesOf(subject), nil
}

// PermissionsOf returns the permissions subject effectively holds in the
// principal's tenant (roles, inheritance, direct grants, minus denials;
// nothing for a disabled account), sorted. A "*" grant is expanded to the
// catalogue of Permissions plus any permission the tenant's policy names.
// Access as RolesOf.
func (e *Enforcer) PermissionsOf(ctx context.Context, subject string) ([]string, error) {
	s, err := e.readable(ctx, "permissions of", subject)
	if err != nil {
		return nil, err
	}
	return s.effective(subject), nil
}

func (e *Enforcer) readable(ctx context.Context, op, subject string) (*snapshot, error) {
	if err := validSubject(subject); err != nil {
		return nil, fmt.Errorf("access: %s: %w", op, err)
	}
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return nil, fmt.Errorf("access: %s: %w", op, err)
	}
	if err := e.authorizeRead(ctx, p.Tenant, subject); err != nil {
		return nil, fmt.Errorf("access: %s: %w", op, err)
	}
	return e.snapshot(ctx, p.Tenant)
}

// SeedTenant installs the built-in role definitions (Roles) in tenant, or
// brings them up to date: it adds missing role rules and removes role
// rules no longer defined, in the transaction ctx carries (or its own).
// It trusts its caller, checking no permission and writing no audit entry:
// call it from the use case that creates the tenant, after that use case's
// own checks. Subjects' grants are untouched. Grant the first tenant_admin
// with a system principal afterwards.
func (e *Enforcer) SeedTenant(ctx context.Context, tenant string) error {
	var v ballast.ValidationError
	checkTenant("tenant", tenant, &v)
	if err := v.Err(); err != nil {
		return fmt.Errorf("access: seed tenant: %w", err)
	}
	err := e.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := e.store.BumpPolicyVersion(ctx, tenant); err != nil {
			return err
		}
		var names []string
		for _, r := range Roles() {
			names = append(names, rolePrefix+r.Name)
		}
		m := e.base.Copy()
		if err := e.store.LoadFilteredPolicyCtx(ctx, m, Filter{Tenant: tenant, Subjects: names}); err != nil {
			return err
		}
		wantP, wantG := roleRules(tenant)
		for _, sec := range []struct {
			ptype string
			want  [][]string
		}{{"p", wantP}, {"g", wantG}} {
			have, err := m.GetPolicy(sec.ptype, sec.ptype)
			if err != nil {
				return err
			}
			add, remove := diffRows(have, sec.want)
			if len(remove) > 0 {
				if err := e.store.RemovePoliciesCtx(ctx, sec.ptype, sec.ptype, remove); err != nil {
					return err
				}
			}
			if len(add) > 0 {
				if err := e.store.AddPoliciesCtx(ctx, sec.ptype, sec.ptype, add); err != nil {
					return err
				}
			}
		}
		e.tx.AfterCommit(ctx, func() { e.reload(tenant) })
		return nil
	})
	if err != nil {
		return fmt.Errorf("access: seed tenant %s: %w", tenant, err)
	}
	return nil
}

// diffRows returns the rows of want missing from have, and those of have
// not in want.
func diffRows(have, want [][]string) (add, remove [][]string) {
	key := func(r []string) string { return fmt.Sprintf("%q", r) }
	h, w := map[string]bool{}, map[string]bool{}
	for _, r := range have {
		h[key(r)] = true
	}
	for _, r := range want {
		w[key(r)] = true
		if !h[key(r)] {
			add = append(add, r)
		}
	}
	for _, r := range have {
		if !w[key(r)] {
			remove = append(remove, r)
		}
	}
	return add, remove
}
