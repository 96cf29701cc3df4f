import { describe, expect, it } from 'vitest';
import type { ClustersQuery, LoadBalancersQuery, PipelinesQuery } from '../gql/graphql';
import { execution, loadBalancer, serverGroup } from '../test/fixtures';
import {
  EXECUTIONS_PER_PIPELINE,
  withLoadBalancer,
  withNewestExecution,
  withoutLoadBalancer,
  withoutServerGroup,
  withPipelineExecution,
  withServerGroup,
} from './cacheUpdates';

const header = { __typename: 'Cluster' as const, id: 'Q2w6MQ==', name: 'shop-web', account: 'local', moniker: { __typename: 'Moniker' as const, cluster: 'shop-web', stack: 'web', detail: '' } };

function clusters(...sgs: ReturnType<typeof serverGroup>[]): ClustersQuery {
  return {
    __typename: 'Query',
    application: {
      __typename: 'Application', id: 'QXBwOjE=', name: 'shop', criticality: 'HIGH',
      clusters: {
        __typename: 'ClusterConnection',
        edges: [{ __typename: 'ClusterEdge', node: { ...header, serverGroups: { __typename: 'ServerGroupConnection', edges: sgs.map((node) => ({ __typename: 'ServerGroupEdge' as const, node })) } } }],
      },
    },
  };
}
const names = (d: ClustersQuery) => d.application!.clusters.edges.map((c) => [c.node.name, c.node.serverGroups.edges.map((e) => e.node.name)]);

describe('withServerGroup', () => {
  it('adds a new server group to its cluster, newest first, once', () => {
    const v1 = serverGroup();
    const v2 = { ...serverGroup({ id: 'sg2', name: 'shop-web-v002', createdAt: '2025-01-02T00:00:00Z' }), cluster: header };
    const once = withServerGroup(clusters(v1), v2);
    expect(names(once)).toEqual([['shop-web', ['shop-web-v002', 'shop-web-v001']]]);
    expect(withServerGroup(once, v2)).toEqual(once);
  });

  it('creates the cluster of a server group in a cluster not seen yet', () => {
    const other = { ...header, id: 'Q2w6Mg==', name: 'shop-api' };
    const sg = { ...serverGroup({ id: 'sg9', name: 'shop-api-v001' }), cluster: other };
    expect(names(withServerGroup(clusters(serverGroup()), sg))).toEqual([
      ['shop-web', ['shop-web-v001']],
      ['shop-api', ['shop-api-v001']],
    ]);
  });
});

describe('withoutServerGroup', () => {
  it('removes a deleted server group and a cluster left empty', () => {
    const two = clusters(serverGroup(), serverGroup({ id: 'sg2', name: 'shop-web-v002' }));
    expect(names(withoutServerGroup(two, 'sg2'))).toEqual([['shop-web', ['shop-web-v001']]]);
    expect(names(withoutServerGroup(clusters(serverGroup()), serverGroup().id))).toEqual([]);
  });
});

describe('withNewestExecution', () => {
  const apps = (newest: { id: string; createdAt: string } | null) => ({
    applications: {
      totalCount: 1,
      edges: [{ node: { __typename: 'Application' as const, id: 'a', name: 'shop', description: '', ownerEmail: 'x@y.z', criticality: 'LOW' as const, version: 1,
        executions: { __typename: 'ExecutionConnection' as const, edges: newest ? [{ __typename: 'ExecutionEdge' as const, node: { __typename: 'Execution' as const, name: 'old', status: 'SUCCEEDED' as const, version: 1, ...newest } }] : [] } } }],
    },
  });
  it('replaces the last deploy with a newer execution, not an older one', () => {
    const newer = execution({ id: 'new', createdAt: '2025-02-01T00:00:00Z', status: 'RUNNING' });
    expect(withNewestExecution(apps({ id: 'old', createdAt: '2025-01-01T00:00:00Z' }), newer).applications.edges[0].node.executions.edges[0].node.status).toBe('RUNNING');
    const older = execution({ id: 'older', createdAt: '2024-01-01T00:00:00Z', status: 'TERMINAL' });
    expect(withNewestExecution(apps({ id: 'old', createdAt: '2025-01-01T00:00:00Z' }), older).applications.edges[0].node.executions.edges[0].node.id).toBe('old');
    expect(withNewestExecution(apps(null), older).applications.edges[0].node.executions.edges[0].node.id).toBe('older');
  });
});

describe('withPipelineExecution', () => {
  it('prepends a new execution to its pipeline and keeps the page size', () => {
    const old = Array.from({ length: EXECUTIONS_PER_PIPELINE }, (_, i) => execution({ id: `e${i}`, createdAt: `2025-01-01T0${i}:00:00Z` }));
    const data: PipelinesQuery = {
      __typename: 'Query',
      application: { __typename: 'Application', id: 'a', name: 'shop', pipelines: { __typename: 'PipelineConnection', edges: [{ __typename: 'PipelineEdge', node: {
        __typename: 'Pipeline', id: 'UGlwZTox', name: 'deploy', description: '', disabled: false, version: 1, parameters: [],
        executions: { __typename: 'ExecutionConnection', edges: old.map((node) => ({ __typename: 'ExecutionEdge' as const, node })) } } }] } },
    };
    const next = withPipelineExecution(data, execution({ id: 'fresh', createdAt: '2025-03-01T00:00:00Z' }));
    const ids = next.application!.pipelines.edges[0].node.executions.edges.map((e) => e.node.id);
    expect(ids[0]).toBe('fresh');
    expect(ids).toHaveLength(EXECUTIONS_PER_PIPELINE);
    expect(withPipelineExecution(next, execution({ id: 'fresh', createdAt: '2025-03-01T00:00:00Z' }))).toEqual(next);
  });
});

function loadBalancers(...lbs: ReturnType<typeof loadBalancer>[]): LoadBalancersQuery {
  return {
    __typename: 'Query',
    application: {
      __typename: 'Application', id: 'QXBwOjE=', name: 'shop',
      loadBalancers: { __typename: 'LoadBalancerConnection', edges: lbs.map((node) => ({ __typename: 'LoadBalancerEdge' as const, node })) },
    },
  };
}
const lbNames = (d: LoadBalancersQuery) => d.application!.loadBalancers.edges.map((e) => e.node.name);
const lbWeights = (d: LoadBalancersQuery, name: string) =>
  d.application!.loadBalancers.edges.find((e) => e.node.name === name)!.node.targets.map((t) => `${t.serverGroupName}=${t.weight}`);

describe('withLoadBalancer', () => {
  it("replaces a listed load balancer's targets and weights with the event's, in place", () => {
    const api = loadBalancer({ id: 'lb0', name: 'shop-api' });
    const web = loadBalancer({}, { 'shop-web-v001': 100 });
    const shifted = loadBalancer({}, { 'shop-web-v001': 75, 'shop-web-v002': 25 });
    const next = withLoadBalancer(loadBalancers(api, web), shifted);
    expect(lbNames(next)).toEqual(['shop-api', 'shop-web']);
    expect(lbWeights(next, 'shop-web')).toEqual(['shop-web-v001=75', 'shop-web-v002=25']);
    expect(withLoadBalancer(next, shifted)).toEqual(next);
  });

  it('adds a new load balancer in name order', () => {
    const data = loadBalancers(loadBalancer({ id: 'a', name: 'shop-api' }), loadBalancer({ id: 'w', name: 'shop-web' }));
    expect(lbNames(withLoadBalancer(data, loadBalancer({ id: 'm', name: 'shop-mail' })))).toEqual(['shop-api', 'shop-mail', 'shop-web']);
    expect(lbNames(withLoadBalancer(data, loadBalancer({ id: 'z', name: 'shop-zip' })))).toEqual(['shop-api', 'shop-web', 'shop-zip']);
    expect(lbNames(withLoadBalancer(loadBalancers(), loadBalancer()))).toEqual(['shop-web']);
  });

  it('leaves an unknown application alone', () => {
    const none: LoadBalancersQuery = { __typename: 'Query', application: null };
    expect(withLoadBalancer(none, loadBalancer())).toBe(none);
  });
});

describe('withoutLoadBalancer', () => {
  it('removes a deleted load balancer and nothing else', () => {
    const data = loadBalancers(loadBalancer({ id: 'a', name: 'shop-api' }), loadBalancer({ id: 'w', name: 'shop-web' }));
    expect(lbNames(withoutLoadBalancer(data, 'w'))).toEqual(['shop-api']);
    expect(withoutLoadBalancer(data, 'gone')).toBe(data);
  });
});
