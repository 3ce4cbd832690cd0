package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// SMTP is a Notifier that sends each message as a plain-text e-mail to the
// e-mail addresses its recipients resolve to, through a submission server
// with STARTTLS and AUTH PLAIN (net/smtp):
//
//	From: Ballast HR <hr@example.com>
//	To: =?utf-8?q?=E7=8E=8B=E4=B8=BD?= <wangli@example.com>
//	Subject: =?utf-8?q?=E4=BA=A4=E6=8E=A5=E6=88=AA=E6=AD=A2?=
//	Date: Wed, 25 Nov 2026 17:30:00 +0800
//	Message-ID: <3f2a…@example.com>
//	MIME-Version: 1.0
//	Content-Type: text/plain; charset=utf-8
//	Content-Transfer-Encoding: quoted-printable
//
// The Message-ID is derived from the tenant and Message.IdempotencyKey, so
// a redelivery after a crash carries the same ID and mail systems that
// dedupe by it show the message once.
//
// The server must offer STARTTLS, and the adapter upgrades before it
// authenticates or sends anything; a server that does not is an error unless
// Insecure is set (for a local test server only: net/smtp itself refuses
// PLAIN auth over plain text to any host but localhost).
//
// Recipients the Directory does not resolve, or that have no e-mail, are
// passed over; a message left with no address fails permanently. Replies
// 5xx from the server are Permanent errors; 4xx replies and network errors
// are retried by the dispatcher.
type SMTP struct {
	// Addr is the server's host:port, typically port 587. Required.
	Addr string
	// Username and Password authenticate with AUTH PLAIN; an empty
	// Username skips authentication.
	Username string
	Password string
	// From is the sender, a bare address or "Name <address>". Required.
	From string
	// Hello is the name sent with EHLO; empty means "localhost".
	Hello string
	// TLSConfig configures STARTTLS; nil means the host of Addr as the
	// server name and the system's roots.
	TLSConfig *tls.Config
	// Insecure allows a server without STARTTLS, and is honoured only when
	// Addr is a loopback host (localhost, 127.0.0.1, ::1): it exists for
	// local test servers. Set for any other host it makes every delivery
	// fail permanently.
	Insecure bool
	// Directory resolves recipients to e-mail addresses; nil means only
	// recipients that are e-mail addresses themselves are used.
	Directory Directory
	// Clock gives the Date header; nil means the system clock.
	Clock ballast.Clock
	// Location is the zone of the Date header; nil means UTC.
	Location *time.Location
}

// Notify sends m as an e-mail.
func (s SMTP) Notify(ctx context.Context, m Message) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil || s.Addr == "" {
		return Permanent(fmt.Errorf("notify: smtp: Addr and a valid From are required"))
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return Permanent(fmt.Errorf("notify: smtp: addr %q: %w", s.Addr, err))
	}
	if s.Insecure && !loopback(host) {
		return Permanent(fmt.Errorf("notify: smtp: Insecure is allowed only for a loopback server, not %q", host))
	}
	addrs, err := resolve(ctx, s.Directory, m)
	if err != nil {
		return fmt.Errorf("notify: smtp: message %s: %w", m.ID, err)
	}
	var to []*mail.Address
	seen := map[string]bool{}
	for _, a := range addrs {
		p, err := mail.ParseAddress(a.Email)
		if a.Email == "" || err != nil || p.Address != a.Email || seen[a.Email] {
			continue
		}
		seen[a.Email] = true
		to = append(to, &mail.Address{Name: a.Name, Address: a.Email})
	}
	if len(to) == 0 {
		return Permanent(fmt.Errorf("notify: smtp: message %s: no recipient has an e-mail address", m.ID))
	}
	msg, err := s.Compose(m, from, to)
	if err != nil {
		return Permanent(fmt.Errorf("notify: smtp: message %s: %w", m.ID, err))
	}
	if err := s.send(ctx, host, from.Address, to, msg); err != nil {
		return classifySMTP(fmt.Errorf("notify: smtp: message %s: %w", m.ID, err))
	}
	return nil
}

// Compose returns the MIME message Notify sends for m, from and to, with
// CRLF line endings (before SMTP dot-stuffing). It is exported so a host
// can preview or archive what is sent.
func (s SMTP) Compose(m Message, from *mail.Address, to []*mail.Address) ([]byte, error) {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	list := make([]string, len(to))
	for i, a := range to {
		list[i] = a.String()
	}
	header("To", strings.Join(list, ", "))
	subject := oneLine(m.Subject)
	if subject == "" {
		subject = m.Kind
	}
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	header("Date", ballast.ClockOrSystem(s.Clock).Now().In(loc).Format(time.RFC1123Z))
	header("Message-ID", MessageID(m.Tenant, m.IdempotencyKey, domainOf(from.Address)))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}

// MessageID returns the Message-ID header value the SMTP adapter gives a
// message of tenant with idempotencyKey, sent from domain:
// "<" + the first 32 hex digits of SHA-256(tenant, NUL, key) + "@" + domain + ">".
func MessageID(tenant, idempotencyKey, domain string) string {
	sum := sha256.Sum256([]byte(tenant + "\x00" + idempotencyKey))
	return "<" + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i+1 < len(addr) {
		return addr[i+1:]
	}
	return "localhost"
}

// send runs one SMTP session: EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT…,
// DATA, QUIT, within ctx's deadline.
func (s SMTP) send(ctx context.Context, host, from string, to []*mail.Address, msg []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLSConfig.Clone()
		if cfg == nil {
			cfg = &tls.Config{}
		}
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		if cfg.MinVersion == 0 {
			cfg.MinVersion = tls.VersionTLS12
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	} else if !s.Insecure {
		return errors.New("server does not offer STARTTLS; refusing to send credentials and mail in the clear")
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	for _, a := range to {
		if err := c.Rcpt(a.Address); err != nil {
			return fmt.Errorf("rcpt to %s: %w", a.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return c.Quit()
}

// classifySMTP makes a 5xx reply Permanent; everything else stays
// retryable.
func classifySMTP(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return Permanent(err)
	}
	return err
}
