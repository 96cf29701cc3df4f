package resolvers_test

import (
	"fmt"
	"testing"

	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

const clusterView = `query($app: String!) { application(name: $app) { name clusters(first: 100) { totalCount edges { node {
	name account serverGroups(first: 20) { edges { node { name enabled capacity { desired } instanceCounts { up }
	instances(first: 50) { edges { node { instanceId health } } } } } } } } } } }`

// seedClusters gives an application n clusters of g server groups of i instances.
func seedClusters(tb testing.TB, s *store.Store, app string, n, g, i int) {
	tb.Helper()
	if _, err := s.CreateApplication(tb.Context(), store.Application{Name: app, OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "seed"}); err != nil {
		tb.Fatal(err)
	}
	for c := 0; c < n; c++ {
		cluster := fmt.Sprintf("%s-c%d", app, c)
		for v := 0; v < g; v++ {
			seq := v
			st := store.ServerGroupState{Application: app, Account: "local", Region: "local", Cluster: cluster, Stack: fmt.Sprintf("c%d", c),
				Group: store.ServerGroup{Name: fmt.Sprintf("%s-v%03d", cluster, v), Sequence: &seq, CapacityMin: i, CapacityDesired: i, CapacityMax: i,
					Enabled: v == g-1, Artifact: store.JSONMap{"type": "exec", "reference": "hello", "version": fmt.Sprint(v)}}}
			for k := 0; k < i; k++ {
				st.Instances = append(st.Instances, store.Instance{InstanceID: fmt.Sprintf("i-%d-%d-%d", c, v, k), Health: "UP", Address: "127.0.0.1:1"})
			}
			if _, _, err := s.UpsertServerGroup(tb.Context(), st); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// TestClusterViewStatements proves the dataloaders: the cluster view costs the same number of
// SQL statements for 2 clusters as for 20, whatever the server groups and instances.
func TestClusterViewStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAPI(t, s, resolvers.Limits{})
		seedClusters(t, s, "small", 2, 2, 2)
		seedClusters(t, s, "large", 20, 5, 3)
		count := func(app string) (int64, map[string]any) {
			before := s.Statements()
			data := a.ok(clusterView, map[string]any{"app": app})
			return s.Statements() - before, data
		}
		small, _ := count("small")
		large, data := count("large")
		if small != large {
			t.Fatalf("statements: %d for 2 clusters, %d for 20; want equal", small, large)
		}
		if small > 5 {
			t.Errorf("statements per cluster view: %d, want at most 5 (application, clusters, server groups, instances)", small)
		}
		edges := dig(data, "application", "clusters", "edges").([]any)
		if len(edges) != 20 {
			t.Fatalf("clusters: %d, want 20", len(edges))
		}
		sgs := dig(edges[0], "node", "serverGroups", "edges").([]any)
		inst := dig(sgs[0], "node", "instances", "edges").([]any)
		if len(sgs) != 5 || len(inst) != 3 || dig(sgs[0], "node", "instanceCounts", "up") != float64(3) {
			t.Fatalf("first cluster: %d server groups, %d instances", len(sgs), len(inst))
		}
		// The same holds for the applications list: more applications, same statements.
		all := `{ applications(first: 10) { edges { node { name clusters(first: 20) { edges { node { name
			serverGroups(first: 10) { edges { node { name instances(first: 10) { edges { node { health } } } } } } } } } } } } }`
		before := s.Statements()
		a.ok(all, nil)
		two := s.Statements() - before
		seedClusters(t, s, "more", 7, 2, 2)
		seedClusters(t, s, "most", 3, 4, 1)
		before = s.Statements()
		a.ok(all, nil)
		if four := s.Statements() - before; four != two {
			t.Fatalf("applications view: %d statements for 2 applications, %d for 4; want equal", two, four)
		}
		// Newest server group first.
		if dig(sgs[0], "node", "name") != "large-c0-v004" {
			t.Errorf("first server group %v, want the newest large-c0-v004", dig(sgs[0], "node", "name"))
		}
	})
}

// TestPagination walks a connection page by page with cursors.
func TestPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAPI(t, s, resolvers.Limits{})
		seedClusters(t, s, "paged", 5, 1, 0)
		var names []string
		var after any
		for page := 0; page < 10; page++ {
			data := a.ok(`query($after: String) { application(name: "paged") { clusters(first: 2, after: $after) {
				edges { cursor node { name } } pageInfo { hasNextPage endCursor } } } }`, map[string]any{"after": after})
			conn := dig(data, "application", "clusters")
			for _, e := range dig(conn, "edges").([]any) {
				names = append(names, dig(e, "node", "name").(string))
			}
			if dig(conn, "pageInfo", "hasNextPage") != true {
				break
			}
			after = dig(conn, "pageInfo", "endCursor")
		}
		if fmt.Sprint(names) != "[paged-c0 paged-c1 paged-c2 paged-c3 paged-c4]" {
			t.Fatalf("paged through %v", names)
		}
		_, errs := a.do(`{ application(name: "paged") { clusters(first: 2, after: "garbage") { totalCount } } }`, nil)
		if code(errs) != "BAD_USER_INPUT" {
			t.Fatalf("bad cursor: code %q", code(errs))
		}
	})
}
