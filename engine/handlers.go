package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine/stages"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// leaseRetry is how long after another replica's lease on its task ends a task run that
// found it leased comes back.
const leaseRetry = 100 * time.Millisecond

// taskStateKey holds what tasks stored between runs, and the answers the engine records
// for them (a judgment).
const taskStateKey = "_state"

func taskState(st *store.Stage) map[string]any {
	m, _ := st.Context[taskStateKey].(map[string]any)
	if m == nil {
		m = map[string]any{}
		st.Context[taskStateKey] = m
	}
	return m
}

// startExecution takes a concurrency slot (or waits BUFFERED for one), then starts every
// stage without requisites. Redelivered, it re-sends the starts of stages still waiting.
func (e *Engine) startExecution(ctx context.Context, s *step, cmd bus.Command) (outcome, error) {
	st := pipeline.Status(s.ex.Status)
	switch st {
	case pipeline.NotStarted, pipeline.Buffered:
		limit := 0
		if s.def.LimitConcurrent {
			limit = 1
		}
		if s.def.MaxConcurrentExecutions > 0 {
			limit = s.def.MaxConcurrentExecutions
		}
		running, v, err := e.cfg.Store.ClaimSlot(ctx, *s.ex, s.ex.Version, limit)
		if err != nil {
			return outcome{}, err
		}
		s.ex.Version = v
		s.published = true
		if !running {
			s.ex.Status = string(pipeline.Buffered)
			_ = e.publish(s.ex)
			if !s.def.KeepWaitingPipelines && s.ex.PipelineID != nil {
				e.cancelOlderWaiting(ctx, *s.ex.PipelineID, s.ex.ID)
			}
			return outcome{}, nil
		}
		s.ex.Status, s.ex.StartedAt = string(pipeline.Running), &s.now
		_ = e.publish(s.ex)
		s.notices = append(s.notices, notice{Event: "pipeline.starting"})
	case pipeline.Running:
		// Redelivered: a crash may have come between the slot and the commit that records the
		// start's notification; noted again, it names the same outbox row.
		s.notices = append(s.notices, notice{Event: "pipeline.starting"})
	default:
		return outcome{drop: "execution is " + string(st)}, nil
	}
	e.startReady(s)
	return outcome{}, e.commit(ctx, s)
}

// cancelOlderWaiting cancels a pipeline's older BUFFERED executions: without
// keepWaitingPipelines only the newest waiting run is kept, as in Spinnaker.
func (e *Engine) cancelOlderWaiting(ctx context.Context, pipelineID, newest string) {
	waiting, err := e.cfg.Store.WaitingExecutions(ctx, pipelineID)
	if err != nil {
		return
	}
	for _, w := range waiting {
		if w.ID < newest {
			payload, _ := json.Marshal(map[string]any{"reason": "superseded by a newer waiting execution"})
			_ = e.cfg.Bus.Send(ctx, bus.Command{ID: "CancelExecution/" + w.ID + "/superseded", Type: bus.CancelExecution,
				ExecutionID: w.ID, User: "gennaker", Payload: payload})
		}
	}
}

// startReady sends StartStage for every stage whose requisites are done; when none is ready
// and none runs, it asks to complete the execution.
func (e *Engine) startReady(s *step) {
	ready := pipeline.ReadyStages(s.def, s.statuses())
	for _, ref := range ready {
		if st := s.stageByRef(ref); st != nil {
			s.send(bus.StartStage, st, "")
		}
	}
	if len(ready) == 0 {
		if done, _ := pipeline.ExecutionOutcome(s.def, s.statuses()); done {
			s.send(bus.CompleteExecution, nil, "", s.ex.Version)
		}
	}
}

// startStage checks stageEnabled and the execution window, creates the stage's tasks and
// starts the first. Redelivered for a running stage, it re-sends the current task's start.
func (e *Engine) startStage(s *step, cmd bus.Command) outcome {
	st := s.stage(cmd.StageID)
	if st == nil || st.Attempt != cmd.Attempt {
		return outcome{drop: "stale stage command"}
	}
	if s.ex.Status == string(pipeline.Paused) {
		return outcome{retryAfter: time.Second}
	}
	if s.ex.Status != string(pipeline.Running) {
		return outcome{drop: "execution is " + s.ex.Status}
	}
	switch pipeline.Status(st.Status) {
	case pipeline.Running:
		if t := currentTask(st); t != nil {
			s.send(bus.StartTask, st, t.ID)
		} else {
			s.send(bus.CompleteStage, st, "")
		}
		return outcome{}
	case pipeline.NotStarted, pipeline.Suspended:
	default:
		// Already finished: make sure what follows it was started.
		e.startReady(s)
		return outcome{}
	}
	def := s.definition(st.RefID)
	if expr := def.EnabledExpression(); expr != "" {
		ok, err := pipeline.EvaluateBool(expr, s.env())
		if err != nil {
			msg := fmt.Sprintf("evaluating stageEnabled %q: %v", expr, err)
			st.Error = &msg
			s.setStage(st, pipeline.StageStatusAfterFailure(def))
			e.afterStage(s, st)
			return outcome{}
		}
		if !ok {
			s.setStage(st, pipeline.Skipped)
			e.afterStage(s, st)
			return outcome{}
		}
	}
	if w, err := def.Window(); err != nil {
		msg := fmt.Sprintf("reading the execution window: %v", err)
		st.Error = &msg
		s.setStage(st, pipeline.Terminal)
		e.afterStage(s, st)
		return outcome{}
	} else if w != nil {
		if next := w.Next(s.now); next.After(s.now) {
			if st.Status != string(pipeline.Suspended) {
				s.setStage(st, pipeline.Suspended)
				engineState(st)["windowOpensAt"] = next.Format(time.RFC3339)
			}
			return outcome{retryAfter: next.Sub(s.now)}
		}
	}
	typ, ok := stages.Lookup(st.Type)
	if !ok {
		msg := fmt.Sprintf("this engine has no stage type %q", st.Type)
		st.Error = &msg
		s.setStage(st, pipeline.Terminal)
		e.afterStage(s, st)
		return outcome{}
	}
	// Expressions are evaluated once, when the stage starts, as Spinnaker does: the stage's
	// context then shows the values used, and a value that came from a parameter is never
	// evaluated again.
	cfg, err := pipeline.Evaluate(stageConfig(st), s.env())
	if err != nil {
		msg := err.Error()
		st.Error = &msg
		s.setStage(st, pipeline.StageStatusAfterFailure(def))
		e.afterStage(s, st)
		return outcome{}
	}
	if m, ok := cfg.(map[string]any); ok {
		for k, v := range m {
			st.Context[k] = v
		}
	}
	s.setStage(st, pipeline.Running)
	st.Tasks = st.Tasks[:0]
	for i, t := range typ.Tasks {
		task := store.Task{ID: store.NewID(), StageID: st.ID, ExecutionID: s.ex.ID, Position: i, Name: t.Name(),
			Status: string(pipeline.NotStarted)}
		st.Tasks = append(st.Tasks, task)
		s.taskNew[task.ID] = true
	}
	if len(st.Tasks) == 0 {
		s.send(bus.CompleteStage, st, "")
	} else {
		s.send(bus.StartTask, st, st.Tasks[0].ID)
	}
	return outcome{}
}

// taskOf finds the running stage and the task a task command names; when it cannot act on
// them, the outcome to return instead.
func (e *Engine) taskOf(s *step, cmd bus.Command) (*store.Stage, *store.Task, *outcome) {
	st := s.stage(cmd.StageID)
	if st == nil || st.Attempt != cmd.Attempt {
		return nil, nil, &outcome{drop: "stale task command"}
	}
	if st.Status != string(pipeline.Running) {
		out := e.moveOn(s, st)
		return nil, nil, &out
	}
	t := taskByID(st, cmd.TaskID)
	if t == nil {
		return nil, nil, &outcome{drop: "unknown task"}
	}
	return st, t, nil
}

func (e *Engine) startTask(s *step, cmd bus.Command) outcome {
	st, t, stop := e.taskOf(s, cmd)
	if stop != nil {
		return *stop
	}
	switch pipeline.Status(t.Status) {
	case pipeline.NotStarted:
		s.setTask(st, t, pipeline.Running)
		s.send(bus.RunTask, st, t.ID)
	case pipeline.Running:
		s.send(bus.RunTask, st, t.ID)
	default:
		s.send(bus.CompleteTask, st, t.ID)
	}
	return outcome{}
}

// runTask runs a task once. A task still RUNNING is re-delivered after its back-off; a
// finished one is recorded and completed.
func (e *Engine) runTask(ctx context.Context, s *step, cmd bus.Command) outcome {
	st, t, stop := e.taskOf(s, cmd)
	if stop != nil {
		return *stop
	}
	if pipeline.Status(t.Status).IsComplete() {
		// Finished by an earlier delivery whose next command may have been lost.
		s.send(bus.CompleteTask, st, t.ID)
		return outcome{}
	}
	if t.Status != string(pipeline.Running) {
		return outcome{drop: "task is not running"}
	}
	switch s.ex.Status {
	case string(pipeline.Running):
	case string(pipeline.Paused):
		// Resume sends RunTask again for every running task.
		return outcome{drop: "execution paused"}
	default:
		return outcome{drop: "execution is " + s.ex.Status}
	}
	typ, _ := stages.Lookup(st.Type)
	if t.Position >= len(typ.Tasks) {
		return outcome{drop: "task no longer exists in its stage type"}
	}
	def := s.definition(st.RefID)
	started := st.StartedAt.Add(stateDuration(st, "pausedNs"))
	if to := def.Timeout(); to > 0 && s.now.Sub(started) > to {
		msg := fmt.Sprintf("the stage timed out after %s", to)
		return e.finishTask(s, st, t, stages.Result{Status: pipeline.Terminal, Error: msg})
	}
	if _, pure := typ.Tasks[t.Position].(stages.Pure); !pure {
		// Its effects reach outside Gennaker: no other replica may run it meanwhile.
		now := time.Now().UTC()
		held, until, err := e.cfg.Store.LeaseTask(ctx, t.ID, e.cfg.ReplicaID, now, now.Add(e.cfg.AckWait))
		if err != nil || !held {
			// Come back when the lease ends: the run holding it usually schedules the next
			// itself, and one whose replica died leaves a lease that expires.
			return outcome{retryAfter: max(until.Sub(now), 0) + leaseRetry + time.Duration(rand.IntN(50))*time.Millisecond}
		}
		s.leased = t.ID
		// A run that loaded the state before another run of this task committed must not act
		// on it: with the lease held, the newest state is what the run must see.
		if v, err := e.cfg.Store.ExecutionVersion(ctx, s.ex.ID); err != nil || v != s.ex.Version {
			return outcome{retryAfter: time.Duration(5+rand.IntN(20)) * time.Millisecond}
		}
	}
	env := s.env()
	cfgMap := stageConfig(st) // evaluated when the stage started
	tc := &stages.Context{ExecutionID: s.ex.ID, Application: s.ex.ApplicationName, StageID: st.ID, StageName: st.Name,
		Attempt: st.Attempt, Config: cfgMap, State: copyMap(taskState(st)), Env: env, StartedAt: started,
		Now: s.now, HTTP: e.cfg.HTTP, Services: services{e}}
	t.Attempts++
	s.taskDirty[t.ID], s.execDirty = true, true
	res := typ.Tasks[t.Position].Run(ctx, tc)
	if len(res.Context) > 0 {
		state := taskState(st)
		for k, v := range res.Context {
			state[k] = v
		}
		s.touchStage(st)
	}
	mergeOutputs(st, res.Outputs)
	if res.Status == pipeline.Running || res.Status == "" {
		d := max(res.RetryAfter, 10*time.Millisecond)
		if to := def.Timeout(); to > 0 {
			// Come back no later than the timeout, so that it is enforced on time.
			d = min(d, max(to-s.now.Sub(started), 0)+10*time.Millisecond)
		}
		engineState(st)["nextRunAt"] = s.now.Add(d).Format(time.RFC3339Nano)
		s.touchStage(st)
		return outcome{retryAfter: d}
	}
	return e.finishTask(s, st, t, res)
}

func (e *Engine) finishTask(s *step, st *store.Stage, t *store.Task, res stages.Result) outcome {
	if res.Error != "" {
		t.Error = &res.Error
		st.Error = &res.Error
	}
	mergeOutputs(st, res.Outputs)
	s.setTask(st, t, res.Status)
	s.send(bus.CompleteTask, st, t.ID)
	return outcome{}
}

func mergeOutputs(st *store.Stage, outs map[string]any) {
	if len(outs) == 0 {
		return
	}
	if st.Outputs == nil {
		st.Outputs = store.JSONMap{}
	}
	for k, v := range outs {
		st.Outputs[k] = v
	}
}

// stageConfig is the stage's context without the engine's and tasks' bookkeeping.
func stageConfig(st *store.Stage) map[string]any {
	out := make(map[string]any, len(st.Context))
	for k, v := range st.Context {
		if k != stateKey && k != taskStateKey {
			out[k] = v
		}
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// completeTask starts the next task, or completes the stage after the last one or a failure.
func (e *Engine) completeTask(s *step, cmd bus.Command) outcome {
	st, t, stop := e.taskOf(s, cmd)
	if stop != nil {
		return *stop
	}
	if !pipeline.Status(t.Status).IsComplete() {
		return outcome{drop: "task not complete"}
	}
	if t.Status == string(pipeline.Succeeded) || t.Status == string(pipeline.Skipped) {
		if next := currentTask(st); next != nil {
			s.send(bus.StartTask, st, next.ID)
			return outcome{}
		}
	}
	s.send(bus.CompleteStage, st, "")
	return outcome{}
}

// moveOn handles a command that finds its stage already past it (an earlier delivery
// committed, then its next commands were lost): it re-sends what follows a finished stage.
// De-duplication ids make the repeat harmless when nothing was lost.
func (e *Engine) moveOn(s *step, st *store.Stage) outcome {
	if pipeline.Status(st.Status).IsComplete() && s.ex.Status == string(pipeline.Running) {
		e.afterStage(s, st)
		return outcome{}
	}
	return outcome{drop: "stage is " + st.Status}
}

// completeStage decides the stage's status from its tasks and its failure options, then
// starts what follows.
func (e *Engine) completeStage(s *step, cmd bus.Command) outcome {
	st := s.stage(cmd.StageID)
	if st == nil || st.Attempt != cmd.Attempt {
		return outcome{drop: "stale stage command"}
	}
	if st.Status == string(pipeline.Running) {
		status := pipeline.Succeeded
		for _, t := range st.Tasks {
			ts := pipeline.Status(t.Status)
			if !ts.IsComplete() {
				return outcome{drop: "stage still has a running task"}
			}
			if ts == pipeline.Terminal || ts == pipeline.Stopped {
				status = pipeline.StageStatusAfterFailure(s.definition(st.RefID))
				break
			}
			if ts == pipeline.Canceled {
				status = pipeline.Canceled
			}
		}
		s.setStage(st, status)
	} else if !pipeline.Status(st.Status).IsComplete() {
		return outcome{drop: "stage is " + st.Status}
	}
	e.afterStage(s, st)
	return outcome{}
}

// afterStage follows a stage's end: a TERMINAL stage cancels the stages still running in
// other branches; then ready stages start, or the execution completes.
func (e *Engine) afterStage(s *step, st *store.Stage) {
	if st.Status == string(pipeline.Terminal) {
		for i := range s.ex.Stages {
			o := &s.ex.Stages[i]
			if o.ID != st.ID && (o.Status == string(pipeline.Running) || o.Status == string(pipeline.Suspended)) {
				e.cancelStage(s, o)
			}
		}
	}
	if s.ex.Status == string(pipeline.Running) {
		e.startReady(s)
	}
}

func (e *Engine) cancelStage(s *step, st *store.Stage) {
	for i := range st.Tasks {
		if !pipeline.Status(st.Tasks[i].Status).IsComplete() {
			s.setTask(st, &st.Tasks[i], pipeline.Canceled)
		}
	}
	s.setStage(st, pipeline.Canceled)
}

// completeExecution ends the execution when every branch has ended.
func (e *Engine) completeExecution(s *step) outcome {
	if pipeline.Status(s.ex.Status).IsComplete() {
		s.send(bus.StartWaiting, nil, "", "after", s.ex.ID)
		return outcome{}
	}
	if s.ex.Status != string(pipeline.Running) {
		return outcome{drop: "execution is " + s.ex.Status}
	}
	done, result := pipeline.ExecutionOutcome(s.def, s.statuses())
	if !done {
		e.startReady(s)
		return outcome{}
	}
	s.setExec(result)
	if s.ex.PipelineID != nil {
		s.send(bus.StartWaiting, nil, "", "after", s.ex.ID)
	}
	return outcome{}
}

// startWaiting follows a finished execution: it starts the pipelines whose pipeline trigger
// waits for it, and offers the slot it freed to the oldest BUFFERED execution of its pipeline.
func (e *Engine) startWaiting(ctx context.Context, s *step) (outcome, error) {
	if s.ex.PipelineID == nil {
		return outcome{}, nil
	}
	// The other thing that follows an execution's end: pipelines triggered by it.
	if err := e.fireDownstream(ctx, s.ex); err != nil {
		return outcome{}, err
	}
	waiting, err := e.cfg.Store.WaitingExecutions(ctx, *s.ex.PipelineID)
	if err != nil {
		return outcome{}, err
	}
	if len(waiting) == 0 {
		return outcome{}, nil
	}
	// The oldest waits longest: it alone may take the slot (ClaimSlot keeps the order).
	w := waiting[0]
	return outcome{}, e.cfg.Bus.Send(ctx, bus.Command{ID: "StartExecution/" + w.ID + "/after/" + s.ex.ID,
		Type: bus.StartExecution, ExecutionID: w.ID})
}
