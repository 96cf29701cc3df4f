package engine_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// Engine benchmarks. They run only with -bench (scripts/bench.sh runs them all): the
// setups start NATS servers, engines and, for MariaDB, a separate nats-server process.

// benchEnv is a real engine over a real database and a real NATS server, for benchmarks.
type benchEnv struct {
	store *store.Store
	bus   *bus.Bus
	reg   *prometheus.Registry
	app   store.Application
	pipe  store.Pipeline

	mu   sync.Mutex
	done map[string]chan struct{} // execution id → closed when it ends
}

// setup names a database and a way to run NATS.
type setup struct {
	name    string
	dialect string
	// external runs NATS as a separate nats-server process (JetStream on disk) instead of
	// embedded in this process.
	external bool
}

func setups(b *testing.B) []setup {
	out := []setup{{name: "sqlite+embedded-nats", dialect: "sqlite"}}
	for _, d := range storetest.Dialects(b) {
		if d == "mysql" {
			out = append(out, setup{name: "mariadb+nats-server", dialect: "mysql", external: true})
		}
	}
	return out
}

var (
	natsBinOnce sync.Once
	natsBin     string
	natsBinErr  error
)

// natsServerBinary returns a nats-server built from the module in go.mod (or the one named
// by GENNAKER_BENCH_NATS_SERVER), built once per process.
func natsServerBinary(b *testing.B) string {
	natsBinOnce.Do(func() {
		if p := os.Getenv("GENNAKER_BENCH_NATS_SERVER"); p != "" {
			natsBin = p
			return
		}
		natsBin = filepath.Join(os.TempDir(), "gennaker-bench-nats-server")
		out, err := exec.Command("go", "build", "-o", natsBin, "github.com/nats-io/nats-server/v2").CombinedOutput()
		if err != nil {
			natsBinErr = fmt.Errorf("building nats-server: %v\n%s", err, out)
		}
	})
	if natsBinErr != nil {
		b.Fatal(natsBinErr)
	}
	return natsBin
}

func freePort(b *testing.B) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startNATSProcess runs nats-server with JetStream on a temporary directory and returns its URL.
func startNATSProcess(b *testing.B) string {
	port := freePort(b)
	cmd := exec.Command(natsServerBinary(b), "-js", "-sd", b.TempDir(), "-a", "127.0.0.1", "-p", fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return fmt.Sprintf("nats://127.0.0.1:%d", port)
}

// linearWaits is a pipeline of n `wait 0` stages, each requiring the one before.
func linearWaits(n int) pipeline.Definition {
	d := pipeline.Definition{Name: "bench"}
	for i := 1; i <= n; i++ {
		var req []string
		if i > 1 {
			req = []string{fmt.Sprint(i - 1)}
		}
		d.Stages = append(d.Stages, wait0(fmt.Sprint(i), fmt.Sprintf("w%d", i), req...))
	}
	return d
}

// newBenchEnv starts NATS, a store and an engine (16 workers, the default), and saves a
// pipeline of `stages` wait-0 stages.
func newBenchEnv(b *testing.B, su setup, stages int) *benchEnv {
	s := storetest.Open(b, su.dialect)
	var url string
	if su.external {
		url = startNATSProcess(b)
	} else {
		url = startNATS(b).URL()
	}
	ctx, cancel := context.WithCancel(context.Background())
	bb, err := bus.Connect(ctx, url, "bench", bus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	env := &benchEnv{store: s, bus: bb, reg: prometheus.NewRegistry(), done: map[string]chan struct{}{}}
	stop, err := bb.SubscribeEvents("", func(e bus.Event) {
		if e.Kind != bus.ExecutionChanged {
			return
		}
		var ex struct{ Status string }
		if json.Unmarshal(e.Object, &ex) == nil && pipeline.Status(ex.Status).IsComplete() {
			env.finish(e.ID)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	eng := engine.New(engine.Config{Store: s, Bus: bb, Log: logger(), Registerer: env.reg})
	started := make(chan error, 1)
	stopped := make(chan struct{})
	go func() { defer close(stopped); _ = eng.Run(ctx, started) }()
	if err := <-started; err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); <-stopped; stop(); bb.Close() })
	env.app, err = s.CreateApplication(ctx, store.Application{Name: storetest.Name("bench"), OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	d := linearWaits(stages)
	raw, _ := json.Marshal(d)
	env.pipe, err = s.SavePipeline(ctx, store.Pipeline{ApplicationID: env.app.ID, Name: d.Name, Definition: raw, UpdatedBy: "bench"}, nil, store.Audit{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return env
}

func (env *benchEnv) finish(id string) {
	env.mu.Lock()
	defer env.mu.Unlock()
	if ch, ok := env.done[id]; ok {
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
}

// run writes an execution as the API does and sends StartExecution; the channel closes
// when the execution ends.
func (env *benchEnv) run(b *testing.B) (string, <-chan struct{}) {
	id := store.NewID()
	ch := make(chan struct{})
	env.mu.Lock()
	env.done[id] = ch
	env.mu.Unlock()
	var d pipeline.Definition
	_ = json.Unmarshal(env.pipe.Definition, &d)
	now := time.Now().UTC()
	e := store.Execution{ID: id, Type: store.ExecutionTypePipeline, ApplicationID: env.app.ID, ApplicationName: env.app.Name,
		PipelineID: &env.pipe.ID, Name: env.pipe.Name, Status: "NOT_STARTED", Definition: env.pipe.Definition,
		Trigger: store.JSONMap{"type": "manual", "user": "bench"}, TriggeredBy: "bench", Parameters: store.JSONMap{},
		Context: store.JSONMap{}, CreatedAt: now, UpdatedAt: now, Version: 1}
	for _, s := range d.Stages {
		e.Stages = append(e.Stages, store.Stage{ID: store.NewID(), RefID: s.RefID, Type: s.Type, Name: s.Name,
			Requisites: s.RequisiteStageRefIDs, Status: "NOT_STARTED", Context: store.JSONMap{"waitTime": 0}, Outputs: store.JSONMap{}})
	}
	ctx := context.Background()
	if err := env.store.CreateExecution(ctx, e, store.Audit{Actor: "bench"}); err != nil {
		b.Fatal(err)
	}
	if err := env.bus.Send(ctx, bus.Command{ID: "StartExecution/" + id, Type: bus.StartExecution, ExecutionID: id}); err != nil {
		b.Fatal(err)
	}
	return id, ch
}

// await waits for the execution to end: on its event, or on the stored row (events are not
// guaranteed), for at most a minute.
func (env *benchEnv) await(b *testing.B, id string, done <-chan struct{}) {
	deadline := time.After(time.Minute)
	for {
		select {
		case <-done:
			return
		case <-time.After(time.Second):
			if e, err := env.store.Execution(context.Background(), id); err == nil && pipeline.Status(e.Status).IsComplete() {
				return
			}
		case <-deadline:
			e, _ := env.store.Execution(context.Background(), id)
			b.Fatalf("execution %s did not end in a minute: %s %s", id, e.Status, describe(e))
		}
	}
}

// counter reads a counter (or a histogram's count, summed over labels) from the registry.
func (env *benchEnv) counter(name string) float64 {
	mfs, _ := env.reg.Gather()
	total := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if c := m.GetCounter(); c != nil {
				total += c.GetValue()
			}
			if h := m.GetHistogram(); h != nil {
				total += float64(h.GetSampleCount())
			}
		}
	}
	return total
}

// BenchmarkEngineThroughput runs executions of a 10-stage pipeline of `wait 0` stages, one
// at a time and 50 in flight, on SQLite with NATS embedded in the process and on MariaDB
// (fsync on every commit) with NATS as a separate nats-server process. One op is one
// execution, from the API-side insert and StartExecution to its SUCCEEDED commit; ns/op is
// wall time divided by executions, so at 50 in flight it is the inverse of throughput.
//
// Metrics: executions/s; stage-transitions/s (each stage moves NOT_STARTED → RUNNING →
// SUCCEEDED: 2 per stage); rows/s, the engine's gennaker_engine_transitions_total (rows
// written: execution + stages + tasks per commit); commands/s (commands handled, each one
// load → decide → commit → send); and the engine's overhead per stage, p50/p99 over every
// stage boundary of every execution: stage N+1's startedAt − stage N's startedAt − the wait
// (0 s), read from the stored rows.
func BenchmarkEngineThroughput(b *testing.B) {
	const stages = 10
	for _, su := range setups(b) {
		for _, inflight := range []int{1, 50} {
			b.Run(fmt.Sprintf("%s/inflight=%d", su.name, inflight), func(b *testing.B) {
				env := newBenchEnv(b, su, stages)
				rows0 := env.counter("gennaker_engine_transitions_total")
				cmds0 := env.counter("gennaker_engine_command_duration_seconds")
				slots := make(chan struct{}, inflight)
				var wg sync.WaitGroup
				ids := make([]string, 0, b.N)
				b.ResetTimer()
				start := time.Now()
				for range b.N {
					slots <- struct{}{}
					id, done := env.run(b)
					ids = append(ids, id)
					wg.Add(1)
					go func() {
						defer func() { <-slots; wg.Done() }()
						env.await(b, id, done)
					}()
				}
				wg.Wait()
				elapsed := time.Since(start).Seconds()
				b.StopTimer()
				b.ReportMetric(float64(b.N)/elapsed, "executions/s")
				b.ReportMetric(float64(b.N*stages*2)/elapsed, "stage-transitions/s")
				b.ReportMetric((env.counter("gennaker_engine_transitions_total")-rows0)/elapsed, "rows/s")
				b.ReportMetric((env.counter("gennaker_engine_command_duration_seconds")-cmds0)/elapsed, "commands/s")
				reportStageOverhead(b, env.store, ids)
			})
		}
	}
}

// reportStageOverhead reads the executions back and reports the p50/p99 of the time from one
// stage's start to the next one's (the stages wait 0 s, so all of it is engine overhead).
func reportStageOverhead(b *testing.B, s *store.Store, ids []string) {
	var gaps []time.Duration
	for chunk := range slices.Chunk(ids, 200) {
		byExec, err := s.StagesByExecutions(context.Background(), chunk)
		if err != nil {
			b.Fatal(err)
		}
		for _, id := range chunk {
			sts := byExec[id]
			byRef := map[string]store.Stage{}
			for _, st := range sts {
				byRef[st.RefID] = st
			}
			for i := 2; i <= len(sts); i++ {
				prev, cur := byRef[fmt.Sprint(i-1)], byRef[fmt.Sprint(i)]
				if prev.Status != "SUCCEEDED" || cur.Status != "SUCCEEDED" || prev.StartedAt == nil || cur.StartedAt == nil {
					b.Fatalf("execution %s: stages %s %s and %s %s", id, prev.RefID, prev.Status, cur.RefID, cur.Status)
				}
				gaps = append(gaps, cur.StartedAt.Sub(*prev.StartedAt))
			}
		}
	}
	if len(gaps) == 0 {
		return
	}
	slices.Sort(gaps)
	at := func(q float64) float64 {
		return float64(gaps[min(len(gaps)-1, int(q*float64(len(gaps))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "overhead-p50-ms")
	b.ReportMetric(at(0.99), "overhead-p99-ms")
}

// subscription is what a dashboard's execution list asks for.
const subscription = `subscription($app: String) { executionUpdated(application: $app) { kind version
	execution { id status stages { refId status startedAt endedAt } } } }`

// versionKey names one committed version of one execution.
type versionKey struct {
	id      string
	version int64
}

// arrival is one event received by one subscriber.
type arrival struct {
	key versionKey
	at  time.Time
}

// fanout tracks, for each execution, how many subscribers have seen it end.
type fanout struct {
	mu        sync.Mutex
	subs      int
	finals    map[string]int
	waiting   map[string]chan struct{}
	published map[versionKey][2]time.Time // seen by the bus subscriber; the execution's updatedAt
}

func (f *fanout) expect(id string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan struct{})
	f.waiting[id] = ch
	if f.finals[id] >= f.subs {
		close(ch)
	}
	return ch
}

func (f *fanout) final(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finals[id]++
	if ch, ok := f.waiting[id]; ok && f.finals[id] == f.subs {
		close(ch)
	}
}

// subscriber is a minimal graphql-transport-ws client: it subscribes to the application's
// executions and records when each version arrives. ready is closed on the first message
// (the snapshot).
func subscriber(ctx context.Context, b *testing.B, url, app string, f *fanout, ready chan<- struct{}) *[]arrival {
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		b.Fatal(err)
	}
	conn.SetReadLimit(8 << 20)
	write := func(v any) {
		raw, _ := json.Marshal(v)
		if err := conn.Write(ctx, websocket.MessageText, raw); err != nil && ctx.Err() == nil {
			b.Error(err)
		}
	}
	write(map[string]any{"type": "connection_init", "payload": map[string]any{}})
	write(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": subscription, "variables": map[string]any{"app": app}}})
	got := &[]arrival{}
	go func() {
		defer conn.CloseNow()
		first := true
		for {
			_, raw, err := conn.Read(ctx)
			if err != nil {
				return
			}
			at := time.Now()
			var msg struct {
				Type    string `json:"type"`
				Payload struct {
					Data struct {
						ExecutionUpdated struct {
							Kind      string
							Version   int64
							Execution struct{ ID, Status string }
						} `json:"executionUpdated"`
					} `json:"data"`
				} `json:"payload"`
			}
			if err := json.Unmarshal(raw, &msg); err != nil {
				continue
			}
			switch msg.Type {
			case "ping":
				write(map[string]any{"type": "pong"})
			case "next":
				ev := msg.Payload.Data.ExecutionUpdated
				if first {
					first = false
					ready <- struct{}{}
				}
				if ev.Kind != "CHANGED" {
					continue
				}
				// The API's ids are global (Relay) ids: base64url("Execution:<id>").
				gid, _ := base64.RawURLEncoding.DecodeString(ev.Execution.ID)
				id := strings.TrimPrefix(string(gid), "Execution:")
				*got = append(*got, arrival{key: versionKey{id, ev.Version}, at: at})
				if pipeline.Status(ev.Execution.Status).IsComplete() {
					f.final(id)
				}
			case "error", "complete":
				b.Errorf("subscription ended: %s", raw)
				return
			}
		}
	}()
	return got
}

// BenchmarkSubscriberLatency measures how long a committed change of an execution takes to
// reach 1, 100 and 1,000 GraphQL subscribers. The API (resolvers.NewHandler with Events: the
// bus) runs on a real HTTP server (httptest) in this process, with the engine over SQLite and
// embedded NATS; each subscriber is a WebSocket connection speaking graphql-transport-ws,
// subscribed to executionUpdated(application:). One op runs one execution of 10 wait-0
// stages and waits until every subscriber has its final version.
//
// Reported, over every (subscriber, version) delivered:
//   - fanout-p50-ms / fanout-p99-ms: arrival at the subscriber − the moment a plain bus
//     subscriber in the same process received the same (execution, version) from NATS. The
//     engine publishes right after its commit, so this is NATS → API hub → GraphQL → WebSocket.
//   - commit-p50-ms / commit-p99-ms: arrival − the execution's updatedAt carried in the event
//     (set by the engine step before its commit transaction), so it adds the commit itself.
//   - delivered: deliveries / (subscribers × versions published). Below 1, slow subscribers
//     had intermediate versions coalesced (by design: they get the newest, not every one).
//
// The subscribers' own WebSocket reads and JSON decoding run on the same 2 cores.
func BenchmarkSubscriberLatency(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			env := newBenchEnv(b, setup{name: "sqlite+embedded-nats", dialect: "sqlite"}, 10)
			f := &fanout{subs: n, finals: map[string]int{}, waiting: map[string]chan struct{}{}, published: map[versionKey][2]time.Time{}}
			stop, err := env.bus.SubscribeEvents(env.app.Name, func(e bus.Event) {
				at := time.Now()
				var ex struct{ UpdatedAt time.Time }
				if e.Kind != bus.ExecutionChanged || json.Unmarshal(e.Object, &ex) != nil {
					return
				}
				f.mu.Lock()
				if _, ok := f.published[versionKey{e.ID, e.Version}]; !ok {
					f.published[versionKey{e.ID, e.Version}] = [2]time.Time{at, ex.UpdatedAt}
				}
				f.mu.Unlock()
			})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(stop)
			// One finished execution first, so that every subscription starts with a snapshot
			// and the subscriber knows it is listening.
			id, done := env.run(b)
			env.await(b, id, done)

			r := &resolvers.Resolver{Store: env.store, Auth: auth.AllowAll{}, Log: logger(), Engine: env.bus, Events: env.bus}
			srv := httptest.NewServer(auth.AnonymousMiddleware(resolvers.NewHandler(r, resolvers.Limits{})))
			ctx, cancel := context.WithCancel(context.Background())
			b.Cleanup(func() { cancel(); srv.Close() })
			wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
			ready := make(chan struct{}, n)
			all := make([]*[]arrival, n)
			for i := range all {
				all[i] = subscriber(ctx, b, wsURL, env.app.Name, f, ready)
			}
			for range n {
				select {
				case <-ready:
				case <-time.After(time.Minute):
					b.Fatal("subscribers did not all get their snapshot in a minute")
				}
			}
			var ids []string
			for b.Loop() {
				id, done := env.run(b)
				ids = append(ids, id)
				subsDone := f.expect(id)
				env.await(b, id, done)
				select {
				case <-subsDone:
				case <-time.After(20 * time.Second):
					b.Fatalf("execution %s: not every subscriber saw it end in a minute", id)
				}
			}
			cancel()
			reportFanout(b, f, all, ids)
		})
	}
}

func reportFanout(b *testing.B, f *fanout, all []*[]arrival, ids []string) {
	mine := map[string]bool{}
	for _, id := range ids {
		mine[id] = true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	versions := 0
	for k := range f.published {
		if mine[k.id] {
			versions++
		}
	}
	var fan, commit []time.Duration
	for _, got := range all {
		for _, a := range *got {
			p, ok := f.published[a.key]
			if !ok || !mine[a.key.id] {
				continue
			}
			fan = append(fan, a.at.Sub(p[0]))
			commit = append(commit, a.at.Sub(p[1]))
		}
	}
	pct := func(d []time.Duration, q float64) float64 {
		slices.Sort(d)
		return float64(d[min(len(d)-1, int(q*float64(len(d))))]) / float64(time.Millisecond)
	}
	if len(fan) == 0 {
		b.Fatal("no deliveries")
	}
	b.ReportMetric(pct(fan, 0.5), "fanout-p50-ms")
	b.ReportMetric(pct(fan, 0.99), "fanout-p99-ms")
	b.ReportMetric(pct(commit, 0.5), "commit-p50-ms")
	b.ReportMetric(pct(commit, 0.99), "commit-p99-ms")
	b.ReportMetric(float64(len(fan))/float64(versions*len(all)), "delivered")
}
