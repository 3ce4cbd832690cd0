package notify

import (
	"context"
	"errors"
	"log/slog"
)

// Notifier delivers one message to the outside world: a chat robot, a
// webhook, e-mail, a log. The dispatcher calls it after the enqueueing
// transaction has committed, outside any transaction.
//
// Delivery is at least once: a crash between a successful Notify and the
// dispatcher recording it makes the message due again once its lease runs
// out. Message.IdempotencyKey (and Message.ID) are stable across such
// redeliveries; a Notifier whose downstream can dedupe should pass one on.
//
// Notify returns nil when the message was accepted. Any other error makes
// the dispatcher retry with backoff; wrap it with Permanent when retrying
// cannot help (the endpoint rejected the message as malformed).
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}

// Func adapts a function to Notifier, for tests and for hosts that deliver
// with code of their own.
type Func func(ctx context.Context, m Message) error

// Notify calls f(ctx, m).
func (f Func) Notify(ctx context.Context, m Message) error { return f(ctx, m) }

// LogNotifier "delivers" messages by writing them to a structured logger:
// the reference server's default, and a reasonable choice in development.
// The body is logged in full, so do not use it where logs must not hold
// personal data.
type LogNotifier struct {
	// Logger receives one record per message; nil means slog.Default().
	Logger *slog.Logger
	// Level is the level of those records; the zero value is Info.
	Level slog.Level
}

// Notify logs m and returns nil (or ctx's error when it is done).
func (l LogNotifier) Notify(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	attrs := []slog.Attr{
		slog.String("id", m.ID),
		slog.String("tenant", m.Tenant),
		slog.String("kind", m.Kind),
		slog.Any("recipients", m.Recipients),
		slog.String("idempotency_key", m.IdempotencyKey),
	}
	if m.Channel != "" {
		attrs = append(attrs, slog.String("channel", m.Channel))
	}
	if m.Subject != "" {
		attrs = append(attrs, slog.String("subject", m.Subject))
	}
	if m.Body != "" {
		attrs = append(attrs, slog.String("body", m.Body))
	}
	if len(m.Data) > 0 {
		attrs = append(attrs, slog.Any("data", m.Data))
	}
	logger.LogAttrs(ctx, l.Level, "notify", attrs...)
	return nil
}

// Permanent marks a delivery error as one that retrying cannot fix. The
// dispatcher marks the message dead at once instead of scheduling a retry.
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// IsPermanent reports whether err (or an error it wraps) was made by
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
