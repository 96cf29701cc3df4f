package stages

import (
	"context"
	"errors"
	"time"

	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
)

func init() {
	Register(Type{Name: "resizeServerGroup", Tasks: []Task{task("resizeServerGroup", runResize), task("waitForCapacity", runWaitCapacity)}})
	Register(Type{Name: "enableServerGroup", Tasks: []Task{task("enableServerGroup", groupOp("enabling", providers.Provider.EnableServerGroup)),
		task("waitForUpInstances", runWaitCapacity)}})
	Register(Type{Name: "disableServerGroup", Tasks: []Task{task("disableServerGroup", groupOp("disabling", providers.Provider.DisableServerGroup))}})
	Register(Type{Name: "destroyServerGroup", Tasks: []Task{task("destroyServerGroup", groupOp("destroying", providers.Provider.DestroyServerGroup))}})
	Register(Type{Name: "terminateInstances", Tasks: []Task{task("terminateInstances", runTerminateInstances),
		task("waitForCapacity", runWaitCapacity)}})
	Register(Type{Name: "cloneServerGroup", Tasks: []Task{task("cloneServerGroup", runClone), task("waitForUpInstances", runWaitCapacity)}})
	Register(Type{Name: "disableCluster", Tasks: []Task{task("disableCluster", runDisableCluster)}})
	Register(Type{Name: "scaleDownCluster", Tasks: []Task{task("scaleDownCluster", runScaleDownCluster)}})
	Register(Type{Name: "shrinkCluster", Tasks: []Task{task("shrinkCluster", runShrinkCluster)}})
	Register(Type{Name: "rollbackCluster", Tasks: []Task{task("rollbackCluster", runRollbackCluster), task("waitForUpInstances", runWaitCapacity),
		task("disableCurrent", runDisableRolledBack)}})
	Register(Type{Name: "findImage", Tasks: []Task{task("findImage", runFindImage)}})
}

// targetGroup resolves the stage's server group and records its name, so that later tasks
// and redeliveries act on the same group even after the cluster changed.
func targetGroup(ctx context.Context, c *Context) (clusterRef, providers.ServerGroup, error) {
	r, err := clusterOf(c)
	if err != nil {
		return r, providers.ServerGroup{}, err
	}
	if name := asString(c.State["serverGroupName"]); name != "" {
		g, err := r.prov.ServerGroup(ctx, r.ref(name))
		return r, g, err
	}
	groups, err := r.groups(ctx)
	if err != nil {
		return r, providers.ServerGroup{}, err
	}
	g, err := target(groups, c.Config)
	return r, g, err
}

func groupOp(verb string, op func(providers.Provider, context.Context, providers.ServerGroupRef) error) func(context.Context, *Context) Result {
	return func(ctx context.Context, c *Context) Result {
		r, g, err := targetGroup(ctx, c)
		if err != nil {
			if verb == "destroying" && errors.Is(err, providers.ErrNotFound) {
				return Result{Status: pipeline.Succeeded} // already gone: idempotent
			}
			return Failed("%s server group: %v", verb, err)
		}
		if err := op(r.prov, ctx, r.ref(g.Name)); err != nil && !(verb == "destroying" && errors.Is(err, providers.ErrNotFound)) {
			return Failed("%s %s: %v", verb, g.Name, err)
		}
		c.Services.Refresh(ctx, r.account, c.Application)
		return Result{Status: pipeline.Succeeded, Context: map[string]any{"serverGroupName": g.Name},
			Outputs: map[string]any{"serverGroupName": g.Name}}
	}
}

func runResize(ctx context.Context, c *Context) Result {
	r, g, err := targetGroup(ctx, c)
	if err != nil {
		return Failed("resizing: %v", err)
	}
	capacity, ok := capacityOf(c.Config["capacity"])
	if !ok {
		capacity = g.Capacity
		n, _ := asInt(c.Config["scaleNum"])
		pct, _ := asInt(c.Config["scalePct"])
		delta := int(n)
		if pct > 0 {
			delta = max(1, g.Capacity.Desired*int(pct)/100)
		}
		switch asString(c.Config["action"]) {
		case "scale_up":
			capacity.Desired += delta
		case "scale_down":
			capacity.Desired = max(0, capacity.Desired-delta)
		default:
			return Failed("resizing %s: give capacity, or action scale_up/scale_down with scaleNum or scalePct", g.Name)
		}
		capacity.Min, capacity.Max = min(capacity.Min, capacity.Desired), max(capacity.Max, capacity.Desired)
	}
	if err := capacity.Validate(); err != nil {
		return Failed("resizing %s: %v", g.Name, err)
	}
	if err := r.prov.ResizeServerGroup(ctx, r.ref(g.Name), capacity); err != nil {
		return Failed("resizing %s: %v", g.Name, err)
	}
	c.Services.Refresh(ctx, r.account, c.Application)
	return Result{Status: pipeline.Succeeded, Context: map[string]any{"serverGroupName": g.Name, "desired": capacity.Desired},
		Outputs: map[string]any{"serverGroupName": g.Name, "capacity": map[string]any{"min": capacity.Min, "desired": capacity.Desired, "max": capacity.Max}}}
}

// runTerminateInstances terminates the instances named by instanceIds in the stage's
// server group, which replaces them; the next task waits for it to be back at capacity.
func runTerminateInstances(ctx context.Context, c *Context) Result {
	var ids []string
	for _, v := range asList(c.Config["instanceIds"]) {
		if id := asString(v); id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return Failed("terminating instances: instanceIds names no instance")
	}
	r, g, err := targetGroup(ctx, c)
	if err != nil {
		return Failed("terminating instances: %v", err)
	}
	term, ok := r.prov.(providers.InstanceTerminator)
	if !ok {
		return Failed("terminating instances of %s: the %s provider of account %s cannot terminate single instances", g.Name, r.kind, r.account)
	}
	if err := term.TerminateInstances(ctx, r.ref(g.Name), ids); err != nil {
		return Failed("terminating instances of %s: %v", g.Name, err)
	}
	c.Services.Refresh(ctx, r.account, c.Application)
	return Result{Status: pipeline.Succeeded, Context: map[string]any{"serverGroupName": g.Name},
		Outputs: map[string]any{"serverGroupName": g.Name, "terminatedInstanceIds": anyList(ids)}}
}

// runWaitCapacity waits until the recorded group has its desired instances Up (for up to
// healthTimeoutSec, default 10 minutes); a disabled group's healthy instances count.
func runWaitCapacity(ctx context.Context, c *Context) Result {
	_, g, err := targetGroup(ctx, c)
	if errors.Is(err, providers.ErrNotFound) {
		return Failed("the server group is gone: %v", err)
	}
	if err != nil {
		return Running(time.Second)
	}
	up, why, allFailed := health(g)
	if up >= g.Capacity.Desired {
		return Result{Status: pipeline.Succeeded}
	}
	if allFailed || c.Now.Sub(c.StartedAt) > seconds(c.Config["healthTimeoutSec"], 10*time.Minute) {
		return Failed("%s has %d of %d instances up: %s", g.Name, up, g.Capacity.Desired, why)
	}
	return Running(500 * time.Millisecond)
}

func runClone(ctx context.Context, c *Context) Result {
	r, src, err := targetGroup(ctx, c)
	if err != nil {
		return Failed("cloning: %v", err)
	}
	name := asString(c.State["cloneName"])
	if name == "" {
		groups, err := r.groups(ctx)
		if err != nil {
			return Running(time.Second)
		}
		var used []int
		for i := len(groups) - 1; i >= 0; i-- {
			used = append(used, groups[i].Moniker.Sequence)
		}
		m := src.Moniker
		m.Sequence = providers.NextSequence(used)
		name = m.Name()
		// Recorded first: a redelivered clone creates the same name, which is idempotent.
		return Result{Status: pipeline.Running, RetryAfter: time.Millisecond,
			Context: map[string]any{"cloneName": name, "sequence": m.Sequence, "source": src.Name}}
	}
	m := src.Moniker
	if seq, ok := asInt(c.State["sequence"]); ok {
		m.Sequence = int(seq)
	}
	capacity := src.Capacity
	if cp, ok := capacityOf(c.Config["capacity"]); ok {
		capacity = cp
	}
	art := src.Artifact
	if v := asString(c.Config["artifactVersion"]); v != "" {
		art.Version = v
	}
	g, err := r.prov.CreateServerGroup(ctx, providers.ServerGroupSpec{Account: r.account, Region: r.region, Moniker: m,
		Capacity: capacity, Artifact: art, LoadBalancers: src.LoadBalancers})
	if err != nil {
		return Failed("cloning %s into %s: %v", src.Name, name, err)
	}
	c.Services.Refresh(ctx, r.account, c.Application)
	return Result{Status: pipeline.Succeeded, Context: map[string]any{"serverGroupName": g.Name},
		Outputs: map[string]any{"serverGroupName": g.Name, "source": src.Name}}
}

// eachOld applies op to the cluster's groups after the newest keep of them, when pick says.
func eachOld(ctx context.Context, c *Context, keepKey string, def int64, pick func(providers.ServerGroup) bool,
	verb string, op func(clusterRef, providers.ServerGroup) error) Result {
	r, err := clusterOf(c)
	if err != nil {
		return Failed("%s: %v", verb, err)
	}
	groups, err := r.groups(ctx)
	if err != nil {
		return Running(time.Second)
	}
	keep, ok := asInt(c.Config[keepKey])
	if !ok {
		keep = def
	}
	var done []any
	for i, g := range groups {
		if int64(i) < keep || !pick(g) {
			continue
		}
		if err := op(r, g); err != nil && !errors.Is(err, providers.ErrNotFound) {
			return Failed("%s %s: %v", verb, g.Name, err)
		}
		done = append(done, g.Name)
	}
	c.Services.Refresh(ctx, r.account, c.Application)
	return Succeeded(map[string]any{"serverGroups": done})
}

func runDisableCluster(ctx context.Context, c *Context) Result {
	return eachOld(ctx, c, "remainingEnabledServerGroups", 1, func(g providers.ServerGroup) bool { return g.Enabled },
		"disabling", func(r clusterRef, g providers.ServerGroup) error {
			return r.prov.DisableServerGroup(ctx, r.ref(g.Name))
		})
}

func runScaleDownCluster(ctx context.Context, c *Context) Result {
	active := asBool(c.Config["allowScaleDownActive"], false)
	return eachOld(ctx, c, "remainingFullSizeServerGroups", 1, func(g providers.ServerGroup) bool {
		return g.Capacity.Desired > 0 && (active || !g.Enabled)
	}, "scaling down", func(r clusterRef, g providers.ServerGroup) error {
		return r.prov.ResizeServerGroup(ctx, r.ref(g.Name), providers.Capacity{})
	})
}

func runShrinkCluster(ctx context.Context, c *Context) Result {
	active := asBool(c.Config["allowDeleteActive"], false)
	return eachOld(ctx, c, "shrinkToSize", 1, func(g providers.ServerGroup) bool { return active || !g.Enabled },
		"destroying", func(r clusterRef, g providers.ServerGroup) error {
			return r.prov.DestroyServerGroup(ctx, r.ref(g.Name))
		})
}

// runRollbackCluster enables the server group before the current one (restoring its capacity
// when it was scaled down, and its weight to providers.DefaultWeight on a TrafficSplitter);
// the next tasks wait for it to be healthy, then disable the current.
func runRollbackCluster(ctx context.Context, c *Context) Result {
	r, err := clusterOf(c)
	if err != nil {
		return Failed("rolling back: %v", err)
	}
	if asString(c.State["serverGroupName"]) != "" {
		return Result{Status: pipeline.Succeeded}
	}
	groups, err := r.groups(ctx)
	if err != nil {
		return Running(time.Second)
	}
	current, err := target(groups, map[string]any{"target": targetCurrent})
	if err != nil || !current.Enabled {
		return Failed("rolling back %s: no enabled server group to roll back from", r.cluster)
	}
	var previous *providers.ServerGroup
	for i := range groups {
		if groups[i].CreatedAt.Before(current.CreatedAt) {
			previous = &groups[i]
			break
		}
	}
	if previous == nil {
		return Failed("rolling back %s: %s is the only server group; there is nothing to roll back to", r.cluster, current.Name)
	}
	if previous.Capacity.Desired < current.Capacity.Desired {
		if err := r.prov.ResizeServerGroup(ctx, r.ref(previous.Name), current.Capacity); err != nil {
			return Failed("restoring the capacity of %s: %v", previous.Name, err)
		}
	}
	// Drivers forget a disabled group's weights, but one disabled before they did may still
	// hold the 0 a rolling deploy gave it: the group rolled back to must take traffic.
	if ts, ok := r.prov.(providers.TrafficSplitter); ok {
		for _, lb := range previous.LoadBalancers {
			err := ts.SetWeights(ctx, r.account, r.region, lb, map[string]int{previous.Name: providers.DefaultWeight})
			if err != nil && !errors.Is(err, providers.ErrNotFound) {
				return Failed("restoring the weight of %s on %s: %v", previous.Name, lb, err)
			}
		}
	}
	if err := r.prov.EnableServerGroup(ctx, r.ref(previous.Name)); err != nil {
		return Failed("enabling %s: %v", previous.Name, err)
	}
	c.Services.Refresh(ctx, r.account, c.Application)
	return Result{Status: pipeline.Succeeded, Context: map[string]any{"serverGroupName": previous.Name, "rollbackFrom": current.Name},
		Outputs: map[string]any{"rollbackTo": previous.Name, "rollbackFrom": current.Name}}
}

func runDisableRolledBack(ctx context.Context, c *Context) Result {
	r, err := clusterOf(c)
	if err != nil {
		return Failed("rolling back: %v", err)
	}
	from := asString(c.State["rollbackFrom"])
	if err := r.prov.DisableServerGroup(ctx, r.ref(from)); err != nil && !errors.Is(err, providers.ErrNotFound) {
		return Failed("disabling %s: %v", from, err)
	}
	c.Services.Refresh(ctx, r.account, c.Application)
	return Succeeded(map[string]any{"disabledServerGroup": from})
}

// runFindImage outputs the artifact running in a cluster, for promotion between
// environments: NEWEST (default), OLDEST, LARGEST, or FAIL when the groups disagree.
func runFindImage(ctx context.Context, c *Context) Result {
	r, err := clusterOf(c)
	if err != nil {
		return Failed("finding the image: %v", err)
	}
	groups, err := r.groups(ctx)
	if err != nil {
		return Running(time.Second)
	}
	if len(groups) == 0 {
		return Failed("cluster %s has no server group in %s", r.cluster, r.region)
	}
	pick := groups[0]
	switch asString(c.Config["selectionStrategy"]) {
	case "OLDEST":
		pick = groups[len(groups)-1]
	case "LARGEST":
		for _, g := range groups {
			if g.Capacity.Desired > pick.Capacity.Desired {
				pick = g
			}
		}
	case "FAIL":
		for _, g := range groups {
			if g.Artifact.Reference != pick.Artifact.Reference || g.Artifact.Version != pick.Artifact.Version {
				return Failed("cluster %s runs more than one artifact (%s@%s, %s@%s)", r.cluster,
					pick.Artifact.Reference, pick.Artifact.Version, g.Artifact.Reference, g.Artifact.Version)
			}
		}
	}
	art := map[string]any{"type": pick.Artifact.Type, "reference": pick.Artifact.Reference, "version": pick.Artifact.Version,
		"metadata": pick.Artifact.Metadata}
	return Succeeded(map[string]any{"artifact": art, "serverGroupName": pick.Name,
		"deploymentDetails": []any{map[string]any{"region": r.region, "artifact": art}}})
}
