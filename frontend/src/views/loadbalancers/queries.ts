import { graphql } from '../../gql';

export const LoadBalancersQuery = graphql(`
  query LoadBalancers($name: String!) {
    application(name: $name) {
      id
      name
      loadBalancers(first: 100) {
        edges {
          node {
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
        }
      }
    }
  }
`);
