package resolvers

import (
	"context"
	"errors"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
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
	return executionConnection(rows, more, total, p.After != ""), nil
}

func executionConnection(rows []store.Execution, more bool, total int64, hasPrev bool) *model.ExecutionConnection {
	nodes, cursors, pi := connection(rows, func(e store.Execution) string { return e.ID }, toExecution, more, hasPrev)
	out := &model.ExecutionConnection{PageInfo: pi, TotalCount: int(total), Edges: make([]*model.ExecutionEdge, len(nodes))}
	for i, n := range nodes {
		out.Edges[i] = &model.ExecutionEdge{Cursor: cursors[i], Node: *n}
	}
	return out
}

// newestKey asks for an application's first page of executions (no cursor, no filter):
// what the applications list shows as the last deploy, batched across the list.
type newestKey struct {
	app   string
	first int
}

type newestPage struct {
	rows  []store.Execution // up to first+1: one more tells that more follow
	total int64
}

func newestExecutions(s *store.Store) func(context.Context, []newestKey) (map[newestKey]newestPage, error) {
	return func(ctx context.Context, keys []newestKey) (map[newestKey]newestPage, error) {
		byFirst := map[int][]string{}
		for _, k := range keys {
			byFirst[k.first] = append(byFirst[k.first], k.app)
		}
		out := make(map[newestKey]newestPage, len(keys))
		for first, apps := range byFirst {
			rows, totals, err := s.NewestExecutions(ctx, apps, first+1)
			if err != nil {
				return nil, err
			}
			for _, a := range apps {
				out[newestKey{a, first}] = newestPage{rows: rows[a], total: totals[a]}
			}
		}
		return out, nil
	}
}

// applicationExecutions is Application.executions: the first page of many applications
// comes from one batch; a later page or a status filter is a query of its own.
func (r *Resolver) applicationExecutions(ctx context.Context, appID string, statuses []model.ExecutionStatus, first *int, after *string) (*model.ExecutionConnection, error) {
	if after != nil || len(statuses) > 0 {
		return r.listExecutions(ctx, store.ExecutionFilter{ApplicationIDs: []string{appID}}, statuses, first, after)
	}
	p, err := pageArgs(first, nil, 25)
	if err != nil {
		return nil, err
	}
	pg, err := r.loaders(ctx).newestExecs.Load(ctx, newestKey{appID, p.First})
	if err != nil {
		return nil, err
	}
	rows, more := pg.rows, len(pg.rows) > p.First
	if more {
		rows = rows[:p.First]
	}
	return executionConnection(rows, more, pg.total, false), nil
}

// prefetchNewestExecutions loads, for a list of applications, the first page of every
// executions connection their node's selection asks for, in one batch each.
func (r *Resolver) prefetchNewestExecutions(ctx context.Context, appIDs []string, nodeSel ast.SelectionSet) error {
	for _, c := range selectedConnections(ctx, nodeSel, "executions") {
		if st, ok := c.args["statuses"].([]any); c.after != nil || (ok && len(st) > 0) {
			continue // not the first page of everything: the field's own query
		}
		p, err := pageArgs(c.first, nil, 25)
		if err != nil {
			continue
		}
		keys := make([]newestKey, len(appIDs))
		for i, id := range appIDs {
			keys[i] = newestKey{id, p.First}
		}
		if _, err := r.loaders(ctx).newestExecs.LoadAll(ctx, keys); err != nil {
			return err
		}
	}
	return nil
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
