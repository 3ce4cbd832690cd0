package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/storage"
)

// Sign-in throttling: after MaxFailures failed sign-ins of one login within
// FailureWindow, the login is locked for LockDuration, whatever password is
// given. The count lives in the database, so every server instance sees it.
const (
	MaxFailures   = 5
	FailureWindow = 15 * time.Minute
	LockDuration  = 15 * time.Minute
)

// ErrTooManyAttempts is what Login returns, wrapped in a *LockedError, while
// a login is locked after repeated failures.
var ErrTooManyAttempts = errors.New("auth: too many failed sign-ins")

// LockedError says until when a login is locked. errors.Is(err,
// ErrTooManyAttempts) matches it; the HTTP layer answers 429 with
// Retry-After.
type LockedError struct {
	Until time.Time
}

// Error says the login is locked and until when.
func (e *LockedError) Error() string {
	return fmt.Sprintf("%v; try again after %s", ErrTooManyAttempts, e.Until.UTC().Format(time.RFC3339))
}

// Is matches ErrTooManyAttempts.
func (e *LockedError) Is(target error) bool { return target == ErrTooManyAttempts }

// RetryAfter is how long from now until the lock ends, rounded up to a
// whole second.
func (e *LockedError) RetryAfter(now time.Time) time.Duration {
	d := e.Until.Sub(now)
	if d <= 0 {
		return time.Second
	}
	return d.Truncate(time.Second) + time.Second
}

type failureRow struct {
	bun.BaseModel `bun:"table:ballast_server_login_failures,alias:f"`

	Login       string `bun:"login,pk"`
	Failures    int    `bun:"failures"`
	WindowStart int64  `bun:"window_start"`
	LockedUntil int64  `bun:"locked_until"`
}

// locked returns a *LockedError when login is locked now.
func (s *Service) locked(ctx context.Context, login string) error {
	var row failureRow
	err := s.db.Conn(ctx).NewSelect().Model(&row).Where("login = ?", login).Scan(ctx)
	if err != nil {
		if err = storage.Translate("select login failures", err); errors.Is(err, ballast.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("auth: login: %w", err)
	}
	if now := s.clock.Now().Unix(); row.LockedUntil > now {
		return &LockedError{Until: time.Unix(row.LockedUntil, 0).UTC()}
	}
	return nil
}

// failed counts a failed sign-in of login and locks it on the MaxFailures-th
// failure within FailureWindow. One statement counts, so concurrent
// failures are all counted.
func (s *Service) failed(ctx context.Context, login string) error {
	now := s.clock.Now().Unix()
	stale := now - int64(FailureWindow/time.Second)
	row := &failureRow{Login: login, Failures: 1, WindowStart: now}
	var failures int
	err := s.db.Conn(ctx).NewInsert().Model(row).
		On("CONFLICT (login) DO UPDATE").
		Set("failures = CASE WHEN f.window_start < ? THEN 1 ELSE f.failures + 1 END", stale).
		Set("window_start = CASE WHEN f.window_start < ? THEN EXCLUDED.window_start ELSE f.window_start END", stale).
		Returning("failures").Scan(ctx, &failures)
	if err != nil {
		return fmt.Errorf("auth: count failed login: %w", storage.Translate("upsert login failures", err))
	}
	if failures < MaxFailures {
		return nil
	}
	until := now + int64(LockDuration/time.Second)
	_, err = s.db.Conn(ctx).NewUpdate().Model((*failureRow)(nil)).
		Set("failures = 0, window_start = ?, locked_until = ?", now, until).
		Where("login = ?", login).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: lock login: %w", storage.Translate("update login failures", err))
	}
	return &LockedError{Until: time.Unix(until, 0).UTC()}
}

// succeeded forgets a login's failures.
func (s *Service) succeeded(ctx context.Context, login string) error {
	_, err := s.db.Conn(ctx).NewDelete().Model((*failureRow)(nil)).Where("login = ?", login).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: reset login failures: %w", storage.Translate("delete login failures", err))
	}
	return nil
}
