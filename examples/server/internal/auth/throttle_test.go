package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestLogin_LocksAfterRepeatedFailuresEvenWithTheRightPassword(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, clock := newService(t, db)
		if err := s.CreateUser(ctx, ballast.NewID(), "li.na", "correct horse", ballast.NewID()); err != nil {
			t.Fatal(err)
		}
		login := func(who, password string) error {
			_, _, err := s.Login(ctx, who, password)
			return err
		}
		// Failures spread beyond the window do not add up.
		for i := 0; i < auth.MaxFailures-1; i++ {
			if err := login("li.na", "wrong"); !errors.Is(err, auth.ErrUnauthenticated) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		clock.Add(auth.FailureWindow + time.Second)
		for i := 0; i < auth.MaxFailures-1; i++ {
			if err := login("li.na", "wrong"); !errors.Is(err, auth.ErrUnauthenticated) {
				t.Fatalf("failure %d in the new window: %v", i+1, err)
			}
		}
		// The MaxFailures-th failure within the window locks the login.
		err := login(" LI.NA ", "wrong")
		var locked *auth.LockedError
		if !errors.As(err, &locked) || !errors.Is(err, auth.ErrTooManyAttempts) {
			t.Fatalf("failure that should lock: %v", err)
		}
		if want := clock.Now().Add(auth.LockDuration).Truncate(time.Second); !locked.Until.Equal(want) {
			t.Errorf("locked until %v, want %v", locked.Until, want)
		}
		if errors.Is(err, ballast.ErrUnauthenticated) {
			t.Error("a lock must be told apart from a wrong password")
		}
		// Locked: even the right password is refused.
		clock.Add(auth.LockDuration - time.Minute)
		if err := login("li.na", "correct horse"); !errors.Is(err, auth.ErrTooManyAttempts) {
			t.Fatalf("right password while locked: %v", err)
		}
		// Unknown logins are throttled alike, so the lock tells nothing.
		for i := 0; i < auth.MaxFailures-1; i++ {
			if err := login("nobody", "x"); !errors.Is(err, auth.ErrUnauthenticated) {
				t.Fatalf("unknown login failure %d: %v", i+1, err)
			}
		}
		if err := login("nobody", "x"); !errors.Is(err, auth.ErrTooManyAttempts) {
			t.Fatalf("unknown login should lock too: %v", err)
		}
		// After the lock, the right password works and clears the count.
		clock.Add(time.Minute)
		if err := login("li.na", "correct horse"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		for i := 0; i < auth.MaxFailures-1; i++ {
			if err := login("li.na", "wrong"); !errors.Is(err, auth.ErrUnauthenticated) {
				t.Fatalf("failure %d after success reset the count: %v", i+1, err)
			}
		}
	})
}

func TestLockedError_RetryAfterRoundsUp(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 9, 0, 0, 500_000_000, time.UTC)
	tests := []struct {
		until time.Time
		want  time.Duration
	}{
		{now.Add(90 * time.Second), 91 * time.Second},
		{now.Add(-time.Second), time.Second},
		{now, time.Second},
	}
	for _, tt := range tests {
		if got := (&auth.LockedError{Until: tt.until}).RetryAfter(now); got != tt.want {
			t.Errorf("RetryAfter(until %v) = %v, want %v", tt.until, got, tt.want)
		}
	}
}
