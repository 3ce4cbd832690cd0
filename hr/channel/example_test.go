package channel_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// Example publishes an announcement to a department, lets a recipient
// read it and ask a question that HR answers, then takes anonymous
// feedback and continues it by its follow-up code.
func Example() {
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	auditLog, err := audit.New(audit.Config{Store: db.Audit(), Tx: db})
	if err != nil {
		log.Fatal(err)
	}
	enforcer, err := access.New(access.Config{Store: db.Access(), Tx: db, Audit: auditLog})
	if err != nil {
		log.Fatal(err)
	}
	hrSvc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enforcer, Audit: auditLog})
	if err != nil {
		log.Fatal(err)
	}
	outbox, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.LogNotifier{}})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := channel.New(channel.Config{Store: db.Channel(), Tx: db, Auth: enforcer, Audit: auditLog,
		Outbox: outbox, Directory: hrSvc})
	if err != nil {
		log.Fatal(err)
	}

	// A tenant, its HR user, a Sales department and one salesperson.
	platform := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: "platform", Subject: "signup", Kind: ballast.KindSystem})
	tenant, err := hrSvc.CreateTenant(platform, hr.TenantParams{Name: "鼎盛贸易", TimeZone: "Asia/Shanghai"})
	if err != nil {
		log.Fatal(err)
	}
	system := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "signup", Kind: ballast.KindSystem})
	if err := enforcer.GrantRole(system, "hr-admin", access.RoleHR, "first hr user"); err != nil {
		log.Fatal(err)
	}
	hrCtx := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "hr-admin", Kind: ballast.KindUser})
	sales, err := hrSvc.CreateDepartment(hrCtx, hr.DepartmentParams{Name: "Sales"})
	if err != nil {
		log.Fatal(err)
	}
	wang, err := hrSvc.HireEmployee(hrCtx, hr.EmployeeParams{Number: "S001", Name: "王丽", DepartmentID: sales.ID,
		HireDate: hr.NewDate(2019, 4, 1), HireChannel: hr.ChannelExperienced})
	if err != nil {
		log.Fatal(err)
	}
	if err := enforcer.GrantRole(system, wang.ID, access.RoleEmployee, "hired"); err != nil {
		log.Fatal(err)
	}
	wangCtx := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: wang.ID, Kind: ballast.KindUser})

	// HR publishes to Sales (and every department below it).
	draft, err := svc.CreateAnnouncement(hrCtx, channel.AnnouncementParams{
		Title:    "Customer records are company assets",
		Body:     "# Customer records\n\nFrom December every customer lives in the CRM.",
		Audience: channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{sales.ID}},
	})
	if err != nil {
		log.Fatal(err)
	}
	a, err := svc.PublishAnnouncement(hrCtx, draft.ID, draft.Version)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("published to", a.Recipients, "recipient(s)")

	// The recipient reads it and asks; HR answers.
	if _, err := svc.MarkRead(wangCtx, a.ID); err != nil {
		log.Fatal(err)
	}
	q, err := svc.Ask(wangCtx, a.ID, "Do my personal WeChat contacts count?")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Reply(hrCtx, q.ID, "Only customers you met through work."); err != nil {
		log.Fatal(err)
	}
	report, err := svc.Receipts(hrCtx, a.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("read %d of %d\n", report.Read, report.Total)
	thread, err := svc.Question(wangCtx, q.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("thread:", len(thread.Messages), "messages, awaiting HR:", thread.AwaitingHR)

	// Anonymous feedback: the code is shown once; the submitter is not stored.
	sub, err := svc.SubmitFeedback(wangCtx, channel.FeedbackParams{Category: channel.CategoryManagement,
		Body: "Targets changed twice this quarter without notice."})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.ReplyFeedback(hrCtx, sub.Feedback.ID, "Thank you. Which targets?"); err != nil {
		log.Fatal(err)
	}
	// The code page needs no session: a system principal names the tenant.
	anonymous := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: tenant.ID, Subject: "feedback-page", Kind: ballast.KindSystem})
	f, err := svc.ReplyByCode(anonymous, sub.Code, "The key-account quotas.")
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range f.Messages {
		fmt.Printf("%d from HR=%v: %s\n", m.Seq, m.FromHR, m.Body)
	}
	// Output:
	// published to 1 recipient(s)
	// read 1 of 1
	// thread: 2 messages, awaiting HR: false
	// 1 from HR=true: Thank you. Which targets?
	// 2 from HR=false: The key-account quotas.
}
