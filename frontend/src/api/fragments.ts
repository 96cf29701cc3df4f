import { graphql } from '../gql';

/** What lists of executions show: status, timings and a bar per stage. */
export const ExecutionSummaryFragment = graphql(`
  fragment ExecutionSummary on Execution {
    id
    type
    name
    status
    version
    createdAt
    startedAt
    endedAt
    triggeredBy
    reason
    application {
      id
      name
    }
    pipeline {
      id
      name
    }
    stages {
      id
      refId
      name
      type
      status
      requisiteStageRefIds
      startedAt
      endedAt
    }
  }
`);

/** What an operation (a mutation that starts an execution) answers with. */
export const OperationResultFragment = graphql(`
  fragment OperationResult on ExecutionPayload {
    execution {
      id
      name
      status
      version
    }
    warnings {
      path
      code
      message
    }
  }
`);
