package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseArgs_DSNComesFromFlagThenEnvThenDefault(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvDSN {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		args    []string
		env     string
		want    config
		wantErr string
	}{
		{name: "defaults", want: config{command: "serve", addr: "127.0.0.1:8080", dsn: DefaultDSN}},
		{name: "env overrides the default", env: "postgres://u@h/db",
			want: config{command: "serve", addr: "127.0.0.1:8080", dsn: "postgres://u@h/db"}},
		{name: "flag overrides env", args: []string{"-dsn", "sqlite:other.db"}, env: "postgres://u@h/db",
			want: config{command: "serve", addr: "127.0.0.1:8080", dsn: "sqlite:other.db"}},
		{name: "explicit serve with addr", args: []string{"serve", "-addr", ":9090"},
			want: config{command: "serve", addr: ":9090", dsn: DefaultDSN}},
		{name: "migrate with env", args: []string{"migrate"}, env: "sqlite:env.db",
			want: config{command: "migrate", dsn: "sqlite:env.db"}},
		{name: "demo with flag", args: []string{"demo", "-dsn=sqlite:x.db"},
			want: config{command: "demo", dsn: "sqlite:x.db"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: "unknown command"},
		{name: "addr is only for serve", args: []string{"migrate", "-addr", ":1"}, wantErr: "flag provided but not defined"},
		{name: "stray argument", args: []string{"serve", "extra"}, wantErr: "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseArgs(tt.args, env(tt.env), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseArgs(%q) error = %v, want %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(config{})); diff != "" {
				t.Errorf("parseArgs(%q) (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestRedact_HidesPasswordsOnly(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"sqlite:ballast.db":                      "sqlite:ballast.db",
		"postgres://app:s3cret@db:5432/hr":       "postgres://app:xxxxx@db:5432/hr",
		"postgres://postgres@127.0.0.1/test?x=1": "postgres://postgres@127.0.0.1/test?x=1",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRun_MigrateThenReseedTwice(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "ballast.db")
	noEnv := func(string) string { return "" }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "-dsn", dsn}, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	// demo wipes the demo tenant and seeds it again: the second run must
	// not collide with the first one's rows.
	for i := range 2 {
		out.Reset()
		if err := run(context.Background(), []string{"demo", "-dsn", dsn}, noEnv, &out, io.Discard); err != nil {
			t.Fatalf("demo run %d: %v", i+1, err)
		}
		if !strings.Contains(out.String(), "admin") || !strings.Contains(out.String(), "password") {
			t.Errorf("demo run %d printed no logins:\n%s", i+1, out.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun_ServeSeedsPrintsLoginsAndShutsDownGracefully(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "ballast.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-dsn", dsn}, func(string) string { return "" }, &out, io.Discard)
	}()
	urlRE := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)/`)
	var base string
	// Serve seeds the demo company before it listens: a few seconds, but
	// much longer under -race on a busy two-core machine.
	for deadline := time.Now().Add(3 * time.Minute); base == ""; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no URL:\n%s", out.String())
		}
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if !regexp.MustCompile(`(?m)^\s+admin\s+password \S+`).MatchString(out.String()) {
		t.Errorf("no demo logins printed:\n%s", out.String())
	}
	// The first reconcile pass runs at start; on SQLite's single connection
	// (and under -race on a busy machine) it can hold the database for
	// longer than healthz's two-second ping, which then honestly answers
	// 503. The server must come to 200 once it is done.
	status := ""
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		status = resp.Status
		if resp.StatusCode == http.StatusOK || time.Now().After(deadline) {
			break
		}
	}
	if status != "200 OK" {
		t.Errorf("healthz = %s", status)
	}
	resp, err := http.Post(base+"/api/login", "application/json", strings.NewReader(`{"login":"admin","password":"ballast-demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("demo login = %s", resp.Status)
	}
	cancel() // what SIGINT/SIGTERM do through signal.NotifyContext
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after shutdown: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}
