package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast"
)

// loop is one running dispatcher loop.
type loop struct {
	stop chan struct{} // closed by Stop
	done chan struct{} // closed when the loop has returned
}

// Start runs the dispatcher in a goroutine of its own until Stop is called
// or ctx is done: it calls DispatchOnce at once, then again whenever Wake is
// called, every PollInterval, and straight away while batches come back
// full. Store errors are logged to Config.Logger and retried at the next
// round. Starting an Outbox that is already running is an error matching
// ballast.ErrConflict. Several instances may each run a loop on one
// database: claims keep them from delivering the same message at once.
func (o *Outbox) Start(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.running != nil {
		return fmt.Errorf("notify: start: already running: %w", ballast.ErrConflict)
	}
	l := &loop{stop: make(chan struct{}), done: make(chan struct{})}
	o.running = l
	go o.run(ctx, l)
	return nil
}

// Stop asks the loop started by Start to finish the round in progress and
// return, and waits for it until ctx is done (then it returns ctx's error and
// the loop still ends on its own). A message whose delivery the round could
// not record is delivered again after its lease. Stopping an Outbox that is
// not running returns an error.
func (o *Outbox) Stop(ctx context.Context) error {
	o.mu.Lock()
	l := o.running
	if l != nil {
		select {
		case <-l.stop:
		default:
			close(l.stop)
		}
	}
	o.mu.Unlock()
	if l == nil {
		return errStopped
	}
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("notify: stop: %w", ctx.Err())
	}
}

func (o *Outbox) run(ctx context.Context, l *loop) {
	defer func() {
		o.mu.Lock()
		if o.running == l {
			o.running = nil
		}
		o.mu.Unlock()
		close(l.done)
	}()
	// A round is not interrupted by Stop, only by ctx: a delivery in flight
	// finishes and gets recorded.
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.stop:
			return
		case <-timer.C:
		case <-o.wake:
		}
		select {
		case <-l.stop: // Stop wins over a timer or wake that fired with it
			return
		default:
		}
		_, more, err := o.dispatch(ctx, o.clock.Now())
		if err != nil && ctx.Err() == nil {
			o.logger.ErrorContext(ctx, "notify: dispatch round failed", "error", err)
		}
		next := o.interval
		if more && err == nil {
			next = 0
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(next)
	}
}
