package access

import (
	"fmt"

	"github.com/casbin/casbin/v2/model"
)

// ModelText is the Casbin model every tenant's policy is evaluated with:
// RBAC with domains (one domain per tenant) where a deny rule overrides any
// allow, and a rule permission of "*" stands for every permission.
//
// Policy rows take two shapes:
//
//	p, <subject or role:name>, <tenant>, <permission or *>, allow|deny
//	g, <subject or role:name>, role:<name>, <tenant>
//
// A disabled account is the rule "p, <subject>, <tenant>, *, deny".
const ModelText = `
[request_definition]
r = sub, dom, perm

[policy_definition]
p = sub, dom, perm, eft

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub, r.dom) && r.dom == p.dom && (r.perm == p.perm || p.perm == "*")
`

// NewModel parses ModelText into a fresh Casbin model, for a host or test
// that loads ballast's policy into its own casbin.Enforcer.
func NewModel() (model.Model, error) {
	m, err := model.NewModelFromString(ModelText)
	if err != nil {
		return nil, fmt.Errorf("access: parse casbin model: %w", err)
	}
	return m, nil
}

// Effect is the effect of a permission rule.
type Effect string

// The effects. Deny overrides allow: one matching deny rule refuses a
// permission however many rules allow it.
const (
	Allow Effect = "allow"
	Deny  Effect = "deny"
)

// rolePrefix marks role names in policy rows, so that a role can never be
// mistaken for a subject (and a subject can never pose as a role).
const rolePrefix = "role:"

// AllPermissions is the rule permission that matches every permission. Only
// built-in roles (tenant_admin) and the account-disable rule use it.
const AllPermissions = "*"

// maxHierarchy is Casbin's default role hierarchy depth (the default role
// manager follows at most this many g links); the compiled index follows
// the same limit so decisions stay identical.
const maxHierarchy = 10
