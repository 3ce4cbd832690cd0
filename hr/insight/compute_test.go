package insight

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/hr"
)

func emp(id, dept, referrer string) Employee {
	return Employee{ID: id, Name: "name " + id, ReferrerID: referrer, DepartmentID: dept, Status: hr.StatusActive}
}

func departed(e Employee) Employee {
	e.Status = hr.StatusDeparted
	return e
}

func dept(id, parent string) Department {
	return Department{ID: id, Name: "dept " + id, ParentID: parent}
}

// teamWant is what a test expects of one team.
type teamWant struct {
	Members  int
	Top      string
	Referred int
	Direct   int
	Cluster  bool
}

func teamsOf(c *computed) map[string]teamWant {
	out := map[string]teamWant{}
	for t, tr := range c.teams {
		w := teamWant{Members: tr.members, Referred: tr.referred, Direct: tr.direct, Cluster: tr.cluster}
		if tr.top >= 0 {
			w.Top = c.g.emps[tr.top].ID
		}
		out[c.g.depts[t].ID] = w
	}
	return out
}

func statsOf(c *computed) map[string][2]int {
	out := map[string][2]int{}
	for i := range c.g.emps {
		if c.counted[i] && c.total[i] > 0 {
			s := c.stats(int32(i))
			out[s.ID] = [2]int{s.Direct, s.Indirect}
		}
	}
	return out
}

func TestCompute_ReferralShapes(t *testing.T) {
	t.Parallel()
	// The Wang Li shape: W (referred herself by G of management) referred
	// six of the ten sales staff.
	wang := []Employee{emp("G", "M", ""), emp("W", "S", "G")}
	for i := 1; i <= 6; i++ {
		wang = append(wang, emp(fmt.Sprintf("s%d", i), "S", "W"))
	}
	wang = append(wang, emp("s7", "S", ""), emp("s8", "S", ""), emp("s9", "S", ""))

	for _, tc := range []struct {
		name      string
		depts     []Department
		emps      []Employee
		opts      Options
		teams     map[string]teamWant
		stats     map[string][2]int
		anomalies Anomalies
	}{
		{
			name:  "ChainNamesTheClosestWhoStillReachesTheShare",
			depts: []Department{dept("S", "")},
			emps:  []Employee{emp("a", "S", ""), emp("b", "S", "a"), emp("c", "S", "b"), emp("d", "S", "c")},
			teams: map[string]teamWant{"S": {Members: 4, Top: "b", Referred: 2, Direct: 1, Cluster: true}},
			stats: map[string][2]int{"a": {1, 2}, "b": {1, 1}, "c": {1, 0}},
		},
		{
			name:  "RecruiterIsNamedNotHerOwnReferrer",
			depts: []Department{dept("M", ""), dept("S", "")},
			emps:  wang,
			teams: map[string]teamWant{
				"M": {Members: 1},
				"S": {Members: 10, Top: "W", Referred: 6, Direct: 6, Cluster: true},
			},
			stats: map[string][2]int{"G": {1, 6}, "W": {6, 0}},
		},
		{
			name:  "TwoReferrersSplittingATeamMakeNoCluster",
			depts: []Department{dept("O", ""), dept("T", "")},
			emps: []Employee{emp("p", "O", ""), emp("q", "O", ""),
				emp("x1", "T", "p"), emp("x2", "T", "p"), emp("x3", "T", "p"),
				emp("y1", "T", "q"), emp("y2", "T", "q"), emp("y3", "T", "q"), emp("z", "T", "")},
			teams: map[string]teamWant{
				"O": {Members: 2},
				"T": {Members: 7, Top: "p", Referred: 3, Direct: 3},
			},
			stats: map[string][2]int{"p": {3, 0}, "q": {3, 0}},
		},
		{
			name:  "DepartedMembersAreLeftOutByDefault",
			depts: []Department{dept("S", "")},
			emps: []Employee{emp("W", "S", ""), emp("r1", "S", "W"), departed(emp("r2", "S", "W")),
				departed(emp("r3", "S", "W")), departed(emp("r4", "S", "W")), emp("o1", "S", ""), emp("o2", "S", "")},
			teams: map[string]teamWant{"S": {Members: 4, Top: "W", Referred: 1, Direct: 1}},
			stats: map[string][2]int{"W": {1, 0}},
		},
		{
			name:  "DepartedMembersCountWhenAsked",
			depts: []Department{dept("S", "")},
			emps: []Employee{emp("W", "S", ""), emp("r1", "S", "W"), departed(emp("r2", "S", "W")),
				departed(emp("r3", "S", "W")), departed(emp("r4", "S", "W")), emp("o1", "S", ""), emp("o2", "S", "")},
			opts:  Options{IncludeDeparted: true},
			teams: map[string]teamWant{"S": {Members: 7, Top: "W", Referred: 4, Direct: 4, Cluster: true}},
			stats: map[string][2]int{"W": {4, 0}},
		},
		{
			name:  "DepartedReferrerPassesTheCreditUp",
			depts: []Department{dept("O", ""), dept("S", "")},
			emps: []Employee{emp("G", "O", ""), departed(emp("A", "O", "G")),
				emp("b", "S", "A"), emp("c", "S", "A"), emp("d", "S", "A"), emp("e", "S", "")},
			teams: map[string]teamWant{
				"O": {Members: 1},
				"S": {Members: 4, Top: "G", Referred: 3, Direct: 0, Cluster: true},
			},
			stats: map[string][2]int{"G": {0, 3}},
		},
		{
			name:      "ReferralCycleIsCutAndCounted",
			depts:     []Department{dept("S", "")},
			emps:      []Employee{emp("a", "S", "b"), emp("b", "S", "a"), emp("c", "S", "a")},
			teams:     map[string]teamWant{"S": {Members: 3, Top: "b", Referred: 2, Direct: 1, Cluster: true}},
			stats:     map[string][2]int{"a": {1, 0}, "b": {1, 1}},
			anomalies: Anomalies{ReferralCycles: 1},
		},
		{
			name:  "LongCycleIsCutOnce",
			depts: []Department{dept("S", "")},
			emps:  []Employee{emp("a", "S", "d"), emp("b", "S", "a"), emp("c", "S", "b"), emp("d", "S", "c")},
			// Walking from a, the loop closes at b's link: b becomes the root.
			teams:     map[string]teamWant{"S": {Members: 4, Top: "c", Referred: 2, Direct: 1, Cluster: true}},
			stats:     map[string][2]int{"b": {1, 2}, "c": {1, 1}, "d": {1, 0}},
			anomalies: Anomalies{ReferralCycles: 1},
		},
		{
			name:      "SelfAndUnknownReferrersCountAsNone",
			depts:     []Department{dept("S", "")},
			emps:      []Employee{emp("a", "S", "a"), emp("b", "S", "ghost"), emp("c", "S", "")},
			teams:     map[string]teamWant{"S": {Members: 3}},
			stats:     map[string][2]int{},
			anomalies: Anomalies{UnknownReferrers: 2},
		},
		{
			name:  "EmptyDepartmentHasNoTeam",
			depts: []Department{dept("E", ""), dept("S", "")},
			emps:  []Employee{emp("a", "S", "")},
			teams: map[string]teamWant{"E": {}, "S": {Members: 1}},
			stats: map[string][2]int{},
		},
		{
			name:  "SmallTeamIsNeverACluster",
			depts: []Department{dept("S", "")},
			emps:  []Employee{emp("a", "S", ""), emp("b", "S", "a")},
			teams: map[string]teamWant{"S": {Members: 2, Top: "a", Referred: 1, Direct: 1}},
			stats: map[string][2]int{"a": {1, 0}},
		},
		{
			name:      "UnknownDepartmentBelongsToNoTeam",
			depts:     []Department{dept("S", "")},
			emps:      []Employee{emp("a", "S", ""), emp("b", "gone", "a")},
			teams:     map[string]teamWant{"S": {Members: 1}},
			stats:     map[string][2]int{"a": {1, 0}},
			anomalies: Anomalies{UnknownDepartments: 1},
		},
		{
			name:  "EachDepartmentOnItsOwn",
			depts: []Department{dept("S", ""), dept("E", "S")},
			emps: []Employee{emp("W", "S", ""), emp("s1", "S", ""),
				emp("e1", "E", "W"), emp("e2", "E", "W"), emp("e3", "E", "W"), emp("e4", "E", "")},
			teams: map[string]teamWant{
				"S": {Members: 2},
				"E": {Members: 4, Top: "W", Referred: 3, Direct: 3, Cluster: true},
			},
			stats: map[string][2]int{"W": {3, 0}},
		},
		{
			name:  "SubdepartmentsJoinTheirParentsTeam",
			depts: []Department{dept("S", ""), dept("E", "S")},
			emps: []Employee{emp("W", "S", ""), emp("s1", "S", ""),
				emp("e1", "E", "W"), emp("e2", "E", "W"), emp("e3", "E", "W"), emp("e4", "E", "")},
			opts: Options{IncludeSubdepartments: true},
			teams: map[string]teamWant{
				"S": {Members: 6, Top: "W", Referred: 3, Direct: 3, Cluster: true},
				"E": {Members: 4, Top: "W", Referred: 3, Direct: 3, Cluster: true},
			},
			stats: map[string][2]int{"W": {3, 0}},
		},
		{
			name:  "DepartmentCycleDoesNotLoop",
			depts: []Department{dept("A", "B"), dept("B", "A")},
			emps:  []Employee{emp("a", "A", ""), emp("b", "B", "a")},
			opts:  Options{IncludeSubdepartments: true},
			// Walking from A, the loop closes at B's link: B becomes a root.
			teams: map[string]teamWant{
				"A": {Members: 1},
				"B": {Members: 2, Top: "a", Referred: 1, Direct: 1},
			},
			stats: map[string][2]int{"a": {1, 0}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := compute(newGraph(tc.depts, tc.emps), tc.opts, DefaultThresholds(), nil)
			if diff := cmp.Diff(tc.teams, teamsOf(c)); diff != "" {
				t.Errorf("teams (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.stats, statsOf(c)); diff != "" {
				t.Errorf("referral counts [direct, indirect] (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.anomalies, c.g.anomalies); diff != "" {
				t.Errorf("anomalies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTree_HidesTheInvisibleAndLiftsTheirReferrals(t *testing.T) {
	t.Parallel()
	g := newGraph([]Department{dept("S", ""), dept("O", "")}, []Employee{
		emp("a", "S", ""), emp("b", "O", "a"), emp("c", "S", "b"), emp("d", "S", "b"),
		departed(emp("x", "S", "a")), emp("y", "S", "x"),
	})
	c := compute(g, Options{}, DefaultThresholds(), nil)
	inS := func(i int32) bool { return g.depts[g.dept[i]].ID == "S" }
	var ids func(n *Node) string
	ids = func(n *Node) string {
		s := n.ID
		if len(n.Children) > 0 {
			s += "("
			for i, k := range n.Children {
				if i > 0 {
					s += " "
				}
				s += ids(k)
			}
			s += ")"
		}
		return s
	}
	// b is out of sight and x departed: their referrals hang from a.
	trees := c.tree(c.roots(inS), inS, marks{})
	if len(trees) != 1 || ids(trees[0]) != "a(c d y)" {
		t.Fatalf("trees = %d, first %s; want a(c d y)", len(trees), ids(trees[0]))
	}
	if trees[0].Direct != 1 || trees[0].Indirect != 3 {
		t.Errorf("a: %d direct, %d indirect; want the whole tenant's 1 and 3", trees[0].Direct, trees[0].Indirect)
	}
	all := func(int32) bool { return true }
	if got := ids(c.tree(c.roots(all), all, marks{})[0]); got != "a(b(c d) y)" {
		t.Errorf("full tree = %s, want a(b(c d) y)", got)
	}
}
