package channel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

func errorsIsNotFound(err error) bool { return errors.Is(err, ballast.ErrNotFound) }

// feedbackState is what HR's actions change on an item: the part of it
// that is audited (never the submitted text).
type feedbackState struct {
	Status     FeedbackStatus
	Tags       []string
	AssigneeID string
}

func stateOf(f Feedback) feedbackState {
	return feedbackState{Status: f.Status, Tags: f.Tags, AssigneeID: f.AssigneeID}
}

// beginFeedbackWrite checks that the principal may act on feedback: it
// must read it (PermFeedbackRead) and manage the channel (PermManage).
func (s *Service) beginFeedbackWrite(ctx context.Context) (ballast.Principal, error) {
	pr, err := s.begin(ctx, PermFeedbackRead)
	if err != nil {
		return pr, err
	}
	return pr, s.auth.Authorize(ctx, PermManage)
}

// ListFeedback lists anonymous feedback, newest day first (random order
// within a day), with keyset pagination (PermFeedbackRead). Messages are
// not filled.
func (s *Service) ListFeedback(ctx context.Context, f FeedbackFilter) (FeedbackPage, error) {
	fail := func(err error) (FeedbackPage, error) {
		return FeedbackPage{}, fmt.Errorf("channel: list feedback: %w", err)
	}
	pr, err := s.begin(ctx, PermFeedbackRead)
	if err != nil {
		return fail(err)
	}
	var v ballast.ValidationError
	if f.Status != "" && f.Status != FeedbackOpen && f.Status != FeedbackResolved {
		v.Add("status", "is not a known status")
	}
	if f.Category != "" && !validCategory(f.Category) {
		v.Add("category", "is not a known category")
	}
	if f.Tag != "" {
		line(&v, "tag", f.Tag, MaxTagLen)
	}
	if f.AssigneeID != "" {
		line(&v, "assignee_id", f.AssigneeID, maxSubject)
	}
	limit := pageLimit(&v, f.Limit)
	key, after := decodeCursor(&v, f.Cursor)
	var afterDay hr.Date
	if after != "" {
		d, err := hr.ParseDate(key)
		if err != nil || d.IsZero() {
			v.Add("cursor", "is not a cursor of this listing")
		}
		afterDay = d
	}
	if err := v.Err(); err != nil {
		return fail(err)
	}
	items, err := s.store.ListFeedback(ctx, pr.Tenant, FeedbackQuery{Status: f.Status, Category: f.Category,
		Tag: strings.TrimSpace(f.Tag), AssigneeID: f.AssigneeID, AfterDay: afterDay, AfterID: after, Limit: limit + 1})
	if err != nil {
		return fail(err)
	}
	var page FeedbackPage
	page.Items, page.NextCursor = trimPage(items, limit, func(f Feedback) (string, string) { return f.Day.String(), f.ID })
	return page, nil
}

// Feedback returns one item with its whole thread (PermFeedbackRead).
func (s *Service) Feedback(ctx context.Context, id string) (Feedback, error) {
	fail := func(err error) (Feedback, error) { return Feedback{}, fmt.Errorf("channel: feedback %s: %w", id, err) }
	pr, err := s.begin(ctx, PermFeedbackRead)
	if err != nil {
		return fail(err)
	}
	if err := checkID("id", id); err != nil {
		return fail(err)
	}
	f, err := s.store.Feedback(ctx, pr.Tenant, id)
	if err != nil {
		return fail(err)
	}
	if f.Messages, err = s.store.FeedbackMessages(ctx, pr.Tenant, id); err != nil {
		return fail(err)
	}
	return f, nil
}

// maxSubject is the longest subject (an assignee) accepted.
const maxSubject = 200

// changeFeedback runs one audited HR change of an item's state.
func (s *Service) changeFeedback(ctx context.Context, op, id string, version int64, check func(*ballast.ValidationError),
	change func(ctx context.Context, before Feedback) (Feedback, error)) (Feedback, error) {
	var out Feedback
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.beginFeedbackWrite(ctx)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if !ballast.ValidID(id) {
			v.Add("id", "is not a valid id")
		}
		if check != nil {
			check(&v)
		}
		if err := v.Err(); err != nil {
			return err
		}
		before, err := s.store.Feedback(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("version %d is stale (now %d): %w", version, before.Version, ballast.ErrConflict)
		}
		out, err = change(ctx, before)
		if err != nil {
			return err
		}
		out.Version = before.Version + 1
		if err := s.store.UpdateFeedback(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, "channel.feedback."+op, "feedback", id, stateOf(before), stateOf(out))
	})
	if err != nil {
		return Feedback{}, fmt.Errorf("channel: %s feedback %s: %w", op, id, err)
	}
	return out, nil
}

// normaliseTags trims, drops empty and duplicate tags and sorts them.
func normaliseTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// TagFeedback replaces an item's tags (PermFeedbackRead and PermManage);
// at most MaxTags tags of 1..MaxTagLen characters. version is the version
// read (stale: ErrConflict). Audited with the diff of the tags.
func (s *Service) TagFeedback(ctx context.Context, id string, tags []string, version int64) (Feedback, error) {
	tags = normaliseTags(tags)
	return s.changeFeedback(ctx, "tag", id, version, func(v *ballast.ValidationError) {
		if len(tags) > MaxTags {
			v.Add("tags", fmt.Sprintf("has more than %d tags", MaxTags))
		}
		for i, t := range tags {
			line(v, "tags["+strconv.Itoa(i)+"]", t, MaxTagLen)
		}
	}, func(_ context.Context, f Feedback) (Feedback, error) {
		f.Tags = tags
		return f, nil
	})
}

// AssignFeedback hands an item to an HR subject, or unassigns it with an
// empty assigneeID (PermFeedbackRead and PermManage). The assignee is
// notified (key "feedback:<id>:assigned:<version>"); the notice names the
// item and its category, nothing about the submitter.
func (s *Service) AssignFeedback(ctx context.Context, id, assigneeID string, version int64) (Feedback, error) {
	assigneeID = strings.TrimSpace(assigneeID)
	return s.changeFeedback(ctx, "assign", id, version, func(v *ballast.ValidationError) {
		if assigneeID != "" {
			line(v, "assignee_id", assigneeID, maxSubject)
		}
	}, func(ctx context.Context, f Feedback) (Feedback, error) {
		f.AssigneeID = assigneeID
		if assigneeID == "" {
			return f, nil
		}
		err := s.outbox.Enqueue(ctx, notify.Message{
			Recipients:     []string{assigneeID},
			Subject:        "Anonymous feedback assigned to you",
			Body:           fmt.Sprintf("An anonymous feedback item (%s) was assigned to you.", f.Category),
			Kind:           "channel.feedback.assigned",
			Data:           map[string]string{"feedback_id": f.ID},
			IdempotencyKey: "feedback:" + f.ID + ":assigned:" + strconv.FormatInt(f.Version+1, 10),
		})
		return f, err
	})
}

// ResolveFeedback marks an open item resolved (PermFeedbackRead and
// PermManage); a resolved one gives ErrState.
func (s *Service) ResolveFeedback(ctx context.Context, id string, version int64) (Feedback, error) {
	return s.changeFeedback(ctx, "resolve", id, version, nil, func(_ context.Context, f Feedback) (Feedback, error) {
		if f.Status != FeedbackOpen {
			return f, fmt.Errorf("resolve a %s item: %w", f.Status, ErrState)
		}
		f.Status = FeedbackResolved
		return f, nil
	})
}

// ReopenFeedback reopens a resolved item (PermFeedbackRead and
// PermManage); an open one gives ErrState.
func (s *Service) ReopenFeedback(ctx context.Context, id string, version int64) (Feedback, error) {
	return s.changeFeedback(ctx, "reopen", id, version, nil, func(_ context.Context, f Feedback) (Feedback, error) {
		if f.Status != FeedbackResolved {
			return f, fmt.Errorf("reopen an %s item: %w", f.Status, ErrState)
		}
		f.Status = FeedbackOpen
		return f, nil
	})
}

// ReplyFeedback adds HR's reply to an item's thread (PermFeedbackRead and
// PermManage); the submitter reads it with their code. The reply is
// audited (who replied, what); it stores only the day.
func (s *Service) ReplyFeedback(ctx context.Context, id, body string) (FeedbackMessage, error) {
	body = strings.TrimSpace(body)
	var out FeedbackMessage
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.beginFeedbackWrite(ctx)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if !ballast.ValidID(id) {
			v.Add("id", "is not a valid id")
		}
		document(&v, "body", body, MaxMessage)
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := s.store.Feedback(ctx, pr.Tenant, id); err != nil {
			return err
		}
		out, err = s.appendFeedbackMessage(ctx, pr.Tenant, id, true, pr.Subject)
		if err != nil {
			return err
		}
		out.Body = body
		if err := s.store.InsertFeedbackMessage(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, "channel.feedback.reply", "feedback", id, nil, out)
	})
	if err != nil {
		return FeedbackMessage{}, fmt.Errorf("channel: reply to feedback %s: %w", id, err)
	}
	return out, nil
}
