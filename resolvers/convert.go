package resolvers

import (
	"encoding/json"
	"net/url"

	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// Conversions from store rows to API types. The API never exposes a row as it is: ids
// become global ids and opaque columns (provider state, credentials) stay behind.
//
// A field that a resolver loads (Cluster.application, ServerGroup.cluster, …) is filled
// with a stub holding only the parent's global id: the resolver reads the id from it and
// loads the rest through the request's dataloaders.

func toApplication(a store.Application) *model.Application {
	return &model.Application{
		ID: globalID("Application", a.ID), Name: a.Name, Description: a.Description,
		OwnerEmail: a.OwnerEmail, Criticality: model.Criticality(a.Criticality),
		CloudProviders: nonNil(a.CloudProviders), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		Version: int(a.Version),
	}
}

func toAccount(a store.Account) *model.Account {
	return &model.Account{ID: globalID("Account", a.Name), Name: a.Name, Provider: a.Provider,
		Environment: a.Environment, Regions: nonNil(a.Regions), Error: a.Error}
}

func toCluster(c store.Cluster) *model.Cluster {
	return &model.Cluster{ID: globalID("Cluster", c.ID), Name: c.Name, Account: c.Account,
		Application: model.Application{ID: globalID("Application", c.ApplicationID)},
		Moniker:     model.Moniker{App: appOfCluster(c.Name), Stack: c.Stack, Detail: c.Detail, Cluster: c.Name}}
}

func appOfCluster(name string) string {
	for i := 0; i < len(name); i++ {
		if name[i] == '-' {
			return name[:i]
		}
	}
	return name
}

func toServerGroup(g store.ServerGroup, c *store.Cluster) *model.ServerGroup {
	m := model.Moniker{App: appOfCluster(g.Name), Sequence: g.Sequence}
	if c != nil {
		m = model.Moniker{App: appOfCluster(c.Name), Stack: c.Stack, Detail: c.Detail, Cluster: c.Name, Sequence: g.Sequence}
	}
	art := model.Artifact{}
	if g.Artifact != nil {
		art.Type, _ = g.Artifact["type"].(string)
		art.Reference, _ = g.Artifact["reference"].(string)
		art.Version, _ = g.Artifact["version"].(string)
		if md, ok := g.Artifact["metadata"]; ok {
			art.Metadata = md
		}
	}
	return &model.ServerGroup{
		ID: globalID("ServerGroup", g.ID), Name: g.Name, Moniker: m, Account: g.Account, Region: g.Region,
		Capacity: model.Capacity{Min: g.CapacityMin, Desired: g.CapacityDesired, Max: g.CapacityMax},
		Artifact: art, Enabled: g.Enabled, CreatedAt: g.CreatedAt, LoadBalancers: nonNil(g.LoadBalancers),
		Cluster: model.Cluster{ID: globalID("Cluster", g.ClusterID)},
	}
}

func toInstance(i store.Instance) *model.Instance {
	return &model.Instance{ID: globalID("Instance", i.ID), InstanceID: i.InstanceID,
		Health: model.HealthState(i.Health), HealthDetail: i.HealthDetail, Zone: i.Zone,
		Address: i.Address, LaunchedAt: i.LaunchedAt}
}

func toLoadBalancer(lb store.LoadBalancer) *model.LoadBalancer {
	out := &model.LoadBalancer{ID: globalID("LoadBalancer", lb.ID), Name: lb.Name, Account: lb.Account,
		Region: lb.Region, Address: lb.Address, Targets: []*model.LoadBalancerTarget{},
		Application: model.Application{ID: globalID("Application", lb.ApplicationID)}}
	for _, t := range lb.Targets {
		out.Targets = append(out.Targets, &model.LoadBalancerTarget{ServerGroupName: t.ServerGroup, Weight: t.Weight,
			ServerGroup: &model.ServerGroup{Account: lb.Account, Region: lb.Region, Name: t.ServerGroup}})
	}
	return out
}

// toPipeline converts a stored pipeline; a definition that does not decode is INTERNAL.
func toPipeline(p store.Pipeline) (*model.Pipeline, error) {
	var d pipeline.Definition
	if err := json.Unmarshal(p.Definition, &d); err != nil {
		return nil, err
	}
	out := &model.Pipeline{
		ID: globalID("Pipeline", p.ID), Name: p.Name, Description: d.Description,
		LimitConcurrent: d.LimitConcurrent, MaxConcurrentExecutions: d.MaxConcurrentExecutions,
		KeepWaitingPipelines: d.KeepWaitingPipelines, Disabled: d.Disabled, Version: int(p.Version),
		UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy,
		Application: model.Application{ID: globalID("Application", p.ApplicationID)},
		Stages:      toStageDefinitions(d.Stages), Triggers: []*model.Trigger{}, Parameters: []*model.Parameter{},
		Notifications: []*model.Notification{},
	}
	for _, t := range d.Triggers {
		out.Triggers = append(out.Triggers, &model.Trigger{Type: t.Type, Enabled: t.Enabled, Config: nonNilMap(t.Config)})
	}
	for _, pa := range d.Parameters {
		out.Parameters = append(out.Parameters, &model.Parameter{Name: pa.Name, Label: pa.Label,
			Description: pa.Description, Default: pa.Default, Required: pa.Required, Options: nonNil(pa.Options)})
	}
	for _, n := range d.Notifications {
		out.Notifications = append(out.Notifications, &model.Notification{Type: n.Type, Address: n.Address,
			When: nonNil(n.When), Config: nonNilMap(n.Config)})
	}
	return out, nil
}

func toStageDefinitions(stages []pipeline.Stage) []*model.StageDefinition {
	out := make([]*model.StageDefinition, 0, len(stages))
	for _, s := range stages {
		out = append(out, &model.StageDefinition{RefID: s.RefID, Type: s.Type, Name: s.Name,
			RequisiteStageRefIds: nonNil(s.RequisiteStageRefIDs), Config: nonNilMap(s.Config)})
	}
	return out
}

func toExecution(e store.Execution) *model.Execution {
	trig := model.ExecutionTrigger{}
	if e.Trigger != nil {
		trig.Type, _ = e.Trigger["type"].(string)
		trig.User, _ = e.Trigger["user"].(string)
		trig.Payload = e.Trigger["payload"]
	}
	out := &model.Execution{
		ID: globalID("Execution", e.ID), Type: model.ExecutionType(e.Type), Name: e.Name,
		Status: model.ExecutionStatus(e.Status), Trigger: trig, TriggeredBy: e.TriggeredBy, Reason: e.Reason,
		Parameters: nonNilMap(e.Parameters), CreatedAt: e.CreatedAt, StartedAt: e.StartedAt, EndedAt: e.EndedAt,
		Canceled: e.Canceled, CanceledBy: e.CanceledBy, CancelReason: e.CancelReason, Version: int(e.Version),
		Application: model.Application{ID: globalID("Application", e.ApplicationID)},
	}
	if e.PipelineID != nil {
		out.Pipeline = &model.Pipeline{ID: globalID("Pipeline", *e.PipelineID)}
	}
	if e.Stages != nil {
		out.Stages = make([]*model.Stage, 0, len(e.Stages))
		for _, s := range e.Stages {
			out.Stages = append(out.Stages, toStage(s))
		}
	}
	return out
}

func toStage(s store.Stage) *model.Stage {
	out := &model.Stage{ID: globalID("Stage", s.ID), RefID: s.RefID, Type: s.Type, Name: s.Name,
		RequisiteStageRefIds: nonNil(s.Requisites), Status: model.ExecutionStatus(s.Status),
		Context: stageContext(s.Context), Outputs: nonNilMap(s.Outputs), Error: s.Error,
		StartedAt: s.StartedAt, EndedAt: s.EndedAt, Tasks: make([]*model.Task, 0, len(s.Tasks)),
		Execution: model.Execution{ID: globalID("Execution", s.ExecutionID)}}
	for _, t := range s.Tasks {
		out.Tasks = append(out.Tasks, &model.Task{ID: globalID("Task", t.ID), Name: t.Name,
			Status: model.ExecutionStatus(t.Status), StartedAt: t.StartedAt, EndedAt: t.EndedAt,
			Attempts: t.Attempts, Error: t.Error})
	}
	return out
}

func toAuditEvent(ev store.AuditEvent) *model.AuditEvent {
	out := &model.AuditEvent{ID: globalID("AuditEvent", store.AuditKey(ev)), At: ev.At, Actor: ev.Actor, Action: ev.Action,
		Target: model.AuditTarget{Type: ev.TargetType, ID: globalID(ev.TargetType, ev.TargetID)}, Detail: nonNilMap(ev.Detail)}
	if ev.ApplicationName != "" {
		name := ev.ApplicationName
		out.ApplicationName = &name
	}
	if ev.ExecutionID != "" {
		out.Execution = &model.Execution{ID: globalID("Execution", ev.ExecutionID)}
	}
	return out
}

func toWarnings(ws []pipeline.Warning) []*model.Warning {
	out := make([]*model.Warning, 0, len(ws))
	for _, w := range ws {
		out = append(out, &model.Warning{Path: w.Path, Code: w.Code, Message: w.Message})
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// stageContext is a stage's context as the API shows it: the engine's own bookkeeping
// ("_engine": poll times, paused time) stays behind; what tasks stored ("_state": a
// judgment's answer, a webhook's attempts) is shown.
func stageContext(m map[string]any) map[string]any {
	if _, ok := m["_engine"]; !ok {
		return nonNilMap(m)
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != "_engine" {
			out[k] = v
		}
	}
	return out
}

// toNotification converts an outbox row; stages are its execution's, for a stage event.
// A target shows its host only: a webhook's path (a Slack hook's) is a secret.
func toNotification(n store.Notification, stages []*model.Stage) *model.NotificationDelivery {
	out := &model.NotificationDelivery{Event: n.Event, Status: model.NotificationStatus(n.Status), Attempts: n.Attempts,
		LastError: n.LastError, Message: nonNilMap(n.Message), CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt,
		Targets: []*model.NotificationTarget{}}
	if n.StageID != nil {
		gid := globalID("Stage", *n.StageID)
		for _, st := range stages {
			if st.ID == gid {
				out.Stage = st
			}
		}
	}
	var targets []pipeline.Notification
	_ = json.Unmarshal(n.Targets, &targets)
	for _, t := range targets {
		host := ""
		if u, err := url.Parse(t.Address); err == nil {
			host = u.Host
		}
		out.Targets = append(out.Targets, &model.NotificationTarget{Type: t.Type, Host: host})
	}
	return out
}
