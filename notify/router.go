package notify

import (
	"context"
	"fmt"
)

// Router is a Notifier that hands each message to the Notifier registered
// for its Message.Channel, so a host wires several adapters (e-mail, WeCom,
// DingTalk, a webhook) behind one outbox:
//
//	outbox, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Router{
//		Routes: map[string]notify.Notifier{
//			"email":    &notify.SMTP{…},
//			"wecom":    notify.WeCom{Key: …},
//			"dingtalk": notify.DingTalk{AccessToken: …, Secret: …},
//		},
//		Default: notify.LogNotifier{},
//	}})
//
// A message whose channel has no route (or has none) goes to Default; with
// no Default it fails permanently (it would never be delivered).
type Router struct {
	// Routes maps a Message.Channel to the Notifier that serves it.
	Routes map[string]Notifier
	// Default serves every other channel; nil means none.
	Default Notifier
}

// Notify delivers m through the Notifier for m.Channel, or Default.
func (r Router) Notify(ctx context.Context, m Message) error {
	if n, ok := r.Routes[m.Channel]; ok && n != nil {
		return n.Notify(ctx, m)
	}
	if r.Default != nil {
		return r.Default.Notify(ctx, m)
	}
	return Permanent(fmt.Errorf("notify: router: no notifier for channel %q of message %s", m.Channel, m.ID))
}
