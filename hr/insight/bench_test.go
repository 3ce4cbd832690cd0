package insight

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ballast-hr/ballast/hr"
)

// synthetic builds a tenant of n employees in 200 departments (20 roots of
// 9 children each, plus 20 leaves), where 30% were referred by someone
// hired before them (mostly in their own department) and 10% departed,
// with one holding per tenth employee.
func synthetic(n int) ([]Department, []Employee, []Holding) {
	r := rand.New(rand.NewPCG(1, 2))
	depts := make([]Department, 200)
	for i := range depts {
		depts[i] = Department{ID: fmt.Sprintf("d%03d", i), Name: fmt.Sprintf("Dept %03d", i)}
		if i%10 != 0 {
			depts[i].ParentID = depts[i-i%10].ID
		}
	}
	emps := make([]Employee, n)
	var holdings []Holding
	for i := range emps {
		d := r.IntN(len(depts))
		emps[i] = Employee{ID: fmt.Sprintf("e%07d", i), Name: fmt.Sprintf("Person %07d", i),
			DepartmentID: depts[d].ID, Status: hr.StatusActive}
		if i > 0 && r.IntN(10) < 3 {
			ref := r.IntN(i)
			emps[i].ReferrerID = emps[ref].ID
			if r.IntN(4) > 0 {
				emps[i].DepartmentID = emps[ref].DepartmentID
			}
		}
		if r.IntN(10) == 0 {
			emps[i].Status = hr.StatusDeparted
		}
		if i%10 == 0 {
			holdings = append(holdings, Holding{OwnerID: emps[i].ID, DepartmentID: emps[i].DepartmentID,
				Customers: 1 + r.IntN(20), KeyAccounts: r.IntN(3), AnnualValueCents: int64(r.IntN(1e8)), KeyAccountValueCents: int64(r.IntN(1e7))})
		}
	}
	return depts, emps, holdings
}

// BenchmarkCompute is the analysis of 100,000 employees alone (no
// database): building the int32 graph from the store's rows, referral
// counts, every team's top referrer, and customer concentration.
func BenchmarkCompute(b *testing.B) {
	depts, emps, holdings := synthetic(100_000)
	for _, opts := range []Options{{}, {IncludeSubdepartments: true}} {
		b.Run(fmt.Sprintf("subdepartments=%v", opts.IncludeSubdepartments), func(b *testing.B) {
			for b.Loop() {
				c := compute(newGraph(depts, emps), opts, DefaultThresholds(), holdings)
				if len(c.teams) != len(depts) {
					b.Fatal("teams missing")
				}
			}
		})
	}
}

// TestCompute_LongChainIsLinear guards the O(n) claim on the worst shape:
// one referral chain through 100,000 people in one department.
func TestCompute_LongChainIsLinear(t *testing.T) {
	t.Parallel()
	const n = 100_000
	emps := make([]Employee, n)
	for i := range emps {
		emps[i] = emp(fmt.Sprintf("e%06d", i), "S", "")
		if i > 0 {
			emps[i].ReferrerID = emps[i-1].ID
		}
	}
	c := compute(newGraph([]Department{dept("S", "")}, emps), Options{}, DefaultThresholds(), nil)
	tr := c.teams[0]
	// The closest person who alone referred half the team.
	if got := c.g.emps[tr.top].ID; got != fmt.Sprintf("e%06d", n/2-1) || tr.referred != n/2 || !tr.cluster {
		t.Errorf("top = %s referred %d cluster %v", got, tr.referred, tr.cluster)
	}
	if c.total[0] != n-1 {
		t.Errorf("root's total = %d, want %d", c.total[0], n-1)
	}
}
