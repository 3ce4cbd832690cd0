package hr

import (
	"context"
	"fmt"
	"net/mail"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
)

// NotifyDirectory is a notify.Directory over the employee records: it
// resolves a recipient that is an employee ID of the message's tenant to
// the employee's name and e-mail address, and a recipient that is an e-mail
// address to itself. WeCom and DingTalk user IDs are not part of the
// employee record; a host supplies them with a notify.StaticDirectory and
// combines both with notify.Directories:
//
//	dir := notify.Directories{hr.NotifyDirectory{Store: db.HR()}, notify.StaticDirectory{
//		wangliID: {WeComUserID: "WangLi", DingTalkUserID: "manager4711"},
//	}}
//
// It reads the store directly, without a principal or a permission check:
// it runs in the outbox dispatcher, after the use case that enqueued the
// message checked its own permission. Departed employees still resolve (a
// final notice may go to them).
type NotifyDirectory struct {
	// Store looks employees up; hr.Store (storage.DB.HR()) implements it.
	Store interface {
		Employee(ctx context.Context, tenant, id string) (Employee, error)
	}
}

// Resolve returns the Address of recipient in tenant, or an error matching
// ballast.ErrNotFound when it is neither an employee of tenant nor an
// e-mail address.
func (d NotifyDirectory) Resolve(ctx context.Context, tenant, recipient string) (notify.Address, error) {
	if ballast.ValidID(recipient) {
		e, err := d.Store.Employee(ctx, tenant, recipient)
		if err != nil {
			return notify.Address{}, fmt.Errorf("hr: resolve recipient %s: %w", recipient, err)
		}
		return notify.Address{Name: e.Name, Email: e.Email}, nil
	}
	if a, err := mail.ParseAddress(recipient); err == nil && a.Address == recipient {
		return notify.Address{Email: recipient}, nil
	}
	return notify.Address{}, fmt.Errorf("hr: resolve recipient %q: %w", recipient, ballast.ErrNotFound)
}
