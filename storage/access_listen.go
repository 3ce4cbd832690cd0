package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"
)

// accessChannel is the PostgreSQL notification channel of policy changes;
// the payload is the tenant.
const accessChannel = "ballast_access"

// notifyPolicyChange queues a notification of tenant's policy change on
// PostgreSQL; PostgreSQL delivers it when (and only if) the transaction
// commits. SQLite has no notifications: other instances poll.
func (s *AccessStore) notifyPolicyChange(ctx context.Context, tenant string) error {
	if s.db.dialect != Postgres {
		return nil
	}
	if _, err := s.db.Conn(ctx).ExecContext(ctx, "SELECT pg_notify(?, ?)", accessChannel, tenant); err != nil {
		return translate("access notify", err)
	}
	return nil
}

// ListenPolicyChanges calls changed with the tenant of every policy change
// committed by any instance (including this one), until ctx ends or the
// connection fails; it holds one connection of the pool meanwhile. It is
// PostgreSQL's LISTEN/NOTIFY; on SQLite it returns an error matching
// errors.ErrUnsupported at once. access.Enforcer.Watch uses it.
func (s *AccessStore) ListenPolicyChanges(ctx context.Context, changed func(tenant string)) error {
	if s.db.dialect != Postgres {
		return fmt.Errorf("storage: listen for access changes on %s: %w", s.db.dialect, errors.ErrUnsupported)
	}
	conn, err := s.db.bun.DB.Conn(ctx)
	if err != nil {
		return translate("access listen", err)
	}
	defer conn.Close()
	err = conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T: %w", driverConn, errors.ErrUnsupported)
		}
		pg := c.Conn()
		if _, err := pg.Exec(ctx, "LISTEN "+accessChannel); err != nil {
			return err
		}
		// The connection goes back to the pool afterwards: stop listening.
		defer func() { _, _ = pg.Exec(context.WithoutCancel(ctx), "UNLISTEN "+accessChannel) }()
		for {
			n, err := pg.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			changed(n.Payload)
		}
	})
	return translate("access listen", err)
}
