package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// TestAuditEventsFiled proves that every write path files its audit event under its target,
// its application and, for executions, the execution, and that a named target (the server
// group of an orchestration) takes the place of the row written.
func TestAuditEventsFiled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		app, err := s.CreateApplication(ctx, store.Application{Name: "shop", OwnerEmail: "o@x.io", Criticality: "LOW"},
			store.Audit{Actor: "alice", Action: "createApplication"})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.SavePipeline(ctx, store.Pipeline{ApplicationID: app.ID, Name: "ship", Definition: []byte(`{}`)}, nil,
			store.Audit{Actor: "bob", Action: "savePipeline"})
		if err != nil {
			t.Fatal(err)
		}
		run := store.Execution{ID: store.NewID(), Type: store.ExecutionTypePipeline, ApplicationID: app.ID, ApplicationName: app.Name,
			PipelineID: &p.ID, Name: "ship", Status: "SUCCEEDED", Version: 1}
		if err := s.CreateExecution(ctx, run, store.Audit{Actor: "carol", Action: "triggerPipeline"}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAudit(ctx, store.Audit{Actor: "dave", Action: "cancelExecution"}, run); err != nil {
			t.Fatal(err)
		}
		orch := store.Execution{ID: store.NewID(), Type: store.ExecutionTypeOrchestration, ApplicationID: app.ID, ApplicationName: app.Name,
			Name: "disable shop-v001", Status: "NOT_STARTED", Version: 1}
		if err := s.CreateExecution(ctx, orch, store.Audit{Actor: "erin", Action: "disableServerGroup",
			Target: store.AuditTarget{Type: "ServerGroup", ID: "sg-1"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePipeline(ctx, p.ID, store.Audit{Actor: "frank", Action: "deletePipeline"}); err != nil {
			t.Fatal(err)
		}

		evs, _, total, err := s.ListAuditEvents(ctx, store.AuditFilter{}, store.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"frank deletePipeline Pipeline:" + p.ID + " app=shop exec=",
			"erin disableServerGroup ServerGroup:sg-1 app=shop exec=" + orch.ID,
			"dave cancelExecution Execution:" + run.ID + " app=shop exec=" + run.ID,
			"carol triggerPipeline Execution:" + run.ID + " app=shop exec=" + run.ID,
			"bob savePipeline Pipeline:" + p.ID + " app=shop exec=",
			"alice createApplication Application:" + app.ID + " app=shop exec=",
		}
		if got := filed(evs); total != 6 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("filed (total %d):\n%s\nwant:\n%s", total, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func filed(evs []store.AuditEvent) []string {
	out := make([]string, 0, len(evs))
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%s %s %s:%s app=%s exec=%s", e.Actor, e.Action, e.TargetType, e.TargetID, e.ApplicationName, e.ExecutionID))
	}
	return out
}

// seedAudit writes events straight into the table (the write paths are tested above), at
// known times: event i is at base + i minutes.
func seedAudit(t *testing.T, s *store.Store, base time.Time, evs []store.AuditEvent) []store.AuditEvent {
	t.Helper()
	for i := range evs {
		evs[i].At = base.Add(time.Duration(i) * time.Minute)
		if evs[i].Detail == nil {
			evs[i].Detail = store.JSONMap{"i": i}
		}
		if err := s.Gorm().Create(&evs[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	return evs
}

func TestListAuditEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		base := time.Date(2030, 1, 2, 3, 0, 0, 0, time.UTC)
		ev := func(actor, action, typ, id, app, exec string) store.AuditEvent {
			return store.AuditEvent{Actor: actor, Action: action, TargetType: typ, TargetID: id, ApplicationName: app, ExecutionID: exec}
		}
		seedAudit(t, s, base, []store.AuditEvent{
			ev("alice", "createApplication", "Application", "a1", "shop", ""),    // 0
			ev("alice", "savePipeline", "Pipeline", "p1", "shop", ""),            // 1
			ev("bob", "triggerPipeline", "Execution", "e1", "shop", "e1"),        // 2
			ev("bob", "createApplication", "Application", "a2", "blog", ""),      // 3
			ev("carol", "cancelExecution", "Execution", "e1", "shop", "e1"),      // 4
			ev("carol", "disableServerGroup", "ServerGroup", "g1", "shop", "e2"), // 5
			ev("alice", "savePipeline", "Pipeline", "p1", "shop", ""),            // 6
			ev("bob", "savePipeline", "Pipeline", "p2", "blog", ""),              // 7
		})
		actions := func(evs []store.AuditEvent) string {
			var out []string
			for _, e := range evs {
				out = append(out, fmt.Sprintf("%d", e.At.Sub(base)/time.Minute))
			}
			return strings.Join(out, ",")
		}
		for _, tc := range []struct {
			name  string
			f     store.AuditFilter
			want  string
			total int64
		}{
			{"all, newest first", store.AuditFilter{}, "7,6,5,4,3,2,1,0", 8},
			{"application", store.AuditFilter{Application: "blog"}, "7,3", 2},
			{"target type", store.AuditFilter{TargetType: "Pipeline"}, "7,6,1", 3},
			{"target", store.AuditFilter{TargetType: "Pipeline", TargetID: "p1"}, "6,1", 2},
			{"execution", store.AuditFilter{ExecutionID: "e1"}, "4,2", 2},
			{"actor", store.AuditFilter{Actor: "carol"}, "5,4", 2},
			{"action", store.AuditFilter{Action: "savePipeline"}, "7,6,1", 3},
			{"since (inclusive)", store.AuditFilter{Since: base.Add(5 * time.Minute)}, "7,6,5", 3},
			{"until (exclusive)", store.AuditFilter{Until: base.Add(2 * time.Minute)}, "1,0", 2},
			{"range", store.AuditFilter{Since: base.Add(2 * time.Minute), Until: base.Add(5 * time.Minute)}, "4,3,2", 3},
			{"combined", store.AuditFilter{Application: "shop", Actor: "alice", Since: base.Add(time.Minute)}, "6,1", 2},
			{"nothing", store.AuditFilter{Actor: "nobody"}, "", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, more, total, err := s.ListAuditEvents(ctx, tc.f, store.Page{First: 100})
				if err != nil {
					t.Fatal(err)
				}
				if actions(got) != tc.want || total != tc.total || more {
					t.Fatalf("got %s (total %d, more %v), want %s (total %d)", actions(got), total, more, tc.want, tc.total)
				}
			})
		}

		// Pages of 3 walk the whole list once, newest first; the total is the whole list's.
		var walked []string
		after := ""
		for range 5 {
			page, more, total, err := s.ListAuditEvents(ctx, store.AuditFilter{}, store.Page{First: 3, After: after})
			if err != nil {
				t.Fatal(err)
			}
			if total != 8 {
				t.Fatalf("total on a later page: %d, want 8", total)
			}
			walked = append(walked, actions(page))
			if !more {
				break
			}
			after = store.AuditKey(page[len(page)-1])
		}
		if got := strings.Join(walked, "|"); got != "7,6,5|4,3,2|1,0" {
			t.Fatalf("pages %s, want 7,6,5|4,3,2|1,0", got)
		}
		if _, _, _, err := s.ListAuditEvents(ctx, store.AuditFilter{}, store.Page{First: 3, After: "not-an-id"}); err == nil {
			t.Fatal("a malformed key: no error")
		}
	})
}

// TestAuditEventsOf proves the batched read: each key's own page, count and more, and two
// statements for any number of keys.
func TestAuditEventsOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var evs []store.AuditEvent
		apps := []string{"a", "b", "c", "d", "e", "f"}
		// Application k has k+1 events, interleaved in time.
		for round := 0; round < len(apps); round++ {
			for k, app := range apps {
				if round <= k {
					evs = append(evs, store.AuditEvent{Actor: "u", Action: fmt.Sprintf("%s%d", app, round),
						TargetType: "Pipeline", TargetID: "p-" + app, ApplicationName: app})
				}
			}
		}
		seedAudit(t, s, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), evs)
		page := func(pg store.AuditPage) string {
			var out []string
			for _, e := range pg.Events {
				out = append(out, e.Action)
			}
			return fmt.Sprintf("%s total=%d more=%v", strings.Join(out, ","), pg.Total, pg.More)
		}

		before := s.Statements()
		got, err := s.AuditEventsOf(ctx, store.AuditOfApplication, []string{"f", "a", "c", "zzz", "c"}, store.Page{First: 2})
		if err != nil {
			t.Fatal(err)
		}
		if n := s.Statements() - before; n != 2 {
			t.Errorf("statements for 4 keys: %d, want 2", n)
		}
		for key, want := range map[string]string{
			"f":   "f5,f4 total=6 more=true",
			"a":   "a0 total=1 more=false",
			"c":   "c2,c1 total=3 more=true",
			"zzz": " total=0 more=false",
		} {
			if page(got[key]) != want {
				t.Errorf("key %s: %s, want %s", key, page(got[key]), want)
			}
		}
		if len(got) != 4 {
			t.Errorf("%d keys in the answer, want 4", len(got))
		}

		// The next page of each, after the same cursor (as nested connections share it): e4
		// was written just before f4.
		cursor := store.AuditKey(got["f"].Events[1])
		got, err = s.AuditEventsOf(ctx, store.AuditOfApplication, []string{"f", "e"}, store.Page{First: 2, After: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if page(got["f"]) != "f3,f2 total=6 more=true" || page(got["e"]) != "e4,e3 total=5 more=true" {
			t.Errorf("after f4: f %s, e %s", page(got["f"]), page(got["e"]))
		}

		// All six keys cost the same two statements; first 0 only counts.
		before = s.Statements()
		got, err = s.AuditEventsOf(ctx, store.AuditOfTarget("Pipeline"), []string{"p-a", "p-b", "p-c", "p-d", "p-e", "p-f"}, store.Page{First: 0})
		if err != nil {
			t.Fatal(err)
		}
		if n := s.Statements() - before; n != 2 {
			t.Errorf("statements for 6 keys: %d, want 2", n)
		}
		if page(got["p-d"]) != " total=4 more=true" {
			t.Errorf("first 0: %s, want no events, total 4, more", page(got["p-d"]))
		}
		got, _ = s.AuditEventsOf(ctx, store.AuditOfTarget("Application"), []string{"p-a"}, store.Page{First: 5})
		if page(got["p-a"]) != " total=0 more=false" {
			t.Errorf("another target type's ids: %s, want nothing", page(got["p-a"]))
		}
	})
}
