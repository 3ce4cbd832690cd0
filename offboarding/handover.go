package offboarding

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr/customers"
)

func customersOwner(id string) customers.SnapshotScope { return customers.SnapshotScope{Owner: id} }

// owned lists every customer (active or archived) the employee owns now,
// read on the system's behalf.
func (s *Service) owned(ctx context.Context, pr ballast.Principal, employeeID string) ([]customers.Customer, error) {
	sys := as(ctx, pr)
	var out []customers.Customer
	f := customers.Filter{Owner: employeeID, Status: customers.StatusAll, Limit: 500}
	for {
		page, err := s.customers.List(sys, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Customers...)
		if page.Next == "" {
			return out, nil
		}
		f.Cursor = page.Next
	}
}

// syncHandover adds to the case every customer the employee owns that is
// not on it yet ("none may be missed"), reopening a customer step that was
// done. It returns the customers owned now by ID and the case's items.
func (s *Service) syncHandover(ctx context.Context, pr ballast.Principal, c Case) (map[string]customers.Customer, []HandoverItem, error) {
	cs, err := s.owned(ctx, pr, c.EmployeeID)
	if err != nil {
		return nil, nil, err
	}
	items, err := s.store.HandoverItems(ctx, pr.Tenant, c.ID)
	if err != nil {
		return nil, nil, err
	}
	listed := make(map[string]bool, len(items))
	for _, it := range items {
		listed[it.CustomerID] = true
	}
	byID := make(map[string]customers.Customer, len(cs))
	var add []HandoverItem
	now := s.now()
	for _, x := range cs {
		byID[x.ID] = x
		if !listed[x.ID] {
			add = append(add, HandoverItem{CaseID: c.ID, CustomerID: x.ID, CustomerName: x.Name, AddedAt: now})
		}
	}
	if len(add) == 0 {
		return byID, items, nil
	}
	n, err := s.store.AddHandoverItems(ctx, pr.Tenant, add)
	if err != nil {
		return nil, nil, err
	}
	if n > 0 && c.Status == CaseOpen && len(items) > 0 {
		if err := s.reopenCustomers(ctx, pr, c, n); err != nil {
			return nil, nil, err
		}
	}
	if items, err = s.store.HandoverItems(ctx, pr.Tenant, c.ID); err != nil {
		return nil, nil, err
	}
	return byID, items, nil
}

// reopenCustomers reopens a done customer step that got new customers.
func (s *Service) reopenCustomers(ctx context.Context, pr ballast.Principal, c Case, added int) error {
	steps, err := s.store.Steps(ctx, pr.Tenant, c.ID)
	if err != nil {
		return err
	}
	st, err := stepOf(steps, KindCustomers, "")
	if err != nil || st.Status != StepDone {
		return nil
	}
	before := *st
	st.Status, st.DoneAt, st.DoneBy, st.UpdatedAt, st.Version = StepOpen, time.Time{}, "", s.now(), before.Version+1
	if err := s.store.UpdateStep(ctx, pr.Tenant, *st, before.Version); err != nil {
		return err
	}
	return s.record(ctx, ActionStepDone, c.ID, fmt.Sprintf("step %s reopened: %d customers acquired since", st.Key, added), stepView(before), stepView(*st))
}

// CustomerHandover returns the customer-handover list of a case, first
// adding every customer the employee acquired since it was last looked at.
// HR, the employee, the successors and the manager may read it.
func (s *Service) CustomerHandover(ctx context.Context, caseID string) ([]HandoverItem, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("offboarding: customer handover: %w", err)
	}
	var out []HandoverItem
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.participantCase(ctx, pr, caseID)
		if err != nil {
			return err
		}
		if c.Status == CaseOpen {
			_, out, err = s.syncHandover(ctx, pr, c)
			return err
		}
		out, err = s.store.HandoverItems(ctx, pr.Tenant, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("offboarding: customer handover of %s: %w", caseID, err)
	}
	return out, nil
}

// participantCase loads a case the principal takes part in (or manages).
func (s *Service) participantCase(ctx context.Context, pr ballast.Principal, caseID string) (Case, error) {
	if err := ballast.CheckID("case_id", caseID); err != nil {
		return Case{}, err
	}
	c, err := s.store.Case(ctx, pr.Tenant, caseID)
	if err != nil {
		return Case{}, err
	}
	ok, err := s.manages(ctx, pr)
	if err != nil {
		return Case{}, err
	}
	if ok || pr.Subject == c.EmployeeID || pr.Subject == c.ManagerID || pr.Subject == c.HRID || slices.Contains(c.Successors, pr.Subject) {
		return c, nil
	}
	return Case{}, fmt.Errorf("case %s: %w", caseID, ballast.ErrNotFound)
}

// AssignCustomers assigns customers of the case to successors (customer
// ID → successor ID); HR or the leaving employee may assign. Every
// successor must be one of the case's, every customer on the list and not
// yet signed for; otherwise a *ballast.ValidationError names each bad
// entry and nothing changes.
func (s *Service) AssignCustomers(ctx context.Context, caseID string, assign map[string]string) error {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return fmt.Errorf("offboarding: assign customers: %w", err)
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, _, err := s.load(ctx, pr.Tenant, caseID, 0)
		if err != nil {
			return err
		}
		if err := s.mayHandOver(ctx, pr, c); err != nil {
			return err
		}
		items, err := s.itemsByID(ctx, pr.Tenant, caseID)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		bySucc := map[string][]string{}
		for _, id := range slices.Sorted(maps.Keys(assign)) {
			to := assign[id]
			f := fmt.Sprintf("assign[%s]", id)
			it, ok := items[id]
			switch {
			case !ok:
				v.Add(f, "is not a customer of this handover")
			case it.SignatureID != "":
				v.Add(f, "was already signed for")
			case !slices.Contains(c.Successors, to):
				v.Add(f, "is not a successor of this case")
			default:
				bySucc[to] = append(bySucc[to], id)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, to := range slices.Sorted(maps.Keys(bySucc)) {
			ids := bySucc[to]
			if _, err := s.store.UpdateHandoverItems(ctx, pr.Tenant, caseID, ids, ItemUpdate{SuccessorID: &to, OnlyUnsigned: true}); err != nil {
				return err
			}
			_, err := s.audit.Append(ctx, auditRecord(ActionAssign, caseID, "", "customers→"+to, strings.Join(ids, ",")))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("offboarding: assign customers of %s: %w", caseID, err)
	}
	return nil
}

// mayHandOver lets HR and the leaving employee prepare the handover.
func (s *Service) mayHandOver(ctx context.Context, pr ballast.Principal, c Case) error {
	if pr.Subject == c.EmployeeID {
		return nil
	}
	ok, err := s.manages(ctx, pr)
	if err != nil {
		return err
	}
	if !ok {
		return forbidden("%s is neither the employee nor HR", pr.Subject)
	}
	return nil
}

func (s *Service) itemsByID(ctx context.Context, tenant, caseID string) (map[string]HandoverItem, error) {
	items, err := s.store.HandoverItems(ctx, tenant, caseID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]HandoverItem, len(items))
	for _, it := range items {
		out[it.CustomerID] = it
	}
	return out, nil
}

// MarkHandedOver marks customers of the case as handed over to their
// assigned successor, with a note (HR or the leaving employee). A customer
// not on the list, unassigned or already signed for is a
// *ballast.ValidationError and nothing changes.
func (s *Service) MarkHandedOver(ctx context.Context, caseID string, customerIDs []string, note string) error {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return fmt.Errorf("offboarding: mark handed over: %w", err)
	}
	var v ballast.ValidationError
	checkText(&v, "note", note, maxNote, false)
	if len(customerIDs) == 0 {
		v.Add("customer_ids", "is required")
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("offboarding: mark handed over: %w", err)
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, _, err := s.load(ctx, pr.Tenant, caseID, 0)
		if err != nil {
			return err
		}
		if err := s.mayHandOver(ctx, pr, c); err != nil {
			return err
		}
		items, err := s.itemsByID(ctx, pr.Tenant, caseID)
		if err != nil {
			return err
		}
		for i, id := range customerIDs {
			f := fmt.Sprintf("customer_ids[%d]", i)
			it, ok := items[id]
			switch {
			case !ok:
				v.Add(f, "is not a customer of this handover")
			case it.SuccessorID == "":
				v.Add(f, "is not assigned to a successor")
			case it.SignatureID != "":
				v.Add(f, "was already signed for")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		yes, now := true, s.now()
		if _, err := s.store.UpdateHandoverItems(ctx, pr.Tenant, caseID, customerIDs,
			ItemUpdate{HandedOver: &yes, Note: &note, HandedAt: &now, HandedBy: &pr.Subject, OnlyUnsigned: true}); err != nil {
			return err
		}
		_, err = s.audit.Append(ctx, auditRecord(ActionHandedOver, caseID, note, "customers", strings.Join(customerIDs, ",")))
		return err
	})
	if err != nil {
		return fmt.Errorf("offboarding: mark handed over in %s: %w", caseID, err)
	}
	return nil
}

// HandedCustomer is one customer in the content a successor signs for.
type HandedCustomer struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version int64  `json:"version"`
	Note    string `json:"note"`
}

// HandoverContent is exactly what a successor signs for: the customers
// handed over to them and not yet signed for, with the customers' current
// versions and the notes, in canonical form, and its SHA-256.
type HandoverContent struct {
	CaseID    string           `json:"case_id"`
	Successor string           `json:"successor"`
	Customers []HandedCustomer `json:"customers"`
	// Canonical is the canonical JSON the hash is taken over.
	Canonical string `json:"canonical"`
	// Hash is the hex SHA-256 of Canonical; SignHandover must receive it.
	Hash string `json:"hash"`
}

// content builds the signable content of successor from the items and the
// customers owned now. Customers no longer owned by the leaver are left
// out (they cannot be transferred from them).
func content(caseID, successor string, items []HandoverItem, owned map[string]customers.Customer) HandoverContent {
	hc := HandoverContent{CaseID: caseID, Successor: successor, Customers: []HandedCustomer{}}
	for _, it := range items {
		cur, ok := owned[it.CustomerID]
		if it.SuccessorID != successor || !it.HandedOver || it.SignatureID != "" || !ok {
			continue
		}
		hc.Customers = append(hc.Customers, HandedCustomer{ID: it.CustomerID, Name: cur.Name, Version: cur.Version, Note: it.Note})
	}
	slices.SortFunc(hc.Customers, func(a, b HandedCustomer) int { return strings.Compare(a.ID, b.ID) })
	type entry struct {
		ID      string `json:"id"`
		Version int64  `json:"version"`
		Note    string `json:"note"`
	}
	canon := struct {
		Case      string  `json:"case"`
		Successor string  `json:"successor"`
		Customers []entry `json:"customers"`
	}{caseID, successor, make([]entry, len(hc.Customers))}
	for i, x := range hc.Customers {
		canon.Customers[i] = entry{x.ID, x.Version, x.Note}
	}
	b := canonical(canon)
	hc.Canonical, hc.Hash = string(b), hashOf(b)
	return hc
}

// canonical is the JSON encoding of v (struct fields in declaration order,
// map keys sorted), the form hashes are taken over.
func canonical(v any) []byte {
	b, _ := json.Marshal(v) // plain data: cannot fail
	return b
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// PrepareHandover returns what successor would sign for now. The
// successor, the leaving employee and HR may prepare it.
func (s *Service) PrepareHandover(ctx context.Context, caseID, successor string) (HandoverContent, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return HandoverContent{}, fmt.Errorf("offboarding: prepare handover: %w", err)
	}
	var out HandoverContent
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, _, err := s.load(ctx, pr.Tenant, caseID, 0)
		if err != nil {
			return err
		}
		if pr.Subject != successor {
			if err := s.mayHandOver(ctx, pr, c); err != nil {
				return err
			}
		}
		if !slices.Contains(c.Successors, successor) {
			return ballast.Invalid("successor", "is not a successor of this case")
		}
		owned, items, err := s.syncHandover(ctx, pr, c)
		if err != nil {
			return err
		}
		out = content(caseID, successor, items, owned)
		return nil
	})
	if err != nil {
		return HandoverContent{}, fmt.Errorf("offboarding: prepare handover of %s: %w", caseID, err)
	}
	return out, nil
}

// SignParams is a successor's signature for the customers handed over.
type SignParams struct {
	CaseID string `json:"case_id"`
	// Signer must be the principal: nobody signs for someone else.
	Signer string `json:"signer"`
	// Hash is HandoverContent.Hash as shown to the signer.
	Hash      string `json:"hash"`
	ClientIP  string `json:"client_ip,omitempty"`
	UserAgent string `json:"user_agent,omitempty"`
}

// SignHandover records the successor's electronic signature for the
// customers handed over to them and moves their ownership to the successor
// in the same transaction (customers.TransferMany, audited per customer),
// with the signature's own audit entry and a notification to HR and the
// employee. When every customer of the case is signed for, the customer
// step is done.
//
// Signing as someone else is ErrForbidden; a hash that is not the content's
// current hash (a customer changed, a note was edited, an item was added
// since it was prepared) is ErrHashMismatch; nothing to sign is
// ErrWrongStep. Nothing changes on error.
func (s *Service) SignHandover(ctx context.Context, p SignParams) (Signature, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return Signature{}, fmt.Errorf("offboarding: sign handover: %w", err)
	}
	if p.Signer != pr.Subject {
		return Signature{}, fmt.Errorf("offboarding: sign handover: %w", forbidden("%s may not sign as %s", pr.Subject, p.Signer))
	}
	var v ballast.ValidationError
	if len(p.Hash) != 64 {
		v.Add("hash", "is not a SHA-256 in hex")
	}
	checkText(&v, "client_ip", p.ClientIP, 100, false)
	checkText(&v, "user_agent", p.UserAgent, 500, false)
	if err := v.Err(); err != nil {
		return Signature{}, fmt.Errorf("offboarding: sign handover: %w", err)
	}
	var sig Signature
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, steps, err := s.load(ctx, pr.Tenant, p.CaseID, 0)
		if err != nil {
			return err
		}
		if !slices.Contains(c.Successors, p.Signer) {
			return forbidden("%s is not a successor of case %s", p.Signer, c.ID)
		}
		st, err := stepOf(steps, KindCustomers, "")
		if err != nil {
			return err
		}
		owned, items, err := s.syncHandover(ctx, pr, c)
		if err != nil {
			return err
		}
		hc := content(c.ID, p.Signer, items, owned)
		if hc.Hash != strings.ToLower(p.Hash) {
			return ErrHashMismatch
		}
		if len(hc.Customers) == 0 {
			return fmt.Errorf("nothing is handed over to %s: %w", p.Signer, ErrWrongStep)
		}
		sig = Signature{ID: ballast.NewID(), CaseID: c.ID, StepID: st.ID, Signer: p.Signer, ContentHash: hc.Hash,
			Content: hc.Canonical, SignedAt: s.now(), ClientIP: p.ClientIP, UserAgent: p.UserAgent}
		if err := s.store.InsertSignature(ctx, pr.Tenant, sig); err != nil {
			return err
		}
		ids := make([]string, len(hc.Customers))
		assign := make(map[string]string, len(ids))
		for i, x := range hc.Customers {
			ids[i] = x.ID
			assign[x.ID] = p.Signer
		}
		if _, err := s.customers.TransferMany(as(ctx, pr), customers.TransferManyParams{From: c.EmployeeID, Assign: assign,
			Reason: fmt.Sprintf("offboarding case %s: handover signed (%s)", c.ID, sig.ID)}); err != nil {
			return err
		}
		n, err := s.store.UpdateHandoverItems(ctx, pr.Tenant, c.ID, ids, ItemUpdate{SignatureID: &sig.ID, OnlyUnsigned: true})
		if err != nil {
			return err
		}
		if n != len(ids) {
			return fmt.Errorf("%d of %d items changed meanwhile: %w", len(ids)-n, len(ids), ballast.ErrConflict)
		}
		_, err = s.audit.Append(ctx, auditRecord(ActionSign, c.ID, "signature "+sig.ID, "signature",
			fmt.Sprintf("%s signed for %d customers, sha256 %s", p.Signer, len(ids), hc.Hash)))
		if err != nil {
			return err
		}
		all := true
		for _, it := range items {
			if it.SignatureID == "" && !slices.Contains(ids, it.CustomerID) {
				if _, still := owned[it.CustomerID]; still {
					all = false
					break
				}
			}
		}
		if all && !st.Closed() {
			if err := s.finishStep(ctx, pr, st, "every customer signed for", false); err != nil {
				return err
			}
		}
		return s.send(ctx, KindSigned, c.resolve([]Role{RoleHR, RoleEmployee}), "Customer handover signed",
			fmt.Sprintf("%s signed for %d customers (sha256 %s).", p.Signer, len(ids), hc.Hash),
			map[string]string{"case_id": c.ID, "signature_id": sig.ID}, c.ID, sig.ID)
	})
	if err != nil {
		return Signature{}, fmt.Errorf("offboarding: sign handover of %s: %w", p.CaseID, err)
	}
	return sig, nil
}

// auditRecord is an entry about a case with one change line.
func auditRecord(action, caseID, reason, path, after string) audit.Record {
	return audit.Record{Action: action, TargetType: TargetType, TargetID: caseID, Reason: reason,
		Changes: []audit.Change{{Path: path, After: after}}}
}
