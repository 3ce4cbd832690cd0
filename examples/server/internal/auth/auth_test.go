package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newService(t *testing.T, db *storage.DB) (*auth.Service, *fakeClock) {
	t.Helper()
	ctx := context.Background()
	if err := auth.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := auth.Migrate(ctx, db); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	clock := &fakeClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s, err := auth.New(db, clock, auth.Options{Iterations: auth.MinIterations})
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func TestLogin_AuthenticatesAndRefusesUniformly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		tenant, subject := ballast.NewID(), ballast.NewID()
		if err := s.CreateUser(ctx, tenant, " Li.Na ", "correct horse", subject); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, tenant, "off", "correct horse", ballast.NewID()); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDisabled(ctx, "off", true); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, login, password string
			wantErr               error
		}{
			{"right password, login case-insensitive", "li.na", "correct horse", nil},
			{"wrong password", "li.na", "wrong horse", ballast.ErrUnauthenticated},
			{"unknown login", "nobody", "correct horse", ballast.ErrUnauthenticated},
			{"disabled user", "off", "correct horse", ballast.ErrUnauthenticated},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token, p, err := s.Login(ctx, tt.login, tt.password)
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) || token != "" {
						t.Fatalf("Login() = %q, %v; want error %v", token, err, tt.wantErr)
					}
					if err.Error() != auth.ErrUnauthenticated.Error() {
						t.Errorf("error %q tells the cases apart", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want := ballast.Principal{Tenant: tenant, Subject: subject, Kind: ballast.KindUser}
				if diff := cmp.Diff(want, p); diff != "" {
					t.Errorf("principal (-want +got):\n%s", diff)
				}
				got, err := s.Authenticate(ctx, token)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Authenticate (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestStorage_KeepsOnlyHashes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		tenant := ballast.NewID()
		if err := s.CreateUser(ctx, tenant, "wang", "s3cret-pass", ballast.NewID()); err != nil {
			t.Fatal(err)
		}
		token, _, err := s.Login(ctx, "wang", "s3cret-pass")
		if err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := db.Bun().NewSelect().TableExpr("ballast_server_users").Column("password_hash").Scan(ctx, &hash); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(hash, "s3cret") || !strings.HasPrefix(hash, "pbkdf2-sha256$100000$") {
			t.Errorf("password stored as %q", hash)
		}
		var tokenHashes []string
		if err := db.Bun().NewSelect().TableExpr("ballast_server_tokens").Column("token_hash").Scan(ctx, &tokenHashes); err != nil {
			t.Fatal(err)
		}
		_, secret, _ := strings.Cut(token, ".")
		for _, h := range tokenHashes {
			if strings.Contains(h, secret) || len(h) != 64 {
				t.Errorf("token stored as %q", h)
			}
		}
	})
}

func TestTokens_StopWorkingWhenRevokedExpiredOrDisabled(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, clock := newService(t, db)
		tenant, subject := ballast.NewID(), ballast.NewID()
		if err := s.CreateUser(ctx, tenant, "zhao", "password1", subject); err != nil {
			t.Fatal(err)
		}
		login := func() string {
			tok, _, err := s.Login(ctx, "zhao", "password1")
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		pctx := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: subject, Kind: ballast.KindUser})
		apiToken, expires, err := s.IssueToken(pctx, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if want := clock.Now().Add(24 * time.Hour); !expires.Equal(want) {
			t.Errorf("API token expires %v, want %v", expires, want)
		}
		if _, err := s.Authenticate(ctx, apiToken); err != nil {
			t.Fatalf("fresh API token: %v", err)
		}

		loggedOut := login()
		if err := s.Logout(ctx, loggedOut); err != nil {
			t.Fatal(err)
		}
		expired := login()
		clock.Add(auth.SessionTTL + time.Second)
		fresh := login()

		tests := []struct {
			name, token string
			wantErr     error
		}{
			{"fresh session", fresh, nil},
			{"api token within its ttl", apiToken, nil},
			{"logged out", loggedOut, ballast.ErrUnauthenticated},
			{"expired session", expired, ballast.ErrUnauthenticated},
			{"malformed", "garbage", ballast.ErrUnauthenticated},
			{"other tenant", ballast.NewID() + fresh[36:], ballast.ErrUnauthenticated},
		}
		for _, tt := range tests {
			_, err := s.Authenticate(ctx, tt.token)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("%s: Authenticate() = %v, want %v", tt.name, err, tt.wantErr)
			}
		}
		if err := s.SetDisabled(ctx, "zhao", true); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{fresh, apiToken} {
			if _, err := s.Authenticate(ctx, tok); !errors.Is(err, ballast.ErrUnauthenticated) {
				t.Errorf("token of a disabled user: %v", err)
			}
		}
		// The expired session was swept by the next login: what remains
		// is the API token and the fresh session.
		n, err := db.Bun().NewSelect().TableExpr("ballast_server_tokens").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("%d tokens stored, want 2 (expired ones swept)", n)
		}
	})
}

func TestCreateUser_RejectsBadInputAndDuplicates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		tenant, subject := ballast.NewID(), ballast.NewID()
		if err := s.CreateUser(ctx, tenant, "chen", "password1", subject); err != nil {
			t.Fatal(err)
		}
		err := s.CreateUser(ctx, "t", "Bad Login!", "short", "")
		var v *ballast.ValidationError
		if !errors.As(err, &v) {
			t.Fatalf("CreateUser(bad) = %v, want *ValidationError", err)
		}
		var fields []string
		for _, f := range v.Fields {
			fields = append(fields, f.Field)
		}
		if diff := cmp.Diff([]string{"tenant", "login", "password", "subject"}, fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		for name, err := range map[string]error{
			"same login, other tenant": s.CreateUser(ctx, ballast.NewID(), "CHEN", "password1", ballast.NewID()),
			"same subject":             s.CreateUser(ctx, tenant, "chen2", "password1", subject),
		} {
			if !errors.Is(err, ballast.ErrConflict) {
				t.Errorf("%s: %v, want ErrConflict", name, err)
			}
		}
	})
}

func TestMiddleware_SetsPrincipalFromBearerOrCookie(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	s, _ := newService(t, db)
	tenant, subject := ballast.NewID(), ballast.NewID()
	if err := s.CreateUser(ctx, tenant, "sun", "password1", subject); err != nil {
		t.Fatal(err)
	}
	token, _, err := s.Login(ctx, "sun", "password1")
	if err != nil {
		t.Fatal(err)
	}
	h := s.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := ballast.PrincipalFrom(r.Context())
		if err != nil {
			_, _ = w.Write([]byte("anonymous"))
			return
		}
		_, _ = w.Write([]byte(p.Subject))
	}))
	tests := []struct {
		name    string
		prepare func(r *http.Request)
		want    string
	}{
		{"no credentials", func(*http.Request) {}, "anonymous"},
		{"bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }, subject},
		{"cookie", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: auth.CookieName, Value: token}) }, subject},
		{"bad bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }, "anonymous"},
		{"basic auth is not a token", func(r *http.Request) { r.Header.Set("Authorization", "Basic "+token) }, "anonymous"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			tt.prepare(r)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if got := w.Body.String(); got != tt.want {
				t.Errorf("principal = %q, want %q", got, tt.want)
			}
		})
	}
	w := httptest.NewRecorder()
	auth.SetSessionCookie(w, token)
	c := w.Result().Cookies()
	if len(c) != 1 || !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode || c[0].Value != token {
		t.Errorf("session cookie = %+v", c)
	}
}
