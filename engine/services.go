package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/store"
)

// services gives stage tasks what reaches outside their stage.
type services struct{ e *Engine }

var childNamespace = uuid.MustParse("6f1d7c1e-8f5e-4b8a-9f0e-3a0c5d1b2e47")

// TriggerPipeline starts a child pipeline; its execution id is derived from key, so that
// the same key (one stage run) never starts two children.
func (sv services) TriggerPipeline(ctx context.Context, key, application, name string, params map[string]string, parent string) (string, error) {
	st := sv.e.cfg.Store
	app, err := st.ApplicationByName(ctx, application)
	if err != nil {
		return "", fmt.Errorf("finding application %q: %w", application, err)
	}
	p, err := st.PipelineByName(ctx, app.ID, name)
	if err != nil {
		if p, err = st.Pipeline(ctx, name); err != nil || p.ApplicationID != app.ID {
			return "", fmt.Errorf("finding pipeline %q: %w", name, store.ErrNotFound)
		}
	}
	id := uuid.NewSHA1(childNamespace, []byte(key)).String()
	return id, sv.e.startPipeline(ctx, id, app, p, params,
		store.JSONMap{"type": "pipeline", "user": "gennaker", "parentExecution": parent}, "pipeline:"+parent)
}

// startPipeline writes an execution of a pipeline under a given id, unless one with that id
// exists (a repeat after a crash, or another replica that fired the same trigger), and asks
// for it to start. Parameters are resolved against the pipeline's.
func (e *Engine) startPipeline(ctx context.Context, id string, app store.Application, p store.Pipeline,
	params map[string]string, trigger store.JSONMap, by string) error {
	st := e.cfg.Store
	start := bus.Command{ID: "StartExecution/" + id, Type: bus.StartExecution, ExecutionID: id}
	if _, err := st.Execution(ctx, id); err == nil {
		return e.cfg.Bus.Send(ctx, start)
	}
	var d pipeline.Definition
	if err := json.Unmarshal(p.Definition, &d); err != nil {
		return err
	}
	resolved, err := pipeline.ResolveParameters(d.Parameters, params)
	if err != nil {
		return err
	}
	pm := store.JSONMap{}
	for k, v := range resolved {
		pm[k] = v
	}
	trigger["parameters"] = pm
	now := time.Now().UTC()
	ex := store.Execution{ID: id, Type: store.ExecutionTypePipeline, ApplicationID: app.ID, ApplicationName: app.Name,
		PipelineID: &p.ID, Name: p.Name, Status: string(pipeline.NotStarted), Definition: p.Definition,
		Trigger: trigger, TriggeredBy: by, Parameters: pm, Context: store.JSONMap{}, CreatedAt: now, UpdatedAt: now, Version: 1}
	for _, s := range d.Stages {
		cfg := store.JSONMap{}
		for k, v := range s.Config {
			cfg[k] = v
		}
		ex.Stages = append(ex.Stages, store.Stage{ID: store.NewID(), RefID: s.RefID, Type: s.Type, Name: s.Name,
			Requisites: s.RequisiteStageRefIDs, Status: string(pipeline.NotStarted), Context: cfg, Outputs: store.JSONMap{}})
	}
	err = st.CreateExecution(ctx, ex, store.Audit{Actor: by, Action: "triggerPipeline", Detail: map[string]any{"trigger": trigger}})
	if err != nil && !errors.Is(err, store.ErrConflict) { // a conflict: the same id was written meanwhile
		return err
	}
	return e.cfg.Bus.Send(ctx, start)
}

// ExecutionStatus returns an execution's status and its stages' outputs merged.
func (sv services) ExecutionStatus(ctx context.Context, id string) (pipeline.Status, map[string]any, error) {
	ex, err := sv.e.cfg.Store.Execution(ctx, id)
	if err != nil {
		return "", nil, err
	}
	out := map[string]any{}
	for _, s := range ex.Stages {
		for k, v := range s.Outputs {
			out[k] = v
		}
	}
	return pipeline.Status(ex.Status), out, nil
}

// Provider returns the driver of a deploy account.
func (sv services) Provider(account string) (providers.Provider, providers.Account, error) {
	if sv.e.cfg.Providers == nil {
		return nil, providers.Account{}, fmt.Errorf("this engine has no deploy accounts: %w", providers.ErrAccountUnknown)
	}
	p, err := sv.e.cfg.Providers.Provider(account)
	if err != nil {
		return nil, providers.Account{}, err
	}
	a, _ := sv.e.cfg.Providers.Account(account)
	return p, a, nil
}

// Refresh reads an application in an account into the store now.
func (sv services) Refresh(ctx context.Context, account, app string) {
	if sv.e.cfg.Providers == nil {
		return
	}
	if err := sv.e.cache.Refresh(ctx, account, app); err != nil {
		sv.e.log.Warn("refreshing the cache after an operation failed", "account", account, "application", app, "error", err)
	}
}
