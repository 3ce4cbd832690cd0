package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// WeComBaseURL is the WeCom (企业微信) API origin the WeCom adapter posts to
// unless WeCom.BaseURL says otherwise.
const WeComBaseURL = "https://qyapi.weixin.qq.com"

// weComMaxContent is the limit WeCom sets on a markdown message's content,
// in bytes of UTF-8.
const weComMaxContent = 4096

// WeCom is a Notifier that posts each message as a markdown message to a
// WeCom group robot (企业微信群机器人):
//
//	POST {BaseURL}/cgi-bin/webhook/send?key={Key}
//	{"msgtype":"markdown","markdown":{"content":"**Subject**\n\nBody\n\n<@userid> …"}}
//
// The group sees every message; recipients that the Directory resolves to
// a WeCom user ID are mentioned with <@userid> at the end of the content.
// Content longer than WeCom's 4096 bytes is cut (at a character boundary)
// and ends with "…".
//
// WeCom answers {"errcode":0,"errmsg":"ok"} on success. errcode -1 (system
// busy) and 45009 (rate limit: 20 messages a minute per robot), HTTP 429
// and 5xx and network errors are retried by the dispatcher; any other
// errcode (a wrong key, a malformed message) is a Permanent error. The
// robot API has no idempotency key, so a redelivery after a crash posts the
// message twice.
type WeCom struct {
	// Key is the robot's webhook key (the key= of its webhook URL). Required.
	Key string
	// BaseURL replaces WeComBaseURL (for tests or a proxy); empty means
	// WeComBaseURL.
	BaseURL string
	// Directory resolves recipients to WeCom user IDs; nil means no
	// mentions.
	Directory Directory
	// Client sends the requests; nil means a client that follows no
	// redirects. The dispatcher bounds each call with its own timeout.
	Client *http.Client
}

// Notify posts m to the robot.
func (w WeCom) Notify(ctx context.Context, m Message) error {
	if w.Key == "" {
		return Permanent(errors.New("notify: wecom: no robot key configured"))
	}
	base := w.BaseURL
	if base == "" {
		base = WeComBaseURL
	}
	addrs, err := resolve(ctx, w.Directory, m)
	if err != nil {
		return fmt.Errorf("notify: wecom: message %s: %w", m.ID, err)
	}
	var mentions strings.Builder
	for _, a := range addrs {
		if a.WeComUserID != "" {
			fmt.Fprintf(&mentions, "<@%s>", a.WeComUserID)
		}
	}
	heading := ""
	if s := oneLine(m.Subject); s != "" {
		heading = "**" + s + "**"
	}
	content := robotText(heading, m.Body, mentions.String(), weComMaxContent)
	var body weComMessage
	body.MsgType, body.Markdown.Content = "markdown", content
	u := strings.TrimRight(base, "/") + "/cgi-bin/webhook/send?key=" + url.QueryEscape(w.Key)
	return postRobot(ctx, w.Client, "wecom", u, body, m.ID, []int{-1, 45009})
}

// oneLine replaces line breaks in s with spaces, for a title.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ")), " ")
}

// robotText joins a heading, the body and a trailing line (mentions) with
// blank lines, cutting the body so the whole fits in max bytes.
func robotText(heading, body, tail string, max int) string {
	var parts []string
	if heading != "" {
		parts = append(parts, heading)
	}
	fixed := len(heading) + len(tail) + 4 // the separators
	if body != "" {
		if room := max - fixed; len(body) > room {
			body = cut(body, room-len("…")) + "…"
		}
		parts = append(parts, body)
	}
	if tail != "" {
		parts = append(parts, tail)
	}
	return strings.Join(parts, "\n\n")
}

// cut returns the longest prefix of s of at most n bytes that ends at a
// character boundary.
func cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// weComMessage is the JSON body of a WeCom markdown message.
type weComMessage struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

// robotReply is the answer of the WeCom and DingTalk robot APIs.
type robotReply struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// postRobot posts body as JSON to u and interprets a chat robot's answer:
// HTTP 2xx with errcode 0 is a delivery; an errcode in retry, HTTP 408,
// 429 and 5xx and network errors are retryable; anything else is Permanent.
// Shared by the WeCom and DingTalk adapters.
func postRobot(ctx context.Context, client *http.Client, name, u string, body any, id string, retry []int) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "<@userid>" stays readable on the wire
	if err := enc.Encode(body); err != nil {
		return Permanent(fmt.Errorf("notify: %s: encode message %s: %w", name, id, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
	if err != nil {
		return Permanent(fmt.Errorf("notify: %s: build request: %w", name, err))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if client == nil {
		client = noRedirects
	}
	resp, err := client.Do(req)
	if err != nil {
		// The URL holds the robot's key or token: report the host only.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return fmt.Errorf("notify: %s: post %s to %s: %w", name, id, req.URL.Host, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := fmt.Errorf("notify: %s: post %s: %s: %s", name, id, resp.Status, strings.TrimSpace(string(cut(string(raw), 512))))
		if resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return err
		}
		return Permanent(err)
	}
	var reply robotReply
	if err := json.Unmarshal(raw, &reply); err != nil || reply.ErrCode == nil {
		return fmt.Errorf("notify: %s: post %s: unexpected answer %q", name, id, cut(string(raw), 512))
	}
	if *reply.ErrCode == 0 {
		return nil
	}
	err = &RobotError{Service: name, Code: *reply.ErrCode, Message: reply.ErrMsg}
	for _, c := range retry {
		if c == *reply.ErrCode {
			return fmt.Errorf("notify: %s: post %s: %w", name, id, err)
		}
	}
	return Permanent(fmt.Errorf("notify: %s: post %s: %w", name, id, err))
}

// RobotError is a non-zero errcode answered by the WeCom or DingTalk robot
// API. The adapters wrap it (with Permanent unless the code is one worth
// retrying); errors.As finds it.
type RobotError struct {
	// Service is "wecom" or "dingtalk".
	Service string
	// Code and Message are the answer's errcode and errmsg.
	Code    int
	Message string
}

// Error reports the code and message.
func (e *RobotError) Error() string {
	return fmt.Sprintf("%s errcode %d: %s", e.Service, e.Code, e.Message)
}
