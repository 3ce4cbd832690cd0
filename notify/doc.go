// Package notify tells people that something happened, without ever
// telling them about something that did not: a transactional outbox and the
// dispatcher that empties it.
//
// A use case enqueues its Message in its own transaction, next to the
// change it announces. The message is delivered if and only if that
// transaction commits: a rolled-back use case notifies nobody, and a crash
// after commit loses nothing, because the outbox row is as durable as the
// change. After commit the dispatcher claims due messages, delivers each
// through a Notifier outside any transaction, and records the outcome,
// retrying failures with exponential backoff and jitter until
// Config.MaxAttempts, after which the message is dead and keeps its last
// error for the UI.
//
//	outbox, err := notify.New(notify.Config{
//		Store:    db.Notify(),                 // storage.DB
//		Notifier: notify.LogNotifier{},        // or a Webhook, a Func, …
//	})
//	err = db.InTx(ctx, func(ctx context.Context) error {
//		// … the use case's own writes …
//		return outbox.Enqueue(ctx, notify.Message{
//			Recipients:     []string{employeeID},
//			Kind:           "offboarding.reminder",
//			Subject:        "Handover due Friday",
//			IdempotencyKey: "offboarding.reminder/" + caseID + "/2026-11-27",
//		})
//	})
//	outbox.Start(ctx)      // the background loop, explicitly; or
//	outbox.DispatchOnce(ctx, time.Now()) // from a loop of your own
//	defer outbox.Stop(ctx)
//
// # Delivery guarantees
//
// Idempotency: the IdempotencyKey is unique per tenant, so enqueueing the
// same notification twice (a retried request, a reconcile that runs on two
// instances) stores one message.
//
// Exclusivity: a claim leases a batch of messages to one dispatcher for
// Config.Lease; on PostgreSQL it selects them FOR UPDATE SKIP LOCKED, so any
// number of instances dispatch from one database without delivering a
// message twice at the same time or waiting for each other. On SQLite the
// claim is one UPDATE … RETURNING under SQLite's single write lock, which
// serialises dispatchers.
//
// At least once, with a key: the Notifier runs outside the database
// transaction, so a process that dies after a successful delivery but before
// recording it delivers the message again once the lease has run out. The
// Message handed to the Notifier carries the same ID and IdempotencyKey
// every time; a Notifier whose receiver can dedupe passes the key on (the
// Webhook adapter sends it as the Idempotency-Key header). Deliveries are
// recorded once per batch (and at least every second while a slow batch
// runs), so a crash repeats at most that much. Exactly-once
// delivery to a receiver that cannot dedupe is not possible, and this
// package does not pretend otherwise.
//
// # Tenancy and permissions
//
// Enqueue takes the tenant from the principal in the context (a system
// principal may name another tenant in Message.Tenant) and checks no
// permission: it is one step of a use case that has checked its own. List
// takes the tenant explicitly and checks nothing either: the caller (an
// HTTP handler, say, requiring a permission such as "notify:read") must.
package notify
