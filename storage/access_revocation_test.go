package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestAccessRevocationStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunAccessRevocation(t, func(t *testing.T) (ballast.Transactor, access.RevocationStore) {
				db := dbtest.Open(t, backend)
				return db, db.Access()
			})
		})
	}
}
