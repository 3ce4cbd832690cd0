package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
)

// Notify returns the outbox store for notify.New. It joins the transaction
// carried by the context of each call and implements notify.AfterCommitter,
// so Enqueue wakes the dispatcher once the use case commits.
func (db *DB) Notify() notify.Store { return notifyStore{db: db} }

type notifyStore struct{ db *DB }

// notifyMessage is a row of ballast_notify_messages.
type notifyMessage struct {
	bun.BaseModel `bun:"table:ballast_notify_messages,alias:m"`

	TenantID       string            `bun:"tenant_id,pk"`
	ID             string            `bun:"id,pk"`
	IdempotencyKey string            `bun:"idempotency_key"`
	Kind           string            `bun:"kind"`
	Channel        string            `bun:"channel"`
	Recipients     []string          `bun:"recipients"`
	Subject        string            `bun:"subject"`
	Body           string            `bun:"body"`
	Data           map[string]string `bun:"data"`
	Status         string            `bun:"status"`
	Attempts       int               `bun:"attempts"`
	NextAttemptAt  time.Time         `bun:"next_attempt_at"`
	ClaimedUntil   time.Time         `bun:"claimed_until,nullzero"`
	ClaimToken     string            `bun:"claim_token"`
	LastError      string            `bun:"last_error"`
	CreatedAt      time.Time         `bun:"created_at"`
	UpdatedAt      time.Time         `bun:"updated_at"`
	DeliveredAt    time.Time         `bun:"delivered_at,nullzero"`
}

func toNotifyRow(tenant string, r notify.Record) *notifyMessage {
	row := &notifyMessage{
		TenantID:       tenant,
		ID:             r.ID,
		IdempotencyKey: r.IdempotencyKey,
		Kind:           r.Kind,
		Channel:        r.Channel,
		Recipients:     r.Recipients,
		Subject:        r.Subject,
		Body:           r.Body,
		Data:           r.Data,
		Status:         string(r.Status),
		Attempts:       r.Attempts,
		NextAttemptAt:  r.NextAttemptAt.UTC(),
		ClaimedUntil:   utcOrZero(r.ClaimedUntil),
		LastError:      r.LastError,
		CreatedAt:      r.CreatedAt.UTC(),
		UpdatedAt:      r.UpdatedAt.UTC(),
		DeliveredAt:    utcOrZero(r.DeliveredAt),
	}
	if row.Recipients == nil {
		row.Recipients = []string{}
	}
	if row.Data == nil {
		row.Data = map[string]string{}
	}
	return row
}

func (row *notifyMessage) record() notify.Record {
	r := notify.Record{
		Message: notify.Message{
			ID:             row.ID,
			Tenant:         row.TenantID,
			Recipients:     row.Recipients,
			Channel:        row.Channel,
			Subject:        row.Subject,
			Body:           row.Body,
			Kind:           row.Kind,
			Data:           row.Data,
			IdempotencyKey: row.IdempotencyKey,
			CreatedAt:      row.CreatedAt.UTC(),
		},
		Status:        notify.Status(row.Status),
		Attempts:      row.Attempts,
		NextAttemptAt: row.NextAttemptAt.UTC(),
		ClaimedUntil:  utcOrZero(row.ClaimedUntil),
		LastError:     row.LastError,
		DeliveredAt:   utcOrZero(row.DeliveredAt),
		UpdatedAt:     row.UpdatedAt.UTC(),
	}
	if len(r.Data) == 0 {
		r.Data = nil
	}
	return r
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func records(rows []notifyMessage) []notify.Record {
	out := make([]notify.Record, len(rows))
	for i := range rows {
		out[i] = rows[i].record()
	}
	return out
}

// AfterCommit implements notify.AfterCommitter.
func (s notifyStore) AfterCommit(ctx context.Context, fn func()) { s.db.AfterCommit(ctx, fn) }

// Insert implements notify.Store: INSERT … ON CONFLICT DO NOTHING on the
// (tenant_id, idempotency_key) index, then the existing row on a duplicate.
func (s notifyStore) Insert(ctx context.Context, tenant string, rec notify.Record) (notify.Record, bool, error) {
	conn := s.db.Conn(ctx)
	row := toNotifyRow(tenant, rec)
	res, err := conn.NewInsert().Model(row).
		On("CONFLICT (tenant_id, idempotency_key) DO NOTHING").
		Exec(ctx)
	if err != nil {
		return notify.Record{}, false, translate("notify insert", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return notify.Record{}, false, translate("notify insert", err)
	} else if n == 1 {
		return row.record(), true, nil
	}
	var existing notifyMessage
	err = conn.NewSelect().Model(&existing).
		Where("m.tenant_id = ?", tenant).
		Where("m.idempotency_key = ?", rec.IdempotencyKey).
		Scan(ctx)
	if err != nil {
		return notify.Record{}, false, translate("notify insert: read existing", err)
	}
	return existing.record(), false, nil
}

// InsertMany implements notify.BatchInserter: multi-row INSERT … ON
// CONFLICT DO NOTHING in batches of 500 rows.
func (s notifyStore) InsertMany(ctx context.Context, tenant string, recs []notify.Record) (int, error) {
	conn := s.db.Conn(ctx)
	seen := make(map[string]bool, len(recs))
	rows := make([]*notifyMessage, 0, len(recs))
	for _, rec := range recs {
		if seen[rec.IdempotencyKey] {
			continue
		}
		seen[rec.IdempotencyKey] = true
		rows = append(rows, toNotifyRow(tenant, rec))
	}
	total := 0
	for start := 0; start < len(rows); start += 500 {
		batch := rows[start:min(start+500, len(rows))]
		res, err := conn.NewInsert().Model(&batch).
			On("CONFLICT (tenant_id, idempotency_key) DO NOTHING").
			Exec(ctx)
		if err != nil {
			return 0, translate("notify insert many", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, translate("notify insert many", err)
		}
		total += int(n)
	}
	return total, nil
}

// DueTenants implements notify.Store.
func (s notifyStore) DueTenants(ctx context.Context, now time.Time, limit int) ([]string, error) {
	now = now.UTC()
	var tenants []string
	err := s.db.Conn(ctx).NewSelect().
		TableExpr("ballast_notify_messages AS m").
		Column("m.tenant_id").
		Where("m.status = ?", string(notify.StatusPending)).
		Where("m.next_attempt_at <= ?", now).
		Where("(m.claimed_until IS NULL OR m.claimed_until <= ?)", now).
		Group("m.tenant_id").
		OrderExpr("MIN(m.next_attempt_at), m.tenant_id").
		Limit(int64(limit)).
		Scan(ctx, &tenants)
	if err != nil {
		return nil, translate("notify due tenants", err)
	}
	return tenants, nil
}

// Claim implements notify.Store. On PostgreSQL one statement selects the
// due rows FOR UPDATE SKIP LOCKED and leases them, so concurrent
// dispatchers take disjoint batches without waiting for each other; a row
// another dispatcher leased meanwhile fails the re-check of the WHERE clause
// and is skipped too. On SQLite the one UPDATE … RETURNING holds SQLite's
// single write lock (alone, or inside the caller's immediate transaction),
// which serialises claims.
func (s notifyStore) Claim(ctx context.Context, tenant string, p notify.ClaimParams) ([]notify.Record, error) {
	if p.Limit <= 0 || p.Token == "" {
		return nil, fmt.Errorf("storage: notify claim: %w", ballast.Invalid("claim", "needs a positive limit and a token"))
	}
	now, until := p.Now.UTC(), p.Until.UTC()
	var rows []notifyMessage
	var err error
	switch s.db.dialect {
	case Postgres:
		err = s.db.Conn(ctx).NewRaw(`WITH due AS (
	SELECT tenant_id, id FROM ballast_notify_messages
	WHERE tenant_id = ? AND status = 'pending' AND next_attempt_at <= ?
	  AND (claimed_until IS NULL OR claimed_until <= ?)
	ORDER BY next_attempt_at, id
	LIMIT ?
	FOR UPDATE SKIP LOCKED
)
UPDATE ballast_notify_messages AS m
SET claimed_until = ?, claim_token = ?, attempts = m.attempts + 1, updated_at = ?
FROM due
WHERE m.tenant_id = due.tenant_id AND m.id = due.id
RETURNING m.*`, tenant, now, now, p.Limit, until, p.Token, now).Scan(ctx, &rows)
	default:
		err = s.db.Conn(ctx).NewRaw(`UPDATE ballast_notify_messages
SET claimed_until = ?, claim_token = ?, attempts = attempts + 1, updated_at = ?
WHERE tenant_id = ? AND id IN (
	SELECT id FROM ballast_notify_messages
	WHERE tenant_id = ? AND status = 'pending' AND next_attempt_at <= ?
	  AND (claimed_until IS NULL OR claimed_until <= ?)
	ORDER BY next_attempt_at, id
	LIMIT ?
)
RETURNING *`, until, p.Token, now, tenant, tenant, now, now, p.Limit).Scan(ctx, &rows)
	}
	if err != nil {
		return nil, translate("notify claim", err)
	}
	return records(rows), nil
}

// Complete implements notify.Store.
func (s notifyStore) Complete(ctx context.Context, tenant string, p notify.CompleteParams) (int, error) {
	if len(p.IDs) == 0 {
		return 0, nil
	}
	q := s.db.Conn(ctx).NewUpdate().
		TableExpr("ballast_notify_messages").
		Set("status = ?", string(p.Status)).
		Set("claimed_until = NULL").
		Set("claim_token = ''").
		Set("last_error = ?", p.LastError).
		Set("updated_at = ?", p.At.UTC())
	switch p.Status {
	case notify.StatusDelivered:
		q = q.Set("delivered_at = ?", p.At.UTC())
	case notify.StatusPending:
		q = q.Set("next_attempt_at = ?", p.NextAttemptAt.UTC())
	case notify.StatusDead:
	default:
		return 0, fmt.Errorf("storage: notify complete: %w", ballast.Invalid("status", "is not a status"))
	}
	res, err := q.
		Where("tenant_id = ?", tenant).
		Where("id IN (?)", bun.In(p.IDs)).
		Where("claim_token = ?", p.Token).
		Where("status = ?", string(notify.StatusPending)).
		Exec(ctx)
	if err != nil {
		return 0, translate("notify complete", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, translate("notify complete", err)
	}
	return int(n), nil
}

// List implements notify.Store.
func (s notifyStore) List(ctx context.Context, tenant string, f notify.Filter) ([]notify.Record, error) {
	var rows []notifyMessage
	q := s.db.Conn(ctx).NewSelect().Model(&rows).Where("m.tenant_id = ?", tenant)
	if f.Status != "" {
		q = q.Where("m.status = ?", string(f.Status))
	}
	if f.Kind != "" {
		q = q.Where("m.kind = ?", f.Kind)
	}
	if f.Recipient != "" {
		switch s.db.dialect {
		case Postgres:
			one, err := json.Marshal([]string{f.Recipient})
			if err != nil {
				return nil, fmt.Errorf("storage: notify list: %w", err)
			}
			q = q.Where("m.recipients @> CAST(? AS jsonb)", string(one))
		default:
			q = q.Where("EXISTS (SELECT 1 FROM json_each(m.recipients) AS r WHERE r.value = ?)", f.Recipient)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = notify.DefaultListLimit
	}
	err := q.OrderExpr("m.created_at DESC, m.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, translate("notify list", err)
	}
	return records(rows), nil
}
