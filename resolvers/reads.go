package resolvers

import (
	"context"
	"errors"
	"strings"

	"github.com/vikstrous/dataloadgen"

	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// isMissing tells whether a dataloader error means the key has no row.
func isMissing(err error) bool {
	return errors.Is(err, dataloadgen.ErrNotFound) || errors.Is(err, store.ErrNotFound)
}

func (r *Resolver) applicationByID(ctx context.Context, gid string) (*model.Application, error) {
	a, err := r.loaders(ctx).application.Load(ctx, keyOfOwn(gid))
	if err != nil {
		return nil, err
	}
	return toApplication(a), nil
}

func (r *Resolver) serverGroupWithCluster(ctx context.Context, g store.ServerGroup) (*model.ServerGroup, error) {
	c, err := r.loaders(ctx).cluster.Load(ctx, g.ClusterID)
	if err != nil {
		return nil, err
	}
	return toServerGroup(g, &c), nil
}

func (r *Resolver) listExecutions(ctx context.Context, f store.ExecutionFilter, statuses []model.ExecutionStatus, first *int, after *string) (*model.ExecutionConnection, error) {
	p, err := pageArgs(first, after, 25)
	if err != nil {
		return nil, err
	}
	for _, s := range statuses {
		f.Statuses = append(f.Statuses, string(s))
	}
	rows, more, total, err := r.Store.ListExecutions(ctx, f, p)
	if err != nil {
		return nil, err
	}
	nodes, cursors, pi := connection(rows, func(e store.Execution) string { return e.ID }, toExecution, more, p.After != "")
	out := &model.ExecutionConnection{PageInfo: pi, TotalCount: int(total), Edges: make([]*model.ExecutionEdge, len(nodes))}
	for i, n := range nodes {
		out.Edges[i] = &model.ExecutionEdge{Cursor: cursors[i], Node: *n}
	}
	return out, nil
}

// prefixProblems puts the mutation's input path in front of a validation error's paths.
func prefixProblems(err error, prefix string) error {
	var ve *pipeline.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &inputError{}
	for _, p := range ve.Problems {
		if p.Path != "" && !strings.HasPrefix(p.Path, "[") {
			p.Path = prefix + "." + p.Path
		} else {
			p.Path = prefix + p.Path
		}
		out.problems = append(out.problems, p)
	}
	return out
}

func edgesPageInfo(n int, cursor func(int) string, more, hasPrev bool) model.PageInfo {
	if n == 0 {
		return pageInfo(more, hasPrev, "", "")
	}
	return pageInfo(more, hasPrev, cursor(0), cursor(n-1))
}

// node loads any entity by its global id; an unknown or malformed id is null, as Relay wants.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	typ, key, ok := decodeID(id)
	if !ok {
		return nil, nil
	}
	l := r.loaders(ctx)
	var n model.Node
	var err error
	switch typ {
	case "Application":
		var a store.Application
		if a, err = l.application.Load(ctx, key); err == nil {
			n = toApplication(a)
		}
	case "Account":
		var accs []store.Account
		if accs, err = r.Store.Accounts(ctx); err == nil {
			for _, a := range accs {
				if a.Name == key {
					n = toAccount(a)
				}
			}
		}
	case "Cluster":
		var c store.Cluster
		if c, err = l.cluster.Load(ctx, key); err == nil {
			n = toCluster(c)
		}
	case "ServerGroup":
		var g store.ServerGroup
		if g, err = l.serverGroup.Load(ctx, key); err == nil {
			n, err = r.serverGroupWithCluster(ctx, g)
		}
	case "Instance":
		var i store.Instance
		if i, err = l.instance.Load(ctx, key); err == nil {
			n = toInstance(i)
		}
	case "LoadBalancer":
		var lb store.LoadBalancer
		if lb, err = l.loadBalancer.Load(ctx, key); err == nil {
			n = toLoadBalancer(lb)
		}
	case "Pipeline":
		var p store.Pipeline
		if p, err = l.pipeline.Load(ctx, key); err == nil {
			n, err = toPipeline(p)
		}
	case "Execution":
		var e store.Execution
		if e, err = r.Store.Execution(ctx, key); err == nil {
			n = toExecution(e)
		}
	case "AuditEvent":
		var ev store.AuditEvent
		if ev, err = r.auditEvent(ctx, key); err == nil {
			n = toAuditEvent(ev)
		}
	case "Stage":
		var s store.Stage
		if s, err = r.Store.StageByID(ctx, key); err == nil {
			n = toStage(s)
		}
	default:
		return nil, nil
	}
	if err != nil {
		if isMissing(err) {
			return nil, nil
		}
		return nil, err
	}
	return n, nil
}
