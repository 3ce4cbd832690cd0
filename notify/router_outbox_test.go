package notify_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// TestRouter_BehindOneOutboxDeliversToEachRobot wires the WeCom and
// DingTalk adapters behind one outbox: each committed message reaches the
// robot of its channel, and a robot's permanent refusal makes the message
// dead at once instead of being retried.
func TestRouter_BehindOneOutboxDeliversToEachRobot(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		wecom, wecomURL := newRobotServer(t)
		ding, dingURL := newRobotServer(t, robotReply{200, `{"errcode":310000,"errmsg":"sign not match"}`})
		now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
		outbox, err := notify.New(notify.Config{Store: db.Notify(), Clock: dingClock{now}, Notifier: notify.Router{
			Routes: map[string]notify.Notifier{
				"wecom":    notify.WeCom{Key: "k", BaseURL: wecomURL, Directory: robotDirectory},
				"dingtalk": notify.DingTalk{AccessToken: "t", Secret: dingSecret, BaseURL: dingURL, Directory: robotDirectory},
			},
		}})
		if err != nil {
			t.Fatal(err)
		}
		tenant := ballast.NewID()
		sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: "reconcile", Kind: ballast.KindSystem})
		err = db.InTx(sys, func(ctx context.Context) error {
			for _, ch := range []string{"wecom", "dingtalk"} {
				m := robotMessage()
				m.ID, m.Tenant, m.Channel, m.IdempotencyKey = "", "", ch, "reminder/"+ch
				if err := outbox.Enqueue(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := outbox.DispatchOnce(ctx, now); err != nil {
			t.Fatal(err)
		}
		if n, m := len(wecom.requests()), len(ding.requests()); n != 1 || m != 1 {
			t.Errorf("robots got %d (wecom) and %d (dingtalk) requests, want 1 each", n, m)
		}
		recs, err := outbox.List(ctx, tenant, notify.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			got = append(got, r.Channel+" "+string(r.Status))
		}
		sort.Strings(got)
		if d := cmp.Diff([]string{"dingtalk dead", "wecom delivered"}, got); d != "" {
			t.Errorf("outbox (-want +got):\n%s", d)
		}
	})
}
