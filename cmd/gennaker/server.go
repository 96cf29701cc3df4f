package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/frontend"
	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
)

// apiServer is the HTTP side: GraphQL, the playground, health, metrics and the dashboard.
type apiServer struct {
	srv *http.Server
	ln  net.Listener
}

func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// startAPI listens on c.Addr and serves until ctx ends.
func startAPI(ctx context.Context, c *config, log *slog.Logger, st *store.Store, b *bus.Bus, reg *prometheus.Registry) (*apiServer, error) {
	r := &resolvers.Resolver{Store: st, Auth: auth.AllowAll{}, Log: log, Engine: b, Events: b}
	gql := resolvers.NewHandler(r, resolvers.Limits{MaxBodyBytes: int64(c.MaxBodyBytes), MaxDepth: c.MaxDepth,
		MaxComplexity: c.MaxComplexity, AllowedOrigins: c.origins()})

	requests := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "gennaker_http_request_duration_seconds", Help: "HTTP requests by path and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"path", "code"})
	reg.MustRegister(requests)
	instrument := func(path string, h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w, code: 200}
			h.ServeHTTP(sw, req)
			requests.WithLabelValues(path, strconv.Itoa(sw.code)).Observe(time.Since(start).Seconds())
		})
	}

	mux := http.NewServeMux()
	mux.Handle("/graphql", instrument("/graphql", auth.AnonymousMiddleware(gql)))
	mux.Handle("/webhooks/", instrument("/webhooks", auth.AnonymousMiddleware(r.WebhookHandler())))
	mux.Handle("/playground", playground.Handler("Gennaker", "/graphql"))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		if err := st.Ping(ctx); err != nil {
			http.Error(w, "database: not reachable", http.StatusServiceUnavailable)
			return
		}
		if !b.Conn().IsConnected() {
			http.Error(w, "nats: not connected", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/", frontend.Handler())

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", c.Addr, err)
	}
	s := &apiServer{ln: ln, srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("HTTP server stopped", "error", err)
		}
	}()
	return s, nil
}

// URL is where the server listens.
func (s *apiServer) URL() string { return "http://" + s.ln.Addr().String() }

// shutdown stops accepting requests and waits up to 10 s for those in flight.
func (s *apiServer) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer (WebSocket hijacking).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// serveMetrics serves /metrics alone (for engine processes).
func serveMetrics(ctx context.Context, addr string, reg *prometheus.Registry) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	return nil
}
