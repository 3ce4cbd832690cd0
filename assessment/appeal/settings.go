package appeal

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ballast-hr/ballast"
)

// settings returns the tenant's settings or the defaults.
func (s *Service) settings(ctx context.Context, tenant string) (Settings, error) {
	set, err := s.store.Settings(ctx, tenant)
	if errors.Is(err, ballast.ErrNotFound) {
		return DefaultSettings(), nil
	}
	return set, err
}

// Settings returns the tenant's appeal settings, or DefaultSettings when
// it set none (the ManagePermission of any registered kind).
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	pr, err := s.manager(ctx)
	if err != nil {
		return Settings{}, fmt.Errorf("appeal: settings: %w", err)
	}
	set, err := s.settings(ctx, pr.Tenant)
	if err != nil {
		return Settings{}, fmt.Errorf("appeal: settings: %w", err)
	}
	return set, nil
}

// manager reads the principal and checks that it manages some kind.
func (s *Service) manager(ctx context.Context) (ballast.Principal, error) {
	pr, err := principal(ctx)
	if err != nil {
		return pr, err
	}
	kinds, err := s.managedKinds(ctx, pr)
	if err != nil {
		return pr, err
	}
	if len(kinds) == 0 {
		return pr, forbidden("the principal manages no appeals")
	}
	return pr, nil
}

// Validate lists every bad field of set.
func (set Settings) Validate() error {
	var v ballast.ValidationError
	if set.ReplyDays < 1 || set.ReplyDays > 90 {
		v.Add("reply_days", "must be between 1 and 90")
	}
	if set.RemindDaysBefore < 0 || set.RemindDaysBefore > set.ReplyDays {
		v.Add("remind_days_before", "must be between 0 and reply_days")
	}
	for name, list := range map[string][]string{"hr_recipients": set.HRRecipients, "escalate_to": set.EscalateTo} {
		if len(list) > 50 {
			v.Add(name, "must have at most 50 entries")
		}
		for i, r := range list {
			if r == "" || len(r) > 320 {
				v.Add(fmt.Sprintf("%s[%d]", name, i), "must be 1 to 320 characters")
			}
		}
	}
	slices.SortFunc(v.Fields, func(a, b ballast.FieldError) int {
		switch {
		case a.Field < b.Field:
			return -1
		case a.Field > b.Field:
			return 1
		}
		return 0
	})
	return v.Err()
}

// SetSettings stores the tenant's settings (the ManagePermission of any
// registered kind); version is the version read (0 for the defaults). A
// bad value is a *ballast.ValidationError, a stale version
// ballast.ErrConflict. Pending appeals keep their DueOn.
func (s *Service) SetSettings(ctx context.Context, set Settings, version int64) (Settings, error) {
	pr, err := s.manager(ctx)
	if err != nil {
		return Settings{}, fmt.Errorf("appeal: set settings: %w", err)
	}
	if set.HRRecipients == nil {
		set.HRRecipients = []string{}
	}
	if set.EscalateTo == nil {
		set.EscalateTo = []string{}
	}
	if err := set.Validate(); err != nil {
		return Settings{}, fmt.Errorf("appeal: set settings: %w", err)
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.settings(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("appeal settings", version, before.Version)
		}
		set.Version, set.UpdatedAt = version+1, s.now()
		if err := s.store.PutSettings(ctx, pr.Tenant, set, version); err != nil {
			return err
		}
		return s.record(ctx, ActionSettings, pr.Tenant, "", before, set)
	})
	if err != nil {
		return Settings{}, fmt.Errorf("appeal: set settings: %w", err)
	}
	return set, nil
}
