package notify_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/notify"
)

func TestRouter_SendsEachMessageByItsChannel(t *testing.T) {
	t.Parallel()
	var got []string
	to := func(name string) notify.Notifier {
		return notify.Func(func(_ context.Context, m notify.Message) error {
			got = append(got, name+":"+m.Channel)
			return nil
		})
	}
	r := notify.Router{Routes: map[string]notify.Notifier{"wecom": to("wecom"), "email": to("smtp")}, Default: to("log")}
	for _, ch := range []string{"email", "wecom", "", "sms"} {
		m := robotMessage()
		m.Channel = ch
		if err := r.Notify(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if d := cmp.Diff([]string{"smtp:email", "wecom:wecom", "log:", "log:sms"}, got); d != "" {
		t.Errorf("routes (-want +got):\n%s", d)
	}
	r.Default = nil
	m := robotMessage()
	m.Channel = "sms"
	if err := r.Notify(context.Background(), m); !notify.IsPermanent(err) {
		t.Errorf("unrouted channel without default: error = %v, want permanent", err)
	}
}
