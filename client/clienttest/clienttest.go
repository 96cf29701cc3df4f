// Package clienttest starts a real Gennaker stack inside a test — embedded NATS with
// JetStream, a SQLite store, the engine, and the GraphQL API on an httptest server — for
// end-to-end tests of the client, the CLI and bots. Everything stops when the test ends.
package clienttest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// Stack is a running API server with its engine.
type Stack struct {
	// URL is the server's base URL; the API is at URL + "/graphql".
	URL string
	// Server is the httptest server of the API.
	Server *httptest.Server
	// Store is the stack's database, for seeding and checking what the API wrote.
	Store *store.Store
	// Engine is the stack's engine.
	Engine *engine.Engine
}

// Options change what Start builds.
type Options struct {
	// Dialect is the database: "sqlite" (the default) or "mysql" (see store/storetest).
	Dialect string
	// Providers gives the engine deploy accounts (and runs its caching agent).
	Providers *providers.Registry
}

// Client returns a client of the stack.
func (s *Stack) Client(opts ...client.Option) *client.Client { return client.New(s.URL, opts...) }

// Start starts a stack and stops it when t ends; it fails t when a part cannot start. The
// servers log to stderr when GENNAKER_TEST_LOG=1, and nowhere otherwise.
func Start(t testing.TB) *Stack {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith starts a stack built as opts say.
func StartWith(t testing.TB, opts Options) *Stack {
	t.Helper()
	if opts.Dialect == "" {
		opts.Dialect = "sqlite"
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("GENNAKER_TEST_LOG") == "1" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ns, err := bus.StartEmbedded(t.TempDir(), 0)
	if err != nil {
		t.Fatalf("starting NATS: %v", err)
	}
	t.Cleanup(ns.Shutdown)
	st := storetest.Open(t, opts.Dialect)
	ctx, cancel := context.WithCancel(context.Background())
	b, err := bus.Connect(ctx, ns.URL(), "clienttest", bus.Options{})
	if err != nil {
		cancel()
		t.Fatalf("connecting to NATS: %v", err)
	}
	t.Cleanup(b.Close)

	eng := engine.New(engine.Config{Store: st, Bus: b, Log: log.With("component", "engine"), Providers: opts.Providers})
	started, stopped := make(chan error, 1), make(chan struct{})
	go func() {
		defer close(stopped)
		_ = eng.Run(ctx, started)
	}()
	t.Cleanup(func() { cancel(); <-stopped })
	if err := <-started; err != nil {
		t.Fatalf("starting the engine: %v", err)
	}

	r := &resolvers.Resolver{Store: st, Auth: auth.AllowAll{}, Log: log.With("component", "api"), Engine: b, Events: b}
	mux := http.NewServeMux()
	mux.Handle("/graphql", auth.AnonymousMiddleware(resolvers.NewHandler(r, resolvers.Limits{})))
	mux.Handle("/webhooks/", auth.AnonymousMiddleware(r.WebhookHandler()))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &Stack{URL: srv.URL, Server: srv, Store: st, Engine: eng}
}
