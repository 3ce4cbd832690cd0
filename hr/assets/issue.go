package assets

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Issue hands an asset in stock to an employee (PermWrite) and opens a row
// of its history. An issued asset is ErrAlreadyIssued, a lost or retired
// one ErrUnavailable; a holder who is not an employee of the tenant or has
// departed is a *ballast.ValidationError. Nothing is written on error.
func (s *Service) Issue(ctx context.Context, id string, p IssueParams) (Asset, error) {
	pr, err := s.begin(ctx, PermWrite)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: issue %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Asset{}, fmt.Errorf("assets: issue %s: %w", id, err)
	}
	var out Asset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var v ballast.ValidationError
		if err := s.checkHolder(ctx, &v, pr.Tenant, p.Holder); err != nil {
			return err
		}
		date(&v, "on", p.On, true)
		date(&v, "due_back", p.DueBack, false)
		if !p.DueBack.IsZero() && !p.On.IsZero() && p.DueBack.Before(p.On) {
			v.Add("due_back", "may not precede the issue date")
		}
		if err := v.Err(); err != nil {
			return err
		}
		before, err := s.store.Asset(ctx, pr.Tenant, id, Scope{All: true})
		if err != nil {
			return err
		}
		switch before.Status {
		case StatusIssued:
			return ErrAlreadyIssued
		case StatusLost, StatusRetired:
			return ErrUnavailable
		}
		now := s.now()
		out = before
		out.Status, out.Holder, out.IssuedOn, out.DueBack = StatusIssued, p.Holder, p.On, p.DueBack
		out.UpdatedAt, out.Version = now, before.Version+1
		if err := s.store.UpdateAsset(ctx, pr.Tenant, out, before.Version); err != nil {
			return err
		}
		is := Issuance{ID: ballast.NewID(), AssetID: id, Holder: p.Holder, IssuedOn: p.On, DueBack: p.DueBack,
			ConditionOut: before.Condition, CreatedAt: now, UpdatedAt: now}
		if err := s.store.InsertIssuance(ctx, pr.Tenant, is); err != nil {
			return err
		}
		return s.record(ctx, "assets.issue", id, "", before, out)
	})
	if err != nil {
		return Asset{}, fmt.Errorf("assets: issue %s: %w", id, err)
	}
	return out, nil
}

// Return takes an issued asset back into stock (PermWrite), in the
// condition it came back in, and closes its open history row. An asset
// nobody holds is ErrNotIssued; a return day before the issue day, an
// unknown condition or ConditionMissing (use MarkMissing) are a
// *ballast.ValidationError. Nothing is written on error.
func (s *Service) Return(ctx context.Context, id string, p ReturnParams) (Asset, error) {
	pr, err := s.begin(ctx, PermWrite)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: return %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Asset{}, fmt.Errorf("assets: return %s: %w", id, err)
	}
	var out Asset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Asset(ctx, pr.Tenant, id, Scope{All: true})
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		date(&v, "on", p.On, true)
		switch {
		case p.Condition == "":
			v.Add("condition", "is required")
		case !p.Condition.Valid():
			v.Add("condition", "is not a known condition")
		case p.Condition == ConditionMissing:
			v.Add("condition", "may not be missing on a return; mark the asset missing instead")
		}
		text(&v, "note", p.Note, false, maxNotes)
		if before.Status == StatusIssued && !p.On.IsZero() && p.On.Before(before.IssuedOn) {
			v.Add("on", fmt.Sprintf("may not precede the issue date %s", before.IssuedOn))
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before.Status != StatusIssued {
			return ErrNotIssued
		}
		out, err = s.close(ctx, pr.Tenant, before, p.On, p.Condition, p.Note, "")
		if err != nil {
			return err
		}
		out.Status = StatusInStock
		return s.save(ctx, pr.Tenant, "assets.return", "", before, &out)
	})
	if err != nil {
		return Asset{}, fmt.Errorf("assets: return %s: %w", id, err)
	}
	return out, nil
}

// MarkMissing records that an asset is lost (PermWrite): its status becomes
// StatusLost and its condition ConditionMissing. An issued asset's open
// history row is closed today (in the tenant's zone) with costNote, what
// the loss costs and who bears it. A retired or already lost asset is
// ErrUnavailable.
func (s *Service) MarkMissing(ctx context.Context, id, costNote string) (Asset, error) {
	pr, err := s.begin(ctx, PermWrite)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: mark %s missing: %w", id, err)
	}
	var v ballast.ValidationError
	if err := ballast.CheckID("id", id); err != nil {
		v.Add("id", "is not a valid id")
	}
	text(&v, "cost_note", costNote, false, maxNotes)
	if err := v.Err(); err != nil {
		return Asset{}, fmt.Errorf("assets: mark %s missing: %w", id, err)
	}
	var out Asset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Asset(ctx, pr.Tenant, id, Scope{All: true})
		if err != nil {
			return err
		}
		if before.Status == StatusLost || before.Status == StatusRetired {
			return ErrUnavailable
		}
		out = before
		if before.Status == StatusIssued {
			today, err := s.today(ctx, pr.Tenant)
			if err != nil {
				return err
			}
			if today.Before(before.IssuedOn) {
				today = before.IssuedOn
			}
			if out, err = s.close(ctx, pr.Tenant, before, today, ConditionMissing, "", costNote); err != nil {
				return err
			}
		}
		out.Status, out.Condition = StatusLost, ConditionMissing
		return s.save(ctx, pr.Tenant, "assets.missing", costNote, before, &out)
	})
	if err != nil {
		return Asset{}, fmt.Errorf("assets: mark %s missing: %w", id, err)
	}
	return out, nil
}

// Retire writes an asset off for good (PermWrite): it can never be issued
// again. An issued asset must be returned (or marked missing) first
// (ErrAlreadyIssued); a retired one is ErrUnavailable. reason goes to the
// audit entry.
func (s *Service) Retire(ctx context.Context, id, reason string) (Asset, error) {
	pr, err := s.begin(ctx, PermWrite)
	if err != nil {
		return Asset{}, fmt.Errorf("assets: retire %s: %w", id, err)
	}
	var v ballast.ValidationError
	if err := ballast.CheckID("id", id); err != nil {
		v.Add("id", "is not a valid id")
	}
	text(&v, "reason", reason, false, maxNotes)
	if err := v.Err(); err != nil {
		return Asset{}, fmt.Errorf("assets: retire %s: %w", id, err)
	}
	var out Asset
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.Asset(ctx, pr.Tenant, id, Scope{All: true})
		if err != nil {
			return err
		}
		switch before.Status {
		case StatusIssued:
			return ErrAlreadyIssued
		case StatusRetired:
			return ErrUnavailable
		}
		out = before
		out.Status = StatusRetired
		return s.save(ctx, pr.Tenant, "assets.retire", reason, before, &out)
	})
	if err != nil {
		return Asset{}, fmt.Errorf("assets: retire %s: %w", id, err)
	}
	return out, nil
}

// close ends the open issuance of the issued asset a on day with condition
// in, and returns a with its holder and current issue cleared and
// ReturnedOn set (the caller sets the status and saves it).
func (s *Service) close(ctx context.Context, tenant string, a Asset, day hr.Date, in Condition, note, costNote string) (Asset, error) {
	is, err := s.store.Issuances(ctx, tenant, a.ID, Scope{All: true})
	if err != nil {
		return Asset{}, err
	}
	for i := len(is) - 1; i >= 0; i-- {
		if !is[i].Open() {
			continue
		}
		end := is[i]
		end.ReturnedOn, end.ConditionIn, end.Note, end.CostNote, end.UpdatedAt = day, in, note, costNote, s.now()
		if err := s.store.UpdateIssuance(ctx, tenant, end); err != nil {
			return Asset{}, err
		}
		break
	}
	a.Holder, a.IssuedOn, a.DueBack, a.ReturnedOn, a.Condition = "", hr.Date{}, hr.Date{}, day, in
	return a, nil
}

// save writes after over before (bumping the version) and appends the
// audit entry.
func (s *Service) save(ctx context.Context, tenant, action, reason string, before Asset, after *Asset) error {
	after.UpdatedAt, after.Version = s.now(), before.Version+1
	if err := s.store.UpdateAsset(ctx, tenant, *after, before.Version); err != nil {
		return err
	}
	return s.record(ctx, action, after.ID, reason, before, *after)
}

// HeldBy returns the assets an employee holds now, ordered by name (the
// offboarding item-return step lists these). The principal's read scope
// applies: one's own with PermRead, one's departments' with
// PermReadDepartment, anyone's with PermReadAll.
func (s *Service) HeldBy(ctx context.Context, employeeID string) ([]Asset, error) {
	pr, scope, err := s.scope(ctx)
	if err != nil {
		return nil, fmt.Errorf("assets: held by %s: %w", employeeID, err)
	}
	if err := ballast.CheckID("employee_id", employeeID); err != nil {
		return nil, fmt.Errorf("assets: held by %s: %w", employeeID, err)
	}
	as, err := s.store.ListAssets(ctx, pr.Tenant, Query{Scope: scope, Holder: employeeID, Status: StatusIssued})
	if err != nil {
		return nil, fmt.Errorf("assets: held by %s: %w", employeeID, err)
	}
	if as == nil {
		as = []Asset{}
	}
	return as, nil
}

// History returns the hand-overs of an asset the principal may see, oldest
// first; an asset outside its scope is ballast.ErrNotFound. The scope also
// limits the rows: with "assets:read:all" every hand-over, otherwise only
// those to the principal (and, with "assets:read:department", to the
// people of the departments it heads), so an employee never reads a
// predecessor's return notes or cost notes.
func (s *Service) History(ctx context.Context, id string) ([]Issuance, error) {
	pr, scope, err := s.scope(ctx)
	if err != nil {
		return nil, fmt.Errorf("assets: history of %s: %w", id, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return nil, fmt.Errorf("assets: history of %s: %w", id, err)
	}
	if _, err := s.store.Asset(ctx, pr.Tenant, id, scope); err != nil {
		return nil, fmt.Errorf("assets: history of %s: %w", id, err)
	}
	is, err := s.store.Issuances(ctx, pr.Tenant, id, scope)
	if err != nil {
		return nil, fmt.Errorf("assets: history of %s: %w", id, err)
	}
	if is == nil {
		is = []Issuance{}
	}
	return is, nil
}
