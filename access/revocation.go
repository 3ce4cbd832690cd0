package access

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// TriggerKind says when a stage of a revocation plan applies.
type TriggerKind string

// The triggers of a stage.
const (
	// TriggerOnResignation applies the stage when the offboarding case
	// opens.
	TriggerOnResignation TriggerKind = "on_resignation"
	// TriggerBeforeLastDay applies the stage Trigger.Days calendar days
	// before the last working day (in the tenant's time zone).
	TriggerBeforeLastDay TriggerKind = "before_last_day"
	// TriggerOnCompletion applies the stage when the case completes.
	TriggerOnCompletion TriggerKind = "on_completion"
)

// Trigger is when a stage applies.
type Trigger struct {
	// Kind is one of the TriggerKind constants.
	Kind TriggerKind `json:"kind"`
	// Days counts calendar days before the last working day, for
	// TriggerBeforeLastDay only (0 means on the last day itself).
	Days int `json:"days,omitempty"`
}

// Stage is one step of a revocation plan: when it applies and what it
// removes from the leaver.
type Stage struct {
	// Key identifies the stage within its plan ("export", "key-accounts",
	// "final"); ApplyStage is idempotent per case and key.
	Key string `json:"key"`
	// Title is a short label for people.
	Title string `json:"title"`
	// Trigger is when the stage applies.
	Trigger Trigger `json:"trigger"`
	// DenyPermissions are added as deny rules, which override every role
	// ("customers:export", "tenant:settings", "customers:read:key").
	DenyPermissions []string `json:"deny_permissions,omitempty"`
	// RevokeRoles are role assignments removed.
	RevokeRoles []string `json:"revoke_roles,omitempty"`
	// RevokeAll removes every role assignment and direct allow rule (deny
	// rules stay: removing one would grant something).
	RevokeAll bool `json:"revoke_all,omitempty"`
	// Disable disables the account (see DisableAccount).
	Disable bool `json:"disable,omitempty"`
}

// RevocationPlan is the staged revocation of a leaver's access: plain data
// a tenant edits (SetTenantRevocationPlan) and offboarding applies stage by
// stage (ApplyStage).
type RevocationPlan struct {
	// Stages in the order they are listed to people; each applies on its
	// own trigger.
	Stages []Stage `json:"stages"`
}

// DefaultRevocationPlan is the built-in plan, used by tenants that stored
// none: on resignation deny exports and settings ("customers:export",
// "employees:export", "tenant:settings", "access:manage"); 7 days before
// the last day deny key-account and wider customer data
// ("customers:read:key", "customers:read:all",
// "customers:read:department"); on completion revoke everything and
// disable the account.
func DefaultRevocationPlan() RevocationPlan {
	return RevocationPlan{Stages: []Stage{
		{
			Key:             "export",
			Title:           "No exports or settings",
			Trigger:         Trigger{Kind: TriggerOnResignation},
			DenyPermissions: []string{"customers:export", "employees:export", "tenant:settings", "access:manage"},
		},
		{
			Key:             "key-accounts",
			Title:           "No key-account data",
			Trigger:         Trigger{Kind: TriggerBeforeLastDay, Days: 7},
			DenyPermissions: []string{"customers:read:key", "customers:read:all", "customers:read:department"},
		},
		{
			Key:       "final",
			Title:     "Everything revoked, account disabled",
			Trigger:   Trigger{Kind: TriggerOnCompletion},
			RevokeAll: true,
			Disable:   true,
		},
	}}
}

// Plan limits.
const (
	maxStages     = 20
	maxStageKey   = 64
	maxStageTitle = 200
	maxStageDays  = 366
	maxStageItems = 100
)

// Validate checks the plan and lists every problem in a
// *ballast.ValidationError: at least one stage, unique non-empty keys,
// known trigger kinds, Days from 0 to 366 and only for
// TriggerBeforeLastDay, well-formed permissions, built-in roles, and a
// stage that removes something.
func (p RevocationPlan) Validate() error {
	var v ballast.ValidationError
	switch {
	case len(p.Stages) == 0:
		v.Add("stages", "must list at least one stage")
	case len(p.Stages) > maxStages:
		v.Add("stages", fmt.Sprintf("has more than %d stages", maxStages))
	}
	seen := map[string]bool{}
	for i, st := range p.Stages {
		f := fmt.Sprintf("stages[%d]", i)
		st.validate(f, &v)
		if st.Key != "" {
			if seen[st.Key] {
				v.Add(f+".key", fmt.Sprintf("%q is used by an earlier stage", st.Key))
			}
			seen[st.Key] = true
		}
	}
	return v.Err()
}

// validate checks one stage as part of a plan (or alone, for ApplyStage
// and PreviewStage).
func (st Stage) validate(f string, v *ballast.ValidationError) {
	switch {
	case st.Key == "":
		v.Add(f+".key", "is required")
	case len(st.Key) > maxStageKey:
		v.Add(f+".key", fmt.Sprintf("is longer than %d bytes", maxStageKey))
	case !validKey(st.Key):
		v.Add(f+".key", "may hold only letters, digits, '-', '_' and '.'")
	}
	if len(st.Title) > maxStageTitle || !utf8.ValidString(st.Title) || !printable(st.Title) {
		v.Add(f+".title", fmt.Sprintf("must be printable text of at most %d bytes", maxStageTitle))
	}
	switch st.Trigger.Kind {
	case TriggerOnResignation, TriggerOnCompletion:
		if st.Trigger.Days != 0 {
			v.Add(f+".trigger.days", "is only for before_last_day")
		}
	case TriggerBeforeLastDay:
		if st.Trigger.Days < 0 || st.Trigger.Days > maxStageDays {
			v.Add(f+".trigger.days", fmt.Sprintf("must be from 0 to %d", maxStageDays))
		}
	case "":
		v.Add(f+".trigger.kind", "is required")
	default:
		v.Add(f+".trigger.kind", `must be "on_resignation", "before_last_day" or "on_completion"`)
	}
	if len(st.DenyPermissions) > maxStageItems {
		v.Add(f+".deny_permissions", fmt.Sprintf("has more than %d entries", maxStageItems))
	}
	for j, perm := range st.DenyPermissions {
		checkPermission(fmt.Sprintf("%s.deny_permissions[%d]", f, j), perm, v)
	}
	if len(st.RevokeRoles) > maxStageItems {
		v.Add(f+".revoke_roles", fmt.Sprintf("has more than %d entries", maxStageItems))
	}
	for j, role := range st.RevokeRoles {
		if _, ok := RoleByName(role); !ok {
			v.Add(fmt.Sprintf("%s.revoke_roles[%d]", f, j), fmt.Sprintf("%q is not a built-in role", role))
		}
	}
	if len(st.DenyPermissions) == 0 && len(st.RevokeRoles) == 0 && !st.RevokeAll && !st.Disable {
		v.Add(f, "removes nothing: give deny_permissions, revoke_roles, revoke_all or disable")
	}
}

func validKey(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// StageEffect is what a stage removed from a subject (or, from
// PreviewStage, would remove now): the evidence RestoreCase undoes.
type StageEffect struct {
	// CaseID is the offboarding case the stage was applied for (empty in
	// a preview).
	CaseID string `json:"case_id,omitempty"`
	// StageKey is the Stage.Key.
	StageKey string `json:"stage_key"`
	// Subject is whose access changed.
	Subject string `json:"subject"`
	// Removed are the rules that existed and were deleted.
	Removed []Rule `json:"removed,omitempty"`
	// Added are the deny rules that did not exist and were added.
	Added []Rule `json:"added,omitempty"`
	// Disabled is set when the stage disabled an account that was
	// enabled.
	Disabled bool `json:"disabled,omitempty"`
	// AppliedAt is when the stage was applied (UTC; zero in a preview).
	AppliedAt time.Time `json:"applied_at,omitempty"`
	// AppliedBy is the operator: a person's subject, or
	// "system:offboarding:<caseID>" for a system principal.
	AppliedBy string `json:"applied_by,omitempty"`
	// RestoredAt is when RestoreCase undid the stage (zero while it
	// holds).
	RestoredAt time.Time `json:"restored_at,omitempty"`
	// AlreadyApplied is set by ApplyStage when the stage had been applied
	// for the case before: nothing changed and the stored effect is
	// returned.
	AlreadyApplied bool `json:"already_applied,omitempty"`
}

// effectOf computes what st does to a subject holding have (sorted, as
// current returns it).
func effectOf(subject string, have []Rule, st Stage) StageEffect {
	eff := StageEffect{StageKey: st.Key, Subject: subject}
	for _, r := range have {
		switch {
		case r.Role != "" && (st.RevokeAll || slices.Contains(st.RevokeRoles, r.Role)):
			eff.Removed = append(eff.Removed, r)
		case r.Role == "" && r.Effect == Allow && st.RevokeAll:
			eff.Removed = append(eff.Removed, r)
		}
	}
	for _, perm := range st.DenyPermissions {
		r := Rule{Subject: subject, Permission: perm, Effect: Deny}
		if !slices.Contains(have, r) && !slices.Contains(eff.Added, r) {
			eff.Added = append(eff.Added, r)
		}
	}
	sortRules(eff.Added)
	eff.Disabled = st.Disable && !slices.Contains(have, disableRule(subject))
	return eff
}
