package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestAccessStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunAccess(t, func(t *testing.T) (ballast.Transactor, access.Store) {
				db := dbtest.Open(t, backend)
				return db, db.Access()
			})
		})
	}
}

var _ access.Store = (*storage.AccessStore)(nil)
