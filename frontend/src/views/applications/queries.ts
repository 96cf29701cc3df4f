import { graphql } from '../../gql';

/** Every application with its newest execution, for the list and its live status. */
export const ApplicationsQuery = graphql(`
  query Applications {
    applications(first: 200) {
      totalCount
      edges {
        node {
          ...ApplicationRow
        }
      }
    }
  }
`);

export const ApplicationRowFragment = graphql(`
  fragment ApplicationRow on Application {
    id
    name
    description
    ownerEmail
    criticality
    version
    executions(first: 1) {
      edges {
        node {
          id
          name
          status
          version
          createdAt
        }
      }
    }
  }
`);

export const CreateApplicationMutation = graphql(`
  mutation CreateApplication($input: CreateApplicationInput!) {
    createApplication(input: $input) {
      application {
        ...ApplicationRow
      }
    }
  }
`);

/** Every execution of every application: keeps "last deploy status" live. */
export const AllExecutionsSubscription = graphql(`
  subscription AllExecutions {
    executionUpdated {
      kind
      version
      execution {
        ...ExecutionSummary
      }
    }
  }
`);
