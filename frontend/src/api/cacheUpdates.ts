import type { Cache, UpdatesConfig } from '@urql/exchange-graphcache';
import {
  ApplicationsDocument,
  ClustersDocument,
  LoadBalancersDocument,
  PipelinesDocument,
  type ApplicationRowFragment,
  type ClusterLiveSubscription,
  type ClustersQuery,
  type CreateApplicationMutation,
  type ExecutionSummaryFragment,
  type LoadBalancerCardFragment,
  type LoadBalancerLiveSubscription,
  type LoadBalancersQuery,
  type PipelinesQuery,
} from '../gql/graphql';

// Graphcache writes every entity an event carries by its id, so a changed execution, server
// group or load balancer updates every view at once. What it cannot know is list
// membership: a new execution, a new server group, a destroyed one. The updaters below
// maintain the lists the views query, through the views' own typed documents.

/** How many executions each pipeline row keeps (the `first` of PipelinesQuery). */
export const EXECUTIONS_PER_PIPELINE = 8;
/** How many server groups each cluster keeps (the `first` of ClustersQuery). */
export const SERVER_GROUPS_PER_CLUSTER = 10;

type ApplicationsData = { applications: { totalCount: number; edges: { node: ApplicationRowFragment }[] } };
type ClusterData = NonNullable<ClustersQuery['application']>['clusters']['edges'][number]['node'];
type ServerGroupData = ClusterData['serverGroups']['edges'][number]['node'];
type EventServerGroup = NonNullable<ClusterLiveSubscription['clusterUpdated']['serverGroup']>;

const newerFirst = (a: { createdAt: string }, b: { createdAt: string }): number => b.createdAt.localeCompare(a.createdAt);

/** What the applications list needs of an execution. */
type LastDeploy = Pick<ExecutionSummaryFragment, 'id' | 'name' | 'status' | 'version' | 'createdAt'> & { application: { name: string } };

/** Makes exec the newest execution of its application in the applications list, if it is. */
export function withNewestExecution<T extends ApplicationsData>(data: T, exec: LastDeploy): T {
  const edges = data.applications.edges.map((edge) => {
    if (edge.node.name !== exec.application.name) return edge;
    const newest = edge.node.executions.edges[0]?.node;
    if (newest && (newest.id === exec.id || newest.createdAt > exec.createdAt)) return edge;
    const node = { __typename: 'Execution' as const, id: exec.id, name: exec.name, status: exec.status, version: exec.version, createdAt: exec.createdAt };
    return { ...edge, node: { ...edge.node, executions: { ...edge.node.executions, edges: [{ __typename: 'ExecutionEdge' as const, node }] } } };
  });
  return { ...data, applications: { ...data.applications, edges } };
}

/** Adds exec to its pipeline's recent executions when it is not there yet. */
export function withPipelineExecution(data: PipelinesQuery, exec: ExecutionSummaryFragment): PipelinesQuery {
  const app = data.application;
  if (!app || !exec.pipeline) return data;
  const pipelineId = exec.pipeline.id;
  const edges = app.pipelines.edges.map((edge) => {
    if (edge.node.id !== pipelineId) return edge;
    const list = edge.node.executions.edges;
    if (list.some((e) => e.node.id === exec.id)) return edge;
    const next = [{ __typename: 'ExecutionEdge' as const, node: exec }, ...list]
      .sort((a, b) => newerFirst(a.node, b.node))
      .slice(0, EXECUTIONS_PER_PIPELINE);
    return { ...edge, node: { ...edge.node, executions: { ...edge.node.executions, edges: next } } };
  });
  return { ...data, application: { ...app, pipelines: { ...app.pipelines, edges } } };
}

/** Puts a server group in its cluster (creating the cluster) when it is not listed yet. */
export function withServerGroup(data: ClustersQuery, sg: EventServerGroup): ClustersQuery {
  const app = data.application;
  if (!app) return data;
  const { cluster, ...rest } = sg;
  const card: ServerGroupData = { ...rest, cluster: { __typename: 'Cluster', id: cluster.id } };
  let found = false;
  const edges = app.clusters.edges.map((edge) => {
    if (edge.node.id !== cluster.id) return edge;
    found = true;
    const list = edge.node.serverGroups.edges;
    if (list.some((e) => e.node.id === sg.id)) return edge;
    const next = [{ __typename: 'ServerGroupEdge' as const, node: card }, ...list]
      .sort((a, b) => newerFirst(a.node, b.node))
      .slice(0, SERVER_GROUPS_PER_CLUSTER);
    return { ...edge, node: { ...edge.node, serverGroups: { ...edge.node.serverGroups, edges: next } } };
  });
  if (!found) {
    const node: ClusterData = {
      ...cluster,
      serverGroups: { __typename: 'ServerGroupConnection', edges: [{ __typename: 'ServerGroupEdge', node: card }] },
    };
    edges.push({ __typename: 'ClusterEdge', node });
  }
  return { ...data, application: { ...app, clusters: { ...app.clusters, edges } } };
}

/** Removes a destroyed server group, and a cluster left with none. */
export function withoutServerGroup(data: ClustersQuery, id: string): ClustersQuery {
  const app = data.application;
  if (!app) return data;
  const edges = app.clusters.edges
    .map((edge) => {
      const list = edge.node.serverGroups.edges;
      if (!list.some((e) => e.node.id === id)) return edge;
      const next = list.filter((e) => e.node.id !== id);
      return { ...edge, node: { ...edge.node, serverGroups: { ...edge.node.serverGroups, edges: next } } };
    })
    .filter((edge) => edge.node.serverGroups.edges.length > 0);
  return { ...data, application: { ...app, clusters: { ...app.clusters, edges } } };
}

/**
 * Puts a load balancer in the list as the event carries it: in place of what was listed
 * (so its targets and weights are the event's), or, when new, before the first one whose
 * name sorts after it.
 */
export function withLoadBalancer(data: LoadBalancersQuery, lb: LoadBalancerCardFragment): LoadBalancersQuery {
  const app = data.application;
  if (!app) return data;
  const list = app.loadBalancers.edges;
  const edge = { __typename: 'LoadBalancerEdge' as const, node: lb };
  let edges: typeof list;
  if (list.some((e) => e.node.id === lb.id)) {
    edges = list.map((e) => (e.node.id === lb.id ? { ...e, node: lb } : e));
  } else {
    const at = list.findIndex((e) => e.node.name.localeCompare(lb.name) > 0);
    edges = at < 0 ? [...list, edge] : [...list.slice(0, at), edge, ...list.slice(at)];
  }
  return { ...data, application: { ...app, loadBalancers: { ...app.loadBalancers, edges } } };
}

/** Removes a deleted load balancer. */
export function withoutLoadBalancer(data: LoadBalancersQuery, id: string): LoadBalancersQuery {
  const app = data.application;
  if (!app || !app.loadBalancers.edges.some((e) => e.node.id === id)) return data;
  const edges = app.loadBalancers.edges.filter((e) => e.node.id !== id);
  return { ...data, application: { ...app, loadBalancers: { ...app.loadBalancers, edges } } };
}

function insertExecution(cache: Cache, exec: LastDeploy | ExecutionSummaryFragment): void {
  cache.updateQuery({ query: ApplicationsDocument }, (data) => (data ? withNewestExecution(data, exec) : null));
  // Only events that carry the whole summary (stages included) can join a pipeline's rows.
  if (!('stages' in exec)) return;
  cache.updateQuery({ query: PipelinesDocument, variables: { name: exec.application.name } }, (data) =>
    data ? withPipelineExecution(data, exec) : null,
  );
}

function asExecutionEvent(result: Record<string, unknown>): LastDeploy | ExecutionSummaryFragment | null {
  const ev = result.executionUpdated as { execution?: LastDeploy | ExecutionSummaryFragment } | null | undefined;
  return ev?.execution ?? null;
}

/** Graphcache updaters: list membership after events and mutations. */
export const updates: UpdatesConfig = {
  Subscription: {
    executionUpdated(result, _args, cache) {
      const exec = asExecutionEvent(result);
      if (exec) insertExecution(cache, exec);
    },
    clusterUpdated(result, args, cache) {
      const ev = (result as ClusterLiveSubscription).clusterUpdated;
      const name = typeof args.application === 'string' ? args.application : null;
      if (!ev || !name) return;
      if (ev.kind === 'DELETED' || !ev.serverGroup) {
        cache.updateQuery({ query: ClustersDocument, variables: { name } }, (data) => (data ? withoutServerGroup(data, ev.id) : null));
        cache.invalidate({ __typename: 'ServerGroup', id: ev.id });
        return;
      }
      const sg = ev.serverGroup;
      cache.updateQuery({ query: ClustersDocument, variables: { name } }, (data) => (data ? withServerGroup(data, sg) : null));
    },
    loadBalancerUpdated(result, args, cache) {
      const ev = (result as LoadBalancerLiveSubscription).loadBalancerUpdated;
      const name = typeof args.application === 'string' ? args.application : null;
      if (!ev || !name) return;
      if (ev.kind === 'DELETED' || !ev.loadBalancer) {
        cache.updateQuery({ query: LoadBalancersDocument, variables: { name } }, (data) => (data ? withoutLoadBalancer(data, ev.id) : null));
        cache.invalidate({ __typename: 'LoadBalancer', id: ev.id });
        return;
      }
      const lb = ev.loadBalancer;
      cache.updateQuery({ query: LoadBalancersDocument, variables: { name } }, (data) => (data ? withLoadBalancer(data, lb) : null));
    },
  },
  Mutation: {
    createApplication(result, _args, cache) {
      const app = (result as CreateApplicationMutation).createApplication?.application;
      if (!app) return;
      cache.updateQuery({ query: ApplicationsDocument }, (data) => {
        if (!data || data.applications.edges.some((e) => e.node.id === app.id)) return data;
        const edges = [...data.applications.edges, { __typename: 'ApplicationEdge' as const, node: app }].sort((a, b) =>
          a.node.name.localeCompare(b.node.name),
        );
        return { ...data, applications: { ...data.applications, totalCount: data.applications.totalCount + 1, edges } };
      });
    },
    savePipeline(_result, args, cache) {
      // The pipelines list selects more than the editor saves: let it fetch again.
      const input = args.input as { application?: unknown } | undefined;
      if (typeof input?.application !== 'string') return;
      const appKey = cache.resolve('Query', 'application', { name: input.application });
      if (typeof appKey !== 'string') return;
      cache
        .inspectFields(appKey)
        .filter((f) => f.fieldName === 'pipelines')
        .forEach((f) => cache.invalidate(appKey, f.fieldName, f.arguments ?? undefined));
    },
  },
};
