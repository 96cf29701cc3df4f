package engine_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
)

// slowHook answers after a pause and records how many calls of one key were in flight at
// once, at most.
type slowHook struct {
	mu       sync.Mutex
	inFlight map[string]int
	maxAt    map[string]int
	calls    int
	started  chan struct{}
}

func (h *slowHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	h.mu.Lock()
	h.calls++
	h.inFlight[key]++
	h.maxAt[key] = max(h.maxAt[key], h.inFlight[key])
	h.mu.Unlock()
	select {
	case h.started <- struct{}{}:
	default:
	}
	time.Sleep(400 * time.Millisecond)
	h.mu.Lock()
	h.inFlight[key]--
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

// TestTwoReplicasNeverRunOneTaskAtOnce: two engine replicas share the stream and the
// database; while one runs a webhook task, more deliveries of that task arrive. None may run
// it at the same time (the task lease), whichever replica takes them.
func TestTwoReplicasNeverRunOneTaskAtOnce(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		ctx, cancel := context.WithCancel(context.Background())
		b2, err := bus.Connect(ctx, w.bus.Conn().ConnectedUrl(), "replica-2", bus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		second := engine.New(engine.Config{Store: w.store, Bus: b2, Log: logger(), ReplicaID: "replica-2"})
		started, done := make(chan error, 1), make(chan struct{})
		go func() { defer close(done); _ = second.Run(ctx, started) }()
		if err := <-started; err != nil {
			t.Fatal(err)
		}
		defer func() { cancel(); <-done; b2.Close() }()

		hook := &slowHook{inFlight: map[string]int{}, maxAt: map[string]int{}, started: make(chan struct{}, 1)}
		hs := httptest.NewServer(hook)
		defer hs.Close()
		p := w.pipelineOf(pipeline.Definition{Name: "slow-hook", Stages: []pipeline.Stage{
			stage("1", "webhook", "call", nil, map[string]any{"url": hs.URL, "method": "POST"})}})
		id := w.start(p, nil)
		select {
		case <-hook.started:
		case <-time.After(20 * time.Second):
			t.Fatal("the webhook was never called")
		}
		ex, err := w.store.Execution(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		st := ex.Stages[0]
		task := st.Tasks[0]
		// More deliveries of the running task, as a wake-up or a watchdog would send; with
		// eight of them, both replicas take some.
		for i := range 8 {
			if err := w.bus.Send(t.Context(), bus.Command{ID: fmt.Sprintf("RunTask/%s/extra/%d", task.ID, i), Type: bus.RunTask,
				ExecutionID: id, StageID: st.ID, Attempt: st.Attempt, TaskID: task.ID}); err != nil {
				t.Fatal(err)
			}
		}
		w.waitStatus(id, pipeline.Succeeded)
		hook.mu.Lock()
		defer hook.mu.Unlock()
		for key, n := range hook.maxAt {
			if n != 1 {
				t.Errorf("key %s: %d calls in flight at once; want 1", key, n)
			}
		}
		t.Logf("%d webhook calls", hook.calls)
	})
}
