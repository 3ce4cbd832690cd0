package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
)

// DingTalkBaseURL is the DingTalk (钉钉) API origin the DingTalk adapter
// posts to unless DingTalk.BaseURL says otherwise.
const DingTalkBaseURL = "https://oapi.dingtalk.com"

// dingTalkMaxText bounds a markdown message's text, in bytes of UTF-8
// (DingTalk refuses messages of more than 20000 bytes).
const dingTalkMaxText = 18000

// DingTalk is a Notifier that posts each message as a markdown message to
// a DingTalk custom robot (钉钉自定义机器人) with the "加签" (signature)
// security setting:
//
//	POST {BaseURL}/robot/send?access_token={AccessToken}&timestamp={ms}&sign={sign}
//	{"msgtype":"markdown","markdown":{"title":"…","text":"…"},"at":{"atUserIds":["…"],"isAtAll":false}}
//
// where ms is the send time in Unix milliseconds and sign is the URL-encoded
// base64 of HMAC-SHA256(Secret, ms + "\n" + Secret); DingTalk refuses a
// timestamp more than an hour off. The title is the message's Subject (its
// Kind when empty); the text is "#### Subject", the Body, and "@userId" for
// every recipient the Directory resolves to a DingTalk user ID, who is also
// listed in at.atUserIds (DingTalk notifies only users named in both).
//
// DingTalk answers {"errcode":0,"errmsg":"ok"} on success. errcode -1
// (system busy), 130101 and 45009 (sending too fast), HTTP 429 and 5xx and
// network errors are retried by the dispatcher; any other errcode (a wrong
// token or signature, 310000) is a Permanent error.
type DingTalk struct {
	// AccessToken is the robot's access_token. Required.
	AccessToken string
	// Secret is the robot's signing secret ("SEC…"). Required: the adapter
	// never sends unsigned requests.
	Secret string
	// BaseURL replaces DingTalkBaseURL (for tests or a proxy); empty means
	// DingTalkBaseURL.
	BaseURL string
	// Directory resolves recipients to DingTalk user IDs; nil means no
	// mentions.
	Directory Directory
	// Client sends the requests; nil means a client that follows no
	// redirects.
	Client *http.Client
	// Clock gives the signed timestamp; nil means the system clock.
	Clock ballast.Clock
}

// DingTalkSign returns the sign parameter of a DingTalk robot request sent
// at timestamp (Unix milliseconds, as a decimal string) before URL
// encoding: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
func DingTalkSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Notify posts m to the robot.
func (d DingTalk) Notify(ctx context.Context, m Message) error {
	if d.AccessToken == "" || d.Secret == "" {
		return Permanent(errors.New("notify: dingtalk: access token and secret are required"))
	}
	base := d.BaseURL
	if base == "" {
		base = DingTalkBaseURL
	}
	addrs, err := resolve(ctx, d.Directory, m)
	if err != nil {
		return fmt.Errorf("notify: dingtalk: message %s: %w", m.ID, err)
	}
	ids := []string{}
	var mentions []string
	for _, a := range addrs {
		if a.DingTalkUserID != "" {
			ids = append(ids, a.DingTalkUserID)
			mentions = append(mentions, "@"+a.DingTalkUserID)
		}
	}
	title := oneLine(m.Subject)
	heading := ""
	if title != "" {
		heading = "#### " + title
	} else {
		title = m.Kind
	}
	text := robotText(heading, m.Body, strings.Join(mentions, " "), dingTalkMaxText)
	var body dingTalkMessage
	body.MsgType, body.Markdown.Title, body.Markdown.Text, body.At.AtUserIDs = "markdown", title, text, ids
	ts := strconv.FormatInt(ballast.ClockOrSystem(d.Clock).Now().UnixMilli(), 10)
	u := strings.TrimRight(base, "/") + "/robot/send?access_token=" + url.QueryEscape(d.AccessToken) +
		"&timestamp=" + ts + "&sign=" + url.QueryEscape(DingTalkSign(d.Secret, ts))
	return postRobot(ctx, d.Client, "dingtalk", u, body, m.ID, []int{-1, 130101, 45009})
}

// dingTalkMessage is the JSON body of a DingTalk markdown message.
type dingTalkMessage struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown"`
	At struct {
		AtUserIDs []string `json:"atUserIds"`
		IsAtAll   bool     `json:"isAtAll"`
	} `json:"at"`
}
