package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/app"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClockedDemo(t *testing.T, db *storage.DB, clk ballast.Clock, getenv func(string) string) *app.App {
	t.Helper()
	a, err := app.New(db, app.Options{PasswordIterations: auth.MinIterations, Logger: slog.New(slog.DiscardHandler), Clock: clk, Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	ctx := context.Background()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SeedDemoIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReconcile_DailySnapshotOncePerDayAndOverdueQuestionsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := &clock{t: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)} // 10:00 in Shanghai
		a := newClockedDemo(t, db, clk, nil)
		ctx := context.Background()
		type counts struct{ snapshots, overdue int }
		run := func() counts {
			t.Helper()
			rep, err := a.Reconcile(ctx)
			if err != nil {
				t.Fatalf("Reconcile: %v", err)
			}
			if rep.Tenants != 1 {
				t.Errorf("visited %d tenants, want 1", rep.Tenants)
			}
			return counts{rep.Snapshots, rep.Channel.OverdueQuestions}
		}
		for i, want := range []counts{{1, 0}, {0, 0}} {
			if got := run(); got != want {
				t.Errorf("run %d on the seed day = %+v, want %+v", i, got, want)
			}
		}
		// Four days later: a new day's snapshot, and 李娜's question is
		// overdue (three days by default), notified to HR once however
		// often Reconcile runs.
		clk.add(4 * 24 * time.Hour)
		for i, want := range []counts{{1, 1}, {0, 1}} {
			if got := run(); got != want {
				t.Errorf("run %d four days later = %+v, want %+v", i, got, want)
			}
		}
		msgs, err := a.Outbox.List(ctx, demo.TenantID, notify.Filter{Kind: "channel.question.overdue"})
		if err != nil || len(msgs) != 1 {
			t.Errorf("overdue notifications = %d (%v), want 1", len(msgs), err)
		}
		sys := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: demo.TenantID, Subject: "test", Kind: ballast.KindSystem})
		page, err := a.Customers.Snapshots(sys, customers.SnapshotFilter{Tenant: true})
		if err != nil {
			t.Fatal(err)
		}
		var days []string
		for _, s := range page.Snapshots {
			days = append(days, s.Day)
		}
		// The seed's own snapshot (taken on demand, no day) and two daily ones.
		if strings.Join(days, ",") != "2026-11-29,2026-11-25," {
			t.Errorf("snapshot days = %q", days)
		}
	})
}

func TestNotifierFromEnv_ConfiguresAdaptersOrRefuses(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	log := slog.New(slog.DiscardHandler)
	tests := []struct {
		name    string
		getenv  func(string) string
		wantErr string // a substring of the error; "" for none
		check   func(t *testing.T, n notify.Notifier)
	}{
		{name: "nothing set logs", getenv: env(), check: func(t *testing.T, n notify.Notifier) {
			if _, ok := n.(notify.LogNotifier); !ok {
				t.Errorf("notifier = %T, want the log notifier", n)
			}
		}},
		{name: "no environment at all logs", getenv: nil, check: func(t *testing.T, n notify.Notifier) {
			if _, ok := n.(notify.LogNotifier); !ok {
				t.Errorf("notifier = %T, want the log notifier", n)
			}
		}},
		{name: "a WeCom webhook URL", getenv: env(app.EnvWeComWebhook, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123"),
			check: func(t *testing.T, n notify.Notifier) {
				r, ok := n.(notify.Router)
				if !ok {
					t.Fatalf("notifier = %T, want a router", n)
				}
				if w, ok := r.Default.(notify.WeCom); !ok || w.Key != "k-123" || w.BaseURL != "" {
					t.Errorf("default = %#v, want WeCom with the key", r.Default)
				}
			}},
		{name: "SMTP first, DingTalk by name", getenv: env(app.EnvSMTPAddr, "mail.example.com:587", app.EnvSMTPFrom, "hr@example.com",
			app.EnvDingTalkToken, "tok", app.EnvDingTalkSecret, "SECxyz", app.EnvNotifyDefault, "dingtalk"),
			check: func(t *testing.T, n notify.Notifier) {
				r := n.(notify.Router)
				if _, ok := r.Default.(notify.DingTalk); !ok {
					t.Errorf("default = %T, want DingTalk", r.Default)
				}
				if _, ok := r.Routes["email"].(notify.SMTP); !ok {
					t.Errorf("routes = %v, want email among them", r.Routes)
				}
			}},
		{name: "SMTP without a sender", getenv: env(app.EnvSMTPAddr, "mail.example.com:587"), wantErr: app.EnvSMTPFrom},
		{name: "DingTalk without its secret", getenv: env(app.EnvDingTalkToken, "tok"), wantErr: app.EnvDingTalkSecret},
		{name: "a WeCom URL without a key", getenv: env(app.EnvWeComWebhook, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"), wantErr: app.EnvWeComWebhook},
		{name: "a default that is not configured", getenv: env(app.EnvWeComWebhook, "k", app.EnvNotifyDefault, "email"), wantErr: app.EnvNotifyDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := app.NotifierFromEnv(tt.getenv, db, nil, log)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, n)
		})
	}
}

// TestNotify_WeComRobotReceivesTheDemoAnnouncements wires a WeCom robot
// through the environment and dispatches the outbox: the robot receives the
// demo company's announcement notifications as markdown messages.
func TestNotify_WeComRobotReceivesTheDemoAnnouncements(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		if r.URL.Path != "/cgi-bin/webhook/send" || r.URL.Query().Get("key") != "robot-key" || json.Unmarshal(body, &m) != nil || m.MsgType != "markdown" {
			t.Errorf("robot got %s %s %s", r.Method, r.URL, body)
		}
		posts.Add(1)
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer robot.Close()
	db := dbtest.Open(t, "sqlite")
	clk := &clock{t: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	a := newClockedDemo(t, db, clk, func(k string) string {
		if k == app.EnvWeComWebhook {
			return robot.URL + "/cgi-bin/webhook/send?key=robot-key"
		}
		return ""
	})
	n, err := a.Outbox.DispatchOnce(context.Background(), clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || int(posts.Load()) != n {
		t.Errorf("delivered %d, robot received %d; want the same, more than none", n, posts.Load())
	}
}
