package notify

import (
	"context"
	"errors"
	"fmt"
	"net/mail"

	"github.com/ballast-hr/ballast"
)

// Address is where one recipient can be reached. Any field may be empty:
// an adapter uses the one it needs (the SMTP adapter Email, the WeCom robot
// WeComUserID, the DingTalk robot DingTalkUserID) and passes over a
// recipient without it.
type Address struct {
	// Name is the person's display name ("王丽"), for e-mail headers.
	Name string `json:"name,omitempty"`
	// Email is a bare e-mail address ("wangli@example.com").
	Email string `json:"email,omitempty"`
	// WeComUserID is the person's WeCom (企业微信) userid, mentioned in a
	// group robot message as <@userid>.
	WeComUserID string `json:"wecom_user_id,omitempty"`
	// DingTalkUserID is the person's DingTalk (钉钉) userId, mentioned in a
	// robot message through at.atUserIds.
	DingTalkUserID string `json:"dingtalk_user_id,omitempty"`
}

// Directory turns a Message recipient (an employee ID, an account ID, an
// e-mail address) into an Address. The delivery adapters call it for each
// of Message.Recipients, outside any transaction.
//
// Resolve returns an error matching ballast.ErrNotFound when it does not
// know the recipient: the adapter then passes over that recipient. Any other
// error (a database that is down) fails the delivery, which the dispatcher
// retries.
//
// hr.NotifyDirectory resolves employee IDs to names and e-mail addresses;
// StaticDirectory holds addresses the host supplies (chat user IDs, say);
// Directories combines several.
type Directory interface {
	Resolve(ctx context.Context, tenant, recipient string) (Address, error)
}

// DirectoryFunc adapts a function to Directory.
type DirectoryFunc func(ctx context.Context, tenant, recipient string) (Address, error)

// Resolve calls f(ctx, tenant, recipient).
func (f DirectoryFunc) Resolve(ctx context.Context, tenant, recipient string) (Address, error) {
	return f(ctx, tenant, recipient)
}

// StaticDirectory is a Directory held in memory, keyed by recipient: the
// simplest way for a host to supply WeCom and DingTalk user IDs (which
// ballast does not store) for its employees. The same recipient maps to the
// same Address in every tenant; a host serving several tenants with
// different directories uses one StaticDirectory per tenant behind a
// DirectoryFunc. A nil or empty StaticDirectory knows nobody.
type StaticDirectory map[string]Address

// Resolve returns d[recipient], or an error matching ballast.ErrNotFound.
func (d StaticDirectory) Resolve(ctx context.Context, tenant, recipient string) (Address, error) {
	if a, ok := d[recipient]; ok {
		return a, nil
	}
	return Address{}, fmt.Errorf("notify: directory: recipient %q: %w", recipient, ballast.ErrNotFound)
}

// Directories consults each Directory in order and merges what they know:
// each field of the Address comes from the first directory that has it, so
// hr.NotifyDirectory can supply name and e-mail while a StaticDirectory
// supplies chat user IDs. Resolve fails with ballast.ErrNotFound only when
// no directory knows the recipient, and with the first other error at once.
type Directories []Directory

// Resolve merges the answers of every directory in ds.
func (ds Directories) Resolve(ctx context.Context, tenant, recipient string) (Address, error) {
	var out Address
	found := false
	for _, d := range ds {
		if d == nil {
			continue
		}
		a, err := d.Resolve(ctx, tenant, recipient)
		if errors.Is(err, ballast.ErrNotFound) {
			continue
		}
		if err != nil {
			return Address{}, err
		}
		found = true
		out.Name = first(out.Name, a.Name)
		out.Email = first(out.Email, a.Email)
		out.WeComUserID = first(out.WeComUserID, a.WeComUserID)
		out.DingTalkUserID = first(out.DingTalkUserID, a.DingTalkUserID)
	}
	if !found {
		return Address{}, fmt.Errorf("notify: directory: recipient %q: %w", recipient, ballast.ErrNotFound)
	}
	return out, nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// resolve returns the addresses of m's recipients that dir knows. With a nil
// dir, a recipient that is an e-mail address resolves to itself and any
// other is passed over. Unknown recipients are passed over; any other error
// is returned.
func resolve(ctx context.Context, dir Directory, m Message) ([]Address, error) {
	out := make([]Address, 0, len(m.Recipients))
	for _, r := range m.Recipients {
		if dir == nil {
			if a, err := mail.ParseAddress(r); err == nil && a.Address == r {
				out = append(out, Address{Email: r})
			}
			continue
		}
		a, err := dir.Resolve(ctx, m.Tenant, r)
		if errors.Is(err, ballast.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("resolve recipient %q: %w", r, err)
		}
		out = append(out, a)
	}
	return out, nil
}
