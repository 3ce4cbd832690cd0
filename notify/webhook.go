package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The headers a Webhook sends with every request.
const (
	// HeaderTimestamp holds the send time in Unix seconds; it is part of the
	// signed content, so a receiver can reject replays of old requests.
	HeaderTimestamp = "Ballast-Timestamp"
	// HeaderSignature holds "v1=" and the hex HMAC-SHA256, keyed with the
	// shared secret, of the timestamp, a ".", and the raw body.
	HeaderSignature = "Ballast-Signature"
	// HeaderIdempotencyKey holds Message.IdempotencyKey, the same on every
	// redelivery: the receiver drops a request whose key it has seen.
	HeaderIdempotencyKey = "Idempotency-Key"
	// HeaderMessageID holds Message.ID.
	HeaderMessageID = "Ballast-Message-Id"
)

// Webhook is a Notifier that POSTs each message as JSON (the Message's JSON
// encoding) to URL, signed with Secret so the receiver can tell the request
// came from this outbox and was not altered or replayed. See HeaderSignature
// for the scheme and VerifyWebhook for the receiving side.
//
// A 2xx response is a delivery. 408, 429 and 5xx responses and network
// errors are retried by the dispatcher; any other response is a Permanent
// error (the message is marked dead at once). Redirects are not followed
// when Client is nil.
type Webhook struct {
	// URL is the http or https endpoint. Required.
	URL string
	// Secret keys the HMAC; share it with the receiver. Required: Webhook
	// never sends unsigned requests.
	Secret []byte
	// Client sends the requests; nil means a client that follows no
	// redirects. The dispatcher bounds each call with its own timeout.
	Client *http.Client
}

var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Notify POSTs m to w.URL.
func (w Webhook) Notify(ctx context.Context, m Message) error {
	if len(w.Secret) == 0 {
		return errors.New("notify: webhook: no secret configured")
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("notify: webhook: url %q is not an http(s) url", w.URL)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return Permanent(fmt.Errorf("notify: webhook: encode message %s: %w", m.ID, err))
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("notify: webhook: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, "v1="+webhookMAC(w.Secret, ts, body))
	req.Header.Set(HeaderIdempotencyKey, m.IdempotencyKey)
	req.Header.Set(HeaderMessageID, m.ID)
	client := w.Client
	if client == nil {
		client = noRedirects
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook: post %s: %w", m.ID, err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("notify: webhook: post %s: %s: %s", m.ID, resp.Status, strings.TrimSpace(string(snippet)))
	switch {
	case resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		return err
	default:
		return Permanent(err)
	}
}

func webhookMAC(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook checks a request a Webhook sent, for a receiver written in
// Go: that h carries a signature of body made with secret, and that its
// timestamp is within tolerance of now (which rejects replays). body must be
// the raw request body, read before any decoding. It returns nil when the
// request is authentic.
func VerifyWebhook(secret []byte, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	if len(secret) == 0 {
		return errors.New("notify: verify webhook: no secret")
	}
	ts := h.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("notify: verify webhook: bad %s header", HeaderTimestamp)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("notify: verify webhook: timestamp %s is outside the tolerance of %v", ts, tolerance)
	}
	want := webhookMAC(secret, ts, body)
	for _, part := range strings.Split(h.Get(HeaderSignature), ",") {
		sig, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if ok && hmac.Equal([]byte(sig), []byte(want)) {
			return nil
		}
	}
	return errors.New("notify: verify webhook: signature does not match")
}
