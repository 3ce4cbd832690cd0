package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
)

// RunChannel runs the conformance suite for channel.Store. open must
// return a fresh, empty, migrated backend for every call: a transactor,
// the hr.Store whose employees and departments the channel store resolves
// audiences against, and the channel.Store, all joining the transactor's
// transactions.
func RunChannel(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, channel.Store)) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, tx ballast.Transactor, h hr.Store, s channel.Store)
	}{
		{"AnnouncementsRoundTripWithVersions", testChannelAnnouncements},
		{"RecipientsResolveTheAudienceAndKeepTheFirstRead", testChannelRecipients},
		{"QuestionsAndMessagesRoundTrip", testChannelQuestions},
		{"FeedbackRoundTripsByIDAndCodeHash", testChannelFeedback},
		{"TenantBNeverTouchesTenantA", testChannelIsolation},
		{"RolledBackWritesLeaveNothing", testChannelRollback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tt.fn(t, tx, h, s)
		})
	}
}

// chT0 is the instant the suite's records are stamped with.
var chT0 = time.Date(2026, 11, 25, 9, 30, 0, 123456000, time.UTC)

// chOrg is one tenant's little organisation: Sales (with East below it)
// and Ops, an employee in each and a departed one in Sales.
type chOrg struct {
	tenant                    string
	sales, east, ops          hr.Department
	wang, li, zhao, gone      hr.Employee
	announcement, unpublished channel.Announcement
}

func chSetup(t *testing.T, h hr.Store, s channel.Store, name string) chOrg {
	t.Helper()
	ctx := context.Background()
	o := chOrg{tenant: hrTenant(t, h, name)}
	o.sales = hrDept("Sales", "")
	o.east = hrDept("East", o.sales.ID)
	o.ops = hrDept("Ops", "")
	must(t, h.InsertDepartments(ctx, o.tenant, []hr.Department{o.sales, o.east, o.ops}))
	o.wang = hrEmp("E1", "Wang Li", o.sales.ID)
	o.li = hrEmp("E2", "Li Qiang", o.east.ID)
	o.zhao = hrEmp("E3", "Zhao Min", o.ops.ID)
	o.gone = hrEmp("E4", "Liu Yang", o.sales.ID)
	o.gone.Status, o.gone.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2026, 10, 31)
	must(t, h.InsertEmployees(ctx, o.tenant, []hr.Employee{o.wang, o.li, o.zhao, o.gone}))
	o.announcement = chAnnouncement("Policy", channel.Audience{Kind: channel.AudienceAll}, chT0)
	o.announcement.Status, o.announcement.PublishedAt = channel.StatusPublished, chT0
	must(t, s.InsertAnnouncement(ctx, o.tenant, o.announcement))
	_, err := s.InsertRecipients(ctx, o.tenant, o.announcement.ID, o.announcement.Audience)
	must(t, err)
	o.unpublished = chAnnouncement("Draft", channel.Audience{Kind: channel.AudienceAll}, chT0)
	must(t, s.InsertAnnouncement(ctx, o.tenant, o.unpublished))
	return o
}

func chAnnouncement(title string, a channel.Audience, at time.Time) channel.Announcement {
	return channel.Announcement{ID: ballast.NewID(), Title: title, Body: "# " + title + "\n\n正文", Audience: a,
		Status: channel.StatusDraft, AuthorID: "hr-1", CreatedAt: at, UpdatedAt: at, Version: 1}
}

func testChannelAnnouncements(t *testing.T, _ ballast.Transactor, h hr.Store, s channel.Store) {
	ctx := context.Background()
	o := chSetup(t, h, s, "Acme")
	a := chAnnouncement("Sales kick-off", channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.sales.ID}}, chT0.Add(time.Minute))
	must(t, s.InsertAnnouncement(ctx, o.tenant, a))
	wantKind(t, "insert twice", s.InsertAnnouncement(ctx, o.tenant, a), ballast.ErrConflict)
	got, err := s.Announcement(ctx, o.tenant, a.ID)
	must(t, err)
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	b := a
	b.Title, b.Status, b.Recipients, b.PublishedAt, b.Version = "Renamed", channel.StatusPublished, 2, chT0.Add(time.Hour), 2
	b.Audience = channel.Audience{Kind: channel.AudienceEmployees, EmployeeIDs: []string{o.wang.ID, o.li.ID}}
	must(t, s.UpdateAnnouncement(ctx, o.tenant, b, 1))
	wantKind(t, "stale update", s.UpdateAnnouncement(ctx, o.tenant, b, 1), ballast.ErrConflict)
	missing := b
	missing.ID = ballast.NewID()
	wantKind(t, "update missing", s.UpdateAnnouncement(ctx, o.tenant, missing, 2), ballast.ErrNotFound)
	got, err = s.Announcement(ctx, o.tenant, a.ID)
	must(t, err)
	if diff := cmp.Diff(b, got); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	_, err = s.Announcement(ctx, o.tenant, ballast.NewID())
	wantKind(t, "get missing", err, ballast.ErrNotFound)

	// Newest first, keyset, status filter.
	page, err := s.ListAnnouncements(ctx, o.tenant, channel.AnnouncementQuery{Limit: 2})
	must(t, err)
	ids := func(as []channel.Announcement) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	older := []string{o.announcement.ID, o.unpublished.ID}
	slices.Sort(older)
	slices.Reverse(older) // same CreatedAt: ID descending
	if diff := cmp.Diff([]string{a.ID, older[0]}, ids(page)); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
	last := page[1]
	rest, err := s.ListAnnouncements(ctx, o.tenant, channel.AnnouncementQuery{AfterTime: last.CreatedAt, AfterID: last.ID, Limit: 10})
	must(t, err)
	if diff := cmp.Diff([]string{older[1]}, ids(rest)); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}
	drafts, err := s.ListAnnouncements(ctx, o.tenant, channel.AnnouncementQuery{Status: channel.StatusDraft})
	must(t, err)
	if diff := cmp.Diff([]string{o.unpublished.ID}, ids(drafts)); diff != "" {
		t.Errorf("drafts (-want +got):\n%s", diff)
	}
}

func testChannelRecipients(t *testing.T, _ ballast.Transactor, h hr.Store, s channel.Store) {
	ctx := context.Background()
	o := chSetup(t, h, s, "Acme")
	sorted := func(ids ...string) []string {
		ids = slices.Clone(ids)
		slices.Sort(ids)
		return ids
	}
	for _, tc := range []struct {
		name     string
		audience channel.Audience
		want     []string
	}{
		{"all but the departed", channel.Audience{Kind: channel.AudienceAll}, sorted(o.wang.ID, o.li.ID, o.zhao.ID)},
		{"a department and its subtree", channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.sales.ID}}, sorted(o.wang.ID, o.li.ID)},
		{"two departments", channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.east.ID, o.ops.ID}}, sorted(o.li.ID, o.zhao.ID)},
		{"employees, departed ones dropped", channel.Audience{Kind: channel.AudienceEmployees, EmployeeIDs: []string{o.zhao.ID, o.gone.ID}}, []string{o.zhao.ID}},
	} {
		a := chAnnouncement(tc.name, tc.audience, chT0)
		must(t, s.InsertAnnouncement(ctx, o.tenant, a))
		got, err := s.InsertRecipients(ctx, o.tenant, a.ID, tc.audience)
		must(t, err)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}

	a := o.announcement
	_, err := s.Receipt(ctx, o.tenant, a.ID, o.gone.ID)
	wantKind(t, "receipt of a non-recipient", err, ballast.ErrNotFound)
	_, err = s.MarkRead(ctx, o.tenant, a.ID, o.gone.ID, chT0)
	wantKind(t, "non-recipient marks read", err, ballast.ErrNotFound)
	r, err := s.MarkRead(ctx, o.tenant, a.ID, o.li.ID, chT0.Add(time.Hour))
	must(t, err)
	r2, err := s.MarkRead(ctx, o.tenant, a.ID, o.li.ID, chT0.Add(2*time.Hour))
	must(t, err)
	want := channel.Receipt{AnnouncementID: a.ID, EmployeeID: o.li.ID, ReadAt: chT0.Add(time.Hour)}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("first read (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, r2); diff != "" {
		t.Errorf("second read keeps the first (-want +got):\n%s", diff)
	}
	rs, err := s.Receipts(ctx, o.tenant, a.ID)
	must(t, err)
	wantRs := []channel.Receipt{
		{AnnouncementID: a.ID, EmployeeID: o.wang.ID, EmployeeName: "Wang Li", DepartmentID: o.sales.ID},
		{AnnouncementID: a.ID, EmployeeID: o.zhao.ID, EmployeeName: "Zhao Min", DepartmentID: o.ops.ID},
		{AnnouncementID: a.ID, EmployeeID: o.li.ID, EmployeeName: "Li Qiang", DepartmentID: o.east.ID, ReadAt: chT0.Add(time.Hour)},
	}
	if diff := cmp.Diff(wantRs, rs); diff != "" {
		t.Errorf("receipts: unread first, then by name (-want +got):\n%s", diff)
	}

	// The inbox holds published announcements only, newest first.
	later := chAnnouncement("Later", channel.Audience{Kind: channel.AudienceAll}, chT0)
	later.Status, later.PublishedAt = channel.StatusPublished, chT0.Add(time.Minute)
	must(t, s.InsertAnnouncement(ctx, o.tenant, later))
	_, err = s.InsertRecipients(ctx, o.tenant, later.ID, later.Audience)
	must(t, err)
	inbox, err := s.Inbox(ctx, o.tenant, channel.InboxQuery{EmployeeID: o.li.ID, Limit: 10})
	must(t, err)
	if len(inbox) != 2 || inbox[0].ID != later.ID || inbox[1].ID != a.ID || !inbox[1].ReadAt.Equal(chT0.Add(time.Hour)) {
		t.Errorf("inbox = %+v", inbox)
	}
	unread, err := s.Inbox(ctx, o.tenant, channel.InboxQuery{EmployeeID: o.li.ID, UnreadOnly: true, Limit: 10})
	must(t, err)
	if len(unread) != 1 || unread[0].ID != later.ID {
		t.Errorf("unread inbox = %+v", unread)
	}
	next, err := s.Inbox(ctx, o.tenant, channel.InboxQuery{EmployeeID: o.li.ID, AfterTime: later.PublishedAt, AfterID: later.ID, Limit: 10})
	must(t, err)
	if len(next) != 1 || next[0].ID != a.ID {
		t.Errorf("inbox after the first = %+v", next)
	}
}

func testChannelQuestions(t *testing.T, _ ballast.Transactor, h hr.Store, s channel.Store) {
	ctx := context.Background()
	o := chSetup(t, h, s, "Acme")
	q1 := channel.Question{ID: ballast.NewID(), AnnouncementID: o.announcement.ID, AskerID: o.wang.ID, AwaitingHR: true,
		WaitingSince: chT0, LastMessageAt: chT0, CreatedAt: chT0, UpdatedAt: chT0, Version: 1}
	m1 := channel.Message{ID: ballast.NewID(), QuestionID: q1.ID, AuthorID: o.wang.ID, Body: "问题?", CreatedAt: chT0}
	must(t, s.InsertQuestion(ctx, o.tenant, q1, m1))
	at := chT0.Add(time.Hour)
	q2 := channel.Question{ID: ballast.NewID(), AnnouncementID: o.announcement.ID, AskerID: o.li.ID, AwaitingHR: true,
		WaitingSince: at, LastMessageAt: at, CreatedAt: at, UpdatedAt: at, Version: 1}
	must(t, s.InsertQuestion(ctx, o.tenant, q2, channel.Message{ID: ballast.NewID(), QuestionID: q2.ID, AuthorID: o.li.ID, Body: "Q2", CreatedAt: at}))
	got, err := s.Question(ctx, o.tenant, q1.ID)
	must(t, err)
	if diff := cmp.Diff(q1, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// HR answers q1 and makes it public.
	m2 := channel.Message{ID: ballast.NewID(), QuestionID: q1.ID, AuthorID: "hr-1", FromHR: true, Body: "答", CreatedAt: at.Add(time.Minute)}
	must(t, s.InsertMessage(ctx, o.tenant, m2))
	u := q1
	u.AwaitingHR, u.WaitingSince, u.AnsweredAt, u.Public = false, time.Time{}, m2.CreatedAt, true
	u.LastMessageAt, u.UpdatedAt, u.Version = m2.CreatedAt, m2.CreatedAt, 2
	must(t, s.UpdateQuestion(ctx, o.tenant, u, 1))
	wantKind(t, "stale update", s.UpdateQuestion(ctx, o.tenant, u, 1), ballast.ErrConflict)
	got, err = s.Question(ctx, o.tenant, q1.ID)
	must(t, err)
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	ids := func(qs []channel.Question) []string {
		var out []string
		for _, q := range qs {
			out = append(out, q.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    channel.QuestionQuery
		want []string
	}{
		{"all, oldest first", channel.QuestionQuery{AnnouncementID: o.announcement.ID}, []string{q1.ID, q2.ID}},
		{"visible to Zhao: the public one", channel.QuestionQuery{AnnouncementID: o.announcement.ID, VisibleTo: o.zhao.ID}, []string{q1.ID}},
		{"visible to Li: own and public", channel.QuestionQuery{VisibleTo: o.li.ID}, []string{q1.ID, q2.ID}},
		{"waiting before", channel.QuestionQuery{WaitingBefore: at.Add(time.Second)}, []string{q2.ID}},
		{"waiting before, not yet", channel.QuestionQuery{WaitingBefore: at}, nil},
		{"another announcement", channel.QuestionQuery{AnnouncementID: o.unpublished.ID}, nil},
	} {
		qs, err := s.Questions(ctx, o.tenant, tc.q)
		must(t, err)
		if diff := cmp.Diff(tc.want, ids(qs)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	ms, err := s.Messages(ctx, o.tenant, []string{q1.ID})
	must(t, err)
	if diff := cmp.Diff([]channel.Message{m1, m2}, ms); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	ms, err = s.Messages(ctx, o.tenant, []string{q1.ID, q2.ID})
	must(t, err)
	if len(ms) != 3 {
		t.Errorf("messages of both = %d, want 3", len(ms))
	}
}

func chFeedback(day hr.Date, category channel.FeedbackCategory) channel.Feedback {
	id := ballast.NewID()
	return channel.Feedback{ID: id, Category: category, Body: "匿名 " + id, Day: day, Status: channel.FeedbackOpen, Version: 1}
}

func testChannelFeedback(t *testing.T, _ ballast.Transactor, h hr.Store, s channel.Store) {
	ctx := context.Background()
	o := chSetup(t, h, s, "Acme")
	d1, d2 := hr.NewDate(2026, 11, 24), hr.NewDate(2026, 11, 25)
	f1 := chFeedback(d1, channel.CategoryGeneral)
	f2 := chFeedback(d2, channel.CategoryManagement)
	f3 := chFeedback(d2, channel.CategoryGeneral)
	for i, f := range []channel.Feedback{f1, f2, f3} {
		must(t, s.InsertFeedback(ctx, o.tenant, f, "hash-"+string(rune('a'+i))))
	}
	wantKind(t, "a taken code hash", s.InsertFeedback(ctx, o.tenant, chFeedback(d2, channel.CategoryOther), "hash-a"), ballast.ErrConflict)
	got, err := s.Feedback(ctx, o.tenant, f1.ID)
	must(t, err)
	if diff := cmp.Diff(f1, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	got, hash, err := s.FeedbackByCodeHash(ctx, o.tenant, "hash-b")
	must(t, err)
	if got.ID != f2.ID || hash != "hash-b" {
		t.Errorf("by code hash = %s, %q", got.ID, hash)
	}
	_, _, err = s.FeedbackByCodeHash(ctx, o.tenant, "hash-z")
	wantKind(t, "unknown code hash", err, ballast.ErrNotFound)

	u := f2
	u.Status, u.Tags, u.AssigneeID, u.Version = channel.FeedbackResolved, []string{"pay", "sales"}, "hr-1", 2
	must(t, s.UpdateFeedback(ctx, o.tenant, u, 1))
	wantKind(t, "stale update", s.UpdateFeedback(ctx, o.tenant, u, 1), ballast.ErrConflict)
	got, err = s.Feedback(ctx, o.tenant, f2.ID)
	must(t, err)
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}

	ids := func(fs []channel.Feedback) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	day2 := []string{f2.ID, f3.ID}
	slices.Sort(day2)
	slices.Reverse(day2)
	for _, tc := range []struct {
		name string
		q    channel.FeedbackQuery
		want []string
	}{
		{"all: newest day first, then ID descending", channel.FeedbackQuery{}, append(slices.Clone(day2), f1.ID)},
		{"after the first", channel.FeedbackQuery{AfterDay: d2, AfterID: day2[0]}, []string{day2[1], f1.ID}},
		{"limit", channel.FeedbackQuery{Limit: 1}, day2[:1]},
		{"by status", channel.FeedbackQuery{Status: channel.FeedbackResolved}, []string{f2.ID}},
		{"by category", channel.FeedbackQuery{Category: channel.CategoryGeneral}, []string{f3.ID, f1.ID}},
		{"by tag", channel.FeedbackQuery{Tag: "pay"}, []string{f2.ID}},
		{"by a partial tag", channel.FeedbackQuery{Tag: "pa"}, nil},
		{"by assignee", channel.FeedbackQuery{AssigneeID: "hr-1"}, []string{f2.ID}},
	} {
		fs, err := s.ListFeedback(ctx, o.tenant, tc.q)
		must(t, err)
		if diff := cmp.Diff(tc.want, ids(fs)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}

	m1 := channel.FeedbackMessage{ID: ballast.NewID(), FeedbackID: f1.ID, Seq: 1, FromHR: true, AuthorID: "hr-1", Body: "reply", Day: d2}
	m2 := channel.FeedbackMessage{ID: ballast.NewID(), FeedbackID: f1.ID, Seq: 2, Body: "follow-up", Day: d2}
	must(t, s.InsertFeedbackMessage(ctx, o.tenant, m2))
	must(t, s.InsertFeedbackMessage(ctx, o.tenant, m1))
	dup := m2
	dup.ID = ballast.NewID()
	wantKind(t, "a taken seq", s.InsertFeedbackMessage(ctx, o.tenant, dup), ballast.ErrConflict)
	ms, err := s.FeedbackMessages(ctx, o.tenant, f1.ID)
	must(t, err)
	if diff := cmp.Diff([]channel.FeedbackMessage{m1, m2}, ms); diff != "" {
		t.Errorf("thread (-want +got):\n%s", diff)
	}
	act, err := s.FeedbackActivity(ctx, o.tenant, d1, d2)
	must(t, err)
	wantAct := []channel.DayActivity{{Day: d1, NewItems: 1}, {Day: d2, NewItems: 2, FollowUps: 1}}
	if diff := cmp.Diff(wantAct, act); diff != "" {
		t.Errorf("activity (-want +got):\n%s", diff)
	}
	act, err = s.FeedbackActivity(ctx, o.tenant, d1, d1)
	must(t, err)
	if diff := cmp.Diff(wantAct[:1], act); diff != "" {
		t.Errorf("activity of one day (-want +got):\n%s", diff)
	}
}

func testChannelIsolation(t *testing.T, _ ballast.Transactor, h hr.Store, s channel.Store) {
	ctx := context.Background()
	a := chSetup(t, h, s, "Tenant A")
	b := chSetup(t, h, s, "Tenant B")
	B := b.tenant
	q := channel.Question{ID: ballast.NewID(), AnnouncementID: a.announcement.ID, AskerID: a.wang.ID, AwaitingHR: true,
		WaitingSince: chT0, LastMessageAt: chT0, CreatedAt: chT0, UpdatedAt: chT0, Version: 1}
	must(t, s.InsertQuestion(ctx, a.tenant, q, channel.Message{ID: ballast.NewID(), QuestionID: q.ID, AuthorID: a.wang.ID, Body: "A's", CreatedAt: chT0}))
	f := chFeedback(hr.NewDate(2026, 11, 25), channel.CategoryGeneral)
	must(t, s.InsertFeedback(ctx, a.tenant, f, "a-hash"))
	must(t, s.InsertFeedbackMessage(ctx, a.tenant, channel.FeedbackMessage{ID: ballast.NewID(), FeedbackID: f.ID, Seq: 1, Body: "A's", Day: f.Day}))

	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ballast.ErrNotFound) {
			t.Errorf("tenant B %s of tenant A: error = %v, want not found", what, err)
		}
	}
	empty := func(what string, n int, err error) {
		t.Helper()
		must(t, err)
		if n != 0 {
			t.Errorf("tenant B %s returned %d of tenant A's rows", what, n)
		}
	}
	_, err := s.Announcement(ctx, B, a.announcement.ID)
	notFound("reads an announcement", err)
	stolen := a.announcement
	stolen.Title, stolen.Version = "Stolen", 2
	notFound("updates an announcement", s.UpdateAnnouncement(ctx, B, stolen, 1))
	as, err := s.ListAnnouncements(ctx, B, channel.AnnouncementQuery{})
	must(t, err)
	for _, x := range as {
		if x.ID == a.announcement.ID || x.ID == a.unpublished.ID {
			t.Errorf("tenant B lists tenant A's announcement %s", x.ID)
		}
	}
	ids, err := s.InsertRecipients(ctx, B, b.unpublished.ID, channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{a.sales.ID}})
	empty("resolves A's department", len(ids), err)
	ids, err = s.InsertRecipients(ctx, B, b.unpublished.ID, channel.Audience{Kind: channel.AudienceEmployees, EmployeeIDs: []string{a.wang.ID}})
	empty("resolves A's employees", len(ids), err)
	_, err = s.Receipt(ctx, B, a.announcement.ID, a.wang.ID)
	notFound("reads a receipt", err)
	_, err = s.MarkRead(ctx, B, a.announcement.ID, a.wang.ID, chT0)
	notFound("marks read", err)
	rs, err := s.Receipts(ctx, B, a.announcement.ID)
	empty("Receipts", len(rs), err)
	inbox, err := s.Inbox(ctx, B, channel.InboxQuery{EmployeeID: a.wang.ID, Limit: 10})
	empty("Inbox", len(inbox), err)
	_, err = s.Question(ctx, B, q.ID)
	notFound("reads a question", err)
	qs, err := s.Questions(ctx, B, channel.QuestionQuery{AnnouncementID: a.announcement.ID})
	empty("Questions", len(qs), err)
	qs, err = s.Questions(ctx, B, channel.QuestionQuery{WaitingBefore: chT0.Add(time.Hour)})
	empty("Questions(waiting)", len(qs), err)
	uq := q
	uq.Public, uq.Version = true, 2
	notFound("updates a question", s.UpdateQuestion(ctx, B, uq, 1))
	ms, err := s.Messages(ctx, B, []string{q.ID})
	empty("Messages", len(ms), err)
	_, err = s.Feedback(ctx, B, f.ID)
	notFound("reads feedback", err)
	_, _, err = s.FeedbackByCodeHash(ctx, B, "a-hash")
	notFound("reads feedback by code", err)
	uf := f
	uf.Status, uf.Version = channel.FeedbackResolved, 2
	notFound("updates feedback", s.UpdateFeedback(ctx, B, uf, 1))
	fs, err := s.ListFeedback(ctx, B, channel.FeedbackQuery{})
	empty("ListFeedback", len(fs), err)
	fms, err := s.FeedbackMessages(ctx, B, f.ID)
	empty("FeedbackMessages", len(fms), err)
	act, err := s.FeedbackActivity(ctx, B, hr.NewDate(2026, 1, 1), hr.NewDate(2026, 12, 31))
	empty("FeedbackActivity", len(act), err)
	// Tenant A's rows are unchanged.
	got, err := s.Announcement(ctx, a.tenant, a.announcement.ID)
	must(t, err)
	if got.Title != a.announcement.Title || got.Version != 1 {
		t.Errorf("tenant A's announcement changed: %+v", got)
	}
	r, err := s.Receipt(ctx, a.tenant, a.announcement.ID, a.wang.ID)
	must(t, err)
	if !r.ReadAt.IsZero() {
		t.Errorf("tenant A's receipt was marked read")
	}
}

func testChannelRollback(t *testing.T, tx ballast.Transactor, h hr.Store, s channel.Store) {
	ctx := context.Background()
	o := chSetup(t, h, s, "Acme")
	errBoom := errors.New("boom")
	a := chAnnouncement("Rolled back", channel.Audience{Kind: channel.AudienceAll}, chT0)
	f := chFeedback(hr.NewDate(2026, 11, 25), channel.CategoryGeneral)
	err := tx.InTx(ctx, func(ctx context.Context) error {
		must(t, s.InsertAnnouncement(ctx, o.tenant, a))
		if _, err := s.InsertRecipients(ctx, o.tenant, a.ID, a.Audience); err != nil {
			return err
		}
		if _, err := s.MarkRead(ctx, o.tenant, o.announcement.ID, o.wang.ID, chT0); err != nil {
			return err
		}
		must(t, s.InsertFeedback(ctx, o.tenant, f, "h"))
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	_, err = s.Announcement(ctx, o.tenant, a.ID)
	wantKind(t, "rolled-back announcement", err, ballast.ErrNotFound)
	_, err = s.Receipt(ctx, o.tenant, a.ID, o.wang.ID)
	wantKind(t, "rolled-back recipient", err, ballast.ErrNotFound)
	r, err := s.Receipt(ctx, o.tenant, o.announcement.ID, o.wang.ID)
	must(t, err)
	if !r.ReadAt.IsZero() {
		t.Errorf("rolled-back read survived")
	}
	_, err = s.Feedback(ctx, o.tenant, f.ID)
	wantKind(t, "rolled-back feedback", err, ballast.ErrNotFound)
}
