// Command server is ballast's reference server: the JSON API, the web UI
// and the background work of every ballast package over one database.
//
//	go run ./examples/server                 # serve on 127.0.0.1:8080 with sqlite:ballast.db
//	go run ./examples/server migrate         # apply migrations and exit
//	go run ./examples/server demo            # wipe and reseed the demo company
//	go run ./examples/server serve -addr :9090 -dsn postgres://user@host/db
//
// The database is named by -dsn, else by the BALLAST_DSN environment
// variable, else "sqlite:ballast.db" (a file in the working directory).
// Notifications go to the log unless adapters are configured through the
// environment: BALLAST_WECOM_WEBHOOK, BALLAST_DINGTALK_TOKEN and
// BALLAST_DINGTALK_SECRET, BALLAST_SMTP_ADDR with BALLAST_SMTP_FROM (and
// BALLAST_SMTP_USER, BALLAST_SMTP_PASSWORD), BALLAST_NOTIFY_DEFAULT (see
// app.NotifierFromEnv).
// serve migrates, seeds the demo company on an empty database and prints
// the URL and the demo logins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ballast-hr/ballast/examples/server/internal/app"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
)

// DefaultDSN is the database when neither -dsn nor BALLAST_DSN names one.
const DefaultDSN = "sqlite:ballast.db"

// EnvDSN is the environment variable that overrides DefaultDSN.
const EnvDSN = "BALLAST_DSN"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ballast:", err)
		os.Exit(1)
	}
}

// config is what the command line asks for.
type config struct {
	command string // serve, migrate or demo
	addr    string
	dsn     string
}

// parseArgs reads the subcommand and its flags. The DSN is the -dsn flag,
// else getenv(EnvDSN), else DefaultDSN.
func parseArgs(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	cfg := config{command: "serve"}
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cfg.command, args = args[0], args[1:]
	}
	switch cfg.command {
	case "serve", "migrate", "demo":
	default:
		return cfg, fmt.Errorf("unknown command %q (want serve, migrate or demo)", cfg.command)
	}
	fs := flag.NewFlagSet(cfg.command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsnDefault := DefaultDSN
	if env := getenv(EnvDSN); env != "" {
		dsnDefault = env
	}
	fs.StringVar(&cfg.dsn, "dsn", dsnDefault, "database: sqlite:<path>, sqlite::memory: or postgres://… (env "+EnvDSN+")")
	if cfg.command == "serve" {
		fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on")
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: server [serve|migrate|demo] [flags]\n\nflags of %s:\n", cfg.command)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseArgs(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	a, err := app.Open(ctx, cfg.dsn, app.Options{Logger: logger, Getenv: getenv, PublicTenant: demo.TenantID})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Migrate(ctx); err != nil {
		return err
	}
	switch cfg.command {
	case "migrate":
		fmt.Fprintf(stdout, "migrated %s\n", redact(cfg.dsn))
		return nil
	case "demo":
		logins, err := a.ReseedDemo(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "reseeded the demo company in %s\n", redact(cfg.dsn))
		printLogins(stdout, logins)
		return nil
	}
	return serve(ctx, a, cfg, stdout, logger)
}

func serve(ctx context.Context, a *app.App, cfg config, stdout io.Writer, logger *slog.Logger) error {
	logins, err := a.SeedDemoIfEmpty(ctx)
	if err != nil {
		return fmt.Errorf("seed the demo company: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		_ = ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "ballast reference server on http://%s/ (database %s)\n", ln.Addr(), redact(cfg.dsn))
	fmt.Fprintf(stdout, "API: http://%s/api/ · OpenAPI: http://%s/openapi.json\n", ln.Addr(), ln.Addr())
	if len(logins) > 0 {
		fmt.Fprintln(stdout, "seeded the demo company; sign in as:")
		printLogins(stdout, logins)
	} else if names, err := a.Auth.Logins(ctx, demo.TenantID); err == nil && len(names) > 0 {
		fmt.Fprintf(stdout, "demo logins (password %q unless changed): %s\n", demo.Password, strings.Join(names, ", "))
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return errors.Join(srv.Shutdown(shutdownCtx), a.Stop(shutdownCtx))
}

func printLogins(w io.Writer, logins demo.Logins) {
	for _, l := range logins {
		fmt.Fprintf(w, "  %-10s password %-14s %s (%s)\n", l.Login, l.Password, l.Name, l.Role)
	}
}

// redact hides the password of a postgres:// DSN for printing.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
