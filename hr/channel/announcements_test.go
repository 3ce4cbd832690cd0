package channel_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestPublish_ResolvesAudienceIntoRecipientsAndNotifiesEachOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		for _, tc := range []struct {
			name     string
			audience channel.Audience
			want     []string
		}{
			{"department with its subdepartments, without the departed",
				channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.sales.ID}},
				[]string{o.wang.ID, o.li.ID}},
			{"subdepartment only",
				channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.east.ID}},
				[]string{o.li.ID}},
			{"everyone who has not departed",
				channel.Audience{Kind: channel.AudienceAll},
				[]string{o.wang.ID, o.li.ID, o.zhao.ID}},
			{"a list of employees",
				channel.Audience{Kind: channel.AudienceEmployees, EmployeeIDs: []string{o.zhao.ID, o.wang.ID}},
				[]string{o.wang.ID, o.zhao.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := e.published(t, tc.name, tc.audience)
				if a.Status != channel.StatusPublished || a.Recipients != len(tc.want) || a.PublishedAt.IsZero() {
					t.Errorf("published = %+v", a)
				}
				rep, err := e.svc.Receipts(e.hrCtx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rep.Receipts {
					got = append(got, r.EmployeeID)
				}
				slices.Sort(got)
				want := slices.Clone(tc.want)
				slices.Sort(want)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("recipients (-want +got):\n%s", diff)
				}
				var keys []string
				for _, m := range e.messages(t, "channel.announcement") {
					if m.Data["announcement_id"] == a.ID {
						keys = append(keys, m.IdempotencyKey)
						if len(m.Recipients) != 1 || m.Subject != tc.name {
							t.Errorf("message %+v", m.Message)
						}
					}
				}
				var wantKeys []string
				for _, id := range want {
					wantKeys = append(wantKeys, "announcement:"+a.ID+":"+id)
				}
				slices.Sort(keys)
				if diff := cmp.Diff(wantKeys, keys); diff != "" {
					t.Errorf("notifications (-want +got):\n%s", diff)
				}
				// Publishing again is a state error and sends nothing more.
				_, err = e.svc.PublishAnnouncement(e.hrCtx, a.ID, a.Version)
				wantErr(t, "publish twice", err, channel.ErrState)
			})
		}
	})
}

func TestMarkRead_IsIdempotentAndKeepsTheFirstReadTime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		a := e.published(t, "Holiday schedule", channel.Audience{Kind: channel.AudienceAll})

		e.clock.Set(t0.Add(time.Hour))
		first, err := e.svc.MarkRead(o.wang.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Set(t0.Add(2 * time.Hour))
		again, err := e.svc.MarkRead(o.wang.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !first.ReadAt.Equal(t0.Add(time.Hour)) || !again.ReadAt.Equal(first.ReadAt) {
			t.Errorf("read at %v then %v, want %v both times", first.ReadAt, again.ReadAt, t0.Add(time.Hour))
		}
		rep, err := e.svc.Receipts(e.hrCtx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := channel.ReceiptReport{AnnouncementID: a.ID, Total: 3, Read: 1, Unread: 2, Receipts: []channel.Receipt{
			{AnnouncementID: a.ID, EmployeeID: o.li.ID, EmployeeName: "李强", DepartmentID: o.east.ID},
			{AnnouncementID: a.ID, EmployeeID: o.zhao.ID, EmployeeName: "赵敏", DepartmentID: o.ops.ID},
			{AnnouncementID: a.ID, EmployeeID: o.wang.ID, EmployeeName: "王丽", DepartmentID: o.sales.ID, ReadAt: t0.Add(time.Hour)},
		}}
		if diff := cmp.Diff(want, rep); diff != "" {
			t.Errorf("receipts (-want +got):\n%s", diff)
		}
		// The employee's inbox shows the read time; a department-only
		// announcement is not in Ops' inbox.
		e.published(t, "Sales only", channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{o.sales.ID}})
		page, err := e.svc.Inbox(o.zhao.ctx, channel.InboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].ID != a.ID || !page.Items[0].ReadAt.IsZero() {
			t.Errorf("zhao's inbox = %+v", page.Items)
		}
		_, err = e.svc.MarkRead(o.zhao.ctx, page.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		unread, err := e.svc.Inbox(o.zhao.ctx, channel.InboxFilter{UnreadOnly: true})
		if err != nil || len(unread.Items) != 0 {
			t.Errorf("unread inbox after reading = %+v, %v", unread.Items, err)
		}
	})
}

func TestInbox_PagesNewestFirstAndHidesWithdrawn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		var ids []string
		for i := range 5 {
			e.clock.Set(t0.Add(time.Duration(i) * time.Minute))
			ids = append(ids, e.published(t, "Notice "+string(rune('A'+i)), channel.Audience{Kind: channel.AudienceAll}).ID)
		}
		withdrawn, err := e.svc.Announcement(e.hrCtx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.WithdrawAnnouncement(e.hrCtx, withdrawn.ID, withdrawn.Version); err != nil {
			t.Fatal(err)
		}
		var got []string
		f := channel.InboxFilter{Limit: 2}
		for {
			page, err := e.svc.Inbox(o.li.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				got = append(got, it.ID)
			}
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		if diff := cmp.Diff([]string{ids[4], ids[3], ids[2], ids[0]}, got); diff != "" {
			t.Errorf("inbox (-want +got):\n%s", diff)
		}
		_, err = e.svc.Announcement(o.li.ctx, withdrawn.ID)
		wantErr(t, "read withdrawn", err, ballast.ErrNotFound)
		_, err = e.svc.MarkRead(o.li.ctx, withdrawn.ID)
		wantErr(t, "mark withdrawn read", err, ballast.ErrNotFound)

		// HR lists everything, drafts included, newest first.
		draft, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: "Draft", Body: "x",
			Audience: channel.Audience{Kind: channel.AudienceAll}})
		if err != nil {
			t.Fatal(err)
		}
		all, err := e.svc.Announcements(e.hrCtx, channel.AnnouncementFilter{Status: channel.StatusDraft})
		if err != nil || len(all.Announcements) != 1 || all.Announcements[0].ID != draft.ID {
			t.Errorf("drafts = %+v, %v", all.Announcements, err)
		}
		_, err = e.svc.Announcement(o.li.ctx, draft.ID)
		wantErr(t, "employee reads a draft", err, ballast.ErrNotFound)
		_, err = e.svc.Announcements(o.li.ctx, channel.AnnouncementFilter{})
		wantErr(t, "employee lists all announcements", err, ballast.ErrForbidden)
	})
}

func TestAnnouncements_AreAuditedWithDiffs(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		o := e.org(t)
		d, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: "Draft", Body: "v1",
			Audience: channel.Audience{Kind: channel.AudienceEmployees, EmployeeIDs: []string{o.wang.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		d, err = e.svc.UpdateAnnouncement(e.hrCtx, d.ID, channel.AnnouncementParams{Title: "Final", Body: "v2",
			Audience: channel.Audience{Kind: channel.AudienceAll}}, d.Version)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.UpdateAnnouncement(e.hrCtx, d.ID, channel.AnnouncementParams{Title: "Stale", Body: "v3",
			Audience: channel.Audience{Kind: channel.AudienceAll}}, d.Version-1)
		wantErr(t, "stale update", err, ballast.ErrConflict)
		d, err = e.svc.PublishAnnouncement(e.hrCtx, d.ID, d.Version)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.UpdateAnnouncement(e.hrCtx, d.ID, channel.AnnouncementParams{Title: "Late", Body: "v3",
			Audience: channel.Audience{Kind: channel.AudienceAll}}, d.Version)
		wantErr(t, "edit published", err, channel.ErrState)
		if _, err := e.svc.WithdrawAnnouncement(e.hrCtx, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		want := []string{"channel.announcement.create", "channel.announcement.update",
			"channel.announcement.publish", "channel.announcement.withdraw"}
		if diff := cmp.Diff(want, e.actions(t)); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
	})
}
