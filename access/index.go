package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casbin/casbin/v2/model"
)

// snapshot is one tenant's policy as loaded from the store, compiled into
// an index that answers a decision with three map lookups. It is immutable
// once built; a reload replaces it as a whole.
type snapshot struct {
	tenant  string
	version int64
	// grants holds, for every name in the policy (subjects and roles), the
	// permissions allowed and denied by the rules of its role closure.
	grants map[string]*grantSet
	// parents are the direct role links (g rows) of each name.
	parents map[string][]string
	// rules are the direct permission rules (p rows) of each name.
	rules map[string][]permRule
	// perms lists every concrete permission the policy mentions.
	perms []string
}

type permRule struct {
	perm string
	eft  Effect
}

// grantSet is the compiled outcome for one role closure. Deny overrides
// allow; AllPermissions rules set allowAll/denyAll.
type grantSet struct {
	allowAll, denyAll bool
	allow, deny       map[string]struct{}
}

func (g *grantSet) decide(perm string) bool {
	if g == nil || g.denyAll {
		return false
	}
	if _, denied := g.deny[perm]; denied {
		return false
	}
	if g.allowAll {
		return true
	}
	_, ok := g.allow[perm]
	return ok
}

// compile builds the index of tenant from a Casbin model holding (at least)
// that tenant's policy. Rows of other domains are ignored, exactly as the
// matcher's "r.dom == p.dom" and the domain role manager would.
func compile(tenant string, version int64, m model.Model) (*snapshot, error) {
	ps, err := m.GetPolicy("p", "p")
	if err != nil {
		return nil, fmt.Errorf("access: compile %s: %w", tenant, err)
	}
	gs, err := m.GetPolicy("g", "g")
	if err != nil {
		return nil, fmt.Errorf("access: compile %s: %w", tenant, err)
	}
	s := &snapshot{
		tenant:  tenant,
		version: version,
		grants:  make(map[string]*grantSet),
		parents: make(map[string][]string),
		rules:   make(map[string][]permRule),
	}
	names := make(map[string]struct{})
	perms := make(map[string]struct{})
	for _, g := range gs {
		if len(g) < 3 || g[2] != tenant {
			continue
		}
		if !slices.Contains(s.parents[g[0]], g[1]) {
			s.parents[g[0]] = append(s.parents[g[0]], g[1])
		}
		names[g[0]], names[g[1]] = struct{}{}, struct{}{}
	}
	for _, p := range ps {
		if len(p) < 4 || p[1] != tenant {
			continue
		}
		eft := Effect(p[3])
		if eft != Allow && eft != Deny {
			continue // neither allows nor denies under the deny-override effect
		}
		s.rules[p[0]] = append(s.rules[p[0]], permRule{perm: p[2], eft: eft})
		names[p[0]] = struct{}{}
		if p[2] != AllPermissions {
			perms[p[2]] = struct{}{}
		}
	}
	for p := range perms {
		s.perms = append(s.perms, p)
	}
	slices.Sort(s.perms)

	// Subjects that share a role closure (most employees hold the same one
	// or two roles) share one grantSet.
	memo := make(map[string]*grantSet)
	for name := range names {
		closure := s.closure(name)
		var key string
		if _, own := s.rules[name]; own {
			key = name + "\x00" // the subject's own rules make it unique
		} else {
			slices.Sort(closure[1:])
			key = "\x01" + strings.Join(closure[1:], "\x00")
		}
		gset, ok := memo[key]
		if !ok {
			gset = s.merge(closure)
			memo[key] = gset
		}
		s.grants[name] = gset
	}
	return s, nil
}

// closure returns name followed by every role it reaches through at most
// maxHierarchy role links, the way Casbin's default role manager walks them.
func (s *snapshot) closure(name string) []string {
	out := []string{name}
	seen := map[string]bool{name: true}
	frontier := []string{name}
	for depth := 0; depth < maxHierarchy && len(frontier) > 0; depth++ {
		var next []string
		for _, n := range frontier {
			for _, p := range s.parents[n] {
				if !seen[p] {
					seen[p] = true
					next = append(next, p)
					out = append(out, p)
				}
			}
		}
		frontier = next
	}
	return out
}

func (s *snapshot) merge(closure []string) *grantSet {
	g := &grantSet{allow: map[string]struct{}{}, deny: map[string]struct{}{}}
	for _, n := range closure {
		for _, r := range s.rules[n] {
			switch {
			case r.perm == AllPermissions && r.eft == Allow:
				g.allowAll = true
			case r.perm == AllPermissions:
				g.denyAll = true
			case r.eft == Allow:
				g.allow[r.perm] = struct{}{}
			default:
				g.deny[r.perm] = struct{}{}
			}
		}
	}
	return g
}

// decide answers whether subject holds perm in the snapshot's tenant.
func (s *snapshot) decide(subject, perm string) bool {
	return s.grants[subject].decide(perm)
}

// disabled reports whether subject's account is disabled: a direct deny
// rule for every permission.
func (s *snapshot) disabled(subject string) bool {
	return slices.Contains(s.rules[subject], permRule{perm: AllPermissions, eft: Deny})
}

// roles returns the built-in roles assigned directly to subject, sorted.
func (s *snapshot) roles(subject string) []string {
	var out []string
	for _, p := range s.parents[subject] {
		if name, ok := strings.CutPrefix(p, rolePrefix); ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// rulesOf returns the rules held directly by subject, sorted.
func (s *snapshot) rulesOf(subject string) []Rule {
	var out []Rule
	for _, p := range s.parents[subject] {
		if r, ok := ruleFromRow("g", []string{subject, p, s.tenant}); ok {
			out = append(out, r)
		}
	}
	for _, pr := range s.rules[subject] {
		out = append(out, Rule{Subject: subject, Permission: pr.perm, Effect: pr.eft})
	}
	sortRules(out)
	return out
}

// effective lists the concrete permissions subject holds: those of the
// catalogue and those the tenant's policy names.
func (s *snapshot) effective(subject string) []string {
	g := s.grants[subject]
	var out []string
	seen := make(map[string]bool)
	try := func(p string) {
		if !seen[p] && g.decide(p) {
			out = append(out, p)
		}
		seen[p] = true
	}
	for _, p := range Permissions() {
		try(p.Name)
	}
	for _, p := range s.perms {
		try(p)
	}
	slices.Sort(out)
	return out
}

func sortRules(rs []Rule) {
	slices.SortFunc(rs, func(a, b Rule) int {
		return strings.Compare(a.Subject+"\x00"+a.Role+"\x00"+a.Permission+"\x00"+string(a.Effect),
			b.Subject+"\x00"+b.Role+"\x00"+b.Permission+"\x00"+string(b.Effect))
	})
}
