package appeal

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
)

// Filter selects appeals for Mine, ToAnswer and All.
type Filter struct {
	// Kind selects one kind; SubjectID one subject.
	Kind      string `json:"kind,omitempty"`
	SubjectID string `json:"subject_id,omitempty"`
	// EmployeeID selects one employee's appeals (All only).
	EmployeeID string `json:"employee_id,omitempty"`
	// Status selects one status. ToAnswer defaults to the pending ones.
	Status Status `json:"status,omitempty"`
	// After is Page.Next of the previous page; Limit caps the page
	// (default 50, at most MaxLimit).
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// MaxLimit is the largest page.
const MaxLimit = 500

// Page is one page of appeals, ordered by ID (filing order).
type Page struct {
	Appeals []Appeal `json:"appeals"`
	// Next is the Filter.After of the next page, empty on the last.
	Next string `json:"next,omitempty"`
}

// query validates f and turns it into a store query (one extra row, to
// know whether there is a next page).
func (s *Service) query(f Filter) (Query, int, error) {
	var v ballast.ValidationError
	if f.Limit < 0 || f.Limit > MaxLimit {
		v.Add("limit", fmt.Sprintf("must be between 0 and %d", MaxLimit))
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "is not an appeal status")
	}
	if f.Kind != "" {
		if _, ok := s.kinds[f.Kind]; !ok {
			v.Add("kind", "is not a registered kind")
		}
	}
	if err := v.Err(); err != nil {
		return Query{}, 0, err
	}
	q := Query{SubjectID: f.SubjectID, EmployeeID: f.EmployeeID, After: f.After, Limit: f.Limit + 1}
	if f.Kind != "" {
		q.Kinds = []string{f.Kind}
	}
	if f.Status != "" {
		q.Statuses = []Status{f.Status}
	}
	return q, f.Limit, nil
}

// page runs q and cuts it to limit.
func (s *Service) page(ctx context.Context, tenant string, q Query, limit int) (Page, error) {
	as, err := s.store.ListAppeals(ctx, tenant, q)
	if err != nil {
		return Page{}, err
	}
	p := Page{Appeals: as}
	if len(as) > limit {
		p.Appeals = as[:limit]
		p.Next = as[limit-1].ID
	}
	if p.Appeals == nil {
		p.Appeals = []Appeal{}
	}
	return p, nil
}

// Mine lists the appeals the signed-in employee filed. f.EmployeeID is
// ignored.
func (s *Service) Mine(ctx context.Context, f Filter) (Page, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: my appeals: %w", err)
	}
	q, limit, err := s.query(f)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: my appeals: %w", err)
	}
	q.EmployeeID = pr.Subject
	p, err := s.page(ctx, pr.Tenant, q, limit)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: my appeals: %w", err)
	}
	return p, nil
}

// ToAnswer lists the appeals the signed-in person answers — as the
// employee's manager, or as the HR handler who took the appeal under
// review — by default only the pending ones. f.EmployeeID narrows it to
// one employee.
func (s *Service) ToAnswer(ctx context.Context, f Filter) (Page, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: appeals to answer: %w", err)
	}
	q, limit, err := s.query(f)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: appeals to answer: %w", err)
	}
	q.Answerer = pr.Subject
	if f.Status == "" {
		q.Statuses = []Status{StatusOpen, StatusUnderReview}
	}
	p, err := s.page(ctx, pr.Tenant, q, limit)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: appeals to answer: %w", err)
	}
	return p, nil
}

// All lists every appeal of the kinds whose ManagePermission the principal
// holds (ballast.ErrForbidden when it holds none, or f.Kind names a kind
// it does not manage).
func (s *Service) All(ctx context.Context, f Filter) (Page, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: all appeals: %w", err)
	}
	q, limit, err := s.query(f)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: all appeals: %w", err)
	}
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = s.names
	}
	var allowed []string
	for _, name := range kinds {
		ok, err := s.allowed(ctx, pr, s.kinds[name].ManagePermission)
		if err != nil {
			return Page{}, fmt.Errorf("appeal: all appeals: %w", err)
		}
		if ok {
			allowed = append(allowed, name)
		}
	}
	if len(allowed) == 0 {
		return Page{}, fmt.Errorf("appeal: all appeals: %w", forbidden("the principal manages no appeals of %v", kinds))
	}
	q.Kinds = allowed
	p, err := s.page(ctx, pr.Tenant, q, limit)
	if err != nil {
		return Page{}, fmt.Errorf("appeal: all appeals: %w", err)
	}
	return p, nil
}
