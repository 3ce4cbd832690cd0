package access

import (
	"fmt"
	"strings"
	"time"
)

// Decision is an authorisation decision with the reasons for it, as
// Explain returns it for the UI ("why may she see this?").
type Decision struct {
	Tenant     string `json:"tenant"`
	Subject    string `json:"subject"`
	Permission string `json:"permission"`
	// Allowed is the decision, identical to Check's.
	Allowed bool `json:"allowed"`
	// Disabled is set when the subject's account is disabled, which
	// refuses every permission.
	Disabled bool `json:"disabled"`
	// Reason is one English sentence summing the decision up.
	Reason string `json:"reason"`
	// Grants are the allow rules that match the request, and Denials the
	// deny rules (any one denial refuses). Each names the role path it
	// came through.
	Grants  []Match `json:"grants,omitempty"`
	Denials []Match `json:"denials,omitempty"`
	// At is when the decision was made (the enforcer's clock).
	At time.Time `json:"at"`
}

// Match is one rule that matched a request.
type Match struct {
	// Via is the chain of roles from the subject to the role holding the
	// rule, for example ["hr", "employee"] for a rule of the employee role
	// that hr inherits. It is empty for a rule held by the subject directly.
	Via []string `json:"via,omitempty"`
	// Permission is the rule's permission: the one requested, or "*".
	Permission string `json:"permission"`
	// Effect is Allow or Deny.
	Effect Effect `json:"effect"`
}

// String describes where the rule comes from.
func (m Match) String() string {
	var b strings.Builder
	switch len(m.Via) {
	case 0:
		b.WriteString("a rule held directly")
	case 1:
		fmt.Fprintf(&b, "role %s", m.Via[0])
	default:
		fmt.Fprintf(&b, "role %s (inherited through %s)", m.Via[len(m.Via)-1], strings.Join(m.Via[:len(m.Via)-1], " → "))
	}
	if m.Permission == AllPermissions {
		b.WriteString(", which covers every permission")
	}
	return b.String()
}

// explain lists every matching rule in the subject's role closure with the
// path it was reached by.
func (s *snapshot) explain(subject, perm string) Decision {
	d := Decision{Tenant: s.tenant, Subject: subject, Permission: perm}
	d.Allowed = s.decide(subject, perm)
	d.Disabled = s.disabled(subject)

	// Breadth-first over role links, as in closure, remembering each
	// name's shortest path from the subject.
	paths := map[string][]string{subject: nil}
	order := []string{subject}
	frontier := []string{subject}
	for depth := 0; depth < maxHierarchy && len(frontier) > 0; depth++ {
		var next []string
		for _, n := range frontier {
			for _, p := range s.parents[n] {
				if _, seen := paths[p]; seen {
					continue
				}
				path := append(append([]string(nil), paths[n]...), strings.TrimPrefix(p, rolePrefix))
				paths[p] = path
				next = append(next, p)
				order = append(order, p)
			}
		}
		frontier = next
	}
	for _, n := range order {
		for _, r := range s.rules[n] {
			if r.perm != perm && r.perm != AllPermissions {
				continue
			}
			m := Match{Via: paths[n], Permission: r.perm, Effect: r.eft}
			if r.eft == Deny {
				d.Denials = append(d.Denials, m)
			} else {
				d.Grants = append(d.Grants, m)
			}
		}
	}
	switch {
	case d.Disabled:
		d.Reason = "the account is disabled, which refuses every permission"
	case len(d.Denials) > 0:
		d.Reason = fmt.Sprintf("denied by %s; a deny rule overrides every grant", d.Denials[0])
	case len(d.Grants) > 0:
		d.Reason = fmt.Sprintf("granted by %s", d.Grants[0])
	default:
		d.Reason = fmt.Sprintf("no role or rule grants %s", perm)
	}
	return d
}
