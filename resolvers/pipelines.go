package resolvers

import (
	"encoding/json"
	"fmt"

	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/pipeline"
)

func pathIndex(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// definitionFromInput turns the mutation's input into a pipeline definition, listing every
// value that is not the JSON object it must be.
func definitionFromInput(in model.SavePipelineInput, p *problemsError) pipeline.Definition {
	d := pipeline.Definition{Name: in.Name, Stages: []pipeline.Stage{}}
	if in.Description != nil {
		d.Description = *in.Description
	}
	if in.LimitConcurrent != nil {
		d.LimitConcurrent = *in.LimitConcurrent
	}
	if in.MaxConcurrentExecutions != nil {
		d.MaxConcurrentExecutions = *in.MaxConcurrentExecutions
	}
	if in.KeepWaitingPipelines != nil {
		d.KeepWaitingPipelines = *in.KeepWaitingPipelines
	}
	if in.Disabled != nil {
		d.Disabled = *in.Disabled
	}
	for i, s := range in.Stages {
		d.Stages = append(d.Stages, pipeline.Stage{RefID: s.RefID, Type: s.Type, Name: s.Name,
			RequisiteStageRefIDs: nonNil(s.RequisiteStageRefIds),
			Config:               objectArg(s.Config, pathIndex("stages", i)+".config", p)})
	}
	for i, t := range in.Triggers {
		tr := pipeline.Trigger{Type: t.Type, Enabled: t.Enabled == nil || *t.Enabled,
			Config: objectArg(t.Config, pathIndex("triggers", i)+".config", p)}
		d.Triggers = append(d.Triggers, tr)
	}
	for _, pa := range in.Parameters {
		d.Parameters = append(d.Parameters, pipeline.Parameter{Name: pa.Name, Label: deref(pa.Label),
			Description: deref(pa.Description), Default: deref(pa.Default), Required: pa.Required != nil && *pa.Required,
			Options: nonNil(pa.Options)})
	}
	for i, n := range in.Notifications {
		d.Notifications = append(d.Notifications, pipeline.Notification{Type: n.Type, Address: n.Address,
			When: n.When, Config: objectArg(n.Config, pathIndex("notifications", i)+".config", p)})
	}
	return d
}

// objectArg checks that a JSON argument is an object (or absent).
func objectArg(v any, path string, p *problemsError) map[string]any {
	switch m := v.(type) {
	case nil:
		return map[string]any{}
	case map[string]any:
		return m
	}
	p.add(path, "INVALID_FIELD", "must be a JSON object, got %T", v)
	return map[string]any{}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func marshalDefinition(d pipeline.Definition) ([]byte, error) {
	return json.Marshal(d)
}

func decodeDefinition(b []byte) (pipeline.Definition, error) {
	var d pipeline.Definition
	err := json.Unmarshal(b, &d)
	return d, err
}
