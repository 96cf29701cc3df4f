package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/store"
)

// cachingAgent copies what providers report into the store, so that queries never wait on a
// provider: every account and application on an interval, at once after an operation, and
// on a driver's change notices. Every server group that changed is published as an event
// for clusterUpdated subscribers, every load balancer that changed for loadBalancerUpdated
// ones.
type cachingAgent struct {
	e       *Engine
	mu      sync.Mutex
	pending map[string]bool // "account/app" to read soon; "account/" for the whole account
	wake    chan struct{}
}

func newCachingAgent(e *Engine) *cachingAgent {
	return &cachingAgent{e: e, pending: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// request asks for an account (and application, or "" for all) to be read soon.
func (c *cachingAgent) request(account, app string) {
	c.mu.Lock()
	c.pending[account+"/"+app] = true
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *cachingAgent) run(ctx context.Context) {
	reg := c.e.cfg.Providers
	for _, a := range reg.Accounts() {
		p, err := reg.Provider(a.Name)
		if err != nil {
			continue
		}
		if w, ok := p.(providers.Watcher); ok {
			go func(account string, ch <-chan providers.Change) {
				for range ch {
					c.request(account, "")
				}
			}(a.Name, w.Watch(ctx))
		}
	}
	tick := time.NewTicker(c.e.cfg.CacheInterval)
	defer tick.Stop()
	c.refreshAll(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			c.refreshAll(ctx)
		case <-c.wake:
			c.mu.Lock()
			keys := c.pending
			c.pending = map[string]bool{}
			c.mu.Unlock()
			for k := range keys {
				account, app := splitKey(k)
				if app == "" {
					c.refreshAccount(ctx, account)
				} else {
					_ = c.Refresh(ctx, account, app)
				}
			}
		}
	}
}

func splitKey(k string) (string, string) {
	for i := 0; i < len(k); i++ {
		if k[i] == '/' {
			return k[:i], k[i+1:]
		}
	}
	return k, ""
}

func (c *cachingAgent) refreshAll(ctx context.Context) {
	for _, a := range c.e.cfg.Providers.Accounts() {
		c.refreshAccount(ctx, a.Name)
	}
}

// refreshAccount reads every application of an account; a failure is recorded on the
// account (visible in the API) and does not stop the other accounts.
func (c *cachingAgent) refreshAccount(ctx context.Context, account string) {
	apps, _, _, err := c.e.cfg.Store.ListApplications(ctx, store.ApplicationFilter{}, store.Page{First: 10000})
	if err != nil {
		return
	}
	var firstErr error
	for _, a := range apps {
		if err := c.Refresh(ctx, account, a.Name); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	msg := ""
	if firstErr != nil {
		msg = firstErr.Error()
		c.e.log.Warn("caching agent: reading an account failed", "account", account, "error", firstErr)
	}
	_ = c.e.cfg.Store.SetAccountError(ctx, account, msg)
}

// Refresh reads one application's server groups and load balancers in one account now.
func (c *cachingAgent) Refresh(ctx context.Context, account, app string) error {
	p, err := c.e.cfg.Providers.Provider(account)
	if err != nil {
		return err
	}
	return c.refreshWith(ctx, p, account, app)
}

func (c *cachingAgent) refreshWith(ctx context.Context, p providers.Provider, account, app string) error {
	groups, err := p.ServerGroups(ctx, account, app)
	failed := failedRegions(err)
	if err != nil && failed == nil {
		return fmt.Errorf("reading server groups of %s in %s: %w", app, account, err)
	}
	// With some regions failed, what the others reported is still cached; the failed
	// regions' groups are left as they were, not taken as gone.
	partial := err
	seen := map[string]bool{}
	for _, g := range groups {
		saved, changed, err := c.e.cfg.Store.UpsertServerGroup(ctx, stateOf(app, g))
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil // the application is gone
			}
			return fmt.Errorf("caching %s: %w", g.Name, err)
		}
		seen[saved.ID] = true
		if changed {
			c.publish(app, saved, false)
		}
	}
	stored, err := c.e.cfg.Store.ServerGroupsOf(ctx, account, app)
	if err != nil {
		return err
	}
	for _, g := range stored {
		if !seen[g.ID] && !failed[g.Region] {
			if err := c.e.cfg.Store.DeleteServerGroup(ctx, g.ID); err != nil {
				return err
			}
			g.Version++
			c.publish(app, g, true)
		}
	}
	lbErr := c.refreshLoadBalancers(ctx, p, account, app)
	if partial != nil {
		return errors.Join(fmt.Errorf("reading %s in %s: %w", app, account, partial), lbErr)
	}
	return lbErr
}

// refreshLoadBalancers caches what the provider reports of an application's load balancers
// in one account, publishes each that changed, and removes (and publishes as deleted) those
// it no longer reports, except in regions it could not read.
func (c *cachingAgent) refreshLoadBalancers(ctx context.Context, p providers.Provider, account, app string) error {
	lbs, err := p.LoadBalancers(ctx, account, app)
	failed := failedRegions(err)
	if err != nil && failed == nil {
		return fmt.Errorf("reading load balancers of %s in %s: %w", app, account, err)
	}
	partial := err
	seen := map[string]bool{}
	for _, lb := range lbs {
		row := store.LoadBalancer{Account: account, Region: lb.Region, Name: lb.Name, Address: lb.Address}
		for _, t := range lb.Targets {
			row.Targets = append(row.Targets, store.Target{ServerGroup: t.ServerGroup, Weight: t.Weight})
		}
		saved, changed, err := c.e.cfg.Store.UpsertLoadBalancer(ctx, app, row)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil // the application is gone
			}
			return fmt.Errorf("caching load balancer %s: %w", lb.Name, err)
		}
		seen[saved.ID] = true
		if changed {
			c.publishLoadBalancer(app, saved, false)
		}
	}
	stored, err := c.e.cfg.Store.LoadBalancersOf(ctx, account, app)
	if err != nil {
		return fmt.Errorf("listing cached load balancers of %s in %s: %w", app, account, err)
	}
	for _, lb := range stored {
		if !seen[lb.ID] && !failed[lb.Region] {
			if err := c.e.cfg.Store.DeleteLoadBalancer(ctx, lb.ID); err != nil {
				return fmt.Errorf("removing load balancer %s: %w", lb.Name, err)
			}
			lb.Version++
			c.publishLoadBalancer(app, lb, true)
		}
	}
	if partial != nil {
		return fmt.Errorf("reading load balancers of %s in %s: %w", app, account, partial)
	}
	return nil
}

// failedRegions returns the regions a driver could not read when it says so with an error
// that has a FailedRegions() method (the aws driver's *RegionsError), else nil.
func failedRegions(err error) map[string]bool {
	var re interface{ FailedRegions() []string }
	if err == nil || !errors.As(err, &re) {
		return nil
	}
	out := map[string]bool{}
	for _, r := range re.FailedRegions() {
		out[r] = true
	}
	return out
}

// publishLoadBalancer tells loadBalancerUpdated subscribers of a changed or removed load
// balancer. The event carries the whole row: targets and weights are what they show.
func (c *cachingAgent) publishLoadBalancer(app string, lb store.LoadBalancer, deleted bool) {
	b, _ := json.Marshal(lb)
	_ = c.e.cfg.Bus.Publish(bus.Event{Kind: bus.LoadBalancerChanged, Application: app, ID: lb.ID,
		Version: lb.Version, Deleted: deleted, Object: b})
}

func (c *cachingAgent) publish(app string, g store.ServerGroup, deleted bool) {
	g.ProviderState = nil
	b, _ := json.Marshal(g)
	_ = c.e.cfg.Bus.Publish(bus.Event{Kind: bus.ServerGroupChanged, Application: app, ID: g.ID,
		Version: g.Version, Deleted: deleted, Object: b})
}

// stateOf converts what a provider reports into the store's form.
func stateOf(app string, g providers.ServerGroup) store.ServerGroupState {
	seq := g.Moniker.Sequence
	art := store.JSONMap{"type": g.Artifact.Type, "reference": g.Artifact.Reference, "version": g.Artifact.Version}
	if g.Artifact.Metadata != nil {
		art["metadata"] = g.Artifact.Metadata
	}
	st := store.ServerGroupState{Application: app, Account: g.Account, Region: g.Region, Cluster: g.Moniker.Cluster(),
		Stack: g.Moniker.Stack, Detail: g.Moniker.Detail,
		Group: store.ServerGroup{Name: g.Name, Sequence: &seq, CapacityMin: g.Capacity.Min,
			CapacityDesired: g.Capacity.Desired, CapacityMax: g.Capacity.Max, Artifact: art, Enabled: g.Enabled,
			LoadBalancers: g.LoadBalancers, ProviderState: g.State, CreatedAt: g.CreatedAt.UTC()}}
	for _, i := range g.Instances {
		st.Instances = append(st.Instances, store.Instance{InstanceID: i.ID, Health: healthOf(i.Health),
			HealthDetail: i.HealthDetail, Zone: i.Zone, Address: i.Address, LaunchedAt: i.LaunchedAt.UTC()})
	}
	return st
}

// healthOf maps a provider's health to the API's enum (UP, OUT_OF_SERVICE …).
func healthOf(h providers.HealthState) string {
	switch h {
	case providers.Up:
		return "UP"
	case providers.Down:
		return "DOWN"
	case providers.Starting:
		return "STARTING"
	case providers.OutOfService:
		return "OUT_OF_SERVICE"
	case providers.Failed:
		return "FAILED"
	case providers.Succeeded:
		return "SUCCEEDED"
	case providers.Draining:
		return "DRAINING"
	}
	return "UNKNOWN"
}

// RefreshWith reads one application through the given provider (tests of the caching agent
// wrap a real driver with it).
func (e *Engine) RefreshWith(ctx context.Context, p providers.Provider, account, app string) error {
	return e.cache.refreshWith(ctx, p, account, app)
}

// Refresh reads one application in one account into the store now (the caching agent does
// it on its own every CacheInterval).
func (e *Engine) Refresh(ctx context.Context, account, app string) error {
	if e.cfg.Providers == nil {
		return nil
	}
	return e.cache.Refresh(ctx, account, app)
}
