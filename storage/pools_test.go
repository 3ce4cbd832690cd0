package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/storage/storetest"
	"github.com/ballast-hr/ballast/talent/pools"
)

func TestPoolsStore(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			storetest.RunPools(t, func(t *testing.T) (ballast.Transactor, hr.Store, pools.Store) {
				var db *storage.DB = dbtest.Open(t, b)
				return db, db.HR(), db.Pools()
			})
		})
	}
}
