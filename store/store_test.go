package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"gorm.io/gorm"

	"github.com/gennaker/gennaker/migrations"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// TestMigratedSchemaMatchesModels proves that both dialects migrate from empty and that the
// migrated tables hold exactly the columns the GORM models read and write.
func TestMigratedSchemaMatchesModels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		db := s.Gorm()
		for _, m := range store.Models() {
			stmt := db.Session(&gorm.Session{})
			if err := stmt.Statement.Parse(m); err != nil {
				t.Fatalf("parsing model %T: %v", m, err)
			}
			sch := stmt.Statement.Schema
			if !db.Migrator().HasTable(sch.Table) {
				t.Errorf("table %s: missing after migration", sch.Table)
				continue
			}
			cols, err := db.Migrator().ColumnTypes(m)
			if err != nil {
				t.Fatalf("reading columns of %s: %v", sch.Table, err)
			}
			have := map[string]bool{}
			for _, c := range cols {
				have[c.Name()] = true
			}
			want := map[string]bool{}
			for _, f := range sch.Fields {
				if f.DBName != "" {
					want[f.DBName] = true
				}
			}
			if got, wantList := keys(have), keys(want); !equal(got, wantList) {
				t.Errorf("table %s: columns %v, model wants %v", sch.Table, got, wantList)
			}
		}
		sqlDB, _ := s.DB()
		st, err := migrations.Status(context.Background(), sqlDB, s.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range st {
			if !m.Applied {
				t.Errorf("migration %d (%s) not applied", m.Version, m.Source)
			}
		}
		// Applying again is a no-op.
		applied, err := migrations.Up(context.Background(), sqlDB, s.Dialect())
		if err != nil || len(applied) != 0 {
			t.Errorf("second Up: applied %v, err %v; want nothing", applied, err)
		}
	})
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestApplicationLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		audit := store.Audit{Actor: "alice", Action: "createApplication"}
		a, err := s.CreateApplication(ctx, store.Application{Name: "shop", OwnerEmail: "a@x.io", Criticality: "HIGH"}, audit)
		if err != nil {
			t.Fatal(err)
		}
		if a.Version != 1 || a.ID == "" {
			t.Fatalf("created %+v; want version 1 and an id", a)
		}
		if _, err := s.CreateApplication(ctx, store.Application{Name: "shop", OwnerEmail: "b@x.io", Criticality: "LOW"}, audit); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate name: got %v, want ErrConflict", err)
		}
		desc := "the shop"
		v1 := int64(1)
		u, err := s.UpdateApplication(ctx, a.ID, store.ApplicationUpdate{Version: &v1, Description: &desc}, store.Audit{Actor: "bob", Action: "updateApplication"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Version != 2 || u.Description != desc {
			t.Fatalf("updated %+v; want version 2 with description", u)
		}
		if _, err := s.UpdateApplication(ctx, a.ID, store.ApplicationUpdate{Version: &v1, Description: &desc}, audit); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale version: got %v, want ErrConflict", err)
		}
		evs, err := s.AuditEvents(ctx, "Application", a.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Actor != "bob" || evs[1].Actor != "alice" {
			t.Fatalf("audit events %+v; want bob's update then alice's create", evs)
		}
		for _, name := range []string{"alpha", "beta", "gamma"} {
			if _, err := s.CreateApplication(ctx, store.Application{Name: name, OwnerEmail: "o@x.io", Criticality: "LOW"}, audit); err != nil {
				t.Fatal(err)
			}
		}
		page, more, total, err := s.ListApplications(ctx, store.ApplicationFilter{}, store.Page{First: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 2 || !more || total != 4 || page[0].Name != "alpha" || page[1].Name != "beta" {
			t.Fatalf("first page %v more=%v total=%d; want alpha, beta, more, 4", names(page), more, total)
		}
		page, more, _, err = s.ListApplications(ctx, store.ApplicationFilter{}, store.Page{First: 2, After: "beta"})
		if err != nil || len(page) != 2 || more || page[0].Name != "gamma" {
			t.Fatalf("second page %v more=%v err=%v; want gamma, shop", names(page), more, err)
		}
		page, _, total, _ = s.ListApplications(ctx, store.ApplicationFilter{Criticality: []string{"HIGH"}}, store.Page{First: 10})
		if total != 1 || page[0].Name != "shop" {
			t.Fatalf("HIGH filter: %v; want shop", names(page))
		}
		if err := s.DeleteApplication(ctx, a.ID, audit); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Application(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("after delete: got %v, want ErrNotFound", err)
		}
	})
}

func names(apps []store.Application) []string {
	var out []string
	for _, a := range apps {
		out = append(out, a.Name)
	}
	return out
}

func TestDeleteApplicationRefusedWithServerGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, err := s.CreateApplication(ctx, store.Application{Name: "hello", OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "t"})
		if err != nil {
			t.Fatal(err)
		}
		_, changed, err := s.UpsertServerGroup(ctx, store.ServerGroupState{Application: "hello", Account: "local", Region: "local",
			Cluster: "hello", Group: store.ServerGroup{Name: "hello-v000", CapacityDesired: 1, CapacityMax: 1, Enabled: true},
			Instances: []store.Instance{{InstanceID: "i-1", Health: "UP"}}})
		if err != nil || !changed {
			t.Fatalf("upsert: changed=%v err=%v", changed, err)
		}
		if err := s.DeleteApplication(ctx, a.ID, store.Audit{Actor: "t"}); !errors.Is(err, store.ErrInUse) {
			t.Fatalf("got %v, want ErrInUse", err)
		}
		// The same report again changes nothing.
		sg, changed, err := s.UpsertServerGroup(ctx, store.ServerGroupState{Application: "hello", Account: "local", Region: "local",
			Cluster: "hello", Group: store.ServerGroup{Name: "hello-v000", CapacityDesired: 1, CapacityMax: 1, Enabled: true},
			Instances: []store.Instance{{InstanceID: "i-1", Health: "UP"}}})
		if err != nil || changed || sg.Version != 1 {
			t.Fatalf("same report: changed=%v version=%d err=%v; want unchanged at 1", changed, sg.Version, err)
		}
		sg, changed, err = s.UpsertServerGroup(ctx, store.ServerGroupState{Application: "hello", Account: "local", Region: "local",
			Cluster: "hello", Group: store.ServerGroup{Name: "hello-v000", CapacityDesired: 1, CapacityMax: 1, Enabled: true},
			Instances: []store.Instance{{InstanceID: "i-1", Health: "DOWN"}}})
		if err != nil || !changed || sg.Version != 2 {
			t.Fatalf("health change: changed=%v version=%d err=%v; want changed at 2", changed, sg.Version, err)
		}
	})
}

// TestUpsertServerGroupInstances changes, adds and removes several instances in one report.
func TestUpsertServerGroupInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.CreateApplication(ctx, store.Application{Name: "multi", OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "t"}); err != nil {
			t.Fatal(err)
		}
		report := func(health map[string]string) store.ServerGroup {
			st := store.ServerGroupState{Application: "multi", Account: "local", Region: "local", Cluster: "multi",
				Group: store.ServerGroup{Name: "multi-v000", CapacityDesired: len(health), CapacityMax: 9, Enabled: true}}
			for id, h := range health {
				st.Instances = append(st.Instances, store.Instance{InstanceID: id, Health: h})
			}
			g, _, err := s.UpsertServerGroup(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		g := report(map[string]string{"a": "STARTING", "b": "STARTING", "c": "STARTING"})
		report(map[string]string{"a": "UP", "b": "UP", "c": "DOWN", "d": "STARTING"})
		is, err := s.InstancesByServerGroups(ctx, []string{g.ID})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, i := range is {
			got[i.InstanceID] = i.Health
		}
		if fmt.Sprint(got) != "map[a:UP b:UP c:DOWN d:STARTING]" {
			t.Fatalf("instances %v after the second report", got)
		}
		report(map[string]string{"b": "UP"})
		is, _ = s.InstancesByServerGroups(ctx, []string{g.ID})
		if len(is) != 1 || is[0].InstanceID != "b" {
			t.Fatalf("instances %+v after the third report, want only b", is)
		}
	})
}

// TestUpsertLoadBalancerVersions: a report that changes the weights grows the version, the
// same report again changes nothing, and a deleted load balancer is no longer listed.
func TestUpsertLoadBalancerVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.CreateApplication(ctx, store.Application{Name: "shop", OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "t"}); err != nil {
			t.Fatal(err)
		}
		report := func(weights ...int) (store.LoadBalancer, bool) {
			t.Helper()
			lb := store.LoadBalancer{Account: "local", Region: "local", Name: "shop", Address: "127.0.0.1:1"}
			for i, w := range weights {
				lb.Targets = append(lb.Targets, store.Target{ServerGroup: fmt.Sprintf("shop-v%03d", i), Weight: w})
			}
			got, changed, err := s.UpsertLoadBalancer(ctx, "shop", lb)
			if err != nil {
				t.Fatal(err)
			}
			return got, changed
		}
		for i, step := range []struct {
			weights     []int
			wantChanged bool
			wantVersion int64
		}{
			{[]int{100}, true, 1},
			{[]int{100}, false, 1},
			{[]int{75, 25}, true, 2},
			{[]int{75, 25}, false, 2},
			{[]int{0, 100}, true, 3},
		} {
			lb, changed := report(step.weights...)
			if changed != step.wantChanged || lb.Version != step.wantVersion {
				t.Fatalf("report %d %v: got changed=%v version=%d, want changed=%v version=%d",
					i, step.weights, changed, lb.Version, step.wantChanged, step.wantVersion)
			}
		}
		if _, _, err := s.UpsertLoadBalancer(ctx, "nobody", store.LoadBalancer{Account: "local", Region: "local", Name: "x"}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown application: got %v, want ErrNotFound", err)
		}
		rows, err := s.LoadBalancersOf(ctx, "local", "shop")
		if err != nil || len(rows) != 1 || rows[0].Targets[1].Weight != 100 {
			t.Fatalf("LoadBalancersOf: got %+v, %v; want the one load balancer with its last weights", rows, err)
		}
		if other, _ := s.LoadBalancersOf(ctx, "prod", "shop"); len(other) != 0 {
			t.Fatalf("LoadBalancersOf another account: got %d rows, want 0", len(other))
		}
		if err := s.DeleteLoadBalancer(ctx, rows[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteLoadBalancer(ctx, rows[0].ID); err != nil {
			t.Fatalf("deleting a missing load balancer: got %v, want nil", err)
		}
		if rows, _ := s.LoadBalancersOf(ctx, "local", "shop"); len(rows) != 0 {
			t.Fatalf("after delete: got %d rows, want 0", len(rows))
		}
	})
}
