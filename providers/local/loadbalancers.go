package local

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// defaultWeight is a server group's weight on a load balancer until
// SetWeights changes it, and again once the group is disabled.
const defaultWeight = providers.DefaultWeight

var lbNamePattern = regexp.MustCompile(`^[a-zA-Z0-9._~^][a-zA-Z0-9._~^-]*$`)

func validLBName(name string) error {
	if !lbNamePattern.MatchString(name) {
		return providers.Errorf(providers.CodeInvalidSpec, "load balancer name %q must be made of [a-zA-Z0-9._~^-]", name)
	}
	return nil
}

// openBalancer starts a load balancer listening on rec.Address (a free
// port on 127.0.0.1 when empty) and records it. Called with d.mu held.
func (d *Driver) openBalancer(rec lbRecord) (*balancer, error) {
	addr := rec.Address
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("starting load balancer %s: %w", rec.Name, err)
	}
	rec.Version = stateVersion
	rec.Address = ln.Addr().String()
	b := &balancer{d: d, rec: rec, ln: ln, states: map[string]*groupState{}}
	b.table.Store(&routeTable{})
	b.proxy = b.newProxy()
	b.srv = &http.Server{Handler: b, ReadHeaderTimeout: 30 * time.Second}
	if err := d.persistLB(b); err != nil {
		ln.Close()
		return nil, err
	}
	d.lbs[key(rec.Region, rec.Name)] = b
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := b.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("load balancer stopped", "load_balancer", rec.Name, "error", err)
		}
	}()
	d.log.Info("load balancer listening", "load_balancer", rec.Name, "region", rec.Region, "address", rec.Address)
	return b, nil
}

// persistLB writes b's record. Called with d.mu held.
func (d *Driver) persistLB(b *balancer) error {
	return writeJSON(d.lbFile(b.rec.Region, b.rec.Name), b.rec)
}

// refreshRoutes publishes a new routing table on every load balancer.
// Called with d.mu held, after any change of health, status or weight.
func (d *Driver) refreshRoutes() {
	for _, b := range d.lbs {
		t := &routeTable{}
		for _, g := range d.groups {
			if g.destroying || !g.rec.Enabled || g.region() != b.rec.Region || !slices.Contains(g.rec.Spec.LoadBalancers, b.rec.Name) {
				continue
			}
			w := b.weight(g.name())
			if w <= 0 {
				continue
			}
			r := &route{group: g.name(), weight: w, state: b.state(g.name())}
			for _, in := range g.instances {
				if in.routable() {
					r.backends = append(r.backends, net.JoinHostPort("127.0.0.1", fmt.Sprint(in.rec.Port)))
				}
			}
			if len(r.backends) > 0 {
				t.routes = append(t.routes, r)
			}
		}
		slices.SortFunc(t.routes, func(a, b *route) int { return strings.Compare(a.group, b.group) })
		b.table.Store(t)
	}
}

// weight returns group's configured weight. Called with d.mu held.
func (b *balancer) weight(group string) int {
	if w, ok := b.rec.Weights[group]; ok {
		return w
	}
	return defaultWeight
}

// balancersOf returns the load balancers g is attached to. Called with d.mu
// held.
func (d *Driver) balancersOf(g *group) []*balancer {
	var out []*balancer
	for _, name := range g.rec.Spec.LoadBalancers {
		if b := d.lbs[key(g.region(), name)]; b != nil {
			out = append(out, b)
		}
	}
	return out
}

// drain waits until no request is in flight to group on lbs, the drain
// timeout passes (not an error) or ctx ends (its error).
func (d *Driver) drain(ctx context.Context, group string, lbs []*balancer) error {
	deadline := time.NewTimer(d.opts.drainTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		busy := int64(0)
		for _, b := range lbs {
			busy += b.inflight(group)
		}
		if busy == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("draining: %w", ctx.Err())
		case <-deadline.C:
			d.log.Warn("drain timed out: requests still in flight", "server_group", group, "in_flight", busy, "timeout", d.opts.drainTimeout)
			return nil
		case <-tick.C:
		}
	}
}

// lbView returns b as the provider reports it. Called with d.mu held.
func (d *Driver) lbView(b *balancer) providers.LoadBalancer {
	v := providers.LoadBalancer{Account: d.account.Name, Region: b.rec.Region, Name: b.rec.Name, Address: b.rec.Address, Targets: []providers.Target{}}
	for _, g := range d.groups {
		if g.destroying || g.region() != b.rec.Region || !slices.Contains(g.rec.Spec.LoadBalancers, b.rec.Name) {
			continue
		}
		w := 0
		if g.rec.Enabled {
			w = b.weight(g.name())
		}
		v.Targets = append(v.Targets, providers.Target{ServerGroup: g.name(), Weight: w})
	}
	slices.SortFunc(v.Targets, func(a, b providers.Target) int { return strings.Compare(a.ServerGroup, b.ServerGroup) })
	return v
}

// LoadBalancers implements providers.Provider.
func (d *Driver) LoadBalancers(ctx context.Context, account, app string) ([]providers.LoadBalancer, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkTarget(account, ""); err != nil {
		return nil, fmt.Errorf("listing load balancers: %w", err)
	}
	out := []providers.LoadBalancer{}
	for _, b := range d.lbs {
		mine := b.rec.Name == app || strings.HasPrefix(b.rec.Name, app+"-")
		for _, g := range d.groups {
			if g.rec.Spec.Moniker.App == app && !g.destroying && g.region() == b.rec.Region && slices.Contains(g.rec.Spec.LoadBalancers, b.rec.Name) {
				mine = true
			}
		}
		if mine {
			out = append(out, d.lbView(b))
		}
	}
	slices.SortFunc(out, func(a, b providers.LoadBalancer) int {
		return strings.Compare(key(a.Region, a.Name), key(b.Region, b.Name))
	})
	return out, nil
}

// UpsertLoadBalancer implements providers.LoadBalancerManager. A new
// address moves the listener: requests in flight on the old one finish.
// Settings are not used by the local driver.
func (d *Driver) UpsertLoadBalancer(ctx context.Context, spec providers.LoadBalancerSpec) (providers.LoadBalancer, error) {
	if err := validLBName(spec.Name); err != nil {
		return providers.LoadBalancer{}, fmt.Errorf("upserting load balancer: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkTarget(spec.Account, spec.Region); err != nil {
		return providers.LoadBalancer{}, fmt.Errorf("upserting load balancer %s: %w", spec.Name, err)
	}
	if spec.Region == "" {
		return providers.LoadBalancer{}, providers.Errorf(providers.CodeInvalidSpec, "upserting load balancer %s: no region", spec.Name)
	}
	k := key(spec.Region, spec.Name)
	old := d.lbs[k]
	if old != nil && (spec.Address == "" || spec.Address == old.rec.Address) {
		return d.lbView(old), nil
	}
	rec := lbRecord{Region: spec.Region, Name: spec.Name, Address: spec.Address}
	if old != nil {
		rec.Weights = old.rec.Weights
	}
	b, err := d.openBalancer(rec)
	if err != nil {
		if old != nil {
			d.lbs[k] = old
		}
		return providers.LoadBalancer{}, providers.Errorf(providers.CodeInvalidSpec, "upserting load balancer: %w", err)
	}
	if old != nil {
		old.mu.Lock()
		states := old.states // keep in-flight counts for draining
		old.mu.Unlock()
		b.mu.Lock()
		b.states = states
		b.mu.Unlock()
		d.closeLater(old)
	}
	d.refreshRoutes()
	d.notify(providers.Change{Region: spec.Region, LoadBalancer: spec.Name})
	return d.lbView(b), nil
}

// DeleteLoadBalancer implements providers.LoadBalancerManager.
func (d *Driver) DeleteLoadBalancer(ctx context.Context, account, region, name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkTarget(account, region); err != nil {
		return fmt.Errorf("deleting load balancer %s: %w", name, err)
	}
	b := d.lbs[key(region, name)]
	if b == nil {
		return nil
	}
	if ts := d.lbView(b).Targets; len(ts) > 0 {
		return providers.Errorf(providers.CodeConflict, "deleting load balancer %s: server group %s is attached to it", name, ts[0].ServerGroup)
	}
	delete(d.lbs, key(region, name))
	if err := os.Remove(d.lbFile(region, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("deleting load balancer %s: %w", name, err)
	}
	d.closeLater(b)
	d.notify(providers.Change{Region: region, LoadBalancer: name})
	return nil
}

// SetWeights implements providers.TrafficSplitter. The change applies to
// the next request.
func (d *Driver) SetWeights(ctx context.Context, account, region, loadBalancer string, weights map[string]int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkTarget(account, region); err != nil {
		return fmt.Errorf("setting weights on %s: %w", loadBalancer, err)
	}
	b := d.lbs[key(region, loadBalancer)]
	if b == nil {
		return providers.Errorf(providers.CodeNotFound, "setting weights: load balancer %s/%s not found", region, loadBalancer)
	}
	for name, w := range weights {
		g := d.groups[key(region, name)]
		if g == nil || g.destroying || !slices.Contains(g.rec.Spec.LoadBalancers, loadBalancer) {
			return providers.Errorf(providers.CodeNotFound, "setting weights on %s: server group %s is not attached to it", loadBalancer, name)
		}
		if w < 0 {
			return providers.Errorf(providers.CodeInvalidSpec, "setting weights on %s: negative weight %d for %s", loadBalancer, w, name)
		}
	}
	changed := false
	for name, w := range weights {
		if b.weight(name) != w {
			if b.rec.Weights == nil {
				b.rec.Weights = map[string]int{}
			}
			b.rec.Weights[name] = w
			changed = true
		}
	}
	if !changed {
		return nil
	}
	if err := d.persistLB(b); err != nil {
		return fmt.Errorf("setting weights on %s: %w", loadBalancer, err)
	}
	d.refreshRoutes()
	d.notify(providers.Change{Region: region, LoadBalancer: loadBalancer})
	return nil
}

// closeLater closes b in the background; Close waits for it. Called with
// d.mu held.
func (d *Driver) closeLater(b *balancer) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		b.close()
	}()
}
