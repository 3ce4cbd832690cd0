package insight

import (
	"cmp"
	"slices"
)

// risk returns team d's DepartmentRisk.
func (c *computed) risk(d int32) DepartmentRisk {
	tr := c.teams[d]
	r := DepartmentRisk{Department: c.g.depts[d], Members: tr.members, Cluster: tr.cluster,
		Customers: tr.totals, People: slices.Clone(tr.people)}
	if r.People == nil {
		r.People = []PersonRisk{}
	}
	if tr.top >= 0 {
		r.TopReferrer = &TeamReferrer{Person: c.g.person(tr.top), Referred: tr.referred, Direct: tr.direct,
			Share: float64(tr.referred) / float64(tr.members)}
	}
	return r
}

// stats returns employee i's referral counts.
func (c *computed) stats(i int32) ReferrerStats {
	return ReferrerStats{Person: c.g.person(i), Direct: int(c.direct[i]), Indirect: int(c.total[i] - c.direct[i])}
}

// under reports whether counted employee i lies strictly below a in the
// contracted forest: O(1) with the preorder positions.
func (c *computed) under(i, a int32) bool {
	return c.tin[i] > c.tin[a] && c.tin[i] <= c.tin[a]+c.total[a]
}

// marks say which nodes of a drawn tree are cluster members and key
// referrers.
type marks struct {
	cluster, key map[int32]bool
}

// tenantMarks marks every cluster of the analysis: the top referrer of each
// cluster team, and the members of that team below them.
func (c *computed) tenantMarks() marks {
	m := marks{cluster: map[int32]bool{}, key: map[int32]bool{}}
	for t := range c.teams {
		if c.teams[t].cluster {
			m.key[c.teams[t].top] = true
		}
	}
	if len(m.key) == 0 {
		return m
	}
	for i := range c.g.emps {
		v := int32(i)
		if !c.counted[v] || c.g.dept[v] < 0 {
			continue
		}
		c.g.deptChain(c.g.dept[v], c.opts.IncludeSubdepartments, func(t int32) {
			if tr := c.teams[t]; tr.cluster && v != tr.top && c.under(v, tr.top) {
				m.cluster[v] = true
			}
		})
	}
	return m
}

// roots returns the visible counted employees without a visible counted
// ancestor, in preorder.
func (c *computed) roots(visible func(int32) bool) []int32 {
	hasAnc := make([]bool, len(c.g.emps))
	var out []int32
	for _, v := range c.g.order {
		if !c.counted[v] {
			continue
		}
		if p := c.parent[v]; p >= 0 {
			hasAnc[v] = hasAnc[p] || visible(p)
		}
		if visible(v) && !hasAnc[v] {
			out = append(out, v)
		}
	}
	return out
}

// tree builds the Node trees below roots, showing only visible employees
// (an invisible one's referrals hang from the nearest visible ancestor),
// children by name. It does not recurse, so a long chain cannot exhaust
// the stack.
func (c *computed) tree(roots []int32, visible func(int32) bool, m marks) []*Node {
	start, list := children(c.parent)
	type item struct {
		v      int32
		parent *Node
	}
	var stack []item
	var all []*Node
	node := func(v int32) *Node {
		s := c.stats(v)
		n := &Node{Person: s.Person, Direct: s.Direct, Indirect: s.Indirect, Cluster: m.cluster[v], KeyReferrer: m.key[v]}
		all = append(all, n)
		return n
	}
	out := make([]*Node, len(roots))
	for i, r := range roots {
		out[i] = node(r)
		for k := start[r]; k < start[r+1]; k++ {
			stack = append(stack, item{list[k], out[i]})
		}
		for len(stack) > 0 {
			it := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			parent := it.parent
			if visible(it.v) {
				n := node(it.v)
				parent.Children = append(parent.Children, n)
				parent = n
			}
			for k := start[it.v]; k < start[it.v+1]; k++ {
				stack = append(stack, item{list[k], parent})
			}
		}
	}
	for _, n := range all {
		slices.SortFunc(n.Children, compareNodes)
	}
	slices.SortFunc(out, compareNodes)
	return out
}

func compareNodes(a, b *Node) int {
	if n := cmp.Compare(a.Name, b.Name); n != 0 {
		return n
	}
	return cmp.Compare(a.ID, b.ID)
}
