package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/providers/local"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// regionOutage wraps a real driver and reports one region as unreadable, as the aws driver
// does when a region's API fails: the others' results come with the error.
type regionOutage struct {
	providers.Provider
	region string
}

type outageError struct{ region string }

func (e outageError) Error() string           { return "reading regions: " + e.region + ": connection refused" }
func (e outageError) FailedRegions() []string { return []string{e.region} }

func (p regionOutage) ServerGroups(ctx context.Context, account, app string) ([]providers.ServerGroup, error) {
	gs, err := p.Provider.ServerGroups(ctx, account, app)
	if err != nil {
		return nil, err
	}
	return gs, outageError{p.region}
}

// TestCachingSurvivesARegionOutage: what the readable regions report is cached, the failed
// region's server groups are kept (not taken as destroyed), and the error shows on the account.
func TestCachingSurvivesARegionOutage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(1)
		ctx := context.Background()
		// A group the store knows in the region that will fail.
		if _, _, err := s.UpsertServerGroup(ctx, store.ServerGroupState{Application: c.app.Name, Account: "local", Region: "far",
			Cluster: c.app.Name, Group: store.ServerGroup{Name: c.app.Name + "-v009", Enabled: true}}); err != nil {
			t.Fatal(err)
		}
		err := c.engine.RefreshWith(ctx, regionOutage{Provider: c.prov, region: "far"}, "local", c.app.Name)
		var oe outageError
		if !errors.As(err, &oe) {
			t.Fatalf("refresh error %v, want the region outage reported", err)
		}
		stored, _ := s.ServerGroupsOf(ctx, "local", c.app.Name)
		names := map[string]bool{}
		for _, g := range stored {
			names[g.Name] = true
		}
		if !names[c.app.Name+"-v000"] || !names[c.app.Name+"-v009"] {
			t.Fatalf("stored groups %v: want the readable region's v000 and the failed region's v009 kept", names)
		}
	})
}

// lbOutage wraps a real driver and reports one region's load balancers as unreadable.
type lbOutage struct {
	providers.Provider
	region string
}

func (p lbOutage) LoadBalancers(ctx context.Context, account, app string) ([]providers.LoadBalancer, error) {
	lbs, err := p.Provider.LoadBalancers(ctx, account, app)
	if err != nil {
		return nil, err
	}
	return lbs, outageError{p.region}
}

// lbWorld is an engine without a caching agent of its own, so that the only caching passes
// are the test's (RefreshWith), over a local driver whose server groups run nothing.
type lbWorld struct {
	*world
	prov   providers.Provider
	events chan bus.Event
}

func newLBWorld(t *testing.T, s *store.Store) *lbWorld {
	ctx := context.Background()
	w := newWorld(t, s, engine.Config{})
	reg, err := providers.NewRegistry(ctx, []providers.Account{{Name: "local", Kind: "local", Regions: []string{"local"}}},
		providers.Host{StateDir: t.TempDir(), Logger: logger()})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := reg.Provider("local")
	t.Cleanup(func() {
		groups, _ := p.ServerGroups(ctx, "local", w.app.Name)
		for _, g := range groups {
			_ = p.DestroyServerGroup(ctx, g.Ref())
		}
		_ = reg.Close()
	})
	lw := &lbWorld{world: w, prov: p, events: make(chan bus.Event, 64)}
	stop, err := w.bus.SubscribeEvents(w.app.Name, func(e bus.Event) {
		if e.Kind == bus.LoadBalancerChanged {
			lw.events <- e
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return lw
}

// group creates an empty server group of the application behind the load balancer lb.
func (w *lbWorld) group(seq int, lb string) providers.ServerGroup {
	w.t.Helper()
	g, err := w.prov.CreateServerGroup(context.Background(), providers.ServerGroupSpec{Account: "local", Region: "local",
		Moniker: providers.Moniker{App: w.app.Name, Sequence: seq}, Capacity: providers.Fixed(0),
		Artifact: local.Artifact("v1", local.ExecSpec{Command: local.CommandLine{"/bin/true"}}), LoadBalancers: []string{lb}})
	if err != nil {
		w.t.Fatal(err)
	}
	return g
}

func (w *lbWorld) refresh(p providers.Provider) error {
	return w.engine.RefreshWith(context.Background(), p, "local", w.app.Name)
}

// next returns the next load balancer event with the load balancer it carries.
func (w *lbWorld) next(what string) (bus.Event, store.LoadBalancer) {
	w.t.Helper()
	select {
	case ev := <-w.events:
		var lb store.LoadBalancer
		if err := json.Unmarshal(ev.Object, &lb); err != nil {
			w.t.Fatalf("%s: undecodable event %s: %v", what, ev.Object, err)
		}
		return ev, lb
	case <-time.After(10 * time.Second):
		w.t.Fatalf("%s: no load balancer event", what)
		return bus.Event{}, store.LoadBalancer{}
	}
}

// quiet fails the test if a load balancer event was published before now: it publishes a
// marker on the engine's own connection, which NATS delivers after everything before it.
func (w *lbWorld) quiet(what string) {
	w.t.Helper()
	marker := store.NewID()
	if err := w.bus.Publish(bus.Event{Kind: bus.LoadBalancerChanged, Application: w.app.Name, ID: marker, Object: []byte("{}")}); err != nil {
		w.t.Fatal(err)
	}
	for {
		ev, _ := w.next(what)
		if ev.ID == marker {
			return
		}
		w.t.Fatalf("%s: got an event for %s at version %d, want none", what, ev.ID, ev.Version)
	}
}

func weights(lb store.LoadBalancer) string {
	s := ""
	for _, t := range lb.Targets {
		s += fmt.Sprintf("%s=%d ", t.ServerGroup, t.Weight)
	}
	return s
}

// TestCachingPublishesLoadBalancerChanges: the caching agent publishes a load balancer when
// it first sees it and when its weights change, not when a pass finds it as it was, and
// removes one the provider no longer reports with a deletion event.
func TestCachingPublishesLoadBalancerChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newLBWorld(t, s)
		ctx := context.Background()
		app, lbName := w.app.Name, w.app.Name
		v1, v2 := w.group(1, lbName), w.group(2, lbName)

		if err := w.refresh(w.prov); err != nil {
			t.Fatal(err)
		}
		ev, lb := w.next("first pass")
		want := fmt.Sprintf("%s=100 %s=100 ", v1.Name, v2.Name)
		if ev.Deleted || ev.Version != 1 || lb.Name != lbName || weights(lb) != want {
			t.Fatalf("first pass: got %s v%d deleted=%v weights %q, want %s v1 with %q", lb.Name, ev.Version, ev.Deleted, weights(lb), lbName, want)
		}
		id := ev.ID

		if err := w.refresh(w.prov); err != nil {
			t.Fatal(err)
		}
		w.quiet("a pass with nothing changed")

		if err := w.prov.(providers.TrafficSplitter).SetWeights(ctx, "local", "local", lbName, map[string]int{v1.Name: 75, v2.Name: 25}); err != nil {
			t.Fatal(err)
		}
		if err := w.refresh(w.prov); err != nil {
			t.Fatal(err)
		}
		ev, lb = w.next("weights shifted")
		want = fmt.Sprintf("%s=75 %s=25 ", v1.Name, v2.Name)
		if ev.ID != id || ev.Deleted || ev.Version != 2 || weights(lb) != want {
			t.Fatalf("weights shifted: got %s v%d deleted=%v weights %q, want %s v2 with %q", ev.ID, ev.Version, ev.Deleted, weights(lb), id, want)
		}
		if err := w.refresh(w.prov); err != nil {
			t.Fatal(err)
		}
		w.quiet("the same weights again")

		for _, g := range []providers.ServerGroup{v1, v2} {
			if err := w.prov.DestroyServerGroup(ctx, g.Ref()); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.prov.(providers.LoadBalancerManager).DeleteLoadBalancer(ctx, "local", "local", lbName); err != nil {
			t.Fatal(err)
		}
		if err := w.refresh(w.prov); err != nil {
			t.Fatal(err)
		}
		ev, _ = w.next("load balancer deleted")
		if ev.ID != id || !ev.Deleted || ev.Version != 3 {
			t.Fatalf("load balancer deleted: got %s v%d deleted=%v, want %s v3 deleted", ev.ID, ev.Version, ev.Deleted, id)
		}
		if rows, err := s.LoadBalancersOf(ctx, "local", app); err != nil || len(rows) != 0 {
			t.Fatalf("stored load balancers after the deletion: %d (%v), want 0", len(rows), err)
		}
		if err := w.refresh(w.prov); err != nil {
			t.Fatal(err)
		}
		w.quiet("a pass after the deletion")
	})
}

// TestCachingKeepsLoadBalancersOfAFailedRegion: a load balancer the provider stopped
// reporting is removed from the store, but not one in a region the provider could not read.
func TestCachingKeepsLoadBalancersOfAFailedRegion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newLBWorld(t, s)
		ctx := context.Background()
		app := w.app.Name
		w.group(1, app)
		gone, _, err := s.UpsertLoadBalancer(ctx, app, store.LoadBalancer{Account: "local", Region: "local", Name: app + "-gone"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.UpsertLoadBalancer(ctx, app, store.LoadBalancer{Account: "local", Region: "far", Name: app + "-far"}); err != nil {
			t.Fatal(err)
		}

		err = w.refresh(lbOutage{Provider: w.prov, region: "far"})
		var oe outageError
		if !errors.As(err, &oe) {
			t.Fatalf("refresh error %v, want the region outage reported", err)
		}
		rows, err := s.LoadBalancersOf(ctx, "local", app)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, lb := range rows {
			got[lb.Name] = true
		}
		if len(got) != 2 || !got[app] || !got[app+"-far"] {
			t.Fatalf("stored load balancers %v: want %s (reported) and %s-far (region unreadable), not %s-gone", got, app, app, app)
		}
		// The reported one is new, the vanished one deleted; in either order.
		seen := map[string]bool{}
		for range 2 {
			ev, lb := w.next("the pass")
			switch {
			case ev.ID == gone.ID && ev.Deleted && ev.Version == gone.Version+1:
				seen["deleted"] = true
			case !ev.Deleted && lb.Name == app:
				seen["new"] = true
			default:
				t.Fatalf("unexpected event %s v%d deleted=%v %s", ev.ID, ev.Version, ev.Deleted, ev.Object)
			}
		}
		if !seen["deleted"] || !seen["new"] {
			t.Fatalf("events %v, want the new load balancer and the deletion", seen)
		}
		w.quiet("nothing about the unreadable region")
	})
}
