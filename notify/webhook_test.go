package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

var secret = []byte("s3cret-shared-with-the-receiver")

// webhookReceiver is the outside world: an endpoint that verifies each
// request and answers with the next status in line (200 when none is left).
type webhookReceiver struct {
	mu       sync.Mutex
	statuses []int
	got      []notify.Message
	keys     []string
	errs     []error
}

func (rcv *webhookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = notify.VerifyWebhook(secret, r.Header, body, time.Now(), 5*time.Minute)
	}
	var m notify.Message
	if err == nil {
		err = json.Unmarshal(body, &m)
	}
	if err == nil && (r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get(notify.HeaderMessageID) != m.ID) {
		err = fmt.Errorf("bad request: %s %s, headers %v", r.Method, r.Header.Get("Content-Type"), r.Header)
	}
	if err != nil {
		rcv.errs = append(rcv.errs, err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	rcv.got = append(rcv.got, m)
	rcv.keys = append(rcv.keys, r.Header.Get(notify.HeaderIdempotencyKey))
	status := http.StatusOK
	if len(rcv.statuses) > 0 {
		status, rcv.statuses = rcv.statuses[0], rcv.statuses[1:]
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, http.StatusText(status))
}

func TestWebhook_PostsSignedJSONWithTheIdempotencyKey(t *testing.T) {
	t.Parallel()
	rcv := &webhookReceiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	m := message("offboarding.reminder/c-1")
	m.ID, m.Tenant, m.CreatedAt = "0193a1b2-0000-7000-8000-000000000001", "acme", t0
	if err := (notify.Webhook{URL: srv.URL, Secret: secret}).Notify(context.Background(), m); err != nil {
		t.Fatalf("Notify = %v", err)
	}
	if len(rcv.errs) > 0 {
		t.Fatalf("receiver rejected the request: %v", rcv.errs)
	}
	if diff := cmp.Diff([]notify.Message{m}, rcv.got); diff != "" {
		t.Errorf("receiver decoded (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{m.IdempotencyKey}, rcv.keys); diff != "" {
		t.Errorf("Idempotency-Key headers (-want +got):\n%s", diff)
	}
}

func TestWebhook_ClassifiesResponses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status        int
		wantErr       bool
		wantPermanent bool
	}{
		{http.StatusOK, false, false},
		{http.StatusAccepted, false, false},
		{http.StatusNoContent, false, false},
		{http.StatusInternalServerError, true, false},
		{http.StatusServiceUnavailable, true, false},
		{http.StatusTooManyRequests, true, false},
		{http.StatusRequestTimeout, true, false},
		{http.StatusBadRequest, true, true},
		{http.StatusNotFound, true, true},
		{http.StatusGone, true, true},
		{http.StatusMovedPermanently, true, true}, // redirects are not followed
	} {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.status/100 == 3 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			err := notify.Webhook{URL: srv.URL, Secret: secret}.Notify(context.Background(), message("k"))
			if (err != nil) != tt.wantErr || notify.IsPermanent(err) != tt.wantPermanent {
				t.Errorf("Notify = %v (permanent %v), want error %v, permanent %v", err, notify.IsPermanent(err), tt.wantErr, tt.wantPermanent)
			}
		})
	}
}

func TestWebhook_RefusesToSendUnsignedOrNowhere(t *testing.T) {
	t.Parallel()
	var called atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called.Store(true) }))
	defer srv.Close()
	for name, w := range map[string]notify.Webhook{
		"no secret":  {URL: srv.URL},
		"no url":     {Secret: secret},
		"not http":   {URL: "ftp://example.com/hook", Secret: secret},
		"bad url":    {URL: "http://[::1", Secret: secret},
		"no host":    {URL: "http:///hook", Secret: secret},
		"empty both": {},
	} {
		if err := w.Notify(context.Background(), message("k")); err == nil {
			t.Errorf("%s: Notify succeeded", name)
		}
	}
	if called.Load() {
		t.Error("a misconfigured webhook sent a request")
	}
}

func TestVerifyWebhook_RejectsForgeriesAndReplays(t *testing.T) {
	t.Parallel()
	var req *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		req = r
	}))
	defer srv.Close()
	if err := (notify.Webhook{URL: srv.URL, Secret: secret}).Notify(context.Background(), message("k")); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := notify.VerifyWebhook(secret, req.Header, body, now, time.Minute); err != nil {
		t.Fatalf("genuine request rejected: %v", err)
	}
	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-2] ^= 1
	withHeader := func(k, v string) http.Header {
		h := req.Header.Clone()
		h.Set(k, v)
		return h
	}
	ts, _ := strconv.ParseInt(req.Header.Get(notify.HeaderTimestamp), 10, 64)
	for _, tt := range []struct {
		name   string
		secret []byte
		header http.Header
		body   []byte
		now    time.Time
	}{
		{"tampered body", secret, req.Header, tampered, now},
		{"wrong secret", []byte("guess"), req.Header, body, now},
		{"no secret", nil, req.Header, body, now},
		{"replayed later", secret, req.Header, body, now.Add(time.Hour)},
		{"timestamp moved", secret, withHeader(notify.HeaderTimestamp, strconv.FormatInt(ts+1, 10)), body, now},
		{"no timestamp", secret, withHeader(notify.HeaderTimestamp, ""), body, now},
		{"no signature", secret, withHeader(notify.HeaderSignature, ""), body, now},
		{"other scheme", secret, withHeader(notify.HeaderSignature, "v0="+req.Header.Get(notify.HeaderSignature)[3:]), body, now},
	} {
		if err := notify.VerifyWebhook(tt.secret, tt.header, tt.body, tt.now, time.Minute); err == nil {
			t.Errorf("%s: VerifyWebhook accepted it", tt.name)
		}
	}
}

func TestWebhook_ThroughTheOutboxRetriesWithTheSameKey(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		rcv := &webhookReceiver{statuses: []int{http.StatusServiceUnavailable}}
		srv := httptest.NewServer(rcv)
		defer srv.Close()
		f := newFixture(t, db, notify.Config{
			Notifier: notify.Webhook{URL: srv.URL, Secret: secret},
			Backoff:  func(int) time.Duration { return time.Minute },
		})
		f.enqueueCommitted(t, message("offboarding.reminder/c-9"))
		if n := f.dispatch(t, t0); n != 0 {
			t.Fatalf("first attempt delivered %d despite a 503", n)
		}
		if n := f.dispatch(t, t0.Add(time.Minute)); n != 1 {
			t.Fatalf("retry delivered %d, want 1", n)
		}
		if len(rcv.errs) > 0 {
			t.Fatalf("receiver rejected requests: %v", rcv.errs)
		}
		want := []string{"offboarding.reminder/c-9", "offboarding.reminder/c-9"}
		if diff := cmp.Diff(want, rcv.keys); diff != "" {
			t.Errorf("Idempotency-Key of each request (-want +got):\n%s", diff)
		}
		if rcv.got[0].ID != rcv.got[1].ID {
			t.Errorf("redelivery changed the message id: %s, %s", rcv.got[0].ID, rcv.got[1].ID)
		}
	})
}
