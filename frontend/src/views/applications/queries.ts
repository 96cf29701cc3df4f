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

/**
 * The executions of one application, as little of each as the list needs: keeps its
 * "last deploy" live. (The API wants an application or an execution id on this field.)
 */
export const LastDeploySubscription = graphql(`
  subscription LastDeploy($name: String!) {
    executionUpdated(application: $name) {
      kind
      version
      execution {
        id
        name
        status
        version
        createdAt
        application {
          id
          name
        }
        pipeline {
          id
          name
        }
      }
    }
  }
`);
