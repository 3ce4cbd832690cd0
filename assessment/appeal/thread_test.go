package appeal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestThread_ParticipantsReplyInOrderOthersFindNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		a := e.file(t, "emp", "res-emp", "revenue")
		var want []appeal.Message
		for _, tc := range []struct {
			who  string
			role appeal.Role
			body string
		}{
			{"mgr", appeal.RoleManager, "The orders were booked on 3 July."},
			{"emp", appeal.RoleEmployee, "The contracts were signed on 28 June; see the CRM."},
			{"hr", appeal.RoleHR, "We are checking with finance."},
		} {
			e.clock.Set(e.clock.Now().Add(time.Minute))
			m, err := e.svc.Reply(e.as[tc.who], a.ID, "  "+tc.body+"\n")
			must(t, err)
			if m.Role != tc.role || m.AuthorID == "" || m.Body != tc.body || !m.CreatedAt.Equal(e.clock.Now()) {
				t.Errorf("%s's reply = %+v", tc.who, m)
			}
			want = append(want, m)
		}
		for _, who := range []string{"emp", "mgr", "hr"} {
			got, err := e.svc.Thread(e.as[who], a.ID)
			must(t, err)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s's thread (-want +got):\n%s", who, d)
			}
			if _, err := e.svc.Appeal(e.as[who], a.ID); err != nil {
				t.Errorf("%s reading the appeal: %v", who, err)
			}
		}
		for _, who := range []string{"emp2", "stranger", "otherHR"} {
			_, err := e.svc.Reply(e.as[who], a.ID, "me too")
			wantErr(t, who+" replying", err, ballast.ErrNotFound)
			_, err = e.svc.Thread(e.as[who], a.ID)
			wantErr(t, who+" reading the thread", err, ballast.ErrNotFound)
			_, err = e.svc.Appeal(e.as[who], a.ID)
			wantErr(t, who+" reading the appeal", err, ballast.ErrNotFound)
		}
		_, err := e.svc.Reply(e.as["emp"], ballast.NewID(), "hello")
		wantErr(t, "replying to a missing appeal", err, ballast.ErrNotFound)
		for _, body := range []string{"", "  \n", strings.Repeat("字", appeal.MaxBodyLen+1)} {
			_, err := e.svc.Reply(e.as["emp"], a.ID, body)
			wantErr(t, "a bad body", err, ballast.ErrInvalid)
		}
		// The other participants hear of each reply; the author does not.
		keys := e.messages(t, appeal.KindReply)
		if len(keys) != 4 { // mgr's → emp; emp's → mgr; hr's → emp, mgr (no handler yet)
			t.Errorf("reply notifications = %v, want 4", keys)
		}
		for _, k := range keys {
			for _, m := range want {
				if strings.Contains(k, m.ID) && strings.HasSuffix(k, "/"+m.AuthorID) {
					t.Errorf("the author of %s was notified of it: %s", m.ID, k)
				}
			}
		}
		if n := len(e.audits(t, appeal.ActionReply)); n != 3 {
			t.Errorf("%d reply audit entries, want 3", n)
		}
		_, err = e.svc.Withdraw(e.as["emp"], a.ID, "", a.Version)
		must(t, err)
		_, err = e.svc.Reply(e.as["hr"], a.ID, "too late")
		wantErr(t, "replying to a withdrawn appeal", err, appeal.ErrClosed)
		got, err := e.svc.Thread(e.as["emp"], a.ID)
		must(t, err)
		if len(got) != 3 {
			t.Errorf("the closed thread has %d replies, want 3", len(got))
		}
	})
}
