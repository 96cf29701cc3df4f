package stages

import (
	"context"
	"time"

	"github.com/gennaker/gennaker/pipeline"
)

func init() {
	Register(Type{Name: "wait", Tasks: []Task{pureTask("wait", runWait)}})
}

// runWait succeeds once waitTime seconds have passed since the stage started (time paused
// does not count: the engine moves StartedAt forward on resume).
func runWait(_ context.Context, c *Context) Result {
	secs, _ := asInt(c.Config["waitTime"])
	end := c.StartedAt.Add(time.Duration(secs) * time.Second)
	if !c.Now.Before(end) {
		return Result{Status: pipeline.Succeeded}
	}
	return Running(end.Sub(c.Now))
}
