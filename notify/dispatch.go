package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// DefaultBackoff waits 10 seconds after the first failure and doubles the
// wait with every further one, capped at one hour, each wait randomised by
// ±20% so that messages that failed together do not retry together.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := 10 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	jitter := time.Duration(rand.Int64N(int64(d)*2/5+1)) - d/5
	return d + jitter
}

// DispatchOnce delivers the messages due at now: it finds the tenants with
// due messages, claims a batch from each (a short statement that leases
// them, so no other dispatcher delivers them at the same time), delivers
// each message through the Notifier outside any transaction, then records
// the outcome: delivered; or, after a failure, due again after the backoff;
// or, after MaxAttempts attempts or a Permanent error, dead with the last
// error.
//
// Delivery is at least once with a key, not exactly once: if the process
// dies after the Notifier accepted a message but before DispatchOnce
// recorded it, the message is delivered again once its lease runs out.
// Notifiers pass Message.IdempotencyKey downstream so that the receiver can
// drop the duplicate.
//
// It returns how many messages were delivered. Notifier failures are not
// errors of DispatchOnce (they are recorded on the message); failures of the
// store are, joined, after DispatchOnce has done what it could. Call it with
// a context carrying no transaction.
func (o *Outbox) DispatchOnce(ctx context.Context, now time.Time) (int, error) {
	delivered, _, err := o.dispatch(ctx, now)
	return delivered, err
}

// dispatch is DispatchOnce that also reports whether any claim came back
// full, that is, whether there may be more due work right now.
func (o *Outbox) dispatch(ctx context.Context, now time.Time) (delivered int, more bool, err error) {
	now = now.UTC().Truncate(time.Microsecond)
	tenants, err := o.store.DueTenants(ctx, now, o.maxTenants)
	if err != nil {
		return 0, false, fmt.Errorf("notify: dispatch: %w", err)
	}
	more = len(tenants) == o.maxTenants
	var errs []error
	for _, tenant := range tenants {
		n, full, err := o.dispatchTenant(ctx, tenant, now)
		delivered += n
		more = more || full
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return delivered, more, errors.Join(errs...)
}

func (o *Outbox) dispatchTenant(ctx context.Context, tenant string, now time.Time) (int, bool, error) {
	p := ClaimParams{Now: now, Until: now.Add(o.lease), Token: ballast.NewID(), Limit: o.batch}
	recs, err := o.store.Claim(ctx, tenant, p)
	if err != nil {
		return 0, false, fmt.Errorf("notify: claim for tenant %s: %w", tenant, err)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].NextAttemptAt.Equal(recs[j].NextAttemptAt) {
			return recs[i].NextAttemptAt.Before(recs[j].NextAttemptAt)
		}
		return recs[i].ID < recs[j].ID
	})
	// Deliveries are recorded in one statement per flush: at the end of the
	// batch, and at least every flushEvery while a slow batch runs, which
	// bounds what a crash can make us deliver again. Failures are recorded
	// one by one (they differ in error and next attempt).
	var (
		delivered int
		done      []string
		lastFlush = o.clock.Now()
		errs      []error
	)
	flush := func() {
		if len(done) == 0 {
			return
		}
		cp := CompleteParams{IDs: done, Token: p.Token, Status: StatusDelivered, At: o.now()}
		n, err := o.store.Complete(ctx, tenant, cp)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("notify: record %d deliveries: %w", len(done), err))
		case n < len(done):
			o.logger.WarnContext(ctx, "notify: lease lost before recording deliveries",
				"tenant", tenant, "delivered", len(done), "recorded", n)
		}
		if err == nil {
			delivered += n
		}
		done, lastFlush = nil, o.clock.Now()
	}
	for _, rec := range recs {
		if ctx.Err() != nil || !o.clock.Now().Before(p.Until) {
			// Shutting down, or the lease ran out: leave the rest to
			// whoever claims them after the lease.
			break
		}
		outcome := o.deliver(ctx, rec, p.Token)
		if outcome.Status == StatusDelivered {
			done = append(done, rec.ID)
			if o.clock.Now().Sub(lastFlush) >= flushEvery {
				flush()
			}
			continue
		}
		n, err := o.store.Complete(ctx, tenant, outcome)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("notify: record failure of %s: %w", rec.ID, err))
		case n == 0:
			o.logger.WarnContext(ctx, "notify: lease lost before recording a failure",
				"tenant", tenant, "id", rec.ID, "status", outcome.Status)
		}
	}
	flush()
	return delivered, len(recs) == o.batch, errors.Join(errs...)
}

// flushEvery is how often a running batch records its deliveries.
const flushEvery = time.Second

// deliver calls the Notifier once and decides what becomes of rec.
func (o *Outbox) deliver(ctx context.Context, rec Record, token string) CompleteParams {
	err := o.notify(ctx, rec.Message)
	at := o.now()
	out := CompleteParams{IDs: []string{rec.ID}, Token: token, At: at}
	switch {
	case err == nil:
		out.Status = StatusDelivered
	case IsPermanent(err) || rec.Attempts >= o.maxAttempts:
		out.Status = StatusDead
		out.LastError = truncateError(err)
	default:
		out.Status = StatusPending
		out.LastError = truncateError(err)
		out.NextAttemptAt = at.Add(max(o.backoff(rec.Attempts), 0)).Truncate(time.Microsecond)
	}
	return out
}

// notify calls the Notifier with a timeout and turns a panic into an error,
// so one bad adapter cannot take the dispatcher (and the host) down.
func (o *Outbox) notify(ctx context.Context, m Message) (err error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("notify: notifier panicked: %v", r)
		}
	}()
	return o.notifier.Notify(ctx, m)
}

const maxErrorLen = 2000

// truncateError keeps an error message storable: bounded, valid UTF-8, no
// NUL bytes (PostgreSQL text cannot hold them).
func truncateError(err error) string {
	s := err.Error()
	if len(s) > maxErrorLen {
		s = s[:maxErrorLen]
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}
