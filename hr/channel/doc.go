// Package channel is the direct line between HR and every employee:
// announcements with read receipts, question threads under them, and
// anonymous feedback.
//
// # Announcements
//
// HR (PermManage) writes a draft — a title, a full Markdown document and an
// audience (everyone, departments with their subdepartments, or a list of
// employees) — and publishes it. Publishing resolves the audience into one
// recipient row per employee who has not departed (one INSERT … SELECT),
// queues one notify.Message per recipient through the outbox (idempotency
// key "announcement:<id>:<employee>") and appends to audit, all in one
// transaction. Recipients (PermRead) list their Inbox and MarkRead, which is
// idempotent and keeps the first read time; HR reads the Receipts report.
// A withdrawn announcement disappears for recipients and stays for HR.
//
// The body is stored as written. Rendering is the host's job and must
// escape: the reference server renders Markdown without raw HTML.
//
// # Questions
//
// A recipient (PermPost) Asks HR under an announcement they received; the
// thread is private to the asker and HR. Either side Replies any number of
// times. HR may make an answered thread public with SetQuestionPublic;
// other recipients then see it without the asker's ID. Unanswered lists the
// threads waiting for HR longer than N days (default three), and Reconcile
// notifies HR once per overdue wait.
//
// # Anonymous feedback
//
// SubmitFeedback needs PermFeedbackSubmit and nothing else about the
// submitter: after the permission check their identity is dropped. It is
// not stored in any row, not audited, not logged and not sent to the
// outbox. Rows carry the calendar day only (in the tenant's zone), random
// version-4 IDs rather than time-ordered ones, and on SQLite no rowid, so
// nothing stored tells the order of two submissions of one day, and no
// instant can be joined with other tables (sign-in times, say) to pick the
// submitter out of a small group. HR learns of new items from a daily
// digest that Reconcile sends after the day has ended.
//
// The submitter receives a follow-up code (160 random bits, shown once,
// stored only as its SHA-256) with which FeedbackByCode reads HR's replies
// and ReplyByCode continues the thread; these need no login-linked
// identity, only a principal naming the tenant. An unknown code is
// ErrUnknownCode, the same for every kind of miss. HR (PermFeedbackRead to
// read; with PermManage to act) lists, tags, assigns, replies to, resolves
// and reopens items; those actions are audited as usual.
//
// What the library cannot hide: a database superuser can read
// PostgreSQL's system columns (xmin, ctid) or the write-ahead log, which
// reflect the physical order of writes, and the host's own HTTP access logs
// must not record who called the submission endpoint.
//
// # Wiring
//
//	svc, err := channel.New(channel.Config{
//		Store: db.Channel(), Tx: db, Auth: enforcer, Audit: auditLog,
//		Outbox: outbox, Directory: hrService, // *hr.Service
//		Clock: nil, // the system clock
//	})
//
// Every method reads the principal from the context and checks its
// permission itself; errors are ballast kinds (ErrNotFound, ErrConflict,
// ErrInvalid with a *ballast.ValidationError listing every bad field,
// ErrForbidden) or this package's sentinels that match them.
package channel
