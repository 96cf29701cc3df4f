package stages

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
)

func init() {
	Register(Type{Name: "deploy", Tasks: []Task{
		task("determineServerGroupName", runDetermineName),
		task("createServerGroup", runCreateServerGroup),
		task("waitForUpInstances", runWaitForUp),
		task("applyStrategy", runStrategy),
	}})
}

// deploySpec is a deploy stage's config, read once per task run.
type deploySpec struct {
	clusterRef
	moniker   providers.Moniker
	capacity  providers.Capacity
	artifact  providers.Artifact
	lbs       []string
	strategy  string
	rollback  bool
	healthFor time.Duration
}

func deployOf(c *Context) (deploySpec, error) {
	var d deploySpec
	m := providers.Moniker{App: c.Application, Stack: asString(c.Config["stack"]), Detail: asString(c.Config["freeFormDetails"])}
	c.Config["cluster"] = m.Cluster()
	r, err := clusterOf(c)
	if err != nil {
		return d, err
	}
	d.clusterRef, d.moniker = r, m
	var ok bool
	if d.capacity, ok = capacityOf(c.Config["capacity"]); !ok {
		return d, fmt.Errorf("the deploy has no capacity")
	}
	if err := d.capacity.Validate(); err != nil {
		return d, err
	}
	b, _ := json.Marshal(c.Config["artifact"])
	if err := json.Unmarshal(b, &d.artifact); err != nil || d.artifact.Type == "" {
		return d, fmt.Errorf("the deploy's artifact is not {type, reference, version, metadata}")
	}
	if list, ok := c.Config["loadBalancers"].([]any); ok {
		for _, l := range list {
			d.lbs = append(d.lbs, asString(l))
		}
	}
	d.strategy = asString(c.Config["strategy"])
	if rb, ok := c.Config["rollback"].(map[string]any); ok {
		d.rollback = asBool(rb["onFailure"], false)
	}
	d.healthFor = seconds(c.Config["healthTimeoutSec"], 10*time.Minute)
	return d, nil
}

// runDetermineName picks the new server group's name (next free -vNNN) and records it, with
// the groups serving before the deploy, before anything is created: a redelivered create
// then reuses the name, and the provider's idempotent create returns the same group.
func runDetermineName(ctx context.Context, c *Context) Result {
	if asString(c.State["serverGroupName"]) != "" {
		return Result{Status: pipeline.Succeeded}
	}
	d, err := deployOf(c)
	if err != nil {
		return Failed("deploy: %v", err)
	}
	groups, err := d.groups(ctx)
	if err != nil {
		return Running(2 * time.Second)
	}
	var used []int
	var enabled []providers.ServerGroup
	for i := len(groups) - 1; i >= 0; i-- { // oldest first, as NextSequence wants
		used = append(used, groups[i].Moniker.Sequence)
	}
	for _, g := range groups {
		if g.Enabled {
			enabled = append(enabled, g)
		}
	}
	seq := providers.NextSequence(used)
	if seq < 0 {
		return Failed("cluster %s uses all 1000 sequence numbers; shrink it first", d.cluster)
	}
	m := d.moniker
	m.Sequence = seq
	return Result{Status: pipeline.Succeeded,
		Context: map[string]any{"serverGroupName": m.Name(), "sequence": seq, "region": d.region, "cluster": d.cluster, "oldGroups": names(enabled)},
		Outputs: map[string]any{"serverGroupName": m.Name(), "cluster": d.cluster, "region": d.region, "account": d.account}}
}

func runCreateServerGroup(ctx context.Context, c *Context) Result {
	d, err := deployOf(c)
	if err != nil {
		return Failed("deploy: %v", err)
	}
	m := d.moniker
	seq, _ := asInt(c.State["sequence"])
	m.Sequence = int(seq)
	capacity := d.capacity
	if d.strategy == "rollingredblack" {
		capacity = providers.Capacity{Min: 0, Desired: 0, Max: d.capacity.Max} // grown step by step
	}
	spec := providers.ServerGroupSpec{Account: d.account, Region: d.region, Moniker: m, Capacity: capacity,
		Artifact: d.artifact, LoadBalancers: d.lbs, Disabled: d.strategy == "rollingredblack",
		Tags: map[string]string{"gennaker.execution": c.ExecutionID, "gennaker.stage": c.StageID}}
	g, err := d.prov.CreateServerGroup(ctx, spec)
	if err != nil {
		return Failed("creating server group %s: %v", m.Name(), err)
	}
	c.Services.Refresh(ctx, d.account, c.Application)
	return Result{Status: pipeline.Succeeded, Outputs: map[string]any{
		"deploy.server.groups": map[string]any{d.region: []any{g.Name}},
		"deployedServerGroup":  g.Name, "artifact": map[string]any{"type": d.artifact.Type, "reference": d.artifact.Reference,
			"version": d.artifact.Version, "metadata": d.artifact.Metadata}}}
}

// runWaitForUp waits until the new group has its desired instances Up. A group whose every
// instance failed, or that is not healthy within healthTimeoutSec, fails the deploy with
// why — and with rollback.onFailure, the new group is destroyed and the old ones serve.
func runWaitForUp(ctx context.Context, c *Context) Result {
	d, err := deployOf(c)
	if err != nil {
		return Failed("deploy: %v", err)
	}
	name := asString(c.State["serverGroupName"])
	want := d.capacity.Desired
	if d.strategy == "rollingredblack" {
		return Result{Status: pipeline.Succeeded} // each step waits for its own share
	}
	g, err := d.prov.ServerGroup(ctx, d.ref(name))
	if err != nil {
		return Running(time.Second)
	}
	up, why, allFailed := health(g)
	if up >= want {
		return Result{Status: pipeline.Succeeded}
	}
	timedOut := c.Now.Sub(c.StartedAt) > d.healthFor
	if !allFailed && !timedOut {
		return Running(500 * time.Millisecond)
	}
	msg := fmt.Sprintf("server group %s has %d of %d instances up", name, up, want)
	if allFailed {
		msg = fmt.Sprintf("every instance of %s failed", name)
	} else {
		msg += fmt.Sprintf(" after %s", d.healthFor)
	}
	if why != "" {
		msg += ": " + why
	}
	return failDeploy(ctx, c, d, msg)
}

// failDeploy ends a deploy TERMINAL; with rollback.onFailure it first destroys the new
// server group and re-enables the groups that served before.
func failDeploy(ctx context.Context, c *Context, d deploySpec, msg string) Result {
	if !d.rollback {
		return Failed("%s", msg)
	}
	name := asString(c.State["serverGroupName"])
	for _, o := range asList(c.State["oldGroups"]) {
		if err := d.prov.EnableServerGroup(ctx, d.ref(asString(o))); err != nil {
			return Failed("%s; rolling back: enabling %s: %v", msg, asString(o), err)
		}
	}
	if err := d.prov.DestroyServerGroup(ctx, d.ref(name)); err != nil {
		return Failed("%s; rolling back: destroying %s: %v", msg, name, err)
	}
	c.Services.Refresh(ctx, d.account, c.Application)
	r := Failed("%s; rolled back: destroyed %s, %v serving", msg, name, asList(c.State["oldGroups"]))
	r.Outputs = map[string]any{"rolledBack": true}
	return r
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// runStrategy moves traffic and cleans up, as a state machine across runs: each run does one
// idempotent step, records it, and asks to run again.
func runStrategy(ctx context.Context, c *Context) Result {
	d, err := deployOf(c)
	if err != nil {
		return Failed("deploy: %v", err)
	}
	switch d.strategy {
	case "", "none":
		return Result{Status: pipeline.Succeeded}
	case "redblack":
		return redBlack(ctx, c, d)
	case "highlander":
		return highlander(ctx, c, d)
	case "rollingredblack":
		return rollingRedBlack(ctx, c, d)
	}
	return Failed("unknown strategy %q", d.strategy)
}

func oldGroups(c *Context) []string {
	var out []string
	for _, o := range asList(c.State["oldGroups"]) {
		out = append(out, asString(o))
	}
	return out
}

// redBlack: after delayBeforeDisableSec, disable every old group (the load balancer drains
// them); with scaleDown, after delayBeforeScaleDownSec scale them to 0; then keep at most
// maxRemainingAsgs groups.
func redBlack(ctx context.Context, c *Context, d deploySpec) Result {
	since := stateTime(c, "strategyStartedAt", c.Now)
	state := map[string]any{"strategyStartedAt": since.Format(time.RFC3339Nano)}
	if wait := seconds(c.Config["delayBeforeDisableSec"], 0) - c.Now.Sub(since); wait > 0 {
		return withState(Running(wait), state)
	}
	for _, o := range oldGroups(c) {
		if err := d.prov.DisableServerGroup(ctx, d.ref(o)); err != nil && !errors.Is(err, providers.ErrNotFound) {
			return failDeploy(ctx, c, d, fmt.Sprintf("disabling %s: %v", o, err))
		}
	}
	if asBool(c.Config["scaleDown"], false) {
		if wait := seconds(c.Config["delayBeforeScaleDownSec"], 0) - c.Now.Sub(since); wait > 0 {
			c.Services.Refresh(ctx, d.account, c.Application)
			return withState(Running(wait), state)
		}
		for _, o := range oldGroups(c) {
			if err := d.prov.ResizeServerGroup(ctx, d.ref(o), providers.Capacity{}); err != nil && !errors.Is(err, providers.ErrNotFound) {
				return Failed("scaling down %s: %v", o, err)
			}
		}
	}
	if r := shrinkTo(ctx, c, d, c.Config["maxRemainingAsgs"]); r.Status != "" {
		return r
	}
	c.Services.Refresh(ctx, d.account, c.Application)
	return Result{Status: pipeline.Succeeded, Context: state, Outputs: map[string]any{"disabledServerGroups": anyList(oldGroups(c))}}
}

// highlander: destroy every other group of the cluster.
func highlander(ctx context.Context, c *Context, d deploySpec) Result {
	if r := shrinkTo(ctx, c, d, 1); r.Status != "" {
		return r
	}
	c.Services.Refresh(ctx, d.account, c.Application)
	return Result{Status: pipeline.Succeeded}
}

// shrinkTo destroys the oldest groups beyond keep (never the new one); a zero Result means
// done.
func shrinkTo(ctx context.Context, c *Context, d deploySpec, keepV any) Result {
	keep, ok := asInt(keepV)
	if !ok || keep <= 0 {
		return Result{}
	}
	groups, err := d.groups(ctx)
	if err != nil {
		return Running(time.Second)
	}
	name := asString(c.State["serverGroupName"])
	others := int64(0) // groups kept besides the new one, newest first
	for _, g := range groups {
		if g.Name == name {
			continue
		}
		if others++; others < keep {
			continue
		}
		if err := d.prov.DestroyServerGroup(ctx, d.ref(g.Name)); err != nil && !errors.Is(err, providers.ErrNotFound) {
			return Failed("destroying %s: %v", g.Name, err)
		}
	}
	return Result{}
}

// rollingRedBlack grows the new group through targetPercentages (100 appended), moving the
// same share of traffic to it at each step once its instances are up, with an optional
// pause or manual judgment between steps; at 100 % the old groups are disabled.
func rollingRedBlack(ctx context.Context, c *Context, d deploySpec) Result {
	steps := percentages(c.Config["targetPercentages"])
	step, _ := asInt(c.State["step"])
	name := asString(c.State["serverGroupName"])
	state := map[string]any{"step": step}
	if int(step) >= len(steps) {
		return Result{Status: pipeline.Succeeded}
	}
	p := steps[step]
	want := int(math.Ceil(float64(d.capacity.Desired) * float64(p) / 100))
	phase := asString(c.State["phase"])
	switch phase {
	case "", "grow":
		if err := d.prov.ResizeServerGroup(ctx, d.ref(name), providers.Capacity{Min: min(d.capacity.Min, want), Desired: want, Max: d.capacity.Max}); err != nil {
			return failDeploy(ctx, c, d, fmt.Sprintf("growing %s to %d: %v", name, want, err))
		}
		state["phase"], state["phaseSince"] = "health", c.Now.Format(time.RFC3339Nano)
		c.Services.Refresh(ctx, d.account, c.Application)
		return withState(Running(200*time.Millisecond), state)
	case "health":
		g, err := d.prov.ServerGroup(ctx, d.ref(name))
		if err != nil {
			return Running(time.Second)
		}
		up, why, allFailed := health(g)
		if up < want {
			if allFailed || c.Now.Sub(stateTime(c, "phaseSince", c.Now)) > d.healthFor {
				return failDeploy(ctx, c, d, fmt.Sprintf("step %d%%: %s has %d of %d instances up: %s", p, name, up, want, why))
			}
			return Running(300 * time.Millisecond)
		}
		if err := shiftTraffic(ctx, d, name, oldGroups(c), p); err != nil {
			return failDeploy(ctx, c, d, fmt.Sprintf("step %d%%: %v", p, err))
		}
		c.Services.Refresh(ctx, d.account, c.Application)
		out := map[string]any{"rollingStep": step + 1, "rollingPercentage": p}
		if p >= 100 {
			for _, o := range oldGroups(c) {
				if err := d.prov.DisableServerGroup(ctx, d.ref(o)); err != nil && !errors.Is(err, providers.ErrNotFound) {
					return failDeploy(ctx, c, d, fmt.Sprintf("disabling %s: %v", o, err))
				}
			}
			if r := shrinkTo(ctx, c, d, c.Config["maxRemainingAsgs"]); r.Status != "" {
				return r
			}
			c.Services.Refresh(ctx, d.account, c.Application)
			return Result{Status: pipeline.Succeeded, Context: map[string]any{"step": step + 1}, Outputs: out}
		}
		state["phase"], state["phaseSince"] = "between", c.Now.Format(time.RFC3339Nano)
		if asBool(c.Config["judgmentBetweenSteps"], false) {
			state["awaitingJudgment"], state["judgmentStatus"] = true, nil
		}
		return Result{Status: pipeline.Running, RetryAfter: 100 * time.Millisecond, Context: state, Outputs: out}
	case "between":
		if asBool(c.State["awaitingJudgment"], false) {
			switch asString(c.State["judgmentStatus"]) {
			case "continue":
			case "stop":
				return failDeploy(ctx, c, d, fmt.Sprintf("stopped by %s at %d%%: %s", asString(c.State["judgedBy"]), p, asString(c.State["judgmentComment"])))
			default:
				return Running(30 * time.Second) // an answer wakes the task at once
			}
		} else if wait := seconds(c.Config["pauseBetweenStepsSec"], 0) - c.Now.Sub(stateTime(c, "phaseSince", c.Now)); wait > 0 {
			return Running(wait)
		}
		return withState(Running(10*time.Millisecond), map[string]any{"step": step + 1, "phase": "grow",
			"awaitingJudgment": false, "judgmentStatus": nil})
	}
	return Failed("unknown rolling phase %q", phase)
}

// shiftTraffic sets the load balancers' weights to p for the new group and 100-p shared by
// the old ones; without a traffic splitter, the old groups keep serving until the last step.
func shiftTraffic(ctx context.Context, d deploySpec, name string, old []string, p int) error {
	ts, ok := d.prov.(providers.TrafficSplitter)
	if !ok {
		if p > 0 {
			return d.prov.EnableServerGroup(ctx, d.ref(name))
		}
		return nil
	}
	w := map[string]int{name: p}
	for _, o := range old {
		w[o] = (100 - p) / max(len(old), 1)
	}
	for _, lb := range d.lbs {
		if err := ts.SetWeights(ctx, d.account, d.region, lb, w); err != nil {
			return fmt.Errorf("setting weights on %s: %w", lb, err)
		}
	}
	return d.prov.EnableServerGroup(ctx, d.ref(name))
}

func percentages(v any) []int {
	var out []int
	for _, x := range asList(v) {
		if n, ok := asInt(x); ok && n > 0 && n <= 100 {
			out = append(out, int(n))
		}
	}
	if len(out) == 0 || out[len(out)-1] != 100 {
		out = append(out, 100)
	}
	return out
}

func stateTime(c *Context, key string, def time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339Nano, asString(c.State[key])); err == nil {
		return t
	}
	return def
}

func anyList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
