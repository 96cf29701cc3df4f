// Package providertest is the conformance suite every Gennaker provider
// driver passes:
//
//	func TestConformance(t *testing.T) {
//		providertest.Run(t, providertest.Harness{
//			Provider: d, Account: "local", Region: "local",
//			Artifact: helloArtifact, LoadBalancer: "conformance",
//		})
//	}
//
// It creates a server group, reads it back until its instances are Up,
// resizes it up and down, disables and enables it (and splits traffic when
// the driver is a providers.TrafficSplitter), destroys it, and checks that
// nothing is left. Every call that changes the world is made twice in a row
// to prove it idempotent.
package providertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// Harness is what a driver gives the suite.
type Harness struct {
	// Provider under test. The suite creates and destroys server groups of
	// App; it leaves other applications alone.
	Provider providers.Provider
	// Account and Region to deploy to.
	Account, Region string
	// Artifact is a valid artifact for the driver whose instances become Up.
	Artifact providers.Artifact
	// App names the suite's server groups; default "conformance". Use one
	// the account has no other server groups of.
	App string
	// LoadBalancer, when set, is attached to the server groups; the suite
	// upserts it first when the driver is a providers.LoadBalancerManager.
	LoadBalancer string
	// Timeout bounds each wait for the world to converge; default 2m.
	Timeout time.Duration
	// Poll is the interval between reads while waiting; default 100ms.
	Poll time.Duration
}

func (h *Harness) defaults() {
	if h.App == "" {
		h.App = "conformance"
	}
	if h.Timeout == 0 {
		h.Timeout = 2 * time.Minute
	}
	if h.Poll == 0 {
		h.Poll = 100 * time.Millisecond
	}
}

// Run runs the suite. Steps depend on each other: the first failure stops
// it, and a cleanup destroys whatever it created.
func Run(t *testing.T, h Harness) {
	t.Helper()
	h.defaults()
	s := &suite{h: h, p: h.Provider}
	ctx := t.Context()
	moniker := providers.Moniker{App: h.App, Stack: "test", Sequence: 1}
	s.ref = providers.ServerGroupRef{Account: h.Account, Region: h.Region, Name: moniker.Name()}
	s.spec = providers.ServerGroupSpec{
		Account: h.Account, Region: h.Region, Moniker: moniker,
		Capacity: providers.Capacity{Min: 1, Desired: 2, Max: 4},
		Artifact: h.Artifact, Tags: map[string]string{"suite": "conformance"},
	}
	if h.LoadBalancer != "" {
		s.spec.LoadBalancers = []string{h.LoadBalancer}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
		defer cancel()
		for _, ref := range s.created {
			if err := s.p.DestroyServerGroup(ctx, ref); err != nil {
				t.Errorf("cleanup: destroying %s: %v", ref, err)
			}
		}
	})
	steps := []struct {
		name string
		run  func(context.Context, *testing.T)
	}{
		{"Errors", s.errors},
		{"Create", s.create},
		{"ReadBack", s.readBack},
		{"ResizeUp", s.resize(providers.Capacity{Min: 1, Desired: 3, Max: 4})},
		{"ResizeDown", s.resize(providers.Capacity{Min: 1, Desired: 1, Max: 4})},
		{"DisableEnable", s.disableEnable},
		{"Weights", s.weights},
		{"Destroy", s.destroy},
	}
	for _, step := range steps {
		if !t.Run(step.name, func(t *testing.T) { step.run(ctx, t) }) {
			return
		}
	}
}

type suite struct {
	h       Harness
	p       providers.Provider
	ref     providers.ServerGroupRef
	spec    providers.ServerGroupSpec
	created []providers.ServerGroupRef
}

// twice calls f twice in a row and fails unless both succeed.
func twice(t *testing.T, what string, f func() error) {
	t.Helper()
	for i := range 2 {
		if err := f(); err != nil {
			t.Fatalf("%s (call %d of 2): %v", what, i+1, err)
		}
	}
}

// eventually polls cond until it returns nil or the timeout passes.
func (s *suite) eventually(ctx context.Context, t *testing.T, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(s.h.Timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("waiting for %s: after %v: %v", what, s.h.Timeout, err)
		}
		time.Sleep(s.h.Poll)
	}
}

func (s *suite) errors(ctx context.Context, t *testing.T) {
	bad := s.spec
	bad.Capacity = providers.Capacity{Min: 3, Desired: 1, Max: 2}
	if _, err := s.p.CreateServerGroup(ctx, bad); !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("CreateServerGroup(bad capacity) error = %v, want ErrInvalidSpec", err)
	}
	bad = s.spec
	bad.Moniker.App = ""
	if _, err := s.p.CreateServerGroup(ctx, bad); !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("CreateServerGroup(no app) error = %v, want ErrInvalidSpec", err)
	}
	bad = s.spec
	bad.Artifact = providers.Artifact{Type: "no-such-artifact-type"}
	if _, err := s.p.CreateServerGroup(ctx, bad); !errors.Is(err, providers.ErrUnsupported) && !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("CreateServerGroup(unknown artifact type) error = %v, want ErrUnsupported or ErrInvalidSpec", err)
	}
	bad = s.spec
	bad.Account = "no-such-account"
	if _, err := s.p.CreateServerGroup(ctx, bad); !errors.Is(err, providers.ErrAccountUnknown) {
		t.Errorf("CreateServerGroup(unknown account) error = %v, want ErrAccountUnknown", err)
	}
	missing := s.ref
	missing.Name = providers.Moniker{App: s.h.App, Stack: "missing", Sequence: 1}.Name()
	if _, err := s.p.ServerGroup(ctx, missing); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("ServerGroup(missing) error = %v, want ErrNotFound", err)
	}
	if err := s.p.ResizeServerGroup(ctx, missing, providers.Fixed(1)); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("ResizeServerGroup(missing) error = %v, want ErrNotFound", err)
	}
	if err := s.p.EnableServerGroup(ctx, missing); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("EnableServerGroup(missing) error = %v, want ErrNotFound", err)
	}
	if err := s.p.DisableServerGroup(ctx, missing); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("DisableServerGroup(missing) error = %v, want ErrNotFound", err)
	}
	if err := s.p.DestroyServerGroup(ctx, missing); err != nil {
		t.Errorf("DestroyServerGroup(missing) = %v, want nil", err)
	}
	if gs, err := s.p.ServerGroups(ctx, s.h.Account, s.h.App); err != nil || len(gs) != 0 {
		t.Fatalf("ServerGroups before the suite = %d groups, %v; want none of app %q", len(gs), err, s.h.App)
	}
}

func (s *suite) create(ctx context.Context, t *testing.T) {
	if lbm, ok := s.p.(providers.LoadBalancerManager); ok && s.h.LoadBalancer != "" {
		twice(t, "UpsertLoadBalancer", func() error {
			lb, err := lbm.UpsertLoadBalancer(ctx, providers.LoadBalancerSpec{Account: s.h.Account, Region: s.h.Region, Name: s.h.LoadBalancer})
			if err == nil && lb.Name != s.h.LoadBalancer {
				err = fmt.Errorf("returned load balancer %q", lb.Name)
			}
			return err
		})
	}
	s.created = append(s.created, s.ref)
	var first providers.ServerGroup
	for i := range 2 {
		g, err := s.p.CreateServerGroup(ctx, s.spec)
		if err != nil {
			t.Fatalf("CreateServerGroup (call %d of 2): %v", i+1, err)
		}
		if g.Name != s.ref.Name || g.Account != s.h.Account || g.Region != s.h.Region {
			t.Fatalf("CreateServerGroup = %s/%s/%s, want %s", g.Account, g.Region, g.Name, s.ref)
		}
		if i == 0 {
			first = g
		} else if !g.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("second CreateServerGroup created again: CreatedAt %v, want %v", g.CreatedAt, first.CreatedAt)
		}
	}
	other := s.spec
	other.Artifact.Version += "-other"
	if _, err := s.p.CreateServerGroup(ctx, other); !errors.Is(err, providers.ErrConflict) {
		t.Errorf("CreateServerGroup(same name, other artifact) error = %v, want ErrConflict", err)
	}
}

func (s *suite) readBack(ctx context.Context, t *testing.T) {
	g := s.waitInstances(ctx, t, 2)
	if g.Moniker != s.spec.Moniker || g.Capacity != s.spec.Capacity || g.Artifact.Type != s.spec.Artifact.Type || !g.Enabled {
		t.Errorf("ServerGroup = moniker %+v capacity %+v artifact %q enabled %v; want %+v %+v %q true",
			g.Moniker, g.Capacity, g.Artifact.Type, g.Enabled, s.spec.Moniker, s.spec.Capacity, s.spec.Artifact.Type)
	}
	if g.CreatedAt.IsZero() {
		t.Error("ServerGroup.CreatedAt is zero")
	}
	gs, err := s.p.ServerGroups(ctx, s.h.Account, s.h.App)
	if err != nil || len(gs) != 1 || gs[0].Name != s.ref.Name {
		t.Fatalf("ServerGroups(%q) = %v, %v; want just %s", s.h.App, names(gs), err, s.ref.Name)
	}
	if s.h.LoadBalancer != "" {
		s.checkTargets(ctx, t, map[string]int{s.ref.Name: -1})
	}
}

// waitInstances waits until the group has exactly n instances, all Up.
func (s *suite) waitInstances(ctx context.Context, t *testing.T, n int) providers.ServerGroup {
	t.Helper()
	var g providers.ServerGroup
	s.eventually(ctx, t, fmt.Sprintf("%d instances Up", n), func() error {
		var err error
		if g, err = s.p.ServerGroup(ctx, s.ref); err != nil {
			return err
		}
		if len(g.Instances) != n || g.CountHealth(providers.Up) != n {
			return fmt.Errorf("instances: %s", describe(g.Instances))
		}
		return nil
	})
	return g
}

func (s *suite) resize(c providers.Capacity) func(context.Context, *testing.T) {
	return func(ctx context.Context, t *testing.T) {
		twice(t, "ResizeServerGroup", func() error { return s.p.ResizeServerGroup(ctx, s.ref, c) })
		g := s.waitInstances(ctx, t, c.Desired)
		if g.Capacity != c {
			t.Errorf("Capacity = %+v, want %+v", g.Capacity, c)
		}
		bad := providers.Capacity{Min: 2, Desired: 1, Max: 1}
		if err := s.p.ResizeServerGroup(ctx, s.ref, bad); !errors.Is(err, providers.ErrInvalidSpec) {
			t.Errorf("ResizeServerGroup(%+v) error = %v, want ErrInvalidSpec", bad, err)
		}
	}
}

func (s *suite) disableEnable(ctx context.Context, t *testing.T) {
	twice(t, "DisableServerGroup", func() error { return s.p.DisableServerGroup(ctx, s.ref) })
	g, err := s.p.ServerGroup(ctx, s.ref)
	if err != nil || g.Enabled {
		t.Fatalf("after disable: Enabled = %v, %v; want false", g.Enabled, err)
	}
	for _, in := range g.Instances {
		if in.Health == providers.Up && s.h.LoadBalancer != "" {
			t.Errorf("after disable: instance %s is Up, want OutOfService (not taking traffic)", in.ID)
		}
	}
	if s.h.LoadBalancer != "" {
		s.checkTargets(ctx, t, map[string]int{s.ref.Name: 0})
	}
	twice(t, "EnableServerGroup", func() error { return s.p.EnableServerGroup(ctx, s.ref) })
	g, err = s.p.ServerGroup(ctx, s.ref)
	if err != nil || !g.Enabled {
		t.Fatalf("after enable: Enabled = %v, %v; want true", g.Enabled, err)
	}
	s.waitInstances(ctx, t, 1)
	if s.h.LoadBalancer != "" {
		s.checkTargets(ctx, t, map[string]int{s.ref.Name: -1})
	}
}

func (s *suite) weights(ctx context.Context, t *testing.T) {
	ts, ok := s.p.(providers.TrafficSplitter)
	if !ok || s.h.LoadBalancer == "" {
		t.Skip("not a TrafficSplitter, or no load balancer in the harness")
	}
	canary := s.spec
	canary.Moniker.Sequence = 2
	canary.Capacity = providers.Fixed(1)
	s.created = append(s.created, canary.Ref())
	if _, err := s.p.CreateServerGroup(ctx, canary); err != nil {
		t.Fatalf("CreateServerGroup(%s): %v", canary.Ref(), err)
	}
	w := map[string]int{s.ref.Name: 90, canary.Moniker.Name(): 10}
	twice(t, "SetWeights", func() error { return ts.SetWeights(ctx, s.h.Account, s.h.Region, s.h.LoadBalancer, w) })
	s.checkTargets(ctx, t, w)
	if err := ts.SetWeights(ctx, s.h.Account, s.h.Region, s.h.LoadBalancer, map[string]int{"not-attached-v001": 5}); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("SetWeights(unattached group) error = %v, want ErrNotFound", err)
	}
	if err := ts.SetWeights(ctx, s.h.Account, s.h.Region, s.h.LoadBalancer, map[string]int{s.ref.Name: -1}); !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("SetWeights(negative) error = %v, want ErrInvalidSpec", err)
	}

	// A group whose weight was shifted to 0 and that was then disabled takes
	// traffic again once enabled (a rollback after a rolling deploy): disable
	// forgets its weight.
	c := canary.Moniker.Name()
	twice(t, "SetWeights(canary 0)", func() error {
		return ts.SetWeights(ctx, s.h.Account, s.h.Region, s.h.LoadBalancer, map[string]int{c: 0})
	})
	s.checkTargets(ctx, t, map[string]int{s.ref.Name: 90, c: 0})
	twice(t, "DisableServerGroup(canary)", func() error { return s.p.DisableServerGroup(ctx, canary.Ref()) })
	s.checkTargets(ctx, t, map[string]int{s.ref.Name: 90, c: 0})
	twice(t, "EnableServerGroup(canary)", func() error { return s.p.EnableServerGroup(ctx, canary.Ref()) })
	s.eventuallyTargets(ctx, t, map[string]int{s.ref.Name: 90, c: providers.DefaultWeight})
	// A weight set while the group is disabled is the one it serves at once
	// enabled (a rolling deploy's new group).
	twice(t, "DisableServerGroup(canary)", func() error { return s.p.DisableServerGroup(ctx, canary.Ref()) })
	twice(t, "SetWeights(disabled canary 30)", func() error {
		return ts.SetWeights(ctx, s.h.Account, s.h.Region, s.h.LoadBalancer, map[string]int{c: 30})
	})
	s.checkTargets(ctx, t, map[string]int{s.ref.Name: 90, c: 0})
	twice(t, "EnableServerGroup(canary)", func() error { return s.p.EnableServerGroup(ctx, canary.Ref()) })
	s.eventuallyTargets(ctx, t, map[string]int{s.ref.Name: 90, c: 30})

	twice(t, "DestroyServerGroup(canary)", func() error { return s.p.DestroyServerGroup(ctx, canary.Ref()) })
	s.checkTargets(ctx, t, map[string]int{s.ref.Name: 90})
}

// checkTargets checks the load balancer's targets: want maps each server
// group to its weight, -1 for any positive weight.
func (s *suite) checkTargets(ctx context.Context, t *testing.T, want map[string]int) {
	t.Helper()
	if err := s.targetsAre(ctx, want); err != nil {
		t.Fatal(err)
	}
}

// eventuallyTargets waits until the load balancer's targets are want (see
// checkTargets): an enabled group's weight applies once it has a healthy
// instance.
func (s *suite) eventuallyTargets(ctx context.Context, t *testing.T, want map[string]int) {
	t.Helper()
	s.eventually(ctx, t, fmt.Sprintf("targets %v", want), func() error { return s.targetsAre(ctx, want) })
}

func (s *suite) targetsAre(ctx context.Context, want map[string]int) error {
	lbs, err := s.p.LoadBalancers(ctx, s.h.Account, s.h.App)
	if err != nil {
		return fmt.Errorf("LoadBalancers: %w", err)
	}
	i := slices.IndexFunc(lbs, func(lb providers.LoadBalancer) bool { return lb.Name == s.h.LoadBalancer && lb.Region == s.h.Region })
	if i < 0 {
		return fmt.Errorf("LoadBalancers(%q) has no %s", s.h.App, s.h.LoadBalancer)
	}
	got := map[string]int{}
	for _, tg := range lbs[i].Targets {
		got[tg.ServerGroup] = tg.Weight
	}
	if len(got) != len(want) {
		return fmt.Errorf("load balancer %s targets = %v, want %v", s.h.LoadBalancer, got, want)
	}
	for g, w := range want {
		gw, ok := got[g]
		if !ok || (w == -1 && gw <= 0) || (w != -1 && gw != w) {
			return fmt.Errorf("load balancer %s targets = %v, want %v (-1: positive)", s.h.LoadBalancer, got, want)
		}
	}
	return nil
}

func (s *suite) destroy(ctx context.Context, t *testing.T) {
	twice(t, "DestroyServerGroup", func() error { return s.p.DestroyServerGroup(ctx, s.ref) })
	if _, err := s.p.ServerGroup(ctx, s.ref); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("ServerGroup after destroy error = %v, want ErrNotFound", err)
	}
	gs, err := s.p.ServerGroups(ctx, s.h.Account, s.h.App)
	if err != nil || len(gs) != 0 {
		t.Errorf("ServerGroups after destroy = %v, %v; want none", names(gs), err)
	}
	if s.h.LoadBalancer != "" {
		lbs, err := s.p.LoadBalancers(ctx, s.h.Account, s.h.App)
		if err != nil {
			t.Fatalf("LoadBalancers: %v", err)
		}
		for _, lb := range lbs {
			if len(lb.Targets) != 0 {
				t.Errorf("load balancer %s still targets %v", lb.Name, lb.Targets)
			}
		}
		if lbm, ok := s.p.(providers.LoadBalancerManager); ok {
			twice(t, "DeleteLoadBalancer", func() error {
				return lbm.DeleteLoadBalancer(ctx, s.h.Account, s.h.Region, s.h.LoadBalancer)
			})
		}
	}
}

func names(gs []providers.ServerGroup) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Name
	}
	return out
}

func describe(ins []providers.Instance) string {
	if len(ins) == 0 {
		return "none"
	}
	s := ""
	for i, in := range ins {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %s", in.ID, in.Health)
		if in.HealthDetail != "" {
			s += " (" + in.HealthDetail + ")"
		}
	}
	return s
}
