package access

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// PolicyListener is an optional capability of a Store: it calls changed
// with the tenant of every committed policy change, on any instance, until
// ctx ends. storage's store implements it with LISTEN/NOTIFY on PostgreSQL
// and returns an error matching errors.ErrUnsupported on SQLite.
type PolicyListener interface {
	ListenPolicyChanges(ctx context.Context, changed func(tenant string)) error
}

// Sync reloads every loaded tenant whose policy version in the store moved
// since it was loaded: changes made by other instances. A host running
// several instances either runs Watch or calls Sync periodically (every few
// seconds) from a goroutine of its own, outside any transaction; a single
// instance never needs it, since its own changes reload after commit. It
// returns the tenants it reloaded.
func (e *Enforcer) Sync(ctx context.Context) ([]string, error) {
	e.mu.RLock()
	names := make([]string, 0, len(e.tenants))
	for t := range e.tenants {
		names = append(names, t)
	}
	e.mu.RUnlock()
	return e.syncTenants(ctx, names)
}

// syncTenants reloads those of tenants that are loaded and whose version
// moved.
func (e *Enforcer) syncTenants(ctx context.Context, tenants []string) ([]string, error) {
	loaded := make(map[string]int64, len(tenants))
	e.mu.RLock()
	for _, t := range tenants {
		if s := e.tenants[t]; s != nil {
			loaded[t] = s.version
		}
	}
	e.mu.RUnlock()
	if len(loaded) == 0 {
		return nil, nil
	}
	names := make([]string, 0, len(loaded))
	for t := range loaded {
		names = append(names, t)
	}
	slices.Sort(names)
	vs, err := e.store.PolicyVersions(ctx, names)
	if err != nil {
		return nil, fmt.Errorf("access: sync: %w", err)
	}
	var reloaded []string
	for _, t := range names {
		if vs[t] == loaded[t] {
			continue
		}
		if err := e.LoadTenants(ctx, t); err != nil {
			return reloaded, fmt.Errorf("access: sync: %w", err)
		}
		reloaded = append(reloaded, t)
	}
	return reloaded, nil
}

// Watch keeps this instance's policies in step with changes committed by
// other instances, until ctx ends; then it returns nil. The host runs it
// in a goroutine of its own:
//
//	go enforcer.Watch(ctx, 5*time.Second, func(err error) { log.Print(err) })
//
// When the Store is a PolicyListener (PostgreSQL), a change reloads its
// tenant as soon as it commits, and Sync runs every interval as a backstop
// for lost connections; otherwise (SQLite) Sync runs every interval. Errors
// go to onErr (nil ignores them) and watching goes on. Watch returns only
// once everything it started has stopped.
func (e *Enforcer) Watch(ctx context.Context, every time.Duration, onErr func(error)) error {
	if every <= 0 {
		every = 5 * time.Second
	}
	report := func(err error) {
		if err != nil && onErr != nil && ctx.Err() == nil {
			onErr(err)
		}
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	if l, ok := e.store.(PolicyListener); ok {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				err := l.ListenPolicyChanges(ctx, func(tenant string) {
					_, err := e.syncTenants(ctx, []string{tenant})
					report(err)
				})
				if errors.Is(err, errors.ErrUnsupported) {
					return
				}
				report(err)
				select { // a failed connection is retried after a pause
				case <-ctx.Done():
				case <-time.After(every):
				}
			}
		}()
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			_, err := e.Sync(ctx)
			report(err)
		}
	}
}
