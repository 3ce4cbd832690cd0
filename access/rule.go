package access

import (
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
)

// Rule is one grant held by a subject in a tenant: either a role
// assignment (Role set) or a direct permission rule (Permission and Effect
// set). RevokeAll returns the rules it removed and Restore re-grants them
// exactly, so a Rule is plain data a caller may store (it marshals to JSON).
type Rule struct {
	// Subject is who holds the rule.
	Subject string `json:"subject"`
	// Role is a built-in role name, for a role assignment.
	Role string `json:"role,omitempty"`
	// Permission is the permission of a direct rule.
	Permission string `json:"permission,omitempty"`
	// Effect is Allow or Deny, for a direct rule.
	Effect Effect `json:"effect,omitempty"`
}

// String renders the rule for audit entries and logs.
func (r Rule) String() string {
	if r.Role != "" {
		return fmt.Sprintf("%s has role %s", r.Subject, r.Role)
	}
	return fmt.Sprintf("%s %s %s", r.Subject, r.Effect, r.Permission)
}

// row is the Casbin policy row of r in tenant, with its ptype.
func (r Rule) row(tenant string) (ptype string, row []string) {
	if r.Role != "" {
		return "g", []string{r.Subject, rolePrefix + r.Role, tenant}
	}
	return "p", []string{r.Subject, tenant, r.Permission, string(r.Effect)}
}

// validate checks a rule as given to Restore.
func (r Rule) validate(field string, v *ballast.ValidationError) {
	checkSubject(field+".subject", r.Subject, v)
	switch {
	case r.Role != "" && (r.Permission != "" || r.Effect != ""):
		v.Add(field, "has both a role and a permission")
	case r.Role != "":
		if _, ok := RoleByName(r.Role); !ok {
			v.Add(field+".role", "is not a built-in role")
		}
	default:
		checkPermission(field+".permission", r.Permission, v)
		if r.Effect != Allow && r.Effect != Deny {
			v.Add(field+".effect", `must be "allow" or "deny"`)
		}
	}
}

// maxName bounds subjects, tenants and permissions.
const maxName = 200

// checkSubject validates a subject: required, printable, at most 200
// bytes, and not a role name in disguise.
func checkSubject(field, s string, v *ballast.ValidationError) {
	switch {
	case s == "":
		v.Add(field, "is required")
	case len(s) > maxName:
		v.Add(field, fmt.Sprintf("is longer than %d bytes", maxName))
	case strings.HasPrefix(s, rolePrefix):
		v.Add(field, fmt.Sprintf("must not start with %q", rolePrefix))
	case s == AllPermissions || !printable(s):
		v.Add(field, "contains invalid characters")
	}
}

// checkTenant validates a tenant identifier.
func checkTenant(field, s string, v *ballast.ValidationError) {
	switch {
	case s == "":
		v.Add(field, "is required")
	case len(s) > maxName:
		v.Add(field, fmt.Sprintf("is longer than %d bytes", maxName))
	case s == AllPermissions || !printable(s):
		v.Add(field, "contains invalid characters")
	}
}

// checkPermission validates a permission string: two or three non-empty
// segments of lower-case letters, digits, '_', '-' or '.', separated by ':'
// ("employees:read", "customers:read:all"). "*" is not a permission one can
// grant or check; it only appears in built-in role definitions.
func checkPermission(field, p string, v *ballast.ValidationError) {
	if p == "" {
		v.Add(field, "is required")
		return
	}
	if !ValidPermission(p) {
		v.Add(field, `must look like "resource:action" or "resource:action:scope"`)
	}
}

// ValidPermission reports whether p is a well-formed permission string:
// "resource:action" or "resource:action:scope", each segment lower-case
// letters, digits, '_', '-' or '.'.
func ValidPermission(p string) bool {
	if len(p) == 0 || len(p) > maxName {
		return false
	}
	segments, segLen := 1, 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == ':':
			if segLen == 0 {
				return false
			}
			segments++
			segLen = 0
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
			segLen++
		default:
			return false
		}
	}
	return segLen > 0 && segments >= 2 && segments <= 3
}

func printable(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f || c == 0xfffd {
			return false
		}
	}
	return true
}

// ruleFromRow converts a Casbin policy row back into a Rule. ok is false for
// rows that are not a subject's rule (role definitions, foreign shapes).
func ruleFromRow(ptype string, row []string) (Rule, bool) {
	switch {
	case ptype == "g" && len(row) >= 2 && !strings.HasPrefix(row[0], rolePrefix) && strings.HasPrefix(row[1], rolePrefix):
		return Rule{Subject: row[0], Role: strings.TrimPrefix(row[1], rolePrefix)}, true
	case ptype == "p" && len(row) >= 4 && !strings.HasPrefix(row[0], rolePrefix):
		return Rule{Subject: row[0], Permission: row[2], Effect: Effect(row[3])}, true
	}
	return Rule{}, false
}
