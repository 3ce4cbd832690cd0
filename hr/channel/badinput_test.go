package channel_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// counts returns the number of rows of every table a channel use case may
// write.
func counts(t *testing.T, db *storage.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"ballast_channel_announcements", "ballast_channel_recipients",
		"ballast_channel_questions", "ballast_channel_messages", "ballast_channel_feedback",
		"ballast_channel_feedback_messages", "ballast_notify_messages", "ballast_audit_entries"} {
		var n int
		if err := db.Bun().NewRaw("SELECT count(*) FROM "+table).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func fieldsOf(err error) []string {
	var v *ballast.ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestBadInput_GetsATypedErrorAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		a := e.published(t, "Policy", channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.sales.ID}})
		q, err := e.svc.Ask(o.wang.ctx, a.ID, "A question")
		if err != nil {
			t.Fatal(err)
		}
		sub, err := e.svc.SubmitFeedback(o.li.ctx, channel.FeedbackParams{Body: "feedback"})
		if err != nil {
			t.Fatal(err)
		}
		nobody := e.user(t, "no-role-"+ballast.NewID(), "")
		draft, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: "Nobody", Body: "x",
			Audience: channel.Audience{Kind: channel.AudienceEmployees, EmployeeIDs: []string{o.wang.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		e.depart(t, o.wang.Employee) // the draft's only recipient leaves
		other := newEnv(t, db)       // a second tenant on the same database
		otherSub, err := other.svc.SubmitFeedback(other.hrCtx, channel.FeedbackParams{Body: "elsewhere"})
		if err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("字", channel.MaxMessage+1)
		unknown := ballast.NewID()

		for _, tc := range []struct {
			name   string
			call   func() error
			kind   error
			fields []string
		}{
			{"announcement without title or body", func() error {
				_, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: " ", Audience: channel.Audience{Kind: channel.AudienceAll}})
				return err
			}, ballast.ErrInvalid, []string{"title", "body"}},
			{"announcement with a too-long body and an unknown audience kind", func() error {
				_, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: "T",
					Body: strings.Repeat("x", channel.MaxBody+1), Audience: channel.Audience{Kind: "team"}})
				return err
			}, ballast.ErrInvalid, []string{"body", "audience.kind"}},
			{"announcement to unknown and duplicate departments", func() error {
				_, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: "T", Body: "B",
					Audience: channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{unknown, o.ops.ID, o.ops.ID, "x"}}})
				return err
			}, ballast.ErrInvalid, []string{"audience.department_ids[2]", "audience.department_ids[3]", "audience.department_ids[0]"}},
			{"announcement to a departed and an unknown employee", func() error {
				_, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: "T", Body: "B",
					Audience: channel.Audience{Kind: channel.AudienceEmployees, EmployeeIDs: []string{o.gone.ID, unknown}}})
				return err
			}, ballast.ErrInvalid, []string{"audience.employee_ids[0]", "audience.employee_ids[1]"}},
			{"announcement by an employee", func() error {
				_, err := e.svc.CreateAnnouncement(o.li.ctx, channel.AnnouncementParams{Title: "T", Body: "B", Audience: channel.Audience{Kind: channel.AudienceAll}})
				return err
			}, ballast.ErrForbidden, nil},
			{"publishing an unknown announcement", func() error {
				_, err := e.svc.PublishAnnouncement(e.hrCtx, unknown, 1)
				return err
			}, ballast.ErrNotFound, nil},
			{"publishing to nobody left", func() error {
				_, err := e.svc.PublishAnnouncement(e.hrCtx, draft.ID, draft.Version)
				return err
			}, ballast.ErrInvalid, []string{"audience"}},
			{"marking an unknown announcement read", func() error {
				_, err := e.svc.MarkRead(o.li.ctx, unknown)
				return err
			}, ballast.ErrNotFound, nil},
			{"marking read as a non-recipient", func() error {
				_, err := e.svc.MarkRead(o.zhao.ctx, a.ID)
				return err
			}, channel.ErrNotRecipient, nil},
			{"an empty question", func() error {
				_, err := e.svc.Ask(o.li.ctx, a.ID, " \n ")
				return err
			}, ballast.ErrInvalid, []string{"body"}},
			{"a too-long question", func() error {
				_, err := e.svc.Ask(o.li.ctx, a.ID, long)
				return err
			}, ballast.ErrInvalid, []string{"body"}},
			{"a question on an unknown announcement", func() error {
				_, err := e.svc.Ask(o.li.ctx, unknown, "Hello?")
				return err
			}, ballast.ErrNotFound, nil},
			{"a question by a non-recipient", func() error {
				_, err := e.svc.Ask(o.zhao.ctx, a.ID, "Hello?")
				return err
			}, channel.ErrNotRecipient, nil},
			{"answering without permission", func() error {
				_, err := e.svc.Reply(nobody, q.ID, "An answer")
				return err
			}, channel.ErrNotAsker, nil},
			{"answering as another employee", func() error {
				_, err := e.svc.Reply(o.li.ctx, q.ID, "An answer")
				return err
			}, ballast.ErrForbidden, nil},
			{"a too-long answer", func() error {
				_, err := e.svc.Reply(e.hrCtx, q.ID, long)
				return err
			}, ballast.ErrInvalid, []string{"body"}},
			{"feedback without text", func() error {
				_, err := e.svc.SubmitFeedback(o.li.ctx, channel.FeedbackParams{Category: "gossip"})
				return err
			}, ballast.ErrInvalid, []string{"category", "body"}},
			{"too-long feedback", func() error {
				_, err := e.svc.SubmitFeedback(o.li.ctx, channel.FeedbackParams{Body: long})
				return err
			}, ballast.ErrInvalid, []string{"body"}},
			{"feedback without feedback:submit", func() error {
				_, err := e.svc.SubmitFeedback(nobody, channel.FeedbackParams{Body: "hi"})
				return err
			}, ballast.ErrForbidden, nil},
			{"an unknown follow-up code", func() error {
				_, err := e.svc.FeedbackByCode(e.sys, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
				return err
			}, channel.ErrUnknownCode, nil},
			{"a malformed follow-up code", func() error {
				_, err := e.svc.FeedbackByCode(e.sys, "' OR 1=1 --")
				return err
			}, ballast.ErrNotFound, nil},
			{"another tenant's follow-up code", func() error {
				_, err := e.svc.FeedbackByCode(e.sys, otherSub.Code)
				return err
			}, ballast.ErrNotFound, nil},
			{"a follow-up with an unknown code", func() error {
				_, err := e.svc.ReplyByCode(e.sys, strings.ToLower(otherSub.Code), "more")
				return err
			}, channel.ErrUnknownCode, nil},
			{"an empty follow-up", func() error {
				_, err := e.svc.ReplyByCode(e.sys, sub.Code, "")
				return err
			}, ballast.ErrInvalid, []string{"body"}},
			{"too many tags", func() error {
				tags := make([]string, channel.MaxTags+1)
				for i := range tags {
					tags[i] = fmt.Sprint("t", i)
				}
				_, err := e.svc.TagFeedback(e.hrCtx, sub.Feedback.ID, tags, sub.Feedback.Version)
				return err
			}, ballast.ErrInvalid, []string{"tags"}},
			{"an HR reply by an employee", func() error {
				_, err := e.svc.ReplyFeedback(o.li.ctx, sub.Feedback.ID, "I am HR now")
				return err
			}, ballast.ErrForbidden, nil},
			{"tagging with a stale version", func() error {
				_, err := e.svc.TagFeedback(e.hrCtx, sub.Feedback.ID, []string{"x"}, sub.Feedback.Version+1)
				return err
			}, ballast.ErrConflict, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := counts(t, db)
				err := tc.call()
				if !errors.Is(err, tc.kind) {
					t.Fatalf("error = %v, want %v", err, tc.kind)
				}
				if diff := cmp.Diff(tc.fields, fieldsOf(err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(before, counts(t, db)); diff != "" {
					t.Errorf("rows changed (-before +after):\n%s", diff)
				}
			})
		}
	})
}
