package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
)

// config is every setting of every command, filled from flags whose defaults come from
// GENNAKER_* environment variables, so that `gennaker up` works with nothing set.
type config struct {
	Addr           string
	StateDir       string
	DatabaseURL    string
	NATSURL        string
	AccountsFile   string
	LogLevel       string
	LogFormat      string
	AllowedOrigins string
	MaxBodyBytes   int
	MaxDepth       int
	MaxComplexity  int
	Demo           bool
	Workers        int
	AckWait        string
	StaleAfter     string
	CronCatchUp    string
}

type flagSet struct {
	*flag.FlagSet
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func (f flagSet) str(p *string, name, envName, def, help string) {
	f.StringVar(p, name, env(envName, def), help+" ("+envName+")")
}

func (f flagSet) integer(p *int, name, envName string, def int, help string) {
	f.IntVar(p, name, envInt(envName, def), help+" ("+envName+")")
}

func newFlags(cmd, summary string) (flagSet, *config) {
	fs := flagSet{flag.NewFlagSet(cmd, flag.ContinueOnError)}
	c := &config{}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: gennaker %s [flags]\n\n%s\n\nFlags:\n", cmd, summary)
		fs.PrintDefaults()
	}
	fs.str(&c.LogLevel, "log-level", "GENNAKER_LOG_LEVEL", "info", "log level: debug, info, warn, error")
	fs.str(&c.LogFormat, "log-format", "GENNAKER_LOG_FORMAT", "text", "log format: text or json")
	return fs, c
}

func (c *config) databaseFlag(fs flagSet, def string) {
	fs.str(&c.DatabaseURL, "database-url", "GENNAKER_DATABASE_URL", def,
		"database: mysql://user:pass@host:3306/db?… or sqlite:///path/file.db")
}

func (c *config) natsFlag(fs flagSet, help string) {
	fs.str(&c.NATSURL, "nats-url", "GENNAKER_NATS_URL", "", help)
}

func (c *config) serverFlags(fs flagSet) {
	fs.str(&c.Addr, "addr", "GENNAKER_ADDR", "127.0.0.1:8080", "address the HTTP server listens on")
	fs.str(&c.AllowedOrigins, "allowed-origins", "GENNAKER_ALLOWED_ORIGINS", "",
		"comma-separated browser origins (host patterns) allowed to open subscriptions besides the server's own")
	fs.integer(&c.MaxBodyBytes, "max-body-bytes", "GENNAKER_MAX_BODY_BYTES", 1<<20, "largest GraphQL request body in bytes")
	fs.integer(&c.MaxDepth, "max-query-depth", "GENNAKER_MAX_QUERY_DEPTH", 15, "deepest nesting of a GraphQL operation")
	fs.integer(&c.MaxComplexity, "max-query-complexity", "GENNAKER_MAX_QUERY_COMPLEXITY", 5000000,
		"largest GraphQL operation cost (a connection costs its page size times its selection)")
}

func (c *config) accountsFlag(fs flagSet) {
	fs.str(&c.AccountsFile, "accounts", "GENNAKER_ACCOUNTS", "", "YAML file of deploy accounts")
}

func (c *config) engineFlags(fs flagSet) {
	fs.integer(&c.Workers, "engine-workers", "GENNAKER_ENGINE_WORKERS", 16, "commands an engine handles at once")
	fs.str(&c.AckWait, "engine-ack-wait", "GENNAKER_ENGINE_ACK_WAIT", "60s",
		"how long a command may go unacknowledged before another engine replica gets it (after a crash)")
	fs.str(&c.StaleAfter, "engine-stale-after", "GENNAKER_ENGINE_STALE_AFTER", "30s",
		"how long an execution may go unchanged, with no poll scheduled, or a notification unsent, before the watchdog re-queues it")
	fs.str(&c.CronCatchUp, "cron-catch-up", "GENNAKER_CRON_CATCH_UP", "30m",
		"how far back an engine that starts looks for a cron firing missed while no engine ran; the latest one found runs once (0: none)")
}

func (f flagSet) parse(args []string, c *config) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 && f.Name() != "migrate" {
		return fmt.Errorf("unexpected arguments %v", f.Args())
	}
	return nil
}

func (c *config) origins() []string {
	var out []string
	for _, o := range strings.Split(c.AllowedOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch c.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: want text or json, got %q", c.LogFormat)
}
