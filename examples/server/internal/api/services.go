package api

import (
	"context"
	"io"
	"time"

	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
)

// Customers is what the API calls on the customer records;
// *customers.Service implements it.
type Customers interface {
	List(ctx context.Context, f customers.Filter) (customers.Page, error)
	Get(ctx context.Context, id string) (customers.Customer, error)
	Create(ctx context.Context, p customers.Params) (customers.Customer, error)
	Update(ctx context.Context, id string, p customers.Params, version int64) (customers.Customer, error)
	Transfer(ctx context.Context, id, toOwner string, version int64, reason string) (customers.Customer, error)
	TransferMany(ctx context.Context, p customers.TransferManyParams) (customers.TransferReport, error)
	Archive(ctx context.Context, id string, version int64, reason string) (customers.Customer, error)
	Unarchive(ctx context.Context, id string, version int64, reason string) (customers.Customer, error)
	History(ctx context.Context, id string) ([]audit.Entry, error)
	Export(ctx context.Context, w io.Writer, f customers.Filter) (int, error)
	TakeSnapshot(ctx context.Context, scope customers.SnapshotScope, reason string) (customers.Snapshot, error)
	Snapshots(ctx context.Context, f customers.SnapshotFilter) (customers.SnapshotPage, error)
	Snapshot(ctx context.Context, id string) (customers.Snapshot, error)
	Diff(ctx context.Context, a, b string) (customers.SnapshotDiff, error)
	DiffWithCurrent(ctx context.Context, id string) (customers.SnapshotDiff, error)
	Restore(ctx context.Context, id string, customerIDs []string, reason string) (customers.RestoreReport, error)
}

// Assets is what the API calls on the company-asset register;
// *assets.Service implements it.
type Assets interface {
	List(ctx context.Context, f assets.Filter) (assets.Page, error)
	Get(ctx context.Context, id string) (assets.Asset, error)
	Register(ctx context.Context, p assets.Params) (assets.Asset, error)
	Update(ctx context.Context, id string, version int64, p assets.Params) (assets.Asset, error)
	Issue(ctx context.Context, id string, p assets.IssueParams) (assets.Asset, error)
	Return(ctx context.Context, id string, p assets.ReturnParams) (assets.Asset, error)
	MarkMissing(ctx context.Context, id, costNote string) (assets.Asset, error)
	Retire(ctx context.Context, id, reason string) (assets.Asset, error)
	History(ctx context.Context, id string) ([]assets.Issuance, error)
	HeldBy(ctx context.Context, employeeID string) ([]assets.Asset, error)
}

// Channel is what the API calls on the HR↔employee channel;
// *channel.Service implements it.
type Channel interface {
	CreateAnnouncement(ctx context.Context, p channel.AnnouncementParams) (channel.Announcement, error)
	UpdateAnnouncement(ctx context.Context, id string, p channel.AnnouncementParams, version int64) (channel.Announcement, error)
	PublishAnnouncement(ctx context.Context, id string, version int64) (channel.Announcement, error)
	WithdrawAnnouncement(ctx context.Context, id string, version int64) (channel.Announcement, error)
	Announcement(ctx context.Context, id string) (channel.Announcement, error)
	Announcements(ctx context.Context, f channel.AnnouncementFilter) (channel.AnnouncementPage, error)
	Inbox(ctx context.Context, f channel.InboxFilter) (channel.InboxPage, error)
	MarkRead(ctx context.Context, announcementID string) (channel.Receipt, error)
	Receipts(ctx context.Context, announcementID string) (channel.ReceiptReport, error)

	Ask(ctx context.Context, announcementID, body string) (channel.Question, error)
	Reply(ctx context.Context, questionID, body string) (channel.Message, error)
	SetQuestionPublic(ctx context.Context, questionID string, public bool, version int64) (channel.Question, error)
	Questions(ctx context.Context, announcementID string) ([]channel.Question, error)
	Question(ctx context.Context, id string) (channel.Question, error)
	Unanswered(ctx context.Context, olderThan time.Duration) ([]channel.Question, error)

	SubmitFeedback(ctx context.Context, p channel.FeedbackParams) (channel.Submission, error)
	FeedbackByCode(ctx context.Context, code string) (channel.Feedback, error)
	ReplyByCode(ctx context.Context, code, body string) (channel.Feedback, error)
	ListFeedback(ctx context.Context, f channel.FeedbackFilter) (channel.FeedbackPage, error)
	Feedback(ctx context.Context, id string) (channel.Feedback, error)
	TagFeedback(ctx context.Context, id string, tags []string, version int64) (channel.Feedback, error)
	AssignFeedback(ctx context.Context, id, assigneeID string, version int64) (channel.Feedback, error)
	ResolveFeedback(ctx context.Context, id string, version int64) (channel.Feedback, error)
	ReopenFeedback(ctx context.Context, id string, version int64) (channel.Feedback, error)
	ReplyFeedback(ctx context.Context, id, body string) (channel.FeedbackMessage, error)
}

// Insight is what the API calls on the key-person risk analysis;
// *insight.Service implements it.
type Insight interface {
	Analyze(ctx context.Context, opts insight.Options) (*insight.Analysis, error)
	DepartmentRisk(ctx context.Context, departmentID string, opts insight.Options) (*insight.DepartmentRisk, error)
	ReferralTree(ctx context.Context, rootEmployeeID string, opts insight.Options) (*insight.Node, error)
	ReferralForest(ctx context.Context, opts insight.Options) ([]*insight.Node, error)
	DepartmentForest(ctx context.Context, departmentID string, opts insight.Options) (*insight.Forest, error)
}
