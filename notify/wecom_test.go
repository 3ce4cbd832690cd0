package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
)

// robotRequest is what a fake robot endpoint received.
type robotRequest struct {
	Method, Path, RawQuery, ContentType, Body string
}

// robotServer is the outside world: a chat robot endpoint that records each
// request and answers with the next reply in line (a status and a body;
// 200 {"errcode":0,"errmsg":"ok"} when none is left).
type robotServer struct {
	mu      sync.Mutex
	got     []robotRequest
	replies []robotReply
}

type robotReply struct {
	status int
	body   string
}

func newRobotServer(t *testing.T, replies ...robotReply) (*robotServer, string) {
	t.Helper()
	rs := &robotServer{replies: replies}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	return rs, srv.URL
}

func (rs *robotServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	rs.got = append(rs.got, robotRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), string(body)})
	reply := robotReply{http.StatusOK, `{"errcode":0,"errmsg":"ok"}`}
	if len(rs.replies) > 0 {
		reply, rs.replies = rs.replies[0], rs.replies[1:]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(reply.status)
	_, _ = io.WriteString(w, reply.body)
}

func (rs *robotServer) requests() []robotRequest {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]robotRequest(nil), rs.got...)
}

// robotDirectory knows two employees with chat IDs and one without.
var robotDirectory = notify.StaticDirectory{
	"emp-wang":  {Name: "王丽", Email: "wangli@example.com", WeComUserID: "WangLi", DingTalkUserID: "manager4711"},
	"emp-liu":   {Name: "刘强", WeComUserID: "LiuQiang", DingTalkUserID: "0934"},
	"emp-zhao":  {Name: "赵敏", Email: "zhaomin@example.com"},
	"emp-other": {},
}

func robotMessage() notify.Message {
	return notify.Message{ID: ballast.NewID(), Tenant: ballast.NewID(), Kind: "offboarding.reminder",
		Recipients: []string{"emp-wang", "emp-zhao", "emp-unknown", "emp-liu"},
		Subject:    "交接提醒", Body: "客户交接还剩 **2 天**，请尽快完成。", IdempotencyKey: "offboarding.reminder/c1/2026-11-27"}
}

func TestWeCom_PostsMarkdownWithMentionsInTheRobotFormat(t *testing.T) {
	t.Parallel()
	rs, base := newRobotServer(t)
	w := notify.WeCom{Key: "693a91f6-7xxx+/=", BaseURL: base, Directory: robotDirectory}
	if err := w.Notify(context.Background(), robotMessage()); err != nil {
		t.Fatal(err)
	}
	want := []robotRequest{{
		Method: "POST", Path: "/cgi-bin/webhook/send", RawQuery: "key=693a91f6-7xxx%2B%2F%3D",
		ContentType: "application/json; charset=utf-8",
		Body:        `{"msgtype":"markdown","markdown":{"content":"**交接提醒**\n\n客户交接还剩 **2 天**，请尽快完成。\n\n<@WangLi><@LiuQiang>"}}`,
	}}
	if d := cmp.Diff(want, rs.requests()); d != "" {
		t.Errorf("request (-want +got):\n%s", d)
	}
}

func TestWeCom_WithoutDirectoryOrSubjectSendsTheBodyOnly(t *testing.T) {
	t.Parallel()
	rs, base := newRobotServer(t)
	m := robotMessage()
	m.Subject = ""
	if err := (notify.WeCom{Key: "k", BaseURL: base}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := rs.requests()
	want := `{"msgtype":"markdown","markdown":{"content":"客户交接还剩 **2 天**，请尽快完成。"}}`
	if len(got) != 1 || got[0].Body != want {
		t.Errorf("requests = %+v, want one with body %s", got, want)
	}
}

func TestWeCom_CutsLongContentToTheLimitAtACharacter(t *testing.T) {
	t.Parallel()
	rs, base := newRobotServer(t)
	m := robotMessage()
	m.Body = strings.Repeat("交", 3000) // 9000 bytes
	if err := (notify.WeCom{Key: "k", BaseURL: base, Directory: robotDirectory}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	content := decodeWeCom(t, rs.requests()[0].Body)
	if len(content) > 4096 || !utf8.ValidString(content) || !strings.HasSuffix(content, "…\n\n<@WangLi><@LiuQiang>") {
		t.Errorf("content of %d bytes (valid UTF-8 %v) ends %q", len(content), utf8.ValidString(content), content[len(content)-40:])
	}
}

func TestWeCom_ErrcodesDecideRetryOrGiveUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		reply     robotReply
		wantErr   bool
		permanent bool
		code      int
	}{
		{"ok", robotReply{200, `{"errcode":0,"errmsg":"ok"}`}, false, false, 0},
		{"rate limited is retried", robotReply{200, `{"errcode":45009,"errmsg":"api freq out of limit"}`}, true, false, 45009},
		{"system busy is retried", robotReply{200, `{"errcode":-1,"errmsg":"system busy"}`}, true, false, -1},
		{"invalid key is permanent", robotReply{200, `{"errcode":93000,"errmsg":"invalid webhook url"}`}, true, true, 93000},
		{"bad message is permanent", robotReply{200, `{"errcode":40008,"errmsg":"invalid message type"}`}, true, true, 40008},
		{"http 502 is retried", robotReply{502, `bad gateway`}, true, false, 0},
		{"http 404 is permanent", robotReply{404, `not found`}, true, true, 0},
		{"a 200 that is not the robot's answer is retried", robotReply{200, `<html>portal</html>`}, true, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, base := newRobotServer(t, tc.reply)
			err := notify.WeCom{Key: "k", BaseURL: base}.Notify(context.Background(), robotMessage())
			checkDeliveryError(t, err, tc.wantErr, tc.permanent, tc.code)
		})
	}
}

func TestWeCom_DirectoryFailureIsRetriedAndSendsNothing(t *testing.T) {
	t.Parallel()
	rs, base := newRobotServer(t)
	down := errors.New("database is down")
	dir := notify.DirectoryFunc(func(context.Context, string, string) (notify.Address, error) { return notify.Address{}, down })
	err := notify.WeCom{Key: "k", BaseURL: base, Directory: dir}.Notify(context.Background(), robotMessage())
	if !errors.Is(err, down) || notify.IsPermanent(err) {
		t.Errorf("error = %v, want the directory's, retryable", err)
	}
	if n := len(rs.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	err = notify.WeCom{BaseURL: base}.Notify(context.Background(), robotMessage())
	if !notify.IsPermanent(err) {
		t.Errorf("without a key: error = %v, want permanent", err)
	}
}

// checkDeliveryError checks err against a table row: whether an error is
// wanted, whether it is permanent, and (code != 0) the robot's errcode.
func checkDeliveryError(t *testing.T, err error, wantErr, permanent bool, code int) {
	t.Helper()
	if (err != nil) != wantErr {
		t.Fatalf("error = %v, want error %v", err, wantErr)
	}
	if notify.IsPermanent(err) != permanent {
		t.Errorf("IsPermanent(%v) = %v, want %v", err, notify.IsPermanent(err), permanent)
	}
	if code != 0 {
		var re *notify.RobotError
		if !errors.As(err, &re) || re.Code != code {
			t.Errorf("error %v: want a RobotError with code %d", err, code)
		}
	}
}

func decodeWeCom(t *testing.T, body string) string {
	t.Helper()
	var m struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || m.MsgType != "markdown" {
		t.Fatalf("body %s: %v", body, err)
	}
	return m.Markdown.Content
}
