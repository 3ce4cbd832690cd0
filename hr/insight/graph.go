package insight

import "github.com/ballast-hr/ballast/hr"

// graph is a tenant's referral graph and department tree in compact
// arrays: employees and departments are numbered by their position in the
// store's rows, and every link is an int32 index (-1 for none). Strings are
// looked up once, while building; the analysis itself touches only ints.
type graph struct {
	emps  []Employee
	depts []Department
	// up is each employee's referrer, with unknown referrers and one link
	// of every cycle cut (-1).
	up []int32
	// dept is each employee's department, -1 when unknown.
	dept []int32
	// dParent is each department's parent, cycles cut.
	dParent []int32
	// dHead is each department's head, -1 when vacant or unknown.
	dHead []int32
	// order is a preorder of the referral forest given by up: every
	// referrer comes before the people they referred.
	order     []int32
	anomalies Anomalies
}

// newGraph builds the graph of emps and depts in O(n).
func newGraph(depts []Department, emps []Employee) *graph {
	n := len(emps)
	g := &graph{emps: emps, depts: depts, up: make([]int32, n), dept: make([]int32, n),
		dParent: make([]int32, len(depts)), dHead: make([]int32, len(depts))}
	index := make(map[string]int32, n)
	for i := range emps {
		index[emps[i].ID] = int32(i)
	}
	dIndex := make(map[string]int32, len(depts))
	for i := range depts {
		dIndex[depts[i].ID] = int32(i)
	}
	lookup := func(m map[string]int32, id string) int32 {
		if id == "" {
			return -1
		}
		if i, ok := m[id]; ok {
			return i
		}
		return -1
	}
	for i := range emps {
		e := &emps[i]
		r := lookup(index, e.ReferrerID)
		if e.ReferrerID != "" && (r < 0 || r == int32(i)) {
			g.anomalies.UnknownReferrers++
			r = -1
		}
		g.up[i] = r
		d := lookup(dIndex, e.DepartmentID)
		if d < 0 {
			g.anomalies.UnknownDepartments++
		}
		g.dept[i] = d
	}
	for i := range depts {
		p := lookup(dIndex, depts[i].ParentID)
		if p == int32(i) {
			p = -1
		}
		g.dParent[i] = p
		g.dHead[i] = lookup(index, depts[i].HeadID)
	}
	g.anomalies.ReferralCycles = cutCycles(g.up)
	cutCycles(g.dParent)
	g.order = preorder(g.up)
	return g
}

// cutCycles removes one link of every cycle of the forest given by parent
// links, and reports how many it cut. O(n): every node is pushed once.
func cutCycles(up []int32) int {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(up))
	var path []int32
	cut := 0
	for i := range up {
		if state[i] != unseen {
			continue
		}
		j := int32(i)
		for j >= 0 && state[j] == unseen {
			state[j] = onPath
			path = append(path, j)
			j = up[j]
		}
		if j >= 0 && state[j] == onPath {
			up[path[len(path)-1]] = -1
			cut++
		}
		for _, k := range path {
			state[k] = done
		}
		path = path[:0]
	}
	return cut
}

// children returns the forest's child lists in CSR form: the children of i
// are list[start[i]:start[i+1]], in index order.
func children(up []int32) (start, list []int32) {
	start = make([]int32, len(up)+1)
	for _, p := range up {
		if p >= 0 {
			start[p+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	list = make([]int32, start[len(up)])
	next := make([]int32, len(up))
	copy(next, start[:len(up)])
	for i, p := range up {
		if p >= 0 {
			list[next[p]] = int32(i)
			next[p]++
		}
	}
	return start, list
}

// preorder returns the nodes of an acyclic forest, every parent before its
// children and every subtree contiguous, without recursion.
func preorder(up []int32) []int32 {
	start, list := children(up)
	order := make([]int32, 0, len(up))
	stack := make([]int32, 0, 64)
	for i, p := range up {
		if p >= 0 {
			continue
		}
		stack = append(stack, int32(i))
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			order = append(order, v)
			for k := start[v+1] - 1; k >= start[v]; k-- {
				stack = append(stack, list[k])
			}
		}
	}
	return order
}

// person returns the Person of employee i.
func (g *graph) person(i int32) Person {
	e := &g.emps[i]
	return Person{ID: e.ID, Name: e.Name, DepartmentID: e.DepartmentID, Status: e.Status, KeyPerson: e.KeyPerson}
}

// counted reports which employees the options count.
func (g *graph) counted(opts Options) []bool {
	c := make([]bool, len(g.emps))
	for i := range g.emps {
		c[i] = opts.IncludeDeparted || g.emps[i].Status != hr.StatusDeparted
	}
	return c
}

// deptChain calls fn with d and, when subtree is set, each of its
// ancestors: the teams an employee of d belongs to.
func (g *graph) deptChain(d int32, subtree bool, fn func(t int32)) {
	for steps := 0; d >= 0 && steps <= len(g.depts); steps++ {
		fn(d)
		if !subtree {
			return
		}
		d = g.dParent[d]
	}
}

// inTeam reports whether department d belongs to team t.
func (g *graph) inTeam(d, t int32, subtree bool) bool {
	found := false
	g.deptChain(d, subtree, func(x int32) {
		if x == t {
			found = true
		}
	})
	return found
}
