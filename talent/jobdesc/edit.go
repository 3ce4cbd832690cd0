package jobdesc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// CreateParams is what CreateTemplate takes.
type CreateParams struct {
	// Title is required, at most MaxTitleLen characters.
	Title string `json:"title"`
	// PositionID optionally names the hr position the description is for.
	PositionID string `json:"position_id,omitempty"`
	// Sections are the content (see Section); at most MaxSections.
	Sections []Section `json:"sections"`
	// Approvers are designated approvers besides HR (employee IDs).
	Approvers []string `json:"approvers,omitempty"`
}

// DeriveParams is what Derive takes.
type DeriveParams struct {
	// TemplateID names a published template; its published revision is
	// copied.
	TemplateID string `json:"template_id"`
	// DepartmentID is the department the version is for: one the principal
	// heads (or that lies below one), any for HR.
	DepartmentID string `json:"department_id"`
	// Title defaults to the template's.
	Title string `json:"title,omitempty"`
	// Approvers are designated approvers besides HR (employee IDs). Only
	// HR designates approvers: a department head leaves it empty.
	Approvers []string `json:"approvers,omitempty"`
}

// EditParams is what Edit takes: the whole content of the latest
// revision.
type EditParams struct {
	Title      string    `json:"title"`
	PositionID string    `json:"position_id,omitempty"`
	Sections   []Section `json:"sections"`
}

// SectionParams is what EditSection takes: the new text of one section
// (its key and kind stay).
type SectionParams struct {
	Title        string       `json:"title"`
	Body         string       `json:"body,omitempty"`
	Competencies []Competency `json:"competencies,omitempty"`
}

// CreateTemplate creates a job-description template (PermManage) with its
// first revision as a draft edited by the principal.
//
// Errors, with nothing changed: a *ballast.ValidationError listing every
// bad field (an empty title, an unknown section kind, a duplicate key, a
// competency level outside 1–5, an unknown position or approver);
// ballast.ErrForbidden without PermManage.
func (s *Service) CreateTemplate(ctx context.Context, p CreateParams) (Document, error) {
	d, err := func() (Document, error) {
		a, err := s.actor(ctx, "")
		if err != nil {
			return Document{}, err
		}
		if !a.manages {
			return Document{}, s.authorize(ctx, a.Principal, PermManage)
		}
		return s.create(ctx, a, KindTemplate, p, "", nil)
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: create template: %w", err)
	}
	return d, nil
}

// create validates p and inserts a document of kind with its first
// revision (a copy of src when deriving). The caller checked that a may.
func (s *Service) create(ctx context.Context, a actor, kind Kind, p CreateParams, departmentID string, src *Document) (Document, error) {
	var v ballast.ValidationError
	p.Title = strings.TrimSpace(p.Title)
	checkText(&v, "title", p.Title, true, MaxTitleLen)
	normalizeSections(&v, "sections", p.Sections)
	p.Approvers = normalizeApprovers(&v, p.Approvers)
	if err := v.Err(); err != nil {
		return Document{}, err
	}
	if err := s.checkRefs(ctx, a, p.PositionID, p.Approvers); err != nil {
		return Document{}, err
	}
	if p.Sections == nil {
		p.Sections = []Section{}
	}
	now := s.now()
	d := Document{ID: ballast.NewID(), Kind: kind, Title: p.Title, PositionID: p.PositionID, DepartmentID: departmentID,
		OwnerID: a.Subject, Approvers: p.Approvers, Latest: 1, Status: StatusDraft,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	action := ActionCreate
	if src != nil {
		d.SourceID, d.SourceRevision, action = src.ID, src.Published, ActionDerive
	}
	r := Revision{DocumentID: d.ID, Number: 1, Title: p.Title, PositionID: p.PositionID, Sections: p.Sections,
		Status: StatusDraft, Editors: []string{a.Subject}, CreatedBy: a.Subject, CreatedAt: now, UpdatedAt: now}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.InsertDocument(ctx, a.Tenant, d); err != nil {
			return err
		}
		if err := s.store.InsertRevision(ctx, a.Tenant, r); err != nil {
			return err
		}
		return s.record(ctx, action, d.ID, "", nil, snapshot(d, r))
	})
	if err != nil {
		return Document{}, err
	}
	d.Revision = &r
	return d, nil
}

// normalizeApprovers trims and de-duplicates ids.
func normalizeApprovers(v *ballast.ValidationError, ids []string) []string {
	out := []string{}
	if len(ids) > MaxApprovers {
		v.Add("approvers", fmt.Sprintf("must list at most %d approvers", MaxApprovers))
		return out
	}
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if err := ballast.CheckID(fmt.Sprintf("approvers[%d]", i), id); err != nil {
			var ve *ballast.ValidationError
			if errors.As(err, &ve) {
				v.Fields = append(v.Fields, ve.Fields...)
			} else {
				v.Add(fmt.Sprintf("approvers[%d]", i), err.Error())
			}
			continue
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// checkRefs checks that positionID (when set) and every approver exist in
// the tenant; approvers must not have departed.
func (s *Service) checkRefs(ctx context.Context, a actor, positionID string, approvers []string) error {
	var v ballast.ValidationError
	sys := as(ctx, a.Principal)
	if positionID != "" {
		if !ballast.ValidID(positionID) {
			v.Add("position_id", "is not a valid id")
		} else if _, err := s.org.Position(sys, positionID); errors.Is(err, ballast.ErrNotFound) {
			v.Add("position_id", "no such position")
		} else if err != nil {
			return fmt.Errorf("position %s: %w", positionID, err)
		}
	}
	for i, id := range approvers {
		e, err := s.org.Employee(sys, id)
		switch {
		case errors.Is(err, ballast.ErrNotFound):
			v.Add(fmt.Sprintf("approvers[%d]", i), "no such employee")
		case err != nil:
			return fmt.Errorf("approver %s: %w", id, err)
		case e.Status == hr.StatusDeparted:
			v.Add(fmt.Sprintf("approvers[%d]", i), "has departed")
		}
	}
	return v.Err()
}

// Derive creates a department version of a published template
// (PermWriteDepartment for a department the principal heads, or
// PermManage): its first revision, a draft, copies the template's
// published revision; SourceID and SourceRevision remember which.
//
// Errors, with nothing changed: a *ballast.ValidationError for bad params
// or an unknown department; ballast.ErrNotFound for an unknown template;
// ErrNotPublished when the template has no published revision;
// ballast.ErrForbidden for a department the principal does not head, or
// approvers named by someone other than HR.
func (s *Service) Derive(ctx context.Context, p DeriveParams) (Document, error) {
	var d Document
	err := s.tx.InTx(ctx, func(ctx context.Context) (err error) {
		d, err = s.derive(ctx, p)
		return err
	})
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: derive from %s: %w", p.TemplateID, err)
	}
	return d, nil
}

func (s *Service) derive(ctx context.Context, p DeriveParams) (Document, error) {
	a, err := s.actor(ctx, PermWriteDepartment)
	if err != nil {
		return Document{}, err
	}
	pr := a.Principal
	var v ballast.ValidationError
	if err := ballast.CheckID("template_id", p.TemplateID); err != nil {
		v.Add("template_id", "must be an ID")
	}
	if err := ballast.CheckID("department_id", p.DepartmentID); err != nil {
		v.Add("department_id", "must be an ID")
	}
	if err := v.Err(); err != nil {
		return Document{}, err
	}
	if !a.manages && !a.heads[p.DepartmentID] {
		if err := s.authorize(ctx, pr, PermWriteDepartment); err != nil {
			return Document{}, err
		}
		return Document{}, forbidden("department %s is not one the principal heads", p.DepartmentID)
	}
	if !a.manages && len(p.Approvers) > 0 {
		return Document{}, forbidden("only HR designates approvers")
	}
	ds, err := s.org.Departments(as(ctx, pr))
	if err != nil {
		return Document{}, fmt.Errorf("departments: %w", err)
	}
	if !slices.ContainsFunc(ds, func(d hr.Department) bool { return d.ID == p.DepartmentID }) {
		return Document{}, ballast.Invalid("department_id", "no such department")
	}
	t, err := s.store.Document(ctx, pr.Tenant, p.TemplateID)
	if err != nil {
		return Document{}, err
	}
	if t.Kind != KindTemplate {
		return Document{}, ballast.Invalid("template_id", "is a department version, not a template")
	}
	if t.Published == 0 {
		return Document{}, ErrNotPublished
	}
	r, err := s.store.Revision(ctx, pr.Tenant, t.ID, t.Published)
	if err != nil {
		return Document{}, err
	}
	title := strings.TrimSpace(p.Title)
	if title == "" {
		title = r.Title
	}
	return s.create(ctx, a, KindDepartment, CreateParams{Title: title, PositionID: r.PositionID,
		Sections: cloneSections(r.Sections), Approvers: p.Approvers}, p.DepartmentID, &t)
}

// writable loads document id for a change by a: it must exist and be
// readable (else ballast.ErrNotFound), writable (else
// ballast.ErrForbidden), at version, and (when editable is set) its latest
// revision must be a draft or sent back (ErrApproved, ErrInReview).
func (s *Service) writable(ctx context.Context, a actor, id string, version int64, editable bool) (Document, Revision, error) {
	if err := ballast.CheckID("id", id); err != nil {
		return Document{}, Revision{}, err
	}
	d, err := s.store.Document(ctx, a.Tenant, id)
	if err != nil {
		return Document{}, Revision{}, err
	}
	if !a.mayRead(d) {
		return Document{}, Revision{}, fmt.Errorf("job description %s: %w", id, ballast.ErrNotFound)
	}
	if !a.mayWrite(d) {
		return Document{}, Revision{}, forbidden("the principal may not change job description %s", id)
	}
	if d.Version != version {
		return Document{}, Revision{}, staleVersion("job description "+id, version, d.Version)
	}
	r, err := s.store.Revision(ctx, a.Tenant, id, d.Latest)
	if err != nil {
		return Document{}, Revision{}, err
	}
	if editable {
		switch r.Status {
		case StatusApproved:
			return Document{}, Revision{}, ErrApproved
		case StatusInReview:
			return Document{}, Revision{}, ErrInReview
		}
	}
	return d, r, nil
}

// Edit replaces the content of the latest revision of document id
// (PermManage, or PermWriteDepartment for a department version of a
// department the principal heads). The revision must be a draft or sent
// back; an edit puts a sent-back revision back to draft and adds the
// principal to its Editors.
//
// Errors, with nothing changed: a *ballast.ValidationError listing every
// bad field; ballast.ErrNotFound; ballast.ErrForbidden; ErrApproved when
// the latest revision is approved (start one with NewRevision);
// ErrInReview; ballast.ErrConflict for a stale version.
func (s *Service) Edit(ctx context.Context, id string, p EditParams, version int64) (Document, error) {
	d, err := s.edit(ctx, id, version, func(ctx context.Context, a actor, r *Revision) error {
		var v ballast.ValidationError
		p.Title = strings.TrimSpace(p.Title)
		checkText(&v, "title", p.Title, true, MaxTitleLen)
		normalizeSections(&v, "sections", p.Sections)
		if err := v.Err(); err != nil {
			return err
		}
		if p.PositionID != r.PositionID {
			if err := s.checkRefs(ctx, a, p.PositionID, nil); err != nil {
				return err
			}
		}
		if p.Sections == nil {
			p.Sections = []Section{}
		}
		r.Title, r.PositionID, r.Sections = p.Title, p.PositionID, p.Sections
		return nil
	})
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: edit %s: %w", id, err)
	}
	return d, nil
}

// EditSection replaces the title and text of one section of the latest
// revision of document id, under the rules of Edit.
//
// Errors, with nothing changed: those of Edit, and ErrUnknownSection when
// the revision has no section with key.
func (s *Service) EditSection(ctx context.Context, id, key string, p SectionParams, version int64) (Document, error) {
	d, err := s.edit(ctx, id, version, func(_ context.Context, _ actor, r *Revision) error {
		i := slices.IndexFunc(r.Sections, func(x Section) bool { return x.Key == key })
		if i < 0 {
			return fmt.Errorf("%w %q", ErrUnknownSection, key)
		}
		sec := r.Sections[i]
		sec.Title, sec.Body, sec.Competencies = p.Title, p.Body, p.Competencies
		var v ballast.ValidationError
		normalizeSection(&v, "section", &sec)
		if err := v.Err(); err != nil {
			return err
		}
		r.Sections = cloneSections(r.Sections)
		r.Sections[i] = sec
		return nil
	})
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: edit section %q of %s: %w", key, id, err)
	}
	return d, nil
}

// edit runs change on the latest revision of id and saves it, in one
// transaction with its audit entry.
func (s *Service) edit(ctx context.Context, id string, version int64, change func(ctx context.Context, a actor, r *Revision) error) (Document, error) {
	a, err := s.actor(ctx, PermWriteDepartment)
	if err != nil {
		return Document{}, err
	}
	var out Document
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		d, r, err := s.writable(ctx, a, id, version, true)
		if err != nil {
			return err
		}
		before := snapshot(d, r)
		if err := change(ctx, a, &r); err != nil {
			return err
		}
		r.Status = StatusDraft
		if out, err = s.put(ctx, a, d, r, true); err != nil {
			return err
		}
		return s.record(ctx, ActionEdit, d.ID, "", before, snapshot(out, r))
	})
	return out, err
}

// put writes r and d one version up, mirroring r onto d; edited adds a to
// r's Editors.
func (s *Service) put(ctx context.Context, a actor, d Document, r Revision, edited bool) (Document, error) {
	now := s.now()
	if edited && !slices.Contains(r.Editors, a.Subject) {
		r.Editors = append(slices.Clone(r.Editors), a.Subject)
	}
	r.UpdatedAt = now
	if err := s.store.UpdateRevision(ctx, a.Tenant, r); err != nil {
		return Document{}, err
	}
	expected := d.Version
	d.Title, d.PositionID, d.Status, d.Latest = r.Title, r.PositionID, r.Status, r.Number
	d.UpdatedAt, d.Version = now, d.Version+1
	if err := s.store.UpdateDocument(ctx, a.Tenant, d, expected); err != nil {
		return Document{}, err
	}
	d.Revision = &r
	return d, nil
}

// SetApprovers replaces the designated approvers of document id
// (PermManage: HR designates who else may approve, so that a department
// head cannot pick the reviewer of their own change).
//
// Errors, with nothing changed: a *ballast.ValidationError for a bad or
// unknown approver; ballast.ErrNotFound; ballast.ErrForbidden;
// ballast.ErrConflict for a stale version.
func (s *Service) SetApprovers(ctx context.Context, id string, approvers []string, version int64) (Document, error) {
	var out Document
	err := func() error {
		a, err := s.actor(ctx, "")
		if err != nil {
			return err
		}
		if !a.manages {
			return s.authorize(ctx, a.Principal, PermManage)
		}
		var v ballast.ValidationError
		approvers = normalizeApprovers(&v, approvers)
		if err := v.Err(); err != nil {
			return err
		}
		if err := s.checkRefs(ctx, a, "", approvers); err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			d, r, err := s.writable(ctx, a, id, version, false)
			if err != nil {
				return err
			}
			before := d.Approvers
			now := s.now()
			d.Approvers, d.UpdatedAt, d.Version = approvers, now, d.Version+1
			if err := s.store.UpdateDocument(ctx, a.Tenant, d, version); err != nil {
				return err
			}
			d.Revision = &r
			out = d
			return s.record(ctx, ActionApprovers, d.ID, "", map[string]any{"approvers": before}, map[string]any{"approvers": approvers})
		})
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: set approvers of %s: %w", id, err)
	}
	return out, nil
}

// NewRevision starts the next revision of document id as a draft copy of
// its latest revision, which must be approved (the rules of Edit for who
// may). The approved revision stays in force until the new one is
// approved.
//
// Errors, with nothing changed: ballast.ErrNotFound; ballast.ErrForbidden;
// ErrWrongStatus when the latest revision is not approved (edit that one
// instead); ballast.ErrConflict for a stale version.
func (s *Service) NewRevision(ctx context.Context, id string, version int64) (Document, error) {
	var out Document
	err := func() error {
		a, err := s.actor(ctx, PermWriteDepartment)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			d, r, err := s.writable(ctx, a, id, version, false)
			if err != nil {
				return err
			}
			if r.Status != StatusApproved {
				return fmt.Errorf("%w (revision %d is %s)", ErrWrongStatus, r.Number, r.Status)
			}
			now := s.now()
			next := Revision{DocumentID: d.ID, Number: r.Number + 1, Base: r.Number, Title: r.Title,
				PositionID: r.PositionID, Sections: cloneSections(r.Sections), Status: StatusDraft,
				Editors: []string{a.Subject}, CreatedBy: a.Subject, CreatedAt: now, UpdatedAt: now}
			if err := s.store.InsertRevision(ctx, a.Tenant, next); err != nil {
				return err
			}
			if out, err = s.put(ctx, a, d, next, false); err != nil {
				return err
			}
			return s.record(ctx, ActionNewRevision, d.ID, "",
				map[string]any{"latest": r.Number}, map[string]any{"latest": next.Number, "base": r.Number})
		})
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: new revision of %s: %w", id, err)
	}
	return out, nil
}

// snapshot is what the audit diff of an edit compares.
func snapshot(d Document, r Revision) map[string]any {
	return map[string]any{"title": r.Title, "position_id": r.PositionID, "status": string(r.Status),
		"revision": r.Number, "sections": r.Sections, "approvers": d.Approvers}
}
