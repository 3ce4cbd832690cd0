package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/notify"
)

// dingClock is the outside world's time, fixed.
type dingClock struct{ t time.Time }

func (c dingClock) Now() time.Time { return c.t }

const dingSecret = "SECa1b2c3d4e5f6+/="

// dingExpectedSign computes the signature the way DingTalk's documentation
// does, independently of the adapter.
func dingExpectedSign(timestamp string) string {
	mac := hmac.New(sha256.New, []byte(dingSecret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte("\n"))
	mac.Write([]byte(dingSecret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestDingTalk_PostsSignedMarkdownWithAtUserIDs(t *testing.T) {
	t.Parallel()
	rs, base := newRobotServer(t)
	now := time.Date(2026, 11, 25, 9, 30, 0, 123_000_000, time.UTC)
	d := notify.DingTalk{AccessToken: "tok/en+1", Secret: dingSecret, BaseURL: base, Directory: robotDirectory, Clock: dingClock{now}}
	if err := d.Notify(context.Background(), robotMessage()); err != nil {
		t.Fatal(err)
	}
	got := rs.requests()
	if len(got) != 1 {
		t.Fatalf("%d requests, want 1", len(got))
	}
	ts := "1795599000123"
	want := robotRequest{
		Method: "POST", Path: "/robot/send",
		RawQuery:    "access_token=tok%2Fen%2B1&timestamp=" + ts + "&sign=" + url.QueryEscape(dingExpectedSign(ts)),
		ContentType: "application/json; charset=utf-8",
		Body: `{"msgtype":"markdown","markdown":{"title":"交接提醒","text":"#### 交接提醒\n\n客户交接还剩 **2 天**，请尽快完成。\n\n@manager4711 @0934"},` +
			`"at":{"atUserIds":["manager4711","0934"],"isAtAll":false}}`,
	}
	if d := cmp.Diff(want, got[0]); d != "" {
		t.Errorf("request (-want +got):\n%s", d)
	}
	// The receiver's check: the sign parameter decodes to the HMAC of the
	// timestamp it came with.
	q, err := url.ParseQuery(got[0].RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if !hmac.Equal([]byte(q.Get("sign")), []byte(dingExpectedSign(q.Get("timestamp")))) {
		t.Errorf("sign %q does not match timestamp %q", q.Get("sign"), q.Get("timestamp"))
	}
	if notify.DingTalkSign(dingSecret, ts) != dingExpectedSign(ts) {
		t.Error("DingTalkSign differs from the documented computation")
	}
}

func TestDingTalk_WithoutSubjectOrMentionsUsesTheKindAsTitle(t *testing.T) {
	t.Parallel()
	rs, base := newRobotServer(t)
	m := robotMessage()
	m.Subject, m.Recipients = "", []string{"emp-zhao"}
	d := notify.DingTalk{AccessToken: "t", Secret: dingSecret, BaseURL: base, Directory: robotDirectory}
	if err := d.Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	want := `{"msgtype":"markdown","markdown":{"title":"offboarding.reminder","text":"客户交接还剩 **2 天**，请尽快完成。"},"at":{"atUserIds":[],"isAtAll":false}}`
	if got := rs.requests(); len(got) != 1 || got[0].Body != want {
		t.Errorf("requests = %+v, want one with body %s", got, want)
	}
}

func TestDingTalk_ErrcodesDecideRetryOrGiveUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		reply     robotReply
		wantErr   bool
		permanent bool
		code      int
	}{
		{"ok", robotReply{200, `{"errcode":0,"errmsg":"ok"}`}, false, false, 0},
		{"sending too fast is retried", robotReply{200, `{"errcode":130101,"errmsg":"send too fast"}`}, true, false, 130101},
		{"rate limited is retried", robotReply{200, `{"errcode":45009,"errmsg":"api freq out of limit"}`}, true, false, 45009},
		{"bad signature is permanent", robotReply{200, `{"errcode":310000,"errmsg":"sign not match"}`}, true, true, 310000},
		{"bad token is permanent", robotReply{200, `{"errcode":300001,"errmsg":"token is not exist"}`}, true, true, 300001},
		{"http 503 is retried", robotReply{503, ``}, true, false, 0},
		{"http 400 is permanent", robotReply{400, `bad`}, true, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, base := newRobotServer(t, tc.reply)
			err := notify.DingTalk{AccessToken: "t", Secret: dingSecret, BaseURL: base}.Notify(context.Background(), robotMessage())
			checkDeliveryError(t, err, tc.wantErr, tc.permanent, tc.code)
		})
	}
	err := notify.DingTalk{AccessToken: "t"}.Notify(context.Background(), robotMessage())
	if !notify.IsPermanent(err) {
		t.Errorf("without a secret: error = %v, want permanent", err)
	}
}
