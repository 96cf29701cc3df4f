package resolvers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

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

// TestApplicationsLastDeploy: the applications list with each one's newest execution (the
// dashboard's landing page) costs the same statements for 2 applications as for 6, and each
// page says rightly what it holds.
func TestApplicationsLastDeploy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAPI(t, s, resolvers.Limits{})
		ctx := context.Background()
		seed := func(name string, runs int) {
			t.Helper()
			app, err := s.CreateApplication(ctx, store.Application{Name: name, OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "t"})
			if err != nil {
				t.Fatal(err)
			}
			for i := range runs {
				now := time.Now().UTC()
				e := store.Execution{ID: store.NewID(), Type: store.ExecutionTypeOrchestration, ApplicationID: app.ID, ApplicationName: name,
					Name: fmt.Sprintf("%s-run-%d", name, i), Status: "SUCCEEDED", Trigger: store.JSONMap{}, Context: store.JSONMap{},
					CreatedAt: now, UpdatedAt: now, Version: 1}
				if err := s.CreateExecution(ctx, e, store.Audit{Actor: "t"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		const list = `{ applications(first: 20) { edges { node { name executions(first: 1) { totalCount
			pageInfo { hasNextPage } edges { node { name status } } } } } } }`
		count := func() (int64, map[string]any) {
			before := s.Statements()
			data := a.ok(list, nil)
			return s.Statements() - before, data
		}
		seed("a1", 3)
		seed("a2", 0)
		two, _ := count()
		for i := range 4 {
			seed(fmt.Sprintf("b%d", i), i+1)
		}
		six, data := count()
		if two != six || six > 6 {
			t.Fatalf("statements: %d for 2 applications, %d for 6; want equal and at most 6", two, six)
		}
		got := map[string]string{}
		for _, e := range dig(data, "applications", "edges").([]any) {
			n := dig(e, "node").(map[string]any)
			ex := dig(n, "executions").(map[string]any)
			newest := "-"
			if edges := ex["edges"].([]any); len(edges) > 0 {
				newest = fmt.Sprint(dig(edges[0], "node", "name"))
			}
			got[n["name"].(string)] = fmt.Sprintf("%s total=%v more=%v", newest, ex["totalCount"], dig(ex, "pageInfo", "hasNextPage"))
		}
		want := map[string]string{
			"a1": "a1-run-2 total=3 more=true", "a2": "- total=0 more=false",
			"b0": "b0-run-0 total=1 more=false", "b1": "b1-run-1 total=2 more=true",
			"b2": "b2-run-2 total=3 more=true", "b3": "b3-run-3 total=4 more=true",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("newest executions: %v\nwant %v", got, want)
		}
		// The next page, and a filtered one, still come from the full query.
		page := a.ok(`{ application(name: "b3") { executions(first: 2) { edges { cursor node { name } } } } }`, nil)
		cursor := dig(page, "application", "executions", "edges").([]any)[1].(map[string]any)["cursor"]
		next := a.ok(`query($after: String) { application(name: "b3") { executions(first: 2, after: $after) { edges { node { name } } pageInfo { hasPreviousPage } } } }`,
			map[string]any{"after": cursor})
		names := []string{}
		for _, e := range dig(next, "application", "executions", "edges").([]any) {
			names = append(names, fmt.Sprint(dig(e, "node", "name")))
		}
		if fmt.Sprint(names) != "[b3-run-1 b3-run-0]" || dig(next, "application", "executions", "pageInfo", "hasPreviousPage") != true {
			t.Fatalf("second page: %v", next)
		}
		failed := a.ok(`{ application(name: "b3") { executions(first: 5, statuses: [TERMINAL]) { totalCount } } }`, nil)
		if dig(failed, "application", "executions", "totalCount") != float64(0) {
			t.Fatalf("TERMINAL executions of b3: %v", failed)
		}
	})
}
