package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// Cluster operations run as orchestrations: one-stage executions, audited, visible and
// live like pipelines, and carried out by the engine with the same guarantees.

func (r *Resolver) serverGroupOperation(ctx context.Context, gid, stageType, reason string, extra map[string]any) (*model.ExecutionPayload, error) {
	return r.checkedServerGroupOperation(ctx, gid, stageType, reason, extra, nil)
}

// checkedServerGroupOperation is serverGroupOperation with a check of the input against
// the stored server group, run before anything is written.
func (r *Resolver) checkedServerGroupOperation(ctx context.Context, gid, stageType, reason string, extra map[string]any,
	check func(context.Context, store.ServerGroup) error) (*model.ExecutionPayload, error) {
	if r.Engine == nil {
		return nil, errNoEngine
	}
	id, err := keyOf(gid, "ServerGroup", "input.id")
	if err != nil {
		return nil, err
	}
	groups, err := r.Store.ServerGroupsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, notFound("server group")
	}
	g := groups[0]
	if check != nil {
		if err := check(ctx, g); err != nil {
			return nil, err
		}
	}
	cls, err := r.Store.ClustersByIDs(ctx, []string{g.ClusterID})
	if err != nil || len(cls) == 0 {
		return nil, notFound("cluster")
	}
	cfg := map[string]any{"account": g.Account, "region": g.Region, "cluster": cls[0].Name, "serverGroupName": g.Name}
	for k, v := range extra {
		cfg[k] = v
	}
	if c, ok := cfg["capacity"].(map[string]any); ok {
		if err := checkCapacity(c); err != nil {
			return nil, err
		}
	}
	return r.orchestrate(ctx, store.AuditTarget{Type: "ServerGroup", ID: g.ID}, g.ApplicationID, stageType, stageType+" "+g.Name, reason, cfg)
}

// terminateInstances terminates instances of a server group; every id must be one of the
// group's instances in the store.
func (r *Resolver) terminateInstances(ctx context.Context, in model.TerminateInstancesInput) (*model.ExecutionPayload, error) {
	if len(in.InstanceIds) == 0 {
		var p problemsError
		p.add("input.instanceIds", pipeline.CodeMissingField, "give at least one instance to terminate")
		return nil, p.err()
	}
	check := func(ctx context.Context, g store.ServerGroup) error {
		ins, err := r.Store.InstancesByServerGroups(ctx, []string{g.ID})
		if err != nil {
			return err
		}
		var p problemsError
		for i, id := range in.InstanceIds {
			if !slices.ContainsFunc(ins, func(x store.Instance) bool { return x.InstanceID == id }) {
				p.add(fmt.Sprintf("input.instanceIds[%d]", i), "UNKNOWN_INSTANCE", "%q is not an instance of server group %s", id, g.Name)
			}
		}
		return p.err()
	}
	ids := make([]any, len(in.InstanceIds))
	for i, id := range in.InstanceIds {
		ids[i] = id
	}
	return r.checkedServerGroupOperation(ctx, in.ID, "terminateInstances", deref(in.Reason), map[string]any{"instanceIds": ids}, check)
}

func checkCapacity(c map[string]any) error {
	var p problemsError
	mn, _ := c["min"].(int)
	de, _ := c["desired"].(int)
	mx, _ := c["max"].(int)
	if mn < 0 || de < 0 || mx < 0 {
		p.add("input.capacity", "INVALID_CAPACITY", "capacity cannot be negative")
	}
	if !(mn <= de && de <= mx) {
		p.add("input.capacity", "INVALID_CAPACITY", "capacity must satisfy min ≤ desired ≤ max, got %d ≤ %d ≤ %d", mn, de, mx)
	}
	return p.err()
}

func (r *Resolver) rollbackCluster(ctx context.Context, in model.RollbackClusterInput) (*model.ExecutionPayload, error) {
	if r.Engine == nil {
		return nil, errNoEngine
	}
	id, err := keyOf(in.ID, "Cluster", "input.id")
	if err != nil {
		return nil, err
	}
	cls, err := r.Store.ClustersByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(cls) == 0 {
		return nil, notFound("cluster")
	}
	c := cls[0]
	cfg := map[string]any{"account": c.Account, "region": in.Region, "cluster": c.Name}
	return r.orchestrate(ctx, store.AuditTarget{Type: "Cluster", ID: c.ID}, c.ApplicationID, "rollbackCluster", "rollback "+c.Name, deref(in.Reason), cfg)
}

// orchestrate starts a one-stage execution that changes target; the audit event names the
// target, and is filed under the execution too.
func (r *Resolver) orchestrate(ctx context.Context, target store.AuditTarget, appID, stageType, name, reason string, cfg map[string]any) (*model.ExecutionPayload, error) {
	app, err := r.Store.Application(ctx, appID)
	if err != nil {
		return nil, err
	}
	d := pipeline.Definition{Name: name, Stages: []pipeline.Stage{{RefID: "1", Type: stageType, Name: name, Config: cfg}}}
	if err := pipeline.Validate(d); err != nil {
		return nil, prefixProblems(err, "input")
	}
	audit, err := r.authorize(ctx, auth.Execute, auth.Resource{Type: "Application", Name: app.Name}, stageType,
		map[string]any{"config": cfg, "reason": reason})
	if err != nil {
		return nil, err
	}
	audit.Target = target
	def, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	who, _ := auth.FromContext(ctx)
	e := newExecution(store.ExecutionTypeOrchestration, app, name, def, d.Stages, who.Name, reason)
	e.Trigger = store.JSONMap{"type": "manual", "user": who.Name}
	return r.startExecution(ctx, e, audit, nil)
}
