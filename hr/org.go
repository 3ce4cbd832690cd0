package hr

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

func validateTenant(p TenantParams) error {
	var v ballast.ValidationError
	if p.ID != "" && !ballast.ValidID(p.ID) {
		v.Add("id", "is not a valid id")
	}
	text(&v, "name", p.Name, true, maxName)
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "Local" {
			v.Add("time_zone", "is not a known time zone")
		}
	}
	if p.Locale != "" && p.Locale != LocaleZhCN && p.Locale != LocaleEn {
		v.Add("locale", fmt.Sprintf("must be %q or %q", LocaleZhCN, LocaleEn))
	}
	return v.Err()
}

func (p TenantParams) normalised() TenantParams {
	p.Name = strings.TrimSpace(p.Name)
	if p.TimeZone == "" {
		p.TimeZone = "UTC"
	}
	if p.Locale == "" {
		p.Locale = LocaleEn
	}
	return p
}

// CreateTenant creates a tenant. Only a KindSystem principal (the platform)
// may: a user principal gets ballast.ErrForbidden. The audit entry opens the
// new tenant's own chain, and when Config.Auth is a TenantSeeder the
// tenant's built-in roles are seeded in the same transaction. An ID that
// already exists gives ErrConflict.
func (s *Service) CreateTenant(ctx context.Context, params TenantParams) (Tenant, error) {
	p, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return Tenant{}, fmt.Errorf("hr: create tenant: %w", err)
	}
	if p.Kind != ballast.KindSystem {
		return Tenant{}, fmt.Errorf("hr: create tenant: only the system creates tenants: %w", ballast.ErrForbidden)
	}
	params = params.normalised()
	if err := validateTenant(params); err != nil {
		return Tenant{}, fmt.Errorf("hr: create tenant: %w", err)
	}
	now := s.now()
	t := Tenant{ID: params.ID, Name: params.Name, TimeZone: params.TimeZone, Locale: params.Locale,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if t.ID == "" {
		t.ID = ballast.NewID()
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.InsertTenant(ctx, t); err != nil {
			return err
		}
		actx := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: t.ID, Subject: p.Subject, Kind: p.Kind})
		if seeder, ok := s.auth.(TenantSeeder); ok {
			if err := seeder.SeedTenant(actx, t.ID); err != nil {
				return err
			}
		}
		return s.record(actx, "hr.tenant.create", "tenant", t.ID, nil, t)
	})
	if err != nil {
		return Tenant{}, fmt.Errorf("hr: create tenant: %w", err)
	}
	return t, nil
}

// Tenant returns the principal's tenant. Any principal of the tenant may
// read it; ErrUnknownTenant when it does not exist.
func (s *Service) Tenant(ctx context.Context) (Tenant, error) {
	_, t, err := s.begin(ctx, "")
	if err != nil {
		return Tenant{}, fmt.Errorf("hr: tenant: %w", err)
	}
	return t, nil
}

// UpdateTenant changes the principal's tenant's name, zone and locale
// (PermTenantSettings). version is the version read; a stale one gives
// ErrConflict.
func (s *Service) UpdateTenant(ctx context.Context, params TenantParams, version int64) (Tenant, error) {
	fail := func(err error) (Tenant, error) { return Tenant{}, fmt.Errorf("hr: update tenant: %w", err) }
	params = params.normalised()
	params.ID = ""
	if err := validateTenant(params); err != nil {
		return fail(err)
	}
	var out Tenant
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		_, before, err := s.begin(ctx, PermTenantSettings)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion(version, before.Version)
		}
		out = before
		out.Name, out.TimeZone, out.Locale = params.Name, params.TimeZone, params.Locale
		out.UpdatedAt, out.Version = s.now(), before.Version+1
		if err := s.store.UpdateTenant(ctx, out, version); err != nil {
			return err
		}
		return s.record(ctx, "hr.tenant.update", "tenant", out.ID, before, out)
	})
	if err != nil {
		return fail(err)
	}
	return out, nil
}

// staleVersion is the ErrConflict of an update that names a version other
// than the stored one.
func staleVersion(got, want int64) error {
	return fmt.Errorf("version %d is stale (current %d): %w", got, want, ballast.ErrConflict)
}
