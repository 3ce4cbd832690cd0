package jobdesc

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ballast-hr/ballast/notify"
)

// The notification kinds the Service queues.
const (
	KindSubmitted        = "jobdesc.submitted"
	KindApproved         = "jobdesc.approved"
	KindChangesRequested = "jobdesc.changes_requested"
	KindPublished        = "jobdesc.published"
	KindComment          = "jobdesc.comment"
	KindResolved         = "jobdesc.comment_resolved"
)

// send queues one message per recipient but skip, each with its own
// idempotency key "<kind>/<parts…>/<recipient>", so a repeat never
// duplicates one.
func (s *Service) send(ctx context.Context, kind, skip string, recipients []string, subject, body string, data map[string]string, keyParts ...string) error {
	seen := map[string]bool{"": true, skip: true}
	for _, r := range recipients {
		if seen[r] {
			continue
		}
		seen[r] = true
		key := kind
		for _, p := range keyParts {
			key += "/" + p
		}
		key += "/" + r
		m := notify.Message{Recipients: []string{r}, Kind: kind, Subject: subject, Body: body, Data: data, IdempotencyKey: key}
		if err := s.outbox.Enqueue(ctx, m); err != nil {
			return fmt.Errorf("notify %s: %w", r, err)
		}
	}
	return nil
}

func data(d Document, r Revision) map[string]string {
	m := map[string]string{"document_id": d.ID, "kind": string(d.Kind), "revision": strconv.Itoa(r.Number),
		"status": string(r.Status), "title": r.Title}
	if d.DepartmentID != "" {
		m["department_id"] = d.DepartmentID
	}
	return m
}

// reviewers are who is told of a submission: the designated approvers and
// the owner of the template (the document itself, or the source of a
// department version).
func (s *Service) reviewers(ctx context.Context, tenant string, d Document) ([]string, error) {
	out := append([]string{}, d.Approvers...)
	switch {
	case d.Kind == KindTemplate:
		out = append(out, d.OwnerID)
	case d.SourceID != "":
		t, err := s.store.Document(ctx, tenant, d.SourceID)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", d.SourceID, err)
		}
		out = append(out, t.OwnerID)
	}
	return out, nil
}

// notifySubmitted tells the reviewers that revision r of d awaits them.
func (s *Service) notifySubmitted(ctx context.Context, a actor, d Document, r Revision) error {
	to, err := s.reviewers(ctx, a.Tenant, d)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("Revision %d of the job description %q is submitted for review.", r.Number, r.Title)
	if r.Note != "" {
		body += " " + r.Note
	}
	return s.send(ctx, KindSubmitted, a.Subject, to, "Job description to review: "+r.Title, body, data(d, r),
		d.ID, strconv.Itoa(r.Number), strconv.Itoa(r.Round))
}

// notifyDecided tells the editors of r and the owner of d the decision.
func (s *Service) notifyDecided(ctx context.Context, a actor, d Document, r Revision) error {
	to := append(append([]string{}, r.Editors...), d.OwnerID)
	kind, subject := KindApproved, "Job description approved: "+r.Title
	body := fmt.Sprintf("Revision %d of the job description %q is approved.", r.Number, r.Title)
	if r.Status == StatusChangesRequested {
		kind, subject = KindChangesRequested, "Changes requested: "+r.Title
		body = fmt.Sprintf("Revision %d of the job description %q needs changes:", r.Number, r.Title)
	}
	if r.Note != "" {
		body += " " + r.Note
	}
	return s.send(ctx, kind, a.Subject, to, subject, body, data(d, r), d.ID, strconv.Itoa(r.Number), strconv.Itoa(r.Round))
}

// notifyPublished tells the owners of department versions derived from
// template t that revision r is published.
func (s *Service) notifyPublished(ctx context.Context, a actor, t Document, r Revision) error {
	ds, err := s.store.ListDocuments(ctx, a.Tenant, Query{Kind: KindDepartment, SourceID: t.ID})
	if err != nil {
		return err
	}
	var to []string
	for _, d := range ds {
		if d.SourceRevision != r.Number {
			to = append(to, d.OwnerID)
		}
	}
	return s.send(ctx, KindPublished, a.Subject, to, "Job-description template updated: "+r.Title,
		fmt.Sprintf("Revision %d of the template %q is published; your department version derives from an earlier one.", r.Number, r.Title),
		data(t, r), t.ID, strconv.Itoa(r.Number))
}

// notifyComment tells the editors of r, the owner of d and the earlier
// participants of the thread of a new comment c.
func (s *Service) notifyComment(ctx context.Context, d Document, r Revision, c Comment, prior []Comment) error {
	to := append(append(append([]string{}, r.Editors...), d.OwnerID), participants(prior)...)
	m := data(d, r)
	m["comment_id"], m["section_key"] = c.ID, c.SectionKey
	return s.send(ctx, KindComment, c.AuthorID, to, fmt.Sprintf("New comment on %q (%s)", r.Title, c.SectionKey), c.Body, m, c.ID)
}

// notifyResolved tells the author of thread c that it was resolved.
func (s *Service) notifyResolved(ctx context.Context, d Document, c Comment) error {
	m := map[string]string{"document_id": d.ID, "comment_id": c.ID, "section_key": c.SectionKey}
	return s.send(ctx, KindResolved, c.ResolvedBy, []string{c.AuthorID}, fmt.Sprintf("Comment resolved on %q", d.Title),
		"Your comment was resolved: "+c.Body, m, c.ID)
}
