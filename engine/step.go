package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// step is one handler's view of an execution: the loaded state, what it changed, and the
// commands to send after the commit.
type step struct {
	ex         *store.Execution
	def        pipeline.Definition
	now        time.Time
	execDirty  bool
	stageDirty map[string]bool
	taskDirty  map[string]bool
	taskNew    map[string]bool
	clear      []string
	next       []bus.Command
	notices    []notice
	published  bool   // an event of this step's state went out
	leased     string // the task this step holds a lease on, released after the commit
}

func newStep(ex store.Execution) (*step, error) {
	var d pipeline.Definition
	if len(ex.Definition) > 0 && string(ex.Definition) != "null" {
		if err := json.Unmarshal(ex.Definition, &d); err != nil {
			return nil, err
		}
	}
	if ex.Context == nil {
		ex.Context = store.JSONMap{}
	}
	return &step{ex: &ex, def: d, now: time.Now().UTC(), stageDirty: map[string]bool{}, taskDirty: map[string]bool{}, taskNew: map[string]bool{}}, nil
}

func (s *step) changed() bool {
	return s.execDirty || len(s.stageDirty) > 0 || len(s.taskDirty) > 0
}

func (s *step) change() store.ExecutionChange {
	ch := store.ExecutionChange{Execution: *s.ex, ClearTasksOf: s.clear}
	ch.Execution.UpdatedAt = s.now
	s.ex.UpdatedAt = s.now
	for i := range s.ex.Stages {
		st := s.ex.Stages[i]
		if s.stageDirty[st.ID] {
			ch.Stages = append(ch.Stages, st)
		}
		for _, t := range st.Tasks {
			switch {
			case s.taskNew[t.ID]:
				ch.NewTasks = append(ch.NewTasks, t)
			case s.taskDirty[t.ID]:
				ch.Tasks = append(ch.Tasks, t)
			}
		}
	}
	return ch
}

// stage returns the stage with this id.
func (s *step) stage(id string) *store.Stage {
	for i := range s.ex.Stages {
		if s.ex.Stages[i].ID == id {
			return &s.ex.Stages[i]
		}
	}
	return nil
}

func (s *step) stageByRef(ref string) *store.Stage {
	for i := range s.ex.Stages {
		if s.ex.Stages[i].RefID == ref {
			return &s.ex.Stages[i]
		}
	}
	return nil
}

func (s *step) definition(ref string) pipeline.Stage {
	for _, d := range s.def.Stages {
		if d.RefID == ref {
			return d
		}
	}
	return pipeline.Stage{RefID: ref}
}

func (s *step) statuses() map[string]pipeline.Status {
	m := make(map[string]pipeline.Status, len(s.ex.Stages))
	for _, st := range s.ex.Stages {
		m[st.RefID] = pipeline.Status(st.Status)
	}
	return m
}

func (s *step) setExec(status pipeline.Status) {
	if pipeline.Status(s.ex.Status) != status {
		s.noteExec(status)
	}
	s.ex.Status = string(status)
	s.execDirty = true
	if status.IsComplete() && s.ex.EndedAt == nil {
		s.ex.EndedAt = &s.now
	}
}

func (s *step) setStage(st *store.Stage, status pipeline.Status) {
	if from := pipeline.Status(st.Status); from != status {
		s.noteStage(st, from, status)
	}
	st.Status = string(status)
	s.stageDirty[st.ID] = true
	s.execDirty = true
	if status == pipeline.Running && st.StartedAt == nil {
		st.StartedAt = &s.now
	}
	if status.IsComplete() && st.EndedAt == nil {
		st.EndedAt = &s.now
	}
}

func (s *step) setTask(st *store.Stage, t *store.Task, status pipeline.Status) {
	t.Status = string(status)
	s.taskDirty[t.ID] = true
	s.stageDirty[st.ID] = true
	s.execDirty = true
	if status == pipeline.Running && t.StartedAt == nil {
		t.StartedAt = &s.now
	}
	if status.IsComplete() && t.EndedAt == nil {
		t.EndedAt = &s.now
	}
}

func (s *step) touchStage(st *store.Stage) {
	s.stageDirty[st.ID] = true
	s.execDirty = true
}

// send queues a command with a de-duplication id made of its parts.
func (s *step) send(typ bus.CommandType, st *store.Stage, taskID string, idParts ...any) {
	c := bus.Command{Type: typ, ExecutionID: s.ex.ID, TaskID: taskID}
	id := string(typ) + "/" + s.ex.ID
	if st != nil {
		c.StageID, c.Attempt = st.ID, st.Attempt
		id += fmt.Sprintf("/%s/%d", st.ID, st.Attempt)
	}
	if taskID != "" {
		id += "/" + taskID
	}
	for _, p := range idParts {
		id += fmt.Sprintf("/%v", p)
	}
	c.ID = id
	s.next = append(s.next, c)
}

// currentTask returns the first task of a stage that is not complete.
func currentTask(st *store.Stage) *store.Task {
	for i := range st.Tasks {
		if !pipeline.Status(st.Tasks[i].Status).IsComplete() {
			return &st.Tasks[i]
		}
	}
	return nil
}

func taskByID(st *store.Stage, id string) *store.Task {
	for i := range st.Tasks {
		if st.Tasks[i].ID == id {
			return &st.Tasks[i]
		}
	}
	return nil
}

// env builds the expression environment of the execution.
func (s *step) env() pipeline.Env {
	env := pipeline.Env{
		Trigger:    map[string]any(s.ex.Trigger),
		Parameters: map[string]any(s.ex.Parameters),
		Execution: map[string]any{"id": s.ex.ID, "name": s.ex.Name, "application": s.ex.ApplicationName,
			"status": s.ex.Status, "triggeredBy": s.ex.TriggeredBy},
	}
	for _, st := range s.ex.Stages {
		env.Stages = append(env.Stages, pipeline.StageView{RefID: st.RefID, Name: st.Name, Type: st.Type,
			Status: st.Status, Context: map[string]any(st.Context), Outputs: map[string]any(st.Outputs)})
	}
	return env
}

// stageState is the engine's bookkeeping inside a stage's context, under one key so that it
// never collides with a stage type's own fields.
const stateKey = "_engine"

func engineState(st *store.Stage) map[string]any {
	m, _ := st.Context[stateKey].(map[string]any)
	if m == nil {
		m = map[string]any{}
		st.Context[stateKey] = m
	}
	return m
}

func stateDuration(st *store.Stage, key string) time.Duration {
	m, _ := st.Context[stateKey].(map[string]any)
	switch v := m[key].(type) {
	case float64:
		return time.Duration(v)
	case int64:
		return time.Duration(v)
	case json.Number:
		n, _ := v.Int64()
		return time.Duration(n)
	}
	return 0
}
