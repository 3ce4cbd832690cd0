package offboarding

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/assets"
)

// syncItems adds to the case every asset the employee holds that is not on
// it yet. Without Config.Assets it does nothing.
func (s *Service) syncItems(ctx context.Context, pr ballast.Principal, c Case) (int, error) {
	if s.assets == nil {
		return 0, nil
	}
	held, err := s.assets.HeldBy(as(ctx, pr), c.EmployeeID)
	if err != nil {
		return 0, err
	}
	items := make([]ItemReturn, len(held))
	for i, a := range held {
		items[i] = ItemReturn{CaseID: c.ID, AssetID: a.ID, Name: a.Name, AssetKind: string(a.Kind), Tag: a.Tag, Outcome: ItemPending}
	}
	return s.store.AddItemReturns(ctx, pr.Tenant, items)
}

// ItemReturns lists the items the employee must return, first adding any
// asset issued to them since.
func (s *Service) ItemReturns(ctx context.Context, caseID string) ([]ItemReturn, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("offboarding: item returns: %w", err)
	}
	var out []ItemReturn
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.participantCase(ctx, pr, caseID)
		if err != nil {
			return err
		}
		if c.Status == CaseOpen {
			if _, err := s.syncItems(ctx, pr, c); err != nil {
				return err
			}
		}
		out, err = s.store.ItemReturns(ctx, pr.Tenant, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("offboarding: item returns of %s: %w", caseID, err)
	}
	return out, nil
}

// ConfirmReturn records that the administration took an item back in the
// given condition (assets.Return, which checks assets:write). When no item
// is pending any more the item step is done.
func (s *Service) ConfirmReturn(ctx context.Context, caseID, assetID string, p assets.ReturnParams) (ItemReturn, error) {
	return s.settleItem(ctx, caseID, assetID, func(ctx context.Context, it *ItemReturn) error {
		a, err := s.assets.Return(ctx, assetID, p)
		if err != nil {
			return err
		}
		it.Outcome, it.Condition, it.Note = ItemReturned, string(a.Condition), p.Note
		return nil
	})
}

// RecordMissing records that an item was not returned, with what it costs
// and who bears it (assets.MarkMissing).
func (s *Service) RecordMissing(ctx context.Context, caseID, assetID, costNote string) (ItemReturn, error) {
	return s.settleItem(ctx, caseID, assetID, func(ctx context.Context, it *ItemReturn) error {
		if _, err := s.assets.MarkMissing(ctx, assetID, costNote); err != nil {
			return err
		}
		it.Outcome, it.Condition, it.CostNote = ItemMissing, string(assets.ConditionMissing), costNote
		return nil
	})
}

func (s *Service) settleItem(ctx context.Context, caseID, assetID string, fn func(ctx context.Context, it *ItemReturn) error) (ItemReturn, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return ItemReturn{}, fmt.Errorf("offboarding: settle item: %w", err)
	}
	if s.assets == nil {
		return ItemReturn{}, fmt.Errorf("offboarding: settle item: %w", ErrWrongStep)
	}
	var out ItemReturn
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, steps, err := s.load(ctx, pr.Tenant, caseID, 0)
		if err != nil {
			return err
		}
		if _, err := s.syncItems(ctx, pr, c); err != nil {
			return err
		}
		items, err := s.store.ItemReturns(ctx, pr.Tenant, caseID)
		if err != nil {
			return err
		}
		var it *ItemReturn
		pending := 0
		for i := range items {
			if items[i].Outcome == ItemPending {
				pending++
			}
			if items[i].AssetID == assetID {
				it = &items[i]
			}
		}
		if it == nil {
			return ballast.Invalid("asset_id", "is not an item of this case")
		}
		if it.Outcome != ItemPending {
			return fmt.Errorf("item %s is already %s: %w", assetID, it.Outcome, ballast.ErrConflict)
		}
		before := *it
		if err := fn(ctx, it); err != nil { // the assets service checks assets:write
			return err
		}
		it.ConfirmedBy, it.ConfirmedAt = pr.Subject, s.now()
		if err := s.store.UpdateItemReturn(ctx, pr.Tenant, *it); err != nil {
			return err
		}
		action := ActionItemReturned
		if it.Outcome == ItemMissing {
			action = ActionItemMissing
		}
		if err := s.record(ctx, action, caseID, it.CostNote, before, *it); err != nil {
			return err
		}
		if pending == 1 {
			if st, err := stepOf(steps, KindItems, ""); err == nil && !st.Closed() {
				if err := s.finishStep(ctx, pr, st, "every item returned or recorded missing", false); err != nil {
					return err
				}
			}
		}
		out = *it
		return nil
	})
	if err != nil {
		return ItemReturn{}, fmt.Errorf("offboarding: item %s of %s: %w", assetID, caseID, err)
	}
	return out, nil
}
