package engine_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// buildGennaker builds the binary once for the tests that run it as a process.
func buildGennaker(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gennaker")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/gennaker")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building gennaker: %v\n%s", err, out)
	}
	return bin
}

// TestCrashRecovery runs the engine as a separate process and SIGKILLs it at random moments
// while 100 executions of a 10-stage pipeline with a webhook run; restarted, it must finish
// every execution SUCCEEDED with no webhook effect twice for one stage run.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs processes for a minute; -short skips it")
	}
	bin := buildGennaker(t)
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			crashRun(t, bin, dialect, 100)
		})
	}
}

func crashRun(t *testing.T, bin, dialect string, executions int) {
	dbURL := storetest.URL(t, dialect)
	s, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ns := startNATS(t)
	ctx := context.Background()
	b, err := bus.Connect(ctx, ns.URL(), "crash-test", bus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	w := &world{t: t, store: s, bus: b}
	w.app, err = s.CreateApplication(ctx, store.Application{Name: "crash", OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	hook := newHookServer(t, 0)
	d := tenStages("crashy")
	d.Stages[5] = stage("6", "webhook", "b2", []string{"5"}, map[string]any{"url": hook.URL + "/notify", "method": "POST",
		"payload": map[string]any{"execution": "${execution.id}"}})
	// Every execution announces its start and its end: the outbox must deliver both whatever
	// the crashes (a lost command is sent again by the watchdog).
	notes := &receiver{keys: map[string]bool{}}
	noteSrv := httptest.NewServer(notes)
	defer noteSrv.Close()
	d.Notifications = []pipeline.Notification{{Type: "webhook", Address: noteSrv.URL, When: []string{"pipeline.starting", "pipeline.complete"}}}
	p := w.pipelineOf(d)
	ids := make([]string, executions)
	for i := range ids {
		ids[i] = w.start(p, map[string]any{"who": "world"})
	}

	// Subscribers through the real API (in this process, over WebSocket): they must end on the
	// final state of the executions they watch, live and after re-subscribing.
	api := httptest.NewServer(apiHandler(s, b))
	defer api.Close()
	watched := ids[:10]
	live := make([]*watcher, len(watched))
	for i, id := range watched {
		live[i] = watch(t, api.URL, id)
	}

	logPath := filepath.Join(t.TempDir(), "engine.log")
	logFile, _ := os.Create(logPath)
	defer logFile.Close()
	startEngineProc := func() *exec.Cmd {
		cmd := exec.Command(bin, "engine", "--nats-url", ns.URL(), "--database-url", dbURL, "--log-level", "info",
			"--engine-ack-wait", "2s", "--engine-workers", "8", "--engine-stale-after", "3s")
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	kills := 0
	proc := startEngineProc()
	defer func() { _ = proc.Process.Kill(); _, _ = proc.Process.Wait() }()
	for kills < 6 {
		time.Sleep(time.Duration(150+rand.IntN(400)) * time.Millisecond) // a random moment to crash at
		if done := countDone(t, s, ids); done == len(ids) {
			break
		}
		_ = proc.Process.Signal(syscall.SIGKILL)
		_, _ = proc.Process.Wait()
		kills++
		proc = startEngineProc()
	}
	t.Logf("killed the engine %d times", kills)

	deadline := time.Now().Add(3 * time.Minute)
	for countDone(t, s, ids) < len(ids) {
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("only %d of %d executions finished after the crashes; engine log:\n%s", countDone(t, s, ids), len(ids), tail(b, 8000))
		}
		time.Sleep(200 * time.Millisecond)
	}
	calls, effects := 0, 0
	for _, id := range ids {
		e, err := s.Execution(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != string(pipeline.Succeeded) {
			t.Errorf("execution %s ended %s: %s", id, e.Status, describe(e))
			continue
		}
		for _, st := range e.Stages {
			if st.Type != "webhook" {
				continue
			}
			key := fmt.Sprintf("%s-%d", st.ID, st.Attempt)
			hook.mu.Lock()
			c, ef := hook.calls[key], hook.effects[key]
			hook.mu.Unlock()
			calls, effects = calls+c, effects+ef
			if ef != 1 || c < 1 {
				t.Errorf("execution %s: the webhook was called %d times with %d effects for one stage run; want one effect", id, c, ef)
			}
		}
	}
	// A crash between a call and its commit makes the engine call again after redelivery,
	// with the same key: the receiver sees the effect once.
	for i, id := range watched {
		e, _ := s.Execution(ctx, id)
		live[i].waitVersion(t, e.Version, "SUCCEEDED")
		again := watch(t, api.URL, id) // a subscriber that (re)subscribes now
		again.waitVersion(t, e.Version, "SUCCEEDED")
	}
	t.Logf("webhook: %d calls, %d effects; %d repeats after crashes, deduplicated by the Idempotency-Key", calls, effects, calls-effects)
	// Each execution's two notifications arrive, each once (the receiver honours the
	// Idempotency-Key, as the webhook stage's does).
	gids := map[string]string{}
	for _, id := range ids {
		gids[base64.RawURLEncoding.EncodeToString([]byte("Execution:"+id))] = id
	}
	deadline = time.Now().Add(time.Minute)
	for {
		got := map[string]int{}
		notes.mu.Lock()
		for _, ev := range notes.events {
			if id, ok := gids[fmt.Sprint(dig(ev, "execution", "id"))]; ok {
				got[id+"/"+fmt.Sprint(ev["event"])]++
			}
		}
		calls := notes.calls
		notes.mu.Unlock()
		missing := []string{}
		for _, id := range ids {
			for _, ev := range []string{"pipeline.starting", "pipeline.complete"} {
				if n := got[id+"/"+ev]; n != 1 {
					missing = append(missing, fmt.Sprintf("%s %s ×%d", id, ev, n))
				}
			}
		}
		if len(missing) == 0 {
			t.Logf("notifications: %d calls for %d events", calls, 2*len(ids))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d notifications not received exactly once, e.g. %v", len(missing), missing[:min(5, len(missing))])
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// watcher follows one execution through the GraphQL subscription, re-subscribing after drops.
type watcher struct {
	mu      sync.Mutex
	version int64
	status  string
	changed chan struct{}
}

func apiHandler(s *store.Store, b *bus.Bus) http.Handler {
	r := &resolvers.Resolver{Store: s, Auth: auth.AllowAll{}, Log: logger(), Engine: b, Events: b}
	mux := http.NewServeMux()
	mux.Handle("/graphql", auth.AnonymousMiddleware(resolvers.NewHandler(r, resolvers.Limits{})))
	return mux
}

func watch(t *testing.T, url, execID string) *watcher {
	w := &watcher{changed: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := client.New(url)
	gid := base64.RawURLEncoding.EncodeToString([]byte("Execution:" + execID))
	go func() {
		_ = c.SubscribeForever(ctx, `subscription($id: ID!) { executionUpdated(executionId: $id) { version execution { status } } }`,
			map[string]any{"id": gid}, func(raw json.RawMessage) error {
				var ev struct {
					ExecutionUpdated struct {
						Version   int64 `json:"version"`
						Execution struct {
							Status string `json:"status"`
						} `json:"execution"`
					} `json:"executionUpdated"`
				}
				if err := json.Unmarshal(raw, &ev); err != nil {
					return err
				}
				w.mu.Lock()
				if v := ev.ExecutionUpdated.Version; v > w.version {
					w.version, w.status = v, ev.ExecutionUpdated.Execution.Status
				}
				w.mu.Unlock()
				select {
				case w.changed <- struct{}{}:
				default:
				}
				return nil
			})
	}()
	return w
}

func (w *watcher) waitVersion(t *testing.T, version int64, status string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		w.mu.Lock()
		v, st := w.version, w.status
		w.mu.Unlock()
		if v == version && st == status {
			return
		}
		if v > version {
			t.Fatalf("subscriber saw version %d beyond the final %d", v, version)
		}
		select {
		case <-w.changed:
		case <-deadline:
			t.Fatalf("subscriber ended on version %d (%s), want the final %d (%s)", v, st, version, status)
		}
	}
}

func countDone(t *testing.T, s *store.Store, ids []string) int {
	rows, err := s.ExecutionsByIDs(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if pipeline.Status(r.Status).IsComplete() {
			n++
		}
	}
	return n
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
