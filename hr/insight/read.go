package insight

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ballast-hr/ballast"
)

// view is one principal's analysis: the computation over the whole tenant
// (referral chains cross departments) and the departments the principal may
// see.
type view struct {
	c     *computed
	scope []bool // per department
}

// visibleEmployee reports whether employee i works in a department in scope.
func (v *view) visibleEmployee(i int32) bool {
	d := v.c.g.dept[i]
	return d >= 0 && v.scope[d]
}

// load checks the principal's permission, reads the tenant's graph (two
// queries) and, when customers is set, its customer holdings (one GROUP
// BY), and analyses them.
func (s *Service) load(ctx context.Context, opts Options, customers bool) (*view, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.auth.Allowed(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	if !all {
		dept, err := s.auth.Allowed(ctx, PermReadDepartment)
		if err != nil {
			return nil, err
		}
		if !dept {
			return nil, fmt.Errorf("%s may not %s: %w", p.Subject, PermRead, ballast.ErrForbidden)
		}
	}
	depts, err := s.store.Departments(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	emps, err := s.store.Employees(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	g := newGraph(depts, emps)
	scope := make([]bool, len(depts))
	var scoped []string
	for d := range depts {
		if all {
			scope[d] = true
			continue
		}
		g.deptChain(int32(d), true, func(a int32) {
			if depts[a].HeadID != "" && depts[a].HeadID == p.Subject {
				scope[d] = true
			}
		})
		if scope[d] {
			scoped = append(scoped, depts[d].ID)
		}
	}
	var holdings []Holding
	if customers && (all || len(scoped) > 0) {
		if holdings, err = s.store.Holdings(ctx, p.Tenant, scoped); err != nil {
			return nil, err
		}
	}
	return &view{c: compute(g, opts, s.thresholds, holdings), scope: scope}, nil
}

// Analyze returns the key-person risk of every department the principal
// may see (the whole tenant with PermRead, the subtrees of the departments
// the subject heads with PermReadDepartment) and the referral counts of
// their employees. It reads the tenant with three queries and computes in
// O(employees). Errors: ErrUnauthenticated, ErrForbidden, store errors.
func (s *Service) Analyze(ctx context.Context, opts Options) (*Analysis, error) {
	v, err := s.load(ctx, opts, true)
	if err != nil {
		return nil, fmt.Errorf("insight: analyze: %w", err)
	}
	c, g := v.c, v.c.g
	a := &Analysis{GeneratedAt: s.now(), Options: opts, Thresholds: s.thresholds, Anomalies: g.anomalies,
		Departments: []DepartmentRisk{}, Referrers: []ReferrerStats{}}
	for _, d := range v.deptOrder() {
		a.Departments = append(a.Departments, c.risk(d))
	}
	for i := range g.emps {
		if c.counted[i] && c.total[i] > 0 && v.visibleEmployee(int32(i)) {
			a.Referrers = append(a.Referrers, c.stats(int32(i)))
		}
	}
	slices.SortFunc(a.Referrers, func(x, y ReferrerStats) int {
		if n := cmp.Compare(y.Total(), x.Total()); n != 0 {
			return n
		}
		if n := cmp.Compare(y.Direct, x.Direct); n != 0 {
			return n
		}
		if n := cmp.Compare(x.Name, y.Name); n != 0 {
			return n
		}
		return cmp.Compare(x.ID, y.ID)
	})
	return a, nil
}

// DepartmentRisk returns the key-person risk of one department. A
// department outside the principal's scope is ErrForbidden; an unknown one
// ErrNotFound.
func (s *Service) DepartmentRisk(ctx context.Context, departmentID string, opts Options) (*DepartmentRisk, error) {
	v, err := s.load(ctx, opts, true)
	if err != nil {
		return nil, fmt.Errorf("insight: department risk %s: %w", departmentID, err)
	}
	d, err := v.department(departmentID)
	if err != nil {
		return nil, fmt.Errorf("insight: department risk %s: %w", departmentID, err)
	}
	r := v.c.risk(d)
	return &r, nil
}

// ReferralTree returns the referral tree below one employee: whom they
// referred, whom those referred, and so on, children by name. Departed
// employees are skipped unless opts.IncludeDeparted (their referrals hang
// from the nearest counted ancestor); a department head sees only employees
// of their departments. An unknown (or, by default, departed) employee is
// ErrNotFound; one outside the principal's scope ErrForbidden.
func (s *Service) ReferralTree(ctx context.Context, rootEmployeeID string, opts Options) (*Node, error) {
	v, err := s.load(ctx, opts, false)
	if err != nil {
		return nil, fmt.Errorf("insight: referral tree %s: %w", rootEmployeeID, err)
	}
	root := int32(-1)
	for i := range v.c.g.emps {
		if v.c.g.emps[i].ID == rootEmployeeID {
			root = int32(i)
			break
		}
	}
	switch {
	case root < 0 || !v.c.counted[root]:
		return nil, fmt.Errorf("insight: referral tree %s: employee %w", rootEmployeeID, ballast.ErrNotFound)
	case !v.visibleEmployee(root):
		return nil, fmt.Errorf("insight: referral tree %s: outside the departments in scope: %w", rootEmployeeID, ballast.ErrForbidden)
	}
	m := v.c.tenantMarks()
	return v.c.tree([]int32{root}, v.visibleEmployee, m)[0], nil
}

// ReferralForest returns every referral tree of the tenant (or of the
// departments the principal may see): one tree per employee who referred
// someone and was not referred by anyone counted. People who neither
// referred nor were referred are left out.
func (s *Service) ReferralForest(ctx context.Context, opts Options) ([]*Node, error) {
	v, err := s.load(ctx, opts, false)
	if err != nil {
		return nil, fmt.Errorf("insight: referral forest: %w", err)
	}
	roots := v.c.roots(v.visibleEmployee)
	trees := v.c.tree(roots, v.visibleEmployee, v.c.tenantMarks())
	out := trees[:0]
	for _, t := range trees {
		if len(t.Children) > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// DepartmentForest returns a department's referral forest: its team (see
// Options.IncludeSubdepartments) and its top referrer, linked by who
// referred whom among them, with the cluster members and the key referrer
// marked when the team is a dependency cluster. Draw it with RenderSVG.
// Errors as DepartmentRisk.
func (s *Service) DepartmentForest(ctx context.Context, departmentID string, opts Options) (*Forest, error) {
	v, err := s.load(ctx, opts, true)
	if err != nil {
		return nil, fmt.Errorf("insight: department forest %s: %w", departmentID, err)
	}
	d, err := v.department(departmentID)
	if err != nil {
		return nil, fmt.Errorf("insight: department forest %s: %w", departmentID, err)
	}
	c, g := v.c, v.c.g
	tr := c.teams[d]
	in := make([]bool, len(g.emps))
	for i := range g.emps {
		if c.counted[i] && g.dept[i] >= 0 && g.inTeam(g.dept[i], d, c.opts.IncludeSubdepartments) {
			in[i] = true
		}
	}
	if tr.top >= 0 {
		in[tr.top] = true
	}
	visible := func(i int32) bool { return in[i] }
	m := marks{}
	if tr.cluster {
		m = marks{key: map[int32]bool{tr.top: true}, cluster: map[int32]bool{}}
		for i := range g.emps {
			if in[i] && int32(i) != tr.top && c.under(int32(i), tr.top) {
				m.cluster[int32(i)] = true
			}
		}
	}
	roots := c.roots(visible)
	return &Forest{Risk: c.risk(d), Roots: c.tree(roots, visible, m)}, nil
}

// department resolves a department ID within the view's scope.
func (v *view) department(id string) (int32, error) {
	for d := range v.c.g.depts {
		if v.c.g.depts[d].ID != id {
			continue
		}
		if !v.scope[d] {
			return -1, fmt.Errorf("outside the departments in scope: %w", ballast.ErrForbidden)
		}
		return int32(d), nil
	}
	return -1, fmt.Errorf("department %w", ballast.ErrNotFound)
}

// deptOrder lists the departments in scope in tree order: parents first,
// siblings by name.
func (v *view) deptOrder() []int32 {
	g := v.c.g
	start, list := children(g.dParent)
	byName := func(a, b int32) int {
		if n := cmp.Compare(g.depts[a].Name, g.depts[b].Name); n != 0 {
			return n
		}
		return cmp.Compare(g.depts[a].ID, g.depts[b].ID)
	}
	for d := range g.depts {
		slices.SortFunc(list[start[d]:start[d+1]], byName)
	}
	var roots []int32
	for d, p := range g.dParent {
		if p < 0 {
			roots = append(roots, int32(d))
		}
	}
	slices.SortFunc(roots, byName)
	var out, stack []int32
	for i := len(roots) - 1; i >= 0; i-- {
		stack = append(stack, roots[i])
	}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if v.scope[d] {
			out = append(out, d)
		}
		for k := start[d+1] - 1; k >= start[d]; k-- {
			stack = append(stack, list[k])
		}
	}
	return out
}
