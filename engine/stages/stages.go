// Package stages holds Gennaker's stage types, one file each, and the contract between them
// and the engine: a stage type is a list of tasks; a task runs, returns a Result, and is run
// again later (never in a sleeping goroutine) while it reports Running.
package stages

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
)

// Context is what a task sees: its stage's config with every ${…} already evaluated, the
// stage's context and outputs so far, and the execution around it.
type Context struct {
	ExecutionID string
	Application string
	StageID     string
	StageName   string
	// Attempt counts restarts of the stage; with StageID it names one run of the stage
	// (the idempotency key of side effects).
	Attempt int
	// Config is the stage definition's config, evaluated.
	Config map[string]any
	// State is what earlier runs of this stage's tasks stored (Result.Context), including
	// answers the engine recorded (a judgment).
	State map[string]any
	// Env evaluates further expressions (success expressions of a webhook …).
	Env pipeline.Env
	// StartedAt is when the stage started; Paused is how long it was paused since.
	StartedAt time.Time
	Now       time.Time
	HTTP      *http.Client
	// Services gives tasks what the engine has beyond the stage (providers, child pipelines).
	Services Services
}

// Services is implemented by the engine for tasks that reach outside their stage.
type Services interface {
	// TriggerPipeline starts another pipeline as a child and returns its execution id.
	// The same key returns the same execution: it is safe to call again after a crash.
	TriggerPipeline(ctx context.Context, key, application, pipeline string, params map[string]string, parentExecution string) (string, error)
	// ExecutionStatus returns the status (and outputs) of an execution.
	ExecutionStatus(ctx context.Context, id string) (pipeline.Status, map[string]any, error)
	// Provider returns the driver of a deploy account and the account.
	Provider(account string) (providers.Provider, providers.Account, error)
	// Refresh has the caching agent read an application in an account now, so that the
	// cluster views show an operation's effect at once.
	Refresh(ctx context.Context, account, app string)
}

// Result is what a task run returns.
type Result struct {
	Status pipeline.Status
	// RetryAfter, with Status Running, is when to run the task again.
	RetryAfter time.Duration
	// Context is merged into the stage's context (state for the next run).
	Context map[string]any
	// Outputs is merged into the stage's outputs (visible to later stages' expressions).
	Outputs map[string]any
	// Error says, in words, why the task failed.
	Error string
}

// Running asks to be run again after d.
func Running(d time.Duration) Result { return Result{Status: pipeline.Running, RetryAfter: d} }

// Succeeded ends the task successfully with outputs.
func Succeeded(outputs map[string]any) Result {
	return Result{Status: pipeline.Succeeded, Outputs: outputs}
}

// Failed ends the task TERMINAL with a message in words.
func Failed(format string, args ...any) Result {
	return Result{Status: pipeline.Terminal, Error: fmt.Sprintf(format, args...)}
}

// Task is one unit of work of a stage type.
type Task interface {
	Name() string
	Run(ctx context.Context, c *Context) Result
}

// Pure is a task whose run only reads its context, the execution and the clock (a wait, a
// judgment, a precondition): two runs at once are harmless, so the engine takes no lease for
// it. Every other task may act outside Gennaker (a provider call, an HTTP request, a child
// execution), and runs under a lease that no other engine replica can take meanwhile.
type Pure interface {
	Pure()
}

// Canceler is a task that must undo or stop something when its execution is cancelled.
type Canceler interface {
	Cancel(ctx context.Context, c *Context) error
}

// Type is a stage type: its name (as in pipeline definitions) and its tasks, run in order.
type Type struct {
	Name  string
	Tasks []Task
}

var registry = map[string]Type{}

// Register adds a stage type; every file of this package registers its own in init.
func Register(t Type) {
	if _, dup := registry[t.Name]; dup {
		panic("stages: " + t.Name + " registered twice")
	}
	registry[t.Name] = t
}

// Lookup returns a registered stage type.
func Lookup(name string) (Type, bool) {
	t, ok := registry[name]
	return t, ok
}

// Names lists the registered stage types.
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// taskFunc adapts a function to a Task.
type taskFunc struct {
	name string
	run  func(ctx context.Context, c *Context) Result
}

func (t taskFunc) Name() string                                         { return t.name }
func (t taskFunc) Run(ctx context.Context, c *Context) Result           { return t.run(ctx, c) }
func task(name string, run func(context.Context, *Context) Result) Task { return taskFunc{name, run} }

// pureTaskFunc adapts a function to a Pure task.
type pureTaskFunc struct{ taskFunc }

func (pureTaskFunc) Pure() {}

func pureTask(name string, run func(context.Context, *Context) Result) Task {
	return pureTaskFunc{taskFunc{name, run}}
}
