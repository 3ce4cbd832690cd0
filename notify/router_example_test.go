package notify_test

import (
	"crypto/tls"
	"fmt"
	"log"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// ExampleRouter wires e-mail, WeCom and DingTalk behind one outbox. The
// directory resolves employee IDs to names and e-mail addresses from the
// employee records, and to chat user IDs from a map the host keeps; a use
// case picks the delivery with Message.Channel.
func ExampleRouter() {
	var db *storage.DB // opened and migrated by the host
	dir := notify.Directories{
		hr.NotifyDirectory{Store: db.HR()},
		notify.StaticDirectory{"0193…-employee-id": {WeComUserID: "WangLi", DingTalkUserID: "manager4711"}},
	}
	outbox, err := notify.New(notify.Config{Store: db.Notify(), Notifier: notify.Router{
		Routes: map[string]notify.Notifier{
			"email": notify.SMTP{Addr: "smtp.example.com:587", From: "HR <hr@example.com>",
				Username: "hr@example.com", Password: "app-password",
				TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}, Directory: dir},
			"wecom":    notify.WeCom{Key: "693a91f6-…", Directory: dir},
			"dingtalk": notify.DingTalk{AccessToken: "…", Secret: "SEC…", Directory: dir},
		},
		Default: notify.LogNotifier{},
	}})
	if err != nil {
		log.Fatal(err)
	}
	_ = outbox // outbox.Enqueue(ctx, notify.Message{Channel: "wecom", …}) in a use case
}

// ExampleDingTalkSign shows the signature a DingTalk robot request carries
// in its sign parameter (before URL encoding).
func ExampleDingTalkSign() {
	fmt.Println(notify.DingTalkSign("SECexample", "1795599000123"))
	// Output: qLzHM0OAfVyojtN0UL5sqAM/lzB96ARx1o5YbUCXu3Q=
}
