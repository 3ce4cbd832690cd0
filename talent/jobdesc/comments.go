package jobdesc

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// CommentParams is what Comment takes.
type CommentParams struct {
	DocumentID string `json:"document_id"`
	// Revision is the revision commented on; 0 means the latest.
	Revision int `json:"revision,omitempty"`
	// SectionKey names a section of that revision.
	SectionKey string `json:"section_key"`
	// Anchor optionally narrows the comment to part of the section's body
	// (see Anchor). With a quote alone, Start and End are set to its first
	// occurrence.
	Anchor *Anchor `json:"anchor,omitempty"`
	// Body is required, at most MaxCommentLen characters.
	Body string `json:"body"`
}

// Comment starts a comment thread on a section of a document (whoever may
// edit the document, and its designated approvers). The editors of the
// revision and the document's owner are notified.
//
// Errors, with nothing changed: a *ballast.ValidationError for an empty
// body or an anchor outside the section's text or not matching its quote;
// ErrUnknownSection when the revision has no such section;
// ballast.ErrNotFound for an unknown document or revision;
// ballast.ErrForbidden for someone who may only read it.
func (s *Service) Comment(ctx context.Context, p CommentParams) (Comment, error) {
	var out Comment
	err := func() error {
		p.Body = strings.TrimSpace(p.Body)
		var v ballast.ValidationError
		checkText(&v, "body", p.Body, true, MaxCommentLen)
		if p.Revision < 0 {
			v.Add("revision", "must be 0 (the latest) or a revision number")
		}
		if p.SectionKey == "" {
			v.Add("section_key", "is required")
		}
		if err := v.Err(); err != nil {
			return err
		}
		a, err := s.actor(ctx, PermWriteDepartment)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			d, err := s.commentable(ctx, a, p.DocumentID)
			if err != nil {
				return err
			}
			n := p.Revision
			if n == 0 {
				n = d.Latest
			}
			r, err := s.store.Revision(ctx, a.Tenant, d.ID, n)
			if err != nil {
				return err
			}
			sec, ok := r.Section(p.SectionKey)
			if !ok {
				return fmt.Errorf("%w %q in revision %d", ErrUnknownSection, p.SectionKey, n)
			}
			anchor, err := place(p.Anchor, sec.Body)
			if err != nil {
				return err
			}
			now := s.now()
			out = Comment{ID: ballast.NewID(), DocumentID: d.ID, Revision: n, SectionKey: sec.Key, Anchor: anchor,
				AuthorID: a.Subject, Body: p.Body, CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := s.store.InsertComment(ctx, a.Tenant, out); err != nil {
				return err
			}
			return s.notifyComment(ctx, d, r, out, nil)
		})
	}()
	if err != nil {
		return Comment{}, fmt.Errorf("jobdesc: comment on %s: %w", p.DocumentID, err)
	}
	return out, nil
}

// place checks an anchor against the section body and fills Start and End
// from a quote given alone.
func place(an *Anchor, body string) (*Anchor, error) {
	if an == nil {
		return nil, nil
	}
	x := *an
	var v ballast.ValidationError
	checkText(&v, "anchor.quote", x.Quote, false, MaxQuoteLen)
	if err := v.Err(); err != nil {
		return nil, err
	}
	runes := []rune(body)
	if x.Start == 0 && x.End == 0 {
		if x.Quote == "" {
			return nil, ballast.Invalid("anchor", "needs a range or a quote")
		}
		i := strings.Index(body, x.Quote)
		if i < 0 {
			return nil, ballast.Invalid("anchor.quote", "does not occur in the section")
		}
		x.Start = utf8.RuneCountInString(body[:i])
		x.End = x.Start + utf8.RuneCountInString(x.Quote)
		return &x, nil
	}
	if x.Start < 0 || x.End <= x.Start || x.End > len(runes) {
		return nil, ballast.Invalid("anchor", fmt.Sprintf("range [%d, %d) is outside the section's %d characters", x.Start, x.End, len(runes)))
	}
	if x.Quote != "" && string(runes[x.Start:x.End]) != x.Quote {
		return nil, ballast.Invalid("anchor.quote", "does not match the text in the range")
	}
	return &x, nil
}

// commentable loads document id for a comment by a: readable (else
// ballast.ErrNotFound) and writable or approvable (else
// ballast.ErrForbidden).
func (s *Service) commentable(ctx context.Context, a actor, id string) (Document, error) {
	if err := ballast.CheckID("document_id", id); err != nil {
		return Document{}, err
	}
	d, err := s.store.Document(ctx, a.Tenant, id)
	if err != nil {
		return Document{}, err
	}
	if !a.mayRead(d) {
		return Document{}, fmt.Errorf("job description %s: %w", id, ballast.ErrNotFound)
	}
	if !a.mayWrite(d) && !a.isApprover(d) {
		return Document{}, forbidden("only the document's editors and approvers may comment on %s", id)
	}
	return d, nil
}

// thread loads the first comment of the thread id (a reply's ID leads to
// its thread) and its document, for a.
func (s *Service) thread(ctx context.Context, a actor, id string) (Document, Comment, error) {
	if err := ballast.CheckID("id", id); err != nil {
		return Document{}, Comment{}, err
	}
	c, err := s.store.Comment(ctx, a.Tenant, id)
	if err != nil {
		return Document{}, Comment{}, err
	}
	if c.ParentID != "" {
		if c, err = s.store.Comment(ctx, a.Tenant, c.ParentID); err != nil {
			return Document{}, Comment{}, err
		}
	}
	d, err := s.store.Document(ctx, a.Tenant, c.DocumentID)
	if err != nil {
		return Document{}, Comment{}, err
	}
	if !a.mayRead(d) {
		return Document{}, Comment{}, fmt.Errorf("comment %s: %w", id, ballast.ErrNotFound)
	}
	return d, c, nil
}

// Reply answers the comment thread of commentID (its first comment or any
// reply) under the rules of Comment. The thread's participants and the
// revision's editors are notified.
//
// Errors, with nothing changed: a *ballast.ValidationError for an empty
// body; ErrResolved when the thread is resolved; ballast.ErrNotFound;
// ballast.ErrForbidden.
func (s *Service) Reply(ctx context.Context, commentID, body string) (Comment, error) {
	var out Comment
	err := func() error {
		body = strings.TrimSpace(body)
		var v ballast.ValidationError
		checkText(&v, "body", body, true, MaxCommentLen)
		if err := v.Err(); err != nil {
			return err
		}
		a, err := s.actor(ctx, PermWriteDepartment)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			d, root, err := s.thread(ctx, a, commentID)
			if err != nil {
				return err
			}
			if !a.mayWrite(d) && !a.isApprover(d) {
				return forbidden("only the document's editors and approvers may comment on %s", d.ID)
			}
			if root.Resolved {
				return ErrResolved
			}
			r, err := s.store.Revision(ctx, a.Tenant, d.ID, root.Revision)
			if err != nil {
				return err
			}
			prior, err := s.store.Comments(ctx, a.Tenant, d.ID, CommentQuery{ThreadID: root.ID})
			if err != nil {
				return err
			}
			now := s.now()
			out = Comment{ID: ballast.NewID(), DocumentID: d.ID, Revision: root.Revision, SectionKey: root.SectionKey,
				Anchor: root.Anchor, ParentID: root.ID, AuthorID: a.Subject, Body: body, CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := s.store.InsertComment(ctx, a.Tenant, out); err != nil {
				return err
			}
			return s.notifyComment(ctx, d, r, out, prior)
		})
	}()
	if err != nil {
		return Comment{}, fmt.Errorf("jobdesc: reply to %s: %w", commentID, err)
	}
	return out, nil
}

// Resolve resolves the comment thread whose first comment is id: the
// document's editors and approvers may, and so may the thread's author.
// The resolution is on the audit chain and the author is notified.
//
// Errors, with nothing changed: ballast.ErrInvalid for a reply's ID (a
// thread resolves on its first comment); ErrResolved when it is resolved
// already; ballast.ErrNotFound; ballast.ErrForbidden; ballast.ErrConflict
// for a stale version.
func (s *Service) Resolve(ctx context.Context, id string, version int64) (Comment, error) {
	var out Comment
	err := func() error {
		a, err := s.actor(ctx, PermWriteDepartment)
		if err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			d, root, err := s.thread(ctx, a, id)
			if err != nil {
				return err
			}
			if root.ID != id {
				return ballast.Invalid("id", "is a reply; resolve the thread's first comment")
			}
			if !a.mayWrite(d) && !a.isApprover(d) && root.AuthorID != a.Subject {
				return forbidden("the principal may not resolve comments on %s", d.ID)
			}
			if root.Resolved {
				return ErrResolved
			}
			if root.Version != version {
				return staleVersion("comment "+id, version, root.Version)
			}
			now := s.now()
			out = root
			out.Resolved, out.ResolvedBy, out.ResolvedAt, out.UpdatedAt, out.Version = true, a.Subject, now, now, root.Version+1
			if err := s.store.UpdateComment(ctx, a.Tenant, out, version); err != nil {
				return err
			}
			if err := s.record(ctx, ActionResolve, d.ID, "",
				map[string]any{"comment": root.ID, "section": root.SectionKey, "resolved": false},
				map[string]any{"comment": root.ID, "section": root.SectionKey, "resolved": true}); err != nil {
				return err
			}
			return s.notifyResolved(ctx, d, out)
		})
	}()
	if err != nil {
		return Comment{}, fmt.Errorf("jobdesc: resolve comment %s: %w", id, err)
	}
	return out, nil
}

// Comments returns the comments q selects on document id, oldest first,
// to whoever may comment on it.
//
// Errors: ballast.ErrNotFound; ballast.ErrForbidden.
func (s *Service) Comments(ctx context.Context, id string, q CommentQuery) ([]Comment, error) {
	cs, err := func() ([]Comment, error) {
		a, err := s.actor(ctx, PermWriteDepartment)
		if err != nil {
			return nil, err
		}
		d, err := s.commentable(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return s.store.Comments(ctx, a.Tenant, d.ID, q)
	}()
	if err != nil {
		return nil, fmt.Errorf("jobdesc: comments on %s: %w", id, err)
	}
	return cs, nil
}

// participants returns the distinct authors of cs.
func participants(cs []Comment) []string {
	var out []string
	for _, c := range cs {
		if !slices.Contains(out, c.AuthorID) {
			out = append(out, c.AuthorID)
		}
	}
	return out
}
