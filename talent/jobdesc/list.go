package jobdesc

import (
	"context"
	"fmt"
	"sort"

	"github.com/ballast-hr/ballast"
)

// MaxListLimit caps a page of List.
const MaxListLimit = 500

// Document returns document id with the revision the principal may see in
// Revision: the latest for HR, its editors and approvers; the published
// one for a department head reading a template.
//
// Errors: ballast.ErrNotFound for an unknown document or one the principal
// may not see.
func (s *Service) Document(ctx context.Context, id string) (Document, error) {
	d, err := func() (Document, error) {
		a, d, err := s.readable(ctx, id)
		if err != nil {
			return Document{}, err
		}
		n := d.Latest
		if !a.mayReadRevision(d, n) {
			n = d.Published
		}
		r, err := s.store.Revision(ctx, a.Tenant, id, n)
		if err != nil {
			return Document{}, err
		}
		d.Revision = &r
		return d, nil
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: document %s: %w", id, err)
	}
	return d, nil
}

// readable reads the principal and document id, which it must be allowed
// to see.
func (s *Service) readable(ctx context.Context, id string) (actor, Document, error) {
	a, err := s.actor(ctx, PermReadDepartment)
	if err != nil {
		return actor{}, Document{}, err
	}
	if err := ballast.CheckID("id", id); err != nil {
		return actor{}, Document{}, err
	}
	d, err := s.store.Document(ctx, a.Tenant, id)
	if err != nil {
		return actor{}, Document{}, err
	}
	if !a.mayRead(d) {
		return actor{}, Document{}, fmt.Errorf("job description %s: %w", id, ballast.ErrNotFound)
	}
	return a, d, nil
}

// Revision returns revision number of document id (0: the latest the
// principal may see), under the rules of Document.
//
// Errors: ballast.ErrNotFound for an unknown revision or one the principal
// may not see.
func (s *Service) Revision(ctx context.Context, id string, number int) (Revision, error) {
	r, err := func() (Revision, error) {
		a, d, err := s.readable(ctx, id)
		if err != nil {
			return Revision{}, err
		}
		if number == 0 {
			number = d.Latest
			if !a.mayReadRevision(d, number) {
				number = d.Published
			}
		}
		if !a.mayReadRevision(d, number) {
			return Revision{}, fmt.Errorf("revision %d: %w", number, ballast.ErrNotFound)
		}
		return s.store.Revision(ctx, a.Tenant, id, number)
	}()
	if err != nil {
		return Revision{}, fmt.Errorf("jobdesc: revision %d of %s: %w", number, id, err)
	}
	return r, nil
}

// Revisions returns every revision of document id the principal may see,
// by number: all of them for HR, the editors and the approvers; the
// published one of a template for a department head.
func (s *Service) Revisions(ctx context.Context, id string) ([]Revision, error) {
	rs, err := func() ([]Revision, error) {
		a, d, err := s.readable(ctx, id)
		if err != nil {
			return nil, err
		}
		rs, err := s.store.Revisions(ctx, a.Tenant, id)
		if err != nil {
			return nil, err
		}
		out := rs[:0]
		for _, r := range rs {
			if a.mayReadRevision(d, r.Number) {
				out = append(out, r)
			}
		}
		return out, nil
	}()
	if err != nil {
		return nil, fmt.Errorf("jobdesc: revisions of %s: %w", id, err)
	}
	return rs, nil
}

// Page is a page of List.
type Page struct {
	Documents []Document `json:"documents"`
	// Next is the Query.After of the next page; empty on the last page.
	Next string `json:"next,omitempty"`
}

// List returns the documents q selects that the principal may see,
// ordered by ID, q.Limit at a time (default and cap MaxListLimit): every
// document for HR; for others the department versions of departments they
// head (PermReadDepartment), the published templates, and the documents
// naming them as approvers. The scope is applied in the store's query.
// Documents carry no Revision.
//
// Errors: a *ballast.ValidationError for a bad limit;
// ballast.ErrUnauthenticated without a principal.
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	p, err := func() (Page, error) {
		if q.Limit < 0 {
			return Page{}, ballast.Invalid("limit", "must not be negative")
		}
		if q.Limit == 0 || q.Limit > MaxListLimit {
			q.Limit = MaxListLimit
		}
		a, err := s.actor(ctx, PermReadDepartment)
		if err != nil {
			return Page{}, err
		}
		q.Reach = nil
		if !a.manages {
			r := &Reach{Approver: a.Subject}
			if a.heads != nil {
				r.PublishedTemplates = true
				for id := range a.heads {
					r.DepartmentIDs = append(r.DepartmentIDs, id)
				}
				sort.Strings(r.DepartmentIDs)
			}
			q.Reach = r
		}
		limit := q.Limit
		q.Limit++
		ds, err := s.store.ListDocuments(ctx, a.Tenant, q)
		if err != nil {
			return Page{}, err
		}
		var out Page
		if len(ds) > limit {
			ds = ds[:limit]
			out.Next = ds[limit-1].ID
		}
		out.Documents = ds
		if out.Documents == nil {
			out.Documents = []Document{}
		}
		return out, nil
	}()
	if err != nil {
		return Page{}, fmt.Errorf("jobdesc: list: %w", err)
	}
	return p, nil
}
