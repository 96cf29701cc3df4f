package local

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gennaker/gennaker/providers"
	"github.com/prometheus/client_golang/prometheus"
)

var client = &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 32}, Timeout: 10 * time.Second}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	return string(b)
}

// version returns "v1" from "hello from v1 (instance …)".
func version(body string) string {
	f := strings.Fields(body)
	if len(f) < 3 {
		return body
	}
	return f[2]
}

// lbAddress returns the address of the app's only load balancer.
func lbAddress(t *testing.T, d *Driver, app string) string {
	t.Helper()
	lbs, err := d.LoadBalancers(t.Context(), testAccount, app)
	if err != nil || len(lbs) != 1 {
		t.Fatalf("LoadBalancers(%s) = %v, %v", app, lbs, err)
	}
	return lbs[0].Address
}

func TestWeightedRouting(t *testing.T) {
	ctx := t.Context()
	d := newDriver(t, t.TempDir())
	a, err := d.CreateServerGroup(ctx, spec("weights", 1, providers.Fixed(2), hello("v1"), "weights"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.CreateServerGroup(ctx, spec("weights", 2, providers.Fixed(2), hello("v2"), "weights"))
	if err != nil {
		t.Fatal(err)
	}
	waitGroup(t, d, a.Ref(), "v1 Up", allUp(2))
	waitGroup(t, d, b.Ref(), "v2 Up", allUp(2))
	url := "http://" + lbAddress(t, d, "weights") + "/"

	tests := []struct {
		w1, w2 int
	}{{50, 50}, {25, 75}, {90, 10}, {0, 100}}
	const n = 2000
	// Smooth weighted round-robin is exact over every full cycle of the
	// weights; the tolerance covers the cycle the table rebuild interrupts.
	const tolerance = 0.02
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.w1, tt.w2), func(t *testing.T) {
			if err := d.SetWeights(ctx, testAccount, "local", "weights", map[string]int{a.Name: tt.w1, b.Name: tt.w2}); err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for range n {
				counts[version(get(t, url))]++
			}
			want := float64(tt.w1) / float64(tt.w1+tt.w2)
			got := float64(counts["v1"]) / n
			if got < want-tolerance || got > want+tolerance {
				t.Errorf("v1 share = %.3f (%v), want %.2f ± %.2f", got, counts, want, tolerance)
			}
		})
	}
}

// load sends requests from workers until stop is closed and counts them by
// version, and failures with the reason of the first ones.
type load struct {
	url      string
	mu       sync.Mutex
	versions map[string]int
	failures []string
	total    atomic.Int64
	stop     chan struct{}
	wg       sync.WaitGroup
}

func startLoad(url string, workers int) *load {
	l := &load{url: url, versions: map[string]int{}, stop: make(chan struct{})}
	for range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				l.one()
			}
		}()
	}
	return l
}

func (l *load) one() {
	resp, err := client.Get(l.url)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("%s: %s", resp.Status, body)
		}
	}
	l.total.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.failures = append(l.failures, err.Error())
		return
	}
	l.versions[version(string(body))]++
}

func (l *load) finish() (map[string]int, []string) {
	close(l.stop)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.versions, l.failures
}

// count returns the number of answers of version so far.
func (l *load) count(version string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.versions[version]
}

func TestRedBlackUnderLoad(t *testing.T) {
	ctx := t.Context()
	reg := prometheus.NewRegistry()
	d := newDriver(t, t.TempDir(), WithRegisterer(reg))
	// v1 answers slowly, so that requests are in flight when it is disabled.
	v1, err := d.CreateServerGroup(ctx, spec("redblack", 1, providers.Fixed(2), hello("v1", "--delay", "20ms"), "redblack"))
	if err != nil {
		t.Fatal(err)
	}
	waitGroup(t, d, v1.Ref(), "v1 Up", allUp(2))
	l := startLoad("http://"+lbAddress(t, d, "redblack")+"/", 8)
	waitFor(t, 10*time.Second, "load on v1", func() error {
		if l.count("v1") < 50 {
			return fmt.Errorf("%d answers from v1", l.count("v1"))
		}
		return nil
	})

	v2, err := d.CreateServerGroup(ctx, spec("redblack", 2, providers.Fixed(2), hello("v2"), "redblack"))
	if err != nil {
		t.Fatal(err)
	}
	waitGroup(t, d, v2.Ref(), "v2 Up", allUp(2))
	waitFor(t, 10*time.Second, "load on v2", func() error {
		if l.count("v2") < 50 {
			return fmt.Errorf("%d answers from v2", l.count("v2"))
		}
		return nil
	})
	if err := d.DisableServerGroup(ctx, v1.Ref()); err != nil {
		t.Fatal(err)
	}
	// Counted by the load balancer: the client may read its last v1
	// answers after this point.
	served := map[string]string{"server_group": v1.Name}
	afterDisable := int(counterValue(t, reg, "gennaker_lb_request_duration_seconds", served))
	waitFor(t, 10*time.Second, "200 more answers", func() error {
		if n := l.count("v2"); n < 200 {
			return fmt.Errorf("%d answers from v2", n)
		}
		return nil
	})
	if err := d.DestroyServerGroup(ctx, v1.Ref()); err != nil {
		t.Fatal(err)
	}
	versions, failures := l.finish()
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed; first: %v", len(failures), l.total.Load(), failures[:min(5, len(failures))])
	}
	if got := int(counterValue(t, reg, "gennaker_lb_request_duration_seconds", served)); got != afterDisable {
		t.Errorf("v1 served %d requests after DisableServerGroup returned", got-afterDisable)
	}
	if versions["v1"] != afterDisable {
		t.Errorf("clients got %d answers from v1, the load balancer counted %d", versions["v1"], afterDisable)
	}
	t.Logf("%d requests: %v", l.total.Load(), versions)

	// Metrics per server group, on the registry given.
	if got := counterValue(t, reg, "gennaker_lb_requests_total", map[string]string{"server_group": v2.Name, "code": "2xx", "load_balancer": "redblack"}); got < 200 {
		t.Errorf("gennaker_lb_requests_total{server_group=%s,code=2xx} = %v, want ≥ 200", v2.Name, got)
	}
}

// counterValue sums the counters (or histogram counts) of name whose labels
// include want.
func counterValue(t *testing.T, reg *prometheus.Registry, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = lp.GetValue()
			}
			for k, v := range want {
				if labels[k] != v {
					continue metrics
				}
			}
			if m.Counter != nil {
				sum += m.GetCounter().GetValue()
			}
			if m.Histogram != nil {
				sum += float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return sum
}

func TestDisableWaitsForInFlight(t *testing.T) {
	ctx := t.Context()
	reg := prometheus.NewRegistry()
	d := newDriver(t, t.TempDir(), WithRegisterer(reg))
	g, err := d.CreateServerGroup(ctx, spec("drain", 1, providers.Fixed(1), hello("v1", "--delay", "300ms"), "drain"))
	if err != nil {
		t.Fatal(err)
	}
	waitGroup(t, d, g.Ref(), "Up", allUp(1))
	url := "http://" + lbAddress(t, d, "drain") + "/"
	done := make(chan string, 1)
	go func() {
		resp, err := client.Get(url)
		if err != nil {
			done <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- resp.Status + " " + string(b)
	}()
	d.mu.Lock()
	b := d.lbs[key("local", "drain")]
	d.mu.Unlock()
	waitFor(t, 5*time.Second, "a request in flight", func() error {
		if b.inflight(g.Name) != 1 {
			return fmt.Errorf("%d in flight", b.inflight(g.Name))
		}
		return nil
	})
	if err := d.DisableServerGroup(ctx, g.Ref()); err != nil {
		t.Fatal(err)
	}
	// The load balancer counts a request once it has sent all of it back.
	if n := counterValue(t, reg, "gennaker_lb_requests_total", map[string]string{"server_group": g.Name, "code": "2xx"}); n != 1 {
		t.Fatalf("DisableServerGroup returned with %v requests answered, want the in-flight one", n)
	}
	if got := <-done; !strings.HasPrefix(got, "200 OK hello from v1") {
		t.Errorf("in-flight request = %q, want it answered", got)
	}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET after disable = %s, want 503", resp.Status)
	}
}

func TestRetryOnDeadInstance(t *testing.T) {
	ctx := t.Context()
	reg := prometheus.NewRegistry()
	d := newDriver(t, t.TempDir(), WithRegisterer(reg))
	g, err := d.CreateServerGroup(ctx, spec("retry", 1, providers.Fixed(2), hello("v1"), "retry"))
	if err != nil {
		t.Fatal(err)
	}
	waitGroup(t, d, g.Ref(), "Up", allUp(2))
	url := "http://" + lbAddress(t, d, "retry") + "/"
	d.mu.Lock()
	pid := d.groups[key("local", g.Name)].instances[0].rec.PID
	d.mu.Unlock()
	// Holding the driver's lock keeps it from noticing the death, so the
	// dead instance stays in the routing table and every other request is
	// sent to it first (round-robin).
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the instance gone", func() error {
		// Not reaped while the lock is held: a zombie counts as gone.
		if _, state, err := procStat(pid); err == nil && state != 'Z' {
			return fmt.Errorf("pid %d alive", pid)
		}
		return nil
	})
	for i := range 50 {
		resp, err := client.Get(url)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %s", i, resp.Status)
		}
	}
	if got := counterValue(t, reg, "gennaker_lb_retries_total", map[string]string{"server_group": g.Name}); got < 20 {
		t.Errorf("gennaker_lb_retries_total = %v, want about 25", got)
	}
}
