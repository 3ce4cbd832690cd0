package succession_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/succession"
)

// Example runs the main flow: HR names two successors of the critical
// Sales director position (one the emergency successor), moves one
// closer with a reason, reads the position report and the company
// coverage, rates potential and draws the Sales 9-box.
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
	e := newEnv(nopTB{}, db) // a tenant with Sales (head 刘强, the director), R&D and HR
	svc, hrCtx := e.svc, e.as["hr"]
	e.perf(nopTB{}, e.zhang, 82, 90) // hr performance history, as assessment writes it
	e.perf(nopTB{}, e.wang, 76)

	zhang, err := svc.AddSuccessor(hrCtx, succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.zhang.ID,
		Readiness: succession.Ready1To2Years, PlanID: "plan-zhang-2026", Reason: "2026 talent review"})
	if err != nil {
		panic(err)
	}
	if _, err := svc.AddSuccessor(hrCtx, succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.wang.ID,
		Readiness: succession.ReadyNow, Emergency: true}); err != nil {
		panic(err)
	}
	// The incumbent cannot succeed themselves.
	_, err = svc.AddSuccessor(hrCtx, succession.SuccessorParams{PositionID: e.director.ID, EmployeeID: e.head.ID,
		Readiness: succession.ReadyNow})
	fmt.Println("the incumbent refused:", errors.Is(err, succession.ErrIncumbent))

	// HR's scale gets a half-year step; Zhang San moves onto it.
	sc, _ := svc.Scale(hrCtx)
	levels := append(sc.Levels[:1:1], succession.ReadinessLevel{Key: "ready_6_months", Label: "Within half a year", Months: 6})
	if _, err := svc.SetScale(hrCtx, append(levels, sc.Levels[1:]...), sc.Version); err != nil {
		panic(err)
	}
	if _, err := svc.UpdateSuccessor(hrCtx, zhang.ID, succession.SuccessorUpdate{Readiness: "ready_6_months", Rank: zhang.Rank,
		PlanID: zhang.PlanID, Reason: "finished the key-account training"}, zhang.Version); err != nil {
		panic(err)
	}

	rep, err := svc.PositionReport(e.as["head"], e.director.ID)
	if err != nil {
		panic(err)
	}
	for _, l := range rep.Successors {
		fmt.Println(l.Summary())
	}
	cov, err := svc.Coverage(hrCtx)
	if err != nil {
		panic(err)
	}
	fmt.Printf("critical positions %d, ready now %.0f%%, without successor %d, flight risks %d\n",
		cov.CriticalPositions, 100*cov.ReadyNowShare, len(cov.WithoutSuccessor), len(cov.FlightRisks))

	// The Sales head rates potential; the 9-box places both successors.
	for emp, p := range map[string]succession.Potential{e.zhang.ID: succession.PotentialHigh, e.wang.ID: succession.PotentialMedium} {
		if _, err := svc.RatePotential(e.as["head"], emp, p, "talent review", 0); err != nil {
			panic(err)
		}
	}
	g, err := svc.NineBox(e.as["head"], e.sales.ID, succession.BoxOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("high performance, high potential:", g.Cells[succession.High][succession.High][0].Name)
	fmt.Println("mid performance, medium potential:", g.Cells[succession.Mid][succession.Mid][0].Name)
	var svg strings.Builder
	if err := succession.WriteSVG(&svg, g, succession.SVGLabels{}); err != nil { // the web UI embeds this
		panic(err)
	}
	fmt.Println("SVG boxes:", strings.Count(svg.String(), `<g class="box"`))
	// Output:
	// the incumbent refused: true
	// Zhang San, Sales supervisor, score 90, ready in about 6 months
	// 王丽, score 76, ready now
	// critical positions 2, ready now 50%, without successor 1, flight risks 1
	// high performance, high potential: Zhang San
	// mid performance, medium potential: 王丽
	// SVG boxes: 9
}
