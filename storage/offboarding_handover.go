package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/offboarding"
)

// offChunk is how many rows one multi-row statement writes.
const offChunk = 1000

type offItemRow struct {
	bun.BaseModel `bun:"table:ballast_offboarding_customers,alias:h"`
	TenantID      string    `bun:"tenant_id,pk"`
	CaseID        string    `bun:"case_id,pk"`
	CustomerID    string    `bun:"customer_id,pk"`
	CustomerName  string    `bun:"customer_name"`
	SuccessorID   string    `bun:"successor_id"`
	HandedOver    bool      `bun:"handed_over"`
	Note          string    `bun:"note"`
	HandedAt      time.Time `bun:"handed_at,nullzero"`
	HandedBy      string    `bun:"handed_by"`
	SignatureID   string    `bun:"signature_id"`
	AddedAt       time.Time `bun:"added_at"`
}

func (s offStore) AddHandoverItems(ctx context.Context, tenant string, items []offboarding.HandoverItem) (int, error) {
	added := 0
	for start := 0; start < len(items); start += offChunk {
		part := items[start:min(start+offChunk, len(items))]
		rows := make([]offItemRow, len(part))
		for i, it := range part {
			rows[i] = offItemRow{TenantID: tenant, CaseID: it.CaseID, CustomerID: it.CustomerID, CustomerName: it.CustomerName,
				SuccessorID: it.SuccessorID, HandedOver: it.HandedOver, Note: it.Note, HandedAt: it.HandedAt,
				HandedBy: it.HandedBy, SignatureID: it.SignatureID, AddedAt: it.AddedAt}
		}
		res, err := s.conn(ctx).NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return added, translate("add offboarding handover items", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return added, translate("add offboarding handover items", err)
		}
		added += int(n)
	}
	return added, nil
}

func (s offStore) UnlistedCustomers(ctx context.Context, tenant string, limit int) ([]offboarding.HandoverItem, error) {
	var rows []struct {
		CaseID     string `bun:"case_id"`
		CustomerID string `bun:"customer_id"`
		Name       string `bun:"name"`
	}
	err := s.conn(ctx).NewRaw(`SELECT k.id AS case_id, c.id AS customer_id, c.name
		FROM ballast_offboarding_cases k
		JOIN ballast_customers c ON c.tenant_id = k.tenant_id AND c.owner_id = k.open_employee_id
		WHERE k.tenant_id = ? AND k.open_employee_id IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM ballast_offboarding_customers h
		                  WHERE h.tenant_id = k.tenant_id AND h.case_id = k.id AND h.customer_id = c.id)
		ORDER BY k.id, c.id LIMIT ?`, tenant, limit).Scan(ctx, &rows)
	if err != nil {
		return nil, translate("unlisted customers", err)
	}
	out := make([]offboarding.HandoverItem, len(rows))
	for i, r := range rows {
		out[i] = offboarding.HandoverItem{CaseID: r.CaseID, CustomerID: r.CustomerID, CustomerName: r.Name}
	}
	return out, nil
}

func (s offStore) HandoverItems(ctx context.Context, tenant, caseID string) ([]offboarding.HandoverItem, error) {
	var rows []offItemRow
	err := s.conn(ctx).NewSelect().Model(&rows).Where("h.tenant_id = ? AND h.case_id = ?", tenant, caseID).
		OrderExpr("h.customer_name, h.customer_id").Scan(ctx)
	if err != nil {
		return nil, translate("offboarding handover items", err)
	}
	out := make([]offboarding.HandoverItem, len(rows))
	for i, r := range rows {
		out[i] = offboarding.HandoverItem{CaseID: r.CaseID, CustomerID: r.CustomerID, CustomerName: r.CustomerName,
			SuccessorID: r.SuccessorID, HandedOver: r.HandedOver, Note: r.Note, HandedBy: r.HandedBy,
			SignatureID: r.SignatureID, AddedAt: r.AddedAt.UTC()}
		if !r.HandedAt.IsZero() {
			out[i].HandedAt = r.HandedAt.UTC()
		}
	}
	return out, nil
}

func (s offStore) UpdateHandoverItems(ctx context.Context, tenant, caseID string, ids []string, u offboarding.ItemUpdate) (int, error) {
	total := 0
	for start := 0; start < len(ids); start += offChunk {
		part := ids[start:min(start+offChunk, len(ids))]
		q := s.conn(ctx).NewUpdate().Table("ballast_offboarding_customers").
			Where("tenant_id = ? AND case_id = ? AND customer_id IN (?)", tenant, caseID, bun.In(part))
		if u.OnlyUnsigned {
			q = q.Where("signature_id = ''")
		}
		set := 0
		if u.SuccessorID != nil {
			q, set = q.Set("successor_id = ?", *u.SuccessorID), set+1
		}
		if u.HandedOver != nil {
			q, set = q.Set("handed_over = ?", *u.HandedOver), set+1
		}
		if u.Note != nil {
			q, set = q.Set("note = ?", *u.Note), set+1
		}
		if u.HandedAt != nil {
			q, set = q.Set("handed_at = ?", *u.HandedAt), set+1
		}
		if u.HandedBy != nil {
			q, set = q.Set("handed_by = ?", *u.HandedBy), set+1
		}
		if u.SignatureID != nil {
			q, set = q.Set("signature_id = ?", *u.SignatureID), set+1
		}
		if set == 0 {
			return 0, nil
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return total, translate("update offboarding handover items", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, translate("update offboarding handover items", err)
		}
		total += int(n)
	}
	return total, nil
}

type offSignatureRow struct {
	bun.BaseModel `bun:"table:ballast_offboarding_signatures,alias:g"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	CaseID        string    `bun:"case_id"`
	StepID        string    `bun:"step_id"`
	Signer        string    `bun:"signer"`
	ContentHash   string    `bun:"content_hash"`
	Content       string    `bun:"content"`
	SignedAt      time.Time `bun:"signed_at"`
	ClientIP      string    `bun:"client_ip"`
	UserAgent     string    `bun:"user_agent"`
}

func (s offStore) InsertSignature(ctx context.Context, tenant string, g offboarding.Signature) error {
	row := offSignatureRow{TenantID: tenant, ID: g.ID, CaseID: g.CaseID, StepID: g.StepID, Signer: g.Signer,
		ContentHash: g.ContentHash, Content: g.Content, SignedAt: g.SignedAt, ClientIP: g.ClientIP, UserAgent: g.UserAgent}
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert offboarding signature", err)
}

func (s offStore) Signatures(ctx context.Context, tenant, caseID string) ([]offboarding.Signature, error) {
	var rows []offSignatureRow
	err := s.conn(ctx).NewSelect().Model(&rows).Where("g.tenant_id = ? AND g.case_id = ?", tenant, caseID).
		OrderExpr("g.signed_at, g.id").Scan(ctx)
	if err != nil {
		return nil, translate("offboarding signatures", err)
	}
	out := make([]offboarding.Signature, len(rows))
	for i, r := range rows {
		out[i] = offboarding.Signature{ID: r.ID, CaseID: r.CaseID, StepID: r.StepID, Signer: r.Signer, ContentHash: r.ContentHash,
			Content: r.Content, SignedAt: r.SignedAt.UTC(), ClientIP: r.ClientIP, UserAgent: r.UserAgent}
	}
	return out, nil
}

type offRoundRow struct {
	bun.BaseModel `bun:"table:ballast_offboarding_work_rounds,alias:w"`
	TenantID      string    `bun:"tenant_id,pk"`
	CaseID        string    `bun:"case_id,pk"`
	Round         int       `bun:"round,pk"`
	Report        string    `bun:"report"`
	SubmittedBy   string    `bun:"submitted_by"`
	SubmittedAt   time.Time `bun:"submitted_at"`
	Decision      string    `bun:"decision"`
	Comments      string    `bun:"comments"`
	DecidedBy     string    `bun:"decided_by"`
	DecidedAt     time.Time `bun:"decided_at,nullzero"`
}

func offRoundRowOf(tenant string, r offboarding.WorkRound) offRoundRow {
	return offRoundRow{TenantID: tenant, CaseID: r.CaseID, Round: r.Round, Report: jsonText(r.Report),
		SubmittedBy: r.SubmittedBy, SubmittedAt: r.SubmittedAt, Decision: string(r.Decision), Comments: r.Comments,
		DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt}
}

func (s offStore) InsertWorkRound(ctx context.Context, tenant string, r offboarding.WorkRound) error {
	row := offRoundRowOf(tenant, r)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert offboarding work round", err)
}

func (s offStore) UpdateWorkRound(ctx context.Context, tenant string, r offboarding.WorkRound) error {
	row := offRoundRowOf(tenant, r)
	res, err := s.conn(ctx).NewUpdate().Model(&row).Column("decision", "comments", "decided_by", "decided_at").
		Where("tenant_id = ? AND case_id = ? AND round = ? AND decision = 'pending'", tenant, r.CaseID, r.Round).Exec(ctx)
	return s.checked(ctx, "update offboarding work round", res, err, "ballast_offboarding_work_rounds",
		"tenant_id = ? AND case_id = ? AND round = ?", tenant, r.CaseID, r.Round)
}

func (s offStore) WorkRounds(ctx context.Context, tenant, caseID string) ([]offboarding.WorkRound, error) {
	var rows []offRoundRow
	err := s.conn(ctx).NewSelect().Model(&rows).Where("w.tenant_id = ? AND w.case_id = ?", tenant, caseID).
		OrderExpr("w.round").Scan(ctx)
	if err != nil {
		return nil, translate("offboarding work rounds", err)
	}
	out := make([]offboarding.WorkRound, len(rows))
	for i, r := range rows {
		out[i] = offboarding.WorkRound{CaseID: r.CaseID, Round: r.Round, SubmittedBy: r.SubmittedBy, SubmittedAt: r.SubmittedAt.UTC(),
			Decision: offboarding.Decision(r.Decision), Comments: r.Comments, DecidedBy: r.DecidedBy}
		if !r.DecidedAt.IsZero() {
			out[i].DecidedAt = r.DecidedAt.UTC()
		}
		if err := json.Unmarshal([]byte(r.Report), &out[i].Report); err != nil {
			return nil, fmt.Errorf("storage: decode offboarding work round: %w", err)
		}
	}
	return out, nil
}

type offReturnRow struct {
	bun.BaseModel `bun:"table:ballast_offboarding_items,alias:i"`
	TenantID      string    `bun:"tenant_id,pk"`
	CaseID        string    `bun:"case_id,pk"`
	AssetID       string    `bun:"asset_id,pk"`
	Name          string    `bun:"name"`
	AssetKind     string    `bun:"asset_kind"`
	Tag           string    `bun:"tag"`
	Outcome       string    `bun:"outcome"`
	Condition     string    `bun:"condition"`
	Note          string    `bun:"note"`
	CostNote      string    `bun:"cost_note"`
	ConfirmedBy   string    `bun:"confirmed_by"`
	ConfirmedAt   time.Time `bun:"confirmed_at,nullzero"`
}

func offReturnRowOf(tenant string, it offboarding.ItemReturn) offReturnRow {
	return offReturnRow{TenantID: tenant, CaseID: it.CaseID, AssetID: it.AssetID, Name: it.Name, AssetKind: it.AssetKind,
		Tag: it.Tag, Outcome: string(it.Outcome), Condition: it.Condition, Note: it.Note, CostNote: it.CostNote,
		ConfirmedBy: it.ConfirmedBy, ConfirmedAt: it.ConfirmedAt}
}

func (s offStore) AddItemReturns(ctx context.Context, tenant string, items []offboarding.ItemReturn) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	rows := make([]offReturnRow, len(items))
	for i, it := range items {
		rows[i] = offReturnRowOf(tenant, it)
	}
	res, err := s.conn(ctx).NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return 0, translate("add offboarding items", err)
	}
	n, err := res.RowsAffected()
	return int(n), translate("add offboarding items", err)
}

func (s offStore) ItemReturns(ctx context.Context, tenant, caseID string) ([]offboarding.ItemReturn, error) {
	var rows []offReturnRow
	err := s.conn(ctx).NewSelect().Model(&rows).Where("i.tenant_id = ? AND i.case_id = ?", tenant, caseID).
		OrderExpr("i.name, i.asset_id").Scan(ctx)
	if err != nil {
		return nil, translate("offboarding items", err)
	}
	out := make([]offboarding.ItemReturn, len(rows))
	for i, r := range rows {
		out[i] = offboarding.ItemReturn{CaseID: r.CaseID, AssetID: r.AssetID, Name: r.Name, AssetKind: r.AssetKind, Tag: r.Tag,
			Outcome: offboarding.ItemOutcome(r.Outcome), Condition: r.Condition, Note: r.Note, CostNote: r.CostNote,
			ConfirmedBy: r.ConfirmedBy}
		if !r.ConfirmedAt.IsZero() {
			out[i].ConfirmedAt = r.ConfirmedAt.UTC()
		}
	}
	return out, nil
}

func (s offStore) UpdateItemReturn(ctx context.Context, tenant string, it offboarding.ItemReturn) error {
	row := offReturnRowOf(tenant, it)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("outcome", "condition", "note", "cost_note", "confirmed_by", "confirmed_at").
		Where("tenant_id = ? AND case_id = ? AND asset_id = ? AND outcome = 'pending'", tenant, it.CaseID, it.AssetID).Exec(ctx)
	return s.checked(ctx, "update offboarding item", res, err, "ballast_offboarding_items",
		"tenant_id = ? AND case_id = ? AND asset_id = ?", tenant, it.CaseID, it.AssetID)
}
