package notify_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/notify"
)

// smtpCert is a self-signed certificate for 127.0.0.1 and localhost and a
// pool that trusts it.
func smtpCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// smtpMail is one message the test server accepted.
type smtpMail struct {
	From string
	To   []string
	Data string // raw, as on the wire (dot-stuffed, CRLF), without the final "."
}

// smtpServer is the outside world: a submission server speaking just
// enough SMTP (EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT). It
// offers AUTH only after STARTTLS (unless noTLS) and refuses MAIL before a
// successful AUTH.
type smtpServer struct {
	cert      tls.Certificate
	noTLS     bool   // offer no STARTTLS at all
	rcptReply string // reply to RCPT instead of 250, e.g. "550 5.1.1 no such user"

	mu    sync.Mutex
	mails []smtpMail
	log   []string // the verbs received, in order, with "+tls" once upgraded
}

func newSMTPServer(t *testing.T, s *smtpServer) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return ln.Addr().String()
}

func (s *smtpServer) note(verb string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, verb)
}

func (s *smtpServer) serve(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	r, w := bufio.NewReader(conn), bufio.NewWriter(conn)
	reply := func(lines ...string) {
		for _, l := range lines {
			fmt.Fprintf(w, "%s\r\n", l)
		}
		w.Flush()
	}
	reply("220 test.example ESMTP")
	secure, authed := false, false
	var cur smtpMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if secure {
			s.note(verb + "+tls")
		} else {
			s.note(verb)
		}
		switch verb {
		case "EHLO":
			lines := []string{"250-test.example"}
			if !secure && !s.noTLS {
				lines = append(lines, "250-STARTTLS")
			}
			if secure || s.noTLS {
				lines = append(lines, "250-AUTH PLAIN")
			}
			reply(append(lines, "250 8BITMIME")...)
		case "STARTTLS":
			if s.noTLS || secure {
				reply("502 no")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{s.cert}})
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, secure = tc, true
			r, w = bufio.NewReader(tc), bufio.NewWriter(tc)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(resp)
			if mech != "PLAIN" || err != nil || string(raw) != "\x00hr@example.com\x00app-password" {
				reply("535 5.7.8 authentication failed")
				continue
			}
			authed = true
			reply("235 2.7.0 ok")
		case "MAIL":
			if !authed {
				reply("530 5.7.0 authentication required")
				continue
			}
			cur = smtpMail{From: arg}
			reply("250 ok")
		case "RCPT":
			if s.rcptReply != "" {
				reply(s.rcptReply)
				continue
			}
			cur.To = append(cur.To, arg)
			reply("250 ok")
		case "DATA":
			reply("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(l)
			}
			cur.Data = data.String()
			s.mu.Lock()
			s.mails = append(s.mails, cur)
			s.mu.Unlock()
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("500 unknown")
		}
	}
}

func (s *smtpServer) result() ([]smtpMail, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMail(nil), s.mails...), append([]string(nil), s.log...)
}

// smtpNow is 2026-11-25 17:30 in Shanghai.
var smtpNow = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

func smtpMessage() notify.Message {
	m := robotMessage()
	m.Subject = "交接提醒: 客户交接"
	m.Body = "王丽，您好：\n客户交接还剩 2 天。\n.以点开头的一行\n"
	return m
}

func TestSMTP_SendsMIMEOverSTARTTLSWithPlainAuth(t *testing.T) {
	t.Parallel()
	cert, pool := smtpCert(t)
	srv := &smtpServer{cert: cert}
	addr := newSMTPServer(t, srv)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	s := notify.SMTP{Addr: addr, Username: "hr@example.com", Password: "app-password", From: "鼎盛 HR <hr@example.com>",
		TLSConfig: &tls.Config{RootCAs: pool}, Directory: robotDirectory, Clock: dingClock{smtpNow}, Location: shanghai}
	m := smtpMessage()
	if err := s.Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	mails, log := srv.result()
	wantLog := []string{"EHLO", "STARTTLS", "EHLO+tls", "AUTH+tls", "MAIL+tls", "RCPT+tls", "RCPT+tls", "DATA+tls", "QUIT+tls"}
	if d := cmp.Diff(wantLog, log); d != "" {
		t.Errorf("session (-want +got):\n%s", d)
	}
	sum := sha256.Sum256([]byte(m.Tenant + "\x00" + m.IdempotencyKey))
	msgID := "<" + hex.EncodeToString(sum[:])[:32] + "@example.com>"
	want := []smtpMail{{
		From: "FROM:<hr@example.com> BODY=8BITMIME", // the server offers 8BITMIME
		To:   []string{"TO:<wangli@example.com>", "TO:<zhaomin@example.com>"},
		Data: "From: =?utf-8?q?=E9=BC=8E=E7=9B=9B_HR?= <hr@example.com>\r\n" +
			"To: =?utf-8?q?=E7=8E=8B=E4=B8=BD?= <wangli@example.com>, =?utf-8?q?=E8=B5=B5=E6=95=8F?= <zhaomin@example.com>\r\n" +
			"Subject: =?utf-8?q?=E4=BA=A4=E6=8E=A5=E6=8F=90=E9=86=92:_=E5=AE=A2=E6=88=B7?= =?utf-8?q?=E4=BA=A4=E6=8E=A5?=\r\n" +
			"Date: Wed, 25 Nov 2026 17:30:00 +0800\r\n" +
			"Message-ID: " + msgID + "\r\n" +
			"MIME-Version: 1.0\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n" +
			"\r\n" +
			"=E7=8E=8B=E4=B8=BD=EF=BC=8C=E6=82=A8=E5=A5=BD=EF=BC=9A\r\n" +
			"=E5=AE=A2=E6=88=B7=E4=BA=A4=E6=8E=A5=E8=BF=98=E5=89=A9 2 =E5=A4=A9=E3=80=82\r\n" +
			"..=E4=BB=A5=E7=82=B9=E5=BC=80=E5=A4=B4=E7=9A=84=E4=B8=80=E8=A1=8C\r\n",
	}}
	if d := cmp.Diff(want, mails); d != "" {
		t.Errorf("mail (-want +got):\n%s", d)
	}
	if got := notify.MessageID(m.Tenant, m.IdempotencyKey, "example.com"); got != msgID {
		t.Errorf("MessageID = %s, want %s", got, msgID)
	}
}

func TestSMTP_RefusesAServerWithoutSTARTTLS(t *testing.T) {
	t.Parallel()
	srv := &smtpServer{noTLS: true}
	addr := newSMTPServer(t, srv)
	s := notify.SMTP{Addr: addr, Username: "hr@example.com", Password: "app-password", From: "hr@example.com", Directory: robotDirectory}
	err := s.Notify(context.Background(), smtpMessage())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("error = %v, want a refusal naming STARTTLS", err)
	}
	mails, log := srv.result()
	if len(mails) != 0 || strings.Contains(strings.Join(log, " "), "AUTH") {
		t.Errorf("sent %d mails, session %v: want no AUTH and no mail", len(mails), log)
	}
	// Insecure allows it, for a local test server.
	s.Insecure = true
	if err := s.Notify(context.Background(), smtpMessage()); err != nil {
		t.Fatalf("insecure: %v", err)
	}
	if mails, _ := srv.result(); len(mails) != 1 {
		t.Errorf("insecure: %d mails, want 1", len(mails))
	}
	// … but never for a server elsewhere (nothing is dialled).
	remote := notify.SMTP{Addr: "192.0.2.1:587", From: "hr@example.com", Insecure: true, Directory: robotDirectory}
	if err := remote.Notify(context.Background(), smtpMessage()); !notify.IsPermanent(err) {
		t.Errorf("insecure remote: error = %v, want permanent", err)
	}
}

func TestSMTP_RepliesDecideRetryOrGiveUp(t *testing.T) {
	t.Parallel()
	cert, pool := smtpCert(t)
	for _, tc := range []struct {
		name      string
		srv       *smtpServer
		user      string
		recipient []string
		permanent bool
	}{
		{"unknown mailbox is permanent", &smtpServer{cert: cert, rcptReply: "550 5.1.1 no such user"}, "hr@example.com", nil, true},
		{"greylisting is retried", &smtpServer{cert: cert, rcptReply: "451 4.7.1 try later"}, "hr@example.com", nil, false},
		{"wrong password is permanent", &smtpServer{cert: cert}, "someone@example.com", nil, true},
		{"no e-mail address is permanent", &smtpServer{cert: cert}, "hr@example.com", []string{"emp-liu", "emp-unknown"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := newSMTPServer(t, tc.srv)
			m := smtpMessage()
			if tc.recipient != nil {
				m.Recipients = tc.recipient
			}
			s := notify.SMTP{Addr: addr, Username: tc.user, Password: "app-password", From: "hr@example.com",
				TLSConfig: &tls.Config{RootCAs: pool}, Directory: robotDirectory}
			err := s.Notify(context.Background(), m)
			if err == nil || notify.IsPermanent(err) != tc.permanent {
				t.Errorf("error = %v, want permanent %v", err, tc.permanent)
			}
			if mails, _ := tc.srv.result(); len(mails) != 0 {
				t.Errorf("%d mails accepted", len(mails))
			}
		})
	}
}

func TestSMTP_WithoutDirectoryUsesRecipientsThatAreAddresses(t *testing.T) {
	t.Parallel()
	cert, pool := smtpCert(t)
	srv := &smtpServer{cert: cert}
	addr := newSMTPServer(t, srv)
	m := smtpMessage()
	m.Recipients = []string{ballast.NewID(), "zhaomin@example.com", "Zhao <x@example.com>"}
	s := notify.SMTP{Addr: addr, Username: "hr@example.com", Password: "app-password", From: "hr@example.com",
		TLSConfig: &tls.Config{RootCAs: pool}}
	if err := s.Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	mails, _ := srv.result()
	if len(mails) != 1 || !cmp.Equal(mails[0].To, []string{"TO:<zhaomin@example.com>"}) {
		t.Errorf("mails = %+v, want one to zhaomin only", mails)
	}
}
