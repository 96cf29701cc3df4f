package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/providers/local"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

var (
	helloOnce sync.Once
	helloBin  string
	helloErr  error
)

// helloBinary builds examples/hello once for the package's tests.
func helloBinary(t testing.TB) string {
	helloOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gennaker-hello")
		if err != nil {
			helloErr = err
			return
		}
		helloBin = filepath.Join(dir, "hello")
		if out, err := exec.Command("go", "build", "-o", helloBin, "../examples/hello").CombinedOutput(); err != nil {
			helloErr = fmt.Errorf("building examples/hello: %v\n%s", err, out)
		}
	})
	if helloErr != nil {
		t.Fatal(helloErr)
	}
	return helloBin
}

// cloud is a world with the local provider: real processes behind a real load balancer.
type cloud struct {
	*world
	prov    providers.Provider
	lbURL   string
	state   string
	helloAt string
}

func newCloud(t *testing.T, s *store.Store) *cloud {
	state := t.TempDir()
	ctx := context.Background()
	reg, err := providers.NewRegistry(ctx, []providers.Account{{Name: "local", Kind: "local", Regions: []string{"local"}}},
		providers.Host{StateDir: state, Logger: logger()})
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, s, engine.Config{Providers: reg, CacheInterval: time.Hour})
	p, _ := reg.Provider("local")
	c := &cloud{world: w, prov: p, state: state, helloAt: helloBinary(t)}
	lb, err := p.(providers.LoadBalancerManager).UpsertLoadBalancer(ctx, providers.LoadBalancerSpec{Account: "local", Region: "local", Name: w.app.Name})
	if err != nil {
		t.Fatal(err)
	}
	c.lbURL = "http://" + lb.Address + "/"
	t.Cleanup(func() {
		// Destroy every group the test made, then prove no process of it is left.
		groups, _ := p.ServerGroups(ctx, "local", w.app.Name)
		for _, g := range groups {
			_ = p.DestroyServerGroup(ctx, g.Ref())
		}
		_ = reg.Close()
		if n := processesOf(state); n != 0 {
			t.Errorf("%d processes of the test's local provider left behind", n)
		}
	})
	return c
}

// processesOf counts live processes started by the local driver of a state directory
// (and, when given, with every one of env's KEY=value in their environment).
func processesOf(state string, env ...string) int {
	n := 0
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		environ, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil && strings.Contains(string(stat), ") Z ") {
			continue // a zombie is not running
		}
		vars := strings.Split(string(environ), "\x00")
		mine := slices.ContainsFunc(vars, func(kv string) bool {
			return strings.HasPrefix(kv, "GENNAKER_LOCAL_STATE=") && strings.Contains(kv, state)
		})
		for _, want := range env {
			mine = mine && slices.Contains(vars, want)
		}
		if mine {
			n++
		}
	}
	return n
}

// artifact runs examples/hello at a version with extra flags.
func (c *cloud) artifact(version string, flags ...string) map[string]any {
	cmd := append(local.CommandLine{c.helloAt, "--port", "{port}", "--version", version}, flags...)
	a := local.Artifact(version, local.ExecSpec{Command: cmd,
		Health: local.HealthCheck{Path: "/healthz", Interval: local.Duration(100 * time.Millisecond), StartTimeout: local.Duration(20 * time.Second)}})
	b, _ := json.Marshal(a)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// seed starts a first server group at v1 behind the load balancer.
func (c *cloud) seed(desired int) {
	c.t.Helper()
	var a providers.Artifact
	b, _ := json.Marshal(c.artifact("v1"))
	_ = json.Unmarshal(b, &a)
	ctx := context.Background()
	g, err := c.prov.CreateServerGroup(ctx, providers.ServerGroupSpec{Account: "local", Region: "local",
		Moniker: providers.Moniker{App: c.app.Name}, Capacity: providers.Fixed(desired), Artifact: a, LoadBalancers: []string{c.app.Name}})
	if err != nil {
		c.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		g, _ = c.prov.ServerGroup(ctx, g.Ref())
		if g.CountHealth(providers.Up) == desired {
			break
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("seed group never came up: %+v", g.Instances)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := c.engine.Refresh(ctx, "local", c.app.Name); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cloud) deployStage(version string, cfg map[string]any, flags ...string) pipeline.Stage {
	base := map[string]any{"account": "local", "region": "local", "capacity": map[string]any{"min": 2, "desired": 2, "max": 2},
		"artifact": c.artifact(version, flags...), "loadBalancers": []any{c.app.Name}, "healthTimeoutSec": 20}
	for k, v := range cfg {
		base[k] = v
	}
	return stage("1", "deploy", "deploy "+version, nil, base)
}

// versions asks the load balancer n times and counts the answers per version.
func (c *cloud) versions(n int) (map[string]int, int) {
	got, failed := map[string]int{}, 0
	for i := 0; i < n; i++ {
		resp, err := http.Get(c.lbURL)
		if err != nil {
			failed++
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			failed++
			continue
		}
		// "hello from v2 (instance …)"
		f := strings.Fields(string(body))
		if len(f) >= 3 {
			got[f[2]]++
		}
	}
	return got, failed
}

func (c *cloud) groups() []providers.ServerGroup {
	gs, err := c.prov.ServerGroups(context.Background(), "local", c.app.Name)
	if err != nil {
		c.t.Fatal(err)
	}
	return gs
}

func enabledNames(gs []providers.ServerGroup) (enabled, disabled []string) {
	for _, g := range gs {
		if g.Enabled {
			enabled = append(enabled, g.Name)
		} else {
			disabled = append(disabled, g.Name)
		}
	}
	return
}

// TestRedBlackUnderLoad deploys v2 red/black while clients hammer the load balancer: no
// request fails, and traffic ends on v2 with v1 disabled (kept for a rollback).
func TestRedBlackUnderLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(2)
		var ok, failed atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; n < 20000; n++ { // bounded: stops when the deploy is done, or after 20k requests
					select {
					case <-stop:
						return
					default:
					}
					resp, err := http.Get(c.lbURL)
					if err != nil || resp.StatusCode != 200 {
						failed.Add(1)
					} else {
						ok.Add(1)
					}
					if resp != nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				}
			}()
		}
		p := c.pipelineOf(pipeline.Definition{Name: "rb", Stages: []pipeline.Stage{c.deployStage("v2", map[string]any{"strategy": "redblack"})}})
		id := c.start(p, nil)
		c.waitStatus(id, pipeline.Succeeded)
		close(stop)
		wg.Wait()
		if failed.Load() != 0 || ok.Load() == 0 {
			t.Fatalf("during the red/black: %d requests failed, %d succeeded; want none failed", failed.Load(), ok.Load())
		}
		got, bad := c.versions(50)
		if bad != 0 || got["v2"] != 50 {
			t.Fatalf("after the deploy the load balancer served %v (%d failed), want only v2", got, bad)
		}
		en, dis := enabledNames(c.groups())
		if fmt.Sprint(en) != fmt.Sprintf("[%s-v001]", c.app.Name) || fmt.Sprint(dis) != fmt.Sprintf("[%s-v000]", c.app.Name) {
			t.Fatalf("enabled %v, disabled %v; want v001 enabled, v000 disabled", en, dis)
		}
		t.Logf("%d requests during the deploy, none failed", ok.Load())
		// The cluster view in the store agrees.
		sgs, _ := s.ServerGroupsOf(t.Context(), "local", c.app.Name)
		if len(sgs) != 2 {
			t.Fatalf("stored server groups: %d, want 2", len(sgs))
		}
	})
}

// TestBrokenArtifact: a deploy whose processes exit at once, or never become healthy, fails
// saying why; rollback leaves v1 serving and no process of the new group behind.
func TestBrokenArtifact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(1)
		cases := []struct {
			name  string
			flags []string
			want  string
		}{
			{"exits at once", []string{"--exit-after", "0"}, "exit"},
			{"never healthy", []string{"--fail-health"}, "instances up"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				st := c.deployStage("bad", map[string]any{"strategy": "redblack", "healthTimeoutSec": 2,
					"rollback": map[string]any{"onFailure": true}}, tc.flags...)
				id := c.start(c.pipelineOf(pipeline.Definition{Name: "broken-" + strings.ReplaceAll(tc.name, " ", "-"), Stages: []pipeline.Stage{st}}), nil)
				e := c.waitStatus(id, pipeline.Terminal)
				msg := ""
				if e.Stages[0].Error != nil {
					msg = *e.Stages[0].Error
				}
				if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "rolled back") {
					t.Fatalf("error %q; want it to say why (%q) and that it rolled back", msg, tc.want)
				}
				got, bad := c.versions(20)
				if bad != 0 || got["v1"] != 20 {
					t.Fatalf("after the failed deploy: %v (%d failed), want v1 serving", got, bad)
				}
				gs := c.groups()
				if len(gs) != 1 || !gs[0].Enabled {
					t.Fatalf("groups after rollback: %+v; want only the enabled v1", gs)
				}
				if n := processesOf(c.state); n != 1 {
					t.Fatalf("%d processes running; want only v1's one", n)
				}
			})
		}
	})
}

// weightEvents returns a function that waits until a published load balancer event gives
// group the weight w, as loadBalancerUpdated subscribers would see it.
func (c *cloud) weightEvents() func(group string, w int) {
	c.t.Helper()
	events := make(chan store.LoadBalancer, 1024)
	stop, err := c.bus.SubscribeEvents(c.app.Name, func(e bus.Event) {
		var lb store.LoadBalancer
		if e.Kind == bus.LoadBalancerChanged && !e.Deleted && json.Unmarshal(e.Object, &lb) == nil {
			select {
			case events <- lb:
			default: // the test failed to read: it will time out and say so
			}
		}
	})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(stop)
	return func(group string, w int) {
		c.t.Helper()
		deadline := time.After(30 * time.Second)
		var last store.LoadBalancer
		for {
			select {
			case lb := <-events:
				last = lb
				for _, t := range lb.Targets {
					if t.ServerGroup == group && t.Weight == w {
						return
					}
				}
			case <-deadline:
				c.t.Fatalf("no load balancer event gave %s the weight %d; last %+v", group, w, last.Targets)
			}
		}
	}
}

// TestStrategies runs none, highlander and rolling red/black; the rolling steps are observed
// at the load balancer (share of v2 per step within ±12 points over 400 requests) and in the
// load balancer events the caching agent publishes.
func TestStrategies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(2)
		// none: v2 joins v1; both serve.
		id := c.start(c.pipelineOf(pipeline.Definition{Name: "none", Stages: []pipeline.Stage{c.deployStage("v2", map[string]any{"strategy": "none"})}}), nil)
		c.waitStatus(id, pipeline.Succeeded)
		if en, _ := enabledNames(c.groups()); len(en) != 2 {
			t.Fatalf("strategy none: enabled %v, want both", en)
		}
		// highlander: v3 only, every other group destroyed.
		id = c.start(c.pipelineOf(pipeline.Definition{Name: "highlander", Stages: []pipeline.Stage{c.deployStage("v3", map[string]any{"strategy": "highlander"})}}), nil)
		c.waitStatus(id, pipeline.Succeeded)
		if gs := c.groups(); len(gs) != 1 || gs[0].Artifact.Version != "v3" {
			t.Fatalf("highlander left %d groups", len(gs))
		}
		if got, bad := c.versions(30); got["v3"] != 30 || bad != 0 {
			t.Fatalf("after highlander: %v", got)
		}
		// rolling red/black 25 → 50 → 100 with a judgment between steps.
		st := c.deployStage("v4", map[string]any{"strategy": "rollingredblack", "targetPercentages": []any{25, 50},
			"judgmentBetweenSteps": true, "capacity": map[string]any{"min": 4, "desired": 4, "max": 4}})
		seeWeight := c.weightEvents()
		id = c.start(c.pipelineOf(pipeline.Definition{Name: "rolling", Stages: []pipeline.Stage{st}}), nil)
		var v4 string
		for _, pct := range []int{25, 50} {
			e := c.waitFor(id, fmt.Sprintf("awaiting judgment at %d%%", pct), func(e store.Execution) bool {
				state, _ := e.Stages[0].Context["_state"].(map[string]any)
				return state["awaitingJudgment"] == true && e.Stages[0].Outputs["rollingPercentage"] == float64(pct)
			})
			state, _ := e.Stages[0].Context["_state"].(map[string]any)
			v4, _ = state["serverGroupName"].(string)
			seeWeight(v4, pct)
			got, bad := c.versions(400)
			share := 100 * got["v4"] / 400
			if bad != 0 || share < pct-12 || share > pct+12 {
				t.Fatalf("at step %d%%: v4 served %d%% (%v, %d failed); want %d%% ± 12", pct, share, got, bad, pct)
			}
			t.Logf("step %d%%: v4 served %d%% of 400 requests", pct, share)
			dep := c.stageOf(id, st.Name)
			c.judge(id, dep, "t", map[string]any{"judgment": "CONTINUE"})
		}
		c.waitStatus(id, pipeline.Succeeded)
		seeWeight(v4, 100)
		if got, bad := c.versions(40); got["v4"] != 40 || bad != 0 {
			t.Fatalf("after rolling red/black: %v", got)
		}
		if en, _ := enabledNames(c.groups()); len(en) != 1 {
			t.Fatalf("after rolling red/black: enabled %v, want only v4", en)
		}
	})
}

// TestClusterOperations runs the orchestrations behind the cluster mutations.
func TestClusterOperations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(1)
		id := c.start(c.pipelineOf(pipeline.Definition{Name: "rb", Stages: []pipeline.Stage{c.deployStage("v2", map[string]any{"strategy": "redblack"})}}), nil)
		c.waitStatus(id, pipeline.Succeeded)
		app := c.app.Name
		op := func(name, typ string, cfg map[string]any) store.Execution {
			base := map[string]any{"account": "local", "region": "local", "cluster": app}
			for k, v := range cfg {
				base[k] = v
			}
			id := c.start(c.pipelineOf(pipeline.Definition{Name: name, Stages: []pipeline.Stage{stage("1", typ, name, nil, base)}}), nil)
			return c.waitFor(id, "finished", func(e store.Execution) bool { return pipeline.Status(e.Status).IsComplete() })
		}
		if e := op("rollback", "rollbackCluster", nil); e.Status != "SUCCEEDED" {
			t.Fatalf("rollback: %s %s", e.Status, describe(e))
		}
		if got, _ := c.versions(20); got["v1"] != 20 {
			t.Fatalf("after rollback: %v, want v1", got)
		}
		if e := op("resize", "resizeServerGroup", map[string]any{"serverGroupName": app + "-v000",
			"capacity": map[string]any{"min": 2, "desired": 2, "max": 2}}); e.Status != "SUCCEEDED" {
			t.Fatalf("resize: %s", describe(e))
		}
		if e := op("find", "findImage", map[string]any{"selectionStrategy": "NEWEST"}); e.Stages[0].Outputs["serverGroupName"] != app+"-v001" {
			t.Fatalf("findImage: %v", e.Stages[0].Outputs)
		}
		if e := op("clone", "cloneServerGroup", map[string]any{"serverGroupName": app + "-v000"}); e.Status != "SUCCEEDED" {
			t.Fatalf("clone: %s", describe(e))
		}
		if e := op("disable", "disableCluster", map[string]any{"remainingEnabledServerGroups": 1}); e.Status != "SUCCEEDED" {
			t.Fatalf("disableCluster: %s", describe(e))
		}
		if en, _ := enabledNames(c.groups()); len(en) != 1 || en[0] != app+"-v002" {
			t.Fatalf("after disableCluster: enabled %v, want the clone v002", en)
		}
		if e := op("shrink", "shrinkCluster", map[string]any{"shrinkToSize": 1}); e.Status != "SUCCEEDED" {
			t.Fatalf("shrink: %s", describe(e))
		}
		if gs := c.groups(); len(gs) != 1 {
			t.Fatalf("after shrink: %d groups", len(gs))
		}
		// The store followed every operation (the caching agent refreshes after each).
		sgs, _ := s.ServerGroupsOf(t.Context(), "local", app)
		if len(sgs) != 1 {
			t.Fatalf("stored groups after shrink: %d, want 1", len(sgs))
		}
	})
}

// TestTerminateInstances terminates one instance of a running server group through the
// terminateInstances stage: the group replaces it and is back at its desired capacity,
// and no process of the terminated instance is left.
func TestTerminateInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(2)
		app := c.app.Name
		before := c.groups()[0]
		victim := before.Instances[0].ID
		id := c.start(c.pipelineOf(pipeline.Definition{Name: "terminate", Stages: []pipeline.Stage{
			stage("1", "terminateInstances", "terminate", nil, map[string]any{"account": "local", "region": "local", "cluster": app,
				"serverGroupName": before.Name, "instanceIds": []any{victim}, "healthTimeoutSec": 20})}}), nil)
		e := c.waitFor(id, "finished", func(e store.Execution) bool { return pipeline.Status(e.Status).IsComplete() })
		if e.Status != string(pipeline.Succeeded) {
			t.Fatalf("terminateInstances: %s", describe(e))
		}
		after := c.groups()[0]
		var ids []string
		for _, in := range after.Instances {
			if in.ID == victim {
				t.Errorf("terminated instance %s is still in %s (%s)", victim, after.Name, in.Health)
			}
			ids = append(ids, in.ID)
		}
		if up := after.CountHealth(providers.Up); up != before.Capacity.Desired || after.Capacity != before.Capacity {
			t.Errorf("after terminate: %d up of capacity %+v, want %d up of %+v (instances %v)", up, after.Capacity, before.Capacity.Desired, before.Capacity, ids)
		}
		if !slices.Contains(ids, before.Instances[1].ID) {
			t.Errorf("instances after terminate = %v, want %s kept and a new one", ids, before.Instances[1].ID)
		}
		if n := processesOf(c.state, "GENNAKER_INSTANCE_ID="+victim); n != 0 {
			t.Errorf("%d processes of the terminated instance %s left", n, victim)
		}
	})
}

// TestRollbackAfterRolling rolls back a rolling red/black on the local driver: the rolling
// deploy left the old group at weight 0 before disabling it, and the rollback must put it
// back in service at full weight.
func TestRollbackAfterRolling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(2)
		app := c.app.Name
		st := c.deployStage("v2", map[string]any{"strategy": "rollingredblack", "targetPercentages": []any{50}})
		id := c.start(c.pipelineOf(pipeline.Definition{Name: "rolling", Stages: []pipeline.Stage{st}}), nil)
		c.waitStatus(id, pipeline.Succeeded)
		if got, bad := c.versions(20); got["v2"] != 20 || bad != 0 {
			t.Fatalf("after rolling red/black: %v, %d failed; want v2 only", got, bad)
		}
		id = c.start(c.pipelineOf(pipeline.Definition{Name: "rollback", Stages: []pipeline.Stage{
			stage("1", "rollbackCluster", "rollback", nil, map[string]any{"account": "local", "region": "local", "cluster": app})}}), nil)
		c.waitStatus(id, pipeline.Succeeded)
		en, dis := enabledNames(c.groups())
		if fmt.Sprint(en) != fmt.Sprint([]string{app + "-v000"}) || fmt.Sprint(dis) != fmt.Sprint([]string{app + "-v001"}) {
			t.Errorf("after rollback: enabled %v disabled %v; want v000 and v001", en, dis)
		}
		lbs, err := c.prov.LoadBalancers(t.Context(), "local", app)
		if err != nil {
			t.Fatal(err)
		}
		weights := map[string]int{}
		for _, lb := range lbs {
			for _, tg := range lb.Targets {
				weights[tg.ServerGroup] = tg.Weight
			}
		}
		if want := map[string]int{app + "-v000": 100, app + "-v001": 0}; !maps.Equal(weights, want) {
			t.Errorf("after rollback: weights %v, want %v", weights, want)
		}
		if got, bad := c.versions(20); got["v1"] != 20 || bad != 0 {
			t.Fatalf("after rollback: %v, %d failed; want v1 only", got, bad)
		}
	})
}
