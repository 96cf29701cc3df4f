// Package local is the Gennaker driver that deploys to this machine: a
// server group is N real OS processes started from an "exec" artifact, and
// a load balancer is a real HTTP reverse proxy on its own port.
//
// A server group is kept at its desired capacity like an auto-scaling
// group: an instance whose process ends is replaced by a new instance (with
// a new id), after a back-off that grows while instances keep failing.
// Each instance gets a free port on 127.0.0.1 (the "{port}" placeholder of
// the command line and PORT), runs in its own process group with its output
// in log files under the state directory, and is health-checked over HTTP.
//
// Everything the driver needs to find its processes again is written
// atomically under the state directory, so a new Driver on the same
// directory (Gennaker restarted) adopts the processes still running,
// verifying each pid by its start time and GENNAKER_INSTANCE_ID, and kills
// any other process marked as started from that directory. Close releases
// the driver and leaves the processes running for that reason; destroy
// server groups to stop them.
//
// Load balancers route each request to a healthy instance of an enabled
// server group chosen by smooth weighted round-robin, then round-robin
// among the group's instances; a request whose connection is refused is
// retried once on another instance. Disabling a group removes it from
// rotation at once and waits for its in-flight requests. Metrics per load
// balancer and server group go to the prometheus.Registerer given with
// WithRegisterer.
package local

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// Kind is the account kind this driver registers.
const Kind = "local"

// DefaultRegion is the region of an account that names none.
const DefaultRegion = "local"

// Driver is the local provider for one account. It is safe for concurrent
// use. Create it with New and release it with Close.
type Driver struct {
	account   providers.Account
	dir       string
	opts      options
	log       *slog.Logger
	metrics   *metrics
	client    *http.Client    // health checks
	transport *http.Transport // load balancers to instances

	ctx    context.Context // ends at Close: stops every goroutine
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	groups   map[string]*group    // by key(region, name)
	lbs      map[string]*balancer // by key(region, name)
	ports    map[int]bool         // ports of running instances
	watchers map[chan providers.Change]struct{}
}

func key(region, name string) string { return region + "/" + name }

// New returns the driver of account, after adopting the processes a
// previous driver on the same state directory left running and restarting
// its load balancers on their addresses. An account without regions gets
// ["local"].
//
// It returns an ErrInvalidSpec error when the account is not of kind
// "local", and an error when the state directory cannot be used, its
// files are unreadable or of a newer version, or a load balancer cannot
// listen on its recorded address.
func New(account providers.Account, opts ...Option) (*Driver, error) {
	if account.Kind != Kind {
		return nil, providers.Errorf(providers.CodeInvalidSpec, "creating local driver: account %q is of kind %q", account.Name, account.Kind)
	}
	if len(account.Regions) == 0 {
		account.Regions = []string{DefaultRegion}
	}
	o := defaultOptions(account.Name)
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(o.registerer, account.Name)
	if err != nil {
		return nil, fmt.Errorf("creating local driver: registering metrics: %w", err)
	}
	if err := os.MkdirAll(o.stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating local driver: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &Driver{
		account: account,
		dir:     o.stateDir,
		opts:    o,
		log:     o.logger.With("account", account.Name),
		metrics: m,
		client: &http.Client{
			Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
			// A health check that redirects is answered by the redirect.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        512,
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     30 * time.Second,
		},
		ctx:      ctx,
		cancel:   cancel,
		groups:   map[string]*group{},
		lbs:      map[string]*balancer{},
		ports:    map[int]bool{},
		watchers: map[chan providers.Change]struct{}{},
	}
	if err := d.restore(); err != nil {
		d.Close()
		return nil, fmt.Errorf("creating local driver: %w", err)
	}
	return d, nil
}

// restore adopts or cleans what a previous driver left in the state
// directory.
func (d *Driver) restore() error {
	recs, err := d.loadGroups()
	if err != nil {
		return err
	}
	lbs, err := d.loadLBs()
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range lbs {
		if _, err := d.openBalancer(r); err != nil {
			return err
		}
	}
	adopted := map[int]bool{} // process groups
	for _, rec := range recs {
		g, err := d.restoreGroup(rec, adopted)
		if err != nil {
			return err
		}
		d.groups[key(rec.Spec.Region, rec.Spec.Moniker.Name())] = g
	}
	// Processes marked as ours that no record accounts for: started just
	// before a crash, or children left behind by a dead instance.
	for _, pid := range strays(d.dir, nil) {
		if pgid, err := syscall.Getpgid(pid); err == nil && adopted[pgid] {
			continue
		}
		id, _ := procEnv(pid, envInstanceID)
		d.log.Warn("killing a stray process of this state directory", "pid", pid, "instance_id", id)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	for _, g := range d.groups {
		d.startSupervisor(g)
	}
	d.refreshRoutes()
	return nil
}

// restoreGroup rebuilds a server group from its record, adopting the
// instances whose process is still the one recorded.
func (d *Driver) restoreGroup(rec groupRecord, adopted map[int]bool) (*group, error) {
	exec, err := DecodeArtifact(rec.Spec.Artifact)
	if err != nil {
		return nil, fmt.Errorf("restoring server group %s: %w", rec.Spec.Moniker.Name(), err)
	}
	g := newGroup(rec, exec)
	for _, ir := range rec.Instances {
		if !sameProcess(ir.PID, ir.StartTicks, ir.ID) {
			d.log.Info("instance ended while the driver was away", "server_group", g.name(), "instance_id", ir.ID, "pid", ir.PID)
			continue
		}
		in := newInstance(ir, exec.Health)
		g.instances = append(g.instances, in)
		d.ports[ir.Port] = true
		adopted[ir.PID] = true
		d.startMonitor(g, in)
		d.log.Info("adopted instance", "server_group", g.name(), "instance_id", ir.ID, "pid", ir.PID, "port", ir.Port)
	}
	if err := d.persist(g); err != nil {
		return nil, err
	}
	return g, nil
}

// Close stops the driver's supervisors, health checks and load balancers
// and waits for them. It leaves instances running and their state on disk,
// for the next driver on the same state directory to adopt. Calling it
// again does nothing. Every other method returns an error after Close.
func (d *Driver) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	lbs := make([]*balancer, 0, len(d.lbs))
	for _, b := range d.lbs {
		lbs = append(lbs, b)
	}
	for ch := range d.watchers {
		close(ch)
		delete(d.watchers, ch)
	}
	d.mu.Unlock()
	d.cancel()
	for _, b := range lbs {
		b.close()
	}
	d.wg.Wait()
	d.transport.CloseIdleConnections()
	return nil
}

// Watch implements providers.Watcher: a change is sent whenever a server
// group's instances, health, capacity or status change, or a load
// balancer's targets or weights. The channel is closed when ctx ends or the
// driver is closed.
func (d *Driver) Watch(ctx context.Context) <-chan providers.Change {
	ch := make(chan providers.Change, 64)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		close(ch)
		return ch
	}
	d.watchers[ch] = struct{}{}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		select {
		case <-ctx.Done():
		case <-d.ctx.Done():
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		if _, ok := d.watchers[ch]; ok {
			delete(d.watchers, ch)
			close(ch)
		}
	}()
	return ch
}

// notify tells watchers about c, dropping it for a watcher whose buffer is
// full. Called with d.mu held.
func (d *Driver) notify(c providers.Change) {
	c.Account = d.account.Name
	for ch := range d.watchers {
		select {
		case ch <- c:
		default:
		}
	}
}

// checkTarget validates the account and region of a call; an empty region
// is not checked. Called with d.mu held.
func (d *Driver) checkTarget(account, region string) error {
	if d.closed {
		return fmt.Errorf("local driver for account %q is closed", d.account.Name)
	}
	if account != d.account.Name {
		return providers.Errorf(providers.CodeAccountUnknown, "account %q: this local driver serves %q", account, d.account.Name)
	}
	if region != "" && !d.account.HasRegion(region) {
		return providers.Errorf(providers.CodeInvalidSpec, "region %q is not one of account %q's %v", region, account, d.account.Regions)
	}
	return nil
}

// newID returns a short random id suffix of 5 lower-case letters and digits.
func newID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Interface guards.
var (
	_ providers.Provider            = (*Driver)(nil)
	_ providers.TrafficSplitter     = (*Driver)(nil)
	_ providers.LoadBalancerManager = (*Driver)(nil)
	_ providers.InstanceTerminator  = (*Driver)(nil)
	_ providers.Watcher             = (*Driver)(nil)
)
