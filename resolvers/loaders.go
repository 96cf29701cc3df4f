package resolvers

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/gennaker/gennaker/store"
)

// Loaders batch the reads of one request: however many applications, clusters and server
// groups a query walks, each level costs one SQL statement (vikstrous/dataloadgen, as
// gqlgen's dataloader guide recommends). They live for one request only, so they never
// serve stale data across requests.
type Loaders struct {
	application     *dataloadgen.Loader[string, store.Application]
	cluster         *dataloadgen.Loader[string, store.Cluster]
	clustersByApp   *dataloadgen.Loader[string, []store.Cluster]
	serverGroup     *dataloadgen.Loader[string, store.ServerGroup]
	groupsByCluster *dataloadgen.Loader[string, []store.ServerGroup]
	groupByKey      *dataloadgen.Loader[store.ServerGroupKey, store.ServerGroup]
	instancesBySG   *dataloadgen.Loader[string, []store.Instance]
	instance        *dataloadgen.Loader[string, store.Instance]
	loadBalancer    *dataloadgen.Loader[string, store.LoadBalancer]
	lbsByApp        *dataloadgen.Loader[string, []store.LoadBalancer]
	pipeline        *dataloadgen.Loader[string, store.Pipeline]
	pipelinesByApp  *dataloadgen.Loader[string, []store.Pipeline]
	execution       *dataloadgen.Loader[string, store.Execution]
	stagesByExec    *dataloadgen.Loader[string, []store.Stage]
	notesByExec     *dataloadgen.Loader[string, []store.Notification]
	newestExecs     *dataloadgen.Loader[newestKey, newestPage]
	auditEvents     *dataloadgen.Loader[auditKey, store.AuditPage]
}

const loaderWait = 500 * time.Microsecond

// NewLoaders returns a fresh set of loaders over the store.
func NewLoaders(s *store.Store) *Loaders {
	opt := dataloadgen.WithWait(loaderWait)
	return &Loaders{
		application: dataloadgen.NewMappedLoader(byID(s.ApplicationsByIDs, func(a store.Application) string { return a.ID }), opt),
		cluster:     dataloadgen.NewMappedLoader(byID(s.ClustersByIDs, func(c store.Cluster) string { return c.ID }), opt),
		clustersByApp: dataloadgen.NewMappedLoader(groupBy(s.ClustersByApplications,
			func(c store.Cluster) string { return c.ApplicationID }), opt),
		serverGroup: dataloadgen.NewMappedLoader(byID(s.ServerGroupsByIDs, func(g store.ServerGroup) string { return g.ID }), opt),
		groupsByCluster: dataloadgen.NewMappedLoader(groupBy(s.ServerGroupsByClusters,
			func(g store.ServerGroup) string { return g.ClusterID }), opt),
		groupByKey: dataloadgen.NewMappedLoader(byID(s.ServerGroupsByKeys,
			func(g store.ServerGroup) store.ServerGroupKey {
				return store.ServerGroupKey{Account: g.Account, Region: g.Region, Name: g.Name}
			}), opt),
		instancesBySG: dataloadgen.NewMappedLoader(groupBy(s.InstancesByServerGroups,
			func(i store.Instance) string { return i.ServerGroupID }), opt),
		instance:     dataloadgen.NewMappedLoader(byID(s.InstancesByIDs, func(i store.Instance) string { return i.ID }), opt),
		loadBalancer: dataloadgen.NewMappedLoader(byID(s.LoadBalancersByIDs, func(l store.LoadBalancer) string { return l.ID }), opt),
		lbsByApp: dataloadgen.NewMappedLoader(groupBy(s.LoadBalancersByApplications,
			func(l store.LoadBalancer) string { return l.ApplicationID }), opt),
		pipeline: dataloadgen.NewMappedLoader(byID(s.PipelinesByIDs, func(p store.Pipeline) string { return p.ID }), opt),
		pipelinesByApp: dataloadgen.NewMappedLoader(groupBy(s.PipelinesByApplications,
			func(p store.Pipeline) string { return p.ApplicationID }), opt),
		execution:    dataloadgen.NewMappedLoader(byID(s.ExecutionsByIDs, func(e store.Execution) string { return e.ID }), opt),
		stagesByExec: dataloadgen.NewMappedLoader(s.StagesByExecutions, opt),
		notesByExec:  dataloadgen.NewMappedLoader(s.NotificationsByExecutions, opt),
		newestExecs:  dataloadgen.NewMappedLoader(newestExecutions(s), opt),
		auditEvents:  dataloadgen.NewMappedLoader(auditPages(s), opt),
	}
}

// byID adapts a bulk read to a mapped fetch keyed by each row's key. Keys with no row are
// left out of the map, which dataloadgen reports as not found for that key alone.
func byID[K comparable, V any](list func(context.Context, []K) ([]V, error), key func(V) K) func(context.Context, []K) (map[K]V, error) {
	return func(ctx context.Context, keys []K) (map[K]V, error) {
		rows, err := list(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[K]V, len(rows))
		for _, r := range rows {
			out[key(r)] = r
		}
		return out, nil
	}
}

// groupBy adapts a bulk read of children to a mapped fetch of each parent's children; a
// parent with none maps to an empty list.
func groupBy[V any](list func(context.Context, []string) ([]V, error), parent func(V) string) func(context.Context, []string) (map[string][]V, error) {
	return func(ctx context.Context, keys []string) (map[string][]V, error) {
		rows, err := list(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[string][]V, len(keys))
		for _, k := range keys {
			out[k] = []V{}
		}
		for _, r := range rows {
			out[parent(r)] = append(out[parent(r)], r)
		}
		return out, nil
	}
}

type loadersKey struct{}

// withLoaders gives each response its own loaders: a query's one response, and each event of
// a subscription (so a long subscription never serves what an earlier event cached).
func withLoaders(s *store.Store) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(context.WithValue(ctx, loadersKey{}, NewLoaders(s)))
	}
}

// loaders returns the request's loaders, or fresh ones (for subscriptions and tests).
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r.Store)
}
