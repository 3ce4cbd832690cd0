package hr

import (
	"fmt"
	"time"
)

// The locales a tenant can default to. Texts of the reference server exist
// in both.
const (
	LocaleZhCN = "zh-CN"
	LocaleEn   = "en"
)

// Tenant is one company using ballast. Every other record belongs to
// exactly one tenant; the principal in the context names it.
type Tenant struct {
	// ID identifies the tenant (a UUID).
	ID string `json:"id"`
	// Name is the company's display name.
	Name string `json:"name"`
	// TimeZone is an IANA zone such as "Asia/Shanghai". Calendar dates
	// (hire dates, last working days, deadlines) are read in it.
	TimeZone string `json:"time_zone"`
	// Locale is the default language of texts: LocaleZhCN or LocaleEn.
	Locale string `json:"locale"`
	// CreatedAt and UpdatedAt are instants in UTC.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// Location returns the tenant's time zone, or UTC when it is unset.
func (t Tenant) Location() (*time.Location, error) {
	if t.TimeZone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("hr: tenant %s time zone %q: %w", t.ID, t.TimeZone, err)
	}
	return loc, nil
}

// TenantParams is what CreateTenant and UpdateTenant take.
type TenantParams struct {
	// ID is the new tenant's ID; empty means generate one. A host ERP that
	// has its own tenant IDs passes them here (they must be UUIDs).
	// UpdateTenant ignores it.
	ID string `json:"id,omitempty"`
	// Name is required, at most 200 characters.
	Name string `json:"name"`
	// TimeZone is an IANA zone; empty means "UTC".
	TimeZone string `json:"time_zone"`
	// Locale is LocaleZhCN or LocaleEn; empty means LocaleEn.
	Locale string `json:"locale"`
}
