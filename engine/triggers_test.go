package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/gennaker/gennaker/bus"
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
		// The next 03:00 after the pipeline was saved: a schedule never fires for a time before.
		now := time.Now().UTC()
		at3 := time.Date(now.Year(), now.Month(), now.Day(), 3, 0, 0, 0, time.UTC)
		if !at3.After(now) {
			at3 = at3.AddDate(0, 0, 1)
		}
		from := at3.Add(-time.Minute)
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

// TestCronCatchUp: an engine that starts catches up the latest firing missed while no engine
// ran, once, and never a firing from before the pipeline had its schedule.
func TestCronCatchUp(t *testing.T) {
	eachWorld(t, engine.Config{CronInterval: time.Hour}, func(t *testing.T, w *world) {
		every15 := []pipeline.Trigger{{Type: "cron", Enabled: true, Config: map[string]any{"cronExpression": "*/15 * * * *"}}}
		old := w.pipelineOf(pipeline.Definition{Name: "old", Triggers: every15, Stages: []pipeline.Stage{wait0("1", "clean")}})
		fresh := w.pipelineOf(pipeline.Definition{Name: "fresh", Triggers: every15, Stages: []pipeline.Stage{wait0("1", "clean")}})
		// "old" has had its schedule for two hours.
		if err := w.store.Gorm().Model(&store.Pipeline{}).Where("id = ?", old.ID).
			Update("updated_at", time.Now().UTC().Add(-2*time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		latest := now.Truncate(15 * time.Minute)

		// A second engine starts: its first cron pass looks back an hour.
		ctx, cancel := context.WithCancel(context.Background())
		b2, err := bus.Connect(ctx, w.bus.Conn().ConnectedUrl(), "late-engine", bus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		late := engine.New(engine.Config{Store: w.store, Bus: b2, Log: logger(), CronInterval: 50 * time.Millisecond, CronCatchUp: time.Hour})
		started, done := make(chan error, 1), make(chan struct{})
		go func() { defer close(done); _ = late.Run(ctx, started) }()
		if err := <-started; err != nil {
			t.Fatal(err)
		}
		defer func() { cancel(); <-done; b2.Close() }()

		var runs []store.Execution
		deadline := time.Now().Add(20 * time.Second)
		for len(runs) == 0 && time.Now().Before(deadline) {
			runs = executionsOf(t, w, old)
			time.Sleep(20 * time.Millisecond)
		}
		if len(runs) != 1 || runs[0].Trigger["scheduledAt"] != latest.Format(time.RFC3339) {
			t.Fatalf("old pipeline: %d runs (%v); want one, for %s", len(runs), runs, latest.Format(time.RFC3339))
		}
		w.waitStatus(runs[0].ID, pipeline.Succeeded)
		// More passes, and the catch-up of an engine starting again: still one run.
		if err := w.engine.FireCron(t.Context(), now.Add(-time.Hour), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if n := len(executionsOf(t, w, old)); n != 1 {
			t.Fatalf("old pipeline ran %d times for one missed firing", n)
		}
		if n := len(executionsOf(t, w, fresh)); n != 0 && !latest.After(fresh.UpdatedAt) {
			t.Fatalf("fresh pipeline ran %d times for firings before it was saved", n)
		}
	})
}
