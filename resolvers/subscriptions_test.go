package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/providers/local"
	"github.com/gennaker/gennaker/store/storetest"
)

const lbSubscription = `subscription($app: String!) { loadBalancerUpdated(application: $app) {
	kind id version loadBalancer { id name targets { serverGroupName weight serverGroup { name enabled } } } } }`

// nextEvent reads events of a subscription until want accepts one, and returns it.
func nextEvent(t *testing.T, sub *client.Subscription, field, what string, want func(ev map[string]any) bool) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		raw, err := sub.Next(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		var data map[string]any
		if err := json.Unmarshal(raw, &data); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ev, _ := data[field].(map[string]any); ev != nil && want(ev) {
			return ev
		}
	}
}

// targets renders an event's targets as "name=weight" in order, with a "!" after a target
// whose server group the API did not resolve.
func targets(ev map[string]any) string {
	ts, _ := dig(ev, "loadBalancer", "targets").([]any)
	s := ""
	for _, t := range ts {
		s += fmt.Sprintf("%v=%v", dig(t, "serverGroupName"), dig(t, "weight"))
		if dig(t, "serverGroup", "name") != dig(t, "serverGroupName") {
			s += "!"
		}
		s += " "
	}
	return s
}

// TestLoadBalancerSubscription shifts traffic between two server groups of the local
// provider and sees the weights arrive on loadBalancerUpdated after its snapshot, with a
// higher version each time, then the load balancer's deletion.
func TestLoadBalancerSubscription(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			prov, stack := localWeb(t, dialect)
			c := stack.Client()
			// Two server groups that run nothing (capacity 0), both behind the load balancer "web".
			var names []string
			for seq := 1; seq <= 2; seq++ {
				g, err := prov.CreateServerGroup(ctx, providers.ServerGroupSpec{Account: "local", Region: "local",
					Moniker: providers.Moniker{App: "web", Sequence: seq}, Capacity: providers.Fixed(0),
					Artifact: local.Artifact("v1", local.ExecSpec{Command: local.CommandLine{"/bin/true"}}), LoadBalancers: []string{"web"}})
				if err != nil {
					t.Fatal(err)
				}
				names = append(names, g.Name)
			}
			if err := stack.Engine.Refresh(ctx, "local", "web"); err != nil {
				t.Fatal(err)
			}

			unknown, err := c.Subscribe(ctx, lbSubscription, map[string]any{"app": "nobody"})
			if err != nil {
				t.Fatal(err)
			}
			defer unknown.Close()
			deadline, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if _, err := unknown.Next(deadline); codeOf(err) != "NOT_FOUND" {
				t.Fatalf("an unknown application: got %v, want NOT_FOUND", err)
			}

			sub, err := c.Subscribe(ctx, lbSubscription, map[string]any{"app": "web"})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			snap := nextEvent(t, sub, "loadBalancerUpdated", "the snapshot", func(ev map[string]any) bool { return ev["kind"] == "SNAPSHOT" })
			want := fmt.Sprintf("%s=100 %s=100 ", names[0], names[1])
			if dig(snap, "loadBalancer", "name") != "web" || targets(snap) != want || dig(snap, "loadBalancer", "id") != snap["id"] {
				t.Fatalf("snapshot %v: want web with %q", snap, want)
			}
			id, version := snap["id"].(string), snap["version"].(float64)

			// A rolling shift, as a deploy makes it: each step arrives with a higher version.
			for _, w := range [][2]int{{75, 25}, {50, 50}, {0, 100}} {
				if err := prov.(providers.TrafficSplitter).SetWeights(ctx, "local", "local", "web", map[string]int{names[0]: w[0], names[1]: w[1]}); err != nil {
					t.Fatal(err)
				}
				if err := stack.Engine.Refresh(ctx, "local", "web"); err != nil {
					t.Fatal(err)
				}
				want := fmt.Sprintf("%s=%d %s=%d ", names[0], w[0], names[1], w[1])
				ev := nextEvent(t, sub, "loadBalancerUpdated", "weights "+want, func(ev map[string]any) bool { return targets(ev) == want })
				if ev["kind"] != "CHANGED" || ev["id"] != id || ev["version"].(float64) <= version {
					t.Fatalf("weights %s: got %v, want CHANGED of %s after version %v", want, ev, id, version)
				}
				version = ev["version"].(float64)
			}

			for _, n := range names {
				if err := prov.DestroyServerGroup(ctx, providers.ServerGroupRef{Account: "local", Region: "local", Name: n}); err != nil {
					t.Fatal(err)
				}
			}
			if err := prov.(providers.LoadBalancerManager).DeleteLoadBalancer(ctx, "local", "local", "web"); err != nil {
				t.Fatal(err)
			}
			if err := stack.Engine.Refresh(ctx, "local", "web"); err != nil {
				t.Fatal(err)
			}
			gone := nextEvent(t, sub, "loadBalancerUpdated", "the deletion", func(ev map[string]any) bool { return ev["kind"] == "DELETED" })
			if gone["id"] != id || gone["loadBalancer"] != nil || gone["version"].(float64) <= version {
				t.Fatalf("deletion %v: want %s with no load balancer after version %v", gone, id, version)
			}
			var out map[string]any
			if err := c.Do(ctx, `{ application(name: "web") { loadBalancers { totalCount } } }`, nil, &out); err != nil {
				t.Fatal(err)
			}
			if n := dig(out, "application", "loadBalancers", "totalCount"); n != float64(0) {
				t.Fatalf("load balancers after the deletion: %v, want 0", n)
			}
		})
	}
}
