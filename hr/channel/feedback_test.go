package channel_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestFeedback_HRWorksTheItemAndTheSubmitterFollowsUpByCode(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		e.clock.Set(time.Date(2026, 11, 25, 17, 30, 0, 0, time.UTC)) // 01:30 on the 26th in Shanghai
		sub, err := e.svc.SubmitFeedback(o.li.ctx, channel.FeedbackParams{Category: channel.CategoryManagement,
			Body: "My team lead takes credit for <b>our</b> deals."})
		if err != nil {
			t.Fatal(err)
		}
		if len(sub.Code) != 39 || strings.Count(sub.Code, "-") != 7 {
			t.Errorf("code %q is not 8 groups of 4", sub.Code)
		}
		if sub.Feedback.Day != hr.NewDate(2026, 11, 26) {
			t.Errorf("day = %v, want the tenant's calendar day 2026-11-26", sub.Feedback.Day)
		}

		f, err := e.svc.TagFeedback(e.hrCtx, sub.Feedback.ID, []string{" sales ", "credit", "sales"}, sub.Feedback.Version)
		if err != nil {
			t.Fatal(err)
		}
		f, err = e.svc.AssignFeedback(e.hrCtx, f.ID, e.hrID, f.Version)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ReplyFeedback(e.hrCtx, f.ID, "Thank you. Can you tell us which deals?"); err != nil {
			t.Fatal(err)
		}
		f, err = e.svc.ResolveFeedback(e.hrCtx, f.ID, f.Version)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.ResolveFeedback(e.hrCtx, f.ID, f.Version)
		wantErr(t, "resolve twice", err, channel.ErrState)

		// The submitter reads the reply with the code as typed by hand, and
		// does not see HR's tags, assignee or names.
		typed := strings.ToLower(strings.ReplaceAll(sub.Code, "-", " "))
		mine, err := e.svc.FeedbackByCode(e.sys, typed)
		if err != nil {
			t.Fatal(err)
		}
		if mine.Tags != nil || mine.AssigneeID != "" || len(mine.Messages) != 1 || mine.Messages[0].AuthorID != "" || !mine.Messages[0].FromHR {
			t.Errorf("submitter sees %+v", mine)
		}
		// Their follow-up reopens the item.
		mine, err = e.svc.ReplyByCode(e.sys, sub.Code, "The Huadong account in October.")
		if err != nil {
			t.Fatal(err)
		}
		if mine.Status != channel.FeedbackOpen || len(mine.Messages) != 2 || mine.Messages[1].Seq != 2 || mine.Messages[1].FromHR {
			t.Errorf("after the follow-up: %+v", mine)
		}
		full, err := e.svc.Feedback(e.hrCtx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := channel.Feedback{ID: f.ID, Category: channel.CategoryManagement, Body: "My team lead takes credit for <b>our</b> deals.",
			Day: hr.NewDate(2026, 11, 26), Status: channel.FeedbackOpen, Tags: []string{"credit", "sales"}, AssigneeID: e.hrID, Version: 5,
			Messages: []channel.FeedbackMessage{
				{ID: full.Messages[0].ID, FeedbackID: f.ID, Seq: 1, FromHR: true, AuthorID: e.hrID, Body: "Thank you. Can you tell us which deals?", Day: hr.NewDate(2026, 11, 26)},
				{ID: full.Messages[1].ID, FeedbackID: f.ID, Seq: 2, Body: "The Huadong account in October.", Day: hr.NewDate(2026, 11, 26)},
			}}
		if diff := cmp.Diff(want, full); diff != "" {
			t.Errorf("feedback (-want +got):\n%s", diff)
		}
		// HR's actions are audited; the submission and the follow-up are not.
		wantActions := []string{"channel.feedback.tag", "channel.feedback.assign", "channel.feedback.reply", "channel.feedback.resolve"}
		if diff := cmp.Diff(wantActions, e.actions(t)); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
		if got := e.messages(t, "channel.feedback.assigned"); len(got) != 1 || got[0].Recipients[0] != e.hrID {
			t.Errorf("assignee notified = %+v", got)
		}
		// Listings filter by tag, status and assignee.
		for _, tc := range []struct {
			f    channel.FeedbackFilter
			want int
		}{
			{channel.FeedbackFilter{}, 1},
			{channel.FeedbackFilter{Tag: "sales"}, 1},
			{channel.FeedbackFilter{Tag: "sale"}, 0},
			{channel.FeedbackFilter{Status: channel.FeedbackResolved}, 0},
			{channel.FeedbackFilter{AssigneeID: e.hrID, Category: channel.CategoryManagement}, 1},
		} {
			page, err := e.svc.ListFeedback(e.hrCtx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != tc.want {
				t.Errorf("ListFeedback(%+v) = %d items, want %d", tc.f, len(page.Items), tc.want)
			}
		}
		_, err = e.svc.ListFeedback(o.li.ctx, channel.FeedbackFilter{})
		wantErr(t, "employee lists feedback", err, ballast.ErrForbidden)
	})
}

func TestFeedback_ListPagesByDayThenRandomID(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		want := map[string]bool{}
		for i := range 7 {
			e.clock.Set(t0.Add(time.Duration(i) * 20 * time.Hour))
			sub, err := e.svc.SubmitFeedback(o.wang.ctx, channel.FeedbackParams{Body: "item"})
			if err != nil {
				t.Fatal(err)
			}
			want[sub.Feedback.ID] = true
		}
		got := map[string]bool{}
		var last hr.Date
		f := channel.FeedbackFilter{Limit: 3}
		for {
			page, err := e.svc.ListFeedback(e.hrCtx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				if got[it.ID] {
					t.Errorf("item %s listed twice", it.ID)
				}
				if !last.IsZero() && it.Day.After(last) {
					t.Errorf("day %v after %v", it.Day, last)
				}
				got[it.ID], last = true, it.Day
			}
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("listed (-want +got):\n%s", diff)
		}
	})
}

func TestFeedback_ReconcileSendsOneDigestPerFinishedDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		// 2026-11-25 in Shanghai: two items; the 26th: one follow-up.
		e.clock.Set(time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC))
		a, err := e.svc.SubmitFeedback(o.wang.ctx, channel.FeedbackParams{Body: "one"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SubmitFeedback(o.li.ctx, channel.FeedbackParams{Body: "two"}); err != nil {
			t.Fatal(err)
		}
		// Nothing is sent while the day is running: a notice now would date
		// the submissions.
		if _, err := e.svc.Reconcile(e.sys, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if got := e.messages(t, "channel.feedback.digest"); len(got) != 0 {
			t.Errorf("digest during the day: %+v", got)
		}
		e.clock.Set(time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC))
		if _, err := e.svc.ReplyByCode(e.sys, a.Code, "more"); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := e.svc.Reconcile(e.sys, time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
		got := map[string]string{}
		for _, m := range e.messages(t, "channel.feedback.digest") {
			got[m.IdempotencyKey] = m.Body
		}
		want := map[string]string{
			"feedback:digest:2026-11-25": "2 new anonymous feedback item(s) and 0 follow-up(s) on 2026-11-25.",
			"feedback:digest:2026-11-26": "0 new anonymous feedback item(s) and 1 follow-up(s) on 2026-11-26.",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("digests (-want +got):\n%s", diff)
		}
	})
}
