package pools_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/pools"
)

// Example defines a pool of middle-manager candidates by rule, screens it
// (matches and near-misses with the values of every rule, computed in
// SQL), confirms a candidate, and reports the pool.
func Example() {
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		panic(err)
	}
	e := newEnv(nopTB{}, db)
	candidates(nopTB{}, e)
	hrCtx := e.as["hr"]

	rule, err := pools.ParseRule([]byte(`{"kind":"and","rules":[
		{"kind":"performance_top_percent","percent":60,"periods":2},
		{"kind":"management_experience","min_count":1}]}`))
	if err != nil {
		panic(err)
	}
	pool, err := e.svc.CreatePool(hrCtx, pools.PoolParams{Name: "Middle-manager candidates", Rule: rule})
	if err != nil {
		panic(err)
	}
	sc, err := e.svc.Screen(hrCtx, pool.ID)
	if err != nil {
		panic(err)
	}
	show := func(c pools.Candidate) string {
		var vs []string
		for _, v := range c.Values {
			vs = append(vs, v.Text)
		}
		return c.Name + ": " + strings.Join(vs, "; ")
	}
	for _, c := range sc.Matches {
		fmt.Println("match", show(c))
	}
	for _, c := range sc.NearMisses {
		fmt.Println("near-miss", show(c), "- fails", strings.Join(c.Failed, ", "))
	}
	if _, err := e.svc.Confirm(hrCtx, pool.ID, pools.ConfirmParams{EmployeeID: sc.Matches[0].EmployeeID, Note: "strong year"}); err != nil {
		panic(err)
	}
	r, err := e.svc.Report(hrCtx, pool.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println("members:", r.Current, "joined", r.Members[0].Joined == hr.NewDate(2026, 9, 7))
	// Output:
	// match 王丽: rank 1 of 7, top 15%; 1 management experience
	// match 赵敏: rank 2 of 7, top 29%; 1 management experience
	// match 陈晨: rank 3 of 7, top 43%; 1 management experience
	// near-miss 周杰: rank 4 of 7, top 58%; 0 management experiences - fails rules[1]
	// near-miss 孙伟: rank 5 of 7, top 72%; 1 management experience - fails rules[0]
	// members: 1 joined true
}
