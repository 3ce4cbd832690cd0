package storage_test

import (
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage/storetest"
	"github.com/ballast-hr/ballast/talent/mentoring"
	"github.com/ballast-hr/ballast/talent/training"
)

func TestTrainingStore(t *testing.T) {
	t.Parallel()
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			storetest.RunTraining(t, func(t *testing.T) (ballast.Transactor, hr.Store, training.Store) {
				db := dbtest.Open(t, b)
				return db, db.HR(), db.Training()
			})
		})
	}
}

func TestMentoringStore(t *testing.T) {
	t.Parallel()
	for _, b := range dbtest.Backends() {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			storetest.RunMentoring(t, func(t *testing.T) (ballast.Transactor, hr.Store, mentoring.Store) {
				db := dbtest.Open(t, b)
				return db, db.HR(), db.Mentoring()
			})
		})
	}
}
