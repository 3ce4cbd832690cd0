package ballast

import "context"

// Transactor runs a use case in one transaction. The transaction travels in
// the context handed to fn; every store method called with that context
// joins it, and a nested InTx becomes a savepoint. If fn returns an error
// (or panics) everything it wrote is rolled back.
//
// storage.DB implements it; domain services take it in their Config so they
// never import a SQL package.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}
