import { graphql } from '../../gql';

export const PipelineDefinitionFragment = graphql(`
  fragment PipelineDefinition on Pipeline {
    id
    name
    description
    version
    updatedAt
    updatedBy
    limitConcurrent
    maxConcurrentExecutions
    keepWaitingPipelines
    disabled
    application {
      id
      name
    }
    stages {
      refId
      type
      name
      requisiteStageRefIds
      config
    }
    triggers {
      type
      enabled
      config
    }
    parameters {
      name
      label
      description
      default
      required
      options
    }
    notifications {
      type
      address
      when
      config
    }
    warnings {
      path
      code
      message
    }
  }
`);

export const PipelineDefinitionQuery = graphql(`
  query PipelineDefinition($id: ID!) {
    pipeline(id: $id) {
      ...PipelineDefinition
    }
  }
`);

export const SavePipelineMutation = graphql(`
  mutation SavePipeline($input: SavePipelineInput!) {
    savePipeline(input: $input) {
      pipeline {
        ...PipelineDefinition
      }
      warnings {
        path
        code
        message
      }
    }
  }
`);
