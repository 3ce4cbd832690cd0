package channel

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
)

func checkMessage(body string) error {
	var v ballast.ValidationError
	document(&v, "body", body, MaxMessage)
	return v.Err()
}

// Ask opens a question thread under a published announcement the principal
// received (PermPost): private to the asker and HR. HR is notified (key
// "question:<id>:asked"). A non-recipient gets ErrNotRecipient; an unknown,
// draft or withdrawn announcement ErrNotFound; an empty or over-long body
// (1..MaxMessage characters) a *ballast.ValidationError.
func (s *Service) Ask(ctx context.Context, announcementID, body string) (Question, error) {
	body = strings.TrimSpace(body)
	var out Question
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, PermPost)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if err := checkID("announcement_id", announcementID); err != nil {
			v.Add("announcement_id", "is not a valid id")
		}
		document(&v, "body", body, MaxMessage)
		if err := v.Err(); err != nil {
			return err
		}
		a, err := s.store.Announcement(ctx, pr.Tenant, announcementID)
		if err != nil {
			return err
		}
		if a.Status != StatusPublished {
			return fmt.Errorf("announcement %s is %s: %w", announcementID, a.Status, ballast.ErrNotFound)
		}
		if _, err := s.store.Receipt(ctx, pr.Tenant, announcementID, pr.Subject); err != nil {
			if errors.Is(err, ballast.ErrNotFound) {
				return ErrNotRecipient
			}
			return err
		}
		now := s.now()
		out = Question{ID: ballast.NewID(), AnnouncementID: announcementID, AskerID: pr.Subject,
			AwaitingHR: true, WaitingSince: now, LastMessageAt: now, CreatedAt: now, UpdatedAt: now, Version: 1}
		m := Message{ID: ballast.NewID(), QuestionID: out.ID, AuthorID: pr.Subject, Body: body, CreatedAt: now}
		if err := s.store.InsertQuestion(ctx, pr.Tenant, out, m); err != nil {
			return err
		}
		out.Messages = []Message{m}
		if err := s.outbox.Enqueue(ctx, notify.Message{
			Recipients:     s.hrTo,
			Subject:        "New question: " + a.Title,
			Body:           excerpt(body),
			Kind:           "channel.question",
			Data:           map[string]string{"announcement_id": announcementID, "question_id": out.ID},
			IdempotencyKey: "question:" + out.ID + ":asked",
		}); err != nil {
			return fmt.Errorf("notify hr: %w", err)
		}
		return s.record(ctx, "channel.question.ask", "question", out.ID, nil, out)
	})
	if err != nil {
		return Question{}, fmt.Errorf("channel: ask on announcement %s: %w", announcementID, err)
	}
	return out, nil
}

// Reply adds a message to a question thread. The asker continues their own
// thread (PermPost, while the announcement is published); anyone else
// answers as HR and needs PermManage (else ErrNotAsker). An HR answer
// clears the wait and notifies the asker (key
// "question:<id>:answer:<message id>"); an asker's message starts a new
// wait if HR had answered.
func (s *Service) Reply(ctx context.Context, questionID, body string) (Message, error) {
	body = strings.TrimSpace(body)
	var out Message
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, "")
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if err := checkID("question_id", questionID); err != nil {
			v.Add("question_id", "is not a valid id")
		}
		document(&v, "body", body, MaxMessage)
		if err := v.Err(); err != nil {
			return err
		}
		before, err := s.store.Question(ctx, pr.Tenant, questionID)
		if err != nil {
			return err
		}
		fromHR := pr.Subject != before.AskerID
		if fromHR {
			ok, err := s.allowed(ctx, PermManage)
			if err != nil {
				return err
			}
			if !ok {
				return ErrNotAsker
			}
		} else {
			if err := s.auth.Authorize(ctx, PermPost); err != nil {
				return err
			}
			a, err := s.store.Announcement(ctx, pr.Tenant, before.AnnouncementID)
			if err != nil {
				return err
			}
			if a.Status != StatusPublished {
				return fmt.Errorf("announcement %s is %s: %w", a.ID, a.Status, ballast.ErrNotFound)
			}
		}
		now := s.now()
		out = Message{ID: ballast.NewID(), QuestionID: questionID, AuthorID: pr.Subject, FromHR: fromHR, Body: body, CreatedAt: now}
		q := before
		q.LastMessageAt, q.UpdatedAt, q.Version = now, now, before.Version+1
		if fromHR {
			q.AwaitingHR, q.WaitingSince = false, zeroTime
			if q.AnsweredAt.IsZero() {
				q.AnsweredAt = now
			}
		} else if !q.AwaitingHR {
			q.AwaitingHR, q.WaitingSince = true, now
		}
		if err := s.store.InsertMessage(ctx, pr.Tenant, out); err != nil {
			return err
		}
		if err := s.store.UpdateQuestion(ctx, pr.Tenant, q, before.Version); err != nil {
			return err
		}
		if fromHR {
			if err := s.outbox.Enqueue(ctx, notify.Message{
				Recipients:     []string{before.AskerID},
				Subject:        "HR answered your question",
				Body:           excerpt(body),
				Kind:           "channel.answer",
				Data:           map[string]string{"announcement_id": q.AnnouncementID, "question_id": questionID},
				IdempotencyKey: "question:" + questionID + ":answer:" + out.ID,
			}); err != nil {
				return fmt.Errorf("notify asker: %w", err)
			}
		}
		before.Messages, q.Messages = nil, []Message{out}
		return s.record(ctx, "channel.question.reply", "question", questionID, before, q)
	})
	if err != nil {
		return Message{}, fmt.Errorf("channel: reply to question %s: %w", questionID, err)
	}
	return out, nil
}

// SetQuestionPublic shows an answered Q&A to every recipient of its
// announcement, or hides it again (PermManage); version is the version
// read. Making an unanswered question public gives ErrState. Recipients
// other than the asker never see the asker's ID.
func (s *Service) SetQuestionPublic(ctx context.Context, questionID string, public bool, version int64) (Question, error) {
	var out Question
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := checkID("question_id", questionID); err != nil {
			return err
		}
		before, err := s.store.Question(ctx, pr.Tenant, questionID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("version %d is stale (now %d): %w", version, before.Version, ballast.ErrConflict)
		}
		if public && before.AnsweredAt.IsZero() {
			return fmt.Errorf("publish an unanswered question: %w", ErrState)
		}
		out = before
		out.Public, out.UpdatedAt, out.Version = public, s.now(), before.Version+1
		if err := s.store.UpdateQuestion(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, "channel.question.visibility", "question", questionID, before, out)
	})
	if err != nil {
		return Question{}, fmt.Errorf("channel: set question %s public: %w", questionID, err)
	}
	return out, nil
}

// Questions lists the question threads under an announcement, oldest
// first, with their messages: every thread for PermManage; for a recipient
// (PermRead), their own threads and the public ones, the latter without
// the asker's ID.
func (s *Service) Questions(ctx context.Context, announcementID string) ([]Question, error) {
	fail := func(err error) ([]Question, error) {
		return nil, fmt.Errorf("channel: questions of %s: %w", announcementID, err)
	}
	pr, err := s.begin(ctx, "")
	if err != nil {
		return fail(err)
	}
	_, manage, err := s.visible(ctx, pr, announcementID)
	if err != nil {
		return fail(err)
	}
	q := QuestionQuery{AnnouncementID: announcementID}
	if !manage {
		q.VisibleTo = pr.Subject
	}
	qs, err := s.store.Questions(ctx, pr.Tenant, q)
	if err != nil {
		return fail(err)
	}
	if err := s.withMessages(ctx, pr.Tenant, qs); err != nil {
		return fail(err)
	}
	if !manage {
		for i := range qs {
			redact(&qs[i], pr.Subject)
		}
	}
	if qs == nil {
		qs = []Question{}
	}
	return qs, nil
}

// Question returns one thread with its messages: any for PermManage; for
// PermRead, one's own or a public one under an announcement one received.
func (s *Service) Question(ctx context.Context, id string) (Question, error) {
	fail := func(err error) (Question, error) { return Question{}, fmt.Errorf("channel: question %s: %w", id, err) }
	pr, err := s.begin(ctx, "")
	if err != nil {
		return fail(err)
	}
	if err := checkID("id", id); err != nil {
		return fail(err)
	}
	q, err := s.store.Question(ctx, pr.Tenant, id)
	if err != nil {
		return fail(err)
	}
	_, manage, err := s.visible(ctx, pr, q.AnnouncementID)
	if err != nil {
		return fail(err)
	}
	if !manage && q.AskerID != pr.Subject && !q.Public {
		return fail(fmt.Errorf("question %s: %w", id, ballast.ErrNotFound))
	}
	qs := []Question{q}
	if err := s.withMessages(ctx, pr.Tenant, qs); err != nil {
		return fail(err)
	}
	if !manage {
		redact(&qs[0], pr.Subject)
	}
	return qs[0], nil
}

// withMessages fills the Messages of qs in one query.
func (s *Service) withMessages(ctx context.Context, tenant string, qs []Question) error {
	if len(qs) == 0 {
		return nil
	}
	ids := make([]string, len(qs))
	at := make(map[string]int, len(qs))
	for i, q := range qs {
		ids[i], at[q.ID] = q.ID, i
	}
	ms, err := s.store.Messages(ctx, tenant, ids)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if i, ok := at[m.QuestionID]; ok {
			qs[i].Messages = append(qs[i].Messages, m)
		}
	}
	return nil
}

// redact hides the asker of a public thread from a viewer who is not the
// asker.
func redact(q *Question, viewer string) {
	if q.AskerID == viewer {
		return
	}
	q.AskerID = ""
	for i := range q.Messages {
		if !q.Messages[i].FromHR {
			q.Messages[i].AuthorID = ""
		}
	}
}

// Unanswered lists the questions that have waited for an HR answer longer
// than olderThan (0 means the configured Overdue, by default three days),
// longest waiting first (PermManage). Their messages are not filled.
func (s *Service) Unanswered(ctx context.Context, olderThan time.Duration) ([]Question, error) {
	fail := func(err error) ([]Question, error) { return nil, fmt.Errorf("channel: unanswered questions: %w", err) }
	pr, err := s.begin(ctx, PermManage)
	if err != nil {
		return fail(err)
	}
	if olderThan < 0 {
		return fail(ballast.Invalid("older_than", "must not be negative"))
	}
	if olderThan == 0 {
		olderThan = s.overdue
	}
	qs, err := s.store.Questions(ctx, pr.Tenant, QuestionQuery{WaitingBefore: s.now().Add(-olderThan)})
	if err != nil {
		return fail(err)
	}
	if qs == nil {
		qs = []Question{}
	}
	return qs, nil
}

// overdueKey is the idempotency key of one wait's overdue notice: a new
// wait (the asker wrote again after an answer) gets a new notice.
func overdueKey(q Question) string {
	return "question:" + q.ID + ":overdue:" + strconv.FormatInt(q.WaitingSince.UnixMicro(), 10)
}

var zeroTime time.Time
