package ballast_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ballast-hr/ballast"
)

func TestPrincipalFrom(t *testing.T) {
	t.Parallel()
	good := ballast.Principal{Tenant: ballast.NewID(), Subject: ballast.NewID(), Kind: ballast.KindUser}
	tests := []struct {
		name    string
		ctx     context.Context
		wantErr error
	}{
		{"missing", context.Background(), ballast.ErrUnauthenticated},
		{"no tenant", ballast.WithPrincipal(context.Background(), ballast.Principal{Subject: "x", Kind: ballast.KindUser}), ballast.ErrInvalid},
		{"no subject", ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "t", Kind: ballast.KindSystem}), ballast.ErrInvalid},
		{"bad kind", ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: "t", Subject: "s"}), ballast.ErrInvalid},
		{"good", ballast.WithPrincipal(context.Background(), good), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ballast.PrincipalFrom(tt.ctx)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("PrincipalFrom() error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && p != good {
				t.Errorf("PrincipalFrom() = %+v, want %+v", p, good)
			}
		})
	}
}

func TestValidationError_ListsEveryFieldAndMatchesErrInvalid(t *testing.T) {
	t.Parallel()
	var v ballast.ValidationError
	if v.Err() != nil {
		t.Fatal("empty ValidationError.Err() is not nil")
	}
	v.Add("name", "is required")
	v.Add("email", "is not an email address")
	err := v.Err()
	if !errors.Is(err, ballast.ErrInvalid) {
		t.Fatalf("errors.Is(%v, ErrInvalid) = false", err)
	}
	var got *ballast.ValidationError
	if !errors.As(err, &got) || len(got.Fields) != 2 {
		t.Fatalf("errors.As gave %+v", got)
	}
	if want := "invalid input: name is required; email is not an email address"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if errors.Is(err, ballast.ErrNotFound) {
		t.Error("ValidationError matches ErrNotFound")
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	a, b := ballast.NewID(), ballast.NewID()
	if a == b || !ballast.ValidID(a) {
		t.Fatalf("NewID gave %q, %q", a, b)
	}
	if a > b {
		t.Errorf("UUIDv7 ids not time-ordered: %q > %q", a, b)
	}
	for _, bad := range []string{"", "x", "123", a + "0", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"} {
		if ballast.ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
		if err := ballast.CheckID("id", bad); !errors.Is(err, ballast.ErrInvalid) {
			t.Errorf("CheckID(%q) = %v", bad, err)
		}
	}
}
