package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// Audit returns the audit.Store on db. It also implements
// ballast.Transactor (db's), so audit.Config needs no separate Tx.
func (db *DB) Audit() audit.Store { return auditStore{db: db} }

type auditStore struct{ db *DB }

// InTx is db.InTx.
func (s auditStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, fn)
}

// auditEntry is a row of ballast_audit_entries. Seq is NULL while the entry
// waits for the sequencer.
type auditEntry struct {
	bun.BaseModel `bun:"table:ballast_audit_entries,alias:e"`

	TenantID   string    `bun:"tenant_id,pk"`
	ID         string    `bun:"id,pk"`
	Seq        *int64    `bun:"seq"`
	At         time.Time `bun:"at,notnull"`
	Actor      string    `bun:"actor,notnull"`
	ActorKind  string    `bun:"actor_kind,notnull"`
	Action     string    `bun:"action,notnull"`
	TargetType string    `bun:"target_type,notnull"`
	TargetID   string    `bun:"target_id,notnull"`
	Reason     string    `bun:"reason,notnull"`
	Changes    string    `bun:"changes,notnull"` // JSON array of audit.Change
	PrevHash   string    `bun:"prev_hash,notnull"`
	Hash       string    `bun:"hash,notnull"`
}

func toAuditRow(e audit.Entry) (auditEntry, error) {
	changes, err := encodeChanges(e.Changes)
	if err != nil {
		return auditEntry{}, fmt.Errorf("encode changes: %w", err)
	}
	r := auditEntry{
		TenantID: e.Tenant, ID: e.ID, At: e.At.UTC(), Actor: e.Actor, ActorKind: e.ActorKind,
		Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, Reason: e.Reason,
		Changes: changes, PrevHash: e.PrevHash, Hash: e.Hash,
	}
	if e.Seq > 0 {
		seq := e.Seq
		r.Seq = &seq
	}
	return r, nil
}

func (s auditStore) Insert(ctx context.Context, e audit.Entry) error {
	row, err := toAuditRow(e)
	if err != nil {
		return fmt.Errorf("storage: insert audit entry: %w", err)
	}
	_, err = s.db.Conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert audit entry", err)
}

// InsertMany implements audit.BatchInserter: multi-row inserts of 1,000
// entries each.
func (s auditStore) InsertMany(ctx context.Context, es []audit.Entry) error {
	for start := 0; start < len(es); start += 1000 {
		part := es[start:min(start+1000, len(es))]
		rows := make([]auditEntry, len(part))
		for i, e := range part {
			r, err := toAuditRow(e)
			if err != nil {
				return fmt.Errorf("storage: insert audit entries: %w", err)
			}
			rows[i] = r
		}
		if _, err := s.db.Conn(ctx).NewInsert().Model(&rows).Exec(ctx); err != nil {
			return translate("insert audit entries", err)
		}
	}
	return nil
}

func (s auditStore) LockHead(ctx context.Context, tenant string) (audit.Head, error) {
	if _, ok := TxFrom(ctx); !ok {
		return audit.Head{}, errors.New("storage: lock audit head: needs a transaction")
	}
	conn := s.db.Conn(ctx)
	sel := func() (audit.Head, error) {
		var h audit.Head
		q := conn.NewSelect().TableExpr("ballast_audit_heads").ColumnExpr("seq, hash").Where("tenant_id = ?", tenant)
		if s.db.dialect == Postgres {
			q = q.For("UPDATE")
		}
		err := q.Scan(ctx, &h.Seq, &h.Hash)
		return h, err
	}
	h, err := sel()
	if errors.Is(err, sql.ErrNoRows) {
		// The chain's first link: create its head, then lock it (another
		// transaction may have created it first).
		if _, err := conn.NewRaw("INSERT INTO ballast_audit_heads (tenant_id, seq, hash) VALUES (?, 0, '') ON CONFLICT (tenant_id) DO NOTHING", tenant).Exec(ctx); err != nil {
			return audit.Head{}, translate("create audit head", err)
		}
		h, err = sel()
	}
	return h, translate("lock audit head", err)
}

func (s auditStore) SetHead(ctx context.Context, tenant string, h audit.Head) error {
	res, err := s.db.Conn(ctx).NewUpdate().Table("ballast_audit_heads").
		Set("seq = ?", h.Seq).Set("hash = ?", h.Hash).Where("tenant_id = ?", tenant).Exec(ctx)
	if err != nil {
		return translate("set audit head", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("storage: set audit head of %s: %w", tenant, ballast.ErrNotFound)
	}
	return nil
}

func (s auditStore) Head(ctx context.Context, tenant string) (audit.Head, error) {
	var h audit.Head
	err := s.db.Conn(ctx).NewSelect().TableExpr("ballast_audit_heads").ColumnExpr("seq, hash").
		Where("tenant_id = ?", tenant).Scan(ctx, &h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return audit.Head{}, nil
	}
	return h, translate("read audit head", err)
}

func (s auditStore) Pending(ctx context.Context, tenant string, limit int) ([]audit.Entry, error) {
	rows, err := s.db.Conn(ctx).NewSelect().TableExpr("ballast_audit_entries").ColumnExpr(auditColumns).
		Where("tenant_id = ?", tenant).Where("seq IS NULL").
		OrderExpr("at, id").Limit(int64(limit)).Rows(ctx)
	if err != nil {
		return nil, translate("list pending audit entries", err)
	}
	out, err := scanAuditEntries(rows, limit)
	return out, translate("list pending audit entries", err)
}

func (s auditStore) PendingTenants(ctx context.Context, limit int) ([]string, error) {
	var tenants []string
	err := s.db.Conn(ctx).NewSelect().TableExpr("ballast_audit_entries").
		ColumnExpr("DISTINCT tenant_id").Where("seq IS NULL").OrderExpr("tenant_id").Limit(int64(limit)).
		Scan(ctx, &tenants)
	return tenants, translate("list tenants with pending audit entries", err)
}

// Link sets the links of a batch in one UPDATE … FROM (VALUES …); the
// statement's shape depends only on the batch size, every value is bound.
func (s auditStore) Link(ctx context.Context, tenant string, entries []audit.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	var b strings.Builder
	args := make([]any, 0, 4*len(entries)+1)
	b.WriteString("WITH v (id, seq, prev_hash, hash) AS (VALUES ")
	for i, e := range entries {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
		args = append(args, e.ID, e.Seq, e.PrevHash, e.Hash)
	}
	b.WriteString(") UPDATE ballast_audit_entries SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash FROM v")
	b.WriteString(" WHERE ballast_audit_entries.tenant_id = ? AND ballast_audit_entries.id = v.id AND ballast_audit_entries.seq IS NULL")
	args = append(args, tenant)
	res, err := s.db.Conn(ctx).NewRaw(b.String(), args...).Exec(ctx)
	if err != nil {
		return translate("link audit entries", err)
	}
	if n, _ := res.RowsAffected(); n != int64(len(entries)) {
		return fmt.Errorf("storage: link audit entries of %s: %d of %d still pending: %w", tenant, n, len(entries), ballast.ErrConflict)
	}
	return nil
}

func (s auditStore) Entries(ctx context.Context, tenant string, p audit.EntriesParams) ([]audit.Entry, error) {
	if p.Limit <= 0 {
		return nil, fmt.Errorf("storage: list audit entries: %w", ballast.Invalid("limit", "must be positive"))
	}
	q := s.db.Conn(ctx).NewSelect().TableExpr("ballast_audit_entries").ColumnExpr(auditColumns).
		Where("tenant_id = ?", tenant).Where("seq IS NOT NULL")
	if p.TargetType != "" {
		q = q.Where("target_type = ?", p.TargetType)
	}
	if p.TargetID != "" {
		q = q.Where("target_id = ?", p.TargetID)
	}
	if p.Actor != "" {
		q = q.Where("actor = ?", p.Actor)
	}
	if p.Action != "" {
		q = q.Where("action = ?", p.Action)
	}
	if p.ActionPrefix != "" {
		q = q.Where("substr(action, 1, ?) = ?", utf8.RuneCountInString(p.ActionPrefix), p.ActionPrefix)
	}
	if !p.Since.IsZero() {
		q = q.Where("at >= ?", p.Since.UTC())
	}
	if !p.Until.IsZero() {
		q = q.Where("at < ?", p.Until.UTC())
	}
	if p.AfterSeq > 0 {
		q = q.Where("seq > ?", p.AfterSeq)
	}
	if p.BeforeSeq > 0 {
		q = q.Where("seq < ?", p.BeforeSeq)
	}
	if p.Ascending {
		q = q.OrderExpr("seq ASC")
	} else {
		q = q.OrderExpr("seq DESC")
	}
	rows, err := q.Limit(int64(p.Limit)).Rows(ctx)
	if err != nil {
		return nil, translate("list audit entries", err)
	}
	out, err := scanAuditEntries(rows, min(p.Limit, 256))
	return out, translate("list audit entries", err)
}
