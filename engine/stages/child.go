package stages

import (
	"context"
	"strconv"
	"time"

	"github.com/gennaker/gennaker/pipeline"
)

func init() {
	Register(Type{Name: "pipeline", Tasks: []Task{task("startPipeline", runStartChild), task("monitorPipeline", runMonitorChild)}})
	Register(Type{Name: "restrictExecutionDuringTimeWindow", Tasks: []Task{pureTask("suspendExecutionDuringTimeWindow",
		func(context.Context, *Context) Result { return Result{Status: pipeline.Succeeded} })}})
}

// runStartChild starts the child pipeline once per stage run (the key makes a repeat return
// the same execution).
func runStartChild(ctx context.Context, c *Context) Result {
	if id := asString(c.State["childExecutionId"]); id != "" {
		return Result{Status: pipeline.Succeeded}
	}
	params := map[string]string{}
	if pm, ok := c.Config["pipelineParameters"].(map[string]any); ok {
		for k, v := range pm {
			params[k] = asString(v)
		}
	}
	app := asString(c.Config["application"])
	if app == "" {
		app = c.Application
	}
	key := c.StageID + "-" + strconv.Itoa(c.Attempt)
	id, err := c.Services.TriggerPipeline(ctx, key, app, asString(c.Config["pipeline"]), params, c.ExecutionID)
	if err != nil {
		return Failed("starting pipeline %q of %s: %v", asString(c.Config["pipeline"]), app, err)
	}
	return Result{Status: pipeline.Succeeded, Context: map[string]any{"childExecutionId": id},
		Outputs: map[string]any{"childExecutionId": id}}
}

func runMonitorChild(ctx context.Context, c *Context) Result {
	if !asBool(c.Config["waitForCompletion"], true) {
		return Result{Status: pipeline.Succeeded}
	}
	id := asString(c.State["childExecutionId"])
	st, outputs, err := c.Services.ExecutionStatus(ctx, id)
	if err != nil {
		return Running(2 * time.Second)
	}
	switch {
	case st == pipeline.Succeeded:
		return Succeeded(map[string]any{"childOutputs": outputs})
	case st.IsComplete():
		return Failed("the child pipeline ended %s", st)
	}
	return Running(time.Second)
}
