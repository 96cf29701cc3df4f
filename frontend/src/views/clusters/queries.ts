import { graphql } from '../../gql';

// Page sizes keep the query under the server's complexity limit (a connection costs its
// `first` times its selection): 30 clusters × 10 server groups × 50 instances.
export const ClustersQuery = graphql(`
  query Clusters($name: String!) {
    application(name: $name) {
      id
      name
      criticality
      clusters(first: 30) {
        edges {
          node {
            ...ClusterHeader
            serverGroups(first: 10) {
              edges {
                node {
                  ...ServerGroupCard
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const ClusterHeaderFragment = graphql(`
  fragment ClusterHeader on Cluster {
    id
    name
    account
    moniker {
      cluster
      stack
      detail
    }
  }
`);

export const ServerGroupCardFragment = graphql(`
  fragment ServerGroupCard on ServerGroup {
    id
    name
    account
    region
    enabled
    createdAt
    loadBalancers
    capacity {
      min
      desired
      max
    }
    artifact {
      type
      reference
      version
    }
    moniker {
      cluster
      sequence
    }
    cluster {
      id
    }
    instanceCounts {
      total
      up
      down
      starting
      outOfService
      unknown
    }
    instances(first: 50) {
      totalCount
      edges {
        node {
          id
          instanceId
          health
          healthDetail
          zone
        }
      }
    }
  }
`);

/** Server group changes of one application: a snapshot, then changes. */
export const ClusterLiveSubscription = graphql(`
  subscription ClusterLive($name: String!) {
    clusterUpdated(application: $name) {
      kind
      id
      version
      serverGroup {
        ...ServerGroupCard
        cluster {
          ...ClusterHeader
        }
      }
    }
  }
`);

export const ResizeServerGroupMutation = graphql(`
  mutation ResizeServerGroup($input: ResizeServerGroupInput!) {
    resizeServerGroup(input: $input) {
      ...OperationResult
    }
  }
`);

export const EnableServerGroupMutation = graphql(`
  mutation EnableServerGroup($input: ServerGroupIdInput!) {
    enableServerGroup(input: $input) {
      ...OperationResult
    }
  }
`);

export const DisableServerGroupMutation = graphql(`
  mutation DisableServerGroup($input: ServerGroupIdInput!) {
    disableServerGroup(input: $input) {
      ...OperationResult
    }
  }
`);

export const DestroyServerGroupMutation = graphql(`
  mutation DestroyServerGroup($input: ServerGroupIdInput!) {
    destroyServerGroup(input: $input) {
      ...OperationResult
    }
  }
`);

export const RollbackClusterMutation = graphql(`
  mutation RollbackCluster($input: RollbackClusterInput!) {
    rollbackCluster(input: $input) {
      ...OperationResult
    }
  }
`);

export const TerminateInstancesMutation = graphql(`
  mutation TerminateInstances($input: TerminateInstancesInput!) {
    terminateInstances(input: $input) {
      ...OperationResult
    }
  }
`);
