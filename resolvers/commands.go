package resolvers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// errNoEngine is returned by mutations that need the engine when this server has none.
var errNoEngine = errors.New("this API server is not connected to an engine")

type execCmd string

const (
	cmdCancel  execCmd = execCmd(bus.CancelExecution)
	cmdPause   execCmd = execCmd(bus.PauseExecution)
	cmdResume  execCmd = execCmd(bus.ResumeExecution)
	cmdRestart execCmd = execCmd(bus.RestartStage)
	cmdSkip    execCmd = execCmd(bus.SkipStage)
	cmdJudge   execCmd = execCmd(bus.JudgeStage)
)

// triggerPipeline writes a new execution of a pipeline and asks the engine to start it.
// Parameters are checked first; nothing is written when they are wrong.
func (r *Resolver) triggerPipeline(ctx context.Context, in model.TriggerPipelineInput) (*model.ExecutionPayload, error) {
	if r.Engine == nil {
		return nil, errNoEngine
	}
	pid, err := keyOf(in.PipelineID, "Pipeline", "input.pipelineId")
	if err != nil {
		return nil, err
	}
	given, err := parameterArg(in.Parameters)
	if err != nil {
		return nil, err
	}
	p, err := r.Store.Pipeline(ctx, pid)
	if err != nil {
		return nil, err
	}
	d, err := decodeDefinition(p.Definition)
	if err != nil {
		return nil, err
	}
	app, err := r.Store.Application(ctx, p.ApplicationID)
	if err != nil {
		return nil, err
	}
	params, err := pipeline.ResolveParameters(d.Parameters, given)
	if err != nil {
		return nil, prefixProblems(err, "input")
	}
	var warnings []*model.Warning
	if d.Disabled {
		// Guardrails, not gates: a disabled pipeline still runs when asked by hand.
		warnings = append(warnings, &model.Warning{Path: "pipeline.disabled", Code: "PIPELINE_DISABLED",
			Message: "this pipeline is disabled: its automatic triggers are off, and this manual run was recorded as an override"})
	}
	audit, err := r.authorize(ctx, auth.Execute, auth.Resource{Type: "Application", Name: app.Name}, "triggerPipeline",
		map[string]any{"pipeline": p.Name, "parameters": params, "reason": deref(in.Reason), "overrides": len(warnings)})
	if err != nil {
		return nil, err
	}
	who, _ := auth.FromContext(ctx)
	paramMap := map[string]any{}
	for k, v := range params {
		paramMap[k] = v
	}
	e := newExecution(store.ExecutionTypePipeline, app, p.Name, p.Definition, d.Stages, who.Name, deref(in.Reason))
	e.PipelineID = &p.ID
	e.Parameters = paramMap
	e.Trigger = store.JSONMap{"type": "manual", "user": who.Name, "parameters": paramMap}
	return r.startExecution(ctx, e, audit, warnings)
}

// newExecution builds an execution row and its NOT_STARTED stages.
func newExecution(typ string, app store.Application, name string, def []byte, stages []pipeline.Stage, user, reason string) store.Execution {
	now := time.Now().UTC()
	e := store.Execution{ID: store.NewID(), Type: typ, ApplicationID: app.ID, ApplicationName: app.Name, Name: name,
		Status: string(pipeline.NotStarted), Definition: def, TriggeredBy: user, Reason: reason,
		Parameters: store.JSONMap{}, Context: store.JSONMap{}, CreatedAt: now, UpdatedAt: now, Version: 1}
	for _, s := range stages {
		e.Stages = append(e.Stages, store.Stage{ID: store.NewID(), RefID: s.RefID, Type: s.Type, Name: s.Name,
			Requisites: nonNil(s.RequisiteStageRefIDs), Status: string(pipeline.NotStarted),
			Context: store.JSONMap(nonNilMap(s.Config)), Outputs: store.JSONMap{}})
	}
	return e
}

func (r *Resolver) startExecution(ctx context.Context, e store.Execution, audit store.Audit, warnings []*model.Warning) (*model.ExecutionPayload, error) {
	if err := r.Store.CreateExecution(ctx, e, audit); err != nil {
		return nil, err
	}
	// Were this send lost, the engine's watchdog starts executions left NOT_STARTED.
	if err := r.Engine.Send(ctx, bus.Command{ID: "StartExecution/" + e.ID, Type: bus.StartExecution, ExecutionID: e.ID, User: audit.Actor}); err != nil {
		r.Log.WarnContext(ctx, "sending StartExecution failed; the watchdog will start it", "execution_id", e.ID, "error", err)
	}
	saved, err := r.Store.Execution(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	return &model.ExecutionPayload{Execution: *toExecution(saved), Warnings: nonNil(warnings)}, nil
}

// parameterArg checks that the parameters argument is an object of strings (numbers and
// booleans are taken as their text).
func parameterArg(v any) (map[string]string, error) {
	out := map[string]string{}
	if v == nil {
		return out, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badInput("input.parameters", "INVALID_FIELD", "parameters must be a JSON object of names to values")
	}
	var p problemsError
	for k, val := range m {
		switch x := val.(type) {
		case string:
			out[k] = x
		case json.Number, float64, int64, int, bool:
			out[k] = fmt.Sprint(x)
		default:
			p.add("input.parameters."+k, "INVALID_PARAMETER_VALUE", "a parameter value must be a string, number or boolean")
		}
	}
	return out, p.err()
}

// executionCommand authorises and audits a command on an execution, then sends it.
func (r *Resolver) executionCommand(ctx context.Context, gid string, c execCmd, reason string, payload any) (*model.ExecutionPayload, error) {
	if r.Engine == nil {
		return nil, errNoEngine
	}
	id, err := keyOf(gid, "Execution", "input.id")
	if err != nil {
		return nil, err
	}
	e, err := r.Store.Execution(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := checkExecutionState(e, c); err != nil {
		return nil, err
	}
	return r.sendAudited(ctx, e, c, "", 0, map[string]any{"reason": reason}, payload)
}

func checkExecutionState(e store.Execution, c execCmd) error {
	st := pipeline.Status(e.Status)
	switch c {
	case cmdCancel:
		if st.IsComplete() {
			return fmt.Errorf("%w: the execution already ended %s", store.ErrConflict, st)
		}
	case cmdPause:
		if st != pipeline.Running {
			return fmt.Errorf("%w: only a RUNNING execution can be paused; this one is %s", store.ErrConflict, st)
		}
	case cmdResume:
		if st != pipeline.Paused {
			return fmt.Errorf("%w: only a PAUSED execution can be resumed; this one is %s", store.ErrConflict, st)
		}
	}
	return nil
}

// stageCommand authorises, checks and sends restart, skip and judgment commands.
func (r *Resolver) stageCommand(ctx context.Context, gid string, c execCmd, judge *model.JudgeStageInput) (*model.ExecutionPayload, error) {
	if r.Engine == nil {
		return nil, errNoEngine
	}
	sid, err := keyOf(gid, "Stage", "input.id")
	if err != nil {
		return nil, err
	}
	st, err := r.Store.StageByID(ctx, sid)
	if err != nil {
		return nil, err
	}
	e, err := r.Store.Execution(ctx, st.ExecutionID)
	if err != nil {
		return nil, err
	}
	status := pipeline.Status(st.Status)
	detail := map[string]any{"stage": st.Name, "refId": st.RefID}
	var payload any
	switch c {
	case cmdRestart:
		if !status.IsComplete() {
			return nil, fmt.Errorf("%w: stage %q is %s; only a finished stage can be restarted", store.ErrConflict, st.Name, status)
		}
	case cmdSkip:
		if status != pipeline.Running || (st.Type != "wait" && st.Type != "manualJudgment") {
			return nil, fmt.Errorf("%w: only a RUNNING wait or manual judgment stage can be skipped; %q is a %s stage, %s", store.ErrConflict, st.Name, st.Type, status)
		}
	case cmdJudge:
		state, _ := st.Context["_state"].(map[string]any)
		if awaiting, _ := state["awaitingJudgment"].(bool); st.Type != "manualJudgment" && !awaiting {
			return nil, badInput("input.id", "NOT_A_JUDGMENT", "stage %q is a %s stage, not a manual judgment", st.Name, st.Type)
		}
		if status != pipeline.Running {
			return nil, fmt.Errorf("%w: the judgment %q is %s, not waiting for an answer", store.ErrConflict, st.Name, status)
		}
		if err := checkJudgmentInput(st, judge.Input); err != nil {
			return nil, err
		}
		payload = map[string]any{"judgment": string(judge.Judgment), "input": deref(judge.Input), "comment": deref(judge.Comment)}
		detail["judgment"], detail["input"], detail["comment"] = string(judge.Judgment), deref(judge.Input), deref(judge.Comment)
	}
	return r.sendAudited(ctx, e, c, st.ID, st.Attempt, detail, payload)
}

func checkJudgmentInput(st store.Stage, input *string) error {
	choices, _ := st.Context["judgmentInputs"].([]any)
	if len(choices) == 0 {
		return nil
	}
	var allowed []string
	for _, c := range choices {
		if m, ok := c.(map[string]any); ok {
			if v, ok := m["value"].(string); ok {
				allowed = append(allowed, v)
			}
		}
	}
	for _, a := range allowed {
		if input != nil && *input == a {
			return nil
		}
	}
	return badInput("input.input", "INVALID_JUDGMENT_INPUT", "choose one of %v", allowed)
}

func (r *Resolver) sendAudited(ctx context.Context, e store.Execution, c execCmd, stageID string, attempt int, detail map[string]any, payload any) (*model.ExecutionPayload, error) {
	audit, err := r.authorize(ctx, auth.Execute, auth.Resource{Type: "Application", Name: e.ApplicationName}, lowerFirst(string(c)), detail)
	if err != nil {
		return nil, err
	}
	if err := r.Store.RecordAudit(ctx, audit, e); err != nil {
		return nil, err
	}
	cmd := bus.Command{ID: fmt.Sprintf("%s/%s/%s/%s", c, e.ID, stageID, store.NewID()), Type: bus.CommandType(c),
		ExecutionID: e.ID, StageID: stageID, Attempt: attempt, User: audit.Actor}
	if reason, ok := detail["reason"].(string); ok && payload == nil {
		payload = map[string]any{"reason": reason}
	}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return nil, err
		}
		cmd.Payload = b
	}
	if err := r.Engine.Send(ctx, cmd); err != nil {
		return nil, fmt.Errorf("sending %s: %w", c, err)
	}
	return &model.ExecutionPayload{Execution: *toExecution(e), Warnings: []*model.Warning{}}, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
