package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/multirater"
)

// The multirater suite's tests of drafts, responses, their aggregation and
// the recipients of reminders.

func testMRDrafts(t *testing.T, w mrWorld) {
	ctx := context.Background()
	mt := w.a
	r := mrSetup(t, w, mt)
	a := mrAssign(r, mt.x, mt.y, multirater.GroupPeer, multirater.StatusOpen)
	offMust(t, w.s.InsertAssignments(ctx, mt.id, []multirater.Assignment{a}))
	d, err := w.s.Draft(ctx, mt.id, a.ID)
	offMust(t, err)
	if d.Scores != nil || d.Comments != nil {
		t.Errorf("no draft yet: %+v", d)
	}
	ans := multirater.Answers{Scores: map[string]int{"L1": 4}, Comments: map[string]string{"LEAD": "clear goals"}}
	offMust(t, w.s.PutDraft(ctx, mt.id, a.ID, ans))
	d, err = w.s.Draft(ctx, mt.id, a.ID)
	offMust(t, err)
	if diff := cmp.Diff(ans, d); diff != "" {
		t.Errorf("draft (-want +got):\n%s", diff)
	}
	offMust(t, w.s.PutDraft(ctx, mt.id, a.ID, multirater.Answers{}))
	d, err = w.s.Draft(ctx, mt.id, a.ID)
	offMust(t, err)
	if d.Scores != nil {
		t.Errorf("cleared draft: %+v", d)
	}
	offIs(t, "draft of an unknown assignment", w.s.PutDraft(ctx, mt.id, ballast.NewID(), ans), ballast.ErrNotFound)
	_, err = w.s.Draft(ctx, mt.id, ballast.NewID())
	offIs(t, "read of an unknown assignment", err, ballast.ErrNotFound)
}

// mrResponse is a response of g on x with scores l1, l2 (LEAD) and c1 (COMM).
func mrResponse(r multirater.Round, reviewee string, g multirater.Group, l1, l2, c1 int, comment string) multirater.Response {
	resp := multirater.Response{ID: ballast.NewID(), RoundID: r.ID, RevieweeID: reviewee, Group: g, Scores: []multirater.Score{
		{Question: "L1", Dimension: "LEAD", Value: l1}, {Question: "L2", Dimension: "LEAD", Value: l2}, {Question: "C1", Dimension: "COMM", Value: c1}}}
	if comment != "" {
		resp.Comments = []multirater.Comment{{ID: ballast.NewID(), Dimension: "LEAD", Group: g, Text: comment}}
	}
	return resp
}

func testMRResponses(t *testing.T, w mrWorld) {
	ctx := context.Background()
	mt := w.a
	r := mrSetup(t, w, mt)
	self := mrResponse(r, mt.x.ID, multirater.GroupSelf, 5, 5, 4, "I lead well")
	self.RaterID = mt.x.ID
	for _, resp := range []multirater.Response{
		self,
		mrResponse(r, mt.x.ID, multirater.GroupPeer, 3, 4, 2, "p1"),
		mrResponse(r, mt.x.ID, multirater.GroupPeer, 2, 2, 5, ""),
		mrResponse(r, mt.x.ID, multirater.GroupPeer, 4, 3, 3, "p3"),
		mrResponse(r, mt.boss.ID, multirater.GroupDirectReport, 1, 2, 3, "dr"),
	} {
		offMust(t, w.s.InsertResponse(ctx, mt.id, resp))
	}
	offIs(t, "a response on a non-reviewee", w.s.InsertResponse(ctx, mt.id, mrResponse(r, mt.z.ID, multirater.GroupPeer, 1, 1, 1, "")), ballast.ErrConflict)
	var got []multirater.ScoreTotal
	offMust(t, w.s.ScoreTotals(ctx, mt.id, r.ID, "", func(x multirater.ScoreTotal) error { got = append(got, x); return nil }))
	bossFirst := mt.boss.ID < mt.x.ID
	xs := []multirater.ScoreTotal{
		{RevieweeID: mt.x.ID, Group: multirater.GroupPeer, Dimension: "COMM", Sum: 10, N: 3},
		{RevieweeID: mt.x.ID, Group: multirater.GroupPeer, Dimension: "LEAD", Sum: 18, N: 6},
		{RevieweeID: mt.x.ID, Group: multirater.GroupSelf, Dimension: "COMM", Sum: 4, N: 1},
		{RevieweeID: mt.x.ID, Group: multirater.GroupSelf, Dimension: "LEAD", Sum: 10, N: 2},
	}
	bs := []multirater.ScoreTotal{
		{RevieweeID: mt.boss.ID, Group: multirater.GroupDirectReport, Dimension: "COMM", Sum: 3, N: 1},
		{RevieweeID: mt.boss.ID, Group: multirater.GroupDirectReport, Dimension: "LEAD", Sum: 3, N: 2},
	}
	want := append(slices.Clone(xs), bs...)
	if bossFirst {
		want = append(slices.Clone(bs), xs...)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("totals ordered by reviewee, group, dimension (-want +got):\n%s", d)
	}
	got = nil
	offMust(t, w.s.ScoreTotals(ctx, mt.id, r.ID, mt.boss.ID, func(x multirater.ScoreTotal) error { got = append(got, x); return nil }))
	if d := cmp.Diff(bs, got); d != "" {
		t.Errorf("one reviewee's totals (-want +got):\n%s", d)
	}
	stop := errors.New("stop")
	n := 0
	if err := w.s.ScoreTotals(ctx, mt.id, r.ID, "", func(multirater.ScoreTotal) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn's error stops the stream: err %v after %d rows", err, n)
	}

	cs, err := w.s.Comments(ctx, mt.id, r.ID, mt.x.ID, []multirater.Group{multirater.GroupPeer})
	offMust(t, err)
	var texts []string
	for _, c := range cs {
		if c.RaterID != "" || c.Group != multirater.GroupPeer || c.Dimension != "LEAD" {
			t.Errorf("peer comment %+v: want group peer, dimension LEAD, no rater", c)
		}
		texts = append(texts, c.Text)
	}
	slices.Sort(texts)
	if d := cmp.Diff([]string{"p1", "p3"}, texts); d != "" {
		t.Errorf("peer comments (-want +got):\n%s", d)
	}
	if !slices.IsSortedFunc(cs, func(a, b multirater.Comment) int { return cmpStr(a.ID, b.ID) }) {
		t.Errorf("comments are not in ID order")
	}
	cs, err = w.s.Comments(ctx, mt.id, r.ID, mt.x.ID, []multirater.Group{multirater.GroupSelf, multirater.GroupPeer})
	offMust(t, err)
	if len(cs) != 3 || cs[2].Group != multirater.GroupSelf || cs[2].RaterID != mt.x.ID {
		t.Errorf("self comment last (group order) with its rater: %+v", cs)
	}
	cs, err = w.s.Comments(ctx, mt.id, r.ID, mt.x.ID, nil)
	offMust(t, err)
	if len(cs) != 0 {
		t.Errorf("no groups, no comments: %+v", cs)
	}
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testMRRecipients(t *testing.T, w mrWorld) {
	ctx := context.Background()
	mt := w.a
	r := mrSetup(t, w, mt)
	offMust(t, w.s.InsertAssignments(ctx, mt.id, []multirater.Assignment{
		mrAssign(r, mt.x, mt.y, multirater.GroupPeer, multirater.StatusOpen),
		mrAssign(r, mt.boss, mt.y, multirater.GroupDirectReport, multirater.StatusOpen),
		mrAssign(r, mt.x, mt.z, multirater.GroupPeer, multirater.StatusOpen),
		mrAssign(r, mt.x, mt.x, multirater.GroupSelf, multirater.StatusSubmitted),
		mrAssign(r, mt.x, mt.boss, multirater.GroupOther, multirater.StatusPending),
		mrAssign(r, mt.boss, mt.z, multirater.GroupPeer, multirater.StatusPending),
	}))
	raters := sortedIDs(mt.y.ID, mt.z.ID)
	got, err := w.s.OpenRaters(ctx, mt.id, r.ID, "", 1)
	offMust(t, err)
	if d := cmp.Diff(raters[:1], got); d != "" {
		t.Errorf("open raters page 1 (-want +got):\n%s", d)
	}
	got, err = w.s.OpenRaters(ctx, mt.id, r.ID, raters[0], 10)
	offMust(t, err)
	if d := cmp.Diff(raters[1:], got); d != "" {
		t.Errorf("open raters page 2 (-want +got):\n%s", d)
	}
	got, err = w.s.PendingApprovers(ctx, mt.id, r.ID, "", 10)
	offMust(t, err)
	if d := cmp.Diff([]string{mt.boss.ID}, got); d != "" {
		t.Errorf("approvers, reviewees without a manager left out (-want +got):\n%s", d)
	}
}
