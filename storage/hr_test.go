package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestHRStore(t *testing.T) {
	t.Parallel()
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			storetest.RunHR(t, func(t *testing.T) (ballast.Transactor, hr.Store) {
				db := dbtest.Open(t, b)
				return db, db.HR()
			})
		})
	}
}

// The store returned by HR satisfies hr.Store by its signature; this keeps
// the storage import for readers of the test.
var _ func() hr.Store = (*storage.DB)(nil).HR
