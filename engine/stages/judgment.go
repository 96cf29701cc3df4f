package stages

import (
	"context"
	"time"

	"github.com/gennaker/gennaker/pipeline"
)

func init() {
	Register(Type{Name: "manualJudgment", Tasks: []Task{pureTask("waitForJudgment", runJudgment)}})
}

// judgmentPoll is how often a judgment re-checks; an answer also wakes it at once.
const judgmentPoll = 30 * time.Second

// runJudgment waits for the answer the engine records in the stage's state
// (judgmentStatus continue|stop, judgmentInput, judgedBy, comment): continue succeeds with
// the answer in the outputs (so ${judgment('name')} reads it), stop ends TERMINAL.
func runJudgment(_ context.Context, c *Context) Result {
	status := asString(c.State["judgmentStatus"])
	out := map[string]any{"judgmentStatus": status, "judgmentInput": c.State["judgmentInput"],
		"judgedBy": c.State["judgedBy"], "judgmentComment": c.State["judgmentComment"], "judgedAt": c.State["judgedAt"]}
	switch status {
	case "continue":
		return Succeeded(out)
	case "stop":
		r := Failed("stopped by %s at the manual judgment: %s", asString(c.State["judgedBy"]), asString(c.State["judgmentComment"]))
		r.Outputs = out
		return r
	}
	return Result{Status: pipeline.Running, RetryAfter: judgmentPoll}
}
