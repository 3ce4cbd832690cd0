package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestChannelStore(t *testing.T) {
	t.Parallel()
	for _, backend := range dbtest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storetest.RunChannel(t, func(t *testing.T) (ballast.Transactor, hr.Store, channel.Store) {
				db := dbtest.Open(t, backend)
				return db, db.HR(), db.Channel()
			})
		})
	}
}
