package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// balancer is one load balancer: an HTTP reverse proxy on its own listener.
type balancer struct {
	d     *Driver
	rec   lbRecord // guarded by d.mu
	srv   *http.Server
	ln    net.Listener
	table atomic.Pointer[routeTable]
	proxy *httputil.ReverseProxy

	mu     sync.Mutex
	states map[string]*groupState // per server group, kept across tables
}

// groupState is what a balancer keeps per server group across routing
// tables: the requests in flight (for draining) and the round-robin cursor.
type groupState struct {
	inflight atomic.Int64
	next     atomic.Uint64
}

// routeTable is an immutable snapshot of where a balancer may send
// requests, replaced whenever health, status or weights change. Only the
// smooth weighted round-robin counters change, under mu.
type routeTable struct {
	mu     sync.Mutex
	routes []*route
}

// route is one enabled server group with a positive weight and at least one
// healthy instance.
type route struct {
	group    string
	weight   int
	current  int // smooth weighted round-robin
	backends []string
	state    *groupState
}

// pick chooses a route by smooth weighted round-robin (nginx's): over any
// window of sum(weights) picks each route is chosen weight times, evenly
// spread. Routes whose only backend is exclude are skipped.
func (t *routeTable) pick(exclude string) *route {
	t.mu.Lock()
	defer t.mu.Unlock()
	var best *route
	total := 0
	for _, r := range t.routes {
		if exclude != "" && len(r.backends) == 1 && r.backends[0] == exclude {
			continue
		}
		r.current += r.weight
		total += r.weight
		if best == nil || r.current > best.current {
			best = r
		}
	}
	if best != nil {
		best.current -= total
	}
	return best
}

func (t *routeTable) has(group string) bool {
	for _, r := range t.routes {
		if r.group == group {
			return true
		}
	}
	return false
}

// lease is a request's hold on a server group: while held, draining the
// group waits for it.
type lease struct {
	group string
	addr  string
	state *groupState
	once  sync.Once
}

func (l *lease) release() { l.once.Do(func() { l.state.inflight.Add(-1) }) }

// leaseKey holds a *lease slot in a request's context, so the transport
// can move a retried request to another instance.
type leaseKey struct{}

type leaseSlot struct{ l *lease }

// acquire chooses a server group and one of its instances other than
// exclude, and holds the group until release. It returns nil when no
// healthy instance of an enabled group is left.
func (b *balancer) acquire(exclude string) *lease {
	for range 5 {
		t := b.table.Load()
		r := t.pick(exclude)
		if r == nil {
			return nil
		}
		r.state.inflight.Add(1)
		// A group disabled between the pick and the increment has its drain
		// check after the new table was published, so re-reading the table
		// here closes the race: either the drain sees this request, or this
		// request sees the group gone.
		if cur := b.table.Load(); cur != t && !cur.has(r.group) {
			r.state.inflight.Add(-1)
			continue
		}
		n := len(r.backends)
		i := int(r.state.next.Add(1) % uint64(n))
		addr := r.backends[i]
		if addr == exclude && n > 1 {
			addr = r.backends[(i+1)%n]
		}
		return &lease{group: r.group, addr: addr, state: r.state}
	}
	return nil
}

// inflight returns the number of requests in flight to group.
func (b *balancer) inflight(group string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.states[group]; s != nil {
		return s.inflight.Load()
	}
	return 0
}

// state returns the groupState of group, creating it.
func (b *balancer) state(group string) *groupState {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.states[group]
	if s == nil {
		s = &groupState{}
		b.states[group] = s
	}
	return s
}

// forget drops the state of a destroyed group.
func (b *balancer) forget(group string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.states, group)
}

// ServeHTTP proxies one request to a chosen instance and records metrics.
func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	l := b.acquire("")
	if l == nil {
		http.Error(w, fmt.Sprintf("no healthy instance of an enabled server group behind load balancer %s", b.rec.Name), http.StatusServiceUnavailable)
		b.d.metrics.observe(b.rec.Name, noGroup, http.StatusServiceUnavailable, time.Since(start))
		return
	}
	slot := &leaseSlot{l: l}
	gauge := b.d.metrics.inflight.WithLabelValues(b.rec.Name, l.group)
	gauge.Inc()
	rec := &statusRecorder{ResponseWriter: w}
	b.proxy.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), leaseKey{}, slot)))
	gauge.Dec()
	if rec.code == 0 {
		rec.code = http.StatusOK
	}
	// Observed before the release, so that once a drain returns, the
	// group's metrics count every request it served.
	b.d.metrics.observe(b.rec.Name, slot.l.group, rec.code, time.Since(start))
	slot.l.release() // the lease may have moved to another group on retry
}

// newProxy returns the reverse proxy of b: the instance is chosen before it
// is called (see ServeHTTP) and carried in the request's context.
func (b *balancer) newProxy() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			slot := pr.In.Context().Value(leaseKey{}).(*leaseSlot)
			pr.Out.URL.Scheme = "http"
			pr.Out.URL.Host = slot.l.addr
			pr.SetXForwarded()
		},
		Transport: &retryTransport{b: b, base: b.d.transport},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			slot := r.Context().Value(leaseKey{}).(*leaseSlot)
			b.d.metrics.errors.WithLabelValues(b.rec.Name, slot.l.group).Inc()
			b.d.log.Debug("proxying failed", "load_balancer", b.rec.Name, "server_group", slot.l.group, "backend", slot.l.addr, "error", err)
			w.WriteHeader(http.StatusBadGateway)
		},
	}
}

// retryTransport retries a request once on another instance when the
// first could not have seen it: the connection was refused, or, for a
// request without a body and an idempotent method, reset before any answer.
// That is what an instance that is stopping or has just died does.
type retryTransport struct {
	b    *balancer
	base http.RoundTripper
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err == nil || !retryable(req, err) {
		return resp, err
	}
	slot, _ := req.Context().Value(leaseKey{}).(*leaseSlot)
	if slot == nil {
		return resp, err
	}
	next := t.b.acquire(slot.l.addr)
	if next == nil || next.addr == slot.l.addr {
		if next != nil {
			next.release()
		}
		return resp, err
	}
	t.b.d.metrics.retries.WithLabelValues(t.b.rec.Name, slot.l.group).Inc()
	slot.l.release()
	slot.l = next
	retry := req.Clone(req.Context())
	retry.URL.Host = next.addr
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return resp, err
		}
		if retry.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	return t.base.RoundTrip(retry)
}

func retryable(req *http.Request, err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	noBody := req.Body == nil || req.Body == http.NoBody
	idempotent := req.Method == http.MethodGet || req.Method == http.MethodHead || req.Method == http.MethodOptions
	return noBody && idempotent && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and friends.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// close stops the balancer's listener; in-flight requests get a short
// grace to finish.
func (b *balancer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := b.srv.Shutdown(ctx); err != nil {
		_ = b.srv.Close()
	}
}
