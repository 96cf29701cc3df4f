package local

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// ServerGroups implements providers.Provider.
func (d *Driver) ServerGroups(ctx context.Context, account, app string) ([]providers.ServerGroup, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkTarget(account, ""); err != nil {
		return nil, fmt.Errorf("listing server groups: %w", err)
	}
	out := []providers.ServerGroup{}
	for _, g := range d.groups {
		if g.rec.Spec.Moniker.App == app && !g.destroying {
			out = append(out, d.view(g))
		}
	}
	slices.SortFunc(out, func(a, b providers.ServerGroup) int {
		return strings.Compare(key(a.Region, a.Name), key(b.Region, b.Name))
	})
	return out, nil
}

// ServerGroup implements providers.Provider.
func (d *Driver) ServerGroup(ctx context.Context, ref providers.ServerGroupRef) (providers.ServerGroup, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	g, err := d.lookup(ref)
	if err != nil {
		return providers.ServerGroup{}, fmt.Errorf("reading server group: %w", err)
	}
	return d.view(g), nil
}

// lookup returns the group ref names, or an error that says why not.
// Called with d.mu held.
func (d *Driver) lookup(ref providers.ServerGroupRef) (*group, error) {
	if err := d.checkTarget(ref.Account, ref.Region); err != nil {
		return nil, err
	}
	g := d.groups[key(ref.Region, ref.Name)]
	if g == nil || g.destroying {
		return nil, providers.Errorf(providers.CodeNotFound, "server group %s not found", ref)
	}
	return g, nil
}

// CreateServerGroup implements providers.Provider. The load balancers the
// spec names are created when missing, listening on the address given with
// WithLoadBalancerAddress or a free port. It returns an ErrUnsupported error
// for an artifact that is not "exec", and an ErrInvalidSpec error for an
// artifact without a command.
func (d *Driver) CreateServerGroup(ctx context.Context, spec providers.ServerGroupSpec) (providers.ServerGroup, error) {
	if err := spec.Moniker.Validate(); err != nil {
		return providers.ServerGroup{}, fmt.Errorf("creating server group: %w", err)
	}
	if err := spec.Capacity.Validate(); err != nil {
		return providers.ServerGroup{}, fmt.Errorf("creating server group %s: %w", spec.Moniker.Name(), err)
	}
	exec, err := DecodeArtifact(spec.Artifact)
	if err != nil {
		return providers.ServerGroup{}, fmt.Errorf("creating server group %s: %w", spec.Moniker.Name(), err)
	}
	for _, lb := range spec.LoadBalancers {
		if err := validLBName(lb); err != nil {
			return providers.ServerGroup{}, fmt.Errorf("creating server group %s: %w", spec.Moniker.Name(), err)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkTarget(spec.Account, spec.Region); err != nil {
		return providers.ServerGroup{}, fmt.Errorf("creating server group %s: %w", spec.Moniker.Name(), err)
	}
	if spec.Region == "" {
		return providers.ServerGroup{}, providers.Errorf(providers.CodeInvalidSpec, "creating server group %s: no region", spec.Moniker.Name())
	}
	k := key(spec.Region, spec.Moniker.Name())
	if g := d.groups[k]; g != nil {
		switch {
		case g.destroying:
			return providers.ServerGroup{}, providers.Errorf(providers.CodeConflict, "creating server group %s: it is being destroyed", k)
		case !reflect.DeepEqual(g.exec, exec) || g.rec.Spec.Artifact.Version != spec.Artifact.Version:
			return providers.ServerGroup{}, providers.Errorf(providers.CodeConflict, "creating server group %s: it exists with another artifact (%s)", k, g.rec.Spec.Artifact.Version)
		}
		return d.view(g), nil
	}
	for _, lb := range spec.LoadBalancers {
		if d.lbs[key(spec.Region, lb)] != nil {
			continue
		}
		if _, err := d.openBalancer(lbRecord{Version: stateVersion, Region: spec.Region, Name: lb, Address: d.opts.lbAddresses[lb]}); err != nil {
			return providers.ServerGroup{}, fmt.Errorf("creating server group %s: %w", spec.Moniker.Name(), err)
		}
	}
	spec.LoadBalancers = slices.Clone(spec.LoadBalancers)
	g := newGroup(groupRecord{Version: stateVersion, Spec: spec, Enabled: !spec.Disabled, CreatedAt: time.Now().UTC()}, exec)
	// Written before any process starts, so a crash leaves nothing unknown.
	if err := d.persist(g); err != nil {
		return providers.ServerGroup{}, fmt.Errorf("creating server group %s: %w", spec.Moniker.Name(), err)
	}
	d.groups[k] = g
	d.startSupervisor(g)
	d.reconcile(g)
	d.groupChanged(g)
	d.log.Info("created server group", "server_group", g.name(), "region", g.region(), "capacity", spec.Capacity, "version", spec.Artifact.Version)
	return d.view(g), nil
}

// ResizeServerGroup implements providers.Provider.
func (d *Driver) ResizeServerGroup(ctx context.Context, ref providers.ServerGroupRef, capacity providers.Capacity) error {
	if err := capacity.Validate(); err != nil {
		return fmt.Errorf("resizing server group %s: %w", ref, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	g, err := d.lookup(ref)
	if err != nil {
		return fmt.Errorf("resizing server group: %w", err)
	}
	if g.rec.Spec.Capacity == capacity {
		return nil
	}
	g.rec.Spec.Capacity = capacity
	if err := d.persist(g); err != nil {
		return fmt.Errorf("resizing server group %s: %w", ref, err)
	}
	d.reconcile(g)
	d.groupChanged(g)
	return nil
}

// EnableServerGroup implements providers.Provider.
func (d *Driver) EnableServerGroup(ctx context.Context, ref providers.ServerGroupRef) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	g, err := d.lookup(ref)
	if err != nil {
		return fmt.Errorf("enabling server group: %w", err)
	}
	if g.rec.Enabled {
		return nil
	}
	g.rec.Enabled = true
	d.groupChanged(g)
	return nil
}

// DisableServerGroup implements providers.Provider: the group leaves the
// routes, and its weights on its load balancers are forgotten (enabled
// again, it serves at providers.DefaultWeight). The drain timeout is set
// with WithDrainTimeout.
func (d *Driver) DisableServerGroup(ctx context.Context, ref providers.ServerGroupRef) error {
	d.mu.Lock()
	g, err := d.lookup(ref)
	if err != nil {
		d.mu.Unlock()
		return fmt.Errorf("disabling server group: %w", err)
	}
	if g.rec.Enabled {
		g.rec.Enabled = false
		d.groupChanged(g)
	}
	lbs := d.balancersOf(g)
	// After the group left the routes, so that the reset weight never serves.
	for _, b := range lbs {
		if _, ok := b.rec.Weights[g.name()]; ok {
			delete(b.rec.Weights, g.name())
			if err := d.persistLB(b); err != nil {
				d.mu.Unlock()
				return fmt.Errorf("disabling server group %s: %w", ref, err)
			}
		}
	}
	d.mu.Unlock()
	// Also when it was disabled already: a redelivered disable must not
	// return before the first one's drain would have.
	if err := d.drain(ctx, g.name(), lbs); err != nil {
		return fmt.Errorf("disabling server group %s: %w", ref, err)
	}
	return nil
}

// DestroyServerGroup implements providers.Provider. It takes the group out
// of rotation, waits for its in-flight requests (up to the drain timeout),
// stops its instances (SIGTERM, then SIGKILL after the stop grace), waits
// for them to end within ctx and deletes the group's state and logs.
func (d *Driver) DestroyServerGroup(ctx context.Context, ref providers.ServerGroupRef) error {
	d.mu.Lock()
	if err := d.checkTarget(ref.Account, ref.Region); err != nil {
		d.mu.Unlock()
		return fmt.Errorf("destroying server group: %w", err)
	}
	g := d.groups[key(ref.Region, ref.Name)]
	if g == nil {
		d.mu.Unlock()
		return nil
	}
	if !g.destroying {
		// The record stays on disk until the processes are gone: a crash in
		// between adopts them, and the redelivered destroy finishes the job.
		g.destroying = true
		close(g.stop)
		d.refreshRoutes()
	}
	lbs := d.balancersOf(g)
	d.mu.Unlock()
	if err := d.drain(ctx, g.name(), lbs); err != nil {
		return fmt.Errorf("destroying server group %s: %w", ref, err)
	}
	d.mu.Lock()
	var gones []chan struct{}
	for _, in := range g.instances {
		// Idempotent: a retried destroy whose first call ended during the
		// drain still stops every instance, and no instance twice.
		d.stopInstance(g, in)
		gones = append(gones, in.gone)
	}
	d.mu.Unlock()
	for _, gone := range gones {
		select {
		case <-gone:
		case <-ctx.Done():
			return fmt.Errorf("destroying server group %s: waiting for instances to stop: %w", ref, ctx.Err())
		case <-d.ctx.Done():
			return fmt.Errorf("destroying server group %s: driver closed", ref)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	k := key(ref.Region, ref.Name)
	if d.groups[k] != g {
		return nil // a concurrent destroy finished first
	}
	if err := removeAll(d.groupDir(ref.Region, ref.Name)); err != nil {
		return fmt.Errorf("destroying server group %s: %w", ref, err)
	}
	_ = os.Remove(d.groupDirParent(ref.Region)) // only when empty
	delete(d.groups, k)
	for _, b := range lbs {
		b.forget(g.name())
		if _, ok := b.rec.Weights[g.name()]; ok {
			delete(b.rec.Weights, g.name())
			d.persistLB(b)
		}
	}
	d.refreshRoutes()
	d.notify(providers.Change{Region: ref.Region, ServerGroup: ref.Name})
	d.log.Info("destroyed server group", "server_group", ref.Name, "region", ref.Region)
	return nil
}

// TerminateInstances implements providers.InstanceTerminator: each named
// instance is taken out of rotation and stopped, and the group launches a
// replacement at once (terminating is not a crash: no back-off).
func (d *Driver) TerminateInstances(ctx context.Context, ref providers.ServerGroupRef, ids []string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	g, err := d.lookup(ref)
	if err != nil {
		return fmt.Errorf("terminating instances: %w", err)
	}
	for _, in := range g.instances {
		if slices.Contains(ids, in.rec.ID) {
			d.stopInstance(g, in)
		}
	}
	d.reconcile(g)
	return nil
}
