package multirater_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// scores are one rater's L1, L2, C1 and LEAD comment.
type scores struct {
	l1, l2, c1 int
	comment    string
}

// reportWorld runs a round on 王丽 in which self, manager, the peers
// and the direct reports answer as given, closes it and returns it.
func reportWorld(t *testing.T, e *env, self, manager scores, peers, reports []scores) multirater.Round {
	t.Helper()
	r := e.createRound(t)
	if len(peers) > 0 {
		e.nominate(t, r, multirater.GroupPeer, e.peers[:len(peers)]...)
	}
	r = e.open(t, r)
	e.answer(t, r, e.reviewee, self.l1, self.l2, self.c1, self.comment)
	e.answer(t, r, e.manager, manager.l1, manager.l2, manager.c1, manager.comment)
	for i, s := range peers {
		e.answer(t, r, e.peers[i], s.l1, s.l2, s.c1, s.comment)
	}
	for i, s := range reports {
		e.answer(t, r, e.reports[i], s.l1, s.l2, s.c1, s.comment)
	}
	return e.close(t, r)
}

func f(x float64) *float64 { return &x }

// anonymised is a report without the IDs that differ between worlds.
func anonymised(rep multirater.Report) multirater.Report {
	rep.RoundID, rep.RevieweeID = "", ""
	for i := range rep.Groups {
		rep.Groups[i].RaterID = ""
	}
	for i := range rep.Comments {
		rep.Comments[i].ID, rep.Comments[i].RaterID = "", ""
	}
	return rep
}

var approx = cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })

func TestReport_AggregatesShownGroupsOnly(t *testing.T) {
	t.Parallel()
	self := scores{5, 5, 1, "I lead well"}
	manager := scores{3, 3, 3, "steady"}
	reports := []scores{{4, 4, 2, "dr-a"}, {4, 4, 2, ""}, {4, 4, 2, "dr-c"}}
	twoPeers := []scores{{1, 1, 1, "peer-a"}, {2, 2, 2, "peer-b"}}
	threePeers := append(twoPeers[:2:2], scores{3, 3, 3, ""})
	// Others without peers: LEAD (3+3 + 3×(4+4)) / 8 = 3.75, COMM (3 + 3×2) / 4 = 2.25.
	hiddenPeers := multirater.Report{CycleID: cycleID, Scale: questionnaire().Scale,
		Groups: []multirater.GroupResult{
			{Group: multirater.GroupSelf, Responses: 1, Mean: 11.0 / 3, Score: (11.0/3 - 1) * 25},
			{Group: multirater.GroupManager, Responses: 1, Mean: 3, Score: 50},
			{Group: multirater.GroupDirectReport, Responses: 3, Mean: 10.0 / 3, Score: (10.0/3 - 1) * 25},
		},
		Dimensions: []multirater.DimensionResult{
			{Code: "LEAD", Name: "Leadership", Groups: map[multirater.Group]float64{multirater.GroupSelf: 5, multirater.GroupManager: 3, multirater.GroupDirectReport: 4},
				Self: f(5), Others: f(3.75), OthersScore: f(68.75), Gap: f(31.25)},
			{Code: "COMM", Name: "Communication", Groups: map[multirater.Group]float64{multirater.GroupSelf: 1, multirater.GroupManager: 3, multirater.GroupDirectReport: 2},
				Self: f(1), Others: f(2.25), OthersScore: f(31.25), Gap: f(-31.25)},
		},
		Overall: f(3), OverallScore: f(50), BlindSpots: []string{"LEAD"}, HiddenStrengths: []string{"COMM"},
		Comments: []multirater.Comment{
			{Dimension: "LEAD", Group: multirater.GroupDirectReport, Text: "dr-a"}, {Dimension: "LEAD", Group: multirater.GroupDirectReport, Text: "dr-c"},
			{Dimension: "LEAD", Group: multirater.GroupManager, Text: "steady"}, {Dimension: "LEAD", Group: multirater.GroupSelf, Text: "I lead well"},
		}}
	// With three peers: LEAD (30 + 12) / 14 = 3, COMM (9 + 6) / 7 = 15/7.
	shownPeers := hiddenPeers
	shownPeers.Groups = []multirater.GroupResult{hiddenPeers.Groups[0], hiddenPeers.Groups[1],
		{Group: multirater.GroupPeer, Responses: 3, Mean: 2, Score: 25}, hiddenPeers.Groups[2]}
	shownPeers.Dimensions = []multirater.DimensionResult{
		{Code: "LEAD", Name: "Leadership", Groups: map[multirater.Group]float64{multirater.GroupSelf: 5, multirater.GroupManager: 3, multirater.GroupPeer: 2, multirater.GroupDirectReport: 4},
			Self: f(5), Others: f(3), OthersScore: f(50), Gap: f(50)},
		{Code: "COMM", Name: "Communication", Groups: map[multirater.Group]float64{multirater.GroupSelf: 1, multirater.GroupManager: 3, multirater.GroupPeer: 2, multirater.GroupDirectReport: 2},
			Self: f(1), Others: f(15.0 / 7), OthersScore: f((15.0/7 - 1) * 25), Gap: f(-(15.0/7 - 1) * 25)},
	}
	shownPeers.Overall = f((3 + 15.0/7) / 2)
	shownPeers.OverallScore = f(((3+15.0/7)/2 - 1) * 25)
	shownPeers.Comments = append(hiddenPeers.Comments[:3:3], multirater.Comment{Dimension: "LEAD", Group: multirater.GroupPeer, Text: "peer-a"},
		multirater.Comment{Dimension: "LEAD", Group: multirater.GroupPeer, Text: "peer-b"}, hiddenPeers.Comments[3])

	for _, tc := range []struct {
		name           string
		peers, reports []scores
		want           multirater.Report
	}{
		{"two peers of three: the peer group is not there at all", twoPeers, reports, hiddenPeers},
		{"no peers: the same report as with two", nil, reports, hiddenPeers},
		{"three peers: shown and counted in others and overall", threePeers, reports, shownPeers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				e := newEnv(t, db)
				r := reportWorld(t, e, self, manager, tc.peers, tc.reports)
				rep, err := e.svc.Report(e.as["reviewee"], r.ID, e.reviewee.ID)
				must(t, err)
				if rep.RoundID != r.ID || rep.RevieweeID != e.reviewee.ID {
					t.Errorf("report of %s/%s", rep.RoundID, rep.RevieweeID)
				}
				// Named groups say who rated; anonymous ones never do.
				for _, g := range rep.Groups {
					want := map[multirater.Group]string{multirater.GroupSelf: e.reviewee.ID, multirater.GroupManager: e.manager.ID}[g.Group]
					if g.RaterID != want {
						t.Errorf("group %s names %q, want %q", g.Group, g.RaterID, want)
					}
				}
				sortComments := cmpopts.SortSlices(func(a, b multirater.Comment) bool {
					return a.Dimension+string(a.Group)+a.Text < b.Dimension+string(b.Group)+b.Text
				})
				if d := cmp.Diff(tc.want, anonymised(rep), approx, sortComments); d != "" {
					t.Errorf("report (-want +got):\n%s", d)
				}
				scoresOf, err := e.svc.DimensionScores(e.as["hr"], cycleID, e.reviewee.ID)
				must(t, err)
				wantScores := map[string]float64{}
				for _, d := range tc.want.Dimensions {
					wantScores[d.Code] = *d.OthersScore
				}
				if d := cmp.Diff(wantScores, scoresOf, approx); d != "" {
					t.Errorf("DimensionScores (-want +got):\n%s", d)
				}
				all, err := e.svc.CycleDimensionScores(e.sys, cycleID)
				must(t, err)
				if d := cmp.Diff(map[string]map[string]float64{e.reviewee.ID: wantScores}, all, approx); d != "" {
					t.Errorf("CycleDimensionScores (-want +got):\n%s", d)
				}
				many, err := e.svc.DimensionScoresMany(e.as["hr"], cycleID, []string{e.reviewee.ID, e.manager.ID})
				must(t, err)
				if d := cmp.Diff(map[string]map[string]float64{e.reviewee.ID: wantScores}, many, approx); d != "" {
					t.Errorf("DimensionScoresMany (-want +got):\n%s", d)
				}
				_, err = e.svc.DimensionScoresMany(e.as["manager"], cycleID, []string{e.reviewee.ID})
				wantErr(t, "a manager reads scores in bulk", err, ballast.ErrForbidden)
				var sums []multirater.Summary
				must(t, e.svc.Results(e.as["hr"], r.ID, func(s multirater.Summary) error { sums = append(sums, s); return nil }))
				if len(sums) != 1 || !cmp.Equal(sums[0].Scores, wantScores, approx) || !cmp.Equal(sums[0].Overall, tc.want.OverallScore, approx) {
					t.Errorf("Results = %+v", sums)
				}
			})
		})
	}
}

func TestReport_ReadByTheRevieweeHerManagerAndHROnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		r := reportWorld(t, e, scores{4, 4, 4, ""}, scores{3, 3, 3, ""}, nil, nil)
		for _, tc := range []struct {
			who  string
			want error
		}{{"reviewee", nil}, {"manager", nil}, {"hr", nil}, {"head", ballast.ErrForbidden}, {"peer0", ballast.ErrForbidden}, {"report0", ballast.ErrForbidden}} {
			_, err := e.svc.Report(e.as[tc.who], r.ID, e.reviewee.ID)
			if tc.want == nil {
				must(t, err)
			} else {
				wantErr(t, tc.who+" reads 王丽's report", err, tc.want)
			}
			_, err = e.svc.DimensionScores(e.as[tc.who], cycleID, e.reviewee.ID)
			if tc.want == nil {
				must(t, err)
			} else {
				wantErr(t, tc.who+" reads 王丽's dimension scores", err, tc.want)
			}
		}
		_, err := e.svc.Report(e.as["hr"], r.ID, e.manager.ID)
		wantErr(t, "not a reviewee", err, ballast.ErrNotFound)
		got, err := e.svc.DimensionScores(e.as["hr"], cycleID, e.manager.ID)
		must(t, err)
		if len(got) != 0 {
			t.Errorf("scores of someone not reviewed: %v", got)
		}
		got, err = e.svc.DimensionScores(e.as["hr"], "01936b2e-0000-7000-8000-0000000000ff", e.reviewee.ID)
		must(t, err)
		if len(got) != 0 {
			t.Errorf("scores of another cycle: %v", got)
		}
		_ = hr.Date{}
	})
}
