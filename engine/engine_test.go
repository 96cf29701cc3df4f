package engine_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// tenStages: 1 → (2 → 3 → 4) ∥ (5 → 6 → 7) → 8 (join) → 9 (variables) → 10.
func tenStages(name string, extra ...pipeline.Stage) pipeline.Definition {
	d := pipeline.Definition{Name: name, Stages: []pipeline.Stage{
		wait0("1", "start"),
		wait0("2", "a1", "1"), wait0("3", "a2", "2"), wait0("4", "a3", "3"),
		wait0("5", "b1", "1"), wait0("6", "b2", "5"), wait0("7", "b3", "6"),
		wait0("8", "join", "4", "7"),
		stage("9", "evaluateVariables", "vars", []string{"8"}, map[string]any{"variables": []any{
			map[string]any{"key": "greeting", "value": "hello ${parameters.who}"}}}),
		stage("10", "checkPreconditions", "check", []string{"9"}, map[string]any{"preconditions": []any{
			map[string]any{"type": "expression", "context": map[string]any{"expression": "${greeting == 'hello world'}"}}}}),
	}}
	d.Stages = append(d.Stages, extra...)
	return d
}

func TestDAGWithParallelBranchesAndJoin(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		p := w.pipelineOf(tenStages("ten"))
		id := w.start(p, map[string]any{"who": "world"})
		e := w.waitStatus(id, pipeline.Succeeded)
		byName := map[string]store.Stage{}
		for _, s := range e.Stages {
			byName[s.Name] = s
			if s.Status != "SUCCEEDED" {
				t.Errorf("stage %s ended %s", s.Name, s.Status)
			}
			if len(s.Tasks) == 0 || s.Tasks[0].Status != "SUCCEEDED" {
				t.Errorf("stage %s tasks %+v", s.Name, s.Tasks)
			}
		}
		join := byName["join"]
		for _, pre := range []string{"a3", "b3"} {
			if byName[pre].EndedAt.After(*join.StartedAt) {
				t.Errorf("join started at %v before %s ended at %v", join.StartedAt, pre, byName[pre].EndedAt)
			}
		}
		if byName["vars"].Outputs["greeting"] != "hello world" {
			t.Errorf("vars outputs %v", byName["vars"].Outputs)
		}
		if e.EndedAt == nil || e.StartedAt == nil {
			t.Errorf("execution times %v %v", e.StartedAt, e.EndedAt)
		}
	})
}

func TestManualJudgment(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		p := w.pipelineOf(pipeline.Definition{Name: "judged", Stages: []pipeline.Stage{
			stage("1", "manualJudgment", "approve", nil, map[string]any{"instructions": "ship?",
				"judgmentInputs": []any{map[string]any{"value": "ship"}, map[string]any{"value": "hold"}}}),
			stage("2", "evaluateVariables", "after", []string{"1"}, map[string]any{"variables": []any{
				map[string]any{"key": "choice", "value": "${judgment('approve')}"}}}),
		}})
		id := w.start(p, nil)
		w.waitStage(id, "approve", pipeline.Running)
		st := w.stageOf(id, "approve")
		w.judge(id, st, "alice", map[string]any{"judgment": "CONTINUE", "input": "ship", "comment": "go"})
		e := w.waitStatus(id, pipeline.Succeeded)
		var after, approve store.Stage
		for _, s := range e.Stages {
			if s.Name == "after" {
				after = s
			} else {
				approve = s
			}
		}
		if after.Outputs["choice"] != "ship" {
			t.Errorf("${judgment('approve')} = %v, want ship", after.Outputs["choice"])
		}
		if approve.Outputs["judgedBy"] != "alice" || approve.Outputs["judgmentComment"] != "go" {
			t.Errorf("judgment record %v", approve.Outputs)
		}

		// STOP ends the execution TERMINAL.
		id = w.start(p, nil)
		w.waitStage(id, "approve", pipeline.Running)
		st = w.stageOf(id, "approve")
		w.judge(id, st, "bob", map[string]any{"judgment": "STOP", "comment": "not today"})
		e = w.waitStatus(id, pipeline.Terminal)
		if statusOf(e, "after") != "NOT_STARTED" {
			t.Errorf("after a STOP, the next stage is %s", statusOf(e, "after"))
		}
	})
}

// failing is a stage that fails: a false precondition.
func failing(ref, name string, req []string, opts map[string]any) pipeline.Stage {
	cfg := map[string]any{"preconditions": []any{map[string]any{"type": "expression", "context": map[string]any{"expression": "${1 == 2}"}}}}
	for k, v := range opts {
		cfg[k] = v
	}
	return stage(ref, "checkPreconditions", name, req, cfg)
}

func TestFailureOptions(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		branches := func(name string, opts map[string]any) pipeline.Definition {
			return pipeline.Definition{Name: name, Stages: []pipeline.Stage{
				wait0("1", "root"),
				failing("2", "bad", []string{"1"}, opts),
				wait0("3", "after-bad", "2"),
				stage("4", "wait", "other", []string{"1"}, map[string]any{"waitTime": 1}),
				wait0("5", "after-other", "4"),
			}}
		}
		cases := []struct {
			name                        string
			opts                        map[string]any
			exec, bad, afterBad, afterO string
		}{
			{"failPipeline", nil, "TERMINAL", "TERMINAL", "NOT_STARTED", "NOT_STARTED"},
			{"continuePipeline", map[string]any{"continuePipeline": true, "failPipeline": false}, "SUCCEEDED", "FAILED_CONTINUE", "SUCCEEDED", "SUCCEEDED"},
			{"haltBranch", map[string]any{"failPipeline": false}, "SUCCEEDED", "STOPPED", "NOT_STARTED", "SUCCEEDED"},
			{"completeOtherBranchesThenFail", map[string]any{"failPipeline": false, "completeOtherBranchesThenFail": true}, "TERMINAL", "STOPPED", "NOT_STARTED", "SUCCEEDED"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				id := w.start(w.pipelineOf(branches(c.name, c.opts)), nil)
				e := w.waitFor(id, "finished", func(e store.Execution) bool { return pipeline.Status(e.Status).IsComplete() })
				if e.Status != c.exec || statusOf(e, "bad") != c.bad || statusOf(e, "after-bad") != c.afterBad || statusOf(e, "after-other") != c.afterO {
					t.Fatalf("got execution %s, stages %s; want %s, bad %s, after-bad %s, after-other %s",
						e.Status, describe(e), c.exec, c.bad, c.afterBad, c.afterO)
				}
				if st := w.stageOf(id, "bad"); st.Error == nil || *st.Error == "" {
					t.Errorf("the failed stage has no error in words")
				}
				// The other branch is cancelled if it had started, or never starts.
				if o := statusOf(e, "other"); c.name == "failPipeline" && o != "CANCELED" && o != "NOT_STARTED" {
					t.Errorf("a TERMINAL stage left the other branch %s, want CANCELED or NOT_STARTED", o)
				}
			})
		}
	})
}

func TestCancelRestartSkipPause(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		p := w.pipelineOf(pipeline.Definition{Name: "ops", Stages: []pipeline.Stage{
			wait0("1", "first"),
			stage("2", "manualJudgment", "gate", []string{"1"}, nil),
			wait0("3", "last", "2"),
		}})
		// Cancel wins over a waiting judgment.
		id := w.start(p, nil)
		w.waitStage(id, "gate", pipeline.Running)
		payload, _ := json.Marshal(map[string]any{"reason": "wrong build"})
		w.send(bus.Command{Type: bus.CancelExecution, ExecutionID: id, User: "carol", Payload: payload})
		e := w.waitStatus(id, pipeline.Canceled)
		if statusOf(e, "gate") != "CANCELED" || !e.Canceled || *e.CanceledBy != "carol" || *e.CancelReason != "wrong build" {
			t.Fatalf("after cancel: %s %s by %v", e.Status, describe(e), e.CanceledBy)
		}

		// Skip a judgment: the pipeline goes on.
		id = w.start(p, nil)
		w.waitStage(id, "gate", pipeline.Running)
		st := w.stageOf(id, "gate")
		w.send(bus.Command{Type: bus.SkipStage, ExecutionID: id, StageID: st.ID, Attempt: st.Attempt, User: "dan"})
		e = w.waitStatus(id, pipeline.Succeeded)
		if statusOf(e, "gate") != "SKIPPED" || statusOf(e, "last") != "SUCCEEDED" {
			t.Fatalf("after skip: %s", describe(e))
		}

		// Restart a finished stage: it and what follows run again.
		first := w.stageOf(id, "first")
		w.send(bus.Command{Type: bus.RestartStage, ExecutionID: id, StageID: first.ID, Attempt: first.Attempt, User: "erin"})
		w.waitFor(id, "restarted", func(e store.Execution) bool {
			for _, s := range e.Stages {
				if s.Name == "gate" && s.Status == "RUNNING" && s.Attempt == 1 {
					return true
				}
			}
			return false
		})
		if again := w.stageOf(id, "first"); again.Attempt != 1 || again.Status != "SUCCEEDED" {
			t.Fatalf("restarted stage: attempt %d status %s", again.Attempt, again.Status)
		}
		gate := w.stageOf(id, "gate")
		w.judge(id, gate, "erin", map[string]any{"judgment": "CONTINUE"})
		w.waitStatus(id, pipeline.Succeeded)

		// Pause holds a wait; resume finishes it, and the pause is not counted as waiting.
		pw := w.pipelineOf(pipeline.Definition{Name: "pausable", Stages: []pipeline.Stage{
			stage("1", "wait", "hold", nil, map[string]any{"waitTime": 1})}})
		id = w.start(pw, nil)
		w.waitStage(id, "hold", pipeline.Running)
		w.send(bus.Command{Type: bus.PauseExecution, ExecutionID: id, User: "fay"})
		w.waitStatus(id, pipeline.Paused)
		pausedFor := 1500 * time.Millisecond
		time.Sleep(pausedFor) // the pause itself is what is tested: it must outlast the wait
		if e := w.waitStatus(id, pipeline.Paused); statusOf(e, "hold") != "RUNNING" {
			t.Fatalf("while paused the wait ended: %s", describe(e))
		}
		w.send(bus.Command{Type: bus.ResumeExecution, ExecutionID: id, User: "fay"})
		e = w.waitStatus(id, pipeline.Succeeded)
		if e.PausedMs < pausedFor.Milliseconds() {
			t.Errorf("paused %d ms recorded, want at least %d", e.PausedMs, pausedFor.Milliseconds())
		}
	})
}

func TestStageEnabledAndWindow(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		now := time.Now().UTC()
		// A window that opens in two hours from now (UTC), on every day.
		later := now.Add(2 * time.Hour)
		p := w.pipelineOf(pipeline.Definition{Name: "gated", Stages: []pipeline.Stage{
			stage("1", "wait", "maybe", nil, map[string]any{"waitTime": 0,
				"stageEnabled": map[string]any{"type": "expression", "expression": "${parameters.run == 'yes'}"}}),
			stage("2", "wait", "windowed", []string{"1"}, map[string]any{"waitTime": 0,
				"restrictExecutionDuringTimeWindow": true,
				"restrictedExecutionWindow": map[string]any{"timeZone": "UTC", "whitelist": []any{map[string]any{
					"startHour": later.Hour(), "startMin": 0, "endHour": later.Hour(), "endMin": 59}}}}),
		}})
		id := w.start(p, map[string]any{"run": "no"})
		e := w.waitStage(id, "windowed", pipeline.Suspended)
		if statusOf(e, "maybe") != "SKIPPED" {
			t.Errorf("stageEnabled false: %s, want SKIPPED", statusOf(e, "maybe"))
		}
		w.send(bus.Command{Type: bus.CancelExecution, ExecutionID: id, User: "t"})
		w.waitStatus(id, pipeline.Canceled)
	})
}

func TestConcurrencyLimits(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		for _, keep := range []bool{true, false} {
			t.Run(fmt.Sprintf("keepWaiting=%v", keep), func(t *testing.T) {
				p := w.pipelineOf(pipeline.Definition{Name: fmt.Sprintf("one-at-a-time-%v", keep), LimitConcurrent: true, KeepWaitingPipelines: keep,
					Stages: []pipeline.Stage{stage("1", "manualJudgment", "gate", nil, nil)}})
				first := w.start(p, nil)
				w.waitStage(first, "gate", pipeline.Running)
				// Pause the first: a paused execution still holds its slot.
				w.send(bus.Command{Type: bus.PauseExecution, ExecutionID: first, User: "t"})
				w.waitStatus(first, pipeline.Paused)
				second := w.start(p, nil)
				w.waitStatus(second, pipeline.Buffered)
				third := w.start(p, nil)
				w.waitStatus(third, pipeline.Buffered)
				if !keep {
					w.waitStatus(second, pipeline.Canceled) // superseded by the newer waiting one
				}
				w.send(bus.Command{Type: bus.ResumeExecution, ExecutionID: first, User: "t"})
				w.waitStatus(first, pipeline.Running)
				gate := w.stageOf(first, "gate")
				w.judge(first, gate, "t", map[string]any{"judgment": "CONTINUE"})
				w.waitStatus(first, pipeline.Succeeded)
				next := third
				if keep {
					next = second
				}
				w.waitStage(next, "gate", pipeline.Running)
				if keep {
					if e, _ := w.store.Execution(t.Context(), third); e.Status != "BUFFERED" {
						t.Fatalf("the third started while the second holds the slot: %s", e.Status)
					}
				}
				for _, id := range []string{second, third} {
					w.send(bus.Command{Type: bus.CancelExecution, ExecutionID: id, User: "t"})
				}
				w.waitStatus(third, pipeline.Canceled)
			})
		}
	})
}

// hookServer is a webhook receiver that honours the Idempotency-Key header, as receivers of
// at-least-once senders do: the first successful call of a key has the effect, a repeat gets
// the same answer without it. It counts both, and fails the first failN calls of each key.
type hookServer struct {
	mu      sync.Mutex
	calls   map[string]int
	effects map[string]int
	failN   int
	*httptest.Server
}

func newHookServer(t *testing.T, failFirst int) *hookServer {
	h := &hookServer{calls: map[string]int{}, effects: map[string]int{}, failN: failFirst}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		h.mu.Lock()
		h.calls[key]++
		n := h.calls[key]
		fail := n <= h.failN
		if !fail && h.effects[key] == 0 {
			h.effects[key]++ // the effect, once per key; a repeat is answered the same
		}
		h.mu.Unlock()
		if fail {
			http.Error(w, "try later", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "key": key})
	}))
	t.Cleanup(h.Close)
	return h
}

func TestWebhookRetriesAndOutputs(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		h := newHookServer(t, 2)
		p := w.pipelineOf(pipeline.Definition{Name: "hook", Stages: []pipeline.Stage{
			stage("1", "webhook", "notify", nil, map[string]any{"url": h.URL + "/deploy", "method": "POST",
				"payload": map[string]any{"app": "${execution.application}"}}),
		}})
		id := w.start(p, nil)
		e := w.waitStatus(id, pipeline.Succeeded)
		out := e.Stages[0].Outputs["webhook"].(map[string]any)
		if out["statusCode"] != float64(200) {
			t.Fatalf("webhook outputs %v", out)
		}
		key := fmt.Sprintf("%s-0", e.Stages[0].ID)
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.calls[key] != 3 || h.effects[key] != 1 {
			t.Fatalf("calls %d effects %d for %s; want 3 calls (two 503s retried) and one effect", h.calls[key], h.effects[key], key)
		}
	})
}

func TestWatchdogStartsLostExecutions(t *testing.T) {
	eachWorld(t, engine.Config{WatchdogInterval: time.Hour, StaleAfter: time.Millisecond}, func(t *testing.T, w *world) {
		p := w.pipelineOf(pipeline.Definition{Name: "lost", Stages: []pipeline.Stage{wait0("1", "only")}})
		id := w.create(p, nil) // written, but its StartExecution was "lost"
		time.Sleep(5 * time.Millisecond)
		n, err := w.engine.Repair(t.Context())
		if err != nil || n != 1 {
			t.Fatalf("repair: %d, %v; want 1", n, err)
		}
		w.waitStatus(id, pipeline.Succeeded)
	})
}

func TestTimeoutAndChildPipeline(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		slow := w.pipelineOf(pipeline.Definition{Name: "slow", Stages: []pipeline.Stage{
			stage("1", "wait", "too long", nil, map[string]any{"waitTime": 60, "stageTimeoutMs": 300})}})
		id := w.start(slow, nil)
		e := w.waitStatus(id, pipeline.Terminal)
		if st := w.stageOf(id, "too long"); st.Error == nil || *st.Error != "the stage timed out after 300ms" {
			t.Fatalf("timed-out stage error %v (%s)", st.Error, describe(e))
		}

		w.pipelineOf(pipeline.Definition{Name: "child",
			Parameters: []pipeline.Parameter{{Name: "color", Required: true}},
			Stages: []pipeline.Stage{stage("1", "evaluateVariables", "paint", nil, map[string]any{"variables": []any{
				map[string]any{"key": "painted", "value": "${parameters.color}"}}})}})
		parent := w.pipelineOf(pipeline.Definition{Name: "parent", Stages: []pipeline.Stage{
			stage("1", "pipeline", "run child", nil, map[string]any{"application": w.app.Name, "pipeline": "child",
				"pipelineParameters": map[string]any{"color": "blue"}})}})
		id = w.start(parent, nil)
		e = w.waitStatus(id, pipeline.Succeeded)
		outs := e.Stages[0].Outputs
		childID, _ := outs["childExecutionId"].(string)
		ce, err := w.store.Execution(t.Context(), childID)
		if err != nil || ce.Status != "SUCCEEDED" || ce.Stages[0].Outputs["painted"] != "blue" {
			t.Fatalf("child %s: %v %v", childID, ce.Status, err)
		}
		if got := outs["childOutputs"].(map[string]any)["painted"]; got != "blue" {
			t.Errorf("child outputs in the parent: %v", outs)
		}
	})
}
