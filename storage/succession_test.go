package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage/storetest"
	"github.com/ballast-hr/ballast/talent/succession"
)

func TestSuccessionStore(t *testing.T) {
	t.Parallel()
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			storetest.RunSuccession(t, func(t *testing.T) (ballast.Transactor, hr.Store, succession.Store) {
				db := dbtest.Open(t, b)
				return db, db.HR(), db.Succession()
			})
		})
	}
}
