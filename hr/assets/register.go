package assets

import (
	"context"
	"errors"
	"fmt"

	"github.com/ballast-hr/ballast"
)

// Register adds an asset to the register, in stock (PermWrite). A tag
// another asset of the tenant has is ErrDuplicateTag; bad fields are a
// *ballast.ValidationError. Nothing is written on error.
func (s *Service) Register(ctx context.Context, p Params) (Asset, error) {
	pr, err := s.begin(ctx, PermWrite)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: register: %w", err)
	}
	p, err = p.normalize("")
	if err != nil {
		return Asset{}, fmt.Errorf("assets: register: %w", err)
	}
	now := s.now()
	a := Asset{ID: ballast.NewID(), Kind: p.Kind, Name: p.Name, Model: p.Model, Tag: p.Tag,
		Condition: p.Condition, Notes: p.Notes, Status: StatusInStock, CreatedAt: now, UpdatedAt: now, Version: 1}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.tagFree(ctx, pr.Tenant, a.Tag, ""); err != nil {
			return err
		}
		if err := s.store.InsertAsset(ctx, pr.Tenant, a); err != nil {
			return err
		}
		return s.record(ctx, "assets.register", a.ID, "", nil, a)
	})
	if err != nil {
		return Asset{}, fmt.Errorf("assets: register: %w", err)
	}
	return a, nil
}

// Update replaces the descriptive fields of an asset (PermWrite): kind,
// name, model, tag, condition, notes. version is the Version the caller
// read; a stale one is ballast.ErrConflict. Holder and status change only
// through Issue, Return, MarkMissing and Retire.
func (s *Service) Update(ctx context.Context, id string, version int64, p Params) (Asset, error) {
	pr, err := s.begin(ctx, PermWrite)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: update %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Asset{}, fmt.Errorf("assets: update %s: %w", id, err)
	}
	var out Asset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Asset(ctx, pr.Tenant, id, Scope{All: true})
		if err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("%w (stale version %d, now %d)", ballast.ErrConflict, version, before.Version)
		}
		if p, err = p.normalize(before.Condition); err != nil {
			return err
		}
		if err := s.tagFree(ctx, pr.Tenant, p.Tag, id); err != nil {
			return err
		}
		out = before
		out.Kind, out.Name, out.Model, out.Tag, out.Condition, out.Notes = p.Kind, p.Name, p.Model, p.Tag, p.Condition, p.Notes
		out.UpdatedAt, out.Version = s.now(), before.Version+1
		if err := s.store.UpdateAsset(ctx, pr.Tenant, out, before.Version); err != nil {
			return err
		}
		return s.record(ctx, "assets.update", id, "", before, out)
	})
	if err != nil {
		return Asset{}, fmt.Errorf("assets: update %s: %w", id, err)
	}
	return out, nil
}

// tagFree returns ErrDuplicateTag when an asset other than self has tag.
// (Should a concurrent writer take the tag between this check and the
// write, the unique index refuses the write with a plain
// ballast.ErrConflict.)
func (s *Service) tagFree(ctx context.Context, tenant, tag, self string) error {
	if tag == "" {
		return nil
	}
	other, err := s.store.AssetByTag(ctx, tenant, tag)
	switch {
	case errors.Is(err, ballast.ErrNotFound):
		return nil
	case err != nil:
		return err
	case other.ID != self:
		return fmt.Errorf("tag %q: %w", tag, ErrDuplicateTag)
	}
	return nil
}

// Get returns one asset the principal may see (PermRead and its scopes);
// an asset outside the principal's scope is ballast.ErrNotFound.
func (s *Service) Get(ctx context.Context, id string) (Asset, error) {
	pr, scope, err := s.scope(ctx)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: get %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Asset{}, fmt.Errorf("assets: get %s: %w", id, err)
	}
	a, err := s.store.Asset(ctx, pr.Tenant, id, scope)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: get %s: %w", id, err)
	}
	return a, nil
}

// List returns one page of the assets the principal may see, ordered by
// name and ID, with keyset pagination: pass NextCursor with the same
// filter for the next page. The scope (own, departments headed, all) is
// applied in the store's query.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	pr, scope, err := s.scope(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("assets: list: %w", err)
	}
	q, err := f.query(scope)
	if err != nil {
		return Page{}, fmt.Errorf("assets: list: %w", err)
	}
	limit := q.Limit
	q.Limit++ // one more tells whether there is a next page
	as, err := s.store.ListAssets(ctx, pr.Tenant, q)
	if err != nil {
		return Page{}, fmt.Errorf("assets: list: %w", err)
	}
	page := Page{Assets: as}
	if len(as) > limit {
		page.Assets = as[:limit]
		last := as[limit-1]
		page.NextCursor = encodeCursor(last.Name, last.ID)
	}
	if page.Assets == nil {
		page.Assets = []Asset{}
	}
	return page, nil
}
