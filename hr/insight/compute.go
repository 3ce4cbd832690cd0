package insight

import (
	"cmp"
	"slices"
)

// computed is the analysis of one graph under one set of options, in
// arrays indexed like the graph. Everything is O(n) over the employees
// (times the department depth with IncludeSubdepartments).
type computed struct {
	g       *graph
	opts    Options
	th      Thresholds
	counted []bool
	// parent is each counted employee's nearest counted referrer (-1 for a
	// root of the contracted forest, and for employees not counted).
	parent []int32
	// direct and total count each counted employee's counted referrals:
	// direct ones, and the whole subtree below them.
	direct, total []int32
	// tin is the position in the contracted forest's preorder, depth the
	// distance from its root, root the root itself.
	tin, depth, root []int32
	teams            []teamResult
}

// teamResult is one department's team.
type teamResult struct {
	members  int
	top      int32 // -1 when nobody counted referred a member
	referred int
	direct   int
	cluster  bool
	totals   Totals
	people   []PersonRisk
}

// compute analyses g. holdings may be nil (no customer data).
func compute(g *graph, opts Options, th Thresholds, holdings []Holding) *computed {
	n := len(g.emps)
	c := &computed{g: g, opts: opts, th: th, counted: g.counted(opts),
		parent: make([]int32, n), direct: make([]int32, n), total: make([]int32, n),
		tin: make([]int32, n), depth: make([]int32, n), root: make([]int32, n)}
	// The contracted forest: skipping employees not counted keeps the
	// original preorder valid (a counted subtree stays contiguous).
	eff := make([]int32, n) // nearest counted strict ancestor
	pos := int32(0)
	for _, v := range g.order {
		u := g.up[v]
		switch {
		case u < 0:
			eff[v] = -1
		case c.counted[u]:
			eff[v] = u
		default:
			eff[v] = eff[u]
		}
		if !c.counted[v] {
			c.parent[v] = -1
			continue
		}
		p := eff[v]
		c.parent[v] = p
		c.tin[v] = pos
		pos++
		if p < 0 {
			c.root[v], c.depth[v] = v, 0
		} else {
			c.root[v], c.depth[v] = c.root[p], c.depth[p]+1
		}
		if u >= 0 && c.counted[u] {
			c.direct[u]++
		}
	}
	for k := len(g.order) - 1; k >= 0; k-- {
		v := g.order[k]
		if c.counted[v] && c.parent[v] >= 0 {
			c.total[c.parent[v]] += c.total[v] + 1
		}
	}
	c.teams = make([]teamResult, len(g.depts))
	c.referralTeams()
	c.concentration(holdings)
	return c
}

// referralTeams finds every team's top referrer in O(n) (plus the
// descent below). Counts only grow towards the roots of the referral
// forest, so the person who referred the most members of a team is the
// root of some tree; of the chain of people with that count, the one
// closest to the members is the lowest common ancestor of the members
// counted (or its parent, when that ancestor is a member). When the team is
// a cluster, the analysis then walks down from there while one referral
// subtree alone still holds at least ClusterShare of the members: the
// person named is the one closest to the members who alone makes the team
// a cluster (a recruiter's own referrer is not blamed for her team).
func (c *computed) referralTeams() {
	g, sub := c.g, c.opts.IncludeSubdepartments
	// Team member lists in CSR form, each in preorder (ascending tin), so
	// the members of one referral subtree are a contiguous run.
	start := make([]int32, len(g.depts)+1)
	for _, i := range g.order {
		if c.counted[i] {
			g.deptChain(g.dept[i], sub, func(t int32) { start[t+1]++ })
		}
	}
	for t := 1; t < len(start); t++ {
		start[t] += start[t-1]
	}
	members := make([]int32, start[len(g.depts)])
	next := slices.Clone(start[:len(g.depts)])
	for _, i := range g.order {
		if c.counted[i] {
			g.deptChain(g.dept[i], sub, func(t int32) { members[next[t]] = i; next[t]++ })
		}
	}
	kids, kidList := children(c.parent)
	count := make([]int32, len(g.emps)) // per root, reset after each team
	var touched, tins []int32
	for t := range g.depts {
		tr := &c.teams[t]
		tr.top = -1
		ms := members[start[t]:start[t+1]]
		tr.members = len(ms)
		best, bestN := int32(-1), int32(0)
		for _, m := range ms {
			if c.parent[m] < 0 {
				continue
			}
			r := c.root[m]
			if count[r] == 0 {
				touched = append(touched, r)
			}
			count[r]++
			if count[r] > bestN || (count[r] == bestN && c.tin[r] < c.tin[best]) {
				best, bestN = r, count[r]
			}
		}
		for _, r := range touched {
			count[r] = 0
		}
		touched = touched[:0]
		if best < 0 {
			continue
		}
		// The counted members of best's tree, by tin.
		tins = tins[:0]
		lo, hi := int32(-1), int32(-1)
		for _, m := range ms {
			if c.parent[m] < 0 || c.root[m] != best {
				continue
			}
			if lo < 0 {
				lo = m
			}
			hi = m
			tins = append(tins, c.tin[m])
		}
		top := c.lca(lo, hi)
		if c.parent[top] >= 0 && g.inTeam(g.dept[top], int32(t), sub) {
			top = c.parent[top] // a member is not their own referrer
		}
		referred := int(bestN)
		enough := func(k int) bool { return float64(k) >= c.th.ClusterShare*float64(tr.members) }
		if tr.members >= c.th.MinTeamSize && enough(referred) {
			for {
				bestKid, bestK := int32(-1), 0
				for k := kids[top]; k < kids[top+1]; k++ {
					kid := kidList[k]
					if n := countIn(tins, c.tin[kid]+1, c.tin[kid]+c.total[kid]); n > bestK {
						bestKid, bestK = kid, n
					}
				}
				if bestKid < 0 || !enough(bestK) {
					break
				}
				top, referred = bestKid, bestK
			}
			tr.cluster = true
		}
		tr.top, tr.referred = top, referred
		for _, m := range ms {
			if g.up[m] == top {
				tr.direct++
			}
		}
	}
}

// countIn counts the values of sorted within [lo, hi].
func countIn(sorted []int32, lo, hi int32) int {
	if hi < lo {
		return 0
	}
	a, _ := slices.BinarySearch(sorted, lo)
	b, _ := slices.BinarySearch(sorted, hi+1)
	return b - a
}

// lca is the lowest common ancestor of u and v in the contracted forest
// (both in one tree), walking up by depth.
func (c *computed) lca(u, v int32) int32 {
	for c.depth[u] > c.depth[v] {
		u = c.parent[u]
	}
	for c.depth[v] > c.depth[u] {
		v = c.parent[v]
	}
	for u != v {
		u, v = c.parent[u], c.parent[v]
	}
	return u
}

// concentration sums each team's customers and flags the owners over a
// threshold, then merges them with the team's cluster referrer.
func (c *computed) concentration(holdings []Holding) {
	g, sub := c.g, c.opts.IncludeSubdepartments
	index := make(map[string]int32, len(holdings))
	// Owners are looked up by ID only for the few rows Holdings returns.
	for _, h := range holdings {
		index[h.OwnerID] = -1
	}
	for i := range g.emps {
		if _, ok := index[g.emps[i].ID]; ok {
			index[g.emps[i].ID] = int32(i)
		}
	}
	dIndex := make(map[string]int32, len(g.depts))
	for i := range g.depts {
		dIndex[g.depts[i].ID] = int32(i)
	}
	type key struct{ team, owner int32 }
	owned := make(map[key]Totals)
	var keys []key
	for _, h := range holdings {
		d, ok := dIndex[h.DepartmentID]
		if !ok {
			continue
		}
		o := index[h.OwnerID]
		g.deptChain(d, sub, func(t int32) {
			c.teams[t].totals.add(h)
			if o >= 0 && c.counted[o] {
				k := key{t, o}
				tot, seen := owned[k]
				if !seen {
					keys = append(keys, k)
				}
				tot.add(h)
				owned[k] = tot
			}
		})
	}
	flagged := make(map[key][]Reason)
	for t := range c.teams {
		tr := &c.teams[t]
		if tr.cluster {
			k := key{int32(t), tr.top}
			flagged[k] = append(flagged[k], Reason{Kind: ReasonReferredMembers, Count: tr.referred, Of: tr.members,
				Direct: tr.direct, Share: float64(tr.referred) / float64(tr.members)})
		}
	}
	for _, k := range keys {
		if rs := c.th.ownerReasons(owned[k], c.teams[k.team].totals); len(rs) > 0 {
			flagged[k] = append(flagged[k], rs...)
		}
	}
	for k, rs := range flagged {
		c.teams[k.team].people = append(c.teams[k.team].people,
			PersonRisk{Person: g.person(k.owner), Reasons: rs, Summary: summarise(rs)})
	}
	for t := range c.teams {
		slices.SortFunc(c.teams[t].people, comparePeople)
	}
}

// ownerReasons lists the concentration criteria an owner's holdings meet
// within a team's totals.
func (th Thresholds) ownerReasons(own, of Totals) []Reason {
	var rs []Reason
	share := func(a, b int64) float64 {
		if b <= 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	if s := share(own.KeyAccountValueCents, of.KeyAccountValueCents); of.KeyAccountValueCents > 0 && s >= th.KeyAccountValueShare {
		rs = append(rs, Reason{Kind: ReasonKeyAccountValue, Count: own.KeyAccounts, Of: of.KeyAccounts, Share: s,
			ValueCents: own.KeyAccountValueCents, TotalCents: of.KeyAccountValueCents})
	}
	if s := share(int64(own.KeyAccounts), int64(of.KeyAccounts)); of.KeyAccounts > 0 && s >= th.KeyAccountShare {
		rs = append(rs, Reason{Kind: ReasonKeyAccounts, Count: own.KeyAccounts, Of: of.KeyAccounts, Share: s})
	}
	if s := share(own.AnnualValueCents, of.AnnualValueCents); of.AnnualValueCents > 0 && s >= th.AnnualValueShare {
		rs = append(rs, Reason{Kind: ReasonAnnualValue, Count: own.Customers, Of: of.Customers, Share: s,
			ValueCents: own.AnnualValueCents, TotalCents: of.AnnualValueCents})
	}
	if s := share(int64(own.Customers), int64(of.Customers)); of.Customers > 0 && s >= th.CustomerShare {
		rs = append(rs, Reason{Kind: ReasonCustomers, Count: own.Customers, Of: of.Customers, Share: s})
	}
	return rs
}

// comparePeople orders flagged people: most reasons, then the highest
// share, then name and ID.
func comparePeople(a, b PersonRisk) int {
	if n := cmp.Compare(len(b.Reasons), len(a.Reasons)); n != 0 {
		return n
	}
	if n := cmp.Compare(maxShare(b.Reasons), maxShare(a.Reasons)); n != 0 {
		return n
	}
	if n := cmp.Compare(a.Name, b.Name); n != 0 {
		return n
	}
	return cmp.Compare(a.ID, b.ID)
}

func maxShare(rs []Reason) float64 {
	m := 0.0
	for _, r := range rs {
		m = max(m, r.Share)
	}
	return m
}
