package notify

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// Message is one notification: who should hear what, and why. Domain
// services build one and hand it to Outbox.Enqueue inside their use case's
// transaction; the dispatcher later hands it, unchanged, to a Notifier.
type Message struct {
	// ID identifies the message. Enqueue generates a UUIDv7 when it is
	// empty; a host may supply its own (a canonical UUID).
	ID string `json:"id"`
	// Tenant is the tenant the message belongs to. Enqueue fills it from the
	// principal in the context; only a system principal may name another
	// tenant here.
	Tenant string `json:"tenant"`
	// Recipients are who should receive the message: subject ids (employee
	// or account ids the Notifier resolves) and/or addresses (an e-mail
	// address, a webhook channel name). At least one is required.
	Recipients []string `json:"recipients"`
	// Channel is an optional hint for the Notifier ("email", "wecom",
	// "dingtalk", "webhook"); a Notifier that serves one channel ignores it.
	Channel string `json:"channel,omitempty"`
	// Subject is a short title, plain text.
	Subject string `json:"subject,omitempty"`
	// Body is the text, plain or Markdown.
	Body string `json:"body,omitempty"`
	// Kind names what happened, dot-separated, for templates, filtering
	// and routing: "offboarding.reminder", "access.revoked". Required.
	Kind string `json:"kind"`
	// Data carries structured values a Notifier or template may use (case
	// id, due date). Keys must not be empty.
	Data map[string]string `json:"data,omitempty"`
	// IdempotencyKey makes enqueueing safe to repeat and deliveries safe to
	// dedupe. It is required and unique per tenant: enqueueing a second
	// message with the same key is a no-op that keeps the first. The
	// dispatcher delivers at least once, so a Notifier talking to a system
	// that can dedupe should pass the key on (the webhook adapter sends it
	// as a header). Build it from what makes the notification unique, e.g.
	// "offboarding.reminder/<case id>/<step id>/2026-11-30".
	IdempotencyKey string `json:"idempotency_key"`
	// CreatedAt is when the message was enqueued (UTC), set by Enqueue.
	CreatedAt time.Time `json:"created_at"`
}

// Limits on a Message, checked by Enqueue.
const (
	MaxRecipients        = 1000
	MaxRecipientLen      = 320 // an e-mail address at its longest
	MaxSubjectLen        = 1000
	MaxBodyLen           = 1 << 20
	MaxKindLen           = 200
	MaxChannelLen        = 100
	MaxIdempotencyKeyLen = 500
	MaxDataEntries       = 100
)

// validate checks m's own fields (not its tenant) and lists every problem.
func (m Message) validate() error {
	var v ballast.ValidationError
	if m.ID != "" && !ballast.ValidID(m.ID) {
		v.Add("id", "is not a valid id")
	}
	switch {
	case len(m.Recipients) == 0:
		v.Add("recipients", "is required")
	case len(m.Recipients) > MaxRecipients:
		v.Add("recipients", fmt.Sprintf("must have at most %d entries", MaxRecipients))
	default:
		for i, r := range m.Recipients {
			field := fmt.Sprintf("recipients[%d]", i)
			switch {
			case r == "":
				v.Add(field, "is empty")
			case len(r) > MaxRecipientLen:
				v.Add(field, fmt.Sprintf("must be at most %d bytes", MaxRecipientLen))
			case !utf8.ValidString(r):
				v.Add(field, "is not valid UTF-8")
			}
		}
	}
	checkText(&v, "kind", m.Kind, MaxKindLen, true)
	checkText(&v, "idempotency_key", m.IdempotencyKey, MaxIdempotencyKeyLen, true)
	checkText(&v, "channel", m.Channel, MaxChannelLen, false)
	checkText(&v, "subject", m.Subject, MaxSubjectLen, false)
	checkText(&v, "body", m.Body, MaxBodyLen, false)
	if len(m.Data) > MaxDataEntries {
		v.Add("data", fmt.Sprintf("must have at most %d entries", MaxDataEntries))
	}
	for k, val := range m.Data {
		if k == "" {
			v.Add("data", "has an empty key")
		}
		if !utf8.ValidString(k) || !utf8.ValidString(val) {
			v.Add("data", "is not valid UTF-8")
		}
	}
	return v.Err()
}

func checkText(v *ballast.ValidationError, field, s string, max int, required bool) {
	switch {
	case s == "" && required:
		v.Add(field, "is required")
	case len(s) > max:
		v.Add(field, fmt.Sprintf("must be at most %d bytes", max))
	case !utf8.ValidString(s):
		v.Add(field, "is not valid UTF-8")
	case containsNUL(s):
		v.Add(field, "must not contain NUL bytes")
	}
}

func containsNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}

// Status is where a message stands in the outbox.
type Status string

// The statuses of a message.
const (
	// StatusPending: waiting for its first delivery or for a retry.
	StatusPending Status = "pending"
	// StatusDelivered: a Notifier accepted it.
	StatusDelivered Status = "delivered"
	// StatusDead: every attempt failed (or one failed permanently); the
	// dispatcher will not try again. LastError says why.
	StatusDead Status = "dead"
)

// Valid reports whether s is one of the statuses above.
func (s Status) Valid() bool {
	return s == StatusPending || s == StatusDelivered || s == StatusDead
}

// Record is a message as the outbox holds it: the message and its delivery
// state. List returns these for the UI.
type Record struct {
	Message
	// Status is pending, delivered or dead.
	Status Status `json:"status"`
	// Attempts counts the deliveries started so far (a claim counts as one).
	Attempts int `json:"attempts"`
	// NextAttemptAt is when a pending message is next due.
	NextAttemptAt time.Time `json:"next_attempt_at"`
	// ClaimedUntil is when the current dispatcher's lease ends; zero when no
	// dispatcher holds the message.
	ClaimedUntil time.Time `json:"claimed_until,omitzero"`
	// LastError is the last delivery failure, if any.
	LastError string `json:"last_error,omitempty"`
	// DeliveredAt is when a Notifier accepted the message; zero until then.
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	// UpdatedAt is when the record last changed.
	UpdatedAt time.Time `json:"updated_at"`
}
