// Package storetest is the conformance suite for ballast's store
// interfaces. storage runs it against SQLite and PostgreSQL; a host that
// implements a store of its own (say, hr.Store over its ERP's tables) runs
// the same suite against it:
//
//	func TestMyHRStore(t *testing.T) {
//		storetest.RunHR(t, func(t *testing.T) (ballast.Transactor, hr.Store) {
//			db := openFreshDatabase(t)
//			return db, db.HR()
//		})
//	}
//
// Each Run function takes an open function that must return a fresh, empty,
// migrated backend for every call. One file holds each area's tests,
// including tenant isolation: data of tenant A is never returned, updated or
// deleted through tenant B.
package storetest
