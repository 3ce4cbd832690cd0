package ballast

import "time"

// Clock tells the time. Services take one in their Config so tests and the
// reconcile loop can control time; nil means the system clock.
type Clock interface {
	Now() time.Time
}

// SystemClock is the Clock backed by time.Now, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// ClockOrSystem returns c, or SystemClock when c is nil. Service
// constructors use it so that a nil Clock in a Config is sensible.
func ClockOrSystem(c Clock) Clock {
	if c == nil {
		return SystemClock{}
	}
	return c
}
