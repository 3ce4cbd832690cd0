package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage/storetest"
)

func TestAppealStore(t *testing.T) {
	t.Parallel()
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			storetest.RunAppeal(t, func(t *testing.T) (ballast.Transactor, hr.Store, appeal.Store) {
				db := dbtest.Open(t, b)
				return db, db.HR(), db.Appeals()
			})
		})
	}
}
