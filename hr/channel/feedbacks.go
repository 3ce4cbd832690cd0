package channel

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// AnonymousSubject is the subject SubmitFeedback acts as once it has
// checked the submitter's permission: a system principal of the tenant that
// names nobody.
const AnonymousSubject = "anonymous-feedback"

// codeBytes is the entropy of a follow-up code: 160 bits.
const codeBytes = 20

// codeAlphabet encodes follow-up codes: RFC 4648 base32, upper case, no
// padding (32 characters for 20 bytes), shown in groups of four.
var codeAlphabet = base32.StdEncoding.WithPadding(base32.NoPadding)

// newCode returns a fresh follow-up code as shown to the submitter
// ("ABCD-EFGH-…") and the SHA-256 (hex) that is stored.
func newCode() (code, hash string, err error) {
	b := make([]byte, codeBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("generate follow-up code: %w", err)
	}
	raw := codeAlphabet.EncodeToString(b)
	var groups []string
	for i := 0; i < len(raw); i += 4 {
		groups = append(groups, raw[i:min(i+4, len(raw))])
	}
	return strings.Join(groups, "-"), hashCode(raw), nil
}

// normaliseCode accepts a code as typed (any case, with or without dashes
// and spaces) and returns its canonical form, or "" when it cannot be one.
func normaliseCode(code string) string {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	if len(c) != codeAlphabet.EncodedLen(codeBytes) {
		return ""
	}
	if _, err := codeAlphabet.DecodeString(c); err != nil {
		return ""
	}
	return c
}

func hashCode(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return hex.EncodeToString(sum[:])
}

// randomID returns a random (version 4) UUID: unlike ballast.NewID it
// carries no time, so feedback IDs cannot be ordered by submission.
func randomID() (string, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return "", fmt.Errorf("generate id: %w", err)
	}
	return id.String(), nil
}

// today returns the calendar day of now in the tenant's zone.
func (s *Service) today(ctx context.Context) (hr.Date, error) {
	t, err := s.dir.Tenant(ctx)
	if err != nil {
		return hr.Date{}, err
	}
	loc, err := t.Location()
	if err != nil {
		return hr.Date{}, err
	}
	return hr.DateOf(s.clock.Now().In(loc)), nil
}

func validCategory(c FeedbackCategory) bool { return slices.Contains(FeedbackCategories, c) }

// SubmitFeedback records anonymous feedback. The principal needs
// PermFeedbackSubmit; after that check its identity is dropped: it is not
// stored in the item, not audited (no audit entry is written at all), not
// logged and not sent to the outbox. The item carries only the calendar
// day in the tenant's zone and a random ID. HR learns of new items through
// the daily digest of Reconcile, sent after the day has ended, so no
// notification's time dates a submission either.
//
// It returns the follow-up code, shown once: only its SHA-256 is kept.
// Category defaults to CategoryGeneral; Body is 1..MaxMessage characters
// of plain text.
func (s *Service) SubmitFeedback(ctx context.Context, p FeedbackParams) (Submission, error) {
	fail := func(err error) (Submission, error) {
		return Submission{}, fmt.Errorf("channel: submit feedback: %w", err)
	}
	tenant, err := s.submitter(ctx)
	if err != nil {
		return fail(err)
	}
	// From here on the use case runs as the anonymous system principal of
	// the tenant, so nothing it calls can learn the submitter.
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant, Subject: AnonymousSubject, Kind: ballast.KindSystem})
	p.Body = strings.TrimSpace(p.Body)
	if p.Category == "" {
		p.Category = CategoryGeneral
	}
	var v ballast.ValidationError
	if !validCategory(p.Category) {
		v.Add("category", "is not a known category")
	}
	document(&v, "body", p.Body, MaxMessage)
	if err := v.Err(); err != nil {
		return fail(err)
	}
	var out Submission
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		day, err := s.today(ctx)
		if err != nil {
			return err
		}
		id, err := randomID()
		if err != nil {
			return err
		}
		code, hash, err := newCode()
		if err != nil {
			return err
		}
		f := Feedback{ID: id, Category: p.Category, Body: p.Body, Day: day, Status: FeedbackOpen, Version: 1}
		if err := s.store.InsertFeedback(ctx, tenant, f, hash); err != nil {
			return err
		}
		out = Submission{Feedback: f, Code: code}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return out, nil
}

// submitter checks PermFeedbackSubmit and returns only the tenant: the
// submitter's identity goes no further than this function.
func (s *Service) submitter(ctx context.Context) (tenant string, err error) {
	pr, err := s.begin(ctx, PermFeedbackSubmit)
	if err != nil {
		return "", err
	}
	return pr.Tenant, nil
}

// byCode finds the item of a follow-up code in the principal's tenant,
// comparing hashes in constant time. Every failure is ErrUnknownCode.
func (s *Service) byCode(ctx context.Context, tenant, code string) (Feedback, error) {
	canonical := normaliseCode(code)
	want := hashCode(canonical)
	f, stored, err := s.store.FeedbackByCodeHash(ctx, tenant, want)
	if err != nil && !errorsIsNotFound(err) {
		return Feedback{}, err
	}
	if err != nil {
		stored = strings.Repeat("0", len(want)) // compare anyway: same work either way
	}
	match := subtle.ConstantTimeCompare([]byte(stored), []byte(want)) == 1
	if err != nil || !match || canonical == "" {
		return Feedback{}, ErrUnknownCode
	}
	return f, nil
}

// forSubmitter hides what HR keeps to itself: tags, the assignee and the
// names of HR's repliers.
func forSubmitter(f Feedback) Feedback {
	f.Tags, f.AssigneeID = nil, ""
	for i := range f.Messages {
		f.Messages[i].AuthorID = ""
	}
	return f
}

// FeedbackByCode returns the item of a follow-up code with its thread, as
// the submitter may see it (no tags, assignee or HR names). No permission
// is checked and no login-linked identity is needed: the code is the
// credential. ctx must still carry a principal naming the tenant (a host
// serving the code page without a session uses a system principal); its
// subject is ignored. An unknown or malformed code gives ErrUnknownCode,
// the same error either way.
func (s *Service) FeedbackByCode(ctx context.Context, code string) (Feedback, error) {
	fail := func(err error) (Feedback, error) { return Feedback{}, fmt.Errorf("channel: feedback by code: %w", err) }
	pr, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return fail(err)
	}
	f, err := s.byCode(ctx, pr.Tenant, code)
	if err != nil {
		return fail(err)
	}
	f.Messages, err = s.store.FeedbackMessages(ctx, pr.Tenant, f.ID)
	if err != nil {
		return fail(err)
	}
	return forSubmitter(f), nil
}

// ReplyByCode continues a feedback thread as its submitter, identified by
// the follow-up code alone (see FeedbackByCode). A resolved item is
// reopened. Like the submission, it stores only the day and is neither
// audited nor notified individually (the daily digest counts it). It
// returns the item with its thread as the submitter sees it.
func (s *Service) ReplyByCode(ctx context.Context, code, body string) (Feedback, error) {
	fail := func(err error) (Feedback, error) { return Feedback{}, fmt.Errorf("channel: reply by code: %w", err) }
	pr, err := ballast.PrincipalFrom(ctx)
	if err != nil {
		return fail(err)
	}
	tenant := pr.Tenant
	body = strings.TrimSpace(body)
	if err := checkMessage(body); err != nil {
		return fail(err)
	}
	var out Feedback
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		before, err := s.byCode(ctx, tenant, code)
		if err != nil {
			return err
		}
		m, err := s.appendFeedbackMessage(ctx, tenant, before.ID, false, "")
		if err != nil {
			return err
		}
		m.Body = body
		if err := s.store.InsertFeedbackMessage(ctx, tenant, m); err != nil {
			return err
		}
		out = before
		out.Status, out.Version = FeedbackOpen, before.Version+1
		if err := s.store.UpdateFeedback(ctx, tenant, out, before.Version); err != nil {
			return err
		}
		out.Messages, err = s.store.FeedbackMessages(ctx, tenant, out.ID)
		return err
	})
	if err != nil {
		return fail(err)
	}
	return forSubmitter(out), nil
}

// appendFeedbackMessage prepares the next message of a thread: a random
// ID, the next Seq and today's date.
func (s *Service) appendFeedbackMessage(ctx context.Context, tenant, feedbackID string, fromHR bool, author string) (FeedbackMessage, error) {
	ms, err := s.store.FeedbackMessages(ctx, tenant, feedbackID)
	if err != nil {
		return FeedbackMessage{}, err
	}
	day, err := s.today(ctx)
	if err != nil {
		return FeedbackMessage{}, err
	}
	id, err := randomID()
	if err != nil {
		return FeedbackMessage{}, err
	}
	seq := 1
	if len(ms) > 0 {
		seq = ms[len(ms)-1].Seq + 1
	}
	return FeedbackMessage{ID: id, FeedbackID: feedbackID, Seq: seq, FromHR: fromHR, AuthorID: author, Day: day}, nil
}
