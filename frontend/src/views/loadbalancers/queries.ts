import { graphql } from '../../gql';

/** What the view shows of a load balancer: the query and the live events select the same. */
export const LoadBalancerCardFragment = graphql(`
  fragment LoadBalancerCard on LoadBalancer {
    id
    name
    account
    region
    address
    targets {
      serverGroupName
      weight
      serverGroup {
        id
        enabled
        instanceCounts {
          total
          up
        }
      }
    }
  }
`);

export const LoadBalancersQuery = graphql(`
  query LoadBalancers($name: String!) {
    application(name: $name) {
      id
      name
      loadBalancers(first: 100) {
        edges {
          node {
            ...LoadBalancerCard
          }
        }
      }
    }
  }
`);

/** Load balancer changes of one application (weights during a traffic shift): a snapshot, then changes. */
export const LoadBalancerLiveSubscription = graphql(`
  subscription LoadBalancerLive($name: String!) {
    loadBalancerUpdated(application: $name) {
      kind
      id
      version
      loadBalancer {
        ...LoadBalancerCard
      }
    }
  }
`);
