package multirater_test

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// The collaborators the Service declares are satisfied by the real ones.
var (
	_ multirater.Authorizer = (*access.Enforcer)(nil)
	_ multirater.Directory  = hr.Store(nil)
	_ multirater.Auditor    = (*audit.Log)(nil)
	_ multirater.Outbox     = (*notify.Outbox)(nil)
	_ multirater.Store      = (*storage.DB)(nil).Multirater()
)

// Example runs a 360 round for 王丽 on an in-memory database: HR creates
// it (self, manager and direct reports come from the org chart), 王丽
// nominates three peers and her manager approves them, everyone answers,
// HR closes the round and 王丽 reads her report. Two of her three direct
// reports answered, fewer than the threshold of three, so that group is
// not in the report at all.
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
	svc := e.svc

	r, err := svc.CreateRound(e.as["hr"], multirater.RoundParams{CycleID: cycleID, Name: "2026 year-end 360",
		Questionnaire: questionnaire(), NominationDue: hr.NewDate(2026, 12, 4), ResponseDue: hr.NewDate(2026, 12, 18),
		Reviewees: []string{e.reviewee.ID}})
	if err != nil {
		panic(err)
	}
	ns, err := svc.Nominate(e.as["reviewee"], multirater.NominateParams{RoundID: r.ID, RevieweeID: e.reviewee.ID,
		Group: multirater.GroupPeer, RaterIDs: []string{e.peers[0].ID, e.peers[1].ID, e.peers[2].ID}})
	if err != nil {
		panic(err)
	}
	for _, n := range ns {
		if _, err := svc.DecideNomination(e.as["manager"], n.ID, true, "", n.Version); err != nil {
			panic(err)
		}
	}
	if r, err = svc.OpenRound(e.as["hr"], r.ID, r.Version); err != nil {
		panic(err)
	}
	answer := func(who hr.Employee, lead, comm int, comment string) {
		ctx := e.ctxOf(nopTB{}, who)
		as, _ := svc.MyAssignments(ctx, r.ID)
		for _, a := range as {
			if a.RevieweeID != e.reviewee.ID {
				continue
			}
			ans := multirater.Answers{Scores: map[string]int{"L1": lead, "L2": lead, "C1": comm}}
			if comment != "" {
				ans.Comments = map[string]string{"LEAD": comment}
			}
			if _, err := svc.Submit(ctx, a.ID, ans); err != nil {
				panic(err)
			}
		}
	}
	answer(e.reviewee, 5, 2, "")
	answer(e.manager, 4, 4, "")
	answer(e.peers[0], 3, 5, "sets clear goals")
	answer(e.peers[1], 3, 4, "")
	answer(e.peers[2], 3, 4, "could delegate more")
	answer(e.reports[0], 1, 1, "")
	answer(e.reports[1], 1, 1, "")

	if _, err := svc.Report(e.as["reviewee"], r.ID, e.reviewee.ID); err != nil {
		fmt.Println("before closing:", err != nil)
	}
	if r, err = svc.CloseRound(e.as["hr"], r.ID, r.Version); err != nil {
		panic(err)
	}
	rep, err := svc.Report(e.as["reviewee"], r.ID, e.reviewee.ID)
	if err != nil {
		panic(err)
	}
	for _, g := range rep.Groups {
		fmt.Printf("%s: %d response(s), %.0f/100\n", g.Group, g.Responses, g.Score)
	}
	for _, d := range rep.Dimensions {
		fmt.Printf("%s: self %.1f, others %.2f\n", d.Code, *d.Self, *d.Others)
	}
	fmt.Printf("overall %.1f/100, blind spots %v, hidden strengths %v\n", *rep.OverallScore, rep.BlindSpots, rep.HiddenStrengths)
	fmt.Println("comments:", len(rep.Comments))
	scores, _ := svc.DimensionScores(e.as["hr"], cycleID, e.reviewee.ID)
	fmt.Printf("360 dimension scores for the assessment core: LEAD %.1f, COMM %.1f\n", scores["LEAD"], scores["COMM"])
	// Output:
	// before closing: true
	// self: 1 response(s), 75/100
	// manager: 1 response(s), 75/100
	// peer: 3 response(s), 61/100
	// LEAD: self 5.0, others 3.25
	// COMM: self 2.0, others 4.25
	// overall 68.8/100, blind spots [LEAD], hidden strengths [COMM]
	// comments: 2
	// 360 dimension scores for the assessment core: LEAD 56.2, COMM 81.2
}
