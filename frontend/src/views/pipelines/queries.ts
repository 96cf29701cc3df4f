import { graphql } from '../../gql';

export const PipelinesQuery = graphql(`
  query Pipelines($name: String!) {
    application(name: $name) {
      id
      name
      pipelines(first: 50) {
        edges {
          node {
            id
            name
            description
            disabled
            version
            parameters {
              name
              label
              description
              default
              required
              options
            }
            executions(first: 8) {
              edges {
                node {
                  ...ExecutionSummary
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const AppExecutionsSubscription = graphql(`
  subscription AppExecutions($name: String!) {
    executionUpdated(application: $name) {
      kind
      version
      execution {
        ...ExecutionSummary
      }
    }
  }
`);

export const TriggerPipelineMutation = graphql(`
  mutation TriggerPipeline($input: TriggerPipelineInput!) {
    triggerPipeline(input: $input) {
      ...OperationResult
    }
  }
`);
