import type { ExecutionStatus, ExecutionSummaryFragment, LoadBalancerCardFragment, ServerGroupCardFragment } from '../gql/graphql';

/** A summary execution with the given stages, for list and cache tests. */
export function execution(over: Partial<ExecutionSummaryFragment> = {}): ExecutionSummaryFragment {
  return {
    __typename: 'Execution',
    id: 'RXhlYzox',
    type: 'PIPELINE',
    name: 'deploy',
    status: 'RUNNING',
    version: 1,
    createdAt: '2025-01-01T10:00:00Z',
    startedAt: '2025-01-01T10:00:00Z',
    endedAt: null,
    triggeredBy: 'ana',
    reason: '',
    application: { __typename: 'Application', id: 'QXBwOnNob3A=', name: 'shop' },
    pipeline: { __typename: 'Pipeline', id: 'UGlwZTox', name: 'deploy' },
    stages: [],
    ...over,
  };
}

export function stage(refId: string, status: ExecutionStatus, startedAt: string | null, endedAt: string | null, requisiteStageRefIds: string[] = []) {
  return { __typename: 'Stage' as const, id: `stage-${refId}`, refId, name: `Stage ${refId}`, type: 'wait', status, requisiteStageRefIds, startedAt, endedAt };
}

export function serverGroup(over: Partial<ServerGroupCardFragment> = {}): ServerGroupCardFragment {
  return {
    __typename: 'ServerGroup',
    id: 'U0c6MQ==',
    name: 'shop-web-v001',
    account: 'local',
    region: 'here',
    enabled: true,
    createdAt: '2025-01-01T10:00:00Z',
    loadBalancers: ['shop-web'],
    capacity: { __typename: 'Capacity', min: 1, desired: 2, max: 3 },
    artifact: { __typename: 'Artifact', type: 'command', reference: 'python3 -m http.server {port}', version: '1.0.0' },
    moniker: { __typename: 'Moniker', cluster: 'shop-web', sequence: 1 },
    cluster: { __typename: 'Cluster', id: 'Q2w6MQ==' },
    instanceCounts: { __typename: 'InstanceCounts', total: 2, up: 1, down: 0, starting: 1, outOfService: 0, unknown: 0 },
    instances: {
      __typename: 'InstanceConnection',
      totalCount: 2,
      edges: [
        { __typename: 'InstanceEdge', node: { __typename: 'Instance', id: 'i1', instanceId: 'p-101', health: 'UP', healthDetail: '', zone: 'here-a' } },
        { __typename: 'InstanceEdge', node: { __typename: 'Instance', id: 'i2', instanceId: 'p-102', health: 'STARTING', healthDetail: 'booting', zone: 'here-a' } },
      ],
    },
    ...over,
  };
}

/** A load balancer splitting traffic between the named server groups at these weights. */
export function loadBalancer(over: Partial<LoadBalancerCardFragment> = {}, weights: Record<string, number> = { 'shop-web-v001': 100 }): LoadBalancerCardFragment {
  return {
    __typename: 'LoadBalancer',
    id: 'TEI6MQ==',
    name: 'shop-web',
    account: 'local',
    region: 'here',
    address: '127.0.0.1:9000',
    targets: Object.entries(weights).map(([serverGroupName, weight]) => ({
      __typename: 'LoadBalancerTarget' as const,
      serverGroupName,
      weight,
      serverGroup: {
        __typename: 'ServerGroup' as const,
        id: `sg-${serverGroupName}`,
        enabled: true,
        instanceCounts: { __typename: 'InstanceCounts' as const, total: 2, up: 2 },
      },
    })),
    ...over,
  };
}
