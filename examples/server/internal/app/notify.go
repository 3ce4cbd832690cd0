package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

// The environment variables NotifierFromEnv reads.
const (
	// EnvWeComWebhook is a WeCom group robot's webhook URL
	// (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…) or its bare key.
	EnvWeComWebhook = "BALLAST_WECOM_WEBHOOK"
	// EnvDingTalkToken and EnvDingTalkSecret are a DingTalk custom robot's
	// access_token and signing secret ("SEC…"); both or neither.
	EnvDingTalkToken  = "BALLAST_DINGTALK_TOKEN"
	EnvDingTalkSecret = "BALLAST_DINGTALK_SECRET"
	// EnvSMTPAddr is the mail submission server (host:587, STARTTLS);
	// EnvSMTPFrom the sender (required with it); EnvSMTPUser and
	// EnvSMTPPassword authenticate (optional).
	EnvSMTPAddr     = "BALLAST_SMTP_ADDR"
	EnvSMTPFrom     = "BALLAST_SMTP_FROM"
	EnvSMTPUser     = "BALLAST_SMTP_USER"
	EnvSMTPPassword = "BALLAST_SMTP_PASSWORD"
	// EnvNotifyDefault names the adapter of messages that ask for no
	// channel (most do): "email", "wecom", "dingtalk" or "log". Empty means
	// the first configured of email, wecom and dingtalk, else log.
	EnvNotifyDefault = "BALLAST_NOTIFY_DEFAULT"
)

// NotifierFromEnv builds the outbox's notifier from the environment
// (getenv; nil reads nothing): a notify.Router with a route per configured
// adapter ("email" for SMTP, "wecom", "dingtalk", and "log") and the
// default chosen by EnvNotifyDefault. Recipients are employee IDs resolved
// to names and e-mail addresses through hr.NotifyDirectory. With nothing
// configured it is the log notifier, as before. A half-configured adapter
// (a DingTalk token without its secret, an SMTP server without a sender)
// or an unknown default is an error naming the variable.
func NotifierFromEnv(getenv func(string) string, db *storage.DB, clock ballast.Clock, logger *slog.Logger) (notify.Notifier, error) {
	logN := notify.LogNotifier{Logger: logger}
	if getenv == nil {
		return logN, nil
	}
	env := func(k string) string { return strings.TrimSpace(getenv(k)) }
	dir := hr.NotifyDirectory{Store: db.HR()}
	routes := map[string]notify.Notifier{"log": logN}
	var order []string
	var bad []error

	if addr := env(EnvSMTPAddr); addr != "" {
		from := env(EnvSMTPFrom)
		if from == "" {
			bad = append(bad, fmt.Errorf("%s is required with %s", EnvSMTPFrom, EnvSMTPAddr))
		}
		routes["email"] = notify.SMTP{Addr: addr, From: from, Username: env(EnvSMTPUser), Password: getenv(EnvSMTPPassword),
			Directory: dir, Clock: clock}
		order = append(order, "email")
	}
	if hook := env(EnvWeComWebhook); hook != "" {
		w, err := weComFrom(hook)
		if err != nil {
			bad = append(bad, err)
		}
		w.Directory = dir
		routes["wecom"] = w
		order = append(order, "wecom")
	}
	token, secret := env(EnvDingTalkToken), env(EnvDingTalkSecret)
	switch {
	case token != "" && secret != "":
		routes["dingtalk"] = notify.DingTalk{AccessToken: token, Secret: secret, Directory: dir, Clock: clock}
		order = append(order, "dingtalk")
	case token != "" || secret != "":
		bad = append(bad, fmt.Errorf("%s and %s go together", EnvDingTalkToken, EnvDingTalkSecret))
	}

	def := env(EnvNotifyDefault)
	if def == "" {
		def = "log"
		if len(order) > 0 {
			def = order[0]
		}
	}
	if _, ok := routes[def]; !ok {
		bad = append(bad, fmt.Errorf("%s=%q names no configured adapter (have %s)", EnvNotifyDefault, def, strings.Join(append(order, "log"), ", ")))
	}
	if err := errors.Join(bad...); err != nil {
		return nil, fmt.Errorf("app: notification settings: %w", err)
	}
	if len(order) == 0 {
		return logN, nil
	}
	logger.Info("notifications", "adapters", strings.Join(order, ","), "default", def)
	return notify.Router{Routes: routes, Default: routes[def]}, nil
}

// weComFrom reads a WeCom robot's webhook URL, or its bare key.
func weComFrom(hook string) (notify.WeCom, error) {
	if !strings.Contains(hook, "://") {
		return notify.WeCom{Key: hook}, nil
	}
	u, err := url.Parse(hook)
	if err != nil || u.Query().Get("key") == "" || u.Host == "" {
		return notify.WeCom{}, fmt.Errorf("%s must be the robot's webhook URL with key=…, or the key", EnvWeComWebhook)
	}
	w := notify.WeCom{Key: u.Query().Get("key")}
	if base := u.Scheme + "://" + u.Host; base != notify.WeComBaseURL {
		w.BaseURL = base
	}
	return w, nil
}
