package channel_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestQuestions_ArePrivateUntilHRPublishesTheAnsweredThread(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		a := e.published(t, "New commission rules", channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.sales.ID}})

		q, err := e.svc.Ask(o.wang.ctx, a.ID, "  Do the rules apply to existing contracts?  ")
		if err != nil {
			t.Fatal(err)
		}
		if q.AskerID != o.wang.ID || !q.AwaitingHR || len(q.Messages) != 1 || q.Messages[0].Body != "Do the rules apply to existing contracts?" {
			t.Errorf("asked = %+v", q)
		}
		if got := e.messages(t, "channel.question"); len(got) != 1 || got[0].Recipients[0] != channel.DefaultHRRecipient {
			t.Errorf("hr notified = %+v", got)
		}
		// Li, another recipient, does not see the private question.
		if qs, err := e.svc.Questions(o.li.ctx, a.ID); err != nil || len(qs) != 0 {
			t.Errorf("li sees %+v, %v", qs, err)
		}
		_, err = e.svc.Question(o.li.ctx, q.ID)
		wantErr(t, "li reads a private question", err, ballast.ErrNotFound)
		// Li may not write into Wang's thread; HR may not publish it unanswered.
		_, err = e.svc.Reply(o.li.ctx, q.ID, "me too")
		wantErr(t, "li replies in wang's thread", err, channel.ErrNotAsker)
		_, err = e.svc.SetQuestionPublic(e.hrCtx, q.ID, true, q.Version)
		wantErr(t, "publish unanswered", err, channel.ErrState)

		e.clock.Set(t0.Add(time.Hour))
		ans, err := e.svc.Reply(e.hrCtx, q.ID, "Only to contracts signed from January.")
		if err != nil {
			t.Fatal(err)
		}
		if !ans.FromHR || ans.AuthorID != e.hrID {
			t.Errorf("answer = %+v", ans)
		}
		if got := e.messages(t, "channel.answer"); len(got) != 1 || got[0].Recipients[0] != o.wang.ID ||
			got[0].IdempotencyKey != "question:"+q.ID+":answer:"+ans.ID {
			t.Errorf("asker notified = %+v", got)
		}
		q, err = e.svc.Question(e.hrCtx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.AwaitingHR || !q.WaitingSince.IsZero() || !q.AnsweredAt.Equal(t0.Add(time.Hour)) || len(q.Messages) != 2 {
			t.Errorf("after the answer: %+v", q)
		}
		q, err = e.svc.SetQuestionPublic(e.hrCtx, q.ID, true, q.Version)
		if err != nil {
			t.Fatal(err)
		}
		// Now Li sees the Q&A, without the asker's identity; Wang still sees
		// it as theirs.
		qs, err := e.svc.Questions(o.li.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) != 1 || qs[0].AskerID != "" || qs[0].Messages[0].AuthorID != "" || qs[0].Messages[1].AuthorID != e.hrID {
			t.Errorf("li sees %+v", qs)
		}
		mine, err := e.svc.Question(o.wang.ctx, q.ID)
		if err != nil || mine.AskerID != o.wang.ID {
			t.Errorf("wang sees %+v, %v", mine, err)
		}
		// Zhao (Ops) is not a recipient: cannot ask or read.
		_, err = e.svc.Ask(o.zhao.ctx, a.ID, "And Ops?")
		wantErr(t, "non-recipient asks", err, channel.ErrNotRecipient)
		_, err = e.svc.Questions(o.zhao.ctx, a.ID)
		wantErr(t, "non-recipient lists", err, channel.ErrNotRecipient)

		want := []string{"channel.announcement.create", "channel.announcement.publish", "channel.question.ask",
			"channel.question.reply", "channel.question.visibility"}
		if diff := cmp.Diff(want, e.actions(t)); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
	})
}

func TestUnanswered_SurfacesQuestionsWaitingLongerThanNDays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		a := e.published(t, "Office move", channel.Audience{Kind: channel.AudienceAll})
		old, err := e.svc.Ask(o.wang.ctx, a.ID, "Where do I park?")
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Set(t0.Add(2 * 24 * time.Hour))
		answered, err := e.svc.Ask(o.li.ctx, a.ID, "Is there a canteen?")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Reply(e.hrCtx, answered.ID, "Yes, on the 3rd floor."); err != nil {
			t.Fatal(err)
		}
		fresh, err := e.svc.Ask(o.zhao.ctx, a.ID, "When is the move?")
		if err != nil {
			t.Fatal(err)
		}
		ids := func(qs []channel.Question) []string {
			var out []string
			for _, q := range qs {
				out = append(out, q.ID)
			}
			return out
		}
		e.clock.Set(t0.Add(3*24*time.Hour + time.Minute))
		for _, tc := range []struct {
			older time.Duration
			want  []string
		}{
			{0, []string{old.ID}}, // the default: three days
			{24 * time.Hour, []string{old.ID, fresh.ID}},
			{5 * 24 * time.Hour, nil},
		} {
			got, err := e.svc.Unanswered(e.hrCtx, tc.older)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Errorf("Unanswered(%v) (-want +got):\n%s", tc.older, diff)
			}
		}
		_, err = e.svc.Unanswered(o.wang.ctx, 0)
		wantErr(t, "employee lists unanswered", err, ballast.ErrForbidden)

		// Reconcile notifies HR once per overdue question, however often it runs.
		for range 3 {
			rep, err := e.svc.Reconcile(e.sys, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if rep.OverdueQuestions != 1 {
				t.Errorf("report = %+v", rep)
			}
		}
		got := e.messages(t, "channel.question.overdue")
		if len(got) != 1 || got[0].Data["question_id"] != old.ID {
			t.Fatalf("overdue notices = %+v", got)
		}
		// An answer ends the wait; the asker's follow-up starts a new one,
		// which is notified again once it is overdue.
		if _, err := e.svc.Reply(e.hrCtx, old.ID, "Level B2."); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Reply(o.wang.ctx, old.ID, "Is it free?"); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(t0.Add(7 * 24 * time.Hour))
		if _, err := e.svc.Reconcile(e.sys, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, m := range e.messages(t, "channel.question.overdue") {
			keys = append(keys, m.Data["question_id"])
		}
		slices.Sort(keys)
		want := []string{old.ID, old.ID, fresh.ID}
		slices.Sort(want)
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("overdue notices (-want +got):\n%s", diff)
		}
		_, err = e.svc.Reconcile(o.wang.ctx, e.clock.Now())
		wantErr(t, "employee reconciles", err, ballast.ErrForbidden)
	})
}
