package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestAuditStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunAudit(t, func(t *testing.T) (ballast.Transactor, audit.Store) {
				db := dbtest.Open(t, backend)
				return db, db.Audit()
			})
		})
	}
}

var _ = storage.SQLite
