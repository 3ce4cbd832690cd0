// Package ballast is the shared vocabulary of the ballast HR engine: the
// principal that travels in a context, the error kinds every package wraps,
// the clock, identifier generation and the transactor interface.
//
// It holds no logic beyond these, so that every domain package (hr, access,
// audit, notify, offboarding, assessment, talent) and every transport speak
// the same language. A host application typically does three things with it:
//
//	ctx = ballast.WithPrincipal(ctx, ballast.Principal{
//		Tenant:  tenantID,
//		Subject: userID,
//		Kind:    ballast.KindUser,
//	})
//	_, err := hrService.HireEmployee(ctx, params)
//	switch {
//	case errors.Is(err, ballast.ErrForbidden): // 403
//	case errors.Is(err, ballast.ErrInvalid):   // 400; errors.As gives *ballast.ValidationError
//	case errors.Is(err, ballast.ErrNotFound):  // 404
//	case errors.Is(err, ballast.ErrConflict):  // 409
//	}
package ballast
