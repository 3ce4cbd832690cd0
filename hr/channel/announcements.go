package channel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

func (p AnnouncementParams) normalised() AnnouncementParams {
	p.Title = strings.TrimSpace(p.Title)
	p.Audience.DepartmentIDs = slices.Clone(p.Audience.DepartmentIDs)
	p.Audience.EmployeeIDs = slices.Clone(p.Audience.EmployeeIDs)
	return p
}

// checkAnnouncement validates p and looks its audience up in the
// directory, listing every bad field.
func (s *Service) checkAnnouncement(ctx context.Context, p AnnouncementParams) error {
	var v ballast.ValidationError
	line(&v, "title", p.Title, MaxTitle)
	document(&v, "body", p.Body, MaxBody)
	a := p.Audience
	switch a.Kind {
	case AudienceAll:
		if len(a.DepartmentIDs) > 0 || len(a.EmployeeIDs) > 0 {
			v.Add("audience", "lists departments or employees for everyone")
		}
	case AudienceDepartments:
		if len(a.EmployeeIDs) > 0 {
			v.Add("audience.employee_ids", "is only for an audience of employees")
		}
		for i, ok := range uniqueIDs(&v, "audience.department_ids", a.DepartmentIDs) {
			if id := a.DepartmentIDs[i]; ok {
				if _, err := s.dir.Department(ctx, id); err != nil {
					if !errors.Is(err, ballast.ErrNotFound) {
						return err
					}
					v.Add(fmt.Sprintf("audience.department_ids[%d]", i), "does not exist")
				}
			}
		}
	case AudienceEmployees:
		if len(a.DepartmentIDs) > 0 {
			v.Add("audience.department_ids", "is only for an audience of departments")
		}
		for i, ok := range uniqueIDs(&v, "audience.employee_ids", a.EmployeeIDs) {
			if id := a.EmployeeIDs[i]; ok {
				e, err := s.dir.Employee(ctx, id)
				switch {
				case errors.Is(err, ballast.ErrNotFound):
					v.Add(fmt.Sprintf("audience.employee_ids[%d]", i), "does not exist")
				case err != nil:
					return err
				case e.Status == hr.StatusDeparted:
					v.Add(fmt.Sprintf("audience.employee_ids[%d]", i), "has departed")
				}
			}
		}
	case "":
		v.Add("audience.kind", "is required")
	default:
		v.Add("audience.kind", fmt.Sprintf("must be %q, %q or %q", AudienceAll, AudienceDepartments, AudienceEmployees))
	}
	return v.Err()
}

// CreateAnnouncement writes a draft announcement (PermManage). See
// AnnouncementParams for the rules; nothing is sent until
// PublishAnnouncement.
func (s *Service) CreateAnnouncement(ctx context.Context, p AnnouncementParams) (Announcement, error) {
	p = p.normalised()
	var out Announcement
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := s.checkAnnouncement(ctx, p); err != nil {
			return err
		}
		now := s.now()
		out = Announcement{ID: ballast.NewID(), Title: p.Title, Body: p.Body, Audience: p.Audience,
			Status: StatusDraft, AuthorID: pr.Subject, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.store.InsertAnnouncement(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, "channel.announcement.create", "announcement", out.ID, nil, out)
	})
	if err != nil {
		return Announcement{}, fmt.Errorf("channel: create announcement: %w", err)
	}
	return out, nil
}

// loadVersion reads announcement id and checks the version the caller read.
func (s *Service) loadVersion(ctx context.Context, tenant, id string, version int64) (Announcement, error) {
	if err := checkID("id", id); err != nil {
		return Announcement{}, err
	}
	a, err := s.store.Announcement(ctx, tenant, id)
	if err != nil {
		return Announcement{}, err
	}
	if a.Version != version {
		return Announcement{}, fmt.Errorf("version %d is stale (now %d): %w", version, a.Version, ballast.ErrConflict)
	}
	return a, nil
}

// UpdateAnnouncement replaces a draft's title, body and audience
// (PermManage); version is the version read (stale: ErrConflict). A
// published or withdrawn announcement gives ErrState.
func (s *Service) UpdateAnnouncement(ctx context.Context, id string, p AnnouncementParams, version int64) (Announcement, error) {
	p = p.normalised()
	var out Announcement
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, PermManage)
		if err != nil {
			return err
		}
		before, err := s.loadVersion(ctx, pr.Tenant, id, version)
		if err != nil {
			return err
		}
		if before.Status != StatusDraft {
			return fmt.Errorf("edit a %s announcement: %w", before.Status, ErrState)
		}
		if err := s.checkAnnouncement(ctx, p); err != nil {
			return err
		}
		out = before
		out.Title, out.Body, out.Audience = p.Title, p.Body, p.Audience
		out.UpdatedAt, out.Version = s.now(), before.Version+1
		if err := s.store.UpdateAnnouncement(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, "channel.announcement.update", "announcement", id, before, out)
	})
	if err != nil {
		return Announcement{}, fmt.Errorf("channel: update announcement %s: %w", id, err)
	}
	return out, nil
}

// excerptLen is how much of the body a notification carries.
const excerptLen = 280

func excerpt(body string) string {
	body = strings.TrimSpace(body)
	if utf8.RuneCountInString(body) <= excerptLen {
		return body
	}
	r := []rune(body)
	return string(r[:excerptLen]) + "…"
}

// PublishAnnouncement publishes a draft (PermManage): in one transaction
// it resolves the audience into recipient rows (departments with their
// subdepartments, employees who have not departed, one INSERT), queues one
// notification per recipient (idempotency key
// "announcement:<id>:<employee>") and audits the transition. An audience
// that resolves to nobody is a *ballast.ValidationError; a published or
// withdrawn announcement gives ErrState; version is the version read.
func (s *Service) PublishAnnouncement(ctx context.Context, id string, version int64) (Announcement, error) {
	var out Announcement
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, PermManage)
		if err != nil {
			return err
		}
		before, err := s.loadVersion(ctx, pr.Tenant, id, version)
		if err != nil {
			return err
		}
		if before.Status != StatusDraft {
			return fmt.Errorf("publish a %s announcement: %w", before.Status, ErrState)
		}
		recipients, err := s.store.InsertRecipients(ctx, pr.Tenant, id, before.Audience)
		if err != nil {
			return err
		}
		if len(recipients) == 0 {
			return ballast.Invalid("audience", "has no employees who have not departed")
		}
		now := s.now()
		out = before
		out.Status, out.Recipients, out.PublishedAt = StatusPublished, len(recipients), now
		out.UpdatedAt, out.Version = now, before.Version+1
		if err := s.store.UpdateAnnouncement(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		msgs := make([]notify.Message, len(recipients))
		for i, r := range recipients {
			msgs[i] = notify.Message{
				Recipients:     []string{r},
				Subject:        out.Title,
				Body:           excerpt(out.Body),
				Kind:           "channel.announcement",
				Data:           map[string]string{"announcement_id": id},
				IdempotencyKey: "announcement:" + id + ":" + r,
			}
		}
		if _, err := s.outbox.EnqueueMany(ctx, msgs); err != nil {
			return fmt.Errorf("notify recipients: %w", err)
		}
		return s.record(ctx, "channel.announcement.publish", "announcement", id, before, out)
	})
	if err != nil {
		return Announcement{}, fmt.Errorf("channel: publish announcement %s: %w", id, err)
	}
	return out, nil
}

// WithdrawAnnouncement takes a published announcement back (PermManage):
// recipients no longer see it; its receipts and questions stay for HR.
// Anything but a published announcement gives ErrState.
func (s *Service) WithdrawAnnouncement(ctx context.Context, id string, version int64) (Announcement, error) {
	var out Announcement
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, PermManage)
		if err != nil {
			return err
		}
		before, err := s.loadVersion(ctx, pr.Tenant, id, version)
		if err != nil {
			return err
		}
		if before.Status != StatusPublished {
			return fmt.Errorf("withdraw a %s announcement: %w", before.Status, ErrState)
		}
		now := s.now()
		out = before
		out.Status, out.WithdrawnAt, out.UpdatedAt, out.Version = StatusWithdrawn, now, now, before.Version+1
		if err := s.store.UpdateAnnouncement(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, "channel.announcement.withdraw", "announcement", id, before, out)
	})
	if err != nil {
		return Announcement{}, fmt.Errorf("channel: withdraw announcement %s: %w", id, err)
	}
	return out, nil
}

// visible returns announcement id if the principal may read it: any
// announcement for PermManage, otherwise a published one addressed to
// the principal (ErrNotRecipient when it is not; ErrNotFound when it does
// not exist or is not published). manage reports which case applied.
func (s *Service) visible(ctx context.Context, pr ballast.Principal, id string) (a Announcement, manage bool, err error) {
	if err := checkID("announcement_id", id); err != nil {
		return Announcement{}, false, err
	}
	manage, err = s.allowed(ctx, PermManage)
	if err != nil {
		return Announcement{}, false, err
	}
	if !manage {
		if err := s.auth.Authorize(ctx, PermRead); err != nil {
			return Announcement{}, false, err
		}
	}
	a, err = s.store.Announcement(ctx, pr.Tenant, id)
	if err != nil {
		return Announcement{}, false, err
	}
	if manage {
		return a, true, nil
	}
	if a.Status != StatusPublished {
		return Announcement{}, false, fmt.Errorf("announcement %s: %w", id, ballast.ErrNotFound)
	}
	if _, err := s.store.Receipt(ctx, pr.Tenant, id, pr.Subject); err != nil {
		if errors.Is(err, ballast.ErrNotFound) {
			return Announcement{}, false, ErrNotRecipient
		}
		return Announcement{}, false, err
	}
	return a, false, nil
}

// Announcement returns one announcement: any of the tenant's for
// PermManage; for PermRead, a published one the principal received
// (ErrNotRecipient otherwise; drafts and withdrawn ones are ErrNotFound).
func (s *Service) Announcement(ctx context.Context, id string) (Announcement, error) {
	pr, err := s.begin(ctx, "")
	if err != nil {
		return Announcement{}, fmt.Errorf("channel: announcement %s: %w", id, err)
	}
	a, _, err := s.visible(ctx, pr, id)
	if err != nil {
		return Announcement{}, fmt.Errorf("channel: announcement %s: %w", id, err)
	}
	return a, nil
}

// Announcements lists the tenant's announcements, newest first, with
// keyset pagination (PermManage).
func (s *Service) Announcements(ctx context.Context, f AnnouncementFilter) (AnnouncementPage, error) {
	fail := func(err error) (AnnouncementPage, error) {
		return AnnouncementPage{}, fmt.Errorf("channel: list announcements: %w", err)
	}
	pr, err := s.begin(ctx, PermManage)
	if err != nil {
		return fail(err)
	}
	var v ballast.ValidationError
	if f.Status != "" && f.Status != StatusDraft && f.Status != StatusPublished && f.Status != StatusWithdrawn {
		v.Add("status", "is not a known status")
	}
	limit := pageLimit(&v, f.Limit)
	at, after := timeCursor(&v, f.Cursor)
	if err := v.Err(); err != nil {
		return fail(err)
	}
	as, err := s.store.ListAnnouncements(ctx, pr.Tenant, AnnouncementQuery{Status: f.Status, AfterTime: at, AfterID: after, Limit: limit + 1})
	if err != nil {
		return fail(err)
	}
	var page AnnouncementPage
	page.Announcements, page.NextCursor = trimPage(as, limit, func(a Announcement) (string, string) {
		return a.CreatedAt.Format(time.RFC3339Nano), a.ID
	})
	return page, nil
}

// Inbox lists the published announcements addressed to the principal,
// newest first, each with the principal's read time (PermRead).
func (s *Service) Inbox(ctx context.Context, f InboxFilter) (InboxPage, error) {
	fail := func(err error) (InboxPage, error) { return InboxPage{}, fmt.Errorf("channel: inbox: %w", err) }
	pr, err := s.begin(ctx, PermRead)
	if err != nil {
		return fail(err)
	}
	var v ballast.ValidationError
	limit := pageLimit(&v, f.Limit)
	at, after := timeCursor(&v, f.Cursor)
	if err := v.Err(); err != nil {
		return fail(err)
	}
	items, err := s.store.Inbox(ctx, pr.Tenant, InboxQuery{EmployeeID: pr.Subject, UnreadOnly: f.UnreadOnly,
		AfterTime: at, AfterID: after, Limit: limit + 1})
	if err != nil {
		return fail(err)
	}
	var page InboxPage
	page.Items, page.NextCursor = trimPage(items, limit, func(it InboxItem) (string, string) {
		return it.PublishedAt.Format(time.RFC3339Nano), it.ID
	})
	return page, nil
}

// MarkRead records that the principal read a published announcement
// addressed to them (PermRead). It is idempotent and keeps the first read
// time. A non-recipient gets ErrNotRecipient. The receipt row is the
// evidence; MarkRead appends no audit entry.
func (s *Service) MarkRead(ctx context.Context, announcementID string) (Receipt, error) {
	var out Receipt
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.begin(ctx, PermRead)
		if err != nil {
			return err
		}
		if err := checkID("announcement_id", announcementID); err != nil {
			return err
		}
		a, err := s.store.Announcement(ctx, pr.Tenant, announcementID)
		if err != nil {
			return err
		}
		if a.Status != StatusPublished {
			return fmt.Errorf("announcement %s is %s: %w", announcementID, a.Status, ballast.ErrNotFound)
		}
		out, err = s.store.MarkRead(ctx, pr.Tenant, announcementID, pr.Subject, s.now())
		if errors.Is(err, ballast.ErrNotFound) {
			return ErrNotRecipient
		}
		return err
	})
	if err != nil {
		return Receipt{}, fmt.Errorf("channel: mark announcement %s read: %w", announcementID, err)
	}
	return out, nil
}

// Receipts reports who has and has not read an announcement (PermManage).
func (s *Service) Receipts(ctx context.Context, announcementID string) (ReceiptReport, error) {
	fail := func(err error) (ReceiptReport, error) {
		return ReceiptReport{}, fmt.Errorf("channel: receipts of %s: %w", announcementID, err)
	}
	pr, err := s.begin(ctx, PermManage)
	if err != nil {
		return fail(err)
	}
	if err := checkID("announcement_id", announcementID); err != nil {
		return fail(err)
	}
	if _, err := s.store.Announcement(ctx, pr.Tenant, announcementID); err != nil {
		return fail(err)
	}
	rs, err := s.store.Receipts(ctx, pr.Tenant, announcementID)
	if err != nil {
		return fail(err)
	}
	rep := ReceiptReport{AnnouncementID: announcementID, Total: len(rs), Receipts: rs}
	for _, r := range rs {
		if r.ReadAt.IsZero() {
			rep.Unread++
		} else {
			rep.Read++
		}
	}
	if rep.Receipts == nil {
		rep.Receipts = []Receipt{}
	}
	return rep, nil
}
