package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// world is a real engine over real NATS (in process) and a real database.
type world struct {
	t      *testing.T
	store  *store.Store
	bus    *bus.Bus
	engine *engine.Engine
	app    store.Application

	mu      sync.Mutex
	latest  map[string]store.Execution
	changed chan struct{}
}

func logger() *slog.Logger {
	if os.Getenv("GENNAKER_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// startNATS runs an embedded NATS server with JetStream for the test.
func startNATS(t testing.TB) *bus.Embedded {
	ns, err := bus.StartEmbedded(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

func newWorld(t *testing.T, s *store.Store, cfg engine.Config) *world {
	ns := startNATS(t)
	ctx, cancel := context.WithCancel(context.Background())
	b, err := bus.Connect(ctx, ns.URL(), "test", bus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, store: s, bus: b, latest: map[string]store.Execution{}, changed: make(chan struct{}, 1)}
	stop, err := b.SubscribeEvents("", func(e bus.Event) {
		if e.Kind != bus.ExecutionChanged {
			return
		}
		var ex store.Execution
		if json.Unmarshal(e.Object, &ex) != nil {
			return
		}
		w.mu.Lock()
		if cur, ok := w.latest[ex.ID]; !ok || ex.Version > cur.Version {
			w.latest[ex.ID] = ex
		}
		w.mu.Unlock()
		select {
		case w.changed <- struct{}{}:
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Bus, cfg.Log = s, b, logger()
	w.engine = engine.New(cfg)
	started := make(chan error, 1)
	done := make(chan struct{})
	go func() { defer close(done); _ = w.engine.Run(ctx, started) }()
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-done; stop(); b.Close() })
	w.app, err = s.CreateApplication(ctx, store.Application{Name: "app" + fmt.Sprint(time.Now().UnixNano()%1e6), OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// eachWorld runs f on SQLite and, when configured, MariaDB.
func eachWorld(t *testing.T, cfg engine.Config, f func(t *testing.T, w *world)) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f(t, newWorld(t, s, cfg))
	})
}

// pipelineOf saves a pipeline definition and returns its row.
func (w *world) pipelineOf(d pipeline.Definition) store.Pipeline {
	w.t.Helper()
	if err := pipeline.Validate(d); err != nil {
		w.t.Fatalf("test pipeline invalid: %v", err)
	}
	b, _ := json.Marshal(d)
	p, err := w.store.SavePipeline(context.Background(), store.Pipeline{ApplicationID: w.app.ID, Name: d.Name, Definition: b, UpdatedBy: "test"}, nil, store.Audit{Actor: "test"})
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// start writes an execution of the pipeline and sends StartExecution, as the API does.
func (w *world) start(p store.Pipeline, params map[string]any) string {
	w.t.Helper()
	id := w.create(p, params)
	w.send(bus.Command{ID: "StartExecution/" + id, Type: bus.StartExecution, ExecutionID: id})
	return id
}

// create writes an execution without starting it.
func (w *world) create(p store.Pipeline, params map[string]any) string {
	w.t.Helper()
	var d pipeline.Definition
	_ = json.Unmarshal(p.Definition, &d)
	now := time.Now().UTC()
	e := store.Execution{ID: store.NewID(), Type: store.ExecutionTypePipeline, ApplicationID: w.app.ID, ApplicationName: w.app.Name,
		PipelineID: &p.ID, Name: p.Name, Status: "NOT_STARTED", Definition: p.Definition, Trigger: store.JSONMap{"type": "manual", "user": "test"},
		TriggeredBy: "test", Parameters: params, Context: store.JSONMap{}, CreatedAt: now, UpdatedAt: now, Version: 1}
	for _, s := range d.Stages {
		cfg := store.JSONMap{}
		for k, v := range s.Config {
			cfg[k] = v
		}
		e.Stages = append(e.Stages, store.Stage{ID: store.NewID(), RefID: s.RefID, Type: s.Type, Name: s.Name,
			Requisites: s.RequisiteStageRefIDs, Status: "NOT_STARTED", Context: cfg, Outputs: store.JSONMap{}})
	}
	if err := w.store.CreateExecution(context.Background(), e, store.Audit{Actor: "test"}); err != nil {
		w.t.Fatal(err)
	}
	return e.ID
}

func (w *world) send(c bus.Command) {
	w.t.Helper()
	if c.ID == "" {
		c.ID = fmt.Sprintf("%s/%s/%s", c.Type, c.ExecutionID, store.NewID())
	}
	if err := w.bus.Send(context.Background(), c); err != nil {
		w.t.Fatal(err)
	}
}

// stageOf returns the stage with this name in the stored execution.
func (w *world) stageOf(execID, name string) store.Stage {
	w.t.Helper()
	e, err := w.store.Execution(context.Background(), execID)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, s := range e.Stages {
		if s.Name == name {
			return s
		}
	}
	w.t.Fatalf("no stage %q", name)
	return store.Stage{}
}

// waitFor waits, on events (never sleeping blindly), until cond holds for the stored execution.
func (w *world) waitFor(execID string, what string, cond func(store.Execution) bool) store.Execution {
	w.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		e, err := w.store.Execution(context.Background(), execID)
		if err != nil {
			w.t.Fatal(err)
		}
		if cond(e) {
			return e
		}
		select {
		case <-w.changed:
		case <-time.After(200 * time.Millisecond): // events carry no guarantee; re-read anyway
		case <-deadline:
			w.t.Fatalf("execution %s never became %s; it is %s with stages %s", execID, what, e.Status, describe(e))
		}
	}
}

func (w *world) waitStatus(execID string, st pipeline.Status) store.Execution {
	w.t.Helper()
	return w.waitFor(execID, string(st), func(e store.Execution) bool { return e.Status == string(st) })
}

func (w *world) waitStage(execID, name string, st pipeline.Status) store.Execution {
	w.t.Helper()
	return w.waitFor(execID, name+" "+string(st), func(e store.Execution) bool {
		for _, s := range e.Stages {
			if s.Name == name && s.Status == string(st) {
				return true
			}
		}
		return false
	})
}

func describe(e store.Execution) string {
	out := ""
	for _, s := range e.Stages {
		errS := ""
		if s.Error != nil {
			errS = " (" + *s.Error + ")"
		}
		out += fmt.Sprintf("[%s %s%s] ", s.Name, s.Status, errS)
	}
	return out
}

func statusOf(e store.Execution, name string) string {
	for _, s := range e.Stages {
		if s.Name == name {
			return s.Status
		}
	}
	return "missing"
}

func stage(ref, typ, name string, req []string, cfg map[string]any) pipeline.Stage {
	if cfg == nil {
		cfg = map[string]any{}
	}
	return pipeline.Stage{RefID: ref, Type: typ, Name: name, RequisiteStageRefIDs: req, Config: cfg}
}

func wait0(ref, name string, req ...string) pipeline.Stage {
	return stage(ref, "wait", name, req, map[string]any{"waitTime": 0})
}

// judge answers a judgment (or a deploy waiting between steps) on a stage, as judgeStage does.
func (w *world) judge(execID string, st store.Stage, user string, answer map[string]any) {
	w.t.Helper()
	payload, _ := json.Marshal(answer)
	w.send(bus.Command{Type: bus.JudgeStage, ExecutionID: execID, StageID: st.ID, Attempt: st.Attempt, User: user, Payload: payload})
}
