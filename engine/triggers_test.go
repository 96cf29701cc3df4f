package engine_test

import (
	"testing"
	"time"

	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

func executionsOf(t *testing.T, w *world, p store.Pipeline) []store.Execution {
	t.Helper()
	rows, _, _, err := w.store.ListExecutions(t.Context(), store.ExecutionFilter{PipelineIDs: []string{p.ID}}, store.Page{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestTriggers(t *testing.T) {
	eachWorld(t, engine.Config{CronInterval: time.Hour}, func(t *testing.T, w *world) {
		// A pipeline trigger: "deploy" runs when "build" succeeds, once per build.
		build := w.pipelineOf(pipeline.Definition{Name: "build", Stages: []pipeline.Stage{wait0("1", "compile")}})
		deploy := w.pipelineOf(pipeline.Definition{Name: "deploy",
			Triggers: []pipeline.Trigger{{Type: "pipeline", Enabled: true, Config: map[string]any{"application": w.app.Name, "pipeline": "build"}}},
			Stages:   []pipeline.Stage{wait0("1", "ship")}})
		w.waitStatus(w.start(build, nil), pipeline.Succeeded)
		var downstream []store.Execution
		deadline := time.Now().Add(20 * time.Second)
		for len(downstream) == 0 && time.Now().Before(deadline) {
			downstream = executionsOf(t, w, deploy)
			time.Sleep(20 * time.Millisecond)
		}
		if len(downstream) != 1 {
			t.Fatalf("deploy ran %d times after one build, want 1", len(downstream))
		}
		e := w.waitStatus(downstream[0].ID, pipeline.Succeeded)
		if e.Trigger["type"] != "pipeline" || e.Trigger["parentPipeline"] != "build" {
			t.Fatalf("trigger %v", e.Trigger)
		}

		// A cron trigger fires once per firing time, however many passes see it.
		nightly := w.pipelineOf(pipeline.Definition{Name: "nightly",
			Triggers: []pipeline.Trigger{{Type: "cron", Enabled: true, Config: map[string]any{"cronExpression": "0 3 * * *"}}},
			Stages:   []pipeline.Stage{wait0("1", "clean")}})
		from := time.Date(2026, 11, 26, 2, 59, 0, 0, time.UTC)
		to := from.Add(2 * time.Minute)
		for pass := 0; pass < 3; pass++ {
			if err := w.engine.FireCron(t.Context(), from, to); err != nil {
				t.Fatal(err)
			}
		}
		runs := executionsOf(t, w, nightly)
		if len(runs) != 1 {
			t.Fatalf("nightly ran %d times for one firing time, want 1", len(runs))
		}
		w.waitStatus(runs[0].ID, pipeline.Succeeded)
		if err := w.engine.FireCron(t.Context(), to, to.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := len(executionsOf(t, w, nightly)); n != 1 {
			t.Fatalf("nightly ran outside its schedule: %d runs", n)
		}
	})
}
