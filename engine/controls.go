package engine

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine/stages"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// The handlers of what people ask of a running execution: cancel, pause, resume, restart a
// stage, skip a stage, answer a judgment.

type reasonPayload struct {
	Reason   string `json:"reason"`
	Judgment string `json:"judgment"`
	Input    string `json:"input"`
	Comment  string `json:"comment"`
}

func payloadOf(cmd bus.Command) reasonPayload {
	var p reasonPayload
	_ = json.Unmarshal(cmd.Payload, &p)
	return p
}

// cancelExecution always wins: whatever runs is cancelled, whatever waits never starts.
func (e *Engine) cancelExecution(ctx context.Context, s *step, cmd bus.Command) outcome {
	if pipeline.Status(s.ex.Status).IsComplete() {
		if s.ex.PipelineID != nil { // the slot it freed may not have been offered yet
			s.send(bus.StartWaiting, nil, "", "after", s.ex.ID)
		}
		return outcome{}
	}
	p := payloadOf(cmd)
	user := cmd.User
	s.ex.Canceled, s.ex.CanceledBy, s.ex.CancelReason = true, &user, &p.Reason
	for i := range s.ex.Stages {
		st := &s.ex.Stages[i]
		if st.Status == string(pipeline.Running) || st.Status == string(pipeline.Suspended) {
			e.cancelTasks(ctx, s, st)
			e.cancelStage(s, st)
		}
	}
	s.setExec(pipeline.Canceled)
	if s.ex.PipelineID != nil {
		s.send(bus.StartWaiting, nil, "", "after", s.ex.ID)
	}
	return outcome{}
}

// cancelTasks lets running tasks that hold something outside (a child pipeline …) stop it.
func (e *Engine) cancelTasks(ctx context.Context, s *step, st *store.Stage) {
	typ, ok := stages.Lookup(st.Type)
	if !ok {
		return
	}
	for _, t := range st.Tasks {
		if t.Status != string(pipeline.Running) || t.Position >= len(typ.Tasks) {
			continue
		}
		if c, ok := typ.Tasks[t.Position].(stages.Canceler); ok {
			tc := &stages.Context{ExecutionID: s.ex.ID, StageID: st.ID, Attempt: st.Attempt,
				Config: stageConfig(st), State: taskState(st), Now: s.now, Services: services{e}}
			if err := c.Cancel(ctx, tc); err != nil {
				e.log.Warn("cancelling a task failed", "execution_id", s.ex.ID, "stage", st.Name, "error", err)
			}
		}
	}
}

func (e *Engine) pauseExecution(s *step, cmd bus.Command) outcome {
	if s.ex.Status != string(pipeline.Running) {
		return outcome{drop: "not running"}
	}
	s.ex.PausedAt = &s.now
	s.setExec(pipeline.Paused)
	return outcome{}
}

// resumeExecution adds the pause to every running stage's paused time (so timeouts and
// waits don't count it) and runs their tasks again.
func (e *Engine) resumeExecution(s *step, cmd bus.Command) outcome {
	if s.ex.Status != string(pipeline.Paused) {
		return outcome{drop: "not paused"}
	}
	var paused time.Duration
	if s.ex.PausedAt != nil {
		paused = s.now.Sub(*s.ex.PausedAt)
	}
	s.ex.PausedMs += paused.Milliseconds()
	s.ex.PausedAt = nil
	s.setExec(pipeline.Running)
	for i := range s.ex.Stages {
		st := &s.ex.Stages[i]
		if st.Status != string(pipeline.Running) {
			continue
		}
		engineState(st)["pausedNs"] = int64(stateDuration(st, "pausedNs") + paused)
		s.touchStage(st)
		if t := currentTask(st); t != nil {
			s.send(bus.RunTask, st, t.ID, "resume", s.now.UnixNano())
		}
	}
	e.startReady(s)
	return outcome{}
}

// restartStage runs a finished stage again, with every stage downstream of it.
func (e *Engine) restartStage(s *step, cmd bus.Command) outcome {
	st := s.stage(cmd.StageID)
	if st == nil || st.Attempt != cmd.Attempt || !pipeline.Status(st.Status).IsComplete() {
		return outcome{drop: "stage not restartable now"}
	}
	refs := append([]string{st.RefID}, pipeline.Downstream(s.def, st.RefID)...)
	for _, ref := range refs {
		o := s.stageByRef(ref)
		if o == nil {
			continue
		}
		if !pipeline.Status(o.Status).IsComplete() && o.Status != string(pipeline.NotStarted) {
			e.cancelStage(s, o)
		}
		o.Attempt++
		o.Status, o.StartedAt, o.EndedAt, o.Error = string(pipeline.NotStarted), nil, nil, nil
		o.Outputs = store.JSONMap{}
		o.Context = store.JSONMap(copyMap(s.definition(o.RefID).Config))
		o.Tasks = nil
		s.clear = append(s.clear, o.ID)
		s.touchStage(o)
	}
	s.ex.EndedAt = nil
	s.ex.Canceled, s.ex.CanceledBy, s.ex.CancelReason = false, nil, nil
	s.setExec(pipeline.Running)
	e.startReady(s)
	return outcome{}
}

// skipStage ends a running wait or judgment as SKIPPED; the pipeline goes on.
func (e *Engine) skipStage(s *step, cmd bus.Command) outcome {
	st := s.stage(cmd.StageID)
	if st == nil || st.Attempt != cmd.Attempt || st.Status != string(pipeline.Running) {
		return outcome{drop: "stage not running"}
	}
	for i := range st.Tasks {
		if !pipeline.Status(st.Tasks[i].Status).IsComplete() {
			s.setTask(st, &st.Tasks[i], pipeline.Skipped)
		}
	}
	engineState(st)["skippedBy"] = cmd.User
	s.setStage(st, pipeline.Skipped)
	e.afterStage(s, st)
	return outcome{}
}

// awaitsJudgment tells whether a stage takes a judgment: a manual judgment, or a stage whose
// task asks for one (a rolling red/black deploy between steps).
func awaitsJudgment(st *store.Stage) bool {
	if st.Type == "manualJudgment" {
		return true
	}
	b, _ := taskState(st)["awaitingJudgment"].(bool)
	return b
}

// judgeStage records the answer; the judgment task reads it when it runs, which this asks
// for at once.
func (e *Engine) judgeStage(s *step, cmd bus.Command) outcome {
	st := s.stage(cmd.StageID)
	if st == nil || st.Attempt != cmd.Attempt || st.Status != string(pipeline.Running) || !awaitsJudgment(st) {
		return outcome{drop: "judgment not waiting"}
	}
	state := taskState(st)
	if state["judgmentStatus"] != nil {
		if t := currentTask(st); t != nil { // the run asked for may have been lost
			s.send(bus.RunTask, st, t.ID, "judged", s.ex.Version)
		}
		return outcome{}
	}
	p := payloadOf(cmd)
	status := "continue"
	if p.Judgment == "STOP" {
		status = "stop"
	}
	state["judgmentStatus"], state["judgmentInput"], state["judgmentComment"] = status, p.Input, p.Comment
	state["judgedBy"], state["judgedAt"] = cmd.User, s.now.Format(time.RFC3339)
	s.touchStage(st)
	if t := currentTask(st); t != nil {
		s.send(bus.RunTask, st, t.ID, "judged", s.ex.Version)
	}
	return outcome{}
}
