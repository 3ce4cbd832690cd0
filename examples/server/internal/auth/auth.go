// Package auth signs the reference server's demo users in: users with
// PBKDF2-SHA256 password hashes, sessions and API tokens of which only the
// SHA-256 is stored, and an HTTP middleware that turns a session cookie or a
// bearer token into a ballast.Principal on the request context.
//
// It is deliberately simple. A host ERP that embeds ballast keeps its own
// authentication and only sets the principal:
//
//	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: t, Subject: id, Kind: ballast.KindUser})
//
// Whether the principal may do anything is decided by the domain services
// (access), not here: a user disabled with access.DisableAccount can still
// sign in but every service call is refused.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/storage"
)

// Token kinds.
const (
	kindSession = "session"
	kindAPI     = "api"
)

// SessionTTL is how long a session made by Login lasts.
const SessionTTL = 12 * time.Hour

// Options tunes New. The zero value is sensible.
type Options struct {
	// Iterations is the PBKDF2 iteration count for new password hashes
	// (default DefaultIterations; values below MinIterations are raised to it).
	Iterations int
}

// Service keeps users and tokens in the server's own tables
// (ballast_server_users, ballast_server_tokens). It is safe for concurrent
// use.
type Service struct {
	db         *storage.DB
	clock      ballast.Clock
	iterations int
	dummyHash  string // checked for unknown logins, so timing does not tell them apart
}

// New returns a Service on db (migrated with Migrate). A nil clock means
// the system clock.
func New(db *storage.DB, clock ballast.Clock, opts ...Options) (*Service, error) {
	if db == nil {
		return nil, errors.New("auth: new: db is required")
	}
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Iterations == 0 {
		o.Iterations = DefaultIterations
	}
	o.Iterations = max(o.Iterations, MinIterations)
	dummy, err := hashPassword("not a password", o.Iterations)
	if err != nil {
		return nil, err
	}
	return &Service{db: db, clock: ballast.ClockOrSystem(clock), iterations: o.Iterations, dummyHash: dummy}, nil
}

type userRow struct {
	bun.BaseModel `bun:"table:ballast_server_users"`

	TenantID     string    `bun:"tenant_id,pk"`
	ID           string    `bun:"id,pk"`
	Login        string    `bun:"login"`
	PasswordHash string    `bun:"password_hash"`
	Subject      string    `bun:"subject"`
	Disabled     bool      `bun:"disabled"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

type tokenRow struct {
	bun.BaseModel `bun:"table:ballast_server_tokens"`

	TenantID  string    `bun:"tenant_id,pk"`
	TokenHash string    `bun:"token_hash,pk"`
	UserID    string    `bun:"user_id"`
	Kind      string    `bun:"kind"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// NormalizeLogin is how logins are compared: trimmed and lower-cased.
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

func validLogin(login string) bool {
	if len(login) < 2 || len(login) > 64 {
		return false
	}
	for _, r := range login {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._@-", r)
		if !ok {
			return false
		}
	}
	return true
}

// CreateUser adds a user who signs in as login with password and acts as
// subject (an employee ID) in tenant. Bad input is a *ballast.ValidationError
// listing every bad field; a login already taken (in any tenant) or a
// subject that already has a user is ballast.ErrConflict.
func (s *Service) CreateUser(ctx context.Context, tenant, login, password, subject string) error {
	login = NormalizeLogin(login)
	var v ballast.ValidationError
	if !ballast.ValidID(tenant) {
		v.Add("tenant", "is not a valid id")
	}
	if !validLogin(login) {
		v.Add("login", "must be 2 to 64 characters of a-z, 0-9 and . _ @ -")
	}
	if n := utf8.RuneCountInString(password); n < 8 || len(password) > 256 {
		v.Add("password", "must be 8 to 256 characters")
	}
	if subject == "" || len(subject) > 128 {
		v.Add("subject", "is required (at most 128 characters)")
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("auth: create user: %w", err)
	}
	hash, err := hashPassword(password, s.iterations)
	if err != nil {
		return err
	}
	now := s.clock.Now().UTC()
	u := &userRow{TenantID: tenant, ID: ballast.NewID(), Login: login, PasswordHash: hash, Subject: subject, CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.Conn(ctx).NewInsert().Model(u).Exec(ctx); err != nil {
		return fmt.Errorf("auth: create user %q: %w", login, storage.Translate("insert user", err))
	}
	return nil
}

// SetDisabled disables (or re-enables) the user signed in as login:
// a disabled user cannot sign in and all of their tokens stop working at
// once. An unknown login is ballast.ErrNotFound.
func (s *Service) SetDisabled(ctx context.Context, login string, disabled bool) error {
	res, err := s.db.Conn(ctx).NewUpdate().Model((*userRow)(nil)).
		Set("disabled = ?", disabled).Set("updated_at = ?", s.clock.Now().UTC()).
		Where("login = ?", NormalizeLogin(login)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: disable %q: %w", login, storage.Translate("update user", err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("auth: disable %q: %w", login, ballast.ErrNotFound)
	}
	return nil
}

// DeleteTenant removes every user (and, with them, every token) of tenant.
// The demo reseed uses it.
func (s *Service) DeleteTenant(ctx context.Context, tenant string) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Conn(ctx).NewDelete().Model((*tokenRow)(nil)).Where("tenant_id = ?", tenant).Exec(ctx); err != nil {
			return fmt.Errorf("auth: delete tenant tokens: %w", storage.Translate("delete tokens", err))
		}
		if _, err := s.db.Conn(ctx).NewDelete().Model((*userRow)(nil)).Where("tenant_id = ?", tenant).Exec(ctx); err != nil {
			return fmt.Errorf("auth: delete tenant users: %w", storage.Translate("delete users", err))
		}
		return nil
	})
}

// ErrUnauthenticated is returned by Login for an unknown login, a wrong
// password and a disabled user alike, so a caller cannot tell which. It
// matches ballast.ErrUnauthenticated.
var ErrUnauthenticated = fmt.Errorf("auth: login or password is wrong: %w", ballast.ErrUnauthenticated)

// Login checks login and password and opens a session of SessionTTL. It
// returns the session token (give it to the client once; only its hash is
// kept) and the principal it stands for. Any failure to authenticate is
// ErrUnauthenticated. Repeated failures lock the login for a while (see
// MaxFailures): then Login returns a *LockedError (ErrTooManyAttempts)
// without checking the password, for known and unknown logins alike.
func (s *Service) Login(ctx context.Context, login, password string) (string, ballast.Principal, error) {
	login = NormalizeLogin(login)
	if len(login) > 320 {
		login = login[:320] // the throttle's key; no real login is this long
	}
	if err := s.locked(ctx, login); err != nil {
		return "", ballast.Principal{}, err
	}
	var u userRow
	err := s.db.Conn(ctx).NewSelect().Model(&u).Where("login = ?", login).Limit(1).Scan(ctx)
	if err != nil {
		if err = storage.Translate("select user", err); !errors.Is(err, ballast.ErrNotFound) {
			return "", ballast.Principal{}, fmt.Errorf("auth: login: %w", err)
		}
		checkPassword(s.dummyHash, password) // same work as for a known login
		return "", ballast.Principal{}, s.refuse(ctx, login)
	}
	if !checkPassword(u.PasswordHash, password) || u.Disabled {
		return "", ballast.Principal{}, s.refuse(ctx, login)
	}
	if err := s.succeeded(ctx, login); err != nil {
		return "", ballast.Principal{}, err
	}
	token, _, err := s.issue(ctx, &u, kindSession, SessionTTL)
	if err != nil {
		return "", ballast.Principal{}, err
	}
	// Sweep the user's expired tokens, so they do not pile up.
	if _, err := s.db.Conn(ctx).NewDelete().Model((*tokenRow)(nil)).
		Where("tenant_id = ? AND user_id = ? AND expires_at < ?", u.TenantID, u.ID, s.clock.Now().UTC().Truncate(time.Second)).
		Exec(ctx); err != nil {
		return "", ballast.Principal{}, fmt.Errorf("auth: sweep expired tokens: %w", storage.Translate("delete tokens", err))
	}
	return token, principal(&u), nil
}

// refuse counts a failed sign-in and returns ErrUnauthenticated, or the
// *LockedError of the failure that locked the login.
func (s *Service) refuse(ctx context.Context, login string) error {
	if err := s.failed(ctx, login); err != nil {
		return err
	}
	return ErrUnauthenticated
}

// IssueToken makes an API token (for "Authorization: Bearer") for the user
// behind the principal in ctx, valid for ttl (between a minute and a year),
// and returns it with its expiry. Without a principal it is
// ballast.ErrUnauthenticated; when the principal has no user here,
// ballast.ErrNotFound; for a disabled user, ballast.ErrForbidden.
func (s *Service) IssueToken(ctx context.Context, ttl time.Duration) (string, time.Time, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: issue token: %w", err)
	}
	if ttl < time.Minute || ttl > 366*24*time.Hour {
		return "", time.Time{}, fmt.Errorf("auth: issue token: %w", ballast.Invalid("ttl", "must be between one minute and one year"))
	}
	var u userRow
	if err := s.db.Conn(ctx).NewSelect().Model(&u).
		Where("tenant_id = ? AND subject = ?", p.Tenant, p.Subject).Limit(1).Scan(ctx); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: issue token: %w", storage.Translate("select user", err))
	}
	if u.Disabled {
		return "", time.Time{}, fmt.Errorf("auth: issue token: %w", ballast.ErrForbidden)
	}
	return s.issue(ctx, &u, kindAPI, ttl)
}

func (s *Service) issue(ctx context.Context, u *userRow, kind string, ttl time.Duration) (string, time.Time, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: token: %w", err)
	}
	token := u.TenantID + "." + base64.RawURLEncoding.EncodeToString(secret)
	now := s.clock.Now().UTC().Truncate(time.Second)
	row := &tokenRow{TenantID: u.TenantID, TokenHash: hashToken(token), UserID: u.ID, Kind: kind, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if _, err := s.db.Conn(ctx).NewInsert().Model(row).Exec(ctx); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: store token: %w", storage.Translate("insert token", err))
	}
	return token, row.ExpiresAt, nil
}

// Logout revokes token (a session or an API token). Revoking an unknown or
// malformed token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	tenant, ok := tokenTenant(token)
	if !ok {
		return nil
	}
	_, err := s.db.Conn(ctx).NewDelete().Model((*tokenRow)(nil)).
		Where("tenant_id = ? AND token_hash = ?", tenant, hashToken(token)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: logout: %w", storage.Translate("delete token", err))
	}
	return nil
}

// Authenticate returns the principal token stands for. A malformed,
// unknown, expired or revoked token, or one whose user is disabled, is
// ballast.ErrUnauthenticated.
func (s *Service) Authenticate(ctx context.Context, token string) (ballast.Principal, error) {
	tenant, ok := tokenTenant(token)
	if !ok {
		return ballast.Principal{}, fmt.Errorf("auth: malformed token: %w", ballast.ErrUnauthenticated)
	}
	var row struct {
		ExpiresAt time.Time `bun:"expires_at"`
		userRow
	}
	err := s.db.Conn(ctx).NewSelect().
		TableExpr("ballast_server_tokens AS t").
		Join("JOIN ballast_server_users AS u ON u.tenant_id = t.tenant_id AND u.id = t.user_id").
		ColumnExpr("t.expires_at, u.tenant_id, u.id, u.login, u.subject, u.disabled").
		Where("t.tenant_id = ? AND t.token_hash = ?", tenant, hashToken(token)).
		Limit(1).Scan(ctx, &row)
	if err != nil {
		if err = storage.Translate("select token", err); errors.Is(err, ballast.ErrNotFound) {
			return ballast.Principal{}, fmt.Errorf("auth: unknown token: %w", ballast.ErrUnauthenticated)
		}
		return ballast.Principal{}, fmt.Errorf("auth: authenticate: %w", err)
	}
	if row.Disabled || !s.clock.Now().Before(row.ExpiresAt) {
		return ballast.Principal{}, fmt.Errorf("auth: token expired or user disabled: %w", ballast.ErrUnauthenticated)
	}
	return principal(&row.userRow), nil
}

// LoginOf returns the login of the user acting as subject in tenant, for
// display ("signed in as …"). An unknown user is ballast.ErrNotFound.
func (s *Service) LoginOf(ctx context.Context, tenant, subject string) (string, error) {
	var login string
	err := s.db.Conn(ctx).NewSelect().Model((*userRow)(nil)).Column("login").
		Where("tenant_id = ? AND subject = ?", tenant, subject).Limit(1).Scan(ctx, &login)
	if err != nil {
		return "", fmt.Errorf("auth: login of %s: %w", subject, storage.Translate("select user", err))
	}
	return login, nil
}

func principal(u *userRow) ballast.Principal {
	return ballast.Principal{Tenant: u.TenantID, Subject: u.Subject, Kind: ballast.KindUser}
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// tokenTenant returns the tenant a token names (tokens are "<tenant>.<secret>").
func tokenTenant(token string) (string, bool) {
	tenant, secret, ok := strings.Cut(token, ".")
	if !ok || !ballast.ValidID(tenant) || len(secret) < 40 || len(secret) > 64 {
		return "", false
	}
	return tenant, true
}

// Logins lists the logins of tenant's users, sorted.
func (s *Service) Logins(ctx context.Context, tenant string) ([]string, error) {
	var logins []string
	err := s.db.Conn(ctx).NewSelect().Model((*userRow)(nil)).Column("login").
		Where("tenant_id = ?", tenant).OrderExpr("login").Scan(ctx, &logins)
	if err != nil {
		return nil, fmt.Errorf("auth: logins: %w", storage.Translate("select logins", err))
	}
	return logins, nil
}
