package jobdesc

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
)

// Submit sends the latest revision of document id for review (whoever may
// Edit it). The designated approvers and the owner of the template are
// notified. note is an optional message to the reviewers.
//
// Errors, with nothing changed: ballast.ErrNotFound; ballast.ErrForbidden;
// ErrInReview when it is already in review; ErrApproved when it is
// approved; a *ballast.ValidationError for an over-long note;
// ballast.ErrConflict for a stale version.
func (s *Service) Submit(ctx context.Context, id, note string, version int64) (Document, error) {
	var out Document
	err := func() error {
		note = strings.TrimSpace(note)
		var v ballast.ValidationError
		checkText(&v, "note", note, false, MaxNoteLen)
		if err := v.Err(); err != nil {
			return err
		}
		a, err := s.actor(ctx, PermWriteDepartment)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			d, r, err := s.writable(ctx, a, id, version, true)
			if err != nil {
				return err
			}
			before := r.Status
			r.Status, r.Round, r.SubmittedBy, r.SubmittedAt, r.Note = StatusInReview, r.Round+1, a.Subject, s.now(), note
			if out, err = s.put(ctx, a, d, r, false); err != nil {
				return err
			}
			if err := s.record(ctx, ActionSubmit, d.ID, note, statusOf(r.Number, before), statusOf(r.Number, r.Status)); err != nil {
				return err
			}
			return s.notifySubmitted(ctx, a, out, r)
		})
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: submit %s: %w", id, err)
	}
	return out, nil
}

// Approve approves the latest revision of document id, which must be in
// review. The approver holds PermManage or is a designated approver, and
// has not edited the revision. The approved revision is in force from now
// on (Document.Approved); its editors and the document's owner are
// notified. A system principal is held to the same rule: its subject must
// not be among the revision's editors.
//
// Errors, with nothing changed: ballast.ErrNotFound; ballast.ErrForbidden
// for someone who is neither HR nor a designated approver; ErrOwnChange
// when the principal edited the revision; ErrWrongStatus when it is not
// in review; ballast.ErrConflict for a stale version.
func (s *Service) Approve(ctx context.Context, id, note string, version int64) (Document, error) {
	d, err := s.decide(ctx, id, note, version, StatusApproved)
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: approve %s: %w", id, err)
	}
	return d, nil
}

// RequestChanges sends the latest revision of document id back to its
// editors with note (required), under the rules of Approve. The revision
// becomes changes_requested: editable again, and back to draft at its next
// edit.
func (s *Service) RequestChanges(ctx context.Context, id, note string, version int64) (Document, error) {
	d, err := s.decide(ctx, id, note, version, StatusChangesRequested)
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: request changes on %s: %w", id, err)
	}
	return d, nil
}

// decide approves or sends back the latest revision of id.
func (s *Service) decide(ctx context.Context, id, note string, version int64, to Status) (Document, error) {
	note = strings.TrimSpace(note)
	var v ballast.ValidationError
	checkText(&v, "note", note, to == StatusChangesRequested, MaxNoteLen)
	if err := ballast.CheckID("id", id); err != nil {
		return Document{}, err
	}
	if err := v.Err(); err != nil {
		return Document{}, err
	}
	a, err := s.actor(ctx, PermReadDepartment)
	if err != nil {
		return Document{}, err
	}
	var out Document
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.store.Document(ctx, a.Tenant, id)
		if err != nil {
			return err
		}
		if !a.mayRead(d) {
			return fmt.Errorf("job description %s: %w", id, ballast.ErrNotFound)
		}
		if !a.manages && !a.isApprover(d) {
			return forbidden("only HR or a designated approver may review job description %s", id)
		}
		if d.Version != version {
			return staleVersion("job description "+id, version, d.Version)
		}
		r, err := s.store.Revision(ctx, a.Tenant, id, d.Latest)
		if err != nil {
			return err
		}
		if r.Status != StatusInReview {
			return fmt.Errorf("%w (revision %d is %s, not in review)", ErrWrongStatus, r.Number, r.Status)
		}
		if slices.Contains(r.Editors, a.Subject) {
			return ErrOwnChange
		}
		before := r.Status
		r.Status, r.DecidedBy, r.DecidedAt, r.Note = to, a.Subject, s.now(), note
		if to == StatusApproved {
			d.Approved = r.Number
		}
		if out, err = s.put(ctx, a, d, r, false); err != nil {
			return err
		}
		action := ActionApprove
		if to == StatusChangesRequested {
			action = ActionRequestChanges
		}
		if err := s.record(ctx, action, d.ID, note, statusOf(r.Number, before), statusOf(r.Number, to)); err != nil {
			return err
		}
		return s.notifyDecided(ctx, a, out, r)
	})
	return out, err
}

// Publish makes revision number of template id (0: its newest approved
// revision) the one department heads see and derive from (PermManage).
// The revision must be approved. The owners of department versions
// derived from the template are notified that a new revision is out.
//
// Errors, with nothing changed: ballast.ErrNotFound; ballast.ErrForbidden
// without PermManage; a *ballast.ValidationError for a department version
// or a negative number; ErrWrongStatus when the revision is not approved;
// ballast.ErrConflict for a stale version.
func (s *Service) Publish(ctx context.Context, id string, number int, version int64) (Document, error) {
	var out Document
	err := func() error {
		a, err := s.actor(ctx, "")
		if err != nil {
			return err
		}
		if !a.manages {
			return s.authorize(ctx, a.Principal, PermManage)
		}
		if number < 0 {
			return ballast.Invalid("revision", "must be 0 (the newest approved) or a revision number")
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			d, _, err := s.writable(ctx, a, id, version, false)
			if err != nil {
				return err
			}
			if d.Kind != KindTemplate {
				return ballast.Invalid("id", "only a template is published; a department version is in force once approved")
			}
			if number == 0 {
				number = d.Approved
			}
			if number == 0 {
				return fmt.Errorf("%w (no revision is approved yet)", ErrWrongStatus)
			}
			r, err := s.store.Revision(ctx, a.Tenant, id, number)
			if err != nil {
				return err
			}
			if r.Status != StatusApproved {
				return fmt.Errorf("%w (revision %d is %s, not approved)", ErrWrongStatus, r.Number, r.Status)
			}
			before := d.Published
			now := s.now()
			d.Published, d.PublishedAt, d.UpdatedAt, d.Version = number, now, now, d.Version+1
			if err := s.store.UpdateDocument(ctx, a.Tenant, d, version); err != nil {
				return err
			}
			latest, err := s.store.Revision(ctx, a.Tenant, id, d.Latest)
			if err != nil {
				return err
			}
			d.Revision = &latest
			out = d
			if err := s.record(ctx, ActionPublish, d.ID, "", map[string]any{"published": before}, map[string]any{"published": number}); err != nil {
				return err
			}
			return s.notifyPublished(ctx, a, d, r)
		})
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: publish %s: %w", id, err)
	}
	return out, nil
}

// statusOf is what the audit diff of a status change compares.
func statusOf(number int, st Status) map[string]any {
	return map[string]any{"revision": number, "status": string(st)}
}

// Withdraw takes the latest revision of document id back from review to
// draft (whoever may Edit it), e.g. to fix something before a reviewer
// decides. Its Round stays, so a resubmission notifies the reviewers again.
//
// Errors, with nothing changed: ballast.ErrNotFound; ballast.ErrForbidden;
// ErrWrongStatus when the revision is not in review; ballast.ErrConflict
// for a stale version.
func (s *Service) Withdraw(ctx context.Context, id string, version int64) (Document, error) {
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
			if r.Status != StatusInReview {
				return fmt.Errorf("%w (revision %d is %s, not in review)", ErrWrongStatus, r.Number, r.Status)
			}
			r.Status = StatusDraft
			if out, err = s.put(ctx, a, d, r, false); err != nil {
				return err
			}
			return s.record(ctx, ActionWithdraw, d.ID, "", statusOf(r.Number, StatusInReview), statusOf(r.Number, StatusDraft))
		})
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: withdraw %s: %w", id, err)
	}
	return out, nil
}
