// Package demo seeds the reference server's demo company, 鼎盛贸易
// (Dingsheng Trading): a trading company whose sales department is built
// around one senior salesperson, 王丽 (Wang Li, eight years' tenure, a key
// person), who referred most of her team; one of them, 张磊, resigned a
// week ago and leaves in three weeks: his offboarding case is under way
// (customers partly handed over and signed for, his work report sent back
// once). The sales organisation's mid-year review is finalised (赵敏 has
// appealed one indicator) and its year-end review is under way with a 360
// round of the team leads. Forty employees in six departments carry three
// years of half-yearly performance history, projects, certifications,
// skills, management experience and career plans. The sales department
// holds 120 customers (王丽 owns the most and most of the key-account
// value; 张磊 altered one of his after the first snapshot), the register
// lists the laptops, phones, badges and keys issued to staff, and HR has
// published announcements with read receipts and questions and answered
// anonymous feedback. The key-person risk view flags the key-account group
// as a dependency cluster and 王丽 as its key person.
//
// Seed is deterministic for a given clock (names, scores and dates come
// from a fixed roster and a seeded math/rand) and refuses to run twice: the
// demo tenant has a fixed ID, and seeding a database that holds it already
// fails with ErrSeeded and writes nothing.
//
//	logins, err := demo.Seed(ctx, demo.Config{
//		Tx: db, HR: hrService, Access: enforcer, Auth: authService, Clock: clock,
//	})
//	for _, l := range logins { fmt.Println(l.Login, l.Password, l.Role) }
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/offboarding"
)

// TenantID is the demo tenant's fixed ID.
const TenantID = "0193a5c0-d1e6-7000-8000-00000000d5e1"

// TenantName is the demo company's name.
const TenantName = "鼎盛贸易 Dingsheng Trading"

// Password is the password of every demo login.
const Password = "ballast-demo"

// ErrSeeded is returned when the database holds the demo tenant already.
// It matches ballast.ErrConflict.
var ErrSeeded = fmt.Errorf("demo: the demo tenant exists already: %w", ballast.ErrConflict)

// HR is what Seed needs from the hr service (*hr.Service implements it).
type HR interface {
	CreateTenant(ctx context.Context, p hr.TenantParams) (hr.Tenant, error)
	CreateDepartment(ctx context.Context, p hr.DepartmentParams) (hr.Department, error)
	UpdateDepartment(ctx context.Context, id string, p hr.DepartmentParams, version int64) (hr.Department, error)
	CreatePosition(ctx context.Context, p hr.PositionParams) (hr.Position, error)
	HireEmployee(ctx context.Context, p hr.EmployeeParams) (hr.Employee, error)
	UpdateProfile(ctx context.Context, employeeID string, u hr.ProfileUpdate) (hr.Profile, error)
}

// Access is what Seed needs from access (*access.Enforcer implements it).
type Access interface {
	SeedTenant(ctx context.Context, tenant string) error
	GrantRole(ctx context.Context, subject, role, reason string) error
	GrantPermission(ctx context.Context, subject, permission, reason string) error
}

// Customers is what Seed needs from the customer records
// (*customers.Service implements it).
type Customers interface {
	Create(ctx context.Context, p customers.Params) (customers.Customer, error)
	Update(ctx context.Context, id string, p customers.Params, version int64) (customers.Customer, error)
	TakeSnapshot(ctx context.Context, scope customers.SnapshotScope, reason string) (customers.Snapshot, error)
}

// Assets is what Seed needs from the asset register (*assets.Service
// implements it).
type Assets interface {
	Register(ctx context.Context, p assets.Params) (assets.Asset, error)
	Issue(ctx context.Context, id string, p assets.IssueParams) (assets.Asset, error)
	Return(ctx context.Context, id string, p assets.ReturnParams) (assets.Asset, error)
}

// Channel is what Seed needs from the HR↔employee channel
// (*channel.Service implements it).
type Channel interface {
	CreateAnnouncement(ctx context.Context, p channel.AnnouncementParams) (channel.Announcement, error)
	PublishAnnouncement(ctx context.Context, id string, version int64) (channel.Announcement, error)
	MarkRead(ctx context.Context, announcementID string) (channel.Receipt, error)
	Ask(ctx context.Context, announcementID, body string) (channel.Question, error)
	Reply(ctx context.Context, questionID, body string) (channel.Message, error)
	Question(ctx context.Context, id string) (channel.Question, error)
	SetQuestionPublic(ctx context.Context, questionID string, public bool, version int64) (channel.Question, error)
	SubmitFeedback(ctx context.Context, p channel.FeedbackParams) (channel.Submission, error)
	Feedback(ctx context.Context, id string) (channel.Feedback, error)
	TagFeedback(ctx context.Context, id string, tags []string, version int64) (channel.Feedback, error)
	AssignFeedback(ctx context.Context, id, assigneeID string, version int64) (channel.Feedback, error)
	ReplyFeedback(ctx context.Context, id, body string) (channel.FeedbackMessage, error)
	ResolveFeedback(ctx context.Context, id string, version int64) (channel.Feedback, error)
}

// Offboarding is what Seed needs from offboarding (*offboarding.Service
// implements it).
type Offboarding interface {
	Resign(ctx context.Context, p offboarding.ResignParams) (offboarding.Case, error)
	Steps(ctx context.Context, caseID string) ([]offboarding.Step, error)
	CustomerHandover(ctx context.Context, caseID string) ([]offboarding.HandoverItem, error)
	AssignCustomers(ctx context.Context, caseID string, assign map[string]string) error
	MarkHandedOver(ctx context.Context, caseID string, customerIDs []string, note string) error
	PrepareHandover(ctx context.Context, caseID, successor string) (offboarding.HandoverContent, error)
	SignHandover(ctx context.Context, p offboarding.SignParams) (offboarding.Signature, error)
	SubmitWorkReport(ctx context.Context, caseID string, r offboarding.WorkReport, version int64) (offboarding.WorkRound, error)
	ReviewWorkReport(ctx context.Context, p offboarding.ReviewParams) (offboarding.WorkRound, error)
}

// Users is what Seed needs from the server's authentication
// (*auth.Service implements it).
type Users interface {
	CreateUser(ctx context.Context, tenant, login, password, subject string) error
}

// Config is what Seed needs. Tx, HR, Access and Auth are required; the
// parts of the story seeded through Customers, Assets, Channel and
// Offboarding are left out when those are nil.
type Config struct {
	// Tx runs the whole seed in one transaction (storage.DB).
	Tx ballast.Transactor
	// HR creates the tenant, org and employees.
	HR HR
	// Access installs the built-in roles and grants them to the demo users.
	Access Access
	// Auth creates the demo users' logins.
	Auth Users
	// Customers seeds the sales department's customer book (120 customers,
	// most key-account value with 王丽) and a first snapshot.
	Customers Customers
	// Assets seeds the asset register (laptops, phones, badges, keys,
	// business cards; 张磊 holds several).
	Assets Assets
	// Channel seeds two announcements with read receipts and questions, and
	// two anonymous feedback items answered by HR.
	Channel Channel
	// Offboarding turns 张磊's pending resignation into a running case
	// (needs Customers and Assets): opened by HR a week ago with 赵敏 and
	// 李娜 as successors, the first revocation stage applied, his customers
	// snapshotted and assigned, some handed over, 李娜's signed for (their
	// ownership moved), the rest awaiting 赵敏's signature, and his work
	// report returned once with comments. Without it he is merely
	// "resigning".
	Offboarding Offboarding
	// Assessment seeds the indicator library, two templates (results 60 /
	// competencies 40, the sales organisation 70 / 30, purchasing 50 / 50),
	// the grade scale, the finalised mid-year cycle of the sales
	// organisation (its ratings in performance history, one calibration)
	// and the year-end cycle with self-evaluations partly done; 王丽 may
	// score her team. Multirater adds the year-end 360 round of the team
	// leads, collecting answers; Appeals 赵敏's open appeal on her
	// mid-year result. Without Assessment neither is seeded.
	Assessment Assessment
	Multirater Multirater
	Appeals    Appeals
	// Clock anchors hire dates, performance periods and the pending
	// resignation; nil means the system clock.
	Clock ballast.Clock
}

// Login is one demo user: what to type on the sign-in form, and who it is.
type Login struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	// Name is the employee the login acts as.
	Name string `json:"name"`
	// Role is the access role granted (access.RoleTenantAdmin, …).
	Role string `json:"role"`
	// EmployeeID is the employee (and principal subject) behind the login.
	EmployeeID string `json:"employee_id"`
}

// Logins are the demo users, most powerful first.
type Logins []Login

// demoUsers maps each login to its employee and role.
func demoUsers() []struct{ login, person, role string } {
	return []struct{ login, person, role string }{
		{"admin", "zhouzhiqiang", access.RoleTenantAdmin},
		{"hr", "hejing", access.RoleHR},
		{"liuqiang", "liuqiang", access.RoleDepartmentHead},
		{"wangli", "wangli", access.RoleEmployee},
		{"zhaomin", "zhaomin", access.RoleEmployee},
		{"zhanglei", "zhanglei", access.RoleEmployee},
	}
}

// Seed creates the demo company in one transaction, acting as a system
// principal of the demo tenant, and returns the demo logins. It fails with
// ErrSeeded (and writes nothing) when the demo tenant exists already; any
// other failure rolls everything back too.
func Seed(ctx context.Context, cfg Config) (Logins, error) {
	switch {
	case cfg.Tx == nil:
		return nil, errors.New("demo: config: Tx is required")
	case cfg.HR == nil:
		return nil, errors.New("demo: config: HR is required")
	case cfg.Access == nil:
		return nil, errors.New("demo: config: Access is required")
	case cfg.Auth == nil:
		return nil, errors.New("demo: config: Auth is required")
	}
	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: TenantID, Subject: "demo-seed", Kind: ballast.KindSystem})
	s := &seeder{cfg: cfg, now: ballast.ClockOrSystem(cfg.Clock).Now()}
	var logins Logins
	err := cfg.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		logins, err = s.run(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return logins, nil
}
