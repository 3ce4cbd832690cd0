package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestNotifyStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunNotify(t, func(t *testing.T) (ballast.Transactor, notify.Store) {
				db := dbtest.Open(t, backend)
				return db, db.Notify()
			})
		})
	}
}
